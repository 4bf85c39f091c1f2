//! `shipdesk reports`: postage spend, labels per day, voids and pending refunds over a range of
//! days, or the range's labels as CSV.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use shipdesk_core::AppError;
use shipdesk_core::reports::{Report, ReportPeriod, ReportQuery, ReportsService, VoidState};

use crate::output::{Output, note, one_line};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum By {
    Day,
    Week,
    Month,
}

#[derive(Debug, Args)]
pub struct ReportsArgs {
    /// First day, YYYY-MM-DD (default: the first of this month).
    #[arg(long)]
    from: Option<String>,
    /// Last day, YYYY-MM-DD, included (default: today).
    #[arg(long)]
    to: Option<String>,
    /// How spend is grouped.
    #[arg(long, value_enum, default_value = "day")]
    by: By,
    /// Write the range's labels as CSV to FILE instead of printing the report.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
}

pub fn run(args: ReportsArgs, reports: &ReportsService, out: &Output) -> Result<(), AppError> {
    let this_month = reports.this_month();
    let query = ReportQuery {
        from: args.from.unwrap_or(this_month.from),
        to: args.to.unwrap_or(this_month.to),
        period: match args.by {
            By::Day => ReportPeriod::Day,
            By::Week => ReportPeriod::Week,
            By::Month => ReportPeriod::Month,
        },
    };
    if let Some(path) = args.csv {
        reports.save_labels_csv(&query, &path)?;
        note(&format!(
            "Wrote the labels of {} to {}",
            range(&query),
            path.display()
        ));
        return Ok(());
    }
    out.value(&reports.report(&query)?, text)
}

fn range(q: &ReportQuery) -> String {
    format!("{} to {}", q.from, q.to)
}

fn text(r: &Report) -> String {
    let t = &r.totals;
    let mut s = format!("Labels bought {} to {}\n", r.from, r.to);
    let _ = writeln!(
        s,
        "  Postage        ${:.2} on {} labels",
        t.postage, t.labels
    );
    match t.average_per_order {
        Some(avg) => {
            let _ = writeln!(s, "  Per order      ${avg:.2} over {} orders", t.orders);
        }
        None => s.push_str("  Per order      (no orders)\n"),
    }
    let _ = writeln!(
        s,
        "  Voided         {} labels, ${:.2} not charged",
        t.voided, t.voided_postage
    );
    let _ = writeln!(
        s,
        "  Refunds due    {} labels, ${:.2} pending",
        t.refunds_pending, t.refunds_pending_postage
    );
    if t.samples > 0 {
        let _ = writeln!(
            s,
            "  ({} Sandbox sample labels included; no postage was charged for them)",
            t.samples
        );
    }
    s.push_str("\nSpend\n");
    for p in &r.spend {
        let _ = writeln!(
            s,
            "  {:<20} {:>5} labels  ${:>10.2}",
            p.label, p.labels, p.postage
        );
    }
    if !r.services.is_empty() {
        s.push_str("\nBy service\n");
        for x in &r.services {
            let _ = writeln!(
                s,
                "  {:<40} {:>5} labels  ${:>10.2}",
                one_line(&x.service_name),
                x.labels,
                x.postage
            );
        }
    }
    if !r.voids.is_empty() {
        s.push_str("\nVoids\n");
        for v in &r.voids {
            let state = match v.state {
                VoidState::Canceled => "canceled, not charged".to_owned(),
                VoidState::RefundPending => match &v.dispute_id {
                    Some(id) => format!("refund pending (USPS dispute {})", one_line(id)),
                    None => "refund pending".to_owned(),
                },
                VoidState::InProgress => "void sent, no answer recorded yet".to_owned(),
            };
            let _ = writeln!(
                s,
                "  {} {} {} ${:.2} — {state}",
                v.bought_on,
                one_line(&v.order_number),
                v.tracking_number,
                v.postage
            );
        }
    }
    s.trim_end().to_owned()
}
