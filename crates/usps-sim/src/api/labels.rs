//! Domestic Labels v3: create (idempotent on `X-Idempotency-Key`), cancel by tracking number or
//! idempotency key (CANCELED before manifest, DISPUTED + disputeId after), and reprint.
//! Every charge, cancellation and refund request goes into the ledger.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::Api;
use super::label_build;
use super::payments::payment_auth;
use super::validate::json_body;
use crate::auth::guard::{Caller, authorize};
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{canonical_json, now_ms, sha256_hex, tracking_number};
use crate::pdf::{self, Part};
use crate::server::ConnectionKiller;
use crate::state::records::{LabelRecord, LabelStatus, LedgerEntry, LedgerKind, PaymentAuth};
use crate::{Shared, SimState};

pub(super) const V: &str = "/labels/v3";
pub(super) const KEY_HEADER: &str = "X-Idempotency-Key";
pub(super) const REPRINT_LIMIT: u32 = 3;

pub(super) fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
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

pub(super) fn key_slot(crid: &str, key: &str) -> String {
    format!("{crid}/{key}")
}

/// The label part(s) of a response, in the media type the client asked for.
pub(super) fn label_response(
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
    let spec = super::label_print::label_spec(&record.request, &record.metadata, show_postage);
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
pub(super) fn label_caller(
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
    let hold = shared
        .label_hold
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    if let Some(hold) = hold {
        hold.hold().await;
    }
    let outcome = (|| {
        let (caller, payment) = label_caller(&shared, &headers, "/labels/v3/label")?;
        let key = idempotency_key(&headers)?;
        let request = json_body(&headers, &body, V)?;
        let hash = sha256_hex(canonical_json(&request).as_bytes());
        commit(&shared, &caller, &payment, key, hash, request)
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

/// Buys the label: idempotency check, validation, tracking number, record, ledger charge and
/// key entry, all under one lock so concurrent requests with one key buy one label.
fn commit(
    shared: &Shared,
    caller: &Caller,
    payment: &PaymentAuth,
    key: Option<String>,
    hash: String,
    request: Value,
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
    let pricing = match (&payment.rate_holder_crid, &caller.business) {
        (Some(_), Some(business)) => label_build::LabelPricing::RateHolder(business),
        _ => label_build::LabelPricing::Commercial,
    };
    let plan = label_build::plan(&request, st.scenario.seed, pricing)?;
    st.durable.counters.labels += 1;
    let n = st.durable.counters.labels;
    let tracking = tracking_number(
        st.scenario.seed,
        plan.quote.service_type_code,
        &payment.label_owner_mid,
        n,
    );
    let label = ChargedLabel {
        metadata: label_build::metadata(&plan, &tracking),
        tracking,
        amount: plan.amount(),
        mailing_date: plan.mailing_date.clone(),
        manifested: plan.immediate_manifest,
    };
    let record = record_charged(&mut st, caller, payment, key, hash, request, label);
    shared.persist(&st);
    Ok((record, true))
}

/// A label just bought, as its API (domestic or international) priced and numbered it.
pub(crate) struct ChargedLabel {
    pub tracking: String,
    pub metadata: Value,
    pub amount: f64,
    pub mailing_date: String,
    pub manifested: bool,
}

/// Stores a bought label, its idempotency key and its ledger charge (the caller holds the lock
/// and persists).
pub(crate) fn record_charged(
    st: &mut SimState,
    caller: &Caller,
    payment: &PaymentAuth,
    key: Option<String>,
    request_hash: String,
    request: Value,
    label: ChargedLabel,
) -> LabelRecord {
    let ChargedLabel {
        tracking,
        metadata,
        amount,
        mailing_date,
        manifested,
    } = label;
    let record = LabelRecord {
        tracking_number: tracking.clone(),
        client_id: caller.client_id.clone(),
        crid: payment.crid.clone(),
        mid: payment.label_owner_mid.clone(),
        manifest_mid: payment.manifest_mid.clone(),
        eps_account: payment.payer_eps.clone(),
        idempotency_key: key.clone(),
        request_hash,
        request,
        metadata,
        amount,
        mailing_date,
        created_ms: now_ms(),
        status: LabelStatus::Printed,
        dispute_id: None,
        manifested,
        scan_form: None,
        reprints: 0,
        rate_holder_crid: payment.rate_holder_crid.clone(),
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
    record
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
