//! Tracking v3 (needs the Shipping product and, since 2026-04, a Label MID tied to the token).

use crate::account::UspsAccount;
use crate::error::UspsError;
use crate::models::{TrackingExpand, TrackingResponse};
use crate::operation::Operation;

impl UspsAccount {
    /// `GET /tracking/v3/tracking/{trackingNumber}?expand=SUMMARY|DETAIL`.
    pub async fn tracking(
        &self,
        tracking_number: &str,
        expand: TrackingExpand,
    ) -> Result<TrackingResponse, UspsError> {
        let url = self
            .client()
            .endpoint(&["tracking", "v3", "tracking", tracking_number]);
        let answer = self
            .send_authorized(Operation::Tracking, |_| {
                self.client()
                    .http()
                    .get(url.clone())
                    .query(&[("expand", expand.as_query())])
            })
            .await?;
        answer.json(Operation::Tracking)
    }
}
