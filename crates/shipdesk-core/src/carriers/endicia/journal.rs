//! The postage purchase journal's rows and the storage trait behind it (SQLite:
//! `store/sqlite/endicia.rs`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "RecreditState")]
pub enum RecreditState {
    /// Recorded, not sent yet.
    Intent,
    /// On its way (or its answer was lost): open until the account's registers settle it.
    Sent,
    /// Bought.
    Done,
    /// Endicia said no: nothing was bought.
    Refused,
    /// It never reached Endicia, or the registers prove it was not applied.
    NotApplied,
}

impl RecreditState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intent => "intent",
            Self::Sent => "sent",
            Self::Done => "done",
            Self::Refused => "refused",
            Self::NotApplied => "not_applied",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "intent" => Self::Intent,
            "sent" => Self::Sent,
            "done" => Self::Done,
            "refused" => Self::Refused,
            "not_applied" => Self::NotApplied,
            _ => return None,
        })
    }

    pub fn is_open(self) -> bool {
        matches!(self, Self::Intent | Self::Sent)
    }
}

/// One "Buy Postage" as journaled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "PostagePurchase")]
pub struct Recredit {
    #[ts(type = "number")]
    pub id: i64,
    pub account_number: String,
    #[ts(type = "string")]
    pub amount: Decimal,
    pub request_id: String,
    pub state: RecreditState,
    /// Balance + postage printed before it was sent.
    #[ts(type = "string")]
    pub funded_before: Decimal,
    #[ts(type = "string | null")]
    pub balance_after: Option<Decimal>,
    pub transaction_id: Option<String>,
    /// Endicia's refusal, or why it is still open.
    pub message: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// How an open purchase ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecreditEnd {
    Done {
        balance_after: Decimal,
        transaction_id: Option<String>,
    },
    Refused {
        message: String,
    },
    NotApplied {
        message: String,
    },
}

pub trait RecreditJournal: Send + Sync {
    /// Records a purchase before anything is sent. A `CONFLICT` when the account already has
    /// an open one (in this process or another).
    fn record_recredit(
        &self,
        account_number: &str,
        amount: Decimal,
        request_id: &str,
        funded_before: Decimal,
        now: &str,
    ) -> AppResult<Recredit>;

    /// `intent` → `sent`, committed just before the request leaves.
    fn mark_recredit_sent(&self, id: i64, now: &str) -> AppResult<()>;

    /// An open purchase's end; a `CONFLICT` if it was settled meanwhile.
    fn settle_recredit(&self, id: i64, end: &RecreditEnd, now: &str) -> AppResult<Recredit>;

    /// Keeps a note on an open purchase (why it is still open).
    fn note_recredit(&self, id: i64, message: &str, now: &str) -> AppResult<()>;

    fn recredit(&self, id: i64) -> AppResult<Recredit>;

    /// The account's open purchase, if any.
    fn open_recredit(&self, account_number: &str) -> AppResult<Option<Recredit>>;

    /// The account's purchases, newest first.
    fn recredits(&self, account_number: &str, limit: u32) -> AppResult<Vec<Recredit>>;
}
