//! Domestic Prices v3: `base-rates/search`, `base-rates-list/search`, `total-rates/search`.
//! Contract prices apply when `accountType`/`accountNumber` name an account the token is tied
//! to and the business holds a contract for the class; without one the published price comes
//! back with USPS's warning 001. Naming someone else's account answers 403
//! (docs/usps.md#prices). `PARCEL_SELECT` with destination entry `NONE` is priced as the USPS
//! Ground Advantage it converts to.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::Api;
use super::enums::{DEF_TYPES, MAIL_CLASSES, PROCESSING, RATE_INDICATORS};
use super::geo;
use super::label_build::{length_plus_girth, max_length_plus_girth};
use super::validate::{Check, at, json_body};
use crate::Shared;
use crate::auth::guard::{Caller, authorize};
use crate::errors::{ApiError, ErrorItem};
use crate::pricing::{self, Quote, Tier};
use crate::rules::{BASE_RATES, Operation};

pub(super) const V: &str = "/prices/v3";
const PRICE_TYPES: &[&str] = &["RETAIL", "COMMERCIAL", "CONTRACT", "NSA"];

/// A ZIP Code or ZIP+4 (010002 otherwise), as its five-digit ZIP Code.
pub(super) fn zip_check(
    c: &mut Check,
    operation: Operation,
    path: &str,
    required: bool,
) -> Option<String> {
    let invalid = ErrorItem::coded("010002", "Invalid ZIP Code", path);
    c.text_or(operation, path, required, Some(invalid))
        .and_then(|z| z.get(..5))
        .map(str::to_string)
}

/// Weight (pounds, above zero) and length, width and height (inches, zero or more; 160206
/// when one is missing), as the price searches take them.
pub(super) fn package_size(c: &mut Check) -> (Option<f64>, Option<(f64, f64, f64)>) {
    let weight = c.positive("weight", true);
    let mut side = |name: &str| {
        if at(c.body, name).is_none() {
            c.fail(ErrorItem::coded("160206", "must not be null", name));
            return None;
        }
        let n = c.number(name, true)?;
        if n < 0.0 {
            c.fail(ErrorItem::field("must be greater than or equal to 0", name));
            return None;
        }
        Some(n)
    };
    let dims = (side("length"), side("width"), side("height"));
    match dims {
        (Some(l), Some(w), Some(h)) => (weight, Some((l, w, h))),
        _ => (weight, None),
    }
}

/// Whether a package's length plus girth fits the mail class.
pub(super) fn size_fits(class: &str, dims: (f64, f64, f64)) -> bool {
    length_plus_girth(dims, None) <= max_length_plus_girth(class)
}

/// The class USPS prices and labels a request as: `PARCEL_SELECT` (and its deprecated
/// lightweight name) without a destination entry facility converts to USPS Ground Advantage.
pub fn converted_class<'a>(mail_class: &'a str, destination_entry: &str) -> &'a str {
    match (mail_class, destination_entry) {
        ("PARCEL_SELECT" | "PARCEL_SELECT_LIGHTWEIGHT", "NONE") => "USPS_GROUND_ADVANTAGE",
        _ => mail_class,
    }
}

/// The tier `mail_class` is priced at: a contract price asked for ([`Tier::Contract`] from
/// [`tier_for`]) applies only when the caller's business holds a contract for the class;
/// otherwise the published commercial price, flagged for USPS's warning 001.
pub(super) fn class_tier(
    tier: Tier,
    contract_missing: bool,
    caller: &Caller,
    mail_class: &str,
) -> (Tier, bool) {
    let holds = caller
        .business
        .as_ref()
        .is_some_and(|b| b.contract_for(mail_class).is_some());
    if tier == Tier::Contract && !holds {
        return (Tier::Commercial, true);
    }
    (tier, contract_missing)
}

/// Decides the price tier from priceType and the (optional) contract account.
pub(super) fn tier_for(
    c: &mut Check,
    operation: Operation,
    caller: &Caller,
    path: &str,
    account_types: &[&str],
) -> Result<(Tier, bool), ApiError> {
    let price_type = c.one_of("priceType", false, PRICE_TYPES);
    let account_type = c.one_of("accountType", false, account_types);
    let account = c.text(operation, "accountNumber", false);
    if let Some(number) = account {
        if account_type.is_none() {
            c.fail(ErrorItem::field(
                "accountType is required with accountNumber.",
                "accountType",
            ));
            return Ok((Tier::Commercial, false));
        }
        let tied = caller.business.as_ref().is_some_and(|b| {
            b.eps_accounts.iter().any(|a| a == number) || b.owns_mid(number) || b.crid == number
        });
        if !tied {
            return Err(ApiError::forbidden(Api::Prices.version(), path));
        }
        return Ok((Tier::Contract, false));
    }
    Ok(match price_type {
        Some("RETAIL") => (Tier::Retail, false),
        Some("CONTRACT" | "NSA") => (Tier::Commercial, true),
        _ => (Tier::Commercial, false),
    })
}

