//! International Prices v3: `base-rates`, `extra-service-rates`, `base-rates-list`,
//! `total-rates` and `letter-rates` searches. Like the domestic searches they need a token with
//! the `international-prices` scope (Public Access), check the request against the schema and
//! then the business rules (every failure in one 400), and price from the fixed tables of
//! `services` by the destination's price group (`countries`). Naming a contract account the
//! token is not tied to answers 403 (docs/usps.md#international).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::PRICES_V as V;
use super::countries::{self, Destination, Refusal};
use super::limits::{BASE_RATES, EXTRA_SERVICE_RATES, LETTER_RATES, RATE_LIST, TOTAL_RATES};
use super::services::{
    self, FCPIS, LABEL_CLASSES, MAX_INSURED_VALUE, NONMACHINABLE_FEE, PRICE_CLASSES,
    PRICE_INDICATORS, Quote, Tier, Unfit, round2,
};
use crate::Shared;
use crate::api::Api;
use crate::api::prices::{mailing_date_check, package_size, zip_check};
use crate::api::validate::{Check, at, json_body};
use crate::auth::guard::{Caller, authorize};
use crate::errors::{ApiError, ErrorItem};
use crate::rules::{self, Operation};

const PROCESSING: &[&str] = &["FLATS", "MACHINABLE", "NON_MACHINABLE", "NONSTANDARD"];
const DEF_TYPES: &[&str] = &["NONE", "INTERNATIONAL_SERVICE_CENTER"];
const PRICE_TYPES: &[&str] = &[
    "RETAIL",
    "COMMERCIAL",
    "COMMERCIAL_BASE",
    "COMMERCIAL_PLUS",
    "CONTRACT",
];
const ACCOUNT_TYPES: &[&str] = &["EPS", "PERMIT", "METER"];
/// Extra services of the price searches' enums.
const EXTRA_CODES: &[u32] = &[370, 813, 820, 826, 857, 930, 931, 955];
/// When the simulated price tables took effect (`startDate` of every rate).
const START_DATE: &str = "2026-01-18";
const NOT_CONTRACT: &str = "Contract rate not found for request. Published rate returned.";

fn coded(code: &'static str, detail: impl Into<String>, parameter: &str) -> ApiError {
    ApiError::bad_request(V, vec![ErrorItem::coded(code, detail, parameter)])
}

/// A request that passed validation yet lacks a value: answered, never a panic.
fn incomplete() -> ApiError {
    coded(
        "030010",
        "One or more required field(s) are missing from the request",
        "body",
    )
}

fn no_rates() -> ApiError {
    coded(
        "030020",
        "No valid rates for these parameters.",
        "mailClass",
    )
}

/// `^[A-Z]{2}$`, the spec's pattern for `destinationCountryCode` in the price searches.
pub const COUNTRY_PATTERN: &str = "^[A-Z]{2}$";

