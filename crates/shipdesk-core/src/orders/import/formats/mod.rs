//! The export formats Shipdesk recognises by their header row, and the user-built column mapping
//! for everything else. Each format turns one record into a [`RawRow`]: untouched text for the
//! order-level fields (which some exports only fill on an order's first row) and the line item(s)
//! the row carries. Normalizing and validating the text is the assembler's job, done once for all.

mod amazon;
mod ebay;
mod etsy;
pub mod mapping;
mod shopify;
mod woocommerce;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ImportProblem;
use super::normalize::WeightUnit;
use super::table::{Columns, Record};
use crate::error::AppResult;
use crate::orders::{OrderStatus, SourceKind};
use mapping::ColumnMapping;

/// What the header row says the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DetectedFormat {
    /// Shopify orders export: one row per line item, order columns on the first row only.
    Shopify,
    /// Etsy "Orders" CSV (EtsySoldOrders): one row per order, no per-item detail.
    EtsyOrders,
    /// Etsy "Order Items" CSV (EtsySoldOrderItems): one row per item.
    EtsyOrderItems,
    /// eBay Seller Hub orders report: blank first line, footer lines after the orders.
    Ebay,
    /// Amazon Seller Central unshipped orders report (tab-separated, one row per item).
    AmazonUnshipped,
    /// WooCommerce order export (one row per order, items in `line_item_N` columns).
    Woocommerce,
    /// WooCommerce "Advanced Order Export" CSV (one row per product).
    WoocommerceItemRows,
    /// Not recognised: needs a column mapping.
    Unknown,
}

impl DetectedFormat {
    pub fn source_kind(self) -> SourceKind {
        match self {
            DetectedFormat::Shopify => SourceKind::Shopify,
            DetectedFormat::EtsyOrders | DetectedFormat::EtsyOrderItems => SourceKind::Etsy,
            DetectedFormat::Ebay => SourceKind::Ebay,
            DetectedFormat::AmazonUnshipped => SourceKind::Amazon,
            DetectedFormat::Woocommerce | DetectedFormat::WoocommerceItemRows => {
                SourceKind::Woocommerce
            }
            DetectedFormat::Unknown => SourceKind::File,
        }
    }
}

pub(crate) fn detect(c: &Columns) -> DetectedFormat {
    let all = |names: &[&str]| names.iter().all(|n| c.has(n));
    if all(&["Name", "Lineitem name", "Lineitem quantity", "Shipping Zip"]) {
        DetectedFormat::Shopify
    } else if all(&["Order ID", "Item Name", "Transaction ID", "Ship Zipcode"]) {
        DetectedFormat::EtsyOrderItems
    } else if all(&["Order ID", "Full Name", "Street 1", "Ship Zipcode"]) {
        DetectedFormat::EtsyOrders
    } else if all(&["Sales Record Number", "Order Number", "Ship To Zip"]) {
        DetectedFormat::Ebay
    } else if all(&[
        "order-id",
        "order-item-id",
        "recipient-name",
        "ship-postal-code",
    ]) {
        DetectedFormat::AmazonUnshipped
    } else if all(&["shipping_postcode", "shipping_first_name"])
        && (c.has("order_number") || c.has("order_id"))
    {
        DetectedFormat::Woocommerce
    } else if all(&[
        "Order Number",
        "First Name (Shipping)",
        "Postcode (Shipping)",
    ]) {
        DetectedFormat::WoocommerceItemRows
    } else {
        DetectedFormat::Unknown
    }
}

/// Order-level text as the file has it; empty means "not on this row".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawOrder {
    pub order_number: String,
    pub source_id: String,
    pub ordered_at: String,
    pub status: Option<OrderStatus>,
    pub name: String,
    pub company: String,
    pub street1: String,
    pub street2: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub country: String,
    pub phone: String,
    pub email: String,
    pub notes: String,
    pub tags: Vec<String>,
}

