//! How orders, import summaries and previews read in a terminal.

use std::io::{IsTerminal, Write};

use shipdesk_core::import::{ImportPhase, ImportPreview, ImportSummary, Progress};
use shipdesk_core::orders::Order;

pub fn preview(p: &ImportPreview) -> String {
    let mut text = format!(
        "format: {:?}\nencoding: {}\ncolumns: {}\n",
        p.detected_format,
        p.encoding,
        p.headers.join(" | ")
    );
    if p.needs_mapping {
        text.push_str("not recognised: save a column mapping and use --mapping\n");
        if let Some(m) = &p.suggested_mapping {
            let cols: Vec<String> = m
                .columns
                .iter()
                .map(|(f, h)| format!("--column {}=\"{h}\"", f.key()))
                .collect();
            text.push_str(&format!(
                "suggested: shipdesk orders mapping save NAME {}\n",
                cols.join(" ")
            ));
        }
    }
    for o in &p.mapped_preview {
        text.push_str(&format!("line {}: {}\n", o.line, o.order_number));
    }
    for problem in &p.problems {
        text.push_str(&format!("{}\n", problem.message));
    }
    text.trim_end().to_owned()
}

pub fn import(file: &std::path::Path, s: &ImportSummary) -> String {
    let read_as = match &s.mapping {
        Some(name) => format!("mapping \"{name}\""),
        None => format!("{:?}", s.format),
    };
    let mut text = format!(
        "{}: {read_as} ({}), {} row(s): {} new, {} updated, {} unchanged, {} skipped, {} invalid",
        file.display(),
        s.encoding,
        s.rows,
        s.new,
        s.updated,
        s.unchanged,
        s.skipped,
        s.invalid
    );
    for skipped in &s.skipped_orders {
        text.push_str(&format!(
            "\nline {}: {} skipped: {}",
            skipped.line, skipped.order_number, skipped.reason
        ));
    }
    for p in s.problems.iter().chain(&s.warnings) {
        text.push('\n');
        text.push_str(&p.message);
    }
    text
}

pub fn order_line(o: &Order) -> String {
    let a = &o.ship_to;
    let units: u32 = o.items.iter().map(|i| i.quantity).sum();
    format!(
        "{:<14} {:<18} {:<24} {}, {} {}  {} item(s){}",
        o.order_number,
        o.status.as_str(),
        a.name,
        a.city,
        a.state,
        a.zip(),
        units,
        if o.archived { "  [archived]" } else { "" }
    )
}

pub fn order_detail(o: &Order) -> String {
    let a = &o.ship_to;
    let mut lines = vec![
        format!(
            "Order {} ({:?}, {})",
            o.order_number,
            o.source.kind,
            o.status.as_str()
        ),
        format!("Ship to: {}", a.name),
    ];
    let optional = [
        a.company.as_deref(),
        Some(a.street1.as_str()),
        a.street2.as_deref(),
    ];
    lines.extend(
        optional
            .into_iter()
            .flatten()
            .map(|l| format!("         {l}")),
    );
    lines.push(format!(
        "         {}, {} {} {}",
        a.city,
        a.state,
        a.zip(),
        a.country
    ));
    for (label, v) in [
        ("Phone", &a.phone),
        ("Email", &a.email),
        ("Notes", &o.notes),
    ] {
        if let Some(v) = v {
            lines.push(format!("{label}: {v}"));
        }
    }
    for i in &o.items {
        let price = i.unit_price.map(|p| format!(" @ ${p}")).unwrap_or_default();
        let weight = i.weight_oz.map(|w| format!(", {w} oz")).unwrap_or_default();
        let sku = i
            .sku
            .as_deref()
            .map(|s| format!("[{s}] "))
            .unwrap_or_default();
        lines.push(format!(
            "  {} x {sku}{}{price}{weight}",
            i.quantity, i.title
        ));
    }
    if !o.tags.is_empty() {
        lines.push(format!("Tags: {}", o.tags.join(", ")));
    }
    if o.archived {
        lines.push("Archived".to_owned());
    }
    lines.join("\n")
}

/// "Reading 12,500 of about 40,000 rows" on a terminal's stderr, rewritten in place; nothing when
/// stderr is a file or a pipe, so scripts see only the result.
pub fn progress(p: Progress) {
    let mut err = std::io::stderr();
    if !err.is_terminal() {
        return;
    }
    let (verb, unit) = match p.phase {
        ImportPhase::Reading => ("Reading", "rows"),
        ImportPhase::Saving => ("Saving", "orders"),
    };
    let _ = write!(
        err,
        "\r{verb} {} of about {} {unit}\x1b[K",
        p.rows_done, p.rows_total_estimate
    );
    let _ = err.flush();
}

pub fn progress_done() {
    let mut err = std::io::stderr();
    if err.is_terminal() {
        let _ = write!(err, "\r\x1b[K");
    }
}
