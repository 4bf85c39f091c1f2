//! Misbehaviour on demand, so tests (and the app's end-to-end suite, over `/__sim/...`) can meet
//! the failures a real Endicia account produces: an error code on the next call of a method, a
//! slow answer, an answer lost after the work was committed (the case exactly-once
//! reconciliation exists for), a request lost before any work was done, a refund credit that arrives late, and a clock moved forward.
//!
//! Method names are the path suffixes (`BuyPostageXML`), matched case-insensitively.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

#[derive(Debug, Default)]
struct Rules {
    fail: HashMap<String, VecDeque<u32>>,
    drop_answer: HashMap<String, u32>,
    drop_request: HashMap<String, u32>,
    delay: HashMap<String, VecDeque<Duration>>,
    refund_delay: Duration,
    clock_offset: Duration,
}

/// The fault knobs of one simulator; shared by the handle and the HTTP control routes.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Rules>,
}

fn key(method: &str) -> String {
    method.trim().to_ascii_lowercase()
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, Rules> {
        self.rules.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next call of `method` answers `Status = code` and changes nothing (queued: calling
    /// this twice fails the next two calls).
    pub fn fail_next(&self, method: &str, code: u32) {
        self.lock()
            .fail
            .entry(key(method))
            .or_default()
            .push_back(code);
    }

    /// The next call of `method` is carried out in full (money moved, ledger and state file
    /// written) and then its connection is closed without an answer.
    pub fn drop_answer_after_commit(&self, method: &str) {
        *self.lock().drop_answer.entry(key(method)).or_default() += 1;
    }

    /// The next call of `method` is lost on its way: the connection closes and nothing is
    /// done — what a client cannot tell apart from an answer lost after the work.
    pub fn drop_request_before_commit(&self, method: &str) {
        *self.lock().drop_request.entry(key(method)).or_default() += 1;
    }

    /// The next call of `method` waits `delay` before it is handled.
    pub fn delay_next(&self, method: &str, delay: Duration) {
        self.lock()
            .delay
            .entry(key(method))
            .or_default()
            .push_back(delay);
    }

    /// How long after approval a refund is credited to the balance (zero: at once, the
    /// default; the real service takes about two weeks).
    pub fn set_refund_delay(&self, delay: Duration) {
        self.lock().refund_delay = delay;
    }

    pub fn refund_delay(&self) -> Duration {
        self.lock().refund_delay
    }

    /// Moves the simulator's clock forward (labels age, refund delays pass).
    pub fn advance_clock(&self, by: Duration) {
        let mut rules = self.lock();
        rules.clock_offset = rules.clock_offset.saturating_add(by);
    }

    /// Forgets every pending fault (the refund delay and clock stay).
    pub fn clear(&self) {
        let mut rules = self.lock();
        rules.fail.clear();
        rules.drop_answer.clear();
        rules.drop_request.clear();
        rules.delay.clear();
    }

    pub(crate) fn now(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc() + self.lock().clock_offset
    }

    pub(crate) fn take_failure(&self, method: &str) -> Option<u32> {
        self.lock().fail.get_mut(&key(method))?.pop_front()
    }

    pub(crate) fn take_drop(&self, method: &str) -> bool {
        let mut rules = self.lock();
        match rules.drop_answer.get_mut(&key(method)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    pub(crate) fn take_drop_request(&self, method: &str) -> bool {
        let mut rules = self.lock();
        match rules.drop_request.get_mut(&key(method)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    pub(crate) fn take_delay(&self, method: &str) -> Option<Duration> {
        self.lock().delay.get_mut(&key(method))?.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_taken_once_in_order() {
        let f = Faults::default();
        f.fail_next("BuyPostageXML", 12133);
        f.fail_next("buypostagexml", 12130);
        assert_eq!(f.take_failure("GetAccountStatusXML"), None);
        assert_eq!(f.take_failure("BuyPostageXML"), Some(12133));
        assert_eq!(f.take_failure("BuyPostageXML"), Some(12130));
        assert_eq!(f.take_failure("BuyPostageXML"), None);
        f.drop_answer_after_commit("GetPostageLabelXML");
        assert!(f.take_drop("GetPostageLabelXML"));
        assert!(!f.take_drop("GetPostageLabelXML"));
        f.delay_next("GetVersionXML", Duration::from_millis(5));
        assert_eq!(
            f.take_delay("GetVersionXML"),
            Some(Duration::from_millis(5))
        );
        assert_eq!(f.take_delay("GetVersionXML"), None);
    }
}
