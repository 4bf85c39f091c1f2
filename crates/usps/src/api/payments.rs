//! Payments v3. Label calls use the cached token from [`UspsAccount::payment_token`]; these
//! methods are the raw calls.

use crate::account::UspsAccount;
use crate::error::UspsError;
use crate::models::{
    PaymentAccount, PaymentAccountQuery, PaymentAuthorizationRequest, PaymentAuthorizationResponse,
    Pricing,
};
use crate::operation::Operation;

impl UspsAccount {
    /// `POST /payments/v3/payment-authorization` with PAYER + LABEL_OWNER built from the
    /// account identity. Not cached: label calls use the cached token instead.
    pub async fn authorize_payment(&self) -> Result<PaymentAuthorizationResponse, UspsError> {
        self.authorize_payment_for(Pricing::Published).await
    }

    /// The same call with the roles of `pricing` (a RATE_HOLDER for contract prices).
    pub async fn authorize_payment_for(
        &self,
        pricing: Pricing,
    ) -> Result<PaymentAuthorizationResponse, UspsError> {
        let body = PaymentAuthorizationRequest::for_pricing(self.require_identity()?, pricing);
        self.authorize_payment_with(&body).await
    }

    /// The same call with caller-built roles (RATE_HOLDER, PLATFORM, ...).
    pub async fn authorize_payment_with(
        &self,
        body: &PaymentAuthorizationRequest,
    ) -> Result<PaymentAuthorizationResponse, UspsError> {
        let url = self
            .client()
            .endpoint(&["payments", "v3", "payment-authorization"]);
        let answer = self
            .send_authorized(Operation::PaymentAuthorization, |_| {
                self.client().http().post(url.clone()).json(body)
            })
            .await?;
        answer.json(Operation::PaymentAuthorization)
    }

    /// `GET /payments/v3/payment-account/{account-number}`; with an amount, says whether the
    /// funds suffice. An unknown account is `Rejected` (404).
    pub async fn payment_account(
        &self,
        account_number: &str,
        query: &PaymentAccountQuery,
    ) -> Result<PaymentAccount, UspsError> {
        let url = self
            .client()
            .endpoint(&["payments", "v3", "payment-account", account_number]);
        let answer = self
            .send_authorized(Operation::PaymentAccount, |_| {
                self.client().http().get(url.clone()).query(query)
            })
            .await?;
        answer.json(Operation::PaymentAccount)
    }
}
