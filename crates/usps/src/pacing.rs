//! USPS counts each app's calls per API by the hour and answers 429 once the hour's allowance is
//! spent (60 calls an hour per API on the default product, docs/usps.md#quotas). The [`Pacer`]
//! keeps the calls each app (client id) sent to each API in the past hour and holds the next one
//! back until the hour allows it, so a long batch waits instead of spending calls on refusals,
//! and can say before it starts how long its calls will take ([`Pacer::forecast`]).
//!
//! The window slides: a call may leave once fewer than the allowance were sent in the hour
//! before it. That never exceeds a fixed hourly window either, whichever USPS counts by. A 429
//! that still comes (another program on the same app, a smaller allowance than configured)
//! closes the API for its `Retry-After`.
//!
//! Time comes from a [`PaceClock`], so tests run hours of pacing on a simulated clock.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::operation::Api;

/// Calls per hour per API on USPS's default ("Public Access") product.
pub const USPS_DEFAULT_CALLS_PER_HOUR: u32 = 60;

const WINDOW: Duration = Duration::from_secs(3600);

/// A call leaves a moment after it is admitted and USPS counts it when it arrives: a call waits
/// this much past the hour of the one it replaces, so the two never land in one window.
const MARGIN: Duration = Duration::from_secs(5);

/// The time the pacer reads and waits on.
pub trait PaceClock: Send + Sync + fmt::Debug {
    /// Time since a fixed start.
    fn elapsed(&self) -> Duration;
    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The machine's monotonic clock and tokio's timer.
#[derive(Debug)]
pub struct WallClock(Instant);

impl Default for WallClock {
    fn default() -> Self {
        WallClock(Instant::now())
    }
}

impl PaceClock for WallClock {
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }

    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(wait))
    }
}

/// How many calls an app may send to each API in an hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowance {
    PerHour(u32),
    /// USPS raised the app's quota beyond anything a desk sends: calls are never held.
    Unlimited,
}

impl Default for Allowance {
    fn default() -> Self {
        Allowance::PerHour(USPS_DEFAULT_CALLS_PER_HOUR)
    }
}

/// How long a run of calls will wait for the hourly allowance, before any is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forecast {
    /// From now until the last of the calls may leave (zero when all may leave now).
    pub wait: Duration,
    /// The API whose allowance sets `wait`, when there is any wait.
    pub limited_by: Option<Api>,
    pub allowance: Allowance,
}

#[derive(Debug, Default)]
struct AppCalls {
    allowance: Allowance,
    sent: HashMap<Api, VecDeque<Duration>>,
    closed_until: HashMap<Api, Duration>,
}

impl AppCalls {
    /// When each of `count` more calls to `api` may leave, the last one's time returned.
    fn last_slot(&self, api: Api, now: Duration, count: u32) -> Duration {
        let Allowance::PerHour(limit) = self.allowance else {
            return now;
        };
        let limit = limit.max(1) as usize;
        let opens = self.closed_until.get(&api).copied().unwrap_or_default();
        let mut times: Vec<Duration> = self
            .sent
            .get(&api)
            .map(|s| {
                s.iter()
                    .copied()
                    .filter(|t| *t + WINDOW + MARGIN > now)
                    .collect()
            })
            .unwrap_or_default();
        let mut last = now;
        for _ in 0..count {
            let mut at = now.max(opens);
            if times.len() >= limit {
                at = at.max(times[times.len() - limit] + WINDOW + MARGIN);
            }
            times.push(at);
            last = at;
        }
        last
    }

    fn record(&mut self, api: Api, at: Duration) {
        let sent = self.sent.entry(api).or_default();
        while sent.front().is_some_and(|t| *t + WINDOW + MARGIN <= at) {
            sent.pop_front();
        }
        sent.push_back(at);
    }
}

/// The calls of every app on one USPS environment (one per [`crate::UspsClient`]).
#[derive(Debug)]
pub struct Pacer {
    clock: Arc<dyn PaceClock>,
    apps: Mutex<HashMap<String, AppCalls>>,
}

impl Pacer {
    pub fn new(clock: Arc<dyn PaceClock>) -> Self {
        Pacer {
            clock,
            apps: Mutex::new(HashMap::new()),
        }
    }

