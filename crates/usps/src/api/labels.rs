//! Domestic Labels v3: buy, cancel, reprint.
//!
//! Buying is the one mutation the transport retries after a lost answer, because the caller's
//! `X-Idempotency-Key` makes USPS return the first label instead of charging again. The caller
//! must reuse the same key for every later attempt at the same purchase.

use reqwest::header::ACCEPT;
use serde_json::Value;

use crate::account::UspsAccount;
use crate::api::documents::{
    document_from_field, document_from_part, is_multipart, multipart_parts,
};
use crate::error::UspsError;
use crate::models::{
    CancelResponse, IdempotencyKey, Label, LabelFormat, LabelMetadata, LabelRequest, Pricing,
    ReprintInfo, ReprintRequest,
};
use crate::operation::Operation;
use crate::transport::RawResponse;

pub(crate) const PAYMENT_HEADER: &str = "X-Payment-Authorization-Token";
pub(crate) const IDEMPOTENCY_HEADER: &str = "X-Idempotency-Key";

/// The payment authorization token's header value (empty when the call carries none).
pub(crate) fn payment_token(payment: Option<&crate::secret::Secret>) -> &str {
    payment.map(|p| p.expose()).unwrap_or_default()
}

impl UspsAccount {
    /// `POST /labels/v3/label`. Retried on transient failures with the same key; if no answer
    /// ever arrives the error is [`UspsError::OutcomeUnknown`].
    pub async fn create_label(
        &self,
        request: &LabelRequest,
        key: &IdempotencyKey,
        format: LabelFormat,
    ) -> Result<Label, UspsError> {
        self.create_label_priced(request, key, format, Pricing::Published)
            .await
    }

    /// [`Self::create_label`] under the payment authorization of `pricing`: with
    /// [`Pricing::Contract`] its roles name the account as `RATE_HOLDER`, so USPS charges the
    /// contract price (or refuses with 160255 when the account holds no contract for the class).
    pub async fn create_label_priced(
        &self,
        request: &LabelRequest,
        key: &IdempotencyKey,
        format: LabelFormat,
        pricing: Pricing,
    ) -> Result<Label, UspsError> {
        let url = self.client().endpoint(&["labels", "v3", "label"]);
        let answer = self
            .send_authorized_priced(Operation::LabelCreate, pricing, |payment| {
                self.client()
                    .http()
                    .post(url.clone())
                    .header(PAYMENT_HEADER, payment_token(payment))
                    .header(IDEMPOTENCY_HEADER, key.as_str())
                    .header(ACCEPT, format.accept())
                    .json(request)
            })
            .await?;
        label_from(Operation::LabelCreate, answer).await
    }

    /// `DELETE /labels/v3/label/{trackingNumber}`: `CANCELED`, or `DISPUTED` (refund requested).
    pub async fn cancel_label(&self, tracking_number: &str) -> Result<CancelResponse, UspsError> {
        self.cancel_at(
            Operation::LabelCancel,
            &["labels", "v3", "label", tracking_number],
            None,
        )
        .await
    }

    /// `DELETE /labels/v3/label` with `X-Idempotency-Key`: cancel a purchase whose answer was
    /// lost, without knowing its tracking number.
    pub async fn cancel_label_by_idempotency_key(
        &self,
        key: &IdempotencyKey,
    ) -> Result<CancelResponse, UspsError> {
        self.cancel_at(
            Operation::LabelCancelByIdempotencyKey,
            &["labels", "v3", "label"],
            Some(key),
        )
        .await
    }

    /// A label cancel (domestic or international) at `path`, by tracking number in the path or
    /// by the purchase's idempotency key.
    pub(crate) async fn cancel_at(
        &self,
        operation: Operation,
        path: &[&str],
        key: Option<&IdempotencyKey>,
    ) -> Result<CancelResponse, UspsError> {
        let url = self.client().endpoint(path);
        let answer = self
            .send_authorized(operation, |payment| {
                let request = self
                    .client()
                    .http()
                    .delete(url.clone())
                    .header(PAYMENT_HEADER, payment_token(payment));
                match key {
                    Some(key) => request.header(IDEMPOTENCY_HEADER, key.as_str()),
                    None => request,
                }
            })
            .await?;
        answer.json(operation)
    }

    /// `POST /labels/v3/label-reprint/{trackingNumber}` (USPS allows three reprints).
    pub async fn reprint_label(
        &self,
        tracking_number: &str,
        request: &ReprintRequest,
        format: LabelFormat,
    ) -> Result<Label, UspsError> {
        let url = self
            .client()
            .endpoint(&["labels", "v3", "label-reprint", tracking_number]);
        let answer = self
            .send_authorized(Operation::LabelReprint, |payment| {
                self.client()
                    .http()
                    .post(url.clone())
                    .header(PAYMENT_HEADER, payment_token(payment))
                    .header(ACCEPT, format.accept())
                    .json(request)
            })
            .await?;
        label_from(Operation::LabelReprint, answer).await
    }
}

/// A label from either media type, whichever USPS actually sent.
pub async fn label_from(operation: Operation, answer: RawResponse) -> Result<Label, UspsError> {
    let decode = |message: String| UspsError::Decode { operation, message };
    let content_type = answer.content_type().to_owned();
    if is_multipart(&content_type) {
        let parts = multipart_parts(&content_type, answer.body)
            .await
            .map_err(decode)?;
        let metadata_part = parts
            .get("labelMetadata")
            .or_else(|| parts.get("returnLabelMetadata"))
            .ok_or_else(|| decode("no labelMetadata part".into()))?;
        let metadata: LabelMetadata =
            serde_json::from_slice(&metadata_part.body).map_err(|e| decode(e.to_string()))?;
        let reprint_info = match parts.get("reprintInfo") {
            Some(part) => Some(
                serde_json::from_slice::<ReprintInfo>(&part.body)
                    .map_err(|e| decode(e.to_string()))?,
            ),
            None => None,
        };
        return Ok(Label {
            metadata,
            label_image: parts
                .get("labelImage")
                .or_else(|| parts.get("returnLabelImage"))
                .map(document_from_part),
            receipt_image: parts.get("receiptImage").map(document_from_part),
            reprint_info,
        });
    }
    let value: Value = serde_json::from_slice(&answer.body).map_err(|e| decode(e.to_string()))?;
    let Value::Object(mut object) = value else {
        return Err(decode("label body is not a JSON object".into()));
    };
    let label_image = document_from_field(&object, "labelImage").map_err(decode)?;
    let receipt_image = document_from_field(&object, "receiptImage").map_err(decode)?;
    let reprint_info = match object.remove("reprintInfo") {
        Some(info) => {
            Some(serde_json::from_value::<ReprintInfo>(info).map_err(|e| decode(e.to_string()))?)
        }
        None => None,
    };
    // Reprints nest the metadata; create answers are flat with the images beside it.
    let metadata_value = match object.remove("labelMetadata") {
        Some(nested) => nested,
        None => {
            for image_field in ["labelImage", "receiptImage", "labelBrokerQR", "returnLabel"] {
                object.remove(image_field);
            }
            Value::Object(std::mem::take(&mut object))
        }
    };
    let metadata: LabelMetadata =
        serde_json::from_value(metadata_value).map_err(|e| decode(e.to_string()))?;
    Ok(Label {
        metadata,
        label_image,
        receipt_image,
        reprint_info,
    })
}

#[cfg(test)]
#[path = "labels_tests.rs"]
mod tests;
