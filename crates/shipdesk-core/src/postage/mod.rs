//! The postage-provider seam: everything shipping needs from whoever sells the postage.
//!
//! Shipping (orders → labels → End of Day) is the same whether postage is paid through a USPS
//! business account directly, through a prepaid postage account, or through another carrier.
//! What differs — the wire protocol, the request shapes, how failures are classified and what
//! they do to the account's connection — lives behind [`PostageProvider`]. `carriers` owns the
//! accounts and implements it (USPS-direct today, see `carriers::usps_postage`); shipping
//! depends only on this module, so neither knows the other and the dependency graph stays
//! `desk → {shipping, carriers} → postage`.
//!
//! Every method answers in the app's own types and [`AppError`]s: a provider has already
//! classified its failure (and updated the account's connection state) before shipping sees it.

pub mod customs;
pub mod model;

use std::future::Future;
use std::pin::Pin;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::environment::Environment;
use crate::error::{AppError, AppResult};
use crate::orders::Address;
use model::{AddressCheck, Package, PickupEligibility, PickupPackageCount, RateChoice, RateQuote};

/// Row id of a carrier account.
pub type AccountId = i64;

/// A provider call in flight. Boxed so the trait stays object-safe (`Arc<dyn PostageProvider>`).
pub type ProviderFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What shipping needs to know about the account that pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub id: AccountId,
    pub nickname: String,
    pub environment: Environment,
    /// The payment account contract prices are looked up against, when there is one.
    pub eps_account: Option<String>,
    /// Whether the account holds a contract (NSA): its labels are charged its contract prices,
    /// and "You pay" is the contract price where it has one.
    pub has_contract: bool,
    /// Who is paid for the postage.
    pub payer: Payer,
}

/// How an account pays for postage: each way is one [`PostageProvider`] implementation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payer {
    /// A USPS business account, billed through its Enterprise Payment Account.
    UspsDirect,
    /// An Endicia prepaid postage account: labels are paid from its balance.
    Endicia { account_number: String },
}

impl Payer {
    /// Who sells the label, as the user knows it.
    pub fn seller(&self) -> &'static str {
        match self {
            Payer::UspsDirect => "USPS",
            Payer::Endicia { .. } => "Endicia",
        }
    }
}

impl AccountSummary {
    /// Sandbox labels come from the simulator: samples, drawn by Shipdesk's own renderer.
    pub fn is_sandbox(&self) -> bool {
        self.environment == Environment::Sandbox
    }
}

/// Prices for one package from a ZIP Code to a destination on one mailing date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateRequest {
    pub origin_zip: String,
    /// ISO 3166-1 alpha-2; `US` for a domestic package (territories and military included).
    pub destination_country: String,
    /// The ZIP Code at home; the postal code as written abroad (may be empty).
    pub destination_zip: String,
    pub package: Package,
    /// YYYY-MM-DD.
    pub mailing_date: String,
}

/// A provider's prices: one row per service, cheapest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricesFound {
    pub quotes: Vec<RateQuote>,
    /// Whether contract prices were asked for.
    pub contract_requested: bool,
    /// Why contract prices are missing although they were asked for.
    pub contract_unavailable: Option<String>,
    /// Whether the account's labels are charged its contract prices: "You pay" is then the
    /// contract price of each service USPS quoted one for.
    pub contract_prices: bool,
}

impl RateRequest {
    pub fn is_international(&self) -> bool {
        self.destination_country != "US"
    }
}

/// Everything a label needs, in the app's terms.
#[derive(Debug, Clone, Copy)]
pub struct LabelOrder<'a> {
    pub from: &'a Address,
    pub to: &'a Address,
    /// The customs declaration of a package abroad (already checked: `customs::validated`).
    pub customs: Option<&'a customs::CustomsDeclaration>,
    pub package: &'a Package,
    pub rate: &'a RateChoice,
    /// YYYY-MM-DD.
    pub mailing_date: &'a str,
    /// Print even when the provider doubts the recipient address.
    pub ignore_bad_address: bool,
}

/// The exact request a provider will send for a label, as the provider encodes it. The
/// purchase journal stores it before anything is sent and re-sends it byte for byte with the
/// same idempotency key, so a repeat can never become a different purchase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabelPayload(pub serde_json::Value);

