use std::sync::{Arc, Mutex};

use rust_decimal::Decimal;
use time::macros::{datetime, offset};

use super::*;
use crate::error::{ErrorCode, ErrorDetails};

/// Hands over the labels it holds that fall in the asked instants (as the SQL does).
#[derive(Default)]
struct Labels(Mutex<Vec<ReportLabel>>);

impl ReportStore for Labels {
    fn labels_bought(&self, from: &str, until: &str) -> AppResult<Vec<ReportLabel>> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|l| from <= l.created_at.as_str() && l.created_at.as_str() < until)
            .cloned()
            .collect())
    }
}

struct At(time::OffsetDateTime);

impl Clock for At {
    fn now(&self) -> time::OffsetDateTime {
        self.0
    }
}

fn label(id: i64, order: i64, at: &str, service: &str, postage: &str) -> ReportLabel {
    ReportLabel {
        shipment_id: id,
        order_id: order,
        order_number: format!("#{order}"),
        tracking_number: format!("9400{id:018}"),
        service_name: service.to_owned(),
        postage: postage.parse().unwrap(),
        status: ShipmentStatus::LabelCreated,
        dispute_id: None,
        sample: false,
        created_at: at.to_owned(),
        void_pending: false,
        void_status: None,
    }
}

/// A desk in Chicago in winter (UTC-6).
fn service(labels: Vec<ReportLabel>) -> ReportsService {
    ReportsService::new(
        Arc::new(Labels(Mutex::new(labels))),
        Arc::new(At(datetime!(2026-12-02 15:00 UTC))),
        offset!(-6),
    )
}

fn query(from: &str, to: &str, period: ReportPeriod) -> ReportQuery {
    ReportQuery {
        from: from.into(),
        to: to.into(),
        period,
    }
}

fn money(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn a_label_counts_on_the_day_it_was_bought_where_the_desk_is() {
    let reports = service(vec![
        // 9 pm on Nov 30 in Chicago, Dec 1 in UTC.
        label(1, 1, "2026-12-01T03:00:00Z", "Priority Mail", "9.00"),
        // 1 am on Dec 1 in Chicago.
        label(2, 2, "2026-12-01T07:00:00.25Z", "Priority Mail", "8.00"),
        // Dec 2 in Chicago, with another precision than the bounds.
        label(
            3,
            3,
            "2026-12-02T23:59:59.999999999Z",
            "Priority Mail",
            "7.00",
        ),
    ]);
    let report = reports
        .report(&query("2026-12-01", "2026-12-02", ReportPeriod::Day))
        .unwrap();
    let days: Vec<_> = report
        .labels_per_day
        .iter()
        .map(|d| (d.day.as_str(), d.labels))
        .collect();
    assert_eq!(days, [("2026-12-01", 1), ("2026-12-02", 1)]);
    assert_eq!(report.totals.postage, money("15.00"));

    let november = reports
        .report(&query("2026-11-30", "2026-11-30", ReportPeriod::Day))
        .unwrap();
    assert_eq!(november.totals.labels, 1);
    assert_eq!(november.totals.postage, money("9.00"));
}

#[test]
fn voided_labels_cost_nothing_and_refunds_pending_are_charged_until_settled() {
    let mut voided = label(2, 2, "2026-11-03T15:00:00Z", "Priority Mail", "10.40");
    voided.status = ShipmentStatus::Voided;
    voided.void_status = Some("CANCELED".into());
    let mut disputed = label(
        3,
        3,
        "2026-11-04T15:00:00Z",
        "USPS Ground Advantage",
        "6.15",
    );
    disputed.status = ShipmentStatus::RefundRequested;
    disputed.dispute_id = Some("D-1".into());
    disputed.void_status = Some("DISPUTED".into());
    let mut in_flight = label(4, 4, "2026-11-05T15:00:00Z", "Priority Mail", "9.00");
    in_flight.void_pending = true;
    let mut sample = label(5, 1, "2026-11-05T16:00:00Z", "Priority Mail", "1.00");
    sample.sample = true;
    let reports = service(vec![
        label(1, 1, "2026-11-02T15:00:00Z", "Priority Mail", "9.35"),
        voided,
        disputed,
        in_flight,
        sample,
    ]);
    let report = reports
        .report(&query("2026-11-01", "2026-11-30", ReportPeriod::Month))
        .unwrap();
    let t = &report.totals;
    assert_eq!(t.labels, 4, "all but the canceled label");
    assert_eq!(t.postage, money("25.50"));
    assert_eq!((t.voided, t.voided_postage), (1, money("10.40")));
    assert_eq!(
        (t.refunds_pending, t.refunds_pending_postage),
        (1, money("6.15"))
    );
    assert_eq!(t.samples, 1);
    // Orders 1 (two labels), 3 and 4: 25.50 / 3 = 8.50.
    assert_eq!(t.orders, 3);
    assert_eq!(t.average_per_order, Some(money("8.50")));
    let voids: Vec<_> = report
        .voids
        .iter()
        .map(|v| (v.shipment_id, v.state, v.provider_status.as_deref()))
        .collect();
    assert_eq!(
        voids,
        [
            (4, VoidState::InProgress, None),
            (3, VoidState::RefundPending, Some("DISPUTED")),
            (2, VoidState::Canceled, Some("CANCELED")),
        ],
        "the newest first"
    );
    assert_eq!(
        report
            .services
            .iter()
            .map(|s| (s.service_name.as_str(), s.labels, s.postage))
            .collect::<Vec<_>>(),
        [
            ("Priority Mail", 3, money("19.35")),
            ("USPS Ground Advantage", 1, money("6.15")),
        ],
        "the most spent first, voided postage left out"
    );
    let days = &report.labels_per_day;
    assert_eq!(days.len(), 30, "every day of November, quiet ones at zero");
    assert_eq!((days[2].labels, days[2].voided), (0, 1));
    assert_eq!(days[4].labels, 2);
}

#[test]
fn periods_cover_the_whole_range_in_sunday_weeks_and_calendar_months() {
    let reports = service(vec![
        label(1, 1, "2026-11-28T18:00:00Z", "Priority Mail", "5.00"),
        label(2, 2, "2026-11-29T18:00:00Z", "Priority Mail", "6.00"),
        label(3, 3, "2027-01-02T18:00:00Z", "Priority Mail", "7.00"),
    ]);
    let weeks = reports
        .report(&query("2026-11-26", "2026-12-12", ReportPeriod::Week))
        .unwrap();
    let weeks: Vec<_> = weeks
        .spend
        .iter()
        .map(|p| (p.start.as_str(), p.label.as_str(), p.labels, p.postage))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2026-11-22", "Week of Nov 22", 1, money("5.00")),
            ("2026-11-29", "Week of Nov 29", 1, money("6.00")),
            ("2026-12-06", "Week of Dec 6", 0, Decimal::ZERO),
        ]
    );
    let months = reports
        .report(&query("2026-11-15", "2027-01-31", ReportPeriod::Month))
        .unwrap();
    let months: Vec<_> = months
        .spend
        .iter()
        .map(|p| (p.label.as_str(), p.labels))
        .collect();
    assert_eq!(
        months,
        [
            ("November 2026", 2),
            ("December 2026", 0),
            ("January 2027", 1)
        ]
    );
}

