//! Domestic Labels v3: create (idempotent on `X-Idempotency-Key`), cancel by tracking number or
//! idempotency key (CANCELED before manifest, DISPUTED + disputeId after), and reprint.
//! Every charge, cancellation and refund request goes into the ledger.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::Api;
use super::label_build::{self, Plan};
use super::payments::payment_auth;
use super::validate::json_body;
use crate::Shared;
use crate::auth::guard::{Caller, authorize};
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{canonical_json, dispute_id, now_ms, sha256_hex, tracking_number};
use crate::pdf::{self, Part};
use crate::server::ConnectionKiller;
use crate::state::records::{LabelRecord, LabelStatus, LedgerEntry, LedgerKind, PaymentAuth};

const V: &str = "/labels/v3";
const KEY_HEADER: &str = "X-Idempotency-Key";
const REPRINT_LIMIT: u32 = 3;

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(raw) = headers.get(KEY_HEADER) else {
        return Ok(None);
    };
    let key = raw.to_str().unwrap_or_default().trim();
    if uuid::Uuid::parse_str(key).is_err() {
        return Err(ApiError::bad_request(
            V,
            vec![ErrorItem::field(
                "X-Idempotency-Key must be a UUID.",
                KEY_HEADER,
            )],
        ));
    }
    Ok(Some(key.to_ascii_lowercase()))
}

fn key_slot(crid: &str, key: &str) -> String {
    format!("{crid}/{key}")
}

/// The label part(s) of a response, in the media type the client asked for.
fn label_response(
    headers: &HeaderMap,
    record: &LabelRecord,
    reprint: Option<u32>,
) -> Result<Response, ApiError> {
    let show_postage = !record.request["imageInfo"]["suppressPostage"]
        .as_bool()
        .unwrap_or(true);
    let image_type = record.request["imageInfo"]["imageType"]
        .as_str()
        .unwrap_or("PDF");
    let receipt_separate =
        record.request["imageInfo"]["receiptOption"].as_str() == Some("SEPARATE_PAGE");
    let spec = label_build::label_spec(&record.request, &record.metadata, show_postage);
    let image = if image_type == "NONE" {
        None
    } else {
        Some(pdf::label_pdf(&spec, V)?)
    };
    let receipt = if receipt_separate && image.is_some() {
        let mut receipt_spec = spec.clone();
        receipt_spec.postage = Some(format!("${:.2}", record.amount));
        Some(pdf::label_pdf(&receipt_spec, V)?)
    } else {
        None
    };
    let reprint_info =
        reprint.map(|n| json!({ "reprintNumber": n, "reprintLimit": REPRINT_LIMIT }));
    if pdf::wants_vendor_json(headers) {
        let mut body = if reprint.is_some() {
            json!({ "labelMetadata": record.metadata })
        } else {
            record.metadata.clone()
        };
        if let Some(img) = &image {
            body["labelImage"] = json!(pdf::b64(img));
        }
        if let Some(r) = &receipt {
            body["receiptImage"] = json!(pdf::b64(r));
        }
        if let Some(info) = reprint_info {
            body["reprintInfo"] = info;
        }
        return Ok(pdf::vendor_json(body));
    }
    let mut parts = vec![Part::json("labelMetadata", &record.metadata)];
    if let Some(img) = &image {
        parts.push(Part::pdf("labelImage", "labelImage.pdf", img));
    }
    if let Some(r) = &receipt {
        parts.push(Part::pdf("receiptImage", "receiptImage.pdf", r));
    }
    if let Some(info) = reprint_info {
        parts.push(Part::json("reprintInfo", &info));
    }
    Ok(pdf::multipart(&parts))
}

/// Authenticates a label call: bearer token, business and payment token.
fn label_caller(
    shared: &Shared,
    headers: &HeaderMap,
    path: &str,
) -> Result<(Caller, PaymentAuth), ApiError> {
    let caller = authorize(shared, headers, Api::Labels)?;
    caller.business(Api::Labels, path)?;
    let payment = payment_auth(shared, headers, &caller, V)?;
    Ok((caller, payment))
}

