//! Domestic Labels v3 `POST /labels/v3/return-label`: a pay-on-use return label, mailed by the
//! customer (`fromAddress`) back to the business (`toAddress`).
//!
//! The request is checked like an outbound label (addresses, package, image options — the same
//! rules from `label_build`), with what differs for returns: the return mail classes (the two
//! deprecated ones convert to USPS Ground Advantage Return Service), the return rate indicators,
//! no mailing date (a return is mailed whenever the customer does), no postage on the label. The
//! label owner's CRID must be enrolled in USPS Ship Returns (160304 against the payment header
//! otherwise); `RETURN_LABEL_*` roles are optional when they would repeat the outbound ones, so
//! the token's `LABEL_OWNER` numbers the label. Idempotency keys share the outbound labels' space
//! (one per CRID).
//!
//! Pay-on-use: nothing is charged at creation (USPS charges when the return enters the mail,
//! which the simulator never sees), so no ledger line is written; the price it would cost is the
//! commercial price of the outbound product it stands for. Return labels cannot be canceled
//! (160187) — see `is_return` (docs/usps.md#return-labels).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::label_build;
use super::labels::{V, idempotency_key, key_slot, label_caller};
use super::validate::{Check, at, json_body};
use crate::Shared;
use crate::auth::guard::Caller;
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{canonical_json, now_ms, sha256_hex, tracking_number};
use crate::pdf::{self, Part};
use crate::state::records::{LabelRecord, LabelStatus, PaymentAuth};

const PATH: &str = "/labels/v3/return-label";
const PAYMENT_HEADER: &str = "X-Payment-Authorization-Token";

const RETURN_CLASSES: &[&str] = &[
    "FIRST-CLASS_PACKAGE_RETURN_SERVICE",
    "GROUND_RETURN_SERVICE",
    "PRIORITY_MAIL_EXPRESS_RETURN_SERVICE",
    "PRIORITY_MAIL_RETURN_SERVICE",
    "USPS_GROUND_ADVANTAGE_RETURN_SERVICE",
];

const RETURN_RATE_INDICATORS: &[&str] = &[
    "CP", "DN", "DR", "E4", "E6", "FA", "FB", "FE", "FP", "FS", "OS", "P5", "P6", "P7", "P8", "P9",
    "PA", "PL", "PM", "Q6", "Q7", "Q8", "Q9", "Q0", "SP",
];

/// The outbound product a mail class is priced as: a return service as the product it
/// returns, an outbound class as itself.
pub fn priced_as(mail_class: &str) -> Option<&'static str> {
    Some(match mail_class {
        "USPS_GROUND_ADVANTAGE_RETURN_SERVICE"
        | "FIRST-CLASS_PACKAGE_RETURN_SERVICE"
        | "GROUND_RETURN_SERVICE"
        | "USPS_GROUND_ADVANTAGE" => "USPS_GROUND_ADVANTAGE",
        "PRIORITY_MAIL_RETURN_SERVICE" | "PRIORITY_MAIL" => "PRIORITY_MAIL",
        "PRIORITY_MAIL_EXPRESS_RETURN_SERVICE" | "PRIORITY_MAIL_EXPRESS" => "PRIORITY_MAIL_EXPRESS",
        "PARCEL_SELECT" => "PARCEL_SELECT",
        "MEDIA_MAIL" => "MEDIA_MAIL",
        "LIBRARY_MAIL" => "LIBRARY_MAIL",
        "BOUND_PRINTED_MATTER" => "BOUND_PRINTED_MATTER",
        _ => return None,
    })
}

/// The current name of a return class (deprecated ones convert to Ground Advantage's).
fn current_class(mail_class: &str) -> &str {
    match mail_class {
        "FIRST-CLASS_PACKAGE_RETURN_SERVICE" | "GROUND_RETURN_SERVICE" => {
            "USPS_GROUND_ADVANTAGE_RETURN_SERVICE"
        }
        other => other,
    }
}

