//! Buying labels for many orders, each bought the way a single Buy buys it.
//!
//! **Each order at its own weight.** An order ships at what its items weigh. The weight the user
//! types for the batch applies only to orders whose items carry none, and an order with neither
//! is held back as needing attention: never bought at a guessed weight, which USPS would bill
//! as an adjustment later. Orders record no box, so the batch's box (else the first package
//! preset's, else 10x8x4 in) applies to every order.
//!
//! **Each address checked.** Before its label, each order's address goes through the same USPS
//! address check as the Ship dialog, and USPS's standardized address (with its ZIP+4) is the
//! one printed. An address USPS does not recognise is held back with USPS's reason, unless the
//! user chose to print every address of the batch as entered.
//!
//! **Preview, then buy.** [`ShippingService::preview_batch`] shows each order's weight and
//! prices it at its own package: one rates request per distinct destination ZIP and package,
//! through the rate cache (USPS's default quota is 60 calls an hour). It also totals the cost
//! per service. [`ShippingService::buy_orders`] buys. The app's batch dialog and
//! `shipdesk labels buy` both call these two; neither decides weights or addresses itself.
//!
//! **Running.** A few orders at a time, each purchase through the same journal as a single Buy.
//! A quota answer (429) pauses the whole batch for USPS's Retry-After, then the same step goes
//! on. Reconnect-needed or not-entitled stops starting new orders, and becomes the batch's
//! reason. Cancelling also stops starting new orders; those in flight finish and are recorded.
//! The report separates what the user must fix from what to retry.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ShippingService;
use super::address_check::refuse_international;
use super::model::{
    AddressCheck, Deliverable, Dimensions, Package, RateChoice, RateQuote, RatesAnswer,
    ShipFromAddress, ShipToChoice,
};
use super::model_shipments::{
    BatchFailure, BatchProgress, BatchReport, FailureKind, PurchaseRequest, Shipment,
};
use super::package::{order_weight_oz, validate_package};
use super::setup::validate_dimensions;
use crate::error::{AppError, AppResult, ErrorCode, ErrorDetails};
use crate::orders::{Address, Order, OrderStatus};
use crate::postage::{AccountSummary, CallNeeds, CallWait};

/// How many times one order waits out a quota answer before it is reported.
const MAX_QUOTA_WAITS: u32 = 5;

/// USPS calls one order of a batch makes once its rates are known: the address check and the
/// label.
const CALLS_PER_ORDER: u32 = 2;

/// What one USPS call takes, for estimates: most answer within a second, labels a little more.
const TYPICAL_CALL: Duration = Duration::from_millis(1200);

/// Distinct rate requests in flight at once while previewing.
const PREVIEW_RATE_CONCURRENCY: usize = 4;

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

/// Which address each label of a batch prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BatchAddresses {
    /// Each address is checked with USPS first and USPS's standardized address (with its
    /// ZIP+4) prints; an address USPS does not recognise is held back.
    #[default]
    Standardized,
    /// The user chose to print every address exactly as entered, unchecked, even one USPS does
    /// not recognise.
    AsEntered,
}

/// A batch as the user asks for it: the Ship dialog for many orders, `shipdesk labels buy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchInput {
    #[ts(type = "number[]")]
    pub order_ids: Vec<i64>,
    /// The USPS account that pays; the default account when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub account_id: Option<i64>,
    /// The saved ship-from address; the default one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub ship_from_id: Option<i64>,
    /// `YYYY-MM-DD`; today when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ship_date: Option<String>,
    /// The service for every order; when absent, each order gets the service recommended for
    /// its own package and address (`shipping::recommended_service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub service: Option<RateChoice>,
    /// The box every order ships in (orders record none); when absent, the first package
    /// preset's, else 10x8x4 in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dimensions: Option<Dimensions>,
    /// The weight, as the user typed it, for orders whose items carry none. An order's own
    /// weight always wins; when absent, orders without one are held back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub fallback_weight_oz: Option<Decimal>,
    #[serde(default)]
    pub addresses: BatchAddresses,
    /// Buy for orders that already have a label too (a second package, a replacement).
    #[serde(default)]
    pub allow_additional_label: bool,
}

