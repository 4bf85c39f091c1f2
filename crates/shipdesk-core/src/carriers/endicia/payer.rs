//! What the Endicia provider keeps in storage: the account row a label paid from Endicia is
//! recorded against, and the account's registers read just before each label request left.

use rust_decimal::Decimal;

use crate::environment::Environment;
use crate::error::AppResult;
use crate::postage::AccountId;

/// An Endicia account as a row beside the USPS accounts (shipments reference it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayerRow {
    pub id: AccountId,
    pub account_number: String,
    pub environment: Environment,
    pub nickname: String,
}

/// The account's registers just before a label request left under an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSend {
    pub account_number: String,
    /// The serial number of the account's last piece before the request.
    pub serial_before: u64,
    /// Postage printed to date before the request.
    pub printed_before: Decimal,
    /// How many times a request left under this key.
    pub sends: u32,
    /// When the last one left (RFC 3339).
    pub sent_at: String,
}

/// Storage for labels paid from Endicia (SQLite: `store/sqlite/endicia.rs`).
pub trait EndiciaPayers: Send + Sync {
    /// The row of `account_number` in `environment`, made on first use (named
    /// "Endicia NUMBER", never the default USPS account).
    fn payer_row(
        &self,
        account_number: &str,
        environment: Environment,
        now: &str,
    ) -> AppResult<AccountId>;

    /// `None` when `id` is not an Endicia row.
    fn payer(&self, id: AccountId) -> AppResult<Option<PayerRow>>;

    fn label_send(&self, idempotency_key: &str) -> AppResult<Option<LabelSend>>;

    /// Commits the registers read before a request leaves under `idempotency_key` (again, for
    /// a re-send proven safe), counting the send.
    fn record_label_send(
        &self,
        idempotency_key: &str,
        account_number: &str,
        serial_before: u64,
        printed_before: Decimal,
        now: &str,
    ) -> AppResult<()>;
}