impl RawOrder {
    /// Fills the fields this row left empty from a later row of the same order.
    pub fn fill_from(&mut self, other: RawOrder) {
        let pairs = [
            (&mut self.order_number, other.order_number),
            (&mut self.source_id, other.source_id),
            (&mut self.ordered_at, other.ordered_at),
            (&mut self.name, other.name),
            (&mut self.company, other.company),
            (&mut self.street1, other.street1),
            (&mut self.street2, other.street2),
            (&mut self.city, other.city),
            (&mut self.state, other.state),
            (&mut self.zip, other.zip),
            (&mut self.country, other.country),
            (&mut self.phone, other.phone),
            (&mut self.email, other.email),
            (&mut self.notes, other.notes),
        ];
        for (mine, theirs) in pairs {
            if mine.trim().is_empty() {
                *mine = theirs;
            }
        }
        if self.status.is_none() {
            self.status = other.status;
        }
        for t in other.tags {
            if !self.tags.contains(&t) {
                self.tags.push(t);
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawItem {
    pub line: u64,
    pub sku: String,
    pub title: String,
    pub quantity: String,
    pub unit_price: String,
    pub weight: String,
    pub weight_unit: WeightUnit,
    /// False for items that need no parcel (digital goods, gift cards).
    pub ships: bool,
    /// Customs data, where the export has it.
    pub hs_tariff: String,
    pub origin_country: String,
    /// The currency of `unit_price` (blank: the order's, else US dollars).
    pub currency: String,
}

impl RawItem {
    pub fn new(line: u64) -> Self {
        Self {
            line,
            sku: String::new(),
            title: String::new(),
            quantity: String::new(),
            unit_price: String::new(),
            weight: String::new(),
            weight_unit: WeightUnit::Oz,
            ships: true,
            hs_tariff: String::new(),
            origin_country: String::new(),
            currency: String::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.sku.is_empty() && self.title.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawRow {
    pub line: u64,
    /// What ties the rows of one order together within the file.
    pub key: String,
    pub order: RawOrder,
    pub items: Vec<RawItem>,
}

// Every record becomes a `Row`; boxing it would add an allocation per record for no gain.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RowRead {
    Row(RawRow),
    /// Not an order: a report footer, a summary line.
    Ignore,
    Problem(ImportProblem),
}

pub(crate) trait FormatReader {
    fn read(&self, c: &Columns, rec: &Record) -> RowRead;
}

/// The reader for a detected format, or the user's mapping (which wins when given).
pub(crate) fn reader_for(
    format: DetectedFormat,
    mapping: Option<&ColumnMapping>,
    columns: &Columns,
) -> AppResult<Box<dyn FormatReader>> {
    if let Some(m) = mapping {
        return Ok(Box::new(m.reader(columns)?));
    }
    Ok(match format {
        DetectedFormat::Shopify => Box::new(shopify::Shopify),
        DetectedFormat::EtsyOrders => Box::new(etsy::EtsyOrders),
        DetectedFormat::EtsyOrderItems => Box::new(etsy::EtsyOrderItems),
        DetectedFormat::Ebay => Box::new(ebay::Ebay),
        DetectedFormat::AmazonUnshipped => Box::new(amazon::AmazonUnshipped),
        DetectedFormat::Woocommerce => Box::new(woocommerce::WooCommerce),
        DetectedFormat::WoocommerceItemRows => Box::new(woocommerce::WooCommerceItemRows),
        DetectedFormat::Unknown => {
            return Err(crate::error::AppError::validation(
                "Shipdesk does not recognise this file's columns. Build a column mapping \
                 (which column is the order number, the name, the address…) and import with it.",
            )
            .with_details(crate::error::ErrorDetails::UnknownColumns {
                headers: columns.names.clone(),
            }));
        }
    })
}

/// A row with no order key is a problem, named by the column that should have held it.
pub(crate) fn missing_key(line: u64, column: &str) -> RowRead {
    RowRead::Problem(ImportProblem::new(
        line,
        "order_number",
        format!("order number is missing (column \"{column}\")"),
    ))
}

/// Shared test helpers: parse a small inline export through the real table reader.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::orders::import::table::Table;

    pub fn read_all(text: &str, delimiter: u8) -> (DetectedFormat, Vec<RowRead>) {
        let mut t = Table::open(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            delimiter,
            crate::orders::import::ImportLimits::default(),
            "test.csv",
        )
        .unwrap();
        let format = detect(&t.columns);
        let reader = reader_for(format, None, &t.columns).unwrap();
        let mut out = Vec::new();
        while let Some(r) = t.next_record().unwrap() {
            out.push(reader.read(&t.columns, &r.unwrap()));
        }
        (format, out)
    }

    pub fn rows(reads: &[RowRead]) -> Vec<&RawRow> {
        reads
            .iter()
            .filter_map(|r| match r {
                RowRead::Row(row) => Some(row),
                _ => None,
            })
            .collect()
    }
}