pub async fn create(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    killer: Option<axum::Extension<ConnectionKiller>>,
    body: Bytes,
) -> Response {
    let outcome = (|| {
        let (caller, payment) = label_caller(&shared, &headers, "/labels/v3/label")?;
        let key = idempotency_key(&headers)?;
        let request = json_body(&body, V)?;
        let hash = sha256_hex(canonical_json(&request).as_bytes());
        if let Some(k) = &key {
            let st = shared.lock();
            if let Some(existing) = st
                .durable
                .idempotency
                .get(&key_slot(&payment.crid, k))
                .and_then(|t| st.durable.labels.get(t))
            {
                if existing.request_hash != hash {
                    return Err(key_reused());
                }
                return Ok((existing.clone(), false));
            }
        }
        let seed = shared.lock().scenario.seed;
        let plan = label_build::plan(&request, seed)?;
        commit(&shared, &caller, &payment, key, hash, request, plan)
    })();
    let (record, fresh) = match outcome {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    if fresh {
        let drop_it = {
            let mut st = shared.lock();
            let d = st.faults.drop_label_responses > 0;
            if d {
                st.faults.drop_label_responses -= 1;
            }
            d
        };
        if let (true, Some(axum::Extension(k))) = (drop_it, killer) {
            k.kill();
            std::future::pending::<()>().await;
        }
    }
    label_response(&headers, &record, None).unwrap_or_else(IntoResponse::into_response)
}

/// Buys the label: tracking number, record, ledger charge, idempotency entry. The key is
/// checked again under the lock so two concurrent requests with one key buy one label.
fn commit(
    shared: &Shared,
    caller: &Caller,
    payment: &PaymentAuth,
    key: Option<String>,
    hash: String,
    request: Value,
    plan: Plan,
) -> Result<(LabelRecord, bool), ApiError> {
    let mut st = shared.lock();
    if let Some(k) = &key
        && let Some(existing) = st
            .durable
            .idempotency
            .get(&key_slot(&payment.crid, k))
            .and_then(|t| st.durable.labels.get(t))
    {
        if existing.request_hash != hash {
            return Err(key_reused());
        }
        return Ok((existing.clone(), false));
    }
    st.durable.counters.labels += 1;
    let n = st.durable.counters.labels;
    let tracking = tracking_number(
        st.scenario.seed,
        plan.quote.service_type_code,
        &payment.label_owner_mid,
        n,
    );
    let metadata = label_build::metadata(&plan, &tracking);
    let amount = plan.amount();
    let record = LabelRecord {
        tracking_number: tracking.clone(),
        client_id: caller.client_id.clone(),
        crid: payment.crid.clone(),
        mid: payment.label_owner_mid.clone(),
        manifest_mid: payment.manifest_mid.clone(),
        eps_account: payment.payer_eps.clone(),
        idempotency_key: key.clone(),
        request_hash: hash,
        request,
        metadata,
        amount,
        mailing_date: plan.mailing_date.clone(),
        created_ms: now_ms(),
        status: LabelStatus::Printed,
        dispute_id: None,
        manifested: plan.immediate_manifest,
        scan_form: None,
        reprints: 0,
    };
    st.durable.labels.insert(tracking.clone(), record.clone());
    if let Some(k) = &key {
        st.durable
            .idempotency
            .insert(key_slot(&payment.crid, k), tracking.clone());
    }
    st.record(LedgerEntry {
        seq: 0,
        at_ms: now_ms(),
        kind: LedgerKind::Charged,
        tracking_number: tracking,
        idempotency_key: key,
        amount,
        crid: payment.crid.clone(),
        eps_account: payment.payer_eps.clone(),
        client_id: caller.client_id.clone(),
    });
    shared.persist(&st);
    Ok((record, true))
}

fn key_reused() -> ApiError {
    ApiError::bad_request(
        V,
        vec![ErrorItem::field(
            "The X-Idempotency-Key was already used for a different label request. Resubmit the original request or use a new key.",
            KEY_HEADER,
        )],
    )
}

fn order_not_found() -> ApiError {
    ApiError::bad_request(
        V,
        vec![ErrorItem::coded(
            "160185",
            "Order not found",
            "trackingNumber",
        )],
    )
}

/// Cancels (before manifest) or files a refund request (after).
fn cancel(shared: &Shared, crid: &str, tracking: &str) -> Result<Value, ApiError> {
    let mut st = shared.lock();
    let seed = st.scenario.seed;
    let label = st
        .durable
        .labels
        .get(tracking)
        .filter(|l| l.crid == crid)
        .cloned()
        .ok_or_else(order_not_found)?;
    match label.status {
        LabelStatus::Canceled => {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::coded(
                    "160186",
                    "Order already canceled",
                    "trackingNumber",
                )],
            ));
        }
        LabelStatus::Disputed => {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::field(
                    "A refund request for this order has already been submitted today",
                    "trackingNumber",
                )],
            ));
        }
        LabelStatus::Printed => {}
    }
    let (status, kind, dispute) = if label.manifested {
        st.durable.counters.disputes += 1;
        (
            LabelStatus::Disputed,
            LedgerKind::RefundRequested,
            Some(dispute_id(seed, st.durable.counters.disputes)),
        )
    } else {
        (LabelStatus::Canceled, LedgerKind::Canceled, None)
    };
    let stored = st.durable.labels.get_mut(tracking).expect("found above");
    stored.status = status;
    stored.dispute_id = dispute.clone();
    st.record(LedgerEntry {
        seq: 0,
        at_ms: now_ms(),
        kind,
        tracking_number: tracking.to_string(),
        idempotency_key: label.idempotency_key.clone(),
        amount: -label.amount,
        crid: label.crid.clone(),
        eps_account: label.eps_account.clone(),
        client_id: label.client_id.clone(),
    });
    shared.persist(&st);
    let mut body = json!({ "trackingNumber": tracking, "status": if dispute.is_some() { "DISPUTED" } else { "CANCELED" } });
    if let Some(d) = dispute {
        body["disputeId"] = json!(d);
    }
    Ok(body)
}