fn two_capitals(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// The destination a request names: the spec's pattern, an assigned ISO code, not one mailed
/// as domestic mail, service not suspended (docs/usps.md#international).
pub fn destination_check(c: &mut Check, path: &str, required: bool) -> Option<Destination> {
    let code = c.string(path, required)?;
    if !two_capitals(code) {
        c.fail(ErrorItem::field(
            format!("must match \"{COUNTRY_PATTERN}\""),
            path,
        ));
        return None;
    }
    match countries::destination(code) {
        Ok(d) => Some(d),
        Err(why) => {
            c.fail(refusal_item(why, code, path));
            None
        }
    }
}

/// The error for a destination no international service reaches.
pub fn refusal_item(why: Refusal, code: &str, path: &str) -> ErrorItem {
    match why {
        Refusal::Unknown => ErrorItem::field(
            format!("{code} is not an ISO 3166-1 alpha-2 country code."),
            path,
        ),
        Refusal::Domestic => ErrorItem::field(
            format!("{code} is served by domestic mail; use the domestic APIs."),
            path,
        ),
        Refusal::Suspended => ErrorItem::coded(
            "030020",
            format!("USPS is not accepting international mail to {code}: service is suspended."),
            path,
        ),
    }
}

/// The tier a search asks for, and whether a contract price was asked for and not found.
/// An account the token is not tied to answers 403.
fn tier_for(
    c: &mut Check,
    operation: Operation,
    caller: &Caller,
    path: &str,
    price_types: &[&str],
    required: bool,
) -> Result<(Option<Tier>, bool), ApiError> {
    let price_type = c.one_of("priceType", required, price_types);
    let account_type = c.one_of("accountType", false, ACCOUNT_TYPES);
    if let Some(number) = c.text(operation, "accountNumber", false) {
        if account_type.is_none() {
            c.fail(ErrorItem::field(
                "accountType is required with accountNumber.",
                "accountType",
            ));
            return Ok((None, false));
        }
        let tied = caller.business.as_ref().is_some_and(|b| {
            b.eps_accounts.iter().any(|a| a == number) || b.owns_mid(number) || b.crid == number
        });
        if !tied {
            return Err(ApiError::forbidden(V, path));
        }
        return Ok((Some(Tier::Contract), false));
    }
    Ok(match price_type {
        Some("RETAIL") => (Some(Tier::Retail), false),
        Some("COMMERCIAL_PLUS") => (Some(Tier::CommercialPlus), false),
        Some("CONTRACT" | "NSA") => (Some(Tier::CommercialBase), true),
        Some(_) => (Some(Tier::CommercialBase), false),
        None => (None, false),
    })
}

/// One `RateDetails` object.
fn rate_json(q: &Quote, processing: &str, facility: &str, contract_missing: bool) -> Value {
    let processing = if processing == "NON_MACHINABLE" {
        "NONSTANDARD"
    } else {
        processing
    };
    let warnings = if contract_missing {
        json!([{ "warningCode": "001", "warningDescription": NOT_CONTRACT }])
    } else {
        json!([])
    };
    json!({
        "SKU": q.sku,
        "description": q.description,
        "priceType": q.tier.as_str(),
        "price": q.price,
        "weight": q.weight,
        "dimWeight": q.dim_weight,
        "fees": [],
        "startDate": START_DATE,
        "endDate": "",
        "mailClass": q.mail_class,
        "zone": format!("{:02}", q.group),
        "processingCategory": processing,
        "rateIndicator": q.indicator,
        "destinationEntryFacilityType": facility,
        "warnings": warnings,
        "productName": q.product_name,
        "productDefinition": format!("{} ({})", q.product_name, q.indicator),
    })
}

fn unfit_error(why: Unfit) -> ApiError {
    match why {
        Unfit::Weight(max) => coded(
            "030004",
            format!("Package weight does not qualify for this product (at most {max} lb)."),
            "weight",
        ),
        Unfit::Size => coded(
            "030008",
            "Package size exceeds maximum allowed for mail class",
            "length/width/height",
        ),
        Unfit::NoRate => no_rates(),
    }
}

fn respond(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Authenticates and parses a search body.
fn start(shared: &Shared, headers: &HeaderMap, body: &Bytes) -> Result<(Caller, Value), ApiError> {
    let caller = authorize(shared, headers, Api::InternationalPrices)?;
    let body = json_body(headers, body, V)?;
    Ok((caller, body))
}

pub async fn base_rates(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond((|| {
        let (caller, body) = start(&shared, &headers, &body)?;
        let mut c = Check::new(&body, Some("030010"));
        c.only(
            "",
            &[
                "originZIPCode",
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
                "foreignPostalCode",
                "destinationCountryCode",
                "accountType",
                "accountNumber",
            ],
        );
        zip_check(&mut c, BASE_RATES, "originZIPCode", true);
        let (weight, dims) = package_size(&mut c);
        let class = c.one_of("mailClass", true, PRICE_CLASSES);
        let pc = c.one_of("processingCategory", true, PROCESSING);
        let ri = c.one_of("rateIndicator", true, PRICE_INDICATORS);
        let def = c.one_of("destinationEntryFacilityType", true, DEF_TYPES);
        c.string("foreignPostalCode", false);
        let to = destination_check(&mut c, "destinationCountryCode", true);
        mailing_date_check(&mut c);
        let path = "/international-prices/v3/base-rates/search";
        let (tier, contract_missing) =
            tier_for(&mut c, BASE_RATES, &caller, path, PRICE_TYPES, true)?;
        c.finish(V)?;
        let (Some(weight), Some(dims), Some(class), Some(pc), Some(ri), Some(def), Some(to)) =
            (weight, dims, class, pc, ri, def, to)
        else {
            return Err(incomplete());
        };
        let tier = tier.unwrap_or(Tier::CommercialBase);
        let isc = def == "INTERNATIONAL_SERVICE_CENTER";
        let q = services::quote(class, ri, &to, weight, dims, tier, isc).map_err(unfit_error)?;
        Ok(json!({
            "totalBasePrice": q.price,
            "rates": [rate_json(&q, pc, def, contract_missing)],
        }))
    })())
}

/// The processing category a listed product is priced as.
fn listed_processing(indicator: &str) -> &'static str {
    match indicator {
        "FE" | "FA" | "FP" | "E4" | "E6" => "FLATS",
        _ => "MACHINABLE",
    }
}

const LIST_FIELDS: &[&str] = &[
    "originZIPCode",
    "foreignPostalCode",
    "destinationCountryCode",
    "weight",
    "mailingDate",
    "length",
    "width",
    "height",
    "priceType",
    "mailClass",
    "accountType",
    "accountNumber",
];

/// A validated list search: what to price, for which tiers.
struct ListQuery {
    to: Destination,
    weight: f64,
    dims: (f64, f64, f64),
    classes: Vec<&'static str>,
    tiers: Vec<Tier>,
    contract_missing: bool,
}

fn list_query(
    c: &mut Check,
    operation: Operation,
    caller: &Caller,
    path: &str,
    extra_fields: &[&str],
) -> Result<Option<ListQuery>, ApiError> {
    let allowed: Vec<&str> = LIST_FIELDS.iter().chain(extra_fields).copied().collect();
    c.only("", &allowed);
    zip_check(c, operation, "originZIPCode", true);
    let (weight, dims) = package_size(c);
    let mut class_enum: Vec<&str> = PRICE_CLASSES.to_vec();
    class_enum.push("ALL");
    let class = c.one_of("mailClass", false, &class_enum);
    c.string("foreignPostalCode", false);
    let to = destination_check(c, "destinationCountryCode", true);
    mailing_date_check(c);
    let explicit = at(c.body, "priceType").is_some() || at(c.body, "accountNumber").is_some();
    let (tier, contract_missing) = tier_for(c, operation, caller, path, PRICE_TYPES, false)?;
    if !c.errors.is_empty() {
        return Ok(None);
    }
    let (Some(weight), Some(dims), Some(to)) = (weight, dims, to) else {
        return Err(incomplete());
    };
    let classes = match class {
        None | Some("ALL") => LABEL_CLASSES.to_vec(),
        Some(one) => LABEL_CLASSES
            .iter()
            .copied()
            .filter(|c| *c == one)
            .collect(),
    };
    let tiers = match tier {
        Some(t) if explicit => vec![t],
        _ => vec![Tier::Retail, Tier::CommercialBase],
    };
    Ok(Some(ListQuery {
        to,
        weight,
        dims,
        classes,
        tiers,
        contract_missing,
    }))
}

/// Every product of the query's classes the package fits, per tier.
fn list_quotes(q: &ListQuery) -> Vec<Quote> {
    let mut out = Vec::new();
    for class in &q.classes {
        for ri in services::indicators(class) {
            for tier in &q.tiers {
                if let Ok(quote) = services::quote(class, ri, &q.to, q.weight, q.dims, *tier, false)
                {
                    out.push(quote);
                }
            }
        }
    }
    out
}

pub async fn base_rates_list(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond((|| {
        let (caller, body) = start(&shared, &headers, &body)?;
        let mut c = Check::new(&body, Some("030010"));
        let path = "/international-prices/v3/base-rates-list/search";
        let query = list_query(&mut c, RATE_LIST, &caller, path, &[])?;
        c.finish(V)?;
        let query = query.ok_or_else(incomplete)?;
        let options: Vec<Value> = list_quotes(&query)
            .iter()
            .map(|q| {
                json!({
                    "totalBasePrice": q.price,
                    "rates": [rate_json(q, listed_processing(q.indicator), "NONE", query.contract_missing)],
                })
            })
            .collect();
        if options.is_empty() {
            return Err(no_rates());
        }
        Ok(json!({ "rateOptions": options }))
    })())
}

/// The extra-service codes of a request's `extraServices` (enum members only).
fn extra_codes(c: &mut Check, path: &str, allowed: &[u32]) -> Option<Vec<u32>> {
    match at(c.body, path) {
        None => None,
        Some(Value::Array(items)) => {
            let mut codes = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| allowed.contains(n))
                {
                    Some(code) if !codes.contains(&code) => codes.push(code),
                    Some(_) => {}
                    None => c.fail(ErrorItem::field(
                        format!(
                            "{path}[{i}] must be one of: {}.",
                            allowed
                                .iter()
                                .map(u32::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        path,
                    )),
                }
            }
            Some(codes)
        }
        Some(_) => {
            c.fail(ErrorItem::field(format!("{path} must be an array."), path));
            None
        }
    }
}

/// Insurance needs a value above zero (030024) and at most the insurable maximum (030012);
/// Return Receipt is no longer sold.
fn check_extra_rules(c: &mut Check, codes: &[u32], value: Option<f64>, value_path: &str) {
    if codes.iter().any(|s| [930, 931].contains(s)) {
        match value {
            Some(v) if v > MAX_INSURED_VALUE => c.fail(ErrorItem::coded(
                "030012",
                "Provided value exceeds maximum allowable insurance for this price group.",
                value_path,
            )),
            Some(v) if v > 0.0 => {}
            _ => c.fail(ErrorItem::coded(
                "030024",
                "A non-zero item value is required for this extra service code.",
                value_path,
            )),
        }
    }
    if codes.contains(&955) {
        c.fail(ErrorItem::coded(
            "030021",
            "Return Receipt (955) is not available for international mail since 2025-01-19.",
            "extraServices",
        ));
    }
}

/// The pattern of a duties item's `itemId`: `^\w{1,20}$`.
fn item_id_fits(s: &str) -> bool {
    (1..=20).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The items a duties-and-taxes quote prices: (itemId, value × quantity).
fn duty_items(c: &mut Check, requested: bool) -> Vec<(String, f64)> {
    let Some(items) = c.list(TOTAL_RATES, "items") else {
        if requested {
            c.fail(ErrorItem::field(
                "items is required when requestDutiesTaxesFees is true.",
                "items",
            ));
        }
        return Vec::new();
    };
    if requested && items.is_empty() {
        c.fail(ErrorItem::field(
            "At least one item is required when requestDutiesTaxesFees is true.",
            "items",
        ));
    }
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = |f: &str| format!("items[{i}].{f}");
        let mut sub = Check::new(item, None);
        let id = sub.string("itemId", true).map(str::to_string);
        let value = sub.number("itemValue", true);
        let quantity = sub.number("itemQuantity", true);
        sub.number("weight", false);
        let hs = sub.string("HSTariffNumber", false).map(str::to_string);
        let origin = sub.string("countryOfOrigin", false).map(str::to_string);
        for e in sub.errors.drain(..) {
            let p = e.parameter.clone().unwrap_or_default();
            c.fail(ErrorItem {
                parameter: Some(format!("items[{i}].{p}")),
                ..e
            });
        }
        if let Some(id) = &id
            && !item_id_fits(id)
        {
            c.fail(ErrorItem::field(
                "must match \"^\\w{1,20}$\"",
                &path("itemId"),
            ));
        }
        for (field, n) in [("itemValue", value), ("itemQuantity", quantity)] {
            if let Some(why) =
                n.and_then(|n| rules::broken_number(TOTAL_RATES, &format!("items[].{field}"), n))
            {
                c.fail(ErrorItem::field(why, &path(field)));
            }
        }
        if let Some(w) = item["weight"].as_f64()
            && let Some(why) = rules::broken_number(TOTAL_RATES, "items[].weight", w)
        {
            c.fail(ErrorItem::field(why, &path("weight")));
        }
        if let Some(hs) = &hs
            && let Some(why) = rules::broken_text(TOTAL_RATES, "items[].HSTariffNumber", hs)
        {
            c.fail(ErrorItem::field(why, &path("HSTariffNumber")));
        }
        if let Some(o) = &origin
            && !(o.len() >= 2 && o.bytes().take(2).all(|b| b.is_ascii_uppercase()))
        {
            c.fail(ErrorItem::field(
                "must match \"[A-Z]{2}\"",
                &path("countryOfOrigin"),
            ));
        }
        if let (Some(id), Some(v), Some(q)) = (id, value, quantity) {
            out.push((id, v * q));
        }
    }
    out
}

/// Simulated duties and taxes: 5 % duty and 10 % tax on each item's value, and a package fee.
pub const DUTY_RATE: f64 = 0.05;
pub const TAX_RATE: f64 = 0.10;
pub const LANDED_COST_PACKAGE_FEE: f64 = 2.50;

pub async fn total_rates(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond((|| {
        let (caller, body) = start(&shared, &headers, &body)?;
        let mut c = Check::new(&body, Some("030010"));
        let path = "/international-prices/v3/total-rates/search";
        let query = list_query(
            &mut c,
            TOTAL_RATES,
            &caller,
            path,
            &[
                "requestDutiesTaxesFees",
                "destinationCity",
                "destinationState",
                "items",
                "itemValue",
                "extraServices",
            ],
        );
        let query = match query {
            Ok(q) => q,
            Err(e) => return Err(e),
        };
        let item_value = c.limited(TOTAL_RATES, "itemValue", false);
        let requested = extra_codes(&mut c, "extraServices", EXTRA_CODES);
        check_extra_rules(
            &mut c,
            requested.as_deref().unwrap_or(&[]),
            item_value,
            "itemValue",
        );
        let duties = c.boolean("requestDutiesTaxesFees").unwrap_or(false);
        c.text(TOTAL_RATES, "destinationCity", false);
        c.text(TOTAL_RATES, "destinationState", false);
        let items = duty_items(&mut c, duties);
        c.finish(V)?;
        let query = query.ok_or_else(incomplete)?;
        let value = item_value.unwrap_or(0.0);
        let mut options = Vec::new();
        for q in list_quotes(&query) {
            if q.max_value.is_some_and(|max| value > max) {
                continue;
            }
            let wanted: Vec<u32> = match &requested {
                Some(codes) => codes.clone(),
                None if q.mail_class == FCPIS => vec![],
                None => vec![930],
            };
            let priced: Option<Vec<(u32, &str, &str, f64)>> = wanted
                .iter()
                .map(|code| {
                    services::extra_service(*code, q.mail_class, value)
                        .map(|(name, sku, price)| (*code, name, sku, price))
                })
                .collect();
            let Some(priced) = priced else { continue };
            let extras_total: f64 = priced.iter().map(|e| e.3).sum();
            let mut option = json!({
                "totalBasePrice": q.price,
                "rates": [rate_json(&q, listed_processing(q.indicator), "NONE", query.contract_missing)],
                "extraServices": priced.iter().map(|(code, name, sku, price)| json!({
                    "extraService": code.to_string(), "name": name, "SKU": sku,
                    "priceType": "COMMERCIAL", "price": price, "warnings": [],
                })).collect::<Vec<_>>(),
            });
            if requested.is_some() {
                option["totalPrice"] = json!(round2(q.price + extras_total));
            }
            if duties {
                option["dutiesTaxesFeesQuote"] = json!({
                    "packageFee": LANDED_COST_PACKAGE_FEE,
                    "itemQuotes": items.iter().map(|(id, v)| json!({
                        "itemId": id, "dutyPrice": round2(v * DUTY_RATE), "taxPrice": round2(v * TAX_RATE),
                    })).collect::<Vec<_>>(),
                });
            }
            options.push(option);
        }
        if options.is_empty() {
            return Err(no_rates());
        }
        Ok(json!({ "rateOptions": options }))
    })())
}

pub async fn extra_service_rates(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond((|| {
        let (caller, body) = start(&shared, &headers, &body)?;
        let mut c = Check::new(&body, Some("030010"));
        c.only(
            "",
            &[
                "extraServices",
                "extraService",
                "mailClass",
                "priceType",
                "itemValue",
                "weight",
                "mailingDate",
                "rateIndicator",
                "destinationCountryCode",
                "accountType",
                "accountNumber",
            ],
        );
        let mut codes = extra_codes(&mut c, "extraServices", EXTRA_CODES);
        if let Some(one) = at(&body, "extraService") {
            match one
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| EXTRA_CODES.contains(n))
            {
                Some(code) => codes.get_or_insert_with(Vec::new).push(code),
                None => c.fail(ErrorItem::field(
                    "extraService must be one of the extra service codes.",
                    "extraService",
                )),
            }
        }
        let class = c.one_of("mailClass", true, PRICE_CLASSES);
        c.positive("weight", true);
        c.one_of("rateIndicator", true, PRICE_INDICATORS);
        let to = destination_check(&mut c, "destinationCountryCode", true);
        mailing_date_check(&mut c);
        // The spec types this itemValue as a string holding a number.
        let value = match c.string("itemValue", false) {
            None => None,
            Some(s) => match s.trim().parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
                _ => {
                    c.fail(ErrorItem::field(
                        "itemValue must be a number of dollars, zero or more.",
                        "itemValue",
                    ));
                    None
                }
            },
        };
        let path = "/international-prices/v3/extra-service-rates/search";
        let (tier, contract_missing) = tier_for(
            &mut c,
            EXTRA_SERVICE_RATES,
            &caller,
            path,
            &["RETAIL", "COMMERCIAL", "COMMERCIAL_PLUS", "NSA"],
            true,
        )?;
        check_extra_rules(&mut c, codes.as_deref().unwrap_or(&[]), value, "itemValue");
        c.finish(V)?;
        let (Some(class), Some(_to)) = (class, to) else {
            return Err(incomplete());
        };
        let price_type = match (tier, at(&body, "priceType").and_then(Value::as_str)) {
            (Some(Tier::Contract), _) => "CONTRACT",
            (_, Some("RETAIL")) => "RETAIL",
            (_, Some("COMMERCIAL_PLUS")) => "COMMERCIAL_PLUS",
            _ => "COMMERCIAL",
        };
        let wanted =
            codes.unwrap_or_else(|| EXTRA_CODES.iter().copied().filter(|c| *c != 955).collect());
        let value = value.unwrap_or(0.0);
        let priced: Vec<Value> = wanted
            .iter()
            .filter_map(|code| {
                let (name, sku, price) = services::extra_service(*code, class, value)?;
                let warnings = if contract_missing {
                    json!([{ "warningCode": "001", "warningDescription": NOT_CONTRACT }])
                } else {
                    json!([])
                };
                Some(json!({
                    "extraService": code, "name": name, "SKU": sku, "priceType": price_type,
                    "price": price, "warnings": warnings,
                }))
            })
            .collect();
        if priced.is_empty() {
            return Err(coded(
                "030021",
                format!("No extra services are available for {class} with the given parameters."),
                "extraServices",
            ));
        }
        Ok(json!({ "extraServices": priced }))
    })())
}

