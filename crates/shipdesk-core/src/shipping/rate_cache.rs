//! Rate answers are cached in memory per desk, keyed by the normalized request, for a short
//! while: a rates view for 50 orders going to the same few ZIP codes in the same box asks USPS
//! once per distinct request, not 50 times (USPS's default quota is 60 calls an hour).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::model::RatesAnswer;

/// Prices change at most a few times a year; this is about quota, not freshness.
pub const RATE_CACHE_TTL: Duration = Duration::from_secs(15 * 60);
const MAX_ENTRIES: usize = 5_000;

#[derive(Default)]
pub(crate) struct RateCache {
    entries: Mutex<HashMap<String, (Instant, RatesAnswer)>>,
}

impl RateCache {
    pub(crate) fn get(&self, key: &str) -> Option<RatesAnswer> {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(key) {
            Some((at, answer)) if at.elapsed() < RATE_CACHE_TTL => {
                let mut hit = answer.clone();
                hit.from_cache = true;
                Some(hit)
            }
            Some(_) => {
                map.remove(key);
                None
            }
            None => None,
        }
    }

    pub(crate) fn put(&self, key: String, answer: &RatesAnswer) {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, (at, _)| at.elapsed() < RATE_CACHE_TTL);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(key, (Instant::now(), answer.clone()));
    }

    pub(crate) fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
