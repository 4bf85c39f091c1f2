//! Carrier Pickup v3: eligibility, schedule, fetch, update and cancel. Updates and cancels need
//! the current `ETag` in `If-Match`: a missing header answers 400 (field error), a stale one 412
//! (the real behaviour is unconfirmed; docs/usps.md#carrier-pickup).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::Api;
use super::geo;
use super::pickup_request::{check_request, coded, standardized_address};
use super::validate::{Check, json_body};
use crate::Shared;
use crate::auth::guard::{Caller, authorize};
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{canonical_json, pickup_confirmation, sha256_hex};
use crate::state::records::PickupRecord;

pub(super) const V: &str = "/pickup/v3";
fn with_etag(mut resp: Response, etag: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(etag) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    resp
}

pub async fn eligibility(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let result = (|| {
        authorize(&shared, &headers, Api::Pickup)?;
        let q: serde_json::Map<String, Value> = q.into_iter().map(|(k, v)| (k, json!(v))).collect();
        let body = Value::Object(q);
        let mut c = Check::new(&body, None);
        c.string("streetAddress", true);
        if body.get("ZIPCode").is_none()
            && (body.get("city").is_none() || body.get("state").is_none())
        {
            c.fail(ErrorItem::field(
                "Either city and state or ZIPCode is required.",
                "ZIPCode",
            ));
        }
        c.shaped(
            "ZIPCode",
            false,
            geo::is_zip5,
            ErrorItem::field("ZIPCode must be 5 digits.", "ZIPCode"),
        );
        c.finish(V)?;
        let seed = shared.lock().scenario.seed;
        let mut address = body.clone();
        if address.get("state").is_none() {
            address["state"] = json!(
                geo::state_of(body["ZIPCode"].as_str().unwrap_or_default()).unwrap_or_default()
            );
        }
        Ok::<_, ApiError>(json!({ "address": standardized_address(seed, &address)? }))
    })();
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

fn business_crid(caller: &Caller) -> Result<String, ApiError> {
    Ok(caller
        .business(Api::Pickup, "/pickup/v3/carrier-pickup")?
        .crid
        .clone())
}

fn etag_of(confirmation: &Value) -> String {
    format!(
        "\"{}\"",
        &sha256_hex(canonical_json(confirmation).as_bytes())[..32]
    )
}

pub async fn schedule(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::Pickup)?;
        let crid = business_crid(&caller)?;
        let req = json_body(&headers, &body, V)?;
        let seed = shared.lock().scenario.seed;
        let echo = check_request(seed, &req)?;
        let mut st = shared.lock();
        let same = |p: &PickupRecord| {
            !p.canceled
                && p.confirmation["pickupDate"] == echo["pickupDate"]
                && p.confirmation["carrierPickupRequest"]["pickupAddress"]["address"]
                    == echo["pickupAddress"]["address"]
        };
        if st.durable.pickups.values().any(same) {
            return Err(coded(
                "020001",
                "Pickup already exists for this address.",
                "pickupAddress",
            ));
        }
        st.durable.counters.pickups += 1;
        let number = pickup_confirmation(seed, st.durable.counters.pickups);
        let confirmation = json!({ "confirmationNumber": number, "pickupDate": echo["pickupDate"], "carrierPickupRequest": echo });
        let etag = etag_of(&confirmation);
        st.durable.pickups.insert(
            number.clone(),
            PickupRecord {
                confirmation_number: number,
                etag: etag.clone(),
                confirmation: confirmation.clone(),
                crid,
                canceled: false,
            },
        );
        shared.persist(&st);
        Ok((confirmation, etag))
    })();
    match result {
        Ok((v, etag)) => with_etag(axum::Json(v).into_response(), &etag),
        Err(e) => e.into_response(),
    }
}

fn find(shared: &Shared, crid: &str, number: &str) -> Result<PickupRecord, ApiError> {
    shared
        .lock()
        .durable
        .pickups
        .get(number)
        .filter(|p| p.crid == crid)
        .cloned()
        .ok_or_else(|| coded("020015", "Case number not found.", "confirmationNumber"))
}

pub async fn fetch(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::Pickup)?;
        let p = find(&shared, &business_crid(&caller)?, &number)?;
        if p.canceled {
            return Err(coded(
                "020015",
                "Case number not found.",
                "confirmationNumber",
            ));
        }
        Ok(p)
    })();
    match result {
        Ok(p) => with_etag(axum::Json(json!([p.confirmation])).into_response(), &p.etag),
        Err(e) => e.into_response(),
    }
}

/// Checks `If-Match` against the pickup's current ETag.
fn precondition(headers: &HeaderMap, p: &PickupRecord) -> Result<(), ApiError> {
    let given = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    match given {
        None | Some("") => Err(ApiError::bad_request(
            V,
            vec![ErrorItem::field("If-Match header is required.", "If-Match")],
        )),
        Some(tag) if tag == p.etag || tag == "*" => Ok(()),
        Some(_) => Err(
            ApiError::new(StatusCode::PRECONDITION_FAILED, V, "Precondition Failed").with_item(
                ErrorItem::field(
                    "If-Match does not match the current ETag of this pickup.",
                    "If-Match",
                ),
            ),
        ),
    }
}

pub async fn update(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(number): Path<String>,
    body: Bytes,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::Pickup)?;
        let p = find(&shared, &business_crid(&caller)?, &number)?;
        if p.canceled {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::field(
                    "A canceled pickup cannot be updated.",
                    "confirmationNumber",
                )],
            ));
        }
        precondition(&headers, &p)?;
        let body = json_body(&headers, &body, V)?;
        let req = body.get("carrierPickupRequest").cloned().unwrap_or(body);
        let seed = shared.lock().scenario.seed;
        let echo = check_request(seed, &req)?;
        let confirmation = json!({ "confirmationNumber": number, "pickupDate": echo["pickupDate"], "carrierPickupRequest": echo });
        let etag = etag_of(&confirmation);
        let mut st = shared.lock();
        if let Some(stored) = st.durable.pickups.get_mut(&number) {
            stored.confirmation = confirmation.clone();
            stored.etag = etag.clone();
        }
        shared.persist(&st);
        Ok((confirmation, etag))
    })();
    match result {
        Ok((v, etag)) => with_etag(axum::Json(v).into_response(), &etag),
        Err(e) => e.into_response(),
    }
}

pub async fn cancel(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::Pickup)?;
        let p = find(&shared, &business_crid(&caller)?, &number)?;
        if p.canceled {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::field(
                    "The pickup has already been canceled.",
                    "confirmationNumber",
                )],
            ));
        }
        precondition(&headers, &p)?;
        let mut st = shared.lock();
        if let Some(stored) = st.durable.pickups.get_mut(&number) {
            stored.canceled = true;
        }
        shared.persist(&st);
        Ok(())
    })();
    match result {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => e.into_response(),
    }
}
