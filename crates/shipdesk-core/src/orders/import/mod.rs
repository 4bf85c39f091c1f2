//! Order import from CSV/TSV exports: pure parsing, no database. The steps, each in its module:
//! [`source`] detects the encoding line by line and streams the file as UTF-8; [`sniff`] guesses
//! the delimiter; [`table`] reads records with their line numbers; [`formats`] recognises the
//! export by its header (or applies the user's column mapping) and reads each record;
//! [`assemble`] groups rows into orders, normalizes and validates them, and names every problem by
//! line and field. [`crate::orders::OrdersService`] then writes the result in one transaction.
//!
//! # Limits
//!
//! A hostile or broken file must fail fast with a sentence, not after minutes and gigabytes, so
//! every size is checked while the bytes stream past, before anything proportional to it is kept
//! (see [`ImportLimits`]): a file over [`DEFAULT_MAX_FILE_BYTES`] (200 MB, raised per import with
//! [`ImportOptions::max_file_bytes`]), a record over [`MAX_COLUMNS`] columns, a value over
//! [`MAX_FIELD_BYTES`] or a column name over [`MAX_HEADER_NAME_BYTES`]. The error names the file,
//! the line and the column. The preview reads at most [`PREVIEW_MAX_BYTES`] of rows and cuts each
//! cell it shows to [`PREVIEW_CELL_CHARS`] characters, so what crosses IPC stays small whatever
//! the file holds.

mod assemble;
pub mod formats;
pub mod normalize;
mod parse;
mod sniff;
mod source;
mod table;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::orders::{Address, LineItem, OrderStatus};

pub use assemble::ImportedOrder;
pub use formats::DetectedFormat;
pub use formats::mapping::{ColumnMapping, MappedField};
pub use normalize::WeightUnit;
pub(crate) use parse::cancelled;
// Public (the app goes through `OrdersService`) so the fuzz targets in fuzz/ drive the very
// pipeline an import and a preview run.
pub use parse::{ParsedFile, parse_file, preview_file};

/// One thing wrong in the file, named by line and field so the user can find and fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProblem {
    /// The file's line (the header is line 1, or later if blank lines come first).
    #[ts(type = "number")]
    pub line: u64,
    /// Which field: `order_number`, `ship_to.zip`, `items[0].quantity`, `row`, or `encoding`
    /// for a line whose bytes were read otherwise than the rest of the file…
    pub field: String,
    /// A sentence that starts with the line: "line 4: ZIP is missing".
    pub message: String,
}

impl ImportProblem {
    pub fn new(line: u64, field: impl Into<String>, what: impl std::fmt::Display) -> Self {
        Self {
            line,
            field: field.into(),
            message: format!("line {line}: {what}"),
        }
    }
}

/// An order in the file that was left as it is in Shipdesk, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SkippedOrder {
    #[ts(type = "number")]
    pub line: u64,
    pub order_number: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportSummary {
    pub format: DetectedFormat,
    /// The saved mapping used, if any.
    pub mapping: Option<String>,
    pub encoding: String,
    /// Data rows read (not counting the header and blank lines).
    #[ts(type = "number")]
    pub rows: u64,
    /// Orders added.
    pub new: u32,
    /// Orders already in Shipdesk whose data in the file changed since they were last imported.
    pub updated: u32,
    /// Orders already in Shipdesk, identical in the file.
    pub unchanged: u32,
    /// Orders already in Shipdesk that were not touched (they have shipped): see `skipped_orders`.
    pub skipped: u32,
    /// Orders in the file that were not imported because of problems: see `problems`.
    pub invalid: u32,
    pub problems: Vec<ImportProblem>,
    /// Orders imported without a value that could not be used (e.g. a placeholder email), or
    /// with invisible control characters removed from a field, and lines that were not read in
    /// the file's encoding (`field` is `encoding`).
    pub warnings: Vec<ImportProblem>,
    pub skipped_orders: Vec<SkippedOrder>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportPhase {
    /// Reading and checking the file; counts are rows.
    Reading,
    /// Writing to the database; counts are orders.
    Saving,
}

/// Reported while an import runs ("Importing 12,400 of 40,000 rows").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Progress {
    pub phase: ImportPhase,
    #[ts(type = "number")]
    pub rows_done: u64,
    /// While reading, estimated from the bytes read so far; exact while saving.
    #[ts(type = "number")]
    pub rows_total_estimate: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportOptions {
    /// The name of a saved column mapping to apply instead of format detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mapping: Option<String>,
    /// A mapping built in the import dialog and not (yet) saved; used when `mapping` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub column_mapping: Option<ColumnMapping>,
    /// The largest file to import, in bytes (200 MB when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub max_file_bytes: Option<u64>,
}

impl ImportOptions {
    pub fn limits(&self) -> ImportLimits {
        ImportLimits {
            max_file_bytes: self
                .max_file_bytes
                .unwrap_or(ImportLimits::default().max_file_bytes),
            ..ImportLimits::default()
        }
    }
}

/// Files larger than this are refused unless the import raises the limit
/// ([`ImportOptions::max_file_bytes`]): an import holds every order of the file in memory before
/// writing them in one transaction, and 200 MB is several times the largest marketplace export.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// Columns in any record. Marketplace exports have under 100; more than this is not an order file
/// (or the delimiter is wrong).
pub const MAX_COLUMNS: usize = 500;
/// Bytes in one value (a gift note or a long item description is a few KB).
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Bytes in one column name: the header is sent to the import dialog and saved in mappings.
pub const MAX_HEADER_NAME_BYTES: usize = 1024;
/// How many bytes of text the preview's rows hold at most (its first row is read whatever its
/// size, within the limits).
pub const PREVIEW_MAX_BYTES: usize = 256 * 1024;
/// How many characters of each cell the preview's `first_rows` show.
pub const PREVIEW_CELL_CHARS: usize = 200;

/// What a file may hold before it is refused (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    pub max_file_bytes: u64,
    pub max_columns: usize,
    pub max_field_bytes: usize,
    pub max_header_name_bytes: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_columns: MAX_COLUMNS,
            max_field_bytes: MAX_FIELD_BYTES,
            max_header_name_bytes: MAX_HEADER_NAME_BYTES,
        }
    }
}

