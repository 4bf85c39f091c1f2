//! WooCommerce has no order CSV of its own; shops export with a plugin, and the two common ones
//! are recognised:
//! - "Order Export & Order Import for WooCommerce": one row per order with WooCommerce's own field
//!   names (`order_number`, `status`, `shipping_first_name`, …) and each line item packed into a
//!   `line_item_N` column as `name:Hoodie|product_id:12|sku:HD-1|quantity:2|total:90.00|…`;
//! - "Advanced Order Export For WooCommerce": one row per product with titled columns
//!   (`Order Number`, `First Name (Shipping)`, `Address 1&2 (Shipping)`, `Item Name`, …) and the
//!   order's fields repeated on each row.

use rust_decimal::Decimal;

use super::{FormatReader, RawItem, RawOrder, RawRow, RowRead, missing_key};
use crate::orders::OrderStatus;
use crate::orders::import::ImportProblem;
use crate::orders::import::normalize::{parse_money, parse_quantity};
use crate::orders::import::table::{Columns, Record};

pub(crate) struct WooCommerce;

fn status(raw: &str) -> Option<OrderStatus> {
    let s = raw.trim().to_lowercase().replace(' ', "-");
    Some(match s.strip_prefix("wc-").unwrap_or(&s) {
        "" => return None,
        "completed" => OrderStatus::Shipped,
        "cancelled" | "refunded" | "failed" => OrderStatus::Cancelled,
        // Not paid yet: nothing to ship until it is.
        "on-hold" | "pending" | "checkout-draft" => OrderStatus::OnHold,
        _ => OrderStatus::AwaitingShipment,
    })
}

/// `name:Hoodie|sku:HD-1|quantity:2|total:90.00` → item. The name may itself contain `|`-free
/// text with colons, so only the first colon of each part separates key from value.
fn line_item(line: u64, packed: &str) -> RawItem {
    let mut item = RawItem::new(line);
    let mut total = String::new();
    for part in packed.split('|') {
        let Some((k, v)) = part.split_once(':') else {
            continue;
        };
        let v = v.trim().to_owned();
        match k.trim() {
            "name" => item.title = v,
            "sku" => item.sku = v,
            "quantity" => item.quantity = v,
            "total" => total = v,
            _ => {}
        }
    }
    item.unit_price = match (parse_money(&total), parse_quantity(&item.quantity)) {
        (Some(t), Ok(q)) => (t / Decimal::from(q)).round_dp(2).to_string(),
        _ => total,
    };
    item
}

impl FormatReader for WooCommerce {
    fn read(&self, c: &Columns, r: &Record) -> RowRead {
        let g = |name: &str| c.get(r, name).to_owned();
        let id = g("order_id");
        let mut key = g("order_number");
        if key.is_empty() {
            key = id.clone();
        }
        if key.is_empty() {
            return missing_key(r.line, "order_number");
        }
        let name = format!("{} {}", g("shipping_first_name"), g("shipping_last_name"))
            .trim()
            .to_owned();
        let mut phone = g("shipping_phone");
        if phone.is_empty() {
            phone = g("billing_phone");
        }
        let mut email = g("customer_email");
        if email.is_empty() {
            email = g("billing_email");
        }
        let order = RawOrder {
            order_number: key.clone(),
            source_id: id,
            ordered_at: g("order_date"),
            status: status(&g("status")),
            name,
            company: g("shipping_company"),
            street1: g("shipping_address_1"),
            street2: g("shipping_address_2"),
            city: g("shipping_city"),
            state: g("shipping_state"),
            zip: g("shipping_postcode"),
            country: g("shipping_country"),
            phone,
            email,
            notes: g("customer_note"),
            ..RawOrder::default()
        };
        let items: Vec<RawItem> = c
            .names
            .iter()
            .filter(|h| h.trim().to_lowercase().starts_with("line_item_"))
            .map(|h| c.get(r, h))
            .filter(|v| !v.is_empty())
            .map(|v| line_item(r.line, v))
            .collect();
        if let Some(bad) = items.iter().find(|i| i.is_empty()) {
            return RowRead::Problem(ImportProblem::new(
                bad.line,
                "items",
                "a line_item column has neither a name nor a sku".to_owned(),
            ));
        }
        RowRead::Row(RawRow {
            line: r.line,
            key,
            order,
            items,
        })
    }
}

pub(crate) struct WooCommerceItemRows;

