//! Tracking v3: `GET /tracking/v3/tracking/{trackingNumber}?expand=SUMMARY|DETAIL` for labels
//! bought in this simulator. Events follow the label's life here: created, accepted once it is
//! manifested (SCAN form), or canceled. Since April 2026 USPS only shows packages whose Label MID
//! the caller owns, so another business's label answers 403.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::Api;
use crate::Shared;
use crate::auth::guard::authorize;
use crate::errors::{ApiError, ErrorItem};
use crate::state::records::{LabelRecord, LabelStatus};

const V: &str = "/tracking/v3";
/// Mail classes the TrackingDetails schema can name.
const TRACKABLE_CLASSES: &[&str] = &[
    "BOUND_PRINTED_MATTER",
    "LIBRARY_MAIL",
    "USPS_RETAIL_GROUND",
    "MEDIA_MAIL",
    "PRIORITY_MAIL_EXPRESS",
    "PRIORITY_MAIL",
    "PARCEL_SELECT",
];

fn rfc3339(ms: u64) -> String {
    time::OffsetDateTime::from_unix_timestamp((ms / 1000) as i64)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// (eventType, eventCode, status category, timestamp ms), newest first.
fn events(label: &LabelRecord) -> Vec<(&'static str, &'static str, &'static str, u64)> {
    let mut list = vec![(
        "Shipping Label Created, USPS Awaiting Item",
        "GX",
        "Pre-Shipment",
        label.created_ms,
    )];
    if label.manifested && label.status == LabelStatus::Printed {
        list.push((
            "USPS in possession of item",
            "03",
            "Accepted",
            label.created_ms + 60_000,
        ));
    }
    if label.status != LabelStatus::Printed {
        list.push((
            "Shipping Label Canceled",
            "GX",
            "Pre-Shipment",
            label.created_ms + 60_000,
        ));
    }
    list.reverse();
    list
}

fn detail(label: &LabelRecord) -> Value {
    let from = &label.request["fromAddress"];
    let to = &label.metadata["labelAddress"];
    let evs = events(label);
    let (status, _, category, at) = evs[0];
    let city = from["city"]
        .as_str()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let state = from["state"].as_str().unwrap_or_default();
    let zip = from["ZIPCode"].as_str().unwrap_or_default();
    let mut v = json!({
        "trackingNumber": label.tracking_number,
        "mailType": "DOMESTIC_MAIL",
        "originCity": city,
        "originState": state,
        "originZIP": zip,
        "destinationCity": to["city"],
        "destinationState": to["state"],
        "destinationZIP": to["ZIPCode"],
        "status": status,
        "statusCategory": category,
        "statusSummary": format!("{status} as of {}.", rfc3339(at)),
        "serviceTypeCode": label.metadata["serviceTypeCode"],
        "itemShape": "PARCEL",
        "emailEnabled": true,
        "proofOfDeliveryEnabled": super::tracking_requests::proof_of_delivery_available(label),
        "uniqueMailPieceId": super::tracking_requests::mail_piece_id(label),
        "mailPieceIntakeDate": rfc3339(label.created_ms),
        "tableCode": "T",
        "accessControl": "FREE",
        "trackingEvents": evs.iter().map(|(kind, code, _, ms)| json!({
            "eventType": kind,
            "eventTimestamp": rfc3339(*ms),
            "GMTTimestamp": rfc3339(*ms),
            "GMTOffset": "+00:00",
            "eventCountry": "US",
            "eventCity": city,
            "eventState": state,
            "eventZIP": zip,
            "authorizedAgent": false,
            "eventCode": code,
        })).collect::<Vec<_>>(),
    });
    let class = label.request["packageDescription"]["mailClass"]
        .as_str()
        .unwrap_or_default();
    if TRACKABLE_CLASSES.contains(&class) {
        v["mailClass"] = json!(class);
    }
    if let Some(d) = label.metadata["commitment"]["expectedDeliveryDate"].as_str() {
        v["predictedDeliveryDate"] = json!(d);
    }
    v
}

fn summary(label: &LabelRecord) -> Value {
    let mut v = json!({
        "trackingNumber": label.tracking_number,
        "eventSummaries": events(label).iter().map(|(kind, _, _, ms)| format!("{kind}, {}", rfc3339(*ms))).collect::<Vec<_>>(),
    });
    if let Some(d) = label.metadata["commitment"]["expectedDeliveryDate"].as_str() {
        v["expectedDeliveryDate"] = json!(d);
    }
    v
}

pub async fn track(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(tracking): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::Tracking)?;
        let expand = q
            .get("expand")
            .map(|e| e.to_ascii_uppercase())
            .unwrap_or_else(|| "SUMMARY".into());
        if !["SUMMARY", "DETAIL"].contains(&expand.as_str()) {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::field(
                    "expand must be SUMMARY or DETAIL.",
                    "expand",
                )],
            ));
        }
        let label = shared.lock().durable.labels.get(&tracking).cloned().ok_or_else(|| {
            ApiError::bad_request(V, vec![ErrorItem::coded("150002",
                "The tracking number may be incorrect or the status update is not yet available. Please verify your tracking number and try again later.",
                "trackingNumber")])
        })?;
        let path = format!("/tracking/v3/tracking/{tracking}");
        let business = caller.business(Api::Tracking, &path)?;
        if !business.owns_mid(&label.mid) {
            return Err(ApiError::forbidden(V, &path));
        }
        Ok(if expand == "DETAIL" {
            detail(&label)
        } else {
            summary(&label)
        })
    })();
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}
