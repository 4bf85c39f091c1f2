//! Scan-to-ship: what a keyboard-wedge scanner typed (an order number, with or without the
//! marketplace's `#`, or the marketplace's own order id; often with a trailing Enter or Tab) →
//! the order, and whether a label may be
//! bought for it from the scan. A scan never buys a second label, nor one for an order that is
//! cancelled, on hold or archived: it says why instead.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Order, OrderStatus, OrdersService};
use crate::error::{AppError, AppResult, ErrorCode};

/// The order a scan found, ready to ship or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScannedOrder {
    pub order: Order,
    /// Why no label is bought from this scan; `None`: ship it.
    pub refusal: Option<String>,
}

/// The scanned text as an order number: scanners add line ends and tabs, people add spaces.
fn scanned_number(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

impl OrdersService {
    /// The order a scanned code names.
    pub fn scan(&self, code: &str) -> AppResult<ScannedOrder> {
        let number = scanned_number(code);
        if number.is_empty() {
            return Err(AppError::validation(
                "The scan was empty: scan an order number.",
            ));
        }
        let order = match self.get_by_number(&number) {
            Ok(order) => order,
            Err(e) if e.code == ErrorCode::NotFound => {
                self.by_source_id(&number)?.ok_or_else(|| {
                    AppError::not_found(format!(
                        "No order has the number or marketplace order id \"{number}\" that \
                         was scanned."
                    ))
                })?
            }
            Err(e) => return Err(e),
        };
        let n = &order.order_number;
        let refusal = if order.archived {
            Some(format!("Order {n} is archived: restore it to ship it."))
        } else {
            match order.status {
                OrderStatus::AwaitingShipment => None,
                OrderStatus::Shipped => Some(format!(
                    "Order {n} is already shipped: a scan does not buy a second label."
                )),
                OrderStatus::Cancelled => Some(format!("Order {n} is cancelled.")),
                OrderStatus::OnHold => Some(format!("Order {n} is on hold.")),
            }
        };
        Ok(ScannedOrder { order, refusal })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_noise_is_not_part_of_the_number() {
        assert_eq!(scanned_number("#2001\r\n"), "#2001");
        assert_eq!(scanned_number(" 2001\t"), "2001");
        assert_eq!(scanned_number("\n"), "");
    }
}
