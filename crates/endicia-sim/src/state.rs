//! Everything the simulator remembers, in one place so it can be locked, inspected and written
//! to the state file as a whole: accounts (the postage meter of each), the money ledger, labels,
//! refunds and SCAN forms, plus the counters that number them. Only [`Durable`] is persisted.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::{SimAccount, SimError};

/// How many previous pass phrases are remembered (the reuse rule needs three besides the current
/// one; see `accounts::check_reuse`).
pub const HISTORY_KEPT: usize = 4;

/// Wrong pass phrases in a row that suspend an account (end-user help pages; not in the API guide).
pub const SUSPEND_AFTER: u32 = 5;

/// One account as the simulator keeps it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccountRecord {
    pub account_id: String,
    pub pass_phrase: String,
    /// Earlier pass phrases, oldest first, at most [`HISTORY_KEPT`].
    pub history: Vec<String>,
    pub temporary: bool,
    pub email: String,
    pub challenge_question: String,
    pub challenge_answer: String,
    pub balance: Decimal,
    pub ascending: Decimal,
    pub max_purchase: Decimal,
    pub max_balance: Decimal,
    /// Consecutive wrong pass phrases.
    pub bad_attempts: u32,
    /// Suspended for bad logins (2012) until ResetSuspendedAccount.
    pub suspended: bool,
    /// Live labels printed so far; also the SerialNumber and the last TransactionID.
    pub piece_count: u64,
    /// Tokens issued since the last pass-phrase change.
    pub tokens: Vec<String>,
}

impl AccountRecord {
    pub fn from_config(a: &SimAccount) -> AccountRecord {
        AccountRecord {
            account_id: a.account_id.clone(),
            pass_phrase: a.pass_phrase.clone(),
            history: Vec::new(),
            temporary: a.temporary,
            email: a.email.clone(),
            challenge_question: a.challenge_question.clone(),
            challenge_answer: a.challenge_answer.clone(),
            balance: a.balance,
            ascending: a.ascending,
            max_purchase: a.max_purchase,
            max_balance: a.max_balance,
            bad_attempts: 0,
            suspended: false,
            piece_count: 0,
            tokens: Vec::new(),
        }
    }

    /// `071S` + the account number zero-padded to 8 digits (pattern inferred from two samples).
    pub fn device_id(&self) -> String {
        format!("071S{:0>8}", self.account_id)
    }

    pub fn status(&self) -> AccountStatus {
        if self.suspended {
            AccountStatus::SuspendedBadLogins
        } else if self.temporary {
            AccountStatus::NeedsPassPhraseReset
        } else {
            AccountStatus::Active
        }
    }

    /// Replaces the pass phrase, remembering the old one; earlier tokens stop working.
    pub fn set_pass_phrase(&mut self, new: &str) {
        let old = std::mem::replace(&mut self.pass_phrase, new.to_owned());
        self.history.push(old);
        if self.history.len() > HISTORY_KEPT {
            let extra = self.history.len() - HISTORY_KEPT;
            self.history.drain(..extra);
        }
        self.temporary = false;
        self.tokens.clear();
    }
}

/// An account's state as the error codes of the guide describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountStatus {
    /// `A`.
    Active,
    /// Temporary pass phrase still set (2011).
    NeedsPassPhraseReset,
    /// Five wrong pass phrases in a row (2012).
    SuspendedBadLogins,
}

/// A view of one account for tests and the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSnapshot {
    pub account_id: String,
    pub balance: Decimal,
    pub ascending: Decimal,
    pub status: AccountStatus,
    pub temporary: bool,
    /// Previous pass phrases remembered (not counting the current one).
    pub pass_phrase_history_len: usize,
    pub bad_attempts: u32,
    /// Live labels printed: the SerialNumber.
    pub piece_count: u64,
    pub max_purchase: Decimal,
    pub max_balance: Decimal,
}

impl From<&AccountRecord> for AccountSnapshot {
    fn from(a: &AccountRecord) -> AccountSnapshot {
        AccountSnapshot {
            account_id: a.account_id.clone(),
            balance: a.balance,
            ascending: a.ascending,
            status: a.status(),
            temporary: a.temporary,
            pass_phrase_history_len: a.history.len(),
            bad_attempts: a.bad_attempts,
            piece_count: a.piece_count,
            max_purchase: a.max_purchase,
            max_balance: a.max_balance,
        }
    }
}

/// What moved money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LedgerKind {
    /// BuyPostage (RecreditRequest): balance up.
    Purchase,
    /// A live label: balance down by FinalPostage.
    Label,
    /// An approved refund, credited once its delay has passed: balance up.
    RefundCredit,
}

/// One money movement on an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// 1, 2, 3... across all accounts.
    pub seq: u64,
    pub account_id: String,
    pub kind: LedgerKind,
    /// Signed change of PostageBalance (negative for a label).
    pub amount: Decimal,
    pub balance_after: Decimal,
    /// The request's RequestID, when it had one (refund credits: the refund request's).
    pub request_id: Option<String>,
    /// Purchases: the RecreditRequestResponse TransactionID; labels and refunds: the label's
    /// TransactionID (the account's piece number).
    pub transaction_id: u64,
    pub tracking_number: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
}

/// A live label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelRecord {
    pub account_id: String,
    pub transaction_id: u64,
    pub tracking_number: String,
    pub mail_class: String,
    pub mail_service: String,
    pub weight_oz: Decimal,
    pub final_postage: Decimal,
    pub from_zip5: String,
    pub to_zip5: String,
    /// `YYYYMMDD`.
    pub postmark_date: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    pub refunded: bool,
    pub scan_submission: Option<String>,
}

