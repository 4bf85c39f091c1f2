//! Addresses v3: `address` (standardise and validate), `city-state`, `zipcode`.
//!
//! The simulator has no address database, so it applies rules a test can rely on: an address
//! matches when its street line starts with a house number (not 0) and its ZIP Code (or known
//! city) lies in the given state; output is upper-cased with USPS abbreviations and a ZIP+4
//! derived from the street; a house number ≥ 1000 that is a multiple of 100 with no secondary
//! line is a multi-unit building (DPV `D`, correction 32). No match answers 404 as the current
//! spec says (docs/usps.md#addresses).

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::Api;
use super::geo;
use crate::Shared;
use crate::auth::guard::authorize;
use crate::errors::{ApiError, ErrorItem};
use crate::ids::seeded;
use crate::rules::{self, ADDRESS, CITY_STATE, Operation, ZIPCODE};

const V: &str = "/addresses/v3";
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("STREET", "ST"),
    ("AVENUE", "AVE"),
    ("ROAD", "RD"),
    ("DRIVE", "DR"),
    ("BOULEVARD", "BLVD"),
    ("COURT", "CT"),
    ("LANE", "LN"),
    ("PLACE", "PL"),
    ("PARKWAY", "PKWY"),
    ("HIGHWAY", "HWY"),
    ("CIRCLE", "CIR"),
    ("TERRACE", "TER"),
    ("SQUARE", "SQ"),
    ("NORTH", "N"),
    ("SOUTH", "S"),
    ("EAST", "E"),
    ("WEST", "W"),
    ("NORTHEAST", "NE"),
    ("NORTHWEST", "NW"),
    ("SOUTHEAST", "SE"),
    ("SOUTHWEST", "SW"),
    ("SUITE", "STE"),
    ("APARTMENT", "APT"),
    ("BUILDING", "BLDG"),
    ("FLOOR", "FL"),
    ("ROOM", "RM"),
    ("DEPARTMENT", "DEPT"),
];

/// Upper-cases, drops punctuation and applies the standard abbreviations.
pub fn standardize(line: &str) -> String {
    line.to_ascii_uppercase()
        .replace(['.', ','], " ")
        .replace('#', " # ")
        .split_whitespace()
        .map(|w| {
            ABBREVIATIONS
                .iter()
                .find(|(long, _)| *long == w)
                .map_or(w, |(_, short)| *short)
        })
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" # ", " #")
}

/// A standardised, validated address.
pub struct Matched {
    pub street: String,
    pub secondary: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub plus4: String,
    pub dpv: &'static str,
}

/// Resolves an address or explains (as a 404 message) why there is no match.
pub fn resolve(
    seed: u64,
    street: &str,
    secondary: &str,
    city: &str,
    state: &str,
    zip: &str,
) -> Result<Matched, &'static str> {
    let street = standardize(street);
    let house: Option<u32> = street.split(' ').next().and_then(|n| n.parse().ok());
    let has_name = street.split(' ').count() >= 2;
    let zip = if zip.is_empty() {
        geo::zip_of_city(city, state)
            .ok_or("The address information in the request is insufficient to match.")?
            .to_string()
    } else {
        zip.to_string()
    };
    if geo::state_of(&zip) != Some(state) {
        return Err("There is no match for the address requested.");
    }
    let Some(house) = house.filter(|h| *h > 0 && has_name) else {
        return Err("There is no match for the address requested.");
    };
    let secondary = standardize(secondary);
    let (known_city, _) =
        geo::city_state(&zip).ok_or("There is no match for the address requested.")?;
    let exact_city = geo::zip_of_city(known_city, state) == Some(zip.as_str());
    let city = if exact_city || city.trim().is_empty() {
        known_city.to_string()
    } else {
        standardize(city)
    };
    let plus4 = format!(
        "{:04}",
        1000 + seeded(seed, &format!("{street}|{zip}"), 9000)
    );
    let dpv = if house >= 1000 && house % 100 == 0 && secondary.is_empty() {
        "D"
    } else {
        "Y"
    };
    Ok(Matched {
        street,
        secondary,
        city,
        state: state.to_string(),
        zip,
        plus4,
        dpv,
    })
}

