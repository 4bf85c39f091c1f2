//! Domestic Prices v3 (Public Access; contract prices need an account the token may use).

use serde::Serialize;

use crate::account::UspsAccount;
use crate::error::UspsError;
use crate::models::{BaseRatesQuery, RateListQuery, RateListResponse, RateOption};
use crate::operation::Operation;

impl UspsAccount {
    /// `POST /prices/v3/base-rates/search`: one product's base price.
    pub async fn base_rates(&self, query: &BaseRatesQuery) -> Result<RateOption, UspsError> {
        self.price_search(Operation::BaseRates, "base-rates", query)
            .await
    }

    /// `POST /prices/v3/base-rates-list/search`: every eligible product.
    pub async fn base_rates_list(
        &self,
        query: &RateListQuery,
    ) -> Result<RateListResponse, UspsError> {
        self.price_search(Operation::BaseRatesList, "base-rates-list", query)
            .await
    }

    /// `POST /prices/v3/total-rates/search`: base plus extra services (`extra_services`,
    /// `item_value`); contract prices via `account_type` + `account_number`.
    pub async fn total_rates(&self, query: &RateListQuery) -> Result<RateListResponse, UspsError> {
        self.price_search(Operation::TotalRates, "total-rates", query)
            .await
    }

    async fn price_search<Q, R>(
        &self,
        operation: Operation,
        resource: &str,
        query: &Q,
    ) -> Result<R, UspsError>
    where
        Q: Serialize,
        R: serde::de::DeserializeOwned,
    {
        let url = self
            .client()
            .endpoint(&["prices", "v3", resource, "search"]);
        let answer = self
            .send_authorized(operation, |_| {
                self.client().http().post(url.clone()).json(query)
            })
            .await?;
        answer.json(operation)
    }
}
