//! After an international label is bought: cancel by tracking number or by idempotency key
//! (CANCELED before the Shipping Services File, DISPUTED with a dispute id after, each written
//! to the ledger), and reprint (free, at most three times, not once canceled, and only up to
//! the mailing date). Labels bought through the domestic API are not found here.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::LABELS_V as V;
use super::labels::{caller, is_international, label_response};
use crate::Shared;
use crate::api::label_changes;
use crate::api::validate::{Check, json_body, us_today_span};
use crate::errors::{ApiError, ErrorItem};
use crate::state::records::LabelStatus;

pub const REPRINT_LIMIT: u32 = 3;

fn bad(item: ErrorItem) -> ApiError {
    ApiError::bad_request(V, vec![item])
}

fn order_not_found() -> ApiError {
    label_changes::order_not_found(V)
}

fn cancel(shared: &Shared, crid: &str, tracking: &str) -> Result<Value, ApiError> {
    label_changes::cancel_label(shared, V, crid, tracking, is_international, |_| None)
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

pub async fn cancel_by_key(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let result = (|| {
        let (_, payment) = caller(&shared, &headers, &format!("{V}/international-label"))?;
        let (key, tracking) = label_changes::tracking_for_key(&shared, &headers, &payment.crid, V)?;
        Ok::<_, ApiError>((key, cancel(&shared, &payment.crid, &tracking)?))
    })();
    match result {
        Ok((key, v)) => label_changes::with_key(axum::Json(v).into_response(), &key),
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
        let (key, tracking) = label_changes::tracking_for_key(&shared, &headers, &payment.crid, V)?;
        Ok::<_, ApiError>(label_changes::with_key(
            reprint(&shared, &headers, &payment.crid, &tracking, &body)?,
            &key,
        ))
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}