/// A label the provider sold.
#[derive(Debug, Clone)]
pub struct BoughtLabel {
    pub tracking_number: String,
    pub mail_class: String,
    pub rate_indicator: Option<String>,
    /// The service as users know it, e.g. "Priority Mail".
    pub service_name: String,
    /// What the label cost.
    pub postage: Decimal,
    pub zone: Option<String>,
    /// Delivery commitment, when the provider gives one.
    pub commitment: Option<String>,
    /// YYYY-MM-DD.
    pub mailing_date: String,
    /// The provider's label document, when it sent one.
    pub label_bytes: Option<Vec<u8>>,
    pub label_content_type: Option<String>,
    /// The provider's label metadata as it sent it, kept for support and reprints.
    pub metadata_json: String,
    /// A sample from a sandbox, not postage.
    pub sample: bool,
}

/// A label document as the provider sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelDocument {
    pub bytes: Vec<u8>,
    /// e.g. `application/pdf`.
    pub content_type: String,
}

/// What is known about a label request that did not bring a label back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendOutcome {
    /// The provider refused the request outright: nothing was charged.
    Refused,
    /// The provider may have made (and charged) the label: the attempt must stay open and be
    /// re-sent with its key.
    Unknown,
}

/// A label request that brought no label back.
#[derive(Debug, Clone)]
pub struct PurchaseFailure {
    pub error: AppError,
    pub outcome: SendOutcome,
}

/// What cancelling by idempotency key found: whatever label the key may have produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCancel {
    /// The key never produced a label.
    NeverMade,
    /// A label existed and is canceled (no charge).
    Canceled { tracking_number: String },
    /// A label existed and was already in the mail stream: a refund was requested.
    RefundRequested {
        tracking_number: String,
        dispute_id: Option<String>,
    },
    /// The provider cannot tell whether the key made a label (it finds no label by key): what
    /// the user should check with the provider.
    Unknown { advice: String },
}

/// How a void ended at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoidResult {
    /// Canceled before it was used: no charge.
    Canceled,
    /// Too late to cancel: a refund request was filed.
    RefundRequested { dispute_id: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoidAnswer {
    pub result: VoidResult,
    /// The provider's own word for it (USPS: `CANCELED`, `DISPUTED`), shown to the user.
    pub provider_status: String,
}

/// One End of Day form for labels mailed from one address.
#[derive(Debug, Clone)]
pub struct ScanFormOrder<'a> {
    pub from: &'a Address,
    /// YYYY-MM-DD.
    pub mailing_date: &'a str,
    pub tracking_numbers: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ScanFormMade {
    /// The form's number (USPS: the Electronic File Number).
    pub manifest_number: String,
    /// The labels the provider put on the form; empty means all of those asked for.
    pub tracking_numbers: Vec<String>,
    /// The provider's form image, when it sent one.
    pub pdf: Option<Vec<u8>>,
}

/// A carrier pickup to book.
#[derive(Debug, Clone)]
pub struct PickupOrder<'a> {
    pub at: &'a Address,
    /// YYYY-MM-DD.
    pub pickup_date: &'a str,
    pub packages: &'a [PickupPackageCount],
    pub estimated_weight_lb: Decimal,
    /// Where the packages wait, e.g. `FRONT_DOOR`.
    pub package_location: &'a str,
    pub special_instructions: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct PickupBooked {
    pub confirmation_number: String,
    pub pickup_date: Option<String>,
    /// The version tag a later cancel must quote, when the provider uses one.
    pub etag: Option<String>,
}

/// What tracking says so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingAnswer {
    pub progress: Option<TrackingProgress>,
    /// One line for the user (latest event or status).
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackingProgress {
    InTransit,
    Delivered,
}

/// A prepaid postage balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostageBalance {
    pub available: Decimal,
}

/// The calls a run of work will make, by kind, to forecast its wait for hourly allowances.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallNeeds {
    pub address_checks: u32,
    pub rate_requests: u32,
    pub labels: u32,
}

/// How long calls will wait for the hourly allowance of the account's app before the last of
/// them may leave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallWait {
    pub wait: std::time::Duration,
    /// The calls whose allowance sets the wait, in words ("label requests"), when there is one.
    pub limited_by: Option<&'static str>,
    /// The allowance the calls are paced to; `None` when they are not paced.
    pub calls_per_hour: Option<u32>,
}

