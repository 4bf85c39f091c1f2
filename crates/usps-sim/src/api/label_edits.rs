//! Domestic Labels v3 `PATCH /labels/v3/label/{trackingNumber}`: editing the rate ingredients
//! of a bought label (weight, dimensions, girth, processing category, rate indicator,
//! containers) with a JSON Patch list of `replace` operations. The label image stays valid;
//! the price is recomputed and the difference charged (or voided) in the ledger.
//!
//! Refused as USPS refuses them: a label that does not exist for the caller's CRID (160179); one
//! canceled, manifested or a return label (160178); any edit when the label shows its postage
//! (`suppressPostage: false`, 160250); a cubic label to a non-cubic indicator (160249); a USPS
//! Ground Advantage weight across the 1 lb line (160248); a value of the wrong type (160252). The
//! edited request is then checked and priced like a new label (docs/usps.md#label-edits).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::enums::{PROCESSING, RATE_INDICATORS};
use super::label_build;
use super::labels::{V, label_caller};
use super::validate::json_body;
use crate::Shared;
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{canonical_json, now_ms, sha256_hex};
use crate::state::records::{LabelStatus, LedgerEntry, LedgerKind};

const PATHS: &[&str] = &[
    "/packageDescription/weight",
    "/packageDescription/length",
    "/packageDescription/height",
    "/packageDescription/width",
    "/packageDescription/processingCategory",
    "/packageDescription/girth",
    "/packageDescription/rateIndicator",
    "/packageDescription/containers",
];

/// A JSON Patch body: `application/json` (415 otherwise) holding an array (400 otherwise).
pub fn patch_body(headers: &HeaderMap, bytes: &[u8]) -> Result<Vec<Value>, ApiError> {
    // The media-type rule of every JSON body (`json_body`, given an empty object: a patch is
    // an array, which `json_body` would refuse).
    json_body(headers, b"{}", V)?;
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Array(ops)) if !ops.is_empty() => Ok(ops),
        Ok(_) => Err(ApiError::bad_request(
            V,
            vec![ErrorItem::field(
                "The request body must be a non-empty JSON Patch array.",
                "body",
            )],
        )),
        Err(e) => Err(ApiError::bad_request(
            V,
            vec![ErrorItem::field(
                format!("The request body is not valid JSON: {e}."),
                "body",
            )],
        )),
    }
}

fn refused(code: &'static str, detail: String, parameter: &str) -> ApiError {
    ApiError::bad_request(V, vec![ErrorItem::coded(code, detail, parameter)])
}

fn is_cubic(pd: &Value) -> bool {
    pd["rateIndicator"].as_str() == Some("CP")
        || matches!(
            pd["packagingType"].as_str(),
            Some("CUBIC_PARCELS" | "CUBIC_SOFT_PACK")
        )
}

/// Checks each operation and applies it to the package description.
fn apply(ops: &[Value], pd: &mut Value) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    let original = pd.clone();
    for (i, op) in ops.iter().enumerate() {
        let here = format!("[{i}]");
        let Some(obj) = op.as_object() else {
            errors.push(ErrorItem::field("must be an object", &here));
            continue;
        };
        for key in obj
            .keys()
            .filter(|k| !["op", "path", "value"].contains(&k.as_str()))
        {
            errors.push(ErrorItem::field(
                format!("{key} is not a recognized field."),
                &format!("{here}.{key}"),
            ));
        }
        if obj.get("op").and_then(Value::as_str) != Some("replace") {
            errors.push(ErrorItem::field(
                "op must be replace",
                &format!("{here}.op"),
            ));
        }
        let Some(path) = obj
            .get("path")
            .and_then(Value::as_str)
            .filter(|p| PATHS.contains(p))
        else {
            errors.push(ErrorItem::field(
                format!("path must be one of: {}.", PATHS.join(", ")),
                &format!("{here}.path"),
            ));
            continue;
        };
        let field = path.trim_start_matches("/packageDescription/");
        let value = obj.get("value").cloned().unwrap_or(Value::Null);
        let wrong_type = || {
            ErrorItem::coded(
                "160252",
                format!("{path} - value type does not match required type for path"),
                "value",
            )
        };
        let ok = match field {
            "weight" | "length" | "height" | "width" | "girth" => {
                value.as_f64().is_some_and(|n| n.is_finite() && n > 0.0)
            }
            "processingCategory" => value.as_str().is_some_and(|s| PROCESSING.contains(&s)),
            "rateIndicator" => value.as_str().is_some_and(|s| RATE_INDICATORS.contains(&s)),
            _ => value.is_array(),
        };
        if !ok {
            errors.push(wrong_type());
            continue;
        }
        if field == "rateIndicator" && is_cubic(&original) && value != json!("CP") {
            errors.push(ErrorItem::coded(
                "160249",
                format!("{path} - cubic rate indicator can not be allowed for edit"),
                "rateIndicator",
            ));
            continue;
        }
        if field == "weight"
            && original["mailClass"].as_str() == Some("USPS_GROUND_ADVANTAGE")
            && let (Some(before), Some(after)) = (original["weight"].as_f64(), value.as_f64())
            && ((before < 1.0) != (after < 1.0))
        {
            errors.push(ErrorItem::coded(
                "160248",
                format!("{path} - cannot be edited across the 1lb threshold when the mail class is USPS_GROUND_ADVANTAGE"),
                "weight",
            ));
            continue;
        }
        if field == "rateIndicator" {
            // A rate indicator replaces a shape-and-packaging description.
            if let Some(obj) = pd.as_object_mut() {
                obj.remove("shape");
                obj.remove("packagingType");
            }
        }
        pd[field] = value;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::bad_request(V, errors))
    }
}

