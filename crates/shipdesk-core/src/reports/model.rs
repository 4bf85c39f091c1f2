//! The IPC types of the Reports page: what is asked (a date range and a period) and the report.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How the spend chart groups days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportPeriod {
    Day,
    /// Weeks start on Sunday, as on a US calendar.
    Week,
    Month,
}

/// "Labels bought from `from` to `to`", both `YYYY-MM-DD` days where the desk is, inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportQuery {
    pub from: String,
    pub to: String,
    pub period: ReportPeriod,
}

/// The desk's postage and labels over a range of days, by the day each label was bought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Report {
    pub from: String,
    pub to: String,
    pub period: ReportPeriod,
    pub totals: ReportTotals,
    /// Postage per period, every period of the range (a quiet one is zero).
    pub spend: Vec<PeriodSpend>,
    /// Labels bought each day of the range (a quiet day is zero).
    pub labels_per_day: Vec<DayLabels>,
    /// Postage per service, the most spent first.
    pub services: Vec<ServiceSpend>,
    /// Every label of the range that was voided or is being voided, the newest first.
    pub voids: Vec<VoidLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportTotals {
    /// Labels that cost postage: every label bought except those canceled before USPS
    /// manifested them (a label with a refund requested is charged until USPS refunds it).
    pub labels: u32,
    #[ts(type = "string")]
    pub postage: Decimal,
    /// Orders those labels went to.
    pub orders: u32,
    /// `postage / orders`, to the cent; none without orders.
    #[ts(type = "string | null")]
    pub average_per_order: Option<Decimal>,
    /// Labels canceled before USPS manifested them: never charged.
    pub voided: u32,
    #[ts(type = "string")]
    pub voided_postage: Decimal,
    /// Labels whose refund is requested and not yet settled: USPS (or the account's seller)
    /// decides, and the money comes back only then.
    pub refunds_pending: u32,
    #[ts(type = "string")]
    pub refunds_pending_postage: Decimal,
    /// Sandbox labels among them: samples, no postage was charged for them.
    pub samples: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PeriodSpend {
    /// The period's first day, `YYYY-MM-DD`.
    pub start: String,
    /// How the chart names it: "Dec 2", "Week of Nov 29", "December 2026".
    pub label: String,
    pub labels: u32,
    #[ts(type = "string")]
    pub postage: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DayLabels {
    pub day: String,
    /// Labels bought that day and still postage.
    pub labels: u32,
    /// Labels bought that day and voided since.
    pub voided: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServiceSpend {
    pub service_name: String,
    pub labels: u32,
    #[ts(type = "string")]
    pub postage: Decimal,
}

/// Where the void of a label stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VoidState {
    /// Canceled before USPS manifested it: not charged.
    Canceled,
    /// A refund is requested (a USPS dispute, or the account seller's refund).
    RefundPending,
    /// A void was sent and its answer is not recorded yet.
    InProgress,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoidLine {
    #[ts(type = "number")]
    pub shipment_id: i64,
    pub order_number: String,
    pub tracking_number: String,
    pub service_name: String,
    #[ts(type = "string")]
    pub postage: Decimal,
    /// The day the label was bought, `YYYY-MM-DD`.
    pub bought_on: String,
    pub state: VoidState,
    pub dispute_id: Option<String>,
    /// The seller's own word for the result (`CANCELED`, `DISPUTED`, "Refund approved"…).
    pub provider_status: Option<String>,
}
