//! Order import from CSV/TSV exports: pure parsing, no database. The steps, each in its module:
//! [`source`] detects the encoding and streams the file as UTF-8; [`sniff`] guesses the delimiter;
//! [`table`] reads records with their line numbers; [`formats`] recognises the export by its
//! header (or applies the user's column mapping) and reads each record; [`assemble`] groups rows
//! into orders, normalizes and validates them, and names every problem by line and field.
//! [`crate::orders::OrdersService`] then writes the result in one transaction.

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

pub use formats::DetectedFormat;
pub use formats::mapping::{ColumnMapping, MappedField};
pub use normalize::WeightUnit;
pub(crate) use parse::{cancelled, parse_file, preview_file};

/// One thing wrong in the file, named by line and field so the user can find and fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProblem {
    /// The file's line (the header is line 1, or later if blank lines come first).
    #[ts(type = "number")]
    pub line: u64,
    /// Which field: `order_number`, `ship_to.zip`, `items[0].quantity`, `row`…
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
    /// Orders imported without a value that could not be used (e.g. a placeholder email).
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
    /// The first rows as they are in the file, cell by cell.
    pub first_rows: Vec<Vec<String>>,
    /// True when the format is not recognised and no mapping was given: build one.
    pub needs_mapping: bool,
    /// A starting point for the mapping, matched from header names (always review it).
    pub suggested_mapping: Option<ColumnMapping>,
    /// The orders the first rows make, with the format or mapping applied.
    pub mapped_preview: Vec<PreviewOrder>,
    pub problems: Vec<ImportProblem>,
    pub warnings: Vec<ImportProblem>,
}
