//! A column mapping: for a spreadsheet Shipdesk does not recognise, the user says once which of
//! its columns holds each of our fields, previews the result on the first rows, and saves it by
//! name to reuse next time. Rows that share an order number are one order (one row per item), so
//! the same mapping serves "one row per order" and "one row per item" sheets.
//!
//! Only an address is required. A sheet without items is a list of orders without items; a
//! sheet without order numbers (a plain address list) makes one order per row, each numbered
//! from its content (see [`MappedReader`]) so that importing the same list again finds the same
//! orders. [`suggest`] proposes a mapping from the header names.

mod suggest;

pub(crate) use suggest::suggest_mapping;

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{FormatReader, RawItem, RawOrder, RawRow, RowRead, missing_key};
use crate::error::{AppError, AppResult};
use crate::orders::OrderStatus;
use crate::orders::import::normalize::{WeightUnit, split_tags};
use crate::orders::import::table::{Columns, Record};

/// Our fields a column can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MappedField {
    OrderNumber,
    SourceId,
    OrderedAt,
    Status,
    Name,
    FirstName,
    LastName,
    Company,
    Street1,
    Street2,
    City,
    State,
    Zip,
    Country,
    Phone,
    Email,
    Sku,
    ItemTitle,
    Quantity,
    UnitPrice,
    Weight,
    Notes,
    Tags,
}

impl MappedField {
    pub const ALL: [MappedField; 23] = [
        MappedField::OrderNumber,
        MappedField::SourceId,
        MappedField::OrderedAt,
        MappedField::Status,
        MappedField::Name,
        MappedField::FirstName,
        MappedField::LastName,
        MappedField::Company,
        MappedField::Street1,
        MappedField::Street2,
        MappedField::City,
        MappedField::State,
        MappedField::Zip,
        MappedField::Country,
        MappedField::Phone,
        MappedField::Email,
        MappedField::Sku,
        MappedField::ItemTitle,
        MappedField::Quantity,
        MappedField::UnitPrice,
        MappedField::Weight,
        MappedField::Notes,
        MappedField::Tags,
    ];

    /// The snake_case name used in JSON and on the command line (`order_number`).
    pub fn key(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ColumnMapping {
    /// The name it is saved under, e.g. "Warehouse sheet".
    pub name: String,
    /// Our field → the file's column header.
    pub columns: BTreeMap<MappedField, String>,
    /// The unit of bare numbers in the weight column; when absent, taken from the header
    /// (`Weight (lb)`), else ounces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub weight_unit: Option<WeightUnit>,
}

/// The fields a mapping must give a column for (an address to ship to), each with how the
/// sentence asking for its column names it. The recipient's name may come from a first-name
/// column ([`MappedField::FirstName`]) instead of a full-name one.
const REQUIRED: [(MappedField, &str); 5] = [
    (MappedField::Name, "the recipient's name"),
    (MappedField::Street1, "the street address"),
    (MappedField::City, "the city"),
    (MappedField::State, "the state"),
    (MappedField::Zip, "the ZIP code"),
];

/// The fields every mapping must give a column for (see [`REQUIRED`]).
pub fn required_fields() -> Vec<MappedField> {
    REQUIRED.iter().map(|(field, _)| *field).collect()
}

/// What keeps a mapping from reading a file, field by field and as sentences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MappingReview {
    /// Required fields with no column, in [`required_fields`] order.
    pub unmapped_required: Vec<MappedField>,
    /// Fields mapped to a column this file does not have.
    pub absent_columns: Vec<MappedField>,
    /// Each of the above as a sentence ("choose the column with the ZIP code").
    pub problems: Vec<String>,
}

impl ColumnMapping {
    /// Which required fields have no column and which columns it names are not in `columns`.
    /// (A name is only needed to save it: the import dialog previews a mapping before it has one.)
    pub(crate) fn review(&self, columns: &Columns) -> MappingReview {
        let mut review = MappingReview::default();
        let has = |f: MappedField| self.columns.contains_key(&f);
        for (field, what) in REQUIRED {
            let given = match field {
                MappedField::Name => has(MappedField::Name) || has(MappedField::FirstName),
                _ => has(field),
            };
            if !given {
                review.unmapped_required.push(field);
                review
                    .problems
                    .push(format!("choose the column with {what}"));
            }
        }
        for (field, header) in &self.columns {
            if !columns.has(header) {
                review.absent_columns.push(*field);
                review.problems.push(format!(
                    "the file has no column \"{header}\" (mapped to {})",
                    field.key()
                ));
            }
        }
        review
    }

    /// Checks the mapping is complete and every column it names is in `columns`.
    pub(crate) fn check(&self, columns: &Columns) -> AppResult<()> {
        let problems = self.review(columns).problems;
        if problems.is_empty() {
            Ok(())
        } else {
            let which = match self.name.trim() {
                "" => "Check the column mapping".to_owned(),
                name => format!("Check the column mapping \"{name}\""),
            };
            Err(
                AppError::validation(format!("{which}: {}", problems.join("; ")))
                    .with_details(crate::error::ErrorDetails::MappingProblems { problems }),
            )
        }
    }

