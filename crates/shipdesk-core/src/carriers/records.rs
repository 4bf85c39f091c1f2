//! What carriers need from storage for USPS accounts: [`AccountStore`], in domain types. The
//! SQLite implementation, with all of its SQL, is in `crate::store::sqlite`. Secrets are never
//! part of an account record: they live in the [`crate::ports::SecretStore`].

use super::model::{AccountFields, AccountId, ConnectionMode, ConnectionState, UspsAccountRecord};
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

/// USPS account records. Nicknames are unique, case-insensitively; at most one account is the
/// default. Methods that change an account fail with [`no_such_account`] for an unknown id and
/// with [`nickname_taken`] when a nickname is in use, so every backend answers alike.
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

    /// Replaces the fields that are `Some` (already validated). Returns the account as saved.
    fn update_fields(
        &self,
        id: AccountId,
        fields: &AccountFields,
        now: &str,
    ) -> AppResult<UspsAccountRecord>;

    /// Empties the identifiers in `which`.
    fn clear_identifiers(&self, id: AccountId, which: &[Identifier], now: &str) -> AppResult<()>;

    fn set_mode(&self, id: AccountId, mode: &ConnectionMode, now: &str) -> AppResult<()>;

    /// Makes `id` the default, and no other account.
    fn set_default(&self, id: AccountId, now: &str) -> AppResult<()>;

    /// Removes the account; when it was the default, the oldest remaining account becomes the
    /// default.
    fn delete(&self, id: AccountId) -> AppResult<()>;
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
