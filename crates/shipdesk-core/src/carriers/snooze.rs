//! "Remind Me Later": the Reconnect prompt is hidden until the end of the user's local day, or
//! until the app restarts (the snoozes live only in memory). The banner is not affected.
//!
//! The snooze is core's alone: `Connections` reads it into every connection snapshot and every
//! reconnect error (`prompt`), announces a new snapshot when the user snoozes, and ends it when
//! the account no longer needs reconnecting. The UI keeps no snooze of its own.

use std::collections::HashMap;
use std::sync::Mutex;

use time::{Duration, OffsetDateTime, Time, UtcOffset};

use super::model::AccountId;

#[derive(Debug)]
pub(crate) struct PromptSnoozes {
    local_offset: UtcOffset,
    until: Mutex<HashMap<AccountId, OffsetDateTime>>,
}

impl PromptSnoozes {
    pub(crate) fn new(local_offset: UtcOffset) -> Self {
        Self {
            local_offset,
            until: Mutex::new(HashMap::new()),
        }
    }

    /// Hides the prompt until the next local midnight after `now`.
    pub(crate) fn snooze(&self, account: AccountId, now: OffsetDateTime) -> OffsetDateTime {
        let local = now.to_offset(self.local_offset);
        let next_midnight = (local.date() + Duration::days(1))
            .with_time(Time::MIDNIGHT)
            .assume_offset(self.local_offset);
        self.lock().insert(account, next_midnight);
        next_midnight
    }

    pub(crate) fn is_snoozed(&self, account: AccountId, now: OffsetDateTime) -> bool {
        let mut map = self.lock();
        match map.get(&account) {
            Some(until) if now < *until => true,
            Some(_) => {
                map.remove(&account);
                false
            }
            None => false,
        }
    }

    /// A reconnect (or disconnect) ends the snooze: the next problem prompts again.
    pub(crate) fn clear(&self, account: AccountId) {
        self.lock().remove(&account);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<AccountId, OffsetDateTime>> {
        self.until.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{datetime, offset};

    #[test]
    fn lasts_until_local_midnight() {
        let snoozes = PromptSnoozes::new(offset!(-5));
        // 22:30 UTC is 17:30 in UTC-5: snoozed until 05:00 UTC the next day.
        let now = datetime!(2026-03-02 22:30 UTC);
        let until = snoozes.snooze(1, now);
        assert_eq!(until, datetime!(2026-03-03 00:00 -5));
        assert!(snoozes.is_snoozed(1, now + Duration::hours(6)));
        assert!(!snoozes.is_snoozed(1, datetime!(2026-03-03 05:00 UTC)));
        assert!(!snoozes.is_snoozed(2, now));
    }

    #[test]
    fn clearing_ends_it() {
        let snoozes = PromptSnoozes::new(UtcOffset::UTC);
        let now = datetime!(2026-03-02 09:00 UTC);
        snoozes.snooze(3, now);
        assert!(snoozes.is_snoozed(3, now));
        snoozes.clear(3);
        assert!(!snoozes.is_snoozed(3, now));
    }
}
