//! What voiding needs from storage: [`VoidJournal`], the void attempts behind exactly-once
//! voiding, in domain types. A void changes money at the provider just as a purchase does, so it
//! is journaled the same way: the intent is committed before anything is sent, "sent" just
//! before the request leaves, and the label's new status together with the closed attempt in
//! one transaction. A void USPS carried out whose local record failed (a busy database, a crash)
//! therefore stays visible as open instead of leaving the label looking valid. The SQLite
//! implementation, with all of its SQL, is `crate::store::sqlite::void_journal`.

use super::model_shipments::ShipmentStatus;
use crate::error::{AppError, AppResult};
use crate::postage::VoidAnswer;

/// Where a void attempt stands: `Intent` → `Sent` → `Done`, or `Failed` when the provider
/// refused its only send (or it was never sent and closed at start-up). `Intent` and `Sent`
/// are *open*.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoidState {
    Intent,
    Sent,
    Done,
    Failed,
}

impl VoidState {
    pub fn as_str(self) -> &'static str {
        match self {
            VoidState::Intent => "intent",
            VoidState::Sent => "sent",
            VoidState::Done => "done",
            VoidState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "intent" => VoidState::Intent,
            "sent" => VoidState::Sent,
            "done" => VoidState::Done,
            "failed" => VoidState::Failed,
            _ => return None,
        })
    }

    pub fn is_open(self) -> bool {
        matches!(self, VoidState::Intent | VoidState::Sent)
    }
}

/// One journaled void, with the label it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoidAttempt {
    pub id: i64,
    pub shipment_id: i64,
    /// The label's order (it goes back to awaiting shipment when the void is done, unless
    /// another label still counts for it).
    pub order_id: i64,
    /// The account that bought the label; the void goes through it.
    pub account_id: i64,
    pub tracking_number: String,
    pub state: VoidState,
    /// How many times the cancel went out; 0 means the provider never saw this void.
    pub sends: i64,
}

/// What [`VoidJournal::record_void_intent`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoidIntent {
    /// A new void is journaled in `intent`, leased to this store: it may be sent.
    Created(VoidAttempt),
    /// The label's earlier void is still open and is now leased to this store: it must be
    /// finished (re-sent), not duplicated.
    Resumed(VoidAttempt),
    /// Another live Shipdesk (a second window, the CLI) is voiding this label right now.
    HeldElsewhere,
    /// The label no longer counts (voided or refund requested meanwhile); nothing written.
    NotActive(ShipmentStatus),
}

/// What [`VoidJournal::take_void_lease`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoidLease {
    /// This store owns the void now; here it is as it stands in the journal.
    Taken(VoidAttempt),
    /// Another live Shipdesk owns it: leave it alone.
    HeldElsewhere,
    /// It is no longer open: finished or closed meanwhile.
    Closed,
}

/// The void journal: one row per attempt to void a label. A label has at most one open void.
///
/// **One owner per void.** A process changes an open void only while it holds its lease (this
/// store's owner id, with an expiry): [`Self::record_void_intent`] creates or takes over the
/// label's void for its caller, [`Self::take_void_lease`] takes an existing one; a lease held
/// by another live process is left alone. **Every transition is a compare-and-set** on the
/// attempt's id, state and send count as the caller last read them (and, before the result is
/// known, the lease): one that matches no row changes nothing and is an error (CONFLICT), never
/// a silent no-op.
///
/// Every method is its own committed transaction, durable when it returns.
pub trait VoidJournal: Send + Sync {
    /// Journals a void of the label in `intent`, leased to this store — or takes over the
    /// label's open void ([`VoidIntent::Resumed`]) unless another live process holds it
    /// ([`VoidIntent::HeldElsewhere`]); nothing is written for a label that no longer counts
    /// ([`VoidIntent::NotActive`]). One transaction that excludes every other writer.
    fn record_void_intent(&self, shipment_id: i64, now: &str) -> AppResult<VoidIntent>;

    /// Takes the lease of an open void: free, already this store's, expired, or held by an
    /// owner whose process is gone. One transaction that excludes every other writer.
    fn take_void_lease(&self, void_id: i64) -> AppResult<VoidLease>;

    /// The cancel may leave now: the void (open, in `attempt.state`, sent `attempt.sends` times,
    /// leased to this store) moves to `sent` and counts one more send; returned as it now
    /// stands. From here on the label may be canceled at the provider until a result is stored.
    fn mark_void_sent(&self, attempt: &VoidAttempt, now: &str) -> AppResult<VoidAttempt>;

    /// Remembers why the void is not finished; it stays open (to be re-sent by the next void of
    /// the label or at start-up) and its lease is given back.
    fn note_void_error(&self, attempt: &VoidAttempt, error: &AppError, now: &str) -> AppResult<()>;

    /// Closes the void as `failed`, keeping the error: the provider refused its only send, or
    /// it was never sent. Nothing changed at the provider; the label stays as it was.
    fn close_void_failed(
        &self,
        attempt: &VoidAttempt,
        error: &AppError,
        now: &str,
    ) -> AppResult<()>;

    /// Stores how the void ended — the label `voided` (canceled) or `refund_requested` with the
    /// dispute id, the order back to awaiting shipment unless another label still counts for it
    /// — and closes the attempt as `done`: one transaction.
    fn commit_void(&self, attempt: &VoidAttempt, answer: &VoidAnswer, now: &str) -> AppResult<()>;

    /// Every open void, oldest first.
    fn open_voids(&self) -> AppResult<Vec<VoidAttempt>>;
}
