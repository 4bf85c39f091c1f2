//! The IPC types of buying and after: purchase requests and outcomes, batches, shipments, SCAN
//! forms and pickups.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::batch::{BatchHold, BatchInput};
use super::model::{Package, PickupPackageCount, RateChoice, ShipToChoice};
use crate::error::AppError;
use crate::orders::Address;

/// "Buy a label for this order".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PurchaseRequest {
    #[ts(type = "number")]
    pub order_id: i64,
    /// The USPS account that pays; the default account when absent.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub account_id: Option<i64>,
    pub rate: RateChoice,
    pub package: Package,
    /// The saved ship-from address; the default one when absent.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub ship_from_id: Option<i64>,
    /// `YYYY-MM-DD`; today when absent.
    #[serde(default)]
    #[ts(optional)]
    pub ship_date: Option<String>,
    #[serde(default)]
    pub ship_to: ShipToChoice,
    /// The user saw the address flagged and insists: USPS is told to print it anyway.
    #[serde(default)]
    pub ignore_bad_address: bool,
    /// Buy even though the order already has a label (a second package, a replacement).
    #[serde(default)]
    pub allow_additional_label: bool,
    /// The customs declaration, for a package abroad (required there, ignored at home).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub customs: Option<crate::postage::customs::CustomsDeclaration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ShipmentStatus {
    LabelCreated,
    /// Canceled at USPS before it was manifested: no charge.
    Voided,
    /// Canceled after USPS manifested it: a refund request (dispute) is open.
    RefundRequested,
    InTransit,
    Delivered,
}

impl ShipmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ShipmentStatus::LabelCreated => "label_created",
            ShipmentStatus::Voided => "voided",
            ShipmentStatus::RefundRequested => "refund_requested",
            ShipmentStatus::InTransit => "in_transit",
            ShipmentStatus::Delivered => "delivered",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "label_created" => ShipmentStatus::LabelCreated,
            "voided" => ShipmentStatus::Voided,
            "refund_requested" => ShipmentStatus::RefundRequested,
            "in_transit" => ShipmentStatus::InTransit,
            "delivered" => ShipmentStatus::Delivered,
            _ => return None,
        })
    }

    /// A label that still counts as the order's label (not voided or refunded).
    pub fn is_active(self) -> bool {
        !matches!(
            self,
            ShipmentStatus::Voided | ShipmentStatus::RefundRequested
        )
    }
}

/// One bought label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Shipment {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_number: String,
    #[ts(type = "number")]
    pub account_id: i64,
    pub tracking_number: String,
    pub mail_class: String,
    /// e.g. "Priority Mail".
    pub service_name: String,
    /// What USPS charged: postage plus extra services and fees.
    #[ts(type = "string")]
    pub postage: Decimal,
    pub zone: Option<String>,
    /// USPS's delivery commitment on the label, e.g. "2 Days".
    pub commitment: Option<String>,
    pub mailing_date: String,
    #[ts(type = "string")]
    pub weight_oz: Decimal,
    #[ts(type = "number | null")]
    pub ship_from_id: Option<i64>,
    pub ship_from: Address,
    pub ship_to: Address,
    /// `as_entered` or `standardized`: which address the user chose to print.
    pub address_choice: String,
    pub status: ShipmentStatus,
    /// USPS's refund request id when a manifested label was voided.
    pub dispute_id: Option<String>,
    pub printed: bool,
    pub printed_at: Option<String>,
    #[ts(type = "number | null")]
    pub scan_form_id: Option<i64>,
    /// Sandbox labels are samples, not postage.
    pub sample: bool,
    /// The last tracking summary USPS gave.
    pub tracking_status: Option<String>,
    pub tracking_checked_at: Option<String>,
    pub created_at: String,
    /// A void of this label was started and its outcome is not recorded yet (sent without an
    /// answer, or the answer could not be stored): USPS may already have canceled it, so it is
    /// not printed; voiding it again (or the next start) finishes it.
    #[serde(default)]
    pub void_pending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PurchaseOutcome {
    pub shipment: Shipment,
    /// True when an earlier unfinished attempt for this order was completed (same idempotency
    /// key) instead of starting a new one; the request's service/package were then those of
    /// the earlier attempt.
    pub resumed_earlier_attempt: bool,
}

