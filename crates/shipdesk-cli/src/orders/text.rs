//! How orders, import summaries and previews read in a terminal. Every value from a file or
//! the store is shown through [`one_line`], so none can break a row or start a line of its own
//! (the output layer escapes the rest).

use std::io::{IsTerminal, Write};

use shipdesk_core::import::{ImportPhase, ImportPreview, ImportSummary, Progress};
use shipdesk_core::orders::Order;

use crate::output::{one_line, shell_word};

pub fn preview(p: &ImportPreview) -> String {
    let mut text = format!(
        "format: {:?}\nencoding: {}\ncolumns: {}\n",
        p.detected_format,
        p.encoding,
        p.headers
            .iter()
            .map(|h| one_line(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    if p.needs_mapping {
        text.push_str("not recognised: save a column mapping and use --mapping\n");
        if let Some(m) = &p.suggested_mapping {
            let cols: Vec<String> = m
                .columns
                .iter()
                .map(|(f, h)| format!("--column {}", shell_word(&format!("{}={h}", f.key()))))
                .collect();
            text.push_str(&format!(
                "suggested: shipdesk orders mapping save NAME {}\n",
                cols.join(" ")
            ));
        }
    }
    for problem in &p.mapping_problems {
        text.push_str(&format!("mapping: {}\n", one_line(problem)));
    }
    for o in &p.mapped_preview {
        text.push_str(&format!("line {}: {}\n", o.line, one_line(&o.order_number)));
    }
    for problem in &p.problems {
        text.push_str(&format!("{}\n", problem.message));
    }
    for warning in &p.warnings {
        text.push_str(&format!("warning: {}\n", warning.message));
    }
    text.trim_end().to_owned()
}

pub fn import(file: &std::path::Path, s: &ImportSummary) -> String {
    let read_as = match &s.mapping {
        Some(name) => format!("mapping \"{}\"", one_line(name)),
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
            skipped.line,
            one_line(&skipped.order_number),
            skipped.reason
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
        one_line(&o.order_number),
        o.status.as_str(),
        one_line(&a.name),
        one_line(&a.city),
        one_line(&a.state),
        one_line(&a.zip()),
        units,
        if o.archived { "  [archived]" } else { "" }
    )
}

pub fn order_detail(o: &Order) -> String {
    let a = &o.ship_to;
    let mut lines = vec![
        format!(
            "Order {} ({:?}, {})",
            one_line(&o.order_number),
            o.source.kind,
            o.status.as_str()
        ),
        format!("Ship to: {}", one_line(&a.name)),
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
            .map(|l| format!("         {}", one_line(l))),
    );
    lines.push(format!(
        "         {}, {} {} {}",
        one_line(&a.city),
        one_line(&a.state),
        one_line(&a.zip()),
        one_line(&a.country)
    ));
    for (label, v) in [
        ("Phone", &a.phone),
        ("Email", &a.email),
        ("Notes", &o.notes),
    ] {
        if let Some(v) = v {
            // Notes keep their own line breaks, each continuation indented under the first.
            let shown: Vec<_> = v.lines().map(one_line).collect();
            lines.push(format!("{label}: {}", shown.join("\n       ")));
        }
    }
    for i in &o.items {
        let price = i.unit_price.map(|p| format!(" @ ${p}")).unwrap_or_default();
        let weight = i.weight_oz.map(|w| format!(", {w} oz")).unwrap_or_default();
        let sku = i
            .sku
            .as_deref()
            .map(|s| format!("[{}] ", one_line(s)))
            .unwrap_or_default();
        lines.push(format!(
            "  {} x {sku}{}{price}{weight}",
            i.quantity,
            one_line(&i.title)
        ));
    }
    if !o.tags.is_empty() {
        let tags: Vec<_> = o.tags.iter().map(|t| one_line(t)).collect();
        lines.push(format!("Tags: {}", tags.join(", ")));
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