/// Where an order's weight in a batch comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WeightSource {
    /// What the order's items weigh.
    Order,
    /// The order's items carry no weight: the batch's weight for such orders.
    Fallback,
    /// No weight at all: the order is not bought until it has one.
    Missing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HoldReason {
    /// Neither the order's items nor the batch give a weight.
    NoWeight,
    /// USPS's address check found no deliverable address.
    AddressNotRecognized,
}

/// An order a batch held back before anything was sent for it, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchHold {
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_number: String,
    pub reason: HoldReason,
    /// What the user should know and do, in words.
    pub message: String,
    /// USPS's answer, when the address is the reason.
    pub address_check: Option<AddressCheck>,
}

/// One order of a batch preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchPreviewLine {
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_number: String,
    /// The address as entered (it is checked with USPS when the label is bought).
    pub ship_to: Address,
    pub weight: WeightSource,
    /// The order's weight (or the batch's) in the batch's box; `None` without a weight.
    pub package: Option<Package>,
    /// Why this order will not be bought as things stand: no weight, cancelled, already has a
    /// label, a package outside USPS's limits.
    pub blocked: Option<AppError>,
    /// Every service for its package to its ZIP Code.
    pub rates: Option<RatesAnswer>,
    /// Why there are no rates for it.
    pub rates_error: Option<AppError>,
    /// The price it would be bought at: the batch's service, or its own recommended one.
    pub quote: Option<RateQuote>,
}

/// One service offered across a batch, and what buying it for every order costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchServiceTotal {
    pub choice: RateChoice,
    pub product_name: String,
    pub description: Option<String>,
    /// The sum of its price over the orders it is offered for.
    #[ts(type = "string")]
    pub total: Decimal,
    /// How many of the orders to buy it is offered for.
    pub priced: u32,
}

/// What a batch would buy, each order at its own weight, before anything is bought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchPreview {
    pub lines: Vec<BatchPreviewLine>,
    /// Orders that would be bought (not blocked).
    pub to_buy: u32,
    /// Orders to buy at the batch's weight because their items carry none.
    pub using_fallback: u32,
    /// Orders with no weight at all (held back).
    pub without_weight: u32,
    /// The expected cost: each order to buy at its `quote`.
    #[ts(type = "string")]
    pub total: Decimal,
    /// How many orders to buy `total` prices (the others have no quote).
    pub priced: u32,
    /// Every service offered, the most widely offered and then the cheapest first.
    pub services: Vec<BatchServiceTotal>,
    /// Whether every order to buy has a recommended service (else the user picks one service).
    pub every_order_has_recommendation: bool,
    /// The account the batch is paid from, by name.
    pub paid_from: String,
    /// Its prepaid balance, when it keeps one (an Endicia account): a batch costing more than
    /// this cannot be bought in full until postage is bought.
    #[ts(type = "string | null")]
    pub balance: Option<Decimal>,
    /// How long buying it will take, said before it starts.
    pub duration: BatchDuration,
}

/// How long a batch will take: its calls at USPS's pace, and the waits for the hourly
/// allowance USPS gives the account's app (60 calls an hour per API by default), which the
/// batch waits out instead of spending calls on refusals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchDuration {
    /// The whole batch, waits included (an estimate).
    #[ts(type = "number")]
    pub seconds: u64,
    /// Of which waiting for the hourly allowance.
    #[ts(type = "number")]
    pub allowance_wait_seconds: u64,
    /// What to expect, in words.
    pub message: String,
}

/// What a batch settles once, before asking USPS anything.
struct Job<'a> {
    input: &'a BatchInput,
    account: AccountSummary,
    from: ShipFromAddress,
    dimensions: Dimensions,
    ship_date: String,
}

/// Why an order will not be bought, known without asking USPS.
enum Blocked {
    NoWeight,
    Refused(AppError),
}