/// Where a batch stands, for "12 of 40".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchProgress {
    pub done: u32,
    pub total: u32,
    pub bought: u32,
    pub failed: u32,
    /// Seconds the batch is pausing because USPS said the quota is used up (Retry-After).
    #[ts(type = "number | null")]
    pub waiting_for_quota_secs: Option<u64>,
    /// e.g. "12 of 40".
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FailureKind {
    /// Shipdesk refused before asking USPS (missing data, already has a label, ...).
    Validation,
    /// USPS refused the request's content (USPS_REJECTED): fix the order or package.
    UspsRejected,
    /// Could not talk to USPS or the connection needs attention (reconnect, quota, outage,
    /// outcome unknown); retrying later is safe and reuses the same idempotency key.
    Connection,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchFailure {
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_number: Option<String>,
    /// The purchase that was tried; `None` when the order failed before one was made (its
    /// address check or its rates could not be had).
    pub request: Option<PurchaseRequest>,
    pub kind: FailureKind,
    pub error: AppError,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchReport {
    /// What the batch was asked to do ("Retry failed" asks it again for the orders not bought).
    pub input: BatchInput,
    pub total: u32,
    pub bought: Vec<Shipment>,
    /// Orders held back before anything was bought: no weight, or an address USPS does not
    /// recognise. Nothing was sent for them.
    pub needs_attention: Vec<BatchHold>,
    pub validation_problems: Vec<BatchFailure>,
    pub usps_rejections: Vec<BatchFailure>,
    pub connection_problems: Vec<BatchFailure>,
    /// Orders never started because the batch was cancelled or stopped early.
    #[ts(type = "number[]")]
    pub not_started: Vec<i64>,
    pub cancelled: bool,
    /// Why the batch stopped early (reconnect needed, not entitled, ...).
    pub stopped_because: Option<AppError>,
    pub seconds: f64,
}

impl BatchReport {
    /// What "Retry failed" asks for: the same batch for every order not bought. Validation
    /// problems, USPS rejections and held-back orders come back the same until the order is
    /// fixed, but are included so a fixed order is bought too; an order whose purchase is still
    /// open is finished with its first idempotency key, never bought twice.
    pub fn retry_input(&self) -> BatchInput {
        let order_ids = self
            .needs_attention
            .iter()
            .map(|h| h.order_id)
            .chain(
                self.validation_problems
                    .iter()
                    .chain(&self.usps_rejections)
                    .chain(&self.connection_problems)
                    .map(|f| f.order_id),
            )
            .chain(self.not_started.iter().copied())
            .collect();
        BatchInput {
            order_ids,
            ..self.input.clone()
        }
    }
}

/// What start-up reconciliation did with attempts a previous run left unfinished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReconcileReport {
    /// Labels USPS had made (or made now) for unfinished attempts, now stored.
    pub recovered: Vec<Shipment>,
    /// Attempts USPS rejected: closed as failed, nothing was charged.
    #[ts(type = "number[]")]
    pub failed_attempts: Vec<i64>,
    /// Attempts still unresolved (USPS unreachable, or its answer did not settle them); they
    /// stay open under Purchases to check.
    pub still_open: Vec<OpenAttempt>,
    /// Attempts another running Shipdesk (a second window, the CLI) is buying right now: left
    /// to it.
    #[ts(type = "number[]")]
    pub in_progress_elsewhere: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OpenAttempt {
    #[ts(type = "number")]
    pub attempt_id: i64,
    #[ts(type = "number")]
    pub order_id: i64,
    pub error: AppError,
}

/// A purchase whose outcome is not settled: sent (maybe charged) with no label stored, or
/// never sent. Listed under Shipments › Purchases to check, and by `shipdesk purchases list`,
/// with two ways out: check again (re-send with the same key: USPS returns the label it made,
/// or makes it) and discard (USPS first cancels whatever the key made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PurchaseToCheck {
    #[ts(type = "number")]
    pub attempt_id: i64,
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_number: String,
    #[ts(type = "number")]
    pub account_id: i64,
    /// The account's nickname (kept after the account is removed).
    pub account_name: String,
    pub mail_class: String,
    /// How many times the request went out; 0: USPS never saw it, nothing can be charged.
    #[ts(type = "number")]
    pub sends: i64,
    pub created_at: String,
    /// When the request last went out.
    pub sent_at: Option<String>,
    /// What the last try ended with (`USPS_UNAVAILABLE`, `PURCHASE_OUTCOME_UNKNOWN`, ...).
    pub last_error_code: Option<String>,
    pub last_error: Option<String>,
    /// Another running Shipdesk is sending it right now: wait for it.
    pub in_progress: bool,
}

/// What discarding an unfinished purchase did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiscardOutcome {
    #[ts(type = "number")]
    pub attempt_id: i64,
    #[ts(type = "number")]
    pub order_id: i64,
    /// The label USPS had made for the attempt and has now canceled (or refunds).
    pub canceled_label: Option<String>,
    pub message: String,
}