/// `1234567` → `"1,234,567"`, as counts read in messages.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size as people read it: `"312 MB"`, `"64 KB"`, `"900 bytes"`.
pub(crate) fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    if bytes >= MB {
        format!("{} MB", grouped(bytes.div_ceil(MB)))
    } else if bytes >= KB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        format!("{bytes} bytes")
    }
}

/// An order as the import would create it, for the preview table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviewOrder {
    #[ts(type = "number")]
    pub line: u64,
    pub order_number: String,
    pub status: OrderStatus,
    pub ship_to: Address,
    pub items: Vec<LineItem>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub detected_format: DetectedFormat,
    pub encoding: String,
    /// `","`, `"\t"`, `";"` or `"|"`.
    pub delimiter: String,
    pub headers: Vec<String>,
    /// The first rows as they are in the file, cell by cell: each cell cut to 200 characters,
    /// and only as many rows as hold 256 KB of text (always the first).
    pub first_rows: Vec<Vec<String>>,
    /// True when the format is not recognised and no mapping was given: build one.
    pub needs_mapping: bool,
    /// A starting point for the mapping, matched from header names (always review it).
    pub suggested_mapping: Option<ColumnMapping>,
    /// The fields every mapping must give a column for (the recipient's name may come from a
    /// first-name column instead).
    pub required_fields: Vec<MappedField>,
    /// For the mapping in play (the one given, else the suggested one): the required fields it
    /// gives no column…
    pub unmapped_required: Vec<MappedField>,
    /// …the fields it maps to a column this file does not have…
    pub absent_columns: Vec<MappedField>,
    /// …and both as the sentences an import with it would fail with. A given mapping with
    /// problems previews no orders, but the preview still answers (headers, first rows), so the
    /// mapping can be fixed where it is edited.
    pub mapping_problems: Vec<String>,
    /// The orders the first rows make, with the format or mapping applied.
    pub mapped_preview: Vec<PreviewOrder>,
    pub problems: Vec<ImportProblem>,
    /// Warnings about the first rows, and about lines anywhere in the file that were not read
    /// in the file's encoding (`field` is `encoding`).
    pub warnings: Vec<ImportProblem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_sizes_read_as_people_write_them() {
        let counts = [0, 7, 500, 1_000, 65_536, 1_000_000, 12_345_678_901];
        assert_eq!(
            counts.map(grouped),
            [
                "0",
                "7",
                "500",
                "1,000",
                "65,536",
                "1,000,000",
                "12,345,678,901"
            ]
        );
        let sizes = [
            900,
            1024,
            64 * 1024,
            64 * 1024 + 1,
            200 * 1024 * 1024,
            5 << 30,
        ];
        assert_eq!(
            sizes.map(human_size),
            ["900 bytes", "1 KB", "64 KB", "65 KB", "200 MB", "5,120 MB"]
        );
    }

    #[test]
    fn options_raise_only_the_file_size_limit() {
        assert_eq!(ImportOptions::default().limits(), ImportLimits::default());
        let raised = ImportOptions {
            max_file_bytes: Some(1 << 40),
            ..ImportOptions::default()
        }
        .limits();
        assert_eq!(raised.max_file_bytes, 1 << 40);
        assert_eq!(raised.max_columns, MAX_COLUMNS);
        // The webview sends options as JSON; the limit is optional there.
        let parsed: ImportOptions = serde_json::from_str(r#"{"max_file_bytes": 1000}"#).unwrap();
        assert_eq!(parsed.limits().max_file_bytes, 1000);
    }
}
