//! Carrier Pickup request validation (the schema's limits from `rules`, USPS's 0200xx codes)
//! and address standardisation.

use serde_json::{Value, json};

use super::addresses::resolve;
use super::enums::STATES;
use super::pickup::V;
use super::validate::{Check, at};
use crate::errors::{ApiError, ErrorItem};
use crate::rules::{self, PICKUP};

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
    let pa = "pickupAddress";
    c.object(pa, true);
    c.text(PICKUP, &format!("{pa}.firstName"), true);
    c.text(PICKUP, &format!("{pa}.lastName"), true);
    c.text(PICKUP, &format!("{pa}.firm"), false);
    c.object(&format!("{pa}.address"), true);
    let address = |f: &str| format!("{pa}.address.{f}");
    c.text(PICKUP, &address("streetAddress"), true);
    for optional in [
        "secondaryAddress",
        "city",
        "ZIPCode",
        "ZIPPlus4",
        "urbanization",
    ] {
        c.text(PICKUP, &address(optional), false);
    }
    if let Some(st) = c.string(&address("state"), false)
        && !STATES.contains(&st.to_ascii_uppercase().as_str())
    {
        c.fail(ErrorItem::field(
            "state is not valid.",
            "pickupAddress.address.state",
        ));
    }
    let contact = format!("{pa}.contact");
    match c.list(PICKUP, &contact) {
        Some(list) if !list.is_empty() => {
            for item in list {
                let email = item["email"].as_str();
                let cell = item["cellNumber"].as_str();
                let email_ok = |e: &str| {
                    e.contains('@')
                        && e.contains('.')
                        && rules::broken_text(PICKUP, "pickupAddress.contact[].email", e).is_none()
                };
                let cell_ok = |n: &str| {
                    rules::broken_text(PICKUP, "pickupAddress.contact[].cellNumber", n).is_none()
                };
                match (email, cell) {
                    (Some(e), None) if email_ok(e) => {}
                    (Some(_), None) => c.fail(ErrorItem::coded(
                        "020021",
                        "Email address is invalid.",
                        "pickupAddress.contact",
                    )),
                    (None, Some(n)) if cell_ok(n) => {}
                    _ => c.fail(ErrorItem::coded(
                        "020006",
                        "Phone number is invalid.",
                        "pickupAddress.contact",
                    )),
                }
            }
        }
        Some(_) => c.fail(ErrorItem::field(
            "pickupAddress.contact must hold 1 or 2 contact methods.",
            "pickupAddress.contact",
        )),
        None if at(req, &contact).is_none() => c.fail(ErrorItem::field(
            "pickupAddress.contact must hold 1 or 2 contact methods.",
            "pickupAddress.contact",
        )),
        None => {}
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
    c.positive("estimatedWeight", true);
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
    if notes.chars().count() > 255 {
        c.fail(ErrorItem::coded(
            "020019",
            "Comment length exceeds 255 characters.",
            "pickupLocation.specialInstructions",
        ));
    }
    if !rules::printable_on_label(notes) {
        c.fail(ErrorItem::coded(
            "020005",
            "Comment contains invalid characters.",
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