    fn apps(&self) -> std::sync::MutexGuard<'_, HashMap<String, AppCalls>> {
        self.apps.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The allowance of the app `client_id` (USPS's default until told otherwise).
    pub fn set_allowance(&self, client_id: &str, allowance: Allowance) {
        self.apps()
            .entry(client_id.to_owned())
            .or_default()
            .allowance = allowance;
    }

    pub fn allowance(&self, client_id: &str) -> Allowance {
        self.apps()
            .get(client_id)
            .map(|a| a.allowance)
            .unwrap_or_default()
    }

    /// How long until the next call to `api` may leave.
    pub fn next_call_in(&self, client_id: &str, api: Api) -> Duration {
        self.forecast(client_id, &[(api, 1)]).wait
    }

    /// How long until every call of `needs` (calls per API) may have left, when they are
    /// sent as soon as the allowance lets them.
    pub fn forecast(&self, client_id: &str, needs: &[(Api, u32)]) -> Forecast {
        let now = self.clock.elapsed();
        let apps = self.apps();
        let default = AppCalls::default();
        let app = apps.get(client_id).unwrap_or(&default);
        let mut forecast = Forecast {
            wait: Duration::ZERO,
            limited_by: None,
            allowance: app.allowance,
        };
        for &(api, count) in needs.iter().filter(|(_, n)| *n > 0) {
            let wait = app.last_slot(api, now, count) - now;
            if wait > forecast.wait {
                forecast.wait = wait;
                forecast.limited_by = Some(api);
            }
        }
        forecast
    }

    /// Waits until the allowance lets one more call to `api` leave, and counts it as sent.
    pub(crate) async fn admit(&self, client_id: &str, api: Api) {
        loop {
            let wait = {
                let now = self.clock.elapsed();
                let mut apps = self.apps();
                let app = apps.entry(client_id.to_owned()).or_default();
                let at = app.last_slot(api, now, 1);
                if at <= now {
                    app.record(api, now);
                    return;
                }
                at - now
            };
            tracing::debug!(%client_id, api = api.name(), ?wait, "holding a USPS call for the hourly allowance");
            self.clock.sleep(wait).await;
        }
    }

    /// USPS answered 429: no call to `api` leaves for `retry_after`.
    pub(crate) fn refused(&self, client_id: &str, api: Api, retry_after: Duration) {
        let until = self.clock.elapsed() + retry_after;
        let mut apps = self.apps();
        let closed = apps
            .entry(client_id.to_owned())
            .or_default()
            .closed_until
            .entry(api)
            .or_default();
        *closed = (*closed).max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[derive(Debug, Default)]
    struct FakeClock(AtomicU64);

    impl PaceClock for FakeClock {
        fn elapsed(&self) -> Duration {
            Duration::from_millis(self.0.load(Ordering::SeqCst))
        }
        fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
            self.0.fetch_add(wait.as_millis() as u64, Ordering::SeqCst);
            Box::pin(std::future::ready(()))
        }
    }

    fn pacer() -> (Arc<FakeClock>, Pacer) {
        let clock = Arc::new(FakeClock::default());
        (clock.clone(), Pacer::new(clock))
    }

    #[tokio::test]
    async fn the_sixty_first_call_of_an_hour_waits_for_the_first_to_age_out() {
        let (clock, pacer) = pacer();
        for _ in 0..60 {
            pacer.admit("app", Api::Labels).await;
            clock.0.fetch_add(1000, Ordering::SeqCst);
        }
        assert_eq!(clock.elapsed(), Duration::from_secs(60));
        assert_eq!(
            pacer.next_call_in("app", Api::Labels),
            WINDOW + MARGIN - Duration::from_secs(60)
        );
        // Another API, another app: their own allowances.
        assert_eq!(pacer.next_call_in("app", Api::Addresses), Duration::ZERO);
        assert_eq!(pacer.next_call_in("other", Api::Labels), Duration::ZERO);
        pacer.admit("app", Api::Labels).await;
        assert_eq!(clock.elapsed(), WINDOW + MARGIN);
    }

    #[tokio::test]
    async fn a_forecast_spreads_the_calls_over_the_hours_they_need() {
        let (_, pacer) = pacer();
        let f = pacer.forecast("app", &[(Api::Addresses, 100), (Api::Labels, 100)]);
        assert_eq!(f.wait, WINDOW + MARGIN);
        assert_eq!(f.limited_by, Some(Api::Addresses));
        assert_eq!(
            pacer.forecast("app", &[(Api::Labels, 60)]).wait,
            Duration::ZERO
        );
        assert_eq!(
            pacer.forecast("app", &[(Api::Labels, 181)]).wait,
            (WINDOW + MARGIN) * 3
        );
        pacer.set_allowance("app", Allowance::PerHour(100));
        assert_eq!(
            pacer.forecast("app", &[(Api::Labels, 100)]).wait,
            Duration::ZERO
        );
        pacer.set_allowance("app", Allowance::Unlimited);
        assert_eq!(
            pacer.forecast("app", &[(Api::Labels, 10_000)]).wait,
            Duration::ZERO
        );
    }

    #[tokio::test]
    async fn a_refusal_closes_the_api_for_its_retry_after() {
        let (clock, pacer) = pacer();
        pacer.refused("app", Api::Prices, Duration::from_secs(90));
        assert_eq!(
            pacer.next_call_in("app", Api::Prices),
            Duration::from_secs(90)
        );
        pacer.admit("app", Api::Prices).await;
        assert_eq!(clock.elapsed(), Duration::from_secs(90));
        assert_eq!(pacer.next_call_in("app", Api::Labels), Duration::ZERO);
    }
}
