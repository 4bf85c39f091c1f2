//! Address check: the provider's standardized address beside what was entered, field by
//! field, with a deliverability verdict. The user then chooses which one prints.

use super::ShippingService;
use super::model::AddressCheck;
use crate::error::{AppError, AppResult, ErrorDetails, FieldProblem};
use crate::orders::Address;
use crate::orders::countries::country_name;
use crate::postage::AccountId;

/// The refusal to send anything to USPS for an address outside the US: Shipdesk keeps and marks
/// international orders but buys domestic labels only so far, so a foreign address is refused
/// here, before any USPS call, naming its country.
pub(crate) fn refuse_international(order_number: &str, to: &Address) -> AppResult<()> {
    if to.is_domestic() {
        return Ok(());
    }
    let country = format!("{} ({})", country_name(&to.country), to.country);
    let message = format!(
        "Order {order_number} ships to {country}: international shipping is not supported yet \
         (Shipdesk buys USPS labels for US addresses only)"
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
        refuse_international(&order.order_number, &order.ship_to)?;
        self.check_address(account_id, &order.ship_to).await
    }
}