struct Planned {
    weight: WeightSource,
    package: Option<Package>,
    blocked: Option<Blocked>,
}

enum Outcome {
    Bought(Box<Shipment>),
    Held(Box<BatchHold>),
    Failed(Box<BatchFailure>),
    NotStarted(i64),
}

/// The steps of one order's purchase that ask USPS, each kept once answered, so a step taken
/// again after a quota pause does not ask again for what USPS already said.
struct Steps {
    ship_to: Option<ShipToChoice>,
    rate: Option<RateChoice>,
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

fn zip5(zip: &str) -> String {
    zip.trim().chars().take(5).collect()
}

fn valid_date(s: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, format).is_ok()
}

fn failed(
    order_id: i64,
    order: Option<&Order>,
    request: Option<PurchaseRequest>,
    error: AppError,
) -> Outcome {
    Outcome::Failed(Box::new(BatchFailure {
        order_id,
        order_number: order.map(|o| o.order_number.clone()),
        request,
        kind: kind_of(&error),
        error,
    }))
}

fn no_weight_hold(order: &Order) -> BatchHold {
    BatchHold {
        order_id: order.id,
        order_number: order.order_number.clone(),
        reason: HoldReason::NoWeight,
        message: format!(
            "Order {} has no weight: add item weights to the order, or type a weight for \
             orders without one",
            order.order_number
        ),
        address_check: None,
    }
}

fn address_hold(order: &Order, check: AddressCheck) -> BatchHold {
    let usps_says = match &check.message {
        Some(m) if !m.trim().is_empty() => format!(": {}", m.trim()),
        _ => String::new(),
    };
    BatchHold {
        order_id: order.id,
        order_number: order.order_number.clone(),
        reason: HoldReason::AddressNotRecognized,
        message: format!(
            "USPS does not recognize the address of order {}{usps_says}. Fix the address, or \
             buy it with the address as entered.",
            order.order_number
        ),
        address_check: Some(check),
    }
}

