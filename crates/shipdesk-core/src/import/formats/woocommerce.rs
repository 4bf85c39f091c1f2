//! WooCommerce's order export (the "Order Export & Order Import for WooCommerce" plugin's CSV,
//! the usual way to get orders out of WooCommerce): one row per order with WooCommerce's own field
//! names (`order_number`, `status`, `shipping_first_name`, …) and each line item packed into a
//! `line_item_N` column as `name:Hoodie|product_id:12|sku:HD-1|quantity:2|total:90.00|…`.

use rust_decimal::Decimal;

use super::{FormatReader, RawItem, RawOrder, RawRow, RowRead, missing_key};
use crate::import::ImportProblem;
use crate::import::normalize::{parse_money, parse_quantity};
use crate::import::table::{Columns, Record};
use crate::orders::OrderStatus;

pub(crate) struct WooCommerce;

fn status(raw: &str) -> Option<OrderStatus> {
    let s = raw.trim().to_lowercase();
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
}