    pub(crate) fn reader(&self, columns: &Columns) -> AppResult<MappedReader> {
        self.check(columns)?;
        let weight_unit = self
            .weight_unit
            .or_else(|| {
                self.columns
                    .get(&MappedField::Weight)
                    .and_then(|h| WeightUnit::from_header(h))
            })
            .unwrap_or(WeightUnit::Oz);
        Ok(MappedReader {
            columns: self.columns.clone(),
            weight_unit,
            seen_rows: Mutex::new(HashMap::new()),
        })
    }
}

/// Reads rows through a [`ColumnMapping`].
///
/// Without an order-number column every row is an order of its own, identified by what it says:
/// a hash of its mapped cells (and, for a row repeated word for word, which repetition it is).
/// That identity is the order's source id, so importing the same list again leaves its orders
/// unchanged instead of adding them twice, and a row edited in the sheet becomes a new order. The
/// order number shown is a short form of it (`L-3F9A2C1B7E`).
pub(crate) struct MappedReader {
    columns: BTreeMap<MappedField, String>,
    weight_unit: WeightUnit,
    /// Rows without an order number read so far, by content hash: how many times each was seen.
    seen_rows: Mutex<HashMap<String, u32>>,
}

impl MappedReader {
    /// The key of a row in a sheet without order numbers (see [`MappedReader`]): the content
    /// hash for its first occurrence, `hash-N` for the N-th.
    fn row_key(&self, cells: &[String]) -> String {
        let mut hasher = Sha256::new();
        for cell in cells {
            hasher.update(cell.trim().as_bytes());
            hasher.update([0x1f]);
        }
        let hash: String = hasher.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut seen = self.seen_rows.lock().unwrap_or_else(|p| p.into_inner());
        let n = seen.entry(hash.clone()).or_insert(0);
        *n += 1;
        match *n {
            1 => hash,
            n => format!("{hash}-{n}"),
        }
    }
}

/// The order number shown for a row keyed by [`MappedReader::row_key`].
fn number_for_row_key(key: &str) -> String {
    let (hash, repeat) = key.split_once('-').unwrap_or((key, ""));
    let short = hash[..10.min(hash.len())].to_uppercase();
    match repeat {
        "" => format!("L-{short}"),
        n => format!("L-{short}-{n}"),
    }
}

/// Status words spreadsheets use, beyond our own names.
fn status(raw: &str) -> Option<OrderStatus> {
    if raw.trim().is_empty() {
        return None;
    }
    OrderStatus::parse(raw).or_else(|| {
        Some(match raw.trim().to_lowercase().as_str() {
            "fulfilled" | "completed" | "complete" | "sent" => OrderStatus::Shipped,
            "void" | "voided" | "refunded" => OrderStatus::Cancelled,
            _ => OrderStatus::AwaitingShipment,
        })
    })
}

impl FormatReader for MappedReader {
    fn read(&self, c: &Columns, r: &Record) -> RowRead {
        let g = |f: MappedField| {
            self.columns
                .get(&f)
                .map(|h| c.get(r, h).to_owned())
                .unwrap_or_default()
        };
        let (key, order_number, source_id) = match self.columns.get(&MappedField::OrderNumber) {
            Some(header) => {
                let key = c.get(r, header).to_owned();
                if key.is_empty() {
                    return missing_key(r.line, header);
                }
                (key.clone(), key, g(MappedField::SourceId))
            }
            None => {
                let cells: Vec<String> = self.columns.keys().map(|f| g(*f)).collect();
                if cells.iter().all(|c| c.trim().is_empty()) {
                    return RowRead::Ignore;
                }
                let key = self.row_key(&cells);
                (key.clone(), number_for_row_key(&key), key)
            }
        };
        let mut name = g(MappedField::Name);
        if name.is_empty() {
            name = format!("{} {}", g(MappedField::FirstName), g(MappedField::LastName))
                .trim()
                .to_owned();
        }
        let order = RawOrder {
            order_number,
            source_id,
            ordered_at: g(MappedField::OrderedAt),
            status: status(&g(MappedField::Status)),
            name,
            company: g(MappedField::Company),
            street1: g(MappedField::Street1),
            street2: g(MappedField::Street2),
            city: g(MappedField::City),
            state: g(MappedField::State),
            zip: g(MappedField::Zip),
            country: g(MappedField::Country),
            phone: g(MappedField::Phone),
            email: g(MappedField::Email),
            notes: g(MappedField::Notes),
            tags: split_tags(&g(MappedField::Tags)),
        };
        let mut item = RawItem::new(r.line);
        item.sku = g(MappedField::Sku);
        item.title = g(MappedField::ItemTitle);
        item.quantity = g(MappedField::Quantity);
        item.unit_price = g(MappedField::UnitPrice);
        item.weight = g(MappedField::Weight);
        item.weight_unit = self.weight_unit;
        let items = if item.is_empty() { vec![] } else { vec![item] };
        RowRead::Row(RawRow {
            line: r.line,
            key,
            order,
            items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::import::ImportLimits;
    use crate::orders::import::table::Table;

    pub(crate) fn generic_mapping() -> ColumnMapping {
        let pairs = [
            (MappedField::OrderNumber, "Order ID"),
            (MappedField::Name, "Ship To"),
            (MappedField::Street1, "Street"),
            (MappedField::Street2, "Street 2"),
            (MappedField::City, "City"),
            (MappedField::State, "State"),
            (MappedField::Zip, "ZIP"),
            (MappedField::Weight, "Weight (lb)"),
            (MappedField::ItemTitle, "Contents"),
        ];
        ColumnMapping {
            name: "Generic".into(),
            columns: pairs.into_iter().map(|(f, h)| (f, h.to_owned())).collect(),
            weight_unit: None,
        }
    }

    /// Every row of `text` read through `mapping`'s reader (one reader for the whole file, as
    /// an import has).
    fn read_rows(mapping: &ColumnMapping, text: &str) -> Vec<RowRead> {
        let mut t = Table::open(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            b',',
            ImportLimits::default(),
            "test.csv",
        )
        .unwrap();
        let reader = mapping.reader(&t.columns).unwrap();
        let mut reads = Vec::new();
        while let Some(rec) = t.next_record().unwrap() {
            reads.push(reader.read(&t.columns, &rec.unwrap()));
        }
        reads
    }

    fn row(read: &RowRead) -> &RawRow {
        match read {
            RowRead::Row(row) => row,
            other => panic!("a row expected, got {other:?}"),
        }
    }

    #[test]
    fn maps_columns_and_takes_the_weight_unit_from_the_header() {
        let text = "Order ID,Ship To,Street,Street 2,City,State,ZIP,Weight (lb),Contents\r\n\
G-101,Omar Haddad,42 Elm Ct,Unit 7,Denver,CO,80202,0.25,Stickers\r\n";
        let reads = read_rows(&generic_mapping(), text);
        let row = row(&reads[0]);
        assert_eq!(row.key, "G-101");
        assert_eq!(row.order.order_number, "G-101");
        assert_eq!(row.order.street2, "Unit 7");
        assert_eq!(row.items[0].weight, "0.25");
        assert_eq!(row.items[0].weight_unit, WeightUnit::Lb);
    }

    #[test]
    fn an_incomplete_mapping_says_what_is_missing() {
        let cols = Columns::new(vec!["Order ID".into(), "Ship To".into()]);
        let mut m = generic_mapping();
        m.columns.remove(&MappedField::Zip);
        let e = m.check(&cols).unwrap_err();
        assert!(e.message.contains("ZIP code"), "{}", e.message);
        assert!(e.message.contains("no column \"Street\""), "{}", e.message);
        // Neither order numbers nor items are required (an address list has neither).
        assert!(!e.message.contains("order number"), "{}", e.message);
        assert!(!e.message.contains("item title or SKU"), "{}", e.message);
    }

    /// A plain address list: no order numbers, no items. Each row is an order, keyed by what it
    /// says, so reading the same list again gives the same keys, and a row repeated word for
    /// word is a second order, not the same one twice.
    #[test]
    fn rows_without_order_numbers_are_orders_keyed_by_their_content() {
        let mapping = ColumnMapping {
            name: String::new(),
            columns: [
                (MappedField::Name, "Name"),
                (MappedField::Street1, "Address"),
                (MappedField::City, "City"),
                (MappedField::State, "ST"),
                (MappedField::Zip, "Zip"),
            ]
            .into_iter()
            .map(|(f, h)| (f, h.to_owned()))
            .collect(),
            weight_unit: None,
        };
        let text = "Name,Address,City,ST,Zip,Memo\n\
                    Ann Lee,1 Main St,Austin,TX,78701,\n\
                    Bo Chan,2 Elm St,Reno,NV,89501,\n\
                    Ann Lee,1 Main St,Austin,TX,78701,\n\
                    ,,,,,not an address\n";
        let first = read_rows(&mapping, text);
        let keys: Vec<&str> = first[..3].iter().map(|r| row(r).key.as_str()).collect();
        assert_eq!(keys[0].len(), 32);
        assert_ne!(keys[0], keys[1]);
        assert_eq!(keys[2], format!("{}-2", keys[0]));
        assert!(matches!(first[3], RowRead::Ignore));
        let ann = row(&first[0]);
        assert!(ann.items.is_empty());
        assert_eq!(ann.order.source_id, ann.key);
        assert_eq!(
            ann.order.order_number,
            format!("L-{}", keys[0][..10].to_uppercase())
        );
        assert_eq!(
            row(&first[2]).order.order_number,
            format!("{}-2", ann.order.order_number)
        );
        let again = read_rows(&mapping, text);
        let keys_again: Vec<&str> = again[..3].iter().map(|r| row(r).key.as_str()).collect();
        assert_eq!(keys, keys_again);
    }

    #[test]
    fn field_keys_round_trip() {
        for f in MappedField::ALL {
            assert_eq!(MappedField::parse(&f.key()), Some(f));
        }
        assert_eq!(MappedField::OrderNumber.key(), "order_number");
        let json = serde_json::to_value(generic_mapping()).unwrap();
        assert_eq!(json["columns"]["order_number"], "Order ID");
    }
}