/// Whether a stored label is a return label (made by this endpoint).
pub fn is_return(label: &LabelRecord) -> bool {
    label.request["packageDescription"]["mailClass"]
        .as_str()
        .is_some_and(|c| RETURN_CLASSES.contains(&c))
}

/// Return-specific checks; then the request as the outbound label it is priced as, for
/// `label_build::plan` to check and price.
fn as_outbound(request: &Value) -> Result<Value, ApiError> {
    let mut c = Check::new(request, None);
    let class = c.string("packageDescription.mailClass", true);
    if let Some(m) = class.filter(|m| !RETURN_CLASSES.contains(m)) {
        c.fail(ErrorItem::coded(
            "160090",
            format!("{m} is not a valid mailClass"),
            "packageDescription.mailClass",
        ));
    }
    if let Some(ri) = c.string("packageDescription.rateIndicator", false)
        && !RETURN_RATE_INDICATORS.contains(&ri)
    {
        c.fail(ErrorItem::field(
            "rateIndicator is not valid for return labels.",
            "packageDescription.rateIndicator",
        ));
    }
    for required in ["length", "width", "height"] {
        if at(request, &format!("packageDescription.{required}")).is_none() {
            c.fail(ErrorItem::field(
                format!("packageDescription.{required} is required."),
                &format!("packageDescription.{required}"),
            ));
        }
    }
    if c.body.get("imageInfo").and_then(|i| i.get("labelType")) == Some(&json!("4X4LABEL")) {
        c.fail(ErrorItem::coded(
            "160346",
            "4X4LABEL is not supported for this request",
            "imageInfo.labelType",
        ));
    }
    c.finish(V)?;
    let mut outbound = request.clone();
    if let (Some(pd), Some(class)) = (
        outbound
            .get_mut("packageDescription")
            .and_then(Value::as_object_mut),
        class.and_then(priced_as),
    ) {
        pd.insert("mailClass".into(), json!(class));
        pd.insert(
            "mailingDate".into(),
            json!(time::OffsetDateTime::now_utc().date().to_string()),
        );
        pd.entry("destinationEntryFacilityType")
            .or_insert(json!("NONE"));
    }
    Ok(outbound)
}

/// 160304 unless the label owner's CRID is enrolled in USPS Ship Returns.
fn enrolled(shared: &Shared, payment: &PaymentAuth) -> Result<(), ApiError> {
    let st = shared.lock();
    let enrolled = st
        .scenario
        .users
        .iter()
        .any(|u| u.crid == payment.crid && u.returns_enrolled);
    if enrolled {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            V,
            vec![ErrorItem::coded(
                "160304",
                "Must be enrolled in USPS Ship Returns in order to create return labels",
                &format!("Header: {PAYMENT_HEADER}"),
            )],
        ))
    }
}

fn create_record(
    shared: &Shared,
    caller: &Caller,
    payment: &PaymentAuth,
    key: Option<String>,
    request: Value,
) -> Result<LabelRecord, ApiError> {
    let hash = sha256_hex(canonical_json(&request).as_bytes());
    let outbound = as_outbound(&request)?;
    let mut st = shared.lock();
    if let Some(k) = &key
        && let Some(existing) = st
            .durable
            .idempotency
            .get(&key_slot(&payment.crid, k))
            .and_then(|t| st.durable.labels.get(t))
    {
        if existing.request_hash != hash {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::field(
                    "The X-Idempotency-Key was already used for a different label request. Resubmit the original request or use a new key.",
                    super::labels::KEY_HEADER,
                )],
            ));
        }
        return Ok(existing.clone());
    }
    let plan = label_build::plan(
        &outbound,
        st.scenario.seed,
        label_build::LabelPricing::Commercial,
    )?;
    st.durable.counters.labels += 1;
    let n = st.durable.counters.labels;
    let tracking = tracking_number(
        st.scenario.seed,
        plan.quote.service_type_code,
        &payment.label_owner_mid,
        n,
    );
    let mut metadata = label_build::metadata(&plan, &tracking);
    if let Some(m) = metadata.as_object_mut() {
        // Returns carry no delivery commitment and no construct code.
        m.remove("commitment");
        m.remove("constructCode");
        m.insert("bannerText".into(), json!("USPS RETURNS"));
    }
    let record = LabelRecord {
        tracking_number: tracking.clone(),
        client_id: caller.client_id.clone(),
        crid: payment.crid.clone(),
        mid: payment.label_owner_mid.clone(),
        manifest_mid: payment.manifest_mid.clone(),
        eps_account: payment.payer_eps.clone(),
        idempotency_key: key.clone(),
        request_hash: hash,
        request: with_current_class(request),
        metadata,
        amount: plan.amount(),
        mailing_date: plan.mailing_date.clone(),
        created_ms: now_ms(),
        status: LabelStatus::Printed,
        dispute_id: None,
        manifested: false,
        scan_form: None,
        reprints: 0,
        rate_holder_crid: None,
    };
    st.durable.labels.insert(tracking.clone(), record.clone());
    if let Some(k) = &key {
        st.durable
            .idempotency
            .insert(key_slot(&payment.crid, k), tracking);
    }
    shared.persist(&st);
    Ok(record)
}

