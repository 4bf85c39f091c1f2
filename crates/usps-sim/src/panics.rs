//! Panics inside the simulator. A panicking handler must not cost the client its answer, and
//! must not go unnoticed either: the request is answered 500 in USPS's envelope (see
//! `front.rs`), the panic is recorded here, and under [`PanicPolicy::FailOnDrop`] the handle
//! that owns the simulator panics when dropped, so the test that provoked it fails.

use std::any::Any;
use std::sync::Mutex;

/// What dropping a [`crate::SimHandle`] does about panics recorded while it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PanicPolicy {
    /// Panic on drop with every recorded panic (tests: a simulator bug fails the test).
    #[default]
    FailOnDrop,
    /// Only log them (an app embedding the simulator, the `usps-sim` binary).
    Log,
}

/// Panics caught so far, as "METHOD /path: message".
#[derive(Default)]
pub(crate) struct PanicLog(Mutex<Vec<String>>);

impl PanicLog {
    pub fn record(&self, what: String) {
        tracing::error!("usps-sim: a request panicked: {what}");
        self.entries().push(what);
    }

    pub fn list(&self) -> Vec<String> {
        self.entries().clone()
    }

    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.entries())
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The message a panic was raised with.
pub(crate) fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_log() {
        let caught = std::panic::catch_unwind(|| panic!("boom {}", 7)).unwrap_err();
        assert_eq!(message(caught.as_ref()), "boom 7");
        let caught = std::panic::catch_unwind(|| panic!("static")).unwrap_err();
        assert_eq!(message(caught.as_ref()), "static");
        let log = PanicLog::default();
        log.record("GET /x: boom".into());
        assert_eq!(log.list(), vec!["GET /x: boom".to_string()]);
        assert_eq!(log.take().len(), 1);
        assert!(log.list().is_empty());
    }
}
