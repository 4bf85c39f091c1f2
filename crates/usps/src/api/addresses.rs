//! Addresses v3 (Public Access).

use crate::account::UspsAccount;
use crate::error::UspsError;
use crate::models::{AddressQuery, AddressResponse, CityStateResponse};
use crate::operation::Operation;

impl UspsAccount {
    /// `GET /addresses/v3/address`: standardize and validate. No match is `Rejected` (404).
    pub async fn validate_address(
        &self,
        query: &AddressQuery,
    ) -> Result<AddressResponse, UspsError> {
        let url = self.client().endpoint(&["addresses", "v3", "address"]);
        let answer = self
            .send_authorized(Operation::AddressValidate, |_| {
                self.client().http().get(url.clone()).query(query)
            })
            .await?;
        answer.json(Operation::AddressValidate)
    }

    /// `GET /addresses/v3/city-state?ZIPCode=`.
    pub async fn city_state(&self, zip_code: &str) -> Result<CityStateResponse, UspsError> {
        let url = self.client().endpoint(&["addresses", "v3", "city-state"]);
        let answer = self
            .send_authorized(Operation::CityState, |_| {
                self.client()
                    .http()
                    .get(url.clone())
                    .query(&[("ZIPCode", zip_code)])
            })
            .await?;
        answer.json(Operation::CityState)
    }
}