fn with_current_class(mut request: Value) -> Value {
    if let Some(class) = request["packageDescription"]["mailClass"]
        .as_str()
        .map(|c| current_class(c).to_string())
    {
        request["packageDescription"]["mailClass"] = json!(class);
    }
    request
}

/// `returnLabelMetadata` + `returnLabelImage` (+ `returnReceiptImage`), or the vendor JSON.
fn respond(headers: &HeaderMap, record: &LabelRecord) -> Result<Response, ApiError> {
    let image_type = record.request["imageInfo"]["imageType"]
        .as_str()
        .unwrap_or("PDF");
    let receipt_separate =
        record.request["imageInfo"]["receiptOption"].as_str() == Some("SEPARATE_PAGE");
    let spec = super::label_print::label_spec(&record.request, &record.metadata, false);
    let image = if image_type == "NONE" {
        None
    } else {
        Some(pdf::label_pdf(&spec, V)?)
    };
    let receipt = match (&image, receipt_separate) {
        (Some(_), true) => {
            let mut receipt_spec = spec.clone();
            receipt_spec.postage = Some(format!("${:.2}", record.amount));
            Some(pdf::label_pdf(&receipt_spec, V)?)
        }
        _ => None,
    };
    if pdf::wants_vendor_json(headers) {
        let mut body = record.metadata.clone();
        if let Some(img) = &image {
            body["returnLabelImage"] = json!(pdf::b64(img));
        }
        if let Some(r) = &receipt {
            body["returnReceiptImage"] = json!(pdf::b64(r));
        }
        return Ok(pdf::vendor_json(body));
    }
    let mut parts = vec![Part::json("returnLabelMetadata", &record.metadata)];
    if let Some(img) = &image {
        parts.push(Part::pdf("returnLabelImage", "returnLabelImage.pdf", img));
    }
    if let Some(r) = &receipt {
        parts.push(Part::pdf("returnReceiptImage", "returnReceiptImage.pdf", r));
    }
    Ok(pdf::multipart(&parts))
}

pub async fn create(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let (caller, payment) = label_caller(&shared, &headers, PATH)?;
        let key = idempotency_key(&headers)?;
        let request = json_body(&headers, &body, V)?;
        enrolled(&shared, &payment)?;
        let record = create_record(&shared, &caller, &payment, key, request)?;
        respond(&headers, &record)
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_classes_price_as_their_outbound_product() {
        assert_eq!(
            priced_as("PRIORITY_MAIL_RETURN_SERVICE"),
            Some("PRIORITY_MAIL")
        );
        assert_eq!(
            priced_as("GROUND_RETURN_SERVICE"),
            Some("USPS_GROUND_ADVANTAGE")
        );
        assert_eq!(priced_as("USPS_RETAIL_GROUND"), None);
        assert_eq!(
            current_class("FIRST-CLASS_PACKAGE_RETURN_SERVICE"),
            "USPS_GROUND_ADVANTAGE_RETURN_SERVICE"
        );
    }
}
