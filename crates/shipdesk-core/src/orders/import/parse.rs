//! The import pipeline up to (not including) the database: a whole file for an import, or its
//! first rows for the preview. Progress is reported every few hundred rows and the cancel flag is
//! checked as often, so a 100,000-order file can be stopped at once.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::assemble::{Assembler, ImportedOrder};
use super::formats::mapping::{ColumnMapping, required_fields, suggest_mapping};
use super::formats::{DetectedFormat, detect, reader_for};
use super::source::DecodeStats;
use super::table::Table;
use super::{
    ImportLimits, ImportPhase, ImportPreview, ImportProblem, PREVIEW_CELL_CHARS, PREVIEW_MAX_BYTES,
    PreviewOrder, Progress, sniff, source,
};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::orders::SourceKind;

const REPORT_EVERY: u64 = 500;

/// A whole file read into orders, before anything is stored.
pub struct ParsedFile {
    pub format: DetectedFormat,
    pub encoding: &'static str,
    pub rows: u64,
    pub orders: Vec<ImportedOrder>,
    pub problems: Vec<ImportProblem>,
    pub warnings: Vec<ImportProblem>,
    pub invalid: u32,
}

pub(crate) fn cancelled() -> AppError {
    AppError::new(
        ErrorCode::Cancelled,
        "The import was cancelled; nothing was changed.",
    )
}

/// A file read through a mapping is a `file` order, whatever its columns looked like.
fn source_kind(format: DetectedFormat, mapping: Option<&ColumnMapping>) -> SourceKind {
    match mapping {
        Some(_) => SourceKind::File,
        None => format.source_kind(),
    }
}

/// Warnings about the file's lines first, then the orders', in line order.
fn merge_warnings(mut file: Vec<ImportProblem>, orders: Vec<ImportProblem>) -> Vec<ImportProblem> {
    file.extend(orders);
    file.sort_by_key(|w| w.line);
    file
}

/// Reads the whole file at `path` into orders (with `mapping`, or by its detected format): what
/// [`crate::orders::OrdersService::import_file`] then writes in one transaction.
pub fn parse_file(
    path: &Path,
    mapping: Option<&ColumnMapping>,
    limits: ImportLimits,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> AppResult<ParsedFile> {
    let src = source::open(path, limits.max_file_bytes)?;
    let delimiter = sniff::delimiter(&src.sample);
    let (encoding, file_len, decoding) = (src.encoding.name(), src.file_len, src.decoding);
    let file_warnings = src.warnings;
    let mut table = Table::open(src.reader, delimiter, limits, &src.name)?;
    let format = detect(&table.columns);
    let reader = reader_for(format, mapping, &table.columns)?;
    let mut assembler = Assembler::new(source_kind(format, mapping));
    let mut rows = 0u64;
    while let Some(next) = table.next_record()? {
        rows += 1;
        match next {
            Ok(rec) => assembler.push(reader.read(&table.columns, &rec)),
            Err(bad) => assembler.reject(reader.read(&table.columns, &bad.record), bad.problem),
        }
        if rows.is_multiple_of(REPORT_EVERY) {
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled());
            }
            progress(Progress {
                phase: ImportPhase::Reading,
                rows_done: rows,
                rows_total_estimate: estimate_rows(rows, file_len, decoding.get(), &table),
            });
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(cancelled());
    }
    progress(Progress {
        phase: ImportPhase::Reading,
        rows_done: rows,
        rows_total_estimate: rows,
    });
    let done = assembler.finish();
    Ok(ParsedFile {
        format,
        encoding,
        rows,
        orders: done.orders,
        problems: done.problems,
        warnings: merge_warnings(file_warnings, done.warnings),
        invalid: done.invalid,
    })
}

/// Rows in the whole file, extrapolated from the share of it parsed so far. The file is read
/// ahead in large blocks and may be decoded (UTF-16 text is about half its size as UTF-8), so the
/// share is the parser's position in the text, scaled back to file bytes by the decoding ratio.
fn estimate_rows(rows: u64, file_len: u64, decoding: DecodeStats, table: &Table) -> u64 {
    let parsed_file_bytes = table.parsed_text_bytes() as f64 * decoding.file_bytes_per_text_byte();
    let estimate = rows as f64 * file_len as f64 / parsed_file_bytes.max(1.0);
    (estimate.round() as u64).max(rows)
}

/// A cell as the preview shows it: cut to [`PREVIEW_CELL_CHARS`] characters.
fn preview_cell(mut cell: String) -> String {
    if let Some((cut, _)) = cell.char_indices().nth(PREVIEW_CELL_CHARS) {
        cell.truncate(cut);
        cell.push('…');
    }
    cell
}

