//! Buying labels for many orders: a few purchases at a time, each through the same journal as a
//! single Buy. A quota answer (429) pauses the whole batch for USPS's Retry-After and then
//! carries on with the same attempt; reconnect-needed or not-entitled stops starting new ones
//! (their reason is the batch's); cancelling stops starting new ones while those in flight
//! finish and are recorded. The report separates what the user must fix from what to retry.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ShippingService;
use super::model_shipments::{
    BatchFailure, BatchProgress, BatchReport, FailureKind, PurchaseRequest, Shipment,
};
use crate::error::{AppError, ErrorCode};

/// How many times one order waits out a quota answer before it is reported.
const MAX_QUOTA_WAITS: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchOptions {
    /// Purchases in flight at once (1..=16); 4 by default.
    pub concurrency: u32,
    /// The longest single quota pause the batch accepts; a longer Retry-After stops the
    /// batch with USPS_QUOTA_EXCEEDED instead (the hourly window may be far away).
    #[ts(type = "number")]
    pub max_quota_wait_secs: u64,
}

impl Default for BatchOptions {
    fn default() -> Self {
        Self {
            concurrency: 4,
            max_quota_wait_secs: 15 * 60,
        }
    }
}

enum Outcome {
    Bought(Box<Shipment>),
    Failed(PurchaseRequest, FailureKind, AppError),
    NotStarted(PurchaseRequest),
}

fn kind_of(e: &AppError) -> FailureKind {
    match e.code {
        ErrorCode::Validation | ErrorCode::NotFound | ErrorCode::Conflict => {
            FailureKind::Validation
        }
        ErrorCode::UspsRejected => FailureKind::UspsRejected,
        _ => FailureKind::Connection,
    }
}

/// Failures that will hit every following purchase too: stop starting new ones.
fn stops_batch(e: &AppError) -> bool {
    matches!(
        e.code,
        ErrorCode::UspsReconnectRequired
            | ErrorCode::UspsNotEntitled
            | ErrorCode::UspsAccountNotAuthorized
            | ErrorCode::SecretStoreUnavailable
    )
}

struct Shared<'a> {
    total: u32,
    cancel: &'a AtomicBool,
    stop: Mutex<Option<AppError>>,
    quota_until: Mutex<Option<Instant>>,
    counts: Mutex<(u32, u32, u32)>,
    progress: &'a (dyn Fn(BatchProgress) + Send + Sync),
}

impl Shared<'_> {
    fn halted(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
            || self
                .stop
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_some()
    }

    fn report(&self, waiting: Option<u64>) {
        let (done, bought, failed) = *self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let mut message = format!("{done} of {}", self.total);
        if let Some(secs) = waiting {
            message.push_str(&format!(" — USPS quota reached, waiting {secs} s"));
        }
        (self.progress)(BatchProgress {
            done,
            total: self.total,
            bought,
            failed,
            waiting_for_quota_secs: waiting,
            message,
        });
    }

    fn finish(&self, outcome: &Outcome) {
        {
            let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
            match outcome {
                Outcome::Bought(_) => {
                    c.0 += 1;
                    c.1 += 1
                }
                Outcome::Failed(..) => {
                    c.0 += 1;
                    c.2 += 1
                }
                Outcome::NotStarted(_) => return,
            }
        }
        self.report(None);
    }

    /// Sleeps while the batch is paused for quota; false if cancelled meanwhile.
    async fn wait_for_quota(&self) -> bool {
        loop {
            let until = *self.quota_until.lock().unwrap_or_else(|p| p.into_inner());
            match until {
                Some(t) if t > Instant::now() => {
                    if self.cancel.load(Ordering::Relaxed) {
                        return false;
                    }
                    let left = t - Instant::now();
                    tokio::time::sleep(left.min(Duration::from_millis(100))).await;
                }
                _ => return true,
            }
        }
    }
}

