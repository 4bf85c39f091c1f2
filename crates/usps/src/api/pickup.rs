//! Carrier Pickup v3. Reads are retried; scheduling and canceling are not (a repeat could book
//! a second pickup). Cancel needs the `ETag` from the last read or schedule as `If-Match`.

use reqwest::header::{ETAG, IF_MATCH};

use crate::account::UspsAccount;
use crate::error::UspsError;
use crate::models::{
    PickupAddress, PickupConfirmation, PickupEligibilityQuery, SchedulePickupRequest, Tagged,
};
use crate::operation::Operation;
use crate::transport::RawResponse;

impl UspsAccount {
    /// `GET /pickup/v3/carrier-pickup/eligibility`: the standardized address if pickup is offered.
    pub async fn pickup_eligibility(
        &self,
        query: &PickupEligibilityQuery,
    ) -> Result<PickupAddress, UspsError> {
        let url = self
            .client()
            .endpoint(&["pickup", "v3", "carrier-pickup", "eligibility"]);
        let answer = self
            .send_authorized(Operation::PickupEligibility, |_| {
                self.client().http().get(url.clone()).query(query)
            })
            .await?;
        answer.json(Operation::PickupEligibility)
    }

    /// `POST /pickup/v3/carrier-pickup`.
    pub async fn schedule_pickup(
        &self,
        request: &SchedulePickupRequest,
    ) -> Result<Tagged<PickupConfirmation>, UspsError> {
        let url = self.client().endpoint(&["pickup", "v3", "carrier-pickup"]);
        let answer = self
            .send_authorized(Operation::PickupCreate, |_| {
                self.client().http().post(url.clone()).json(request)
            })
            .await?;
        confirmation_from(Operation::PickupCreate, answer)
    }

    /// `GET /pickup/v3/carrier-pickup/{confirmationNumber}` (the spec types the body as an
    /// array; a single object is accepted too).
    pub async fn get_pickup(
        &self,
        confirmation_number: &str,
    ) -> Result<Tagged<PickupConfirmation>, UspsError> {
        let url = self
            .client()
            .endpoint(&["pickup", "v3", "carrier-pickup", confirmation_number]);
        let answer = self
            .send_authorized(Operation::PickupGet, |_| {
                self.client().http().get(url.clone())
            })
            .await?;
        confirmation_from(Operation::PickupGet, answer)
    }

    /// `DELETE /pickup/v3/carrier-pickup/{confirmationNumber}` with `If-Match: <etag>`.
    pub async fn cancel_pickup(
        &self,
        confirmation_number: &str,
        etag: &str,
    ) -> Result<(), UspsError> {
        let url = self
            .client()
            .endpoint(&["pickup", "v3", "carrier-pickup", confirmation_number]);
        self.send_authorized(Operation::PickupCancel, |_| {
            self.client()
                .http()
                .delete(url.clone())
                .header(IF_MATCH, etag)
        })
        .await
        .map(|_| ())
    }
}

/// A pickup confirmation from a body that holds one object or (as the spec types it) an array.
pub fn confirmation_from(
    operation: Operation,
    answer: RawResponse,
) -> Result<Tagged<PickupConfirmation>, UspsError> {
    let etag = answer.header(ETAG.as_str());
    #[derive(serde::Deserialize)]
    struct Wrapper(#[serde(deserialize_with = "crate::wire::one_or_many")] Vec<PickupConfirmation>);
    let Wrapper(mut list) = answer.json(operation)?;
    if list.is_empty() {
        return Err(UspsError::Decode {
            operation,
            message: "empty pickup confirmation list".into(),
        });
    }
    Ok(Tagged {
        value: list.swap_remove(0),
        etag,
    })
}