/// The first `max_rows` rows of the file, or fewer when they hold more than
/// [`PREVIEW_MAX_BYTES`] of text (the first row is always read): what
/// [`crate::orders::OrdersService::preview_file`] answers.
pub fn preview_file(
    path: &Path,
    mapping: Option<&ColumnMapping>,
    limits: ImportLimits,
    max_rows: usize,
) -> AppResult<ImportPreview> {
    let src = source::open(path, limits.max_file_bytes)?;
    let delimiter = sniff::delimiter(&src.sample);
    let encoding = src.encoding.name().to_owned();
    let file_warnings = src.warnings;
    let mut table = Table::open(src.reader, delimiter, limits, &src.name)?;
    let format = detect(&table.columns);
    let mut records = Vec::new();
    let mut bad_rows = Vec::new();
    let mut text_bytes = 0usize;
    while records.len() + bad_rows.len() < max_rows {
        let Some(next) = table.next_record()? else {
            break;
        };
        let fields = match &next {
            Ok(rec) => &rec.fields,
            Err(bad) => &bad.record.fields,
        };
        text_bytes += fields.iter().map(String::len).sum::<usize>();
        let first = records.is_empty() && bad_rows.is_empty();
        if !first && text_bytes > PREVIEW_MAX_BYTES {
            break;
        }
        match next {
            Ok(rec) => records.push(rec),
            Err(bad) => bad_rows.push(bad),
        }
    }
    let needs_mapping = format == DetectedFormat::Unknown && mapping.is_none();
    let suggested_mapping = needs_mapping.then(|| suggest_mapping(&table.columns));
    let review = mapping
        .or(suggested_mapping.as_ref())
        .map(|m| m.review(&table.columns))
        .unwrap_or_default();
    let mut mapped_preview = Vec::new();
    let mut problems: Vec<ImportProblem> = bad_rows.iter().map(|b| b.problem.clone()).collect();
    let mut warnings = Vec::new();
    if !needs_mapping && review.problems.is_empty() {
        let reader = reader_for(format, mapping, &table.columns)?;
        let mut assembler = Assembler::new(source_kind(format, mapping));
        for rec in &records {
            assembler.push(reader.read(&table.columns, rec));
        }
        for bad in bad_rows.iter() {
            assembler.reject(
                reader.read(&table.columns, &bad.record),
                bad.problem.clone(),
            );
        }
        let done = assembler.finish();
        problems = done.problems;
        warnings = done.warnings;
        mapped_preview = done
            .orders
            .into_iter()
            .map(|o| PreviewOrder {
                line: o.line,
                order_number: o.data.order_number,
                status: o.data.status,
                ship_to: o.data.ship_to,
                items: o.data.items,
                tags: o.data.tags,
                notes: o.data.notes,
            })
            .collect();
    }
    let mut first_rows: Vec<(u64, Vec<String>)> = records
        .into_iter()
        .chain(bad_rows.into_iter().map(|b| b.record))
        .map(|r| (r.line, r.fields))
        .collect();
    first_rows.sort_by_key(|(line, _)| *line);
    let warnings = merge_warnings(file_warnings, warnings);
    Ok(ImportPreview {
        detected_format: format,
        encoding,
        delimiter: (delimiter as char).to_string(),
        headers: table.columns.names.clone(),
        first_rows: first_rows
            .into_iter()
            .map(|(_, fields)| fields.into_iter().map(preview_cell).collect())
            .collect(),
        needs_mapping,
        suggested_mapping,
        required_fields: required_fields(),
        unmapped_required: review.unmapped_required,
        absent_columns: review.absent_columns,
        mapping_problems: review.problems,
        mapped_preview,
        problems,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::import::MappedField;
    use crate::orders::import::table::Columns;

    #[test]
    fn the_first_row_estimate_is_close_to_the_real_count() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("Order ID,Ship To,Street,City,State,ZIP,Contents\n");
        for i in 0..20_000 {
            text.push_str(&format!("{i},Ann Lee,{i} Main St,Austin,TX,78701,Mug\n"));
        }
        for (name, bytes) in [
            ("utf8.csv", text.as_bytes().to_vec()),
            ("utf16.csv", {
                let mut b = vec![0xFF, 0xFE];
                b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                b
            }),
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            let mut seen = Vec::new();
            let mapping = suggest_mapping(&Columns::new(
                "Order ID,Ship To,Street,City,State,ZIP,Contents"
                    .split(',')
                    .map(str::to_owned)
                    .collect(),
            ));
            let mapping = ColumnMapping {
                name: "m".into(),
                ..mapping
            };
            parse_file(
                &p,
                Some(&mapping),
                ImportLimits::default(),
                &mut |p| seen.push(p),
                &AtomicBool::new(false),
            )
            .unwrap();
            let first = seen[0];
            assert_eq!(first.rows_done, 500);
            // Early rows are a little shorter here (small order numbers), hence the slack.
            let off = first.rows_total_estimate.abs_diff(20_000);
            assert!(off < 2_500, "{name}: first estimate {first:?}");
            assert_eq!(seen.last().unwrap().rows_total_estimate, 20_000);
        }
    }

    #[test]
    fn suggests_a_mapping_for_the_generic_sheet() {
        let cols = Columns::new(
            "Order ID,Ship To,Street,Street 2,City,State,ZIP,Weight (lb),Contents"
                .split(',')
                .map(str::to_owned)
                .collect(),
        );
        let m = suggest_mapping(&cols);
        let got = |f| m.columns.get(&f).map(String::as_str);
        assert_eq!(got(MappedField::OrderNumber), Some("Order ID"));
        assert_eq!(got(MappedField::Name), Some("Ship To"));
        assert_eq!(got(MappedField::Street1), Some("Street"));
        assert_eq!(got(MappedField::Street2), Some("Street 2"));
        assert_eq!(got(MappedField::Zip), Some("ZIP"));
        assert_eq!(got(MappedField::Weight), Some("Weight (lb)"));
        assert_eq!(got(MappedField::ItemTitle), Some("Contents"));
    }

    /// A sheet whose suggested mapping misses a required column (nothing says "State Abbr" is
    /// the state): the preview of the suggestion names what is missing and still shows the file;
    /// an import with it fails with the same sentences; once the user maps the column, the
    /// preview shows exactly the orders an import with that same mapping reads.
    #[test]
    fn preview_and_import_read_a_file_alike_through_one_mapping() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("warehouse.csv");
        std::fs::write(
            &path,
            "Order #,Recipient,Address,Town,State Abbr,Zip Code,Item,Qty\n\
             W-1,Cy Diaz,3 Oak Rd,Boise,ID,83702,Soap,2\n\
             W-1,,,,,,Towel,1\n\
             W-2,Di Ruiz,9 Elm St,Reno,NV,89501,Candle,1\n",
        )
        .unwrap();
        let limits = ImportLimits::default();
        let first = preview_file(&path, None, limits, 10).unwrap();
        assert!(first.needs_mapping);
        assert_eq!(first.unmapped_required, [MappedField::State]);
        assert_eq!(first.mapping_problems, ["choose the column with the state"]);
        assert!(first.required_fields.contains(&MappedField::Zip));
        let suggested = first.suggested_mapping.clone().unwrap();

        let incomplete = preview_file(&path, Some(&suggested), limits, 10).unwrap();
        assert!(!incomplete.needs_mapping);
        assert_eq!(incomplete.headers, first.headers);
        assert_eq!(incomplete.first_rows.len(), 3);
        assert!(incomplete.mapped_preview.is_empty());
        assert_eq!(incomplete.unmapped_required, [MappedField::State]);
        let refused = parse_file(
            &path,
            Some(&suggested),
            limits,
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .err()
        .expect("an incomplete mapping does not import");
        assert!(
            refused.message.contains(&incomplete.mapping_problems[0]),
            "{}",
            refused.message
        );

        let mut mapping = suggested;
        mapping
            .columns
            .insert(MappedField::State, "State Abbr".to_owned());
        let preview = preview_file(&path, Some(&mapping), limits, 10).unwrap();
        assert!(preview.mapping_problems.is_empty());
        assert!(preview.unmapped_required.is_empty());
        let parsed = parse_file(
            &path,
            Some(&mapping),
            limits,
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
        let imported: Vec<PreviewOrder> = parsed
            .orders
            .into_iter()
            .map(|o| PreviewOrder {
                line: o.line,
                order_number: o.data.order_number,
                status: o.data.status,
                ship_to: o.data.ship_to,
                items: o.data.items,
                tags: o.data.tags,
                notes: o.data.notes,
            })
            .collect();
        assert_eq!(preview.mapped_preview, imported);
        assert_eq!(imported.len(), 2);
        assert_eq!(imported[0].ship_to.state, "ID");
        assert_eq!(imported[0].items.len(), 2);
        assert_eq!(preview.problems, parsed.problems);
    }

    /// Whatever bytes a file holds, the pipeline answers with a result or an error, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        let headers = [
            "Name,Lineitem name,Lineitem quantity,Lineitem price,Shipping Zip,Shipping Province\n",
            "order-id\torder-item-id\trecipient-name\tship-postal-code\tquantity-to-ship\n",
            "\n\"Sales Record Number\",\"Order Number\",\"Ship To Zip\",Quantity\n",
            "Order ID,Ship To,Street,City,State,ZIP,Weight (lb),Contents\n",
        ];
        let alphabet: &[u8] = b"\",;|\t\n\r ab1234567890$.-#'lbkgoz\x00\xff\xfe\xe9\x92";
        let mapping = ColumnMapping {
            name: "m".into(),
            columns: [
                (MappedField::OrderNumber, "Order ID"),
                (MappedField::Name, "Ship To"),
                (MappedField::Street1, "Street"),
                (MappedField::City, "City"),
                (MappedField::State, "State"),
                (MappedField::Zip, "ZIP"),
                (MappedField::Weight, "Weight (lb)"),
                (MappedField::ItemTitle, "Contents"),
            ]
            .into_iter()
            .map(|(f, h)| (f, h.to_owned()))
            .collect(),
            weight_unit: None,
        };
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for case in 0..400 {
            let mut bytes = headers[case % headers.len()].as_bytes().to_vec();
            let len = (case * 7) % 300;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                bytes.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            std::fs::write(&path, &bytes).unwrap();
            let m = (case % 4 == 3).then_some(&mapping);
            let limits = ImportLimits::default();
            let _ = parse_file(&path, m, limits, &mut |_| {}, &AtomicBool::new(false));
            let _ = preview_file(&path, m, limits, 5);
        }
    }
}
