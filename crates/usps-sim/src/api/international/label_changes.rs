//! After an international label is bought: cancel by tracking number or by idempotency key
//! (CANCELED before the Shipping Services File, DISPUTED with a dispute id after, each written
//! to the ledger), and reprint (free, at most three times, not once canceled, and only up to
//! the mailing date). Labels bought through the domestic API are not found here.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::LABELS_V as V;
use super::labels::{KEY_HEADER, caller, idempotency_key, is_international, label_response};
use crate::Shared;
use crate::api::labels::key_slot;
use crate::api::validate::{Check, json_body, us_today_span};
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{dispute_id, now_ms};
use crate::state::records::{LabelStatus, LedgerEntry, LedgerKind};

pub const REPRINT_LIMIT: u32 = 3;

fn bad(item: ErrorItem) -> ApiError {
    ApiError::bad_request(V, vec![item])
}

fn order_not_found() -> ApiError {
    bad(ErrorItem::coded(
        "160185",
        "Order not found",
        "trackingNumber",
    ))
}

/// Cancels (before manifest) or files a refund request (after), and writes the ledger.
fn cancel(shared: &Shared, crid: &str, tracking: &str) -> Result<Value, ApiError> {
    let mut st = shared.lock();
    let seed = st.scenario.seed;
    let label = st
        .durable
        .labels
        .get(tracking)
        .filter(|l| l.crid == crid && is_international(l))
        .cloned()
        .ok_or_else(order_not_found)?;
    match label.status {
        LabelStatus::Canceled => {
            return Err(bad(ErrorItem::coded(
                "160186",
                "Order already canceled",
                "trackingNumber",
            )));
        }
        LabelStatus::Disputed => {
            return Err(bad(ErrorItem::field(
                "A refund request for this order has already been submitted today",
                "trackingNumber",
            )));
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
    if let Some(stored) = st.durable.labels.get_mut(tracking) {
        stored.status = status;
        stored.dispute_id = dispute.clone();
    }
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
    let mut body = json!({
        "trackingNumber": tracking,
        "status": if dispute.is_some() { "DISPUTED" } else { "CANCELED" },
    });
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
        let path = format!("{V}/international-label/{tracking}");
        let (_, payment) = caller(&shared, &headers, &path)?;
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
        bad(ErrorItem::field(
            "X-Idempotency-Key header is required.",
            KEY_HEADER,
        ))
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

fn with_key(mut resp: Response, key: &str) -> Response {
    if let Ok(h) = HeaderValue::from_str(key) {
        resp.headers_mut().insert(KEY_HEADER, h);
    }
    resp
}

pub async fn cancel_by_key(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let result = (|| {
        let (_, payment) = caller(&shared, &headers, &format!("{V}/international-label"))?;
        let (key, tracking) = tracking_for_key(&shared, &headers, &payment.crid)?;
        Ok::<_, ApiError>((key, cancel(&shared, &payment.crid, &tracking)?))
    })();
    match result {
        Ok((key, v)) => with_key(axum::Json(v).into_response(), &key),
        Err(e) => e.into_response(),
    }
}

/// Reprints a label with the request's `imageInfo` (PDF only in the simulator).
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
    let mut c = Check::new(&request, None);
    c.only("", &["imageInfo"]);
    c.object("imageInfo", false);
    c.only("imageInfo", &["imageType", "labelType", "suppressPostage"]);
    let image = c.one_of(
        "imageInfo.imageType",
        false,
        &["PDF", "TIFF", "ZPL203DPI", "ZPL300DPI"],
    );
    if let Some(other) = image.filter(|t| *t != "PDF") {
        c.fail(ErrorItem::field(
            format!("imageType {other} is not available in the simulator; use PDF."),
            "imageInfo.imageType",
        ));
    }
    c.one_of("imageInfo.labelType", false, &["4X6LABEL"]);
    let suppress = c.boolean("imageInfo.suppressPostage");
    c.finish(V)?;
    let mut st = shared.lock();
    let label = st
        .durable
        .labels
        .get_mut(tracking)
        .filter(|l| l.crid == crid && is_international(l))
        .ok_or_else(order_not_found)?;
    if label.status != LabelStatus::Printed {
        return Err(bad(ErrorItem::coded(
            "160379",
            "Canceled labels are unavailable for reprint",
            "trackingNumber",
        )));
    }
    let mailed = time::Date::parse(
        &label.mailing_date,
        time::macros::format_description!("[year]-[month]-[day]"),
    );
    if mailed.is_ok_and(|d| d < us_today_span().0) {
        return Err(bad(ErrorItem::field(
            "Labels can only be reprinted up to the mailing date.",
            "trackingNumber",
        )));
    }
    if label.reprints >= REPRINT_LIMIT {
        return Err(bad(ErrorItem::field(
            "Labels can only be reprinted up to 3 times.",
            "trackingNumber",
        )));
    }
    label.reprints += 1;
    let mut copy = label.clone();
    if !copy.request["imageInfo"].is_object() {
        copy.request["imageInfo"] = json!({});
    }
    if let Some(s) = suppress {
        copy.request["imageInfo"]["suppressPostage"] = json!(s);
    }
    copy.request["imageInfo"]["imageType"] = json!("PDF");
    shared.persist(&st);
    drop(st);
    label_response(headers, &copy, Some(copy.reprints), StatusCode::OK)
}

pub async fn reprint_by_tracking(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(tracking): Path<String>,
    body: Bytes,
) -> Response {
    let result = (|| {
        let path = format!("{V}/international-label-reprint/{tracking}");
        let (_, payment) = caller(&shared, &headers, &path)?;
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
        let (_, payment) = caller(
            &shared,
            &headers,
            &format!("{V}/international-label-reprint"),
        )?;
        let (key, tracking) = tracking_for_key(&shared, &headers, &payment.crid)?;
        Ok::<_, ApiError>(with_key(
            reprint(&shared, &headers, &payment.crid, &tracking, &body)?,
            &key,
        ))
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}
