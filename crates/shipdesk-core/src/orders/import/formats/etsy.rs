//! Etsy's two sold-order CSVs (Shop Manager › Settings › Options › Download Data):
//! `EtsySoldOrderItems` has one row per item with the ship-to address on every row;
//! `EtsySoldOrders` has one row per order and no per-item detail beyond the item count and SKUs,
//! so its orders get one summary line item (import the items file for full detail).

use super::{FormatReader, RawItem, RawOrder, RawRow, RowRead, missing_key};
use crate::orders::OrderStatus;
use crate::orders::import::table::{Columns, Record};

fn shipped(c: &Columns, r: &Record) -> Option<OrderStatus> {
    Some(if c.get(r, "Date Shipped").is_empty() {
        OrderStatus::AwaitingShipment
    } else {
        OrderStatus::Shipped
    })
}

pub(crate) struct EtsyOrderItems;

impl FormatReader for EtsyOrderItems {
    fn read(&self, c: &Columns, r: &Record) -> RowRead {
        let g = |name: &str| c.get(r, name).to_owned();
        let key = g("Order ID");
        if key.is_empty() {
            return missing_key(r.line, "Order ID");
        }
        let order = RawOrder {
            order_number: key.clone(),
            source_id: key.clone(),
            ordered_at: g("Sale Date"),
            status: shipped(c, r),
            name: g("Ship Name"),
            street1: g("Ship Address1"),
            street2: g("Ship Address2"),
            city: g("Ship City"),
            state: g("Ship State"),
            zip: g("Ship Zipcode"),
            country: g("Ship Country"),
            ..RawOrder::default()
        };
        let mut item = RawItem::new(r.line);
        item.sku = g("SKU");
        item.title = g("Item Name");
        let variations = g("Variations");
        if !variations.is_empty() {
            item.title = format!("{} ({variations})", item.title);
        }
        item.quantity = g("Quantity");
        item.unit_price = g("Price");
        item.currency = g("Currency");
        RowRead::Row(RawRow {
            line: r.line,
            key,
            order,
            items: vec![item],
        })
    }
}

pub(crate) struct EtsyOrders;

impl FormatReader for EtsyOrders {
    fn read(&self, c: &Columns, r: &Record) -> RowRead {
        let g = |name: &str| c.get(r, name).to_owned();
        let key = g("Order ID");
        if key.is_empty() {
            return missing_key(r.line, "Order ID");
        }
        let mut name = g("Full Name");
        if name.is_empty() {
            name = format!("{} {}", g("First Name"), g("Last Name"))
                .trim()
                .to_owned();
        }
        let order = RawOrder {
            order_number: key.clone(),
            source_id: key.clone(),
            ordered_at: g("Sale Date"),
            status: shipped(c, r),
            name,
            street1: g("Street 1"),
            street2: g("Street 2"),
            city: g("Ship City"),
            state: g("Ship State"),
            zip: g("Ship Zipcode"),
            country: g("Ship Country"),
            ..RawOrder::default()
        };
        let count = g("Number of Items");
        let mut item = RawItem::new(r.line);
        item.sku = g("SKU");
        item.title = match count.as_str() {
            "" | "1" => format!("Etsy order {key}"),
            n => format!("Etsy order {key} ({n} items)"),
        };
        RowRead::Row(RawRow {
            line: r.line,
            key,
            order,
            items: vec![item],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::DetectedFormat;
    use super::super::testing::{read_all, rows};
    use crate::orders::OrderStatus;

    #[test]
    fn order_items_file() {
        let text = "Sale Date,Item Name,Buyer,Quantity,Price,Coupon Code,Coupon Details,\
Discount Amount,Shipping Discount,Order Shipping,Order Sales Tax,Item Total,Currency,\
Transaction ID,Listing ID,Date Paid,Date Shipped,Ship Name,Ship Address1,Ship Address2,Ship City,\
Ship State,Ship Zipcode,Ship Country,Order ID,Variations,Order Type,Listings Type,Payment Type,\
InPerson Discount,InPerson Location,VAT Paid by Buyer,SKU\n\
11/10/26,Wool Hat,knitfan,2,25.00,,,0,0,5.00,0,50.00,USD,111,222,11/10/26,,Cara Diaz,\
9 Pine Rd,,Providence,RI,2903,United States,3001,Color:Red,online,listing,online_cc,,,0,HAT-R\n\
11/10/26,Scarf,knitfan,1,30.00,,,0,0,5.00,0,30.00,USD,112,223,11/10/26,,Cara Diaz,\
9 Pine Rd,,Providence,RI,2903,United States,3001,,online,listing,online_cc,,,0,SC-1\n";
        let (format, reads) = read_all(text, b',');
        assert_eq!(format, DetectedFormat::EtsyOrderItems);
        let rows = rows(&reads);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].key.as_str(), rows[1].key.as_str()),
            ("3001", "3001")
        );
        assert_eq!(rows[0].order.zip, "2903");
        assert_eq!(rows[0].items[0].title, "Wool Hat (Color:Red)");
        assert_eq!(rows[0].items[0].unit_price, "25.00");
        assert_eq!(rows[1].items[0].sku, "SC-1");
        assert_eq!(rows[0].order.status, Some(OrderStatus::AwaitingShipment));
    }

    #[test]
    fn orders_file() {
        let text = "Sale Date,Order ID,Buyer User ID,Full Name,First Name,Last Name,\
Number of Items,Payment Method,Date Shipped,Street 1,Street 2,Ship City,Ship State,Ship Zipcode,\
Ship Country,Currency,Order Value,Coupon Code,Coupon Details,Discount Amount,Shipping Discount,\
Shipping,Sales Tax,Order Total,Status,Card Processing Fees,Order Net,Adjusted Order Total,\
Adjusted Card Processing Fees,Adjusted Net Order Amount,Buyer,Order Type,Payment Type,\
InPerson Discount,InPerson Location,SKU\n\
11/12/26,3002,77,Dev Patel,Dev,Patel,3,Credit Card,11/13/26,5 Oak Ave,Apt 2,Burlington,VT,\
05401,United States,USD,60.00,,,0,0,5.00,0,65.00,Completed,2.00,63.00,,,,devp,online,online_cc,,,\
\"HAT-R,SC-1\"\n";
        let (format, reads) = read_all(text, b',');
        assert_eq!(format, DetectedFormat::EtsyOrders);
        let row = rows(&reads)[0];
        assert_eq!(row.order.name, "Dev Patel");
        assert_eq!(row.order.street2, "Apt 2");
        assert_eq!(row.order.status, Some(OrderStatus::Shipped));
        assert_eq!(row.items[0].title, "Etsy order 3002 (3 items)");
        assert_eq!(row.items[0].sku, "HAT-R,SC-1");
    }
}
