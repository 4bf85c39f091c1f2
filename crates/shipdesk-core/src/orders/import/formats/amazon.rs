//! Amazon Seller Central's unshipped orders report: tab-separated, one row per order item, the
//! recipient on every row. Addresses may use three street lines. The report has no per-unit
//! price; where an `item-price` column is present (the order report variant) it is the total for
//! the quantity, so it is divided back to a unit price.

use rust_decimal::Decimal;

use super::{FormatReader, RawItem, RawOrder, RawRow, RowRead, missing_key};
use crate::orders::OrderStatus;
use crate::orders::import::normalize::{parse_money, parse_quantity};
use crate::orders::import::table::{Columns, Record};

pub(crate) struct AmazonUnshipped;

impl FormatReader for AmazonUnshipped {
    fn read(&self, c: &Columns, r: &Record) -> RowRead {
        let g = |name: &str| c.get(r, name).to_owned();
        let key = g("order-id");
        if key.is_empty() {
            return missing_key(r.line, "order-id");
        }
        let street2 = [g("ship-address-2"), g("ship-address-3")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let mut phone = g("ship-phone-number");
        if phone.is_empty() {
            phone = g("buyer-phone-number");
        }
        let order = RawOrder {
            order_number: key.clone(),
            source_id: key.clone(),
            ordered_at: g("purchase-date"),
            status: Some(OrderStatus::AwaitingShipment),
            name: g("recipient-name"),
            street1: g("ship-address-1"),
            street2,
            city: g("ship-city"),
            state: g("ship-state"),
            zip: g("ship-postal-code"),
            country: g("ship-country"),
            phone,
            email: g("buyer-email"),
            ..RawOrder::default()
        };
        let mut item = RawItem::new(r.line);
        item.sku = g("sku");
        item.title = g("product-name");
        item.quantity = g("quantity-to-ship");
        if item.quantity.is_empty() {
            item.quantity = g("quantity-purchased");
        }
        let total = g("item-price");
        item.unit_price = match (parse_money(&total), parse_quantity(&item.quantity)) {
            (Some(t), Ok(q)) => (t / Decimal::from(q)).round_dp(2).to_string(),
            _ => total,
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

    #[test]
    fn tab_separated_rows_per_item() {
        let text = "order-id\torder-item-id\tpurchase-date\tpayments-date\treporting-date\t\
promise-date\tdays-past-promise\tbuyer-email\tbuyer-name\tbuyer-phone-number\tsku\tproduct-name\t\
quantity-purchased\tquantity-shipped\tquantity-to-ship\tship-service-level\trecipient-name\t\
ship-address-1\tship-address-2\tship-address-3\tship-city\tship-state\tship-postal-code\t\
ship-country\tis-business-order\n\
111-2223334-5556667\t40001\t2026-11-10T08:00:00+00:00\t2026-11-10T08:00:00+00:00\t\
2026-11-10T08:05:00+00:00\t2026-11-13T07:59:59+00:00\t0\t[email protected]\tGus Hall\t\
555-0101\tBK-1\tBook, hardcover\t2\t0\t2\tStandard\tGus Hall\t10 Bay St\tFloor 2\tSuite 5\t\
Portland\tME\t04101\tUS\tfalse\n\
111-2223334-5556667\t40002\t2026-11-10T08:00:00+00:00\t\t\t\t0\t\tGus Hall\t\tBM-1\tBookmark\t\
1\t0\t1\tStandard\tGus Hall\t10 Bay St\tFloor 2\tSuite 5\tPortland\tME\t04101\tUS\tfalse\n";
        let (format, reads) = read_all(text, b'\t');
        assert_eq!(format, DetectedFormat::AmazonUnshipped);
        let rows = rows(&reads);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].order.street2, "Floor 2, Suite 5");
        assert_eq!(rows[0].items[0].title, "Book, hardcover");
        assert_eq!(rows[0].items[0].quantity, "2");
        assert_eq!(rows[1].items[0].sku, "BM-1");
        assert_eq!(rows[0].order.phone, "555-0101");
    }

    #[test]
    fn item_price_is_a_total_for_the_quantity() {
        let text = "order-id\torder-item-id\trecipient-name\tship-postal-code\tsku\t\
product-name\tquantity-purchased\titem-price\n1\t2\tA\t12345\tS\tT\t3\t$10.00\n";
        let (_, reads) = read_all(text, b'\t');
        assert_eq!(rows(&reads)[0].items[0].unit_price, "3.33");
    }
}