/// An approved refund, credited at `credit_due`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundRecord {
    pub account_id: String,
    pub transaction_id: u64,
    pub tracking_number: String,
    pub amount: Decimal,
    pub form_id: u64,
    pub request_id: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub credit_due: OffsetDateTime,
    pub credited: bool,
}

/// A SCAN form made (kept for reprints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanRecord {
    pub submission_id: String,
    pub account_id: String,
    pub from_zip5: String,
    pub postmark_date: String,
    pub pieces: Vec<u64>,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
}

/// Everything written to the state file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Durable {
    pub accounts: BTreeMap<String, AccountRecord>,
    pub ledger: Vec<LedgerEntry>,
    pub labels: Vec<LabelRecord>,
    pub refunds: Vec<RefundRecord>,
    pub scan_forms: Vec<ScanRecord>,
    /// Last purchase TransactionID handed out.
    pub last_purchase_id: u64,
    /// Last refund FormId handed out.
    pub last_refund_form: u64,
    /// Last SCAN SubmissionID handed out.
    pub last_submission: u64,
}

impl Durable {
    pub fn fresh(accounts: &[SimAccount]) -> Durable {
        let mut d = Durable {
            last_purchase_id: 300_000,
            last_refund_form: 12_000_000,
            last_submission: 5_000_000,
            ..Durable::default()
        };
        d.add_missing(accounts);
        d
    }

    /// Adds configured accounts the state file does not know yet.
    pub fn add_missing(&mut self, accounts: &[SimAccount]) {
        for a in accounts {
            self.accounts
                .entry(a.account_id.clone())
                .or_insert_with(|| AccountRecord::from_config(a));
        }
    }

    /// Appends a ledger entry, numbering it.
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        account_id: &str,
        kind: LedgerKind,
        amount: Decimal,
        balance_after: Decimal,
        request_id: Option<&str>,
        transaction_id: u64,
        tracking_number: Option<&str>,
        time: OffsetDateTime,
    ) {
        let seq = self.ledger.last().map_or(1, |e| e.seq + 1);
        self.ledger.push(LedgerEntry {
            seq,
            account_id: account_id.to_owned(),
            kind,
            amount,
            balance_after,
            request_id: request_id.map(str::to_owned),
            transaction_id,
            tracking_number: tracking_number.map(str::to_owned),
            time,
        });
    }

    /// Credits every approved refund whose delay has passed. Returns whether anything changed.
    pub fn settle_refunds(&mut self, now: OffsetDateTime) -> bool {
        let mut changed = false;
        for i in 0..self.refunds.len() {
            let r = &self.refunds[i];
            if r.credited || r.credit_due > now {
                continue;
            }
            let r = r.clone();
            self.refunds[i].credited = true;
            changed = true;
            let Some(acct) = self.accounts.get_mut(&r.account_id) else {
                continue;
            };
            // The refund returns money to the descending register only; the ascending register
            // counts postage printed and is left as it was (no source says otherwise).
            acct.balance += r.amount;
            let after = acct.balance;
            self.record(
                &r.account_id,
                LedgerKind::RefundCredit,
                r.amount,
                after,
                r.request_id.as_deref(),
                r.transaction_id,
                Some(&r.tracking_number),
                now,
            );
        }
        changed
    }
}

/// What one request works on: the state (locked by the caller), the simulator's clock, and a
/// note of whether anything durable changed (then the state file is rewritten).
pub struct Ctx<'a> {
    pub d: &'a mut Durable,
    pub now: OffsetDateTime,
    pub refund_delay: std::time::Duration,
    pub dirty: bool,
}

impl Ctx<'_> {
    /// The account, which the caller has already authenticated or looked up.
    pub fn account(&mut self, id: &str) -> &mut AccountRecord {
        self.d
            .accounts
            .get_mut(id)
            .expect("account looked up before use")
    }
}

/// Reads the state file, or `None` when it does not exist yet.
pub fn load(path: &Path) -> Result<Option<Durable>, SimError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(SimError::StateFile {
                path: path.to_owned(),
                source,
            });
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|source| SimError::StateFormat {
            path: path.to_owned(),
            source,
        })
}

/// Writes the state file through a temporary file and a rename, so a crash never leaves half.
pub fn save(path: &Path, durable: &Durable) -> Result<(), SimError> {
    let io = |source| SimError::StateFile {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let json = serde_json::to_vec_pretty(durable).map_err(|source| SimError::StateFormat {
        path: path.to_owned(),
        source,
    })?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, json).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keeps_four_and_clears_tokens() {
        let mut a = AccountRecord::from_config(&crate::demo_account());
        a.tokens.push("t".into());
        for p in ["p1xxx", "p2xxx", "p3xxx", "p4xxx", "p5xxx"] {
            a.set_pass_phrase(p);
        }
        assert_eq!(a.history.len(), HISTORY_KEPT);
        assert_eq!(a.history[0], "p1xxx");
        assert!(a.tokens.is_empty());
        assert_eq!(a.device_id(), "071S02500123");
    }

    #[test]
    fn state_file_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.json");
        let d = Durable::fresh(&[crate::demo_account()]);
        save(&path, &d).unwrap();
        assert_eq!(load(&path).unwrap(), Some(d));
        assert_eq!(load(&dir.path().join("none.json")).unwrap(), None);
    }
}