/// Result of voiding a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoidOutcome {
    pub shipment: Shipment,
    /// USPS's answer: `CANCELED` or `DISPUTED`.
    pub usps_status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShipmentQuery {
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<ShipmentStatus>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub order_id: Option<i64>,
    /// `YYYY-MM-DD`: labels with this mailing date.
    #[serde(default)]
    #[ts(optional)]
    pub mailing_date: Option<String>,
    /// Words that must each appear in the tracking number, the order number, or the
    /// recipient's name, company, city or ZIP (case-insensitive).
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub offset: Option<u32>,
    /// Default 200, at most 1000.
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// A stored End of Day SCAN form (PS Form 5630).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScanFormRecord {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub account_id: i64,
    #[ts(type = "number | null")]
    pub ship_from_id: Option<i64>,
    /// USPS's Electronic File Number.
    pub manifest_number: String,
    pub mailing_date: String,
    pub label_count: u32,
    pub tracking_numbers: Vec<String>,
    pub created_at: String,
}

/// Package counts and weight for a pickup, prefilled from today's active labels at the address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PickupPrefill {
    #[ts(type = "number")]
    pub ship_from_id: i64,
    pub pickup_date: String,
    pub packages: Vec<PickupPackageCount>,
    #[ts(type = "string")]
    pub estimated_weight_lb: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PickupInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub account_id: Option<i64>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub ship_from_id: Option<i64>,
    /// `YYYY-MM-DD` (Monday to Saturday).
    pub pickup_date: String,
    pub packages: Vec<PickupPackageCount>,
    #[ts(type = "string")]
    pub estimated_weight_lb: Decimal,
    /// FRONT_DOOR, BACK_DOOR, SIDE_DOOR, KNOCK_ON_DOOR, MAIL_ROOM, OFFICE, PORCH, RECEPTION,
    /// MAILBOX or OTHER (then `special_instructions` is required).
    pub package_location: String,
    #[serde(default)]
    #[ts(optional)]
    pub special_instructions: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PickupStatus {
    Scheduled,
    Canceled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Pickup {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub account_id: i64,
    #[ts(type = "number | null")]
    pub ship_from_id: Option<i64>,
    pub confirmation_number: String,
    pub pickup_date: String,
    pub package_count: u32,
    #[ts(type = "string")]
    pub estimated_weight_lb: Decimal,
    pub package_location: String,
    pub status: PickupStatus,
    pub created_at: String,
}

/// A label preview the webview can show (it cannot show a PDF inline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum LabelPreview {
    /// An SVG document (Shipdesk-drawn sandbox labels).
    Svg { svg: String },
    /// A PNG of USPS's own label PDF, base64.
    Png { base64: String },
}