pub async fn edit(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(tracking): Path<String>,
    body: Bytes,
) -> Response {
    let result = (|| {
        let (caller, payment) =
            label_caller(&shared, &headers, &format!("/labels/v3/label/{tracking}"))?;
        let ops = patch_body(&headers, &body)?;
        let mut st = shared.lock();
        let label = st
            .durable
            .labels
            .get(&tracking)
            .filter(|l| l.crid == payment.crid)
            .cloned()
            .ok_or_else(|| {
                refused(
                    "160179",
                    format!("barcode {tracking} does not exist"),
                    "barcode",
                )
            })?;
        if label.status != LabelStatus::Printed
            || label.manifested
            || super::return_labels::is_return(&label)
        {
            return Err(refused(
                "160178",
                format!("barcode {tracking} is not eligible for label edit"),
                "barcode",
            ));
        }
        if label.request["imageInfo"]["suppressPostage"].as_bool() == Some(false) {
            return Err(refused(
                "160250",
                "imageInfo.suppressPostage - cannot be edited when label is not suppressing postage".into(),
                "suppress postage",
            ));
        }
        let mut request = label.request.clone();
        apply(&ops, &mut request["packageDescription"])?;
        let pricing = match (&label.rate_holder_crid, &caller.business) {
            (Some(_), Some(business)) => label_build::LabelPricing::RateHolder(business),
            _ => label_build::LabelPricing::Commercial,
        };
        let plan = label_build::plan(&request, st.scenario.seed, pricing)?;
        let metadata = label_build::metadata(&plan, &tracking);
        let amount = plan.amount();
        let delta = ((amount - label.amount) * 100.0).round() / 100.0;
        if delta != 0.0 {
            st.record(LedgerEntry {
                seq: 0,
                at_ms: now_ms(),
                kind: if delta > 0.0 {
                    LedgerKind::Charged
                } else {
                    LedgerKind::Canceled
                },
                tracking_number: tracking.clone(),
                idempotency_key: label.idempotency_key.clone(),
                amount: delta,
                crid: label.crid.clone(),
                eps_account: label.eps_account.clone(),
                client_id: label.client_id.clone(),
            });
        }
        if let Some(stored) = st.durable.labels.get_mut(&tracking) {
            stored.request = request;
            stored.metadata = metadata.clone();
            stored.amount = amount;
        }
        shared.persist(&st);
        Ok(metadata)
    })();
    match result {
        Ok(metadata) => {
            let etag = format!(
                "\"{}\"",
                &sha256_hex(canonical_json(&metadata).as_bytes())[..16]
            );
            let mut resp = axum::Json(metadata).into_response();
            if let Ok(v) = HeaderValue::from_str(&etag) {
                resp.headers_mut().insert(header::ETAG, v);
            }
            resp
        }
        Err(e) => e.into_response(),
    }
}
