//! Adding up labels placed on their local days: the report's rules, with no database.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;
use time::{Date, Duration, Month};

use super::ReportLabel;
use super::model::{
    DayLabels, PeriodSpend, Report, ReportPeriod, ReportTotals, ServiceSpend, VoidLine, VoidState,
};
use crate::shipping::ShipmentStatus;

/// Whether the label costs postage: all but those canceled before USPS manifested them.
fn charged(label: &ReportLabel) -> bool {
    label.status != ShipmentStatus::Voided
}

fn void_state(label: &ReportLabel) -> Option<VoidState> {
    match label.status {
        ShipmentStatus::Voided => Some(VoidState::Canceled),
        ShipmentStatus::RefundRequested => Some(VoidState::RefundPending),
        _ if label.void_pending => Some(VoidState::InProgress),
        _ => None,
    }
}

/// The first day of the period `day` falls in.
fn period_start(day: Date, period: ReportPeriod) -> Date {
    match period {
        ReportPeriod::Day => day,
        ReportPeriod::Week => {
            day - Duration::days(i64::from(day.weekday().number_days_from_sunday()))
        }
        ReportPeriod::Month => day.replace_day(1).unwrap_or(day),
    }
}

fn next_period(start: Date, period: ReportPeriod) -> Date {
    match period {
        ReportPeriod::Day => start + Duration::days(1),
        ReportPeriod::Week => start + Duration::weeks(1),
        ReportPeriod::Month => {
            let (year, month) = match start.month() {
                Month::December => (start.year() + 1, Month::January),
                m => (start.year(), m.next()),
            };
            Date::from_calendar_date(year, month, 1).unwrap_or(start + Duration::days(31))
        }
    }
}

fn short_month(month: Month) -> &'static str {
    match month {
        Month::January => "Jan",
        Month::February => "Feb",
        Month::March => "Mar",
        Month::April => "Apr",
        Month::May => "May",
        Month::June => "Jun",
        Month::July => "Jul",
        Month::August => "Aug",
        Month::September => "Sep",
        Month::October => "Oct",
        Month::November => "Nov",
        Month::December => "Dec",
    }
}

fn period_label(start: Date, period: ReportPeriod) -> String {
    let day = format!("{} {}", short_month(start.month()), start.day());
    match period {
        ReportPeriod::Day => day,
        ReportPeriod::Week => format!("Week of {day}"),
        ReportPeriod::Month => format!("{} {}", start.month(), start.year()),
    }
}

/// The report of `labels` (each on its local day, all within `from..=to`).
pub(super) fn summarize(
    from: Date,
    to: Date,
    period: ReportPeriod,
    labels: &[(Date, ReportLabel)],
) -> Report {
    let mut spend: BTreeMap<Date, (u32, Decimal)> = BTreeMap::new();
    let mut start = period_start(from, period);
    while start <= to {
        spend.insert(start, (0, Decimal::ZERO));
        start = next_period(start, period);
    }
    let mut days: BTreeMap<Date, (u32, u32)> = BTreeMap::new();
    let mut day = from;
    while day <= to {
        days.insert(day, (0, 0));
        day += Duration::days(1);
    }
    let mut services: BTreeMap<&str, (u32, Decimal)> = BTreeMap::new();
    let mut orders = HashSet::new();
    let mut totals = ReportTotals {
        labels: 0,
        postage: Decimal::ZERO,
        orders: 0,
        average_per_order: None,
        voided: 0,
        voided_postage: Decimal::ZERO,
        refunds_pending: 0,
        refunds_pending_postage: Decimal::ZERO,
        samples: 0,
    };
    let mut voids = Vec::new();

    for (day, label) in labels {
        totals.samples += u32::from(label.sample);
        let per_day = days.entry(*day).or_default();
        if charged(label) {
            per_day.0 += 1;
            totals.labels += 1;
            totals.postage += label.postage;
            orders.insert(label.order_id);
            let period = spend.entry(period_start(*day, period)).or_default();
            period.0 += 1;
            period.1 += label.postage;
            let service = services.entry(&label.service_name).or_default();
            service.0 += 1;
            service.1 += label.postage;
        } else {
            per_day.1 += 1;
            totals.voided += 1;
            totals.voided_postage += label.postage;
        }
        if label.status == ShipmentStatus::RefundRequested {
            totals.refunds_pending += 1;
            totals.refunds_pending_postage += label.postage;
        }
        if let Some(state) = void_state(label) {
            voids.push(VoidLine {
                shipment_id: label.shipment_id,
                order_number: label.order_number.clone(),
                tracking_number: label.tracking_number.clone(),
                service_name: label.service_name.clone(),
                postage: label.postage,
                bought_on: day.to_string(),
                state,
                dispute_id: label.dispute_id.clone(),
                provider_status: label.void_status.clone(),
            });
        }
    }
    totals.orders = u32::try_from(orders.len()).unwrap_or(u32::MAX);
    totals.average_per_order =
        (totals.orders > 0).then(|| (totals.postage / Decimal::from(totals.orders)).round_dp(2));
    voids.reverse();

    let mut services: Vec<ServiceSpend> = services
        .into_iter()
        .map(|(name, (labels, postage))| ServiceSpend {
            service_name: name.to_owned(),
            labels,
            postage,
        })
        .collect();
    services.sort_by(|a, b| {
        b.postage
            .cmp(&a.postage)
            .then_with(|| a.service_name.cmp(&b.service_name))
    });

    Report {
        from: from.to_string(),
        to: to.to_string(),
        period,
        totals,
        spend: spend
            .into_iter()
            .map(|(start, (labels, postage))| PeriodSpend {
                start: start.to_string(),
                label: period_label(start, period),
                labels,
                postage,
            })
            .collect(),
        labels_per_day: days
            .into_iter()
            .map(|(day, (labels, voided))| DayLabels {
                day: day.to_string(),
                labels,
                voided,
            })
            .collect(),
        services,
        voids,
    }
}
