//! How shipping results read in a terminal (the `--json` output is the value itself).

use rust_decimal::Decimal;
use shipdesk_core::shipping::{
    BatchPreview, BatchReport, CustomsDraft, QuotePackaging, RatesAnswer, Shipment, WeightSource,
};

pub fn rates_table(a: &RatesAnswer) -> String {
    let money = |d: Option<Decimal>| d.map(|v| format!("${v}")).unwrap_or("-".into());
    let mut lines = vec![format!(
        "{} → {}, {} oz, zone {}",
        a.origin_zip,
        a.destination_zip,
        a.package.weight_oz,
        a.quotes
            .first()
            .and_then(|q| q.zone.clone())
            .unwrap_or_default()
    )];
    lines.push(format!(
        "{:<24} {:<4} {:>9} {:>9} {:>11} {:>9}  {}",
        "SERVICE", "RI", "YOU PAY", "RETAIL", "COMMERCIAL", "CONTRACT", "DAYS"
    ));
    for q in &a.quotes {
        let mut notes = Vec::new();
        // For an account without a contract every row would say so; one line below does.
        if q.contract_rate_not_found && a.contract_prices {
            notes.push("no contract price: charged the commercial price");
        }
        if q.packaging == QuotePackaging::FlatRate {
            notes.push(if q.fits_package {
                "USPS flat-rate packaging"
            } else {
                "USPS flat-rate packaging; the package does not fit"
            });
        }
        if a.recommended.as_ref() == Some(&q.choice) {
            notes.push("recommended");
        }
        if a.recommended_flat_rate.as_ref() == Some(&q.choice) {
            notes.push("recommended in USPS flat-rate packaging");
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!("  ({})", notes.join("; "))
        };
        lines.push(format!(
            "{:<24} {:<4} {:>9} {:>9} {:>11} {:>9}  {}{notes}",
            q.product_name,
            q.choice.rate_indicator,
            money(q.price),
            money(q.retail),
            money(q.commercial),
            money(q.contract),
            q.delivery_days.clone().unwrap_or_default(),
        ));
        if let Some(rule) = &q.restriction {
            lines.push(format!("    only: {rule}"));
        }
    }
    if a.contract_prices {
        lines.push(
            "This account holds a contract: YOU PAY is its contract price where USPS has one, \
             and labels are charged exactly that."
                .into(),
        );
    } else if a.contract_requested {
        lines.push(
            "This account holds no contract: labels are charged YOU PAY, the commercial price."
                .into(),
        );
    }
    if let Some(why) = &a.contract_unavailable {
        lines.push(why.clone());
    }
    lines.join("\n")
}

pub fn shipment_line(s: &Shipment) -> String {
    format!(
        "{:<24} {:<10} {:<20} {:<22} {:>7} oz ${:>7} {:<16} {}{}",
        s.tracking_number,
        s.order_number,
        s.ship_to.name,
        s.service_name,
        s.weight_oz,
        s.postage,
        s.status.as_str(),
        s.mailing_date,
        if s.printed { "  printed" } else { "" }
    )
}

pub fn report_text(r: &BatchReport) -> String {
    let mut lines = vec![format!(
        "Bought {} of {} labels in {:.1} s",
        r.bought.len(),
        r.total,
        r.seconds
    )];
    lines.extend(r.bought.iter().map(shipment_line));
    if !r.needs_attention.is_empty() {
        lines.push("Not bought, needs attention:".into());
        lines.extend(r.needs_attention.iter().map(|h| format!("  {}", h.message)));
    }
    for (title, list) in [
        ("Fix these orders", &r.validation_problems),
        ("USPS refused", &r.usps_rejections),
        (
            "Connection problems (safe to retry)",
            &r.connection_problems,
        ),
    ] {
        if !list.is_empty() {
            lines.push(format!("{title}:"));
            for f in list {
                lines.push(format!(
                    "  {}: {}",
                    f.order_number.as_deref().unwrap_or("?"),
                    f.error.message
                ));
            }
        }
    }
    if !r.not_started.is_empty() {
        lines.push(format!("Not started: {}", r.not_started.len()));
    }
    if let Some(why) = &r.stopped_because {
        lines.push(format!("Stopped: {}", why.message));
    }
    lines.join("\n")
}

/// `labels buy --dry-run`: each order's weight (and where it comes from), its price, the total.
pub fn preview_text(p: &BatchPreview) -> String {
    let mut lines: Vec<String> = p
        .lines
        .iter()
        .map(|l| {
            let to = format!("{}, {} {}", l.ship_to.city, l.ship_to.state, l.ship_to.zip5);
            let weight = match (l.package, l.weight) {
                (Some(pkg), WeightSource::Order) => format!("{} oz", pkg.weight_oz),
                (Some(pkg), _) => format!("{} oz (default)", pkg.weight_oz),
                (None, _) => "no weight".into(),
            };
            let price = match (&l.blocked, &l.quote, &l.rates_error) {
                (Some(why), _, _) => format!("not bought: {}", why.message),
                (None, Some(q), _) => format!(
                    "{} ${}",
                    q.product_name,
                    q.price.map(|d| d.to_string()).unwrap_or("-".into())
                ),
                (None, None, Some(e)) => format!("no rates: {}", e.message),
                (None, None, None) => "no price for this service".into(),
            };
            format!("{:<10} {:<28} {:<16} {price}", l.order_number, to, weight)
        })
        .collect();
    lines.push(format!(
        "Expected total ${} for {} of {} orders ({} at the default weight, {} without a weight)",
        p.total,
        p.priced,
        p.lines.len(),
        p.using_fallback,
        p.without_weight
    ));
    lines.push(p.duration.message.clone());
    lines.join("\n")
}

/// `labels customs`: the form as filled in, and what is still missing.
pub fn customs_text(d: &CustomsDraft) -> String {
    let mut lines = vec![format!(
        "Contents: {:?}, if undeliverable: {:?}",
        d.declaration.contents, d.declaration.non_delivery
    )];
    for (i, item) in d.declaration.items.iter().enumerate() {
        lines.push(format!(
            "{}. {} × {}  ${} each, {} oz each  HS {}  made in {}",
            i + 1,
            item.quantity,
            item.description,
            item.value_usd,
            item.weight_oz,
            item.hs_tariff.as_deref().unwrap_or("-"),
            item.origin_country.as_deref().unwrap_or("-"),
        ));
    }
    if d.missing.is_empty() {
        lines.push("Complete.".into());
    } else {
        lines.push("Missing:".into());
        for (field, what) in &d.missing {
            lines.push(format!("  {field}: {what}"));
        }
    }
    lines.join("\n")
}