impl ShippingService {
    /// Buys labels for `requests`; never fails as a whole — every request ends up in the report.
    pub async fn buy_batch(
        &self,
        requests: Vec<PurchaseRequest>,
        options: &BatchOptions,
        progress: &(dyn Fn(BatchProgress) + Send + Sync),
        cancel: &AtomicBool,
    ) -> BatchReport {
        let started = Instant::now();
        let shared = Shared {
            total: requests.len() as u32,
            cancel,
            stop: Mutex::new(None),
            quota_until: Mutex::new(None),
            counts: Mutex::new((0, 0, 0)),
            progress,
        };
        shared.report(None);
        let concurrency = options.concurrency.clamp(1, 16) as usize;
        let max_wait = Duration::from_secs(options.max_quota_wait_secs);
        let shared_ref = &shared;
        let outcomes: Vec<Outcome> = futures_util::stream::iter(requests)
            .map(|request| async move {
                let outcome = self.batch_one(request, shared_ref, max_wait).await;
                shared_ref.finish(&outcome);
                outcome
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        let mut report = BatchReport {
            total: shared.total,
            bought: Vec::new(),
            validation_problems: Vec::new(),
            usps_rejections: Vec::new(),
            connection_problems: Vec::new(),
            not_started: Vec::new(),
            cancelled: cancel.load(Ordering::Relaxed),
            stopped_because: shared.stop.lock().unwrap_or_else(|p| p.into_inner()).take(),
            seconds: 0.0,
        };
        for outcome in outcomes {
            match outcome {
                Outcome::Bought(s) => report.bought.push(*s),
                Outcome::NotStarted(r) => report.not_started.push(r),
                Outcome::Failed(request, kind, error) => {
                    let failure = BatchFailure {
                        order_number: self.order(request.order_id).ok().map(|o| o.order_number),
                        request,
                        kind,
                        error,
                    };
                    match kind {
                        FailureKind::Validation => report.validation_problems.push(failure),
                        FailureKind::UspsRejected => report.usps_rejections.push(failure),
                        FailureKind::Connection => report.connection_problems.push(failure),
                    }
                }
            }
        }
        report.bought.sort_by_key(|s| s.id);
        report.seconds = started.elapsed().as_secs_f64();
        report
    }

    /// "Retry failed": buys again what failed or never started (same journal, so an order
    /// whose answer was lost is finished with its first idempotency key, not bought twice).
    pub async fn retry_batch(
        &self,
        previous: &BatchReport,
        options: &BatchOptions,
        progress: &(dyn Fn(BatchProgress) + Send + Sync),
        cancel: &AtomicBool,
    ) -> BatchReport {
        self.buy_batch(previous.retry_requests(), options, progress, cancel)
            .await
    }

    async fn batch_one(
        &self,
        request: PurchaseRequest,
        shared: &Shared<'_>,
        max_wait: Duration,
    ) -> Outcome {
        let mut quota_waits = 0;
        loop {
            if shared.halted() || !shared.wait_for_quota().await {
                return Outcome::NotStarted(request);
            }
            match self.buy_label(request.clone()).await {
                Ok(outcome) => return Outcome::Bought(Box::new(outcome.shipment)),
                Err(e) => {
                    if let Some(wait) = retry_after(&e)
                        && quota_waits < MAX_QUOTA_WAITS
                        && wait <= max_wait
                    {
                        quota_waits += 1;
                        {
                            let mut until =
                                shared.quota_until.lock().unwrap_or_else(|p| p.into_inner());
                            let resume = Instant::now() + wait;
                            if until.is_none_or(|t| t < resume) {
                                *until = Some(resume);
                            }
                        }
                        shared.report(Some(wait.as_secs()));
                        continue;
                    }
                    if stops_batch(&e) || e.code == ErrorCode::UspsQuotaExceeded {
                        let mut stop = shared.stop.lock().unwrap_or_else(|p| p.into_inner());
                        if stop.is_none() {
                            *stop = Some(e.clone());
                        }
                    }
                    let kind = kind_of(&e);
                    return Outcome::Failed(request, kind, e);
                }
            }
        }
    }
}

/// Seconds to wait before retrying after a quota answer, when the error says so.
pub(crate) fn retry_after(error: &AppError) -> Option<Duration> {
    if error.code != ErrorCode::UspsQuotaExceeded {
        return None;
    }
    let secs = error
        .details
        .as_ref()
        .and_then(|d| d.retry_after_secs())
        .unwrap_or(60);
    Some(Duration::from_secs(secs))
}
