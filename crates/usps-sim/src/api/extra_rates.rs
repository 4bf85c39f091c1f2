//! Domestic Prices v3 `extra-service-rates/search`: the price of each extra service (signature,
//! insurance, Certified Mail, …) a mail class offers. Prices come from `pricing::extra_service`,
//! the same figures `total-rates/search`, labels and Shipping Options add, so every API quotes
//! one price for one service (docs/usps.md#prices).
//!
//! `extraServices` may be a list (current form) or a single integer (the deprecated form the spec
//! still accepts); without it every service the mail class offers is listed. A requested code the
//! simulator does not price, or the class does not offer, answers 030021.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};
use std::sync::Arc;

use super::Api;
use super::enums::MAIL_CLASSES;
use super::label_build::MAX_INSURED_VALUE;
use super::prices::{V, mailing_date_check, respond, tier_for, zip_check};
use super::validate::{Check, at, json_body};
use crate::Shared;
use crate::auth::guard::authorize;
use crate::errors::{ApiError, ErrorItem};
use crate::pricing::{self, Tier};
use crate::rules::{EXTRA_RATES, Operation};

/// The extra-service codes the Domestic Prices spec enumerates.
pub const SPEC_EXTRA_SERVICES: &[u64] = &[
    415, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489, 498, 500, 501, 502, 810, 811, 812, 813,
    814, 815, 816, 817, 818, 819, 820, 821, 822, 823, 824, 825, 826, 827, 828, 829, 830, 831, 832,
    853, 856, 857, 858, 910, 911, 912, 913, 915, 917, 920, 921, 922, 923, 924, 925, 930, 931, 934,
    940, 941, 955, 957, 972, 981, 984, 986, 991,
];

/// The codes `pricing::extra_service` prices, in the order they are listed.
const PRICED: &[u32] = &[415, 910, 920, 921, 922, 923, 924, 930, 931, 955, 957, 991];

/// Insurance codes: they need an item value.
pub const INSURANCE: &[u32] = &[930, 931, 934];

/// Whether a mail class offers an extra service. Simplified from USPS's eligibility tables:
/// Sunday delivery only with Priority Mail Express; Certified Mail and return receipts not with
/// the media, library, bound-printed-matter and Parcel Select products; no label delivery or
/// Certified Mail on return services.
pub fn offered(mail_class: &str, code: u32) -> bool {
    let returns = mail_class.contains("RETURN");
    let bulk = matches!(
        mail_class,
        "MEDIA_MAIL"
            | "LIBRARY_MAIL"
            | "BOUND_PRINTED_MATTER"
            | "PARCEL_SELECT"
            | "PARCEL_SELECT_LIGHTWEIGHT"
    );
    match code {
        991 => mail_class == "PRIORITY_MAIL_EXPRESS",
        910 | 955 | 957 => !bulk && !returns,
        415 => !returns,
        _ => true,
    }
}

/// One `ExtraServiceRateDetails` entry.
pub fn service_json(code: u32, name: &str, price: f64, tier: Tier) -> Value {
    json!({
        "extraService": code.to_string(),
        "name": name,
        "SKU": format!("DX{code}XXXXXX0000"),
        "priceType": tier.as_str(),
        "price": price,
        "warnings": [],
    })
}

/// The `extraServices` member as a list of codes: an array, or the deprecated single integer.
/// Codes outside the spec's enumeration fail at the schema level.
pub fn requested_codes(
    c: &mut Check,
    operation: Operation,
    path: &str,
    allowed: &[u64],
) -> Option<Vec<u32>> {
    let raw: Vec<&Value> = match at(c.body, path) {
        None => return None,
        Some(Value::Array(items)) => {
            if let Some(why) = crate::rules::broken_list(operation, path, items.len()) {
                c.fail(ErrorItem::field(why, path));
                return None;
            }
            items.iter().collect()
        }
        Some(single @ Value::Number(_)) => vec![single],
        Some(_) => {
            c.fail(ErrorItem::field(
                format!("{path} must be an array of extra service codes."),
                path,
            ));
            return None;
        }
    };
    let mut codes = Vec::new();
    for (i, v) in raw.iter().enumerate() {
        match v.as_u64().filter(|n| allowed.contains(n)) {
            Some(n) => codes.push(n as u32),
            None => c.fail(ErrorItem::field(
                format!("{path}[{i}] must be one of the extra service codes of the specification."),
                path,
            )),
        }
    }
    Some(codes)
}

/// Insurance needs a non-zero item value (030024), at most $5,000 (030012).
pub fn insurance_value_check(c: &mut Check, codes: &[u32], item_value: f64, path: &str) {
    if codes.iter().any(|s| INSURANCE.contains(s)) {
        if item_value <= 0.0 {
            c.fail(ErrorItem::coded(
                "030024",
                "A non-zero item value is required for this extra service code.",
                path,
            ));
        } else if item_value > MAX_INSURED_VALUE {
            c.fail(ErrorItem::coded(
                "030012",
                "Provided value exceeds maximum allowable insurance for this price group.",
                path,
            ));
        }
    }
}

pub fn no_extra_services() -> ApiError {
    ApiError::bad_request(
        V,
        vec![ErrorItem::coded(
            "030021",
            "No extra services found.",
            "extraServices",
        )],
    )
}

pub async fn search(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::Prices)?;
        let body = json_body(&headers, &body, V)?;
        let mut c = Check::new(&body, Some("030010"));
        c.only(
            "",
            &[
                "extraServices",
                "mailClass",
                "priceType",
                "itemValue",
                "weight",
                "originZIPCode",
                "destinationZIPCode",
                "mailingDate",
                "accountType",
                "accountNumber",
            ],
        );
        let codes = requested_codes(&mut c, EXTRA_RATES, "extraServices", SPEC_EXTRA_SERVICES);
        let class = c.one_of("mailClass", true, MAIL_CLASSES);
        if at(&body, "priceType").is_none() {
            c.fail(ErrorItem::coded(
                "030010",
                "One or more required field(s) are missing from the request",
                "priceType",
            ));
        }
        let item_value = c.limited(EXTRA_RATES, "itemValue", false).unwrap_or(0.0);
        c.number("weight", false);
        zip_check(&mut c, EXTRA_RATES, "originZIPCode", false);
        zip_check(&mut c, EXTRA_RATES, "destinationZIPCode", false);
        mailing_date_check(&mut c);
        let (tier, contract_missing) = tier_for(
            &mut c,
            EXTRA_RATES,
            &caller,
            "/prices/v3/extra-service-rates/search",
            &["EPS", "PERMIT", "METER", "MID"],
        )?;
        if let Some(codes) = &codes {
            insurance_value_check(&mut c, codes, item_value, "itemValue");
        }
        c.finish(V)?;
        let class = class.ok_or_else(super::prices::incomplete)?;
        let wanted: Vec<u32> = match codes {
            Some(codes) => codes,
            None => PRICED
                .iter()
                .copied()
                .filter(|code| !INSURANCE.contains(code) || item_value > 0.0)
                .collect(),
        };
        let mut out = Vec::new();
        for code in wanted {
            if !offered(class, code) {
                continue;
            }
            if let Some((name, price)) = pricing::extra_service(code, item_value) {
                let mut v = service_json(code, name, price, tier);
                if contract_missing {
                    v["warnings"] = json!([{ "warningCode": "001", "warningDescription": "Contract rate not found for request. Published rate returned." }]);
                }
                out.push(v);
            }
        }
        if out.is_empty() {
            return Err(no_extra_services());
        }
        Ok(Value::Array(out))
    })();
    respond(result)
}
