//! What carriers need from storage for USPS accounts: [`AccountStore`], in domain types. The
//! SQLite implementation, with all of its SQL, is in `crate::store::sqlite`. Secrets are never
//! part of an account record: they live in the [`crate::ports::SecretStore`].

use super::model::{
    AccountFields, AccountId, ConnectionMode, ConnectionState, ContractSource, UspsAccountRecord,
};
use crate::environment::Environment;
use crate::error::{AppError, AppResult, ErrorDetails};

/// What a new account holds.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub nickname: String,
    pub environment: Environment,
    pub base_url: Option<String>,
    pub fields: AccountFields,
    pub mode: ConnectionMode,
    pub is_sandbox_demo: bool,
    pub state: ConnectionState,
}

/// The identifiers an edit may clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identifier {
    Crid,
    Mid,
    ManifestMid,
    EpsAccount,
}

/// USPS account records. Nicknames are unique among accounts in use, case-insensitively; at most
/// one account is the default. A removed account is kept (and hidden from every method), so an
/// account id is never reused. Methods that change an account fail with [`no_such_account`] for
/// an unknown or removed id and with [`nickname_taken`] when a nickname is in use, so every
/// backend answers alike.
pub trait AccountStore: Send + Sync {
    /// Adds an account, stamped `now`; the first one becomes the default.
    fn insert(&self, new: &NewAccount, now: &str) -> AppResult<AccountId>;

    fn account(&self, id: AccountId) -> AppResult<Option<UspsAccountRecord>>;

    /// By nickname, case-insensitively.
    fn account_named(&self, nickname: &str) -> AppResult<Option<UspsAccountRecord>>;

    /// Every account, the default first, then by nickname.
    fn list(&self) -> AppResult<Vec<UspsAccountRecord>>;

    fn default_account(&self) -> AppResult<Option<UspsAccountRecord>>;

    /// Saves a new connection state; `verified_at` also stamps `last_verified_at`. Returns the
    /// account as saved.
    fn set_state(
        &self,
        id: AccountId,
        state: &ConnectionState,
        verified_at: Option<&str>,
        now: &str,
    ) -> AppResult<UspsAccountRecord>;

    /// Replaces the fields that are `Some` (already validated) and empties the identifiers in
    /// `cleared`, in one transaction. Returns the account as saved. While the account has
    /// unfinished purchases its CRID, MIDs and EPS account cannot change
    /// ([`open_purchases_keep_identifiers`]): a purchase is only ever sent again under the
    /// identifiers it was first sent with.
    fn update_fields(
        &self,
        id: AccountId,
        fields: &AccountFields,
        cleared: &[Identifier],
        now: &str,
    ) -> AppResult<UspsAccountRecord>;

    /// Records whether the account holds a contract (NSA) and who said so. Returns the account
    /// as saved.
    fn set_contract(
        &self,
        id: AccountId,
        has_contract: bool,
        source: ContractSource,
        now: &str,
    ) -> AppResult<UspsAccountRecord>;

    fn set_mode(&self, id: AccountId, mode: &ConnectionMode, now: &str) -> AppResult<()>;

    /// Makes `id` the default, and no other account.
    fn set_default(&self, id: AccountId, now: &str) -> AppResult<()>;

    /// Removes the account, stamped `now`: from then on no method finds it, its nickname is free
    /// and its id is never given to another account, so whatever names it (a purchase, a label)
    /// keeps naming it. When it was the default, the oldest remaining account becomes the
    /// default. An account with unfinished purchases (`intent` or `sent`) is not removed
    /// ([`open_purchases_block_removal`]); the check and the removal are one transaction, so a
    /// purchase cannot start in between.
    fn remove(&self, id: AccountId, now: &str) -> AppResult<()>;
}

impl dyn AccountStore + '_ {
    /// The account, or `NOT_FOUND`.
    pub fn get(&self, id: AccountId) -> AppResult<UspsAccountRecord> {
        self.account(id)?.ok_or_else(|| no_such_account(id))
    }

    /// An account by nickname, else by id (`7` or `#7`), as the CLI's `ACCOUNT` argument.
    pub fn find(&self, id_or_nickname: &str) -> AppResult<UspsAccountRecord> {
        let wanted = id_or_nickname.trim();
        if let Some(found) = self.account_named(wanted)? {
            return Ok(found);
        }
        match wanted.trim_start_matches('#').parse::<AccountId>() {
            Ok(id) => self.get(id),
            Err(_) => Err(AppError::not_found(format!(
                "There is no USPS account named '{wanted}'"
            ))),
        }
    }
}

/// The error for an account id that does not exist.
pub fn no_such_account(id: AccountId) -> AppError {
    AppError::not_found(format!("There is no USPS account #{id}"))
}

/// The error for a nickname another account already has.
pub fn nickname_taken(nickname: &str) -> AppError {
    AppError::conflict(format!("A USPS account named '{nickname}' already exists")).with_details(
        ErrorDetails::fields([(
            "nickname",
            "This nickname is already used by another USPS account",
        )]),
    )
}

/// Shown after "orders": at most this many order numbers in a message (the details list all).
const ORDERS_NAMED: usize = 10;

fn orders_phrase(order_numbers: &[String]) -> String {
    let named = order_numbers
        .iter()
        .take(ORDERS_NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = order_numbers.len().saturating_sub(ORDERS_NAMED);
    match (order_numbers.len(), more) {
        (1, _) => format!("order {named}"),
        (_, 0) => format!("orders {named}"),
        _ => format!("orders {named} and {more} more"),
    }
}

fn open_purchases_details(account_id: AccountId, order_numbers: &[String]) -> ErrorDetails {
    ErrorDetails::AccountHasOpenPurchases {
        account_id,
        order_numbers: order_numbers.to_vec(),
    }
}

/// The CONFLICT for removing an account whose purchases are not finished: their outcome must
/// still be settled through it.
pub fn open_purchases_block_removal(
    account_id: AccountId,
    nickname: &str,
    order_numbers: &[String],
) -> AppError {
    AppError::conflict(format!(
        "'{nickname}' cannot be removed yet: label purchases for {} are not finished. Finish or \
         discard them first (Shipments › Purchases to check), then remove the account.",
        orders_phrase(order_numbers)
    ))
    .with_details(open_purchases_details(account_id, order_numbers))
}

/// The CONFLICT for changing the CRID, a MID or the EPS account of an account whose purchases
/// are not finished: they are checked with USPS again under the identifiers they were sent with.
pub fn open_purchases_keep_identifiers(
    account_id: AccountId,
    nickname: &str,
    order_numbers: &[String],
) -> AppError {
    AppError::conflict(format!(
        "The CRID, MIDs and EPS account of '{nickname}' cannot change while label purchases for \
         {} are not finished: they are checked with USPS under the identifiers they were sent \
         with. Finish or discard them first (Shipments › Purchases to check).",
        orders_phrase(order_numbers)
    ))
    .with_details(open_purchases_details(account_id, order_numbers))
}
