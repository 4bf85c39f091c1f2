//! Address check: the provider's standardized address beside what was entered, field by
//! field, with a deliverability verdict. The user then chooses which one prints.

use super::ShippingService;
use super::model::AddressCheck;
use crate::error::{AppError, AppResult, ErrorDetails, FieldProblem};
use crate::orders::Address;
use crate::orders::countries::country_name;
use crate::postage::AccountId;

/// A batch's refusal of an order abroad: its label needs the customs form the Ship dialog (or
/// `shipdesk labels buy --customs`) fills in, one order at a time.
pub(crate) fn refuse_international(order_number: &str, to: &Address) -> AppResult<()> {
    if !to.needs_customs() {
        return Ok(());
    }
    let country = if to.is_domestic() {
        "a military post office".to_owned()
    } else {
        format!("{} ({})", country_name(&to.country), to.country)
    };
    let message = format!(
        "Order {order_number} ships to {country}: a label abroad needs its customs form, so it \
         is bought on its own (Ship it alone)"
    );
    Err(
        AppError::validation(message.clone()).with_details(ErrorDetails::OrderProblems {
            problems: vec![FieldProblem::new("ship_to.country", message)],
        }),
    )
}

impl ShippingService {
    /// Asks the account's provider about `address`.
    pub async fn check_address(
        &self,
        account_id: Option<AccountId>,
        address: &Address,
    ) -> AppResult<AddressCheck> {
        let account = self.account(account_id)?;
        self.postage.check_address(&account, address).await
    }

    /// Checks the order's ship-to address.
    pub async fn check_order_address(
        &self,
        account_id: Option<AccountId>,
        order_id: i64,
    ) -> AppResult<AddressCheck> {
        let order = self.order(order_id)?;
        if !order.ship_to.is_domestic() {
            return Ok(AddressCheck::not_checked(
                &order.ship_to,
                &format!(
                    "USPS checks US addresses only, and this one is in {}",
                    country_name(&order.ship_to.country)
                ),
            ));
        }
        self.check_address(account_id, &order.ship_to).await
    }
}