impl FormatReader for WooCommerceItemRows {
    fn read(&self, c: &Columns, r: &Record) -> RowRead {
        let g = |name: &str| c.get(r, name).to_owned();
        let first_of = |names: &[&str]| {
            names
                .iter()
                .map(|n| c.get(r, n))
                .find(|v| !v.is_empty())
                .unwrap_or("")
                .to_owned()
        };
        let key = g("Order Number");
        if key.is_empty() {
            return missing_key(r.line, "Order Number");
        }
        let name = format!(
            "{} {}",
            g("First Name (Shipping)"),
            g("Last Name (Shipping)")
        )
        .trim()
        .to_owned();
        let order = RawOrder {
            order_number: key.clone(),
            ordered_at: g("Order Date"),
            status: status(&g("Order Status")),
            name,
            company: g("Company (Shipping)"),
            street1: first_of(&["Address 1&2 (Shipping)", "Address 1 (Shipping)"]),
            street2: g("Address 2 (Shipping)"),
            city: g("City (Shipping)"),
            state: first_of(&["State Code (Shipping)", "State (Shipping)"]),
            zip: g("Postcode (Shipping)"),
            country: first_of(&["Country Code (Shipping)", "Country (Shipping)"]),
            phone: first_of(&["Phone (Shipping)", "Phone (Billing)"]),
            email: first_of(&["Email (Shipping)", "Email (Billing)"]),
            notes: g("Customer Note"),
            ..RawOrder::default()
        };
        let mut item = RawItem::new(r.line);
        item.sku = g("SKU");
        item.title = first_of(&["Item Name", "Product Name"]);
        item.quantity = first_of(&["Quantity (- Refund)", "Quantity"]);
        item.unit_price = g("Item Cost");
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

    #[test]
    fn packed_line_items_and_statuses() {
        let text = "order_id,order_number,order_date,status,shipping_total,order_total,\
customer_email,billing_first_name,billing_last_name,billing_email,billing_phone,\
shipping_first_name,shipping_last_name,shipping_company,shipping_phone,shipping_address_1,\
shipping_address_2,shipping_postcode,shipping_city,shipping_state,shipping_country,customer_note,\
line_item_1,line_item_2\n\
812,812,2026-11-10 14:05:00,wc-processing,5.00,95.00,[email protected],Ivy,Moss,[email protected],\
555-0199,Ivy,Moss,,,44 Hill Rd,,03301,Concord,NH,US,\"Ring bell\",\
name:Hoodie|product_id:12|sku:HD-1|quantity:2|total:90.00|sub_total:90.00,\n\
813,813,2026-11-11 09:00:00,completed,0,20.00,,Al,Ray,[email protected],,Al,Ray,Ray Co,,\
1 Sun Way,,85001,Phoenix,AZ,US,,name:Cap|sku:CP-1|quantity:1|total:10.00,\
name:Pin|sku:PN-1|quantity:5|total:10.00\n";
        let (format, reads) = read_all(text, b',');
        assert_eq!(format, DetectedFormat::Woocommerce);
        let rows = rows(&reads);
        assert_eq!(rows[0].order.name, "Ivy Moss");
        assert_eq!(rows[0].order.phone, "555-0199");
        assert_eq!(rows[0].order.status, Some(OrderStatus::AwaitingShipment));
        assert_eq!(rows[0].items.len(), 1);
        assert_eq!(rows[0].items[0].unit_price, "45.00");
        assert_eq!(rows[1].order.status, Some(OrderStatus::Shipped));
        assert_eq!(rows[1].items[1].sku, "PN-1");
        assert_eq!(rows[1].items[1].unit_price, "2.00");
        assert_eq!(super::status("wc-pending"), Some(OrderStatus::OnHold));
        assert_eq!(super::status("Cancelled"), Some(OrderStatus::Cancelled));
        assert_eq!(super::status(""), None);
        assert_eq!(rows[1].order.email, "[email protected]");
    }

    #[test]
    fn advanced_order_export_rows_per_product() {
        let text = "Order Number,Order Status,Order Date,Customer Note,First Name (Billing),\
Last Name (Billing),Email (Shipping),Phone (Shipping),Phone (Billing),First Name (Shipping),\
Last Name (Shipping),Address 1&2 (Shipping),City (Shipping),State Code (Shipping),\
Postcode (Shipping),Country Code (Shipping),Order Total Amount,SKU,Item #,Item Name,\
Quantity (- Refund),Item Cost\n\
901,On hold,2026-11-10 14:05,,Ivy,Moss,,,555-0199,Ivy,Moss,44 Hill Rd Apt 3,Concord,NH,3301,US,\
95.00,HD-1,1,Hoodie,2,45.00\n\
901,On hold,2026-11-10 14:05,,Ivy,Moss,,,555-0199,Ivy,Moss,44 Hill Rd Apt 3,Concord,NH,3301,US,\
95.00,ST-1,2,Sticker,1,5.00\n";
        let (format, reads) = read_all(text, b',');
        assert_eq!(format, DetectedFormat::WoocommerceItemRows);
        let rows = rows(&reads);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].order.name, "Ivy Moss");
        assert_eq!(rows[0].order.street1, "44 Hill Rd Apt 3");
        assert_eq!(rows[0].order.phone, "555-0199");
        assert_eq!(rows[0].order.status, Some(OrderStatus::OnHold));
        assert_eq!(rows[1].items[0].title, "Sticker");
        assert_eq!(rows[0].items[0].quantity, "2");
        assert_eq!(rows[0].items[0].unit_price, "45.00");
    }
}
