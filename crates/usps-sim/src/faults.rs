//! Injected misbehaviour for tests: fail the next N calls of an endpoint with a status, add
//! latency, commit a label and then drop the connection without answering, or panic inside
//! the router (to prove a panic is answered 500 and fails the test that owns the simulator).
//!
//! A *target* names what a rule applies to, in one of three spellings:
//! - an API name: `labels`, `payments`, `prices`, `addresses`, `scan-forms`, `pickup`,
//!   `tracking`, `oauth2` (token and revoke), `consent` (the COP pages);
//! - a method and exact path: `POST /labels/v3/label`;
//! - a path prefix: `/labels/v3/label` (any method);
//! - `*` for every API call (never the `/__sim` controls).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FailRule {
    pub target: String,
    pub status: u16,
    pub remaining: u32,
    /// Matching requests to let through before the first failure.
    #[serde(default)]
    pub skip: u32,
    /// `Retry-After` seconds sent with the failure (429/503); `None` sends none.
    pub retry_after: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LatencyRule {
    pub target: String,
    pub millis: u64,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
pub struct Faults {
    pub failures: Vec<FailRule>,
    pub latency: Vec<LatencyRule>,
    /// Label creations still to commit-then-drop.
    pub drop_label_responses: u32,
    /// API calls still to panic inside the router (answered 500 and recorded as panics).
    #[serde(default)]
    pub panics: u32,
}

/// Whether `target` names this request.
pub fn target_matches(target: &str, api: &str, method: &str, path: &str) -> bool {
    if target == "*" || target == api {
        return true;
    }
    if let Some((m, p)) = target.split_once(' ') {
        return m.eq_ignore_ascii_case(method) && p == path;
    }
    target.starts_with('/') && path.starts_with(target)
}

impl Faults {
    /// Consumes one failure from the first matching rule.
    pub fn take_failure(&mut self, api: &str, method: &str, path: &str) -> Option<FailRule> {
        let idx = self
            .failures
            .iter()
            .position(|r| r.remaining > 0 && target_matches(&r.target, api, method, path))?;
        let rule = &mut self.failures[idx];
        if rule.skip > 0 {
            rule.skip -= 1;
            return None;
        }
        rule.remaining -= 1;
        let taken = rule.clone();
        if rule.remaining == 0 {
            self.failures.remove(idx);
        }
        Some(taken)
    }

    /// Total added delay: every matching rule's delay added up.
    pub fn latency_ms(&self, api: &str, method: &str, path: &str) -> u64 {
        self.latency
            .iter()
            .filter(|r| target_matches(&r.target, api, method, path))
            .map(|r| r.millis)
            .sum()
    }

    /// Sets (or with 0 removes) the delay for one target.
    pub fn set_latency(&mut self, target: String, millis: u64) {
        self.latency.retain(|r| r.target != target);
        if millis > 0 {
            self.latency.push(LatencyRule { target, millis });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_match_by_api_method_path_and_prefix() {
        assert!(target_matches(
            "labels",
            "labels",
            "POST",
            "/labels/v3/label"
        ));
        assert!(target_matches(
            "POST /labels/v3/label",
            "labels",
            "POST",
            "/labels/v3/label"
        ));
        assert!(!target_matches(
            "POST /labels/v3/label",
            "labels",
            "DELETE",
            "/labels/v3/label"
        ));
        assert!(target_matches(
            "/labels/v3/label",
            "labels",
            "DELETE",
            "/labels/v3/label/92"
        ));
        assert!(!target_matches(
            "payments",
            "labels",
            "POST",
            "/labels/v3/label"
        ));
        assert!(target_matches(
            "*",
            "tracking",
            "GET",
            "/tracking/v3/tracking/1"
        ));
    }

    #[test]
    fn skipped_requests_pass_before_the_failures_start() {
        let mut f = Faults::default();
        f.failures.push(FailRule {
            target: "prices".into(),
            status: 400,
            remaining: 1,
            skip: 1,
            retry_after: None,
        });
        let path = "/prices/v3/base-rates-list/search";
        assert!(f.take_failure("prices", "POST", path).is_none());
        assert_eq!(f.take_failure("prices", "POST", path).unwrap().status, 400);
        assert!(f.take_failure("prices", "POST", path).is_none());
    }

    #[test]
    fn failures_count_down_and_disappear() {
        let mut f = Faults::default();
        f.failures.push(FailRule {
            target: "labels".into(),
            status: 503,
            remaining: 2,
            skip: 0,
            retry_after: Some(1),
        });
        assert_eq!(
            f.take_failure("labels", "POST", "/labels/v3/label")
                .unwrap()
                .status,
            503
        );
        assert!(
            f.take_failure("payments", "POST", "/payments/v3/x")
                .is_none()
        );
        assert!(
            f.take_failure("labels", "POST", "/labels/v3/label")
                .is_some()
        );
        assert!(
            f.take_failure("labels", "POST", "/labels/v3/label")
                .is_none()
        );
        assert!(f.failures.is_empty());
    }

    #[test]
    fn latency_adds_up_and_zero_removes() {
        let mut f = Faults::default();
        f.set_latency("*".into(), 5);
        f.set_latency("labels".into(), 20);
        assert_eq!(f.latency_ms("labels", "POST", "/labels/v3/label"), 25);
        assert_eq!(f.latency_ms("prices", "POST", "/prices/v3/x"), 5);
        f.set_latency("labels".into(), 0);
        assert_eq!(f.latency_ms("labels", "POST", "/labels/v3/label"), 5);
    }
}
