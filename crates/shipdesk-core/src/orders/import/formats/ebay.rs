//! eBay Seller Hub's orders report. It starts with a blank line before the header and ends with
//! footer lines that are not orders (a blank line, "N record(s) downloaded, from … to …",
//! "Seller ID : …"). A multi-item order has a row for the order and a row per item sharing its
//! `Order Number`; the assembler merges them. `Custom Label` is the seller's SKU.

use super::{FormatReader, RawItem, RawOrder, RawRow, RowRead, missing_key};
use crate::orders::OrderStatus;
use crate::orders::import::table::{Columns, Record};

pub(crate) struct Ebay;

fn is_footer(r: &Record) -> bool {
    let first = r
        .fields
        .first()
        .map(|f| f.trim().to_lowercase())
        .unwrap_or_default();
    first.contains("record(s) downloaded") || first.starts_with("seller id")
}

impl FormatReader for Ebay {
    fn read(&self, c: &Columns, r: &Record) -> RowRead {
        if is_footer(r) {
            return RowRead::Ignore;
        }
        let g = |name: &str| c.get(r, name).to_owned();
        let mut key = g("Order Number");
        if key.is_empty() {
            key = g("Sales Record Number");
        }
        if key.is_empty() {
            return missing_key(r.line, "Order Number");
        }
        let status = if g("Shipped On Date").is_empty() {
            OrderStatus::AwaitingShipment
        } else {
            OrderStatus::Shipped
        };
        let order = RawOrder {
            order_number: key.clone(),
            source_id: g("Order Number"),
            ordered_at: g("Sale Date"),
            status: Some(status),
            name: g("Ship To Name"),
            street1: g("Ship To Address 1"),
            street2: g("Ship To Address 2"),
            city: g("Ship To City"),
            state: g("Ship To State"),
            zip: g("Ship To Zip"),
            country: g("Ship To Country"),
            phone: g("Ship To Phone"),
            email: g("Buyer Email"),
            notes: g("Buyer Note"),
            ..RawOrder::default()
        };
        let mut item = RawItem::new(r.line);
        item.sku = g("Custom Label");
        item.title = g("Item Title");
        let variation = g("Variation Details");
        if !variation.is_empty() && !item.title.is_empty() {
            item.title = format!("{} ({variation})", item.title);
        }
        item.quantity = g("Quantity");
        item.unit_price = g("Sold For");
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
    use super::super::testing::{read_all, rows};
    use super::super::{DetectedFormat, RowRead};

    #[test]
    fn blank_first_line_multi_item_order_and_footer() {
        let text = "\r\n\"Sales Record Number\",\"Order Number\",\"Buyer Username\",\"Buyer Name\",\
\"Buyer Email\",\"Buyer Note\",Ship To Name,\"Ship To Phone\",Ship To Address 1,Ship To Address 2,\
Ship To City,\"Ship To State\",\"Ship To Zip\",\"Ship To Country\",\"Item Number\",\"Item Title\",\
Custom Label,\"Quantity\",\"Sold For\",\"Total Price\",\"Sale Date\",\"Shipped On Date\",\
Variation Details\r\n\
\"1201\",\"12-34567-89012\",\"collector1\",\"Eve Stone\",\"[email protected]\",\"\",\"Eve Stone\",\
\"\",\"77 Lake Dr\",\"\",\"Trenton\",\"NJ\",\"08608-1234\",\"United States\",\"\",\"\",\"\",\"3\",\"\",\
\"$1,031.00\",\"Nov-10-26\",\"\",\"\"\r\n\
\"1201\",\"12-34567-89012\",\"collector1\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\
\"2950\",\"Vintage Camera\",\"CAM-1\",\"1\",\"$1,000.00\",\"\",\"Nov-10-26\",\"\",\"\"\r\n\
\"1201\",\"12-34567-89012\",\"collector1\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\
\"2951\",\"Lens Cap\",\"LC-1\",\"2\",\"$15.50\",\"\",\"Nov-10-26\",\"\",\"Size:52mm\"\r\n\
\r\n\
\"3 record(s) downloaded,from Nov-01-26 to Nov-12-26\"\r\n\
Seller ID : camera_shop\r\n";
        let (format, reads) = read_all(text, b',');
        assert_eq!(format, DetectedFormat::Ebay);
        assert_eq!(
            reads
                .iter()
                .filter(|r| matches!(r, RowRead::Ignore))
                .count(),
            2
        );
        let rows = rows(&reads);
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.key == "12-34567-89012"));
        assert!(rows[0].items.is_empty());
        assert_eq!(rows[0].order.zip, "08608-1234");
        assert_eq!(rows[1].items[0].unit_price, "$1,000.00");
        assert_eq!(rows[2].items[0].title, "Lens Cap (Size:52mm)");
        assert_eq!(rows[2].line, 5);
    }
}
