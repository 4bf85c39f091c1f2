//! The steps of a label purchase as they happen, for whoever watches: the app logs them (so a
//! log shows how far a purchase got before a crash), and the fault tests pause a purchase at an
//! exact step — then kill its desk, start a second one, lock the database — instead of sleeping
//! and hoping. Watching never changes what the purchase does.

use std::future::Future;
use std::pin::Pin;

use super::store::Attempt;

/// A point in a purchase, in the order they are reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PurchaseStep {
    /// The intent is committed (or an open attempt was taken over); nothing has been sent.
    IntentCommitted,
    /// "Sent" is committed; the request is about to leave.
    SentCommitted,
    /// The provider answered (a label, a refusal, or no answer at all); nothing stored yet.
    AnswerReceived,
    /// The label is stored and the order marked shipped.
    LabelCommitted,
}

pub type StepFuture<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Told of every [`PurchaseStep`]; the purchase continues when the returned future completes.
pub trait PurchaseObserver: Send + Sync {
    fn reached<'a>(&'a self, step: PurchaseStep, attempt: &'a Attempt) -> StepFuture<'a>;
}

/// The default observer: each step goes to the log at debug level.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogPurchaseSteps;

impl PurchaseObserver for LogPurchaseSteps {
    fn reached<'a>(&'a self, step: PurchaseStep, attempt: &'a Attempt) -> StepFuture<'a> {
        tracing::debug!(
            attempt_id = attempt.id,
            order_id = attempt.order_id,
            sends = attempt.sends,
            ?step,
            "purchase step"
        );
        Box::pin(std::future::ready(()))
    }
}