/// USPS's standardized address, when USPS recognises the address (the Ship dialog's rule: a
/// match that is not undeliverable).
fn recognised(check: &AddressCheck) -> Option<Address> {
    check
        .standardized
        .clone()
        .filter(|_| check.deliverable != Deliverable::No)
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

    fn report_allowance_wait(&self, wait: Duration) {
        let (done, bought, failed) = *self.counts.lock().unwrap_or_else(|p| p.into_inner());
        (self.progress)(BatchProgress {
            done,
            total: self.total,
            bought,
            failed,
            waiting_for_quota_secs: Some(wait.as_secs()),
            message: format!(
                "{done} of {} — waiting {} for USPS's hourly allowance",
                self.total,
                spoken_duration(wait)
            ),
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
                Outcome::Held(_) | Outcome::Failed(_) => {
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

    /// Pauses the batch until `wait` from now (or later, if already paused longer).
    fn pause_for_quota(&self, wait: Duration) {
        {
            let mut until = self.quota_until.lock().unwrap_or_else(|p| p.into_inner());
            let resume = Instant::now() + wait;
            if until.is_none_or(|t| t < resume) {
                *until = Some(resume);
            }
        }
        self.report(Some(wait.as_secs()));
    }

    fn stop_with(&self, e: &AppError) {
        let mut stop = self.stop.lock().unwrap_or_else(|p| p.into_inner());
        if stop.is_none() {
            *stop = Some(e.clone());
        }
    }
}

impl ShippingService {
    /// Each order of `input` at its own weight with its rates, and the expected total per
    /// service, before anything is bought. Fails as a whole only for what no order could be
    /// bought without (no ship-from address, no account, a bad box or weight, USPS needing a
    /// new sign-in).
    pub async fn preview_batch(&self, input: &BatchInput) -> AppResult<BatchPreview> {
        let job = self.batch_job(input)?;
        let mut planned = Vec::with_capacity(input.order_ids.len());
        for &id in &input.order_ids {
            let order = self.order(id)?;
            let plan = self.plan(&job, &order);
            planned.push((order, plan));
        }
        let mut seen = HashSet::new();
        let wanted: Vec<(String, Package)> = planned
            .iter()
            .filter(|(_, p)| p.blocked.is_none())
            .filter_map(|(o, p)| p.package.map(|pkg| (zip5(&o.ship_to.zip5), pkg)))
            .filter(|key| seen.insert(key.clone()))
            .collect();
        let job_ref = &job;
        let answers: HashMap<(String, Package), AppResult<RatesAnswer>> =
            futures_util::stream::iter(wanted)
                .map(|(zip, pkg)| async move {
                    let answer = self
                        .rates(
                            Some(job_ref.account.id),
                            &job_ref.from.address.zip5,
                            &zip,
                            &pkg,
                            Some(&job_ref.ship_date),
                        )
                        .await;
                    ((zip, pkg), answer)
                })
                .buffer_unordered(PREVIEW_RATE_CONCURRENCY)
                .collect()
                .await;
        if let Some(e) = answers
            .values()
            .find_map(|r| r.as_ref().err().filter(|e| stops_batch(e)))
        {
            return Err(e.clone());
        }

        let mut preview = BatchPreview {
            duration: BatchDuration {
                seconds: 0,
                allowance_wait_seconds: 0,
                message: String::new(),
            },
            lines: Vec::with_capacity(planned.len()),
            to_buy: 0,
            using_fallback: 0,
            without_weight: 0,
            total: Decimal::ZERO,
            priced: 0,
            services: Vec::new(),
            every_order_has_recommendation: true,
            paid_from: job.account.nickname.clone(),
            balance: self
                .postage
                .balance(&job.account)
                .await?
                .map(|b| b.available),
        };
        let mut services: HashMap<RateChoice, BatchServiceTotal> = HashMap::new();
        for (order, plan) in planned {
            match (&plan.blocked, plan.weight) {
                (Some(Blocked::NoWeight), _) => preview.without_weight += 1,
                (None, WeightSource::Fallback) => preview.using_fallback += 1,
                _ => {}
            }
            let answer = match (&plan.blocked, plan.package) {
                (None, Some(pkg)) => answers.get(&(zip5(&order.ship_to.zip5), pkg)).cloned(),
                _ => None,
            };
            let (rates, rates_error) = match answer {
                Some(Ok(r)) => (Some(r), None),
                Some(Err(e)) => (None, Some(e)),
                None => (None, None),
            };
            let mut quote = None;
            if plan.blocked.is_none() {
                preview.to_buy += 1;
                let recommended = rates.as_ref().and_then(|r| r.recommended.clone());
                if recommended.is_none() {
                    preview.every_order_has_recommendation = false;
                }
                let wanted = input.service.clone().or(recommended);
                quote = rates.as_ref().and_then(|r| {
                    r.quotes
                        .iter()
                        .find(|q| Some(&q.choice) == wanted.as_ref())
                        .cloned()
                });
                if let Some(price) = quote.as_ref().and_then(|q| q.price) {
                    preview.total += price;
                    preview.priced += 1;
                }
                for q in rates.iter().flat_map(|r| &r.quotes) {
                    let Some(price) = q.price else { continue };
                    let service =
                        services
                            .entry(q.choice.clone())
                            .or_insert_with(|| BatchServiceTotal {
                                choice: q.choice.clone(),
                                product_name: q.product_name.clone(),
                                description: q.description.clone(),
                                total: Decimal::ZERO,
                                priced: 0,
                            });
                    service.total += price;
                    service.priced += 1;
                }
            }
            let blocked = plan.blocked.map(|b| match b {
                Blocked::NoWeight => AppError::validation(no_weight_hold(&order).message),
                Blocked::Refused(e) => e,
            });
            preview.lines.push(BatchPreviewLine {
                order_id: order.id,
                order_number: order.order_number,
                ship_to: order.ship_to,
                weight: plan.weight,
                package: plan.package,
                blocked,
                rates,
                rates_error,
                quote,
            });
        }
        // The preview's rates are cached: buying asks USPS for none again.
        preview.duration = self
            .duration_of(&job, preview.to_buy, 0, BatchOptions::default().concurrency)
            .await?;
        preview.services = services.into_values().collect();
        preview.services.sort_by(|a, b| {
            b.priced
                .cmp(&a.priced)
                .then(a.total.cmp(&b.total))
                .then_with(|| a.product_name.cmp(&b.product_name))
        });
        Ok(preview)
    }

    /// How long buying `input` will take, without asking USPS anything: what `shipdesk labels
    /// buy` says before it starts.
    pub async fn estimate_batch(
        &self,
        input: &BatchInput,
        options: &BatchOptions,
    ) -> AppResult<BatchDuration> {
        let job = self.batch_job(input)?;
        let mut to_buy = 0;
        let mut destinations = HashSet::new();
        for &id in &input.order_ids {
            let order = self.order(id)?;
            let plan = self.plan(&job, &order);
            if plan.blocked.is_none() {
                to_buy += 1;
                destinations.insert((zip5(&order.ship_to.zip5), plan.package));
            }
        }
        // Without a service for the batch, each order's own is chosen from its rates: one
        // request per destination and package, unless the rate cache still holds it.
        let rate_requests = match &input.service {
            Some(_) => 0,
            None => destinations.len() as u32,
        };
        self.duration_of(&job, to_buy, rate_requests, options.concurrency)
            .await
    }

    async fn duration_of(
        &self,
        job: &Job<'_>,
        to_buy: u32,
        rate_requests: u32,
        concurrency: u32,
    ) -> AppResult<BatchDuration> {
        let needs = CallNeeds {
            address_checks: match job.input.addresses {
                BatchAddresses::Standardized => to_buy,
                BatchAddresses::AsEntered => 0,
            },
            rate_requests,
            labels: to_buy,
        };
        let wait = self.postage.call_wait(&job.account, needs).await?;
        Ok(batch_duration(to_buy, concurrency, wait))
    }

    /// Buys a label for each order of `input`, each at its own weight and through the address
    /// check (see the module docs). Fails as a whole only as [`Self::preview_batch`] does;
    /// otherwise every order ends up in the report.
    pub async fn buy_orders(
        &self,
        input: &BatchInput,
        options: &BatchOptions,
        progress: &(dyn Fn(BatchProgress) + Send + Sync),
        cancel: &AtomicBool,
    ) -> AppResult<BatchReport> {
        let started = Instant::now();
        let job = self.batch_job(input)?;
        let shared = Shared {
            total: input.order_ids.len() as u32,
            cancel,
            stop: Mutex::new(None),
            quota_until: Mutex::new(None),
            counts: Mutex::new((0, 0, 0)),
            progress,
        };
        shared.report(None);
        let concurrency = options.concurrency.clamp(1, 16) as usize;
        let max_wait = Duration::from_secs(options.max_quota_wait_secs);
        let (job_ref, shared_ref) = (&job, &shared);
        let outcomes: Vec<Outcome> = futures_util::stream::iter(input.order_ids.iter().copied())
            .map(|order_id| async move {
                let outcome = self
                    .batch_order(job_ref, order_id, shared_ref, max_wait)
                    .await;
                shared_ref.finish(&outcome);
                outcome
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        let mut report = BatchReport {
            input: input.clone(),
            total: shared.total,
            bought: Vec::new(),
            needs_attention: Vec::new(),
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
                Outcome::Held(h) => report.needs_attention.push(*h),
                Outcome::NotStarted(id) => report.not_started.push(id),
                Outcome::Failed(f) => match f.kind {
                    FailureKind::Validation => report.validation_problems.push(*f),
                    FailureKind::UspsRejected => report.usps_rejections.push(*f),
                    FailureKind::Connection => report.connection_problems.push(*f),
                },
            }
        }
        report.bought.sort_by_key(|s| s.id);
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// "Retry failed": the same batch again for every order not bought. Each order is planned
    /// afresh (a weight or address fixed since counts), and the journal finishes an order whose
    /// answer was lost with its first idempotency key, so nothing is bought twice.
    pub async fn retry_batch(
        &self,
        previous: &BatchReport,
        options: &BatchOptions,
        progress: &(dyn Fn(BatchProgress) + Send + Sync),
        cancel: &AtomicBool,
    ) -> AppResult<BatchReport> {
        self.buy_orders(&previous.retry_input(), options, progress, cancel)
            .await
    }

    fn batch_job<'a>(&self, input: &'a BatchInput) -> AppResult<Job<'a>> {
        let dimensions = match input.dimensions {
            Some(d) => {
                validate_dimensions(&d)?;
                d
            }
            None => self.default_dimensions()?,
        };
        if let Some(weight_oz) = input.fallback_weight_oz {
            validate_package(&Package {
                weight_oz,
                dimensions,
            })
            .map_err(|_| {
                AppError::validation(
                    "The weight for orders without one must be more than 0 and at most 70 lb",
                )
            })?;
        }
        let ship_date = input.ship_date.clone().unwrap_or_else(|| self.today());
        if !valid_date(&ship_date) {
            return Err(AppError::validation(format!(
                "Ship date \"{ship_date}\" is not a date (YYYY-MM-DD)"
            )));
        }
        Ok(Job {
            input,
            account: self.account(input.account_id)?,
            from: self.ship_from(input.ship_from_id)?,
            dimensions,
            ship_date,
        })
    }

    /// The order's package and whether it can be bought, without asking USPS.
    fn plan(&self, job: &Job<'_>, order: &Order) -> Planned {
        let (weight, weight_oz) = match (order_weight_oz(order), job.input.fallback_weight_oz) {
            (Some(own), _) => (WeightSource::Order, Some(own)),
            (None, Some(fallback)) => (WeightSource::Fallback, Some(fallback)),
            (None, None) => (WeightSource::Missing, None),
        };
        let package = weight_oz.map(|weight_oz| Package {
            weight_oz,
            dimensions: job.dimensions,
        });
        let blocked = match self.refusal(order, job.input.allow_additional_label) {
            Some(e) => Some(Blocked::Refused(e)),
            None => match &package {
                None => Some(Blocked::NoWeight),
                Some(p) => validate_package(p).err().map(Blocked::Refused),
            },
        };
        Planned {
            weight,
            package,
            blocked,
        }
    }

    /// Why a purchase would refuse the order before sending anything (cancelled, or labelled
    /// without an additional label asked for): known up front, so no USPS call is spent on it.
    fn refusal(&self, order: &Order, allow_additional_label: bool) -> Option<AppError> {
        if let Err(e) = refuse_international(&order.order_number, &order.ship_to) {
            return Some(e);
        }
        match order.status {
            OrderStatus::Cancelled => Some(AppError::validation(format!(
                "Order {} is cancelled",
                order.order_number
            ))),
            OrderStatus::Shipped if !allow_additional_label => {
                let label = match self.shipments.active_label(order.id) {
                    Ok(label) => label,
                    Err(e) => return Some(e),
                };
                let why = match &label {
                    Some(l) => format!("already has label {}", l.tracking_number),
                    None => "is already marked shipped".to_owned(),
                };
                Some(
                    AppError::conflict(format!(
                        "Order {} {why}. Void it first, or ask for an additional label.",
                        order.order_number
                    ))
                    .with_details(ErrorDetails::AlreadyShipped {
                        order_id: order.id,
                        shipment_id: label.as_ref().map(|l| l.shipment_id),
                        tracking_number: label.map(|l| l.tracking_number),
                    }),
                )
            }
            _ => None,
        }
    }

    async fn batch_order(
        &self,
        job: &Job<'_>,
        order_id: i64,
        shared: &Shared<'_>,
        max_wait: Duration,
    ) -> Outcome {
        let order = match self.order(order_id) {
            Ok(o) => o,
            Err(e) => return failed(order_id, None, None, e),
        };
        let plan = self.plan(job, &order);
        match (plan.blocked, plan.package) {
            (Some(Blocked::NoWeight), _) | (None, None) => {
                Outcome::Held(Box::new(no_weight_hold(&order)))
            }
            (Some(Blocked::Refused(e)), _) => failed(order.id, Some(&order), None, e),
            (None, Some(package)) => self.batch_one(job, &order, package, shared, max_wait).await,
        }
    }

    async fn batch_one(
        &self,
        job: &Job<'_>,
        order: &Order,
        package: Package,
        shared: &Shared<'_>,
        max_wait: Duration,
    ) -> Outcome {
        let mut steps = Steps {
            ship_to: None,
            rate: job.input.service.clone(),
        };
        let mut quota_waits = 0;
        loop {
            if shared.halted() || !shared.wait_for_quota().await {
                return Outcome::NotStarted(order.id);
            }
            self.say_allowance_wait(job, &steps, shared).await;
            let (request, e) = match self.order_steps(job, order, package, &mut steps).await {
                Ok(outcome) => return outcome,
                Err(failure) => failure,
            };
            if let Some(wait) = retry_after(&e)
                && quota_waits < MAX_QUOTA_WAITS
                && wait <= max_wait
            {
                quota_waits += 1;
                shared.pause_for_quota(wait);
                continue;
            }
            if stops_batch(&e) || e.code == ErrorCode::UspsQuotaExceeded {
                shared.stop_with(&e);
            }
            return failed(order.id, Some(order), request, e);
        }
    }

    /// Tells the batch's progress when this order's next calls wait for the hourly allowance
    /// (the client holds them until the allowance lets them leave).
    async fn say_allowance_wait(&self, job: &Job<'_>, steps: &Steps, shared: &Shared<'_>) {
        let checks_address =
            steps.ship_to.is_none() && job.input.addresses == BatchAddresses::Standardized;
        let needs = CallNeeds {
            address_checks: u32::from(checks_address),
            rate_requests: u32::from(steps.rate.is_none()),
            labels: 1,
        };
        if let Ok(wait) = self.postage.call_wait(&job.account, needs).await
            && wait.wait >= Duration::from_secs(1)
        {
            shared.report_allowance_wait(wait.wait);
        }
    }

    /// The address check, the service, then the purchase, each as a single Buy does them.
    async fn order_steps(
        &self,
        job: &Job<'_>,
        order: &Order,
        package: Package,
        steps: &mut Steps,
    ) -> Result<Outcome, (Option<PurchaseRequest>, AppError)> {
        let ship_to = match &steps.ship_to {
            Some(choice) => choice.clone(),
            None => {
                let choice = match job.input.addresses {
                    BatchAddresses::AsEntered => ShipToChoice::AsEntered,
                    BatchAddresses::Standardized => {
                        let check = self
                            .postage
                            .check_address(&job.account, &order.ship_to)
                            .await
                            .map_err(|e| (None, e))?;
                        match recognised(&check) {
                            _ if check.deliverable == Deliverable::NotChecked => {
                                ShipToChoice::AsEntered
                            }
                            Some(address) => ShipToChoice::Standardized {
                                address: Box::new(address),
                            },
                            None => return Ok(Outcome::Held(Box::new(address_hold(order, check)))),
                        }
                    }
                };
                steps.ship_to = Some(choice.clone());
                choice
            }
        };
        let rate = match &steps.rate {
            Some(rate) => rate.clone(),
            None => {
                let to = match &ship_to {
                    ShipToChoice::AsEntered => &order.ship_to,
                    ShipToChoice::Standardized { address } => address,
                };
                let answer = self
                    .rates(
                        Some(job.account.id),
                        &job.from.address.zip5,
                        &to.zip5,
                        &package,
                        Some(&job.ship_date),
                    )
                    .await
                    .map_err(|e| (None, e))?;
                let rate = answer.recommended.ok_or_else(|| {
                    (
                        None,
                        AppError::validation(format!(
                            "No USPS service is a safe default for order {}'s package; choose \
                             one service for the batch",
                            order.order_number
                        )),
                    )
                })?;
                steps.rate = Some(rate.clone());
                rate
            }
        };
        let request = PurchaseRequest {
            order_id: order.id,
            account_id: Some(job.account.id),
            rate,
            package,
            ship_from_id: Some(job.from.id),
            ship_date: Some(job.ship_date.clone()),
            ship_to,
            ignore_bad_address: job.input.addresses == BatchAddresses::AsEntered,
            allow_additional_label: job.input.allow_additional_label
                && order.status == OrderStatus::Shipped,
            customs: None,
        };
        match self.buy_label(request.clone()).await {
            Ok(outcome) => Ok(Outcome::Bought(Box::new(outcome.shipment))),
            Err(e) => Err((Some(request), e)),
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

/// The estimate [`BatchPreview::duration`] shows: `to_buy` orders, `concurrency` at a time, with
/// the calls' wait for the hourly allowance.
fn batch_duration(to_buy: u32, concurrency: u32, wait: CallWait) -> BatchDuration {
    let rounds = to_buy.div_ceil(concurrency.max(1));
    let working = TYPICAL_CALL * CALLS_PER_ORDER * rounds;
    let total = working.max(wait.wait + TYPICAL_CALL * CALLS_PER_ORDER);
    let message = if to_buy == 0 {
        "Nothing to buy.".to_owned()
    } else if wait.wait.is_zero() {
        format!("About {}.", spoken_duration(total))
    } else {
        let limit = match (wait.calls_per_hour, wait.limited_by) {
            (Some(n), Some(calls)) => format!("USPS allows this account's app {n} {calls} an hour"),
            _ => "USPS's hourly allowance for this account's app is spent".to_owned(),
        };
        format!(
            "About {}: {limit}, so the batch waits about {} for it instead of being refused. \
             Keep Shipdesk open until it is done.",
            spoken_duration(total),
            spoken_duration(wait.wait)
        )
    };
    BatchDuration {
        seconds: total.as_secs(),
        allowance_wait_seconds: wait.wait.as_secs(),
        message,
    }
}

/// "40 s", "3 min", "1 h 5 min".
fn spoken_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 60 {
        return format!("{} s", secs.max(1));
    }
    let minutes = secs.div_ceil(60);
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod duration_tests {
    use super::*;

    fn wait(secs: u64, per_hour: u32) -> CallWait {
        CallWait {
            wait: Duration::from_secs(secs),
            limited_by: (secs > 0).then_some("label requests"),
            calls_per_hour: Some(per_hour),
        }
    }

    #[test]
    fn a_batch_within_the_allowance_takes_its_calls_time() {
        let d = batch_duration(40, 4, wait(0, 60));
        assert_eq!(d.seconds, 24);
        assert_eq!(d.allowance_wait_seconds, 0);
        assert_eq!(d.message, "About 24 s.");
        assert_eq!(batch_duration(0, 4, wait(0, 60)).message, "Nothing to buy.");
    }

    #[test]
    fn a_batch_beyond_the_allowance_says_how_long_it_waits_and_why() {
        let d = batch_duration(100, 4, wait(3605, 60));
        assert_eq!(d.allowance_wait_seconds, 3605);
        assert_eq!(d.seconds, 3607);
        assert_eq!(
            d.message,
            "About 1 h 1 min: USPS allows this account's app 60 label requests an hour, so the \
             batch waits about 1 h 1 min for it instead of being refused. Keep Shipdesk open \
             until it is done."
        );
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(spoken_duration(Duration::from_millis(200)), "1 s");
        assert_eq!(spoken_duration(Duration::from_secs(59)), "59 s");
        assert_eq!(spoken_duration(Duration::from_secs(61)), "2 min");
        assert_eq!(spoken_duration(Duration::from_secs(3600)), "1 h");
        assert_eq!(spoken_duration(Duration::from_secs(3905)), "1 h 6 min");
    }
}
