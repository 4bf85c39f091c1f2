//! Carrier Pickup v3: eligibility, schedule, fetch, update and cancel. Updates and cancels need
//! the current `ETag` in `If-Match`: a missing header answers 400 (field error), a stale one 412
//! (the real behaviour is unconfirmed; REFERENCE §8).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::Api;
use super::addresses::{STATES, resolve};
use super::geo;
use super::validate::{Check, json_body};
use crate::Shared;
use crate::auth::guard::{Caller, authorize};
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{canonical_json, pickup_confirmation, sha256_hex};
use crate::state::records::PickupRecord;

const V: &str = "/pickup/v3";
const PACKAGE_TYPES: &[&str] = &[
    "FIRST-CLASS_PACKAGE_SERVICE",
    "PRIORITY_MAIL_EXPRESS",
    "PRIORITY_MAIL",
    "RETURNS",
    "USPS_GROUND_ADVANTAGE",
    "INTERNATIONAL",
    "OTHER",
];
const LOCATIONS: &[&str] = &[
    "FRONT_DOOR",
    "BACK_DOOR",
    "SIDE_DOOR",
    "KNOCK_ON_DOOR",
    "MAIL_ROOM",
    "OFFICE",
    "PORCH",
    "RECEPTION",
    "MAILBOX",
    "OTHER",
];

fn coded(code: &'static str, text: &str, param: &str) -> ApiError {
    ApiError::bad_request(V, vec![ErrorItem::coded(code, text, param)])
}

fn with_etag(mut resp: Response, etag: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(etag) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    resp
}

fn standardized_address(seed: u64, a: &Value) -> Result<Value, ApiError> {
    let s = |k: &str| a[k].as_str().unwrap_or_default();
    let state = s("state").to_ascii_uppercase();
    let m = resolve(
        seed,
        s("streetAddress"),
        s("secondaryAddress"),
        s("city"),
        &state,
        s("ZIPCode"),
    )
    .map_err(|_| coded("020003", "Invalid pickup details.", "pickupAddress.address"))?;
    let mut out = json!({ "streetAddress": m.street, "city": m.city, "state": m.state, "ZIPCode": m.zip, "ZIPPlus4": m.plus4 });
    if !m.secondary.is_empty() {
        out["secondaryAddress"] = json!(m.secondary);
    }
    Ok(out)
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

/// Validates a SchedulePickupRequest and returns its normalised echo.
fn check_request(seed: u64, req: &Value) -> Result<Value, ApiError> {
    let mut c = Check::new(req, None);
    c.only(
        "",
        &[
            "pickupDate",
            "pickupAddress",
            "packages",
            "estimatedWeight",
            "pickupLocation",
            "nextAvailablePickup",
        ],
    );
    let date = c.string("pickupDate", true);
    c.object("pickupAddress", true);
    c.string("pickupAddress.firstName", true);
    c.string("pickupAddress.lastName", true);
    c.object("pickupAddress.address", true);
    c.string("pickupAddress.address.streetAddress", true);
    if let Some(st) = c.string("pickupAddress.address.state", false)
        && !STATES.contains(&st.to_ascii_uppercase().as_str())
    {
        c.fail(ErrorItem::field(
            "state is not valid.",
            "pickupAddress.address.state",
        ));
    }
    match req["pickupAddress"]["contact"].as_array() {
        Some(list) if (1..=2).contains(&list.len()) => {
            for contact in list {
                match (contact["email"].as_str(), contact["cellNumber"].as_str()) {
                    (Some(e), None) if e.contains('@') && e.contains('.') => {}
                    (Some(_), None) => c.fail(ErrorItem::coded(
                        "020021",
                        "Email address is invalid.",
                        "pickupAddress.contact",
                    )),
                    (None, Some(n)) if n.len() == 10 && n.bytes().all(|b| b.is_ascii_digit()) => {}
                    _ => c.fail(ErrorItem::coded(
                        "020006",
                        "Phone number is invalid.",
                        "pickupAddress.contact",
                    )),
                }
            }
        }
        _ => c.fail(ErrorItem::field(
            "pickupAddress.contact must hold 1 or 2 contact methods.",
            "pickupAddress.contact",
        )),
    }
    match req["packages"].as_array() {
        Some(list) if !list.is_empty() => {
            for p in list {
                let ok = p["packageType"]
                    .as_str()
                    .is_some_and(|t| PACKAGE_TYPES.contains(&t))
                    && p["packageCount"].as_u64().is_some();
                if !ok {
                    c.fail(ErrorItem::field(
                        "Each package needs a valid packageType and an integer packageCount.",
                        "packages",
                    ));
                }
            }
        }
        _ => c.fail(ErrorItem::field("packages is required.", "packages")),
    }
    c.number("estimatedWeight", true);
    let location = c.string("pickupLocation.packageLocation", true);
    if location.is_some_and(|l| !LOCATIONS.contains(&l)) {
        c.fail(ErrorItem::coded(
            "020004",
            "Invalid pickup location.",
            "pickupLocation.packageLocation",
        ));
    }
    let notes = c
        .string("pickupLocation.specialInstructions", false)
        .unwrap_or_default();
    if location == Some("OTHER") && notes.trim().is_empty() {
        c.fail(ErrorItem::coded(
            "020020",
            "Pickup location of Other requires additional information in comments.",
            "pickupLocation.specialInstructions",
        ));
    }
    if notes.len() > 255 {
        c.fail(ErrorItem::coded(
            "020019",
            "Comments cannot exceed 255 characters.",
            "pickupLocation.specialInstructions",
        ));
    }
    c.finish(V)?;
    let date = time::Date::parse(
        date.unwrap_or_default(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        ApiError::bad_request(
            V,
            vec![ErrorItem::field(
                "pickupDate must be a date (YYYY-MM-DD).",
                "pickupDate",
            )],
        )
    })?;
    let today = time::OffsetDateTime::now_utc().date();
    if date < today {
        return Err(coded("020016", "Pickup date is in the past.", "pickupDate"));
    }
    if date > today + time::Duration::days(365) {
        return Err(coded(
            "020017",
            "Pickups can only be scheduled one year in the future.",
            "pickupDate",
        ));
    }
    if date.weekday() == time::Weekday::Sunday {
        return Err(coded(
            "020018",
            "Pickup Request cannot be scheduled on requested day.",
            "pickupDate",
        ));
    }
    let mut echo = req.clone();
    echo["pickupAddress"]["address"] =
        standardized_address(seed, &req["pickupAddress"]["address"])?;
    Ok(echo)
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
        let req = json_body(&body, V)?;
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
        let body = json_body(&body, V)?;
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
