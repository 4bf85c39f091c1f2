//! After a label is bought: cancel by tracking number or idempotency key (CANCELED before
//! manifest, DISPUTED + disputeId after, each written to the ledger) and reprint (free, at most
//! three times, not for canceled labels).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::labels::{
    KEY_HEADER, REPRINT_LIMIT, V, idempotency_key, key_slot, label_caller, label_response,
};
use super::validate::json_body;
use crate::Shared;
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{dispute_id, now_ms};
use crate::state::records::{LabelRecord, LabelStatus, LedgerEntry, LedgerKind};

pub(crate) fn order_not_found(version: &'static str) -> ApiError {
    ApiError::bad_request(
        version,
        vec![ErrorItem::coded(
            "160185",
            "Order not found",
            "trackingNumber",
        )],
    )
}

fn cancel(shared: &Shared, crid: &str, tracking: &str) -> Result<Value, ApiError> {
    cancel_label(
        shared,
        V,
        crid,
        tracking,
        |_| true,
        |label| {
            super::return_labels::is_return(label).then(|| {
                ErrorItem::coded(
                    "160187",
                    "Return label orders cannot be canceled",
                    "trackingNumber",
                )
            })
        },
    )
}

/// Cancels (before manifest) or files a refund request (after) and writes the ledger, as the
/// labels API and the international labels API both do. `served_here` says whether this API
/// knows the label; `refusal` why it cannot cancel one it knows.
pub(crate) fn cancel_label(
    shared: &Shared,
    version: &'static str,
    crid: &str,
    tracking: &str,
    served_here: impl Fn(&LabelRecord) -> bool,
    refusal: impl Fn(&LabelRecord) -> Option<ErrorItem>,
) -> Result<Value, ApiError> {
    let mut st = shared.lock();
    let seed = st.scenario.seed;
    let label = st
        .durable
        .labels
        .get(tracking)
        .filter(|l| l.crid == crid && served_here(l))
        .cloned()
        .ok_or_else(|| order_not_found(version))?;
    if let Some(item) = refusal(&label) {
        return Err(ApiError::bad_request(version, vec![item]));
    }
    match label.status {
        LabelStatus::Canceled => {
            return Err(ApiError::bad_request(
                version,
                vec![ErrorItem::coded(
                    "160186",
                    "Order already canceled",
                    "trackingNumber",
                )],
            ));
        }
        LabelStatus::Disputed => {
            return Err(ApiError::bad_request(
                version,
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
pub(crate) fn tracking_for_key(
    shared: &Shared,
    headers: &HeaderMap,
    crid: &str,
    version: &'static str,
) -> Result<(String, String), ApiError> {
    let key = idempotency_key(headers)?.ok_or_else(|| {
        ApiError::bad_request(
            version,
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
        .ok_or_else(|| order_not_found(version))?;
    Ok((key, tracking))
}

/// An answer to a cancel by key carries the key back.
pub(crate) fn with_key(mut resp: Response, key: &str) -> Response {
    if let Ok(h) = HeaderValue::from_str(key) {
        resp.headers_mut().insert(KEY_HEADER, h);
    }
    resp
}

pub async fn cancel_by_key(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let result = (|| {
        let (_, payment) = label_caller(&shared, &headers, "/labels/v3/label")?;
        let (key, tracking) = tracking_for_key(&shared, &headers, &payment.crid, V)?;
        Ok::<_, ApiError>((key, cancel(&shared, &payment.crid, &tracking)?))
    })();
    match result {
        Ok((key, v)) => with_key(axum::Json(v).into_response(), &key),
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
        json_body(headers, body, V)?
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
        .ok_or_else(|| order_not_found(V))?;
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
    if !copy.request["imageInfo"].is_object() {
        copy.request["imageInfo"] = json!({});
    }
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
        let (_, tracking) = tracking_for_key(&shared, &headers, &payment.crid, V)?;
        reprint(&shared, &headers, &payment.crid, &tracking, &body)
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}
