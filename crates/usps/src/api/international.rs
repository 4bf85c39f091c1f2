//! International Prices v3 and International Labels v3.
//!
//! A label is bought like a domestic one: payment authorization token, `X-Idempotency-Key` (so a
//! lost answer is asked again under the same key and USPS returns the first label), and the
//! answer read by [`label_from`]. USPS answers 201 to a created international label.

use reqwest::header::ACCEPT;

use crate::account::UspsAccount;
use crate::api::labels::{IDEMPOTENCY_HEADER, PAYMENT_HEADER, label_from, payment_token};
use crate::error::UspsError;
use crate::models::{
    CancelResponse, IdempotencyKey, IntlLabelRequest, IntlRateListQuery, Label, LabelFormat,
    RateListResponse,
};
use crate::operation::Operation;

impl UspsAccount {
    /// `POST /international-prices/v3/base-rates-list/search`: every product to the country.
    pub async fn intl_base_rates_list(
        &self,
        query: &IntlRateListQuery,
    ) -> Result<RateListResponse, UspsError> {
        let url =
            self.client()
                .endpoint(&["international-prices", "v3", "base-rates-list", "search"]);
        let answer = self
            .send_authorized(Operation::IntlBaseRatesList, |_| {
                self.client().http().post(url.clone()).json(query)
            })
            .await?;
        answer.json(Operation::IntlBaseRatesList)
    }

    /// `POST /international-labels/v3/international-label` with its customs form.
    pub async fn create_intl_label(
        &self,
        request: &IntlLabelRequest,
        key: &IdempotencyKey,
        format: LabelFormat,
    ) -> Result<Label, UspsError> {
        let url = self
            .client()
            .endpoint(&["international-labels", "v3", "international-label"]);
        let answer = self
            .send_authorized(Operation::IntlLabelCreate, |payment| {
                self.client()
                    .http()
                    .post(url.clone())
                    .header(PAYMENT_HEADER, payment_token(payment))
                    .header(IDEMPOTENCY_HEADER, key.as_str())
                    .header(ACCEPT, format.accept())
                    .json(request)
            })
            .await?;
        label_from(Operation::IntlLabelCreate, answer).await
    }

    /// `DELETE /international-labels/v3/international-label/{trackingNumber}`.
    pub async fn cancel_intl_label(
        &self,
        tracking_number: &str,
    ) -> Result<CancelResponse, UspsError> {
        self.cancel_at(
            Operation::IntlLabelCancel,
            &[
                "international-labels",
                "v3",
                "international-label",
                tracking_number,
            ],
            None,
        )
        .await
    }

    /// `DELETE /international-labels/v3/international-label` by the purchase's idempotency key:
    /// cancels whatever label the key made, if any (404 / 160185 when none).
    pub async fn cancel_intl_label_by_idempotency_key(
        &self,
        key: &IdempotencyKey,
    ) -> Result<CancelResponse, UspsError> {
        self.cancel_at(
            Operation::IntlLabelCancelByIdempotencyKey,
            &["international-labels", "v3", "international-label"],
            Some(key),
        )
        .await
    }
}
