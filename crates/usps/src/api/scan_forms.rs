//! SCAN Forms v3. Not retried after a lost answer: a repeat could form a second manifest.

use reqwest::header::ACCEPT;
use serde_json::Value;

use crate::account::UspsAccount;
use crate::api::documents::{
    document_from_field, document_from_part, is_multipart, multipart_parts,
};
use crate::error::UspsError;
use crate::models::{LabelFormat, ScanForm, ScanFormMetadata, ScanFormRequest};
use crate::operation::Operation;
use crate::transport::RawResponse;

impl UspsAccount {
    /// `POST /scan-forms/v3/scan-form`.
    pub async fn create_scan_form(
        &self,
        request: &ScanFormRequest,
        format: LabelFormat,
    ) -> Result<ScanForm, UspsError> {
        let url = self.client().endpoint(&["scan-forms", "v3", "scan-form"]);
        let answer = self
            .send_authorized(Operation::ScanFormCreate, |_| {
                self.client()
                    .http()
                    .post(url.clone())
                    .header(ACCEPT, format.accept())
                    .json(request)
            })
            .await?;
        scan_form_from(answer).await
    }
}

/// A SCAN form from either media type, whichever USPS actually sent.
pub async fn scan_form_from(answer: RawResponse) -> Result<ScanForm, UspsError> {
    let operation = Operation::ScanFormCreate;
    let decode = |message: String| UspsError::Decode { operation, message };
    let content_type = answer.content_type().to_owned();
    if is_multipart(&content_type) {
        let parts = multipart_parts(&content_type, answer.body)
            .await
            .map_err(decode)?;
        let meta = parts
            .get("SCANFormMetaData")
            .ok_or_else(|| decode("no SCANFormMetaData part".into()))?;
        let metadata: ScanFormMetadata =
            serde_json::from_slice(&meta.body).map_err(|e| decode(e.to_string()))?;
        return Ok(ScanForm {
            metadata,
            image: parts.get("SCANFormImage").map(document_from_part),
        });
    }
    let value: Value = serde_json::from_slice(&answer.body).map_err(|e| decode(e.to_string()))?;
    let Value::Object(mut object) = value else {
        return Err(decode("SCAN form body is not a JSON object".into()));
    };
    let image = document_from_field(&object, "SCANFormImage").map_err(decode)?;
    object.remove("SCANFormImage");
    let metadata_value = object
        .remove("SCANFormMetaData")
        .unwrap_or(Value::Object(object));
    let metadata: ScanFormMetadata =
        serde_json::from_value(metadata_value).map_err(|e| decode(e.to_string()))?;
    Ok(ScanForm { metadata, image })
}
