//! The labels of a report as CSV, safe to open in a spreadsheet.

use super::ReportLabel;
use crate::error::{AppError, AppResult};
use crate::shipping::ShipmentStatus;

const HEADER: [&str; 9] = [
    "Bought at (UTC)",
    "Order",
    "Tracking number",
    "Service",
    "Postage (USD)",
    "Status",
    "USPS dispute",
    "Void result",
    "Sample",
];

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return before one) is prefixed with `'`, which spreadsheets show as text. Order numbers and
/// names come from marketplace files, so a crafted one must not become a formula on the
/// bookkeeper's machine.
pub(crate) fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn status_word(status: ShipmentStatus) -> &'static str {
    match status {
        ShipmentStatus::LabelCreated => "Label created",
        ShipmentStatus::Voided => "Voided (not charged)",
        ShipmentStatus::RefundRequested => "Refund requested",
        ShipmentStatus::InTransit => "In transit",
        ShipmentStatus::Delivered => "Delivered",
    }
}

pub(super) fn labels_csv(labels: &[(time::Date, ReportLabel)]) -> AppResult<String> {
    let failed = |e: &dyn std::fmt::Display| AppError::internal("Could not write the CSV", e);
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(HEADER).map_err(|e| failed(&e))?;
    for (_, label) in labels {
        let postage = format!("{:.2}", label.postage);
        let record = [
            label.created_at.as_str(),
            &label.order_number,
            &label.tracking_number,
            &label.service_name,
            &postage,
            status_word(label.status),
            label.dispute_id.as_deref().unwrap_or(""),
            label.void_status.as_deref().unwrap_or(""),
            if label.sample { "yes" } else { "no" },
        ];
        out.write_record(record.iter().map(|cell| neutralised(cell).into_owned()))
            .map_err(|e| failed(&e))?;
    }
    let bytes = out.into_inner().map_err(|e| failed(&e))?;
    String::from_utf8(bytes).map_err(|e| failed(&e))
}