/// A First-Class Mail International letter, flat or card as the letter searches and indicia
/// take it: category, weight in ounces, and whether it is nonmachinable.
pub struct LetterPiece {
    pub category: &'static str,
    pub weight_oz: f64,
    pub nonmachinable: bool,
}

const CATEGORIES: &[&str] = &["LETTERS", "FLATS", "CARDS"];
const INDICATORS: &[&str] = &[
    "isPolybagged",
    "hasClosureDevices",
    "hasLooseItems",
    "isRigid",
    "isSelfMailer",
    "isBooklet",
];

/// The physical standards of a letter, card or flat (inches: height, length, thickness at
/// least / at most) and its weight ceiling (ounces); see docs/usps.md#international.
fn standards(category: &str) -> ((f64, f64, f64), (f64, f64, f64), f64) {
    match category {
        "CARDS" => ((3.5, 5.0, 0.007), (4.25, 6.0, 0.016), 3.5),
        "LETTERS" => ((3.5, 5.0, 0.007), (6.125, 11.5, 0.25), 3.5),
        _ => ((3.5, 5.0, 0.007), (12.0, 15.0, 0.75), 13.0),
    }
}

/// Checks a letter piece under `prefix` ("" or "indiciaDescription."), with the limits of
/// `operation`'s rows.
pub fn letter_piece(c: &mut Check, operation: Operation, prefix: &str) -> Option<LetterPiece> {
    let f = |n: &str| format!("{prefix}{n}");
    let category = c.one_of(&f("processingCategory"), true, CATEGORIES);
    let weight = c.positive(&f("weight"), true);
    let length = c.limited(operation, &f("length"), true);
    let height = c.limited(operation, &f("height"), true);
    let thickness = c.limited(operation, &f("thickness"), true);
    c.object(&f("nonMachinableIndicators"), false);
    let nm = f("nonMachinableIndicators");
    c.only(&nm, INDICATORS);
    let flagged = INDICATORS
        .iter()
        .filter_map(|i| c.boolean(&format!("{nm}.{i}")))
        .any(|b| b);
    let (Some(category), Some(weight), Some(l), Some(h), Some(t)) =
        (category, weight, length, height, thickness)
    else {
        return None;
    };
    let category = CATEGORIES.iter().find(|k| **k == category)?;
    let (min, max, max_oz) = standards(category);
    let letter_max = standards("LETTERS").1;
    let flats = *category == "FLATS";
    // Letter-size codes for letters and cards, flat-size codes for flats (the codes the
    // domestic letter searches answer).
    let (heavy, small, big) = if flats {
        ("030015", "030018", "030019")
    } else {
        ("030014", "030016", "030017")
    };
    let larger_than_letter = h > letter_max.0 || l > letter_max.1 || t > letter_max.2;
    let too_small = h < min.0 || l < min.1 || t < min.2 || (flats && !larger_than_letter);
    let too_big = h > max.0 || l > max.1 || t > max.2;
    let limits = format!(
        "height {}–{} in, length {}–{} in, thickness {}–{} in{}",
        min.0,
        max.0,
        min.1,
        max.1,
        min.2,
        max.2,
        if flats {
            ", and larger than a letter"
        } else {
            ""
        }
    );
    let kind = category.to_ascii_lowercase();
    if too_small {
        c.fail(ErrorItem::coded(
            small,
            format!("The dimensions are below the minimum for {kind}: {limits}."),
            &f("length"),
        ));
    } else if too_big {
        c.fail(ErrorItem::coded(
            big,
            format!("The dimensions exceed the maximum for {kind}: {limits}."),
            &f("length"),
        ));
    }
    if weight > max_oz {
        c.fail(ErrorItem::coded(
            heavy,
            format!("The weight exceeds {max_oz} oz for {kind}."),
            &f("weight"),
        ));
    }
    let aspect = l / h;
    let nonmachinable =
        *category == "LETTERS" && (flagged || !(1.3..=2.5).contains(&aspect) || t > 0.25);
    Some(LetterPiece {
        category,
        weight_oz: weight,
        nonmachinable,
    })
}

