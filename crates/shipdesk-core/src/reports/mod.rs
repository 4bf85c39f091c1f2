//! Reports: what the desk spent on postage and shipped over a range of days — spend per day,
//! week or month and per service, labels per day, voids and the refunds still pending, the
//! average cost per order — and the same labels as a CSV file for the bookkeeper.
//!
//! A label counts on the day it was bought where the desk is (the desk's UTC offset), which is
//! when its postage was charged. The store hands over the labels of the range, a day wider on
//! each side; this module places each on its local day and adds up, so the rules live in one
//! place and are tested without a database.

mod csv_export;
pub mod model;
mod summary;

use std::path::Path;
use std::sync::Arc;

use rust_decimal::Decimal;
use time::{Date, Duration, UtcOffset};

pub use model::{
    DayLabels, PeriodSpend, Report, ReportPeriod, ReportQuery, ReportTotals, ServiceSpend,
    VoidLine, VoidState,
};

use crate::error::{AppError, AppResult};
use crate::ports::Clock;
use crate::shipping::ShipmentStatus;

/// Ranges longer than this are refused: a report is read on one screen.
pub const MAX_REPORT_DAYS: i64 = 3 * 366;

/// One label as reports see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLabel {
    pub shipment_id: i64,
    pub order_id: i64,
    pub order_number: String,
    pub tracking_number: String,
    pub service_name: String,
    pub postage: Decimal,
    pub status: ShipmentStatus,
    pub dispute_id: Option<String>,
    pub sample: bool,
    /// When it was bought (RFC 3339, UTC).
    pub created_at: String,
    /// A void was sent and its answer is not recorded yet.
    pub void_pending: bool,
    /// The seller's word on the last finished void.
    pub void_status: Option<String>,
}

/// Reads labels for reports.
pub trait ReportStore: Send + Sync {
    /// Labels bought from `from` (inclusive) to `until` (exclusive), RFC 3339 UTC instants,
    /// oldest first. Callers widen the bounds and place labels on days themselves, so an
    /// instant written with another precision on a bound's second does not matter.
    fn labels_bought(&self, from: &str, until: &str) -> AppResult<Vec<ReportLabel>>;
}

/// Reports over the desk's labels. Built once per desk by [`crate::desk::DeskBuilder`].
pub struct ReportsService {
    store: Arc<dyn ReportStore>,
    clock: Arc<dyn Clock>,
    local_offset: UtcOffset,
}

impl std::fmt::Debug for ReportsService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportsService").finish_non_exhaustive()
    }
}

/// A checked [`ReportQuery`].
#[derive(Debug, Clone, Copy)]
struct Range {
    from: Date,
    to: Date,
    period: ReportPeriod,
}

impl ReportsService {
    pub(crate) fn new(
        store: Arc<dyn ReportStore>,
        clock: Arc<dyn Clock>,
        local_offset: UtcOffset,
    ) -> Self {
        Self {
            store,
            clock,
            local_offset,
        }
    }

    /// This month so far, by day: what the Reports page and `shipdesk reports` show first.
    pub fn this_month(&self) -> ReportQuery {
        let today = self.clock.now().to_offset(self.local_offset).date();
        ReportQuery {
            from: today.replace_day(1).unwrap_or(today).to_string(),
            to: today.to_string(),
            period: ReportPeriod::Day,
        }
    }

    /// The report of `query`'s range.
    pub fn report(&self, query: &ReportQuery) -> AppResult<Report> {
        let range = self.check(query)?;
        let labels = self.labels(range)?;
        Ok(summary::summarize(
            range.from,
            range.to,
            range.period,
            &labels,
        ))
    }

    /// Every label of `query`'s range as CSV: one row per label, oldest first.
    pub fn labels_csv(&self, query: &ReportQuery) -> AppResult<String> {
        let range = self.check(query)?;
        let labels = self.labels(range)?;
        csv_export::labels_csv(&labels)
    }

    /// [`Self::labels_csv`] written to `path` (replacing it).
    pub fn save_labels_csv(&self, query: &ReportQuery, path: &Path) -> AppResult<()> {
        let text = self.labels_csv(query)?;
        std::fs::write(path, text).map_err(|e| {
            AppError::validation(format!(
                "Could not write the report to {}: {e}",
                path.display()
            ))
        })
    }

    fn check(&self, query: &ReportQuery) -> AppResult<Range> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let day = |field: &str, text: &str| {
            Date::parse(text.trim(), format).map_err(|_| {
                let problem = format!("\u{201c}{text}\u{201d} is not a day (YYYY-MM-DD)");
                AppError::invalid_fields(
                    format!("The report's {field} day: {problem}"),
                    [(field.to_owned(), problem)],
                )
            })
        };
        let from = day("from", &query.from)?;
        let to = day("to", &query.to)?;
        if to < from {
            let problem = format!("The range ends ({to}) before it starts ({from})");
            return Err(AppError::invalid_fields(problem.clone(), [("to", problem)]));
        }
        if (to - from).whole_days() >= MAX_REPORT_DAYS {
            let problem =
                format!("A report covers at most {MAX_REPORT_DAYS} days; choose a shorter range");
            return Err(AppError::invalid_fields(problem.clone(), [("to", problem)]));
        }
        Ok(Range {
            from,
            to,
            period: query.period,
        })
    }

    /// The labels bought on the range's days where the desk is, with their local day.
    fn labels(&self, range: Range) -> AppResult<Vec<(Date, ReportLabel)>> {
        let instant = |day: Date| {
            day.midnight()
                .assume_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default()
        };
        let wide_from = instant(range.from - Duration::days(1));
        let wide_until = instant(range.to + Duration::days(2));
        let labels = self.store.labels_bought(&wide_from, &wide_until)?;
        Ok(labels
            .into_iter()
            .filter_map(|label| {
                let bought = time::OffsetDateTime::parse(
                    &label.created_at,
                    &time::format_description::well_known::Rfc3339,
                )
                .ok()?
                .to_offset(self.local_offset)
                .date();
                (range.from <= bought && bought <= range.to).then_some((bought, label))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests;