/// Whoever sells the postage. One implementation per way of paying; every call takes the
/// account it is for, and failures come back already classified.
pub trait PostageProvider: Send + Sync {
    /// The account used when none is named; a VALIDATION error telling the user to add one.
    fn default_account(&self) -> AppResult<AccountSummary>;
    fn account(&self, id: AccountId) -> AppResult<AccountSummary>;

    /// Standardizes an address and says whether it is deliverable. A "no such address" is an
    /// answer (in the check), not an error.
    fn check_address<'a>(
        &'a self,
        account: &'a AccountSummary,
        address: &'a Address,
    ) -> ProviderFuture<'a, AppResult<AddressCheck>>;

    fn rates<'a>(
        &'a self,
        account: &'a AccountSummary,
        request: &'a RateRequest,
    ) -> ProviderFuture<'a, AppResult<PricesFound>>;

    /// Encodes a label request; nothing is sent.
    fn label_payload(
        &self,
        account: &AccountSummary,
        order: &LabelOrder<'_>,
    ) -> AppResult<LabelPayload>;

    /// Everything a purchase needs before the request may leave (credentials, a session).
    /// Failing here proves nothing was sent.
    fn prepare_purchase<'a>(
        &'a self,
        account: &'a AccountSummary,
    ) -> ProviderFuture<'a, AppResult<()>>;

    /// Sends (or re-sends) a label request under its idempotency key: the same key and payload
    /// return the same label without a second charge.
    fn buy_label<'a>(
        &'a self,
        account: &'a AccountSummary,
        payload: &'a LabelPayload,
        idempotency_key: &'a str,
    ) -> ProviderFuture<'a, Result<BoughtLabel, PurchaseFailure>>;

    /// Cancels whatever label `idempotency_key` may have produced.
    fn cancel_by_key<'a>(
        &'a self,
        account: &'a AccountSummary,
        idempotency_key: &'a str,
    ) -> ProviderFuture<'a, AppResult<KeyCancel>>;

    fn void_label<'a>(
        &'a self,
        account: &'a AccountSummary,
        tracking_number: &'a str,
    ) -> ProviderFuture<'a, AppResult<VoidAnswer>>;

    /// The label's document again, from the provider (providers limit how often).
    fn reprint_label<'a>(
        &'a self,
        account: &'a AccountSummary,
        tracking_number: &'a str,
    ) -> ProviderFuture<'a, AppResult<LabelDocument>>;

    fn track<'a>(
        &'a self,
        account: &'a AccountSummary,
        tracking_number: &'a str,
    ) -> ProviderFuture<'a, AppResult<TrackingAnswer>>;

    fn create_scan_form<'a>(
        &'a self,
        account: &'a AccountSummary,
        order: &'a ScanFormOrder<'a>,
    ) -> ProviderFuture<'a, AppResult<ScanFormMade>>;

    fn pickup_eligibility<'a>(
        &'a self,
        account: &'a AccountSummary,
        at: &'a Address,
    ) -> ProviderFuture<'a, AppResult<PickupEligibility>>;

    fn schedule_pickup<'a>(
        &'a self,
        account: &'a AccountSummary,
        order: &'a PickupOrder<'a>,
    ) -> ProviderFuture<'a, AppResult<PickupBooked>>;

    /// Cancels a pickup; `etag` is the tag the booking answered with, if stored.
    fn cancel_pickup<'a>(
        &'a self,
        account: &'a AccountSummary,
        confirmation_number: &'a str,
        etag: Option<&'a str>,
    ) -> ProviderFuture<'a, AppResult<()>>;

    /// The prepaid balance, for providers that keep one; `None` when postage is billed to an
    /// account instead (USPS Enterprise Payment Accounts have no balance to show).
    fn balance<'a>(
        &'a self,
        account: &'a AccountSummary,
    ) -> ProviderFuture<'a, AppResult<Option<PostageBalance>>>;

    /// How long `needs` would wait for the hourly allowances of the account's app before the
    /// last of them may leave (nothing is sent): calls are held, never refused, within them.
    fn call_wait<'a>(
        &'a self,
        account: &'a AccountSummary,
        needs: CallNeeds,
    ) -> ProviderFuture<'a, AppResult<CallWait>>;
}