/// The letter price's SKU, description and fees.
pub fn letter_quote(
    piece: &LetterPiece,
    to: &Destination,
) -> Option<(String, String, f64, Vec<Value>)> {
    let price = services::letter_price(piece.category, to.group, piece.weight_oz)?;
    let letter = match piece.category {
        "CARDS" => 'C',
        "FLATS" => 'F',
        _ => 'L',
    };
    let ounces = piece.weight_oz.ceil().max(1.0) as u32;
    let sku = format!("IFX{letter}0XXXXR{:02}{:03}", to.group, ounces * 10);
    let name = match piece.category {
        "CARDS" => "First-Class Mail International Card",
        "FLATS" => "First-Class Mail International Large Envelope",
        _ => "First-Class Mail International Letter",
    };
    let fees = if piece.nonmachinable {
        vec![
            json!({ "name": "Nonmachinable letter fee", "SKU": "IX1F0XXLXRX0000", "price": NONMACHINABLE_FEE }),
        ]
    } else {
        vec![]
    };
    Some((sku, name.to_string(), price, fees))
}

pub async fn letter_rates(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond((|| {
        let (_, body) = start(&shared, &headers, &body)?;
        let mut c = Check::new(&body, Some("030010"));
        c.only(
            "",
            &[
                "weight",
                "length",
                "height",
                "thickness",
                "processingCategory",
                "mailingDate",
                "nonMachinableIndicators",
                "extraServices",
                "destinationCountryCode",
                "itemValue",
            ],
        );
        let piece = letter_piece(&mut c, LETTER_RATES, "");
        let to = destination_check(&mut c, "destinationCountryCode", true);
        mailing_date_check(&mut c);
        c.limited(LETTER_RATES, "itemValue", false);
        let codes = extra_codes(&mut c, "extraServices", &[940, 955]).unwrap_or_default();
        c.finish(V)?;
        let (Some(piece), Some(to)) = (piece, to) else {
            return Err(incomplete());
        };
        let (sku, description, price, fees) = letter_quote(&piece, &to).ok_or_else(no_rates)?;
        let extras: Vec<Value> = codes
            .iter()
            .map(|code| {
                let (name, sku, price) = match code {
                    940 => ("Registered Mail", "IXGF0XXXXRX0000", 17.85),
                    _ => ("Return Receipt", "IXRF0XXXXRX0000", 6.70),
                };
                json!({ "extraService": code.to_string(), "name": name, "SKU": sku, "priceType": "RETAIL", "price": price, "warnings": [] })
            })
            .collect();
        let total = price
            + fees.iter().filter_map(|f| f["price"].as_f64()).sum::<f64>()
            + extras
                .iter()
                .filter_map(|e| e["price"].as_f64())
                .sum::<f64>();
        Ok(json!({
            "totalBasePrice": round2(total),
            "rates": [{
                "SKU": sku, "description": description, "priceType": "RETAIL", "price": price,
                "weight": piece.weight_oz, "fees": fees, "startDate": START_DATE, "endDate": "",
                "warnings": [], "mailClass": "FIRST-CLASS_MAIL", "zone": format!("{:02}", to.group),
                "extraServices": extras,
            }],
        }))
    })())
}
