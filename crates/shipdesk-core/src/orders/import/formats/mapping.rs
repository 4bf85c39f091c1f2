//! A column mapping: for a spreadsheet Shipdesk does not recognise, the user says once which of
//! its columns holds each of our fields, previews the result on the first rows, and saves it by
//! name to reuse next time. Rows that share an order number are one order (one row per item), so
//! the same mapping serves "one row per order" and "one row per item" sheets.

use std::collections::BTreeMap;

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

impl ColumnMapping {
    /// Checks the mapping is complete and every column it names is in `columns`. (A name is only
    /// needed to save it: the import dialog previews a mapping before it has one.)
    pub(crate) fn check(&self, columns: &Columns) -> AppResult<()> {
        let mut problems = Vec::new();
        let has = |f: MappedField| self.columns.contains_key(&f);
        let required = [
            (MappedField::OrderNumber, "the order number"),
            (MappedField::Street1, "the street address"),
            (MappedField::City, "the city"),
            (MappedField::State, "the state"),
            (MappedField::Zip, "the ZIP code"),
        ];
        for (field, what) in required {
            if !has(field) {
                problems.push(format!("choose the column with {what}"));
            }
        }
        if !has(MappedField::Name) && !has(MappedField::FirstName) {
            problems.push("choose the column with the recipient's name".to_owned());
        }
        if !has(MappedField::ItemTitle) && !has(MappedField::Sku) {
            problems.push("choose the column with the item title or SKU".to_owned());
        }
        for (field, header) in &self.columns {
            if !columns.has(header) {
                problems.push(format!(
                    "the file has no column \"{header}\" (mapped to {})",
                    field.key()
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            let which = match self.name.trim() {
                "" => "The column mapping".to_owned(),
                name => format!("Mapping \"{name}\""),
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
        })
    }
}

pub(crate) struct MappedReader {
    columns: BTreeMap<MappedField, String>,
    weight_unit: WeightUnit,
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
        let key = g(MappedField::OrderNumber);
        if key.is_empty() {
            let header = self
                .columns
                .get(&MappedField::OrderNumber)
                .cloned()
                .unwrap_or_default();
            return missing_key(r.line, &header);
        }
        let mut name = g(MappedField::Name);
        if name.is_empty() {
            name = format!("{} {}", g(MappedField::FirstName), g(MappedField::LastName))
                .trim()
                .to_owned();
        }
        let order = RawOrder {
            order_number: key.clone(),
            source_id: g(MappedField::SourceId),
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

    #[test]
    fn maps_columns_and_takes_the_weight_unit_from_the_header() {
        let text = "Order ID,Ship To,Street,Street 2,City,State,ZIP,Weight (lb),Contents\r\n\
G-101,Omar Haddad,42 Elm Ct,Unit 7,Denver,CO,80202,0.25,Stickers\r\n";
        let mut t = Table::open(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            b',',
        )
        .unwrap();
        let reader = generic_mapping().reader(&t.columns).unwrap();
        let rec = t.next_record().unwrap().unwrap().unwrap();
        let RowRead::Row(row) = reader.read(&t.columns, &rec) else {
            panic!()
        };
        assert_eq!(row.key, "G-101");
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