#[test]
fn a_range_that_is_not_one_says_which_field_is_wrong() {
    let reports = service(vec![]);
    let field = |e: AppError| match e.details.map(|d| *d) {
        Some(ErrorDetails::Fields { fields }) => fields.into_keys().collect::<Vec<_>>(),
        other => panic!("no fields: {other:?}"),
    };
    let bad_day = reports
        .report(&query("2026-13-01", "2026-12-01", ReportPeriod::Day))
        .unwrap_err();
    assert_eq!(bad_day.code, ErrorCode::Validation);
    assert!(
        bad_day.message.contains("2026-13-01"),
        "{}",
        bad_day.message
    );
    assert_eq!(field(bad_day), ["from"]);
    let backwards = reports
        .report(&query("2026-12-02", "2026-12-01", ReportPeriod::Day))
        .unwrap_err();
    assert_eq!(field(backwards), ["to"]);
    let too_long = reports
        .report(&query("2020-01-01", "2026-12-01", ReportPeriod::Month))
        .unwrap_err();
    assert!(too_long.message.contains("at most"), "{}", too_long.message);
}

#[test]
fn this_month_runs_from_the_first_to_today_where_the_desk_is() {
    let reports = ReportsService::new(
        Arc::new(Labels::default()),
        Arc::new(At(datetime!(2026-12-01 03:00 UTC))),
        offset!(-6),
    );
    assert_eq!(
        reports.this_month(),
        query("2026-11-01", "2026-11-30", ReportPeriod::Day)
    );
}

#[test]
fn the_csv_has_a_row_per_label_and_no_cell_a_spreadsheet_would_run() {
    let mut hostile = label(2, 2, "2026-11-03T15:00:00Z", "Priority Mail", "9.5");
    hostile.order_number = "=HYPERLINK(\"http://evil\",\"x\")".into();
    hostile.status = ShipmentStatus::RefundRequested;
    hostile.dispute_id = Some("@SUM(A1)".into());
    hostile.void_status = Some("-2+3".into());
    let mut plus = label(3, 3, "2026-11-04T15:00:00Z", "+Priority", "1");
    plus.order_number = "\tcmd".into();
    let reports = service(vec![
        label(1, 1, "2026-11-02T15:00:00Z", "Priority Mail", "9.35"),
        hostile,
        plus,
    ]);
    let csv = reports
        .labels_csv(&query("2026-11-01", "2026-11-30", ReportPeriod::Day))
        .unwrap();
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][1], "#1");
    assert_eq!(rows[0][4], "9.35");
    assert_eq!(rows[1][1], "'=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(rows[1][4], "9.50");
    assert_eq!(rows[1][5], "Refund requested");
    assert_eq!(rows[1][6], "'@SUM(A1)");
    assert_eq!(rows[1][7], "'-2+3");
    assert_eq!(rows[2][1], "'\tcmd");
    assert_eq!(rows[2][3], "'+Priority");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} would run as a formula"
            );
        }
    }
    assert!(csv.starts_with("Bought at (UTC),Order,"), "{csv}");
}
