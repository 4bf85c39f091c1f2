//! Shopify's orders export (Admin › Orders › Export). One row per line item; the order-level
//! columns (email, shipping address, status, notes, tags) are filled only on an order's first row.
//! `Name` is the order number (`#1001`), `Id` Shopify's own id.

use super::{FormatReader, RawItem, RawOrder, RawRow, RowRead, missing_key};
use crate::orders::OrderStatus;
use crate::orders::import::normalize::split_tags;
use crate::orders::import::table::{Columns, Record};

pub(crate) struct Shopify;

impl FormatReader for Shopify {
    fn read(&self, c: &Columns, r: &Record) -> RowRead {
        let g = |name: &str| c.get(r, name).to_owned();
        let key = g("Name");
        if key.is_empty() {
            return missing_key(r.line, "Name");
        }
        // Only the first row of an order has its financial status; later rows leave it blank.
        let status = if !g("Cancelled at").is_empty() {
            Some(OrderStatus::Cancelled)
        } else {
            match g("Fulfillment Status").to_lowercase().as_str() {
                "fulfilled" => Some(OrderStatus::Shipped),
                "" => None,
                _ => Some(OrderStatus::AwaitingShipment),
            }
        };
        let order = RawOrder {
            order_number: key.clone(),
            source_id: g("Id"),
            ordered_at: g("Created at"),
            status,
            name: g("Shipping Name"),
            company: g("Shipping Company"),
            street1: g("Shipping Address1"),
            street2: g("Shipping Address2"),
            city: g("Shipping City"),
            state: g("Shipping Province"),
            zip: g("Shipping Zip"),
            country: g("Shipping Country"),
            phone: g("Shipping Phone"),
            email: g("Email"),
            notes: g("Notes"),
            tags: split_tags(&g("Tags")),
        };
        let mut item = RawItem::new(r.line);
        item.sku = g("Lineitem sku");
        item.title = g("Lineitem name");
        item.quantity = g("Lineitem quantity");
        item.unit_price = g("Lineitem price");
        item.currency = g("Currency");
        // Not in Shopify's own export; apps that add customs columns name them so.
        let first = |names: &[&str]| {
            names
                .iter()
                .map(|n| g(n))
                .find(|v| !v.is_empty())
                .unwrap_or_default()
        };
        item.hs_tariff = first(&["Lineitem HS code", "HS Code", "Harmonized System Code"]);
        item.origin_country = first(&["Lineitem country of origin", "Country of Origin"]);
        // Digital items ("requires shipping" false) are not parcels.
        item.ships = !g("Lineitem requires shipping").eq_ignore_ascii_case("false");
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
    use super::super::DetectedFormat;
    use super::super::testing::{read_all, rows};
    use crate::orders::OrderStatus;

    const SAMPLE: &str = "Name,Email,Financial Status,Fulfillment Status,Created at,Lineitem quantity,\
Lineitem name,Lineitem price,Lineitem sku,Lineitem requires shipping,Shipping Name,Shipping Address1,\
Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,\
Shipping Phone,Notes,Cancelled at,Id,Tags\r\n\
#1001,[email protected],paid,unfulfilled,2026-11-10 09:00:00 -0600,1,Mug,\"$1,200.00\",MUG-1,true,Ann Lee,\
1 Main St,,\"Lee, LLC\",Hartford,'06103,CT,US,,\"Leave at door, thanks\",,555,\"vip, gift\"\r\n\
#1001,,,,,2,E-gift card,10.00,GIFT,false,,,,,,,,,,,,,\r\n\
#1001,,,,,3,Coaster,4.00,CO-1,true,,,,,,,,,,,,,\r\n\
#1002,[email protected],paid,fulfilled,2026-11-11 10:00:00 -0600,1,Tea,5.00,T-1,true,Bo Chan,\
2 Elm St,,,Reno,89501,NV,US,,,,556,\r\n";

    #[test]
    fn reads_first_row_order_fields_and_every_line_item() {
        let (format, reads) = read_all(SAMPLE, b',');
        assert_eq!(format, DetectedFormat::Shopify);
        let rows = rows(&reads);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].key, "#1001");
        assert_eq!(rows[0].order.company, "Lee, LLC");
        assert_eq!(rows[0].order.zip, "'06103");
        assert_eq!(rows[0].order.tags, ["vip", "gift"]);
        assert_eq!(rows[0].order.status, Some(OrderStatus::AwaitingShipment));
        assert_eq!(rows[0].items[0].unit_price, "$1,200.00");
        // The gift card does not ship; the coaster row carries only its item.
        assert!(!rows[1].items[0].ships);
        assert!(rows[0].items[0].ships);
        assert_eq!(rows[2].order.name, "");
        assert_eq!(rows[2].order.status, None);
        assert_eq!(rows[2].items[0].quantity, "3");
        assert_eq!(rows[3].order.status, Some(OrderStatus::Shipped));
        assert_eq!(rows[3].order.source_id, "556");
    }
}
