//! Carrier Pickup request validation (USPS 0200xx codes) and address standardisation.

use serde_json::{Value, json};

use super::addresses::resolve;
use super::enums::STATES;
use super::pickup::V;
use super::validate::Check;
use crate::errors::{ApiError, ErrorItem};

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

pub(super) fn coded(code: &'static str, text: &str, param: &str) -> ApiError {
    ApiError::bad_request(V, vec![ErrorItem::coded(code, text, param)])
}

pub(super) fn standardized_address(seed: u64, a: &Value) -> Result<Value, ApiError> {
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

/// Validates a SchedulePickupRequest and returns its normalised echo.
pub(super) fn check_request(seed: u64, req: &Value) -> Result<Value, ApiError> {
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
    let (today, _) = super::validate::us_today_span();
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
