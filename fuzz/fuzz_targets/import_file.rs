//! Any bytes as an order file, through the pipeline the app runs on a file the user picks: the
//! preview the import dialog shows, the preview again with the mapping it suggests (as a user who
//! accepts it), and the import of the whole file, with the detected format and with that mapping.
//! Each must answer with a result or an error, never a panic or a hang, and keep what it promises:
//! a preview bounded in rows, columns and cell length, and no order text the store may not hold
//! (`shipdesk_core::orders::text`).

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use libfuzzer_sys::fuzz_target;
use shipdesk_core::import::{
    ColumnMapping, DetectedFormat, ImportLimits, ImportPreview, MAX_COLUMNS, MAX_HEADER_NAME_BYTES,
    PREVIEW_CELL_CHARS, PREVIEW_MAX_BYTES, ParsedFile, PreviewOrder, parse_file, preview_file,
};
use shipdesk_core::orders::text::is_forbidden;
use shipdesk_core::orders::{Address, LineItem, PREVIEW_ROWS};

/// The pipeline opens a path, as the app does; one scratch file per fuzzing process, in memory
/// when the machine has a tmpfs.
fn scratch_file() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let shm = PathBuf::from("/dev/shm");
        let dir = if shm.is_dir() {
            shm
        } else {
            std::env::temp_dir()
        };
        dir.join(format!("shipdesk-fuzz-import-{}.csv", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let path = scratch_file();
    std::fs::write(path, data).expect("write the scratch file");
    let limits = ImportLimits::default();

    let preview = preview_file(path, None, limits, PREVIEW_ROWS);
    if let Ok(p) = &preview {
        check_preview(p, None);
    }
    let suggested = preview
        .ok()
        .and_then(|p| p.suggested_mapping)
        .map(|m| ColumnMapping {
            name: "suggested".to_owned(),
            ..m
        });
    if let Some(mapping) = &suggested {
        if let Ok(p) = preview_file(path, Some(mapping), limits, PREVIEW_ROWS) {
            check_preview(&p, Some(mapping));
        }
        if let Ok(f) = parse(path, Some(mapping), limits) {
            check_parsed(&f);
        }
    }
    // The whole file with the detected format, at a size limit of exactly its own size: a file
    // at the limit is read like any other.
    let exact = ImportLimits {
        max_file_bytes: data.len() as u64,
        ..limits
    };
    if let Ok(f) = parse(path, None, exact) {
        check_parsed(&f);
    }
});

fn parse(
    path: &Path,
    mapping: Option<&ColumnMapping>,
    limits: ImportLimits,
) -> Result<ParsedFile, shipdesk_core::AppError> {
    let mut last_done = 0;
    let parsed = parse_file(
        path,
        mapping,
        limits,
        &mut |p| {
            assert!(p.rows_done >= last_done, "progress went back: {p:?}");
            assert!(
                p.rows_total_estimate >= p.rows_done,
                "estimate below done: {p:?}"
            );
            last_done = p.rows_done;
        },
        &AtomicBool::new(false),
    )?;
    assert_eq!(
        parsed.rows, last_done,
        "the last progress report counts every row"
    );
    Ok(parsed)
}

fn check_preview(p: &ImportPreview, mapping: Option<&ColumnMapping>) {
    assert!(
        p.headers.len() <= MAX_COLUMNS,
        "{} columns",
        p.headers.len()
    );
    for h in &p.headers {
        assert!(
            h.len() <= MAX_HEADER_NAME_BYTES,
            "column name of {} bytes",
            h.len()
        );
    }
    assert!(
        p.first_rows.len() <= PREVIEW_ROWS,
        "{} preview rows",
        p.first_rows.len()
    );
    for row in &p.first_rows {
        assert!(
            row.len() <= MAX_COLUMNS,
            "preview row of {} cells",
            row.len()
        );
        for cell in row {
            // Cut to PREVIEW_CELL_CHARS characters and an ellipsis.
            assert!(
                cell.chars().count() <= PREVIEW_CELL_CHARS + 1,
                "cell of {cell:?}"
            );
        }
    }
    // Rows after the first stop once they would hold more than PREVIEW_MAX_BYTES; a cut cell can
    // be two bytes longer than it was (its ellipsis is three bytes).
    let (after_first_bytes, after_first_cells) =
        p.first_rows.iter().skip(1).fold((0, 0), |acc, row| {
            (
                acc.0 + row.iter().map(String::len).sum::<usize>(),
                acc.1 + row.len(),
            )
        });
    assert!(
        after_first_bytes <= PREVIEW_MAX_BYTES + 2 * after_first_cells,
        "preview rows after the first hold {after_first_bytes} bytes"
    );
    let unknown = p.detected_format == DetectedFormat::Unknown;
    assert_eq!(p.needs_mapping, unknown && mapping.is_none());
    assert_eq!(p.suggested_mapping.is_some(), p.needs_mapping);
    if p.needs_mapping || !p.mapping_problems.is_empty() {
        assert!(
            p.mapped_preview.is_empty(),
            "orders previewed through no usable mapping"
        );
    }
    for o in &p.mapped_preview {
        check_preview_order(o);
    }
    assert!(
        sorted_by_line(&p.warnings),
        "preview warnings out of line order"
    );
}

fn check_parsed(f: &ParsedFile) {
    assert!(
        f.orders.len() as u64 + u64::from(f.invalid) <= f.rows,
        "{} orders and {} invalid from {} rows",
        f.orders.len(),
        f.invalid,
        f.rows
    );
    for o in &f.orders {
        let d = &o.data;
        single_line(&d.order_number);
        if let Some(id) = &d.source.source_id {
            single_line(id);
        }
        check_order_text(&d.ship_to, &d.items, &d.tags, d.notes.as_deref());
    }
    assert!(
        sorted_by_line(&f.warnings),
        "import warnings out of line order"
    );
    assert!(
        sorted_by_line(&f.problems),
        "import problems out of line order"
    );
}

fn check_preview_order(o: &PreviewOrder) {
    single_line(&o.order_number);
    check_order_text(&o.ship_to, &o.items, &o.tags, o.notes.as_deref());
}

fn check_order_text(a: &Address, items: &[LineItem], tags: &[String], notes: Option<&str>) {
    for text in [&a.name, &a.street1, &a.city, &a.state, &a.zip5, &a.country] {
        single_line(text);
    }
    for text in [&a.company, &a.street2, &a.zip4, &a.phone, &a.email]
        .into_iter()
        .flatten()
    {
        single_line(text);
    }
    for item in items {
        single_line(&item.title);
        if let Some(sku) = &item.sku {
            single_line(sku);
        }
    }
    for tag in tags {
        single_line(tag);
    }
    if let Some(notes) = notes {
        assert!(
            !notes
                .chars()
                .any(|c| is_forbidden(c) || (c.is_control() && c != '\n' && c != '\t')),
            "notes may hold only LF and tab of the control characters: {notes:?}"
        );
    }
}

/// Text the store may hold on one line: no forbidden character, no line break, no tab.
fn single_line(text: &str) {
    assert!(
        !text
            .chars()
            .any(|c| is_forbidden(c) || c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')),
        "single-line text holds a control character or line break: {text:?}"
    );
}

fn sorted_by_line(problems: &[shipdesk_core::import::ImportProblem]) -> bool {
    problems.windows(2).all(|w| w[0].line <= w[1].line)
}