fn respond(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Checks the query parameters the address and ZIP Code lookups share, with the limits of
/// `rules` for `operation` (USPS's 010002/010003 for a bad ZIP Code or state).
fn check_query(
    q: &HashMap<String, String>,
    operation: Operation,
    need_city: bool,
) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    let get = |k: &str| q.get(k).map(|s| s.trim()).unwrap_or_default();
    let broken = |k: &str| rules::broken_text(operation, k, get(k));
    if get("streetAddress").is_empty() {
        errors.push(ErrorItem::field(
            "streetAddress is required.",
            "streetAddress",
        ));
    }
    if get("state").is_empty() {
        errors.push(ErrorItem::field("state is required.", "state"));
    } else if broken("state").is_some() {
        errors.push(ErrorItem::coded("010003", "Invalid State Code", "state"));
    }
    if !get("ZIPCode").is_empty() && broken("ZIPCode").is_some() {
        errors.push(ErrorItem::coded("010002", "Invalid ZIP Code", "ZIPCode"));
    }
    for optional in ["ZIPPlus4", "firm"] {
        if let Some(why) = broken(optional).filter(|_| !get(optional).is_empty()) {
            errors.push(ErrorItem::field(why, optional));
        }
    }
    if need_city && get("city").is_empty() {
        errors.push(ErrorItem::field("city is required.", "city"));
    } else if get("city").is_empty() && get("ZIPCode").is_empty() {
        errors.push(ErrorItem::field(
            "Either city or ZIPCode is required.",
            "city",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::bad_request(V, errors))
    }
}

fn address_json(m: &Matched, urbanization: &str) -> Value {
    json!({
        "streetAddress": m.street,
        "streetAddressAbbreviation": m.street,
        "secondaryAddress": m.secondary,
        "city": m.city,
        "cityAbbreviation": m.city,
        "state": m.state,
        "ZIPCode": m.zip,
        "ZIPPlus4": m.plus4,
        "urbanization": urbanization.to_ascii_uppercase(),
    })
}

fn lookup(shared: &Shared, q: &HashMap<String, String>) -> Result<Matched, ApiError> {
    let get = |k: &str| q.get(k).map(|s| s.trim()).unwrap_or_default();
    let seed = shared.lock().scenario.seed;
    resolve(
        seed,
        get("streetAddress"),
        get("secondaryAddress"),
        get("city"),
        get("state"),
        get("ZIPCode"),
    )
    .map_err(|msg| ApiError::not_found("v3", msg))
}

pub async fn address(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    respond((|| {
        authorize(&shared, &headers, Api::Addresses)?;
        check_query(&q, ADDRESS, false)?;
        let m = lookup(&shared, &q)?;
        let corrections = if m.dpv == "D" {
            json!([{ "code": "32", "text": "Default address: The address you entered was found but more information is needed (such as an apartment, suite, or box number) to match to a specific address." }])
        } else {
            json!([])
        };
        let route = format!("C{:03}", seeded(0, &m.plus4, 90) + 1);
        Ok(json!({
            "firm": q.get("firm").map(|f| f.to_ascii_uppercase()).unwrap_or_default(),
            "address": address_json(&m, q.get("urbanization").map(String::as_str).unwrap_or_default()),
            "additionalInfo": {
                "deliveryPoint": format!("{:02}", seeded(1, &m.street, 100)),
                "carrierRoute": route,
                "DPVConfirmation": m.dpv,
                "DPVCMRA": "N",
                "business": if q.get("firm").is_some_and(|f| !f.is_empty()) { "Y" } else { "N" },
                "centralDeliveryPoint": "N",
                "vacant": "N",
            },
            "corrections": corrections,
            "matches": [{ "code": "31", "text": "Single Response - exact match" }],
            "warnings": [],
        }))
    })())
}

pub async fn zipcode(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    respond((|| {
        authorize(&shared, &headers, Api::Addresses)?;
        check_query(&q, ZIPCODE, true)?;
        let m = lookup(&shared, &q)?;
        Ok(json!({
            "firm": q.get("firm").map(|f| f.to_ascii_uppercase()).unwrap_or_default(),
            "address": address_json(&m, ""),
        }))
    })())
}

pub async fn city_state(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    respond((|| {
        authorize(&shared, &headers, Api::Addresses)?;
        let zip = q.get("ZIPCode").map(|s| s.trim()).unwrap_or_default();
        if zip.is_empty() {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::field("ZIPCode is required.", "ZIPCode")],
            ));
        }
        let (city, state) = geo::city_state(zip)
            .filter(|_| rules::broken_text(CITY_STATE, "ZIPCode", zip).is_none())
            .ok_or_else(|| {
                ApiError::bad_request(
                    V,
                    vec![ErrorItem::coded("010002", "Invalid ZIP Code", "ZIPCode")],
                )
            })?;
        Ok(json!({ "city": city, "state": state, "ZIPCode": zip }))
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardizes_like_usps() {
        assert_eq!(standardize("1100 Wyoming Street"), "1100 WYOMING ST");
        assert_eq!(standardize("Suite 150"), "STE 150");
        assert_eq!(standardize("42 n. Elm Ct."), "42 N ELM CT");
    }

    #[test]
    fn resolves_and_rejects() {
        let m = resolve(1, "500 Congress Ave", "Ste 300", "Austin", "TX", "78701").unwrap();
        assert_eq!((m.city.as_str(), m.dpv, m.plus4.len()), ("AUSTIN", "Y", 4));
        assert_eq!(
            m.plus4,
            resolve(1, "500 CONGRESS AVENUE", "", "", "TX", "78701")
                .unwrap()
                .plus4
        );
        assert!(resolve(1, "Congress Ave", "", "Austin", "TX", "78701").is_err());
        assert!(resolve(1, "500 Congress Ave", "", "Austin", "CA", "78701").is_err());
        assert_eq!(
            resolve(1, "1100 Wyoming St", "", "St. Louis", "MO", "")
                .unwrap()
                .dpv,
            "D"
        );
    }
}