pub async fn cancel_by_tracking(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(tracking): Path<String>,
) -> Response {
    let result = (|| {
        let (_, payment) =
            label_caller(&shared, &headers, &format!("/labels/v3/label/{tracking}"))?;
        cancel(&shared, &payment.crid, &tracking)
    })();
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The tracking number a (CRID, idempotency key) bought, from the required key header.
fn tracking_for_key(
    shared: &Shared,
    headers: &HeaderMap,
    crid: &str,
) -> Result<(String, String), ApiError> {
    let key = idempotency_key(headers)?.ok_or_else(|| {
        ApiError::bad_request(
            V,
            vec![ErrorItem::field(
                "X-Idempotency-Key header is required.",
                KEY_HEADER,
            )],
        )
    })?;
    let tracking = shared
        .lock()
        .durable
        .idempotency
        .get(&key_slot(crid, &key))
        .cloned()
        .ok_or_else(order_not_found)?;
    Ok((key, tracking))
}

pub async fn cancel_by_key(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let result = (|| {
        let (_, payment) = label_caller(&shared, &headers, "/labels/v3/label")?;
        let (key, tracking) = tracking_for_key(&shared, &headers, &payment.crid)?;
        Ok::<_, ApiError>((key, cancel(&shared, &payment.crid, &tracking)?))
    })();
    match result {
        Ok((key, v)) => {
            let mut resp = axum::Json(v).into_response();
            if let Ok(h) = HeaderValue::from_str(&key) {
                resp.headers_mut().insert(KEY_HEADER, h);
            }
            resp
        }
        Err(e) => e.into_response(),
    }
}

fn reprint(
    shared: &Shared,
    headers: &HeaderMap,
    crid: &str,
    tracking: &str,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let request = if body.is_empty() {
        json!({})
    } else {
        json_body(body, V)?
    };
    let mut c = super::validate::Check::new(&request, None);
    c.only("", &["imageInfo"]);
    c.one_of(
        "imageInfo.imageType",
        false,
        &[
            "PDF",
            "TIFF",
            "JPG",
            "PNG",
            "GIF",
            "SVG",
            "ZPL203DPI",
            "ZPL300DPI",
            "EPL300DPI",
        ],
    );
    c.one_of(
        "imageInfo.labelType",
        false,
        &["4X4LABEL", "4X5LABEL", "4X6LABEL", "6X4LABEL", "2X7LABEL"],
    );
    let suppress = c.boolean("imageInfo.suppressPostage");
    c.finish(V)?;
    let mut st = shared.lock();
    let label = st
        .durable
        .labels
        .get_mut(tracking)
        .filter(|l| l.crid == crid)
        .ok_or_else(order_not_found)?;
    if label.status != LabelStatus::Printed {
        return Err(ApiError::bad_request(
            V,
            vec![ErrorItem::coded(
                "160379",
                "Canceled labels are unavailable for reprint",
                "trackingNumber",
            )],
        ));
    }
    if label.reprints >= REPRINT_LIMIT {
        return Err(ApiError::bad_request(
            V,
            vec![ErrorItem::field(
                "Labels can only be reprinted up to 3 times.",
                "trackingNumber",
            )],
        ));
    }
    label.reprints += 1;
    let mut copy = label.clone();
    if let Some(s) = suppress {
        copy.request["imageInfo"]["suppressPostage"] = json!(s);
    }
    copy.request["imageInfo"]["receiptOption"] = json!("NONE");
    copy.request["imageInfo"]["imageType"] = json!("PDF");
    shared.persist(&st);
    drop(st);
    label_response(headers, &copy, Some(copy.reprints))
}

pub async fn reprint_by_tracking(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(tracking): Path<String>,
    body: Bytes,
) -> Response {
    let result = (|| {
        let (_, payment) = label_caller(
            &shared,
            &headers,
            &format!("/labels/v3/label-reprint/{tracking}"),
        )?;
        reprint(&shared, &headers, &payment.crid, &tracking, &body)
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}

pub async fn reprint_by_key(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let (_, payment) = label_caller(&shared, &headers, "/labels/v3/label-reprint")?;
        let (_, tracking) = tracking_for_key(&shared, &headers, &payment.crid)?;
        reprint(&shared, &headers, &payment.crid, &tracking, &body)
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}