pub(super) fn mailing_date_check(c: &mut Check) {
    if let Some(d) = c.string("mailingDate", false) {
        let parsed =
            time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"));
        let earliest = time::macros::date!(2022 - 10 - 02);
        if parsed.map_or(true, |d| d < earliest) {
            c.fail(ErrorItem::coded(
                "030003",
                "The provided mailing date is not supported. The earliest supported date is 2022-10-02.",
                "mailingDate",
            ));
        }
    }
}

/// One `RateDetails` object.
pub fn rate_json(
    q: &Quote,
    mail_class: &str,
    weight: f64,
    ri: &str,
    pc: &str,
    def: &str,
    contract_missing: bool,
) -> Value {
    let mut v = json!({
        "SKU": q.sku,
        "description": q.description,
        "priceType": q.tier.as_str(),
        "price": q.price,
        "weight": weight,
        "dimWeight": q.dim_weight,
        "fees": [],
        "startDate": "2026-01-18",
        "endDate": "",
        "mailClass": mail_class,
        "zone": format!("{:02}", q.zone),
        "productName": q.product_name,
        "productDefinition": format!("{} ({ri})", q.product_name),
        "processingCategory": pc,
        "rateIndicator": ri,
        "destinationEntryFacilityType": def,
    });
    if contract_missing {
        v["warnings"] = json!([{ "warningCode": "001", "warningDescription": "Contract rate not found for request. Published rate returned." }]);
    }
    v
}

/// A request that passed validation yet lacks a value (cannot happen when validation is right;
/// answered as a 400 rather than a panic all the same).
pub(super) fn incomplete() -> ApiError {
    ApiError::bad_request(
        V,
        vec![ErrorItem::coded(
            "030010",
            "One or more required field(s) are missing from the request",
            "body",
        )],
    )
}

pub(super) fn no_rates() -> ApiError {
    ApiError::bad_request(
        V,
        vec![ErrorItem::coded(
            "030020",
            "No valid rates for these parameters.",
            "mailClass",
        )],
    )
}

pub(super) fn zone_for(origin: &str, dest: &str) -> Result<u8, ApiError> {
    geo::zone(origin, dest)
        .filter(|_| geo::state_of(origin).is_some() && geo::state_of(dest).is_some())
        .ok_or_else(|| {
            ApiError::bad_request(
                V,
                vec![ErrorItem::coded(
                    "030001",
                    "Could not find zone from provided ZIPs, date, and mail class",
                    "destinationZIPCode",
                )],
            )
        })
}

pub async fn base_rates(
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
                "originZIPCode",
                "destinationZIPCode",
                "weight",
                "length",
                "width",
                "height",
                "mailClass",
                "processingCategory",
                "rateIndicator",
                "destinationEntryFacilityType",
                "priceType",
                "mailingDate",
                "accountType",
                "accountNumber",
                "hasNonstandardCharacteristics",
            ],
        );
        let origin = zip_check(&mut c, BASE_RATES, "originZIPCode", true);
        let dest = zip_check(&mut c, BASE_RATES, "destinationZIPCode", true);
        let (weight, dims) = package_size(&mut c);
        let class = c.one_of("mailClass", true, MAIL_CLASSES);
        let pc = c.one_of("processingCategory", true, PROCESSING);
        let ri = c.one_of("rateIndicator", true, RATE_INDICATORS);
        let def = c.one_of("destinationEntryFacilityType", true, DEF_TYPES);
        if super::validate::at(&body, "priceType").is_none() {
            c.fail(ErrorItem::coded(
                "030010",
                "One or more required field(s) are missing from the request",
                "priceType",
            ));
        }
        c.boolean("hasNonstandardCharacteristics");
        mailing_date_check(&mut c);
        let (tier, contract_missing) = tier_for(
            &mut c,
            BASE_RATES,
            &caller,
            "/prices/v3/base-rates/search",
            &["EPS", "PERMIT", "METER", "MID"],
        )?;
        c.finish(V)?;
        let (
            Some(origin),
            Some(dest),
            Some(weight),
            Some(class),
            Some(pc),
            Some(ri),
            Some(def),
            Some(dims),
        ) = (origin, dest, weight, class, pc, ri, def, dims)
        else {
            return Err(incomplete());
        };
        let class = converted_class(class, def);
        let (tier, contract_missing) = class_tier(tier, contract_missing, &caller, class);
        let zone = zone_for(&origin, &dest)?;
        weight_ok(class, weight)?;
        if !size_fits(class, dims) {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::coded(
                    "030008",
                    "Package size exceeds maximum allowed for mail class",
                    "length/width/height",
                )],
            ));
        }
        let q = pricing::quote(class, ri, zone, weight, dims, tier).ok_or_else(no_rates)?;
        Ok::<Value, ApiError>(json!({
            "totalBasePrice": q.price,
            "rates": [rate_json(&q, class, weight, ri, pc, def, contract_missing)],
        }))
    })();
    respond(result)
}

pub(super) fn weight_ok(class: &str, weight: f64) -> Result<(), ApiError> {
    match pricing::class_info(class) {
        Some(info) if weight > info.max_weight_lb => Err(ApiError::bad_request(
            V,
            vec![ErrorItem::coded(
                "030004",
                "Package weight does not qualify for this product.",
                "weight",
            )],
        )),
        Some(_) => Ok(()),
        None => Err(no_rates()),
    }
}

pub(super) fn respond(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}
