//! Address check: the provider's standardized address beside what was entered, field by
//! field, with a deliverability verdict. The user then chooses which one prints.

use super::ShippingService;
use super::model::AddressCheck;
use crate::error::AppResult;
use crate::orders::Address;
use crate::postage::AccountId;

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
        self.check_address(account_id, &order.ship_to).await
    }
}
