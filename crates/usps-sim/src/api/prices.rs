//! Domestic Prices v3: `base-rates/search`, `base-rates-list/search`, `total-rates/search`.
//! Contract prices apply when `accountType`/`accountNumber` name an account the token is tied
//! to; naming someone else's account answers 403 (REFERENCE §2.8, §5.1).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::Api;
use super::geo;
use super::validate::{Check, digits, json_body, zip_with_optional_plus4};
use crate::Shared;
use crate::auth::guard::{Caller, authorize};
use crate::errors::{ApiError, ErrorItem};
use crate::pricing::{self, PRICED_CLASSES, Quote, Tier};

const V: &str = "/prices/v3";
pub const MAIL_CLASSES: &[&str] = &[
    "PARCEL_SELECT",
    "PARCEL_SELECT_LIGHTWEIGHT",
    "PRIORITY_MAIL_EXPRESS",
    "PRIORITY_MAIL",
    "FIRST-CLASS_PACKAGE_SERVICE",
    "LIBRARY_MAIL",
    "MEDIA_MAIL",
    "BOUND_PRINTED_MATTER",
    "USPS_CONNECT_LOCAL",
    "USPS_CONNECT_MAIL",
    "USPS_CONNECT_REGIONAL",
    "USPS_GROUND_ADVANTAGE",
    "USPS_GROUND_ADVANTAGE_RETURN_SERVICE",
    "USPS_RETAIL_GROUND",
    "GROUND_RETURN_SERVICE",
    "FIRST-CLASS_PACKAGE_RETURN_SERVICE",
    "PRIORITY_MAIL_RETURN_SERVICE",
    "PRIORITY_MAIL_EXPRESS_RETURN_SERVICE",
];
pub const PROCESSING: &[&str] = &[
    "LETTERS",
    "FLATS",
    "MACHINABLE",
    "IRREGULAR",
    "NON_MACHINABLE",
    "NONSTANDARD",
];
pub const DEF_TYPES: &[&str] = &[
    "NONE",
    "DESTINATION_NETWORK_DISTRIBUTION_CENTER",
    "DESTINATION_SECTIONAL_CENTER_FACILITY",
    "DESTINATION_DELIVERY_UNIT",
    "DESTINATION_SERVICE_HUB",
    "DESTINATION_REGIONAL_PROCESSING_DISTRIBUTION_CENTER",
];
pub const RATE_INDICATORS: &[&str] = &[
    "3D", "3N", "3R", "5D", "BA", "BB", "BM", "C1", "C2", "C3", "C4", "C5", "CP", "CM", "DC", "DE",
    "DF", "DN", "DR", "E4", "E6", "E7", "FA", "FB", "FE", "FP", "FS", "LC", "LF", "LL", "LO", "LS",
    "NP", "O1", "O2", "O3", "O4", "O5", "O6", "O7", "OS", "P5", "P6", "P7", "P8", "P9", "Q6", "Q7",
    "Q8", "Q9", "Q0", "PA", "PL", "PM", "PR", "SB", "SN", "SP", "SR",
];
const PRICE_TYPES: &[&str] = &["RETAIL", "COMMERCIAL", "CONTRACT", "NSA"];
const LIST_FIELDS: &[&str] = &[
    "originZIPCode",
    "destinationZIPCode",
    "weight",
    "length",
    "width",
    "height",
    "mailClass",
    "mailClasses",
    "priceType",
    "mailingDate",
    "accountType",
    "accountNumber",
    "hasNonstandardCharacteristics",
];

/// Normalises a 5-digit or ZIP+4 input to its first five digits.
fn zip5(s: &str) -> &str {
    &s[..5]
}

fn zip_check(c: &mut Check, path: &str, required: bool) -> Option<String> {
    c.shaped(
        path,
        required,
        zip_with_optional_plus4,
        ErrorItem::coded("010002", "Invalid ZIP Code", path),
    )
    .map(|z| zip5(z).to_string())
}

/// Decides the price tier from priceType and the (optional) contract account.
fn tier_for(
    c: &mut Check,
    caller: &Caller,
    path: &str,
    account_types: &[&str],
) -> Result<(Tier, bool), ApiError> {
    let price_type = c.one_of("priceType", false, PRICE_TYPES);
    let account_type = c.one_of("accountType", false, account_types);
    let account = c.shaped(
        "accountNumber",
        false,
        |s| digits(s, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
        ErrorItem::field("accountNumber must contain only digits.", "accountNumber"),
    );
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

fn mailing_date_check(c: &mut Check) {
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

fn no_rates() -> ApiError {
    ApiError::bad_request(
        V,
        vec![ErrorItem::coded(
            "030020",
            "No valid rates for these parameters.",
            "mailClass",
        )],
    )
}

fn zone_for(origin: &str, dest: &str) -> Result<u8, ApiError> {
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
        let body = json_body(&body, V)?;
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
        let origin = zip_check(&mut c, "originZIPCode", true);
        let dest = zip_check(&mut c, "destinationZIPCode", true);
        let weight = c.positive("weight", true);
        let dims = (
            c.number("length", true),
            c.number("width", true),
            c.number("height", true),
        );
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
            &caller,
            "/prices/v3/base-rates/search",
            &["EPS", "PERMIT", "METER", "MID"],
        )?;
        c.finish(V)?;
        let (origin, dest, weight, class, pc, ri, def) = (
            origin.unwrap(),
            dest.unwrap(),
            weight.unwrap(),
            class.unwrap(),
            pc.unwrap(),
            ri.unwrap(),
            def.unwrap(),
        );
        let dims = (dims.0.unwrap(), dims.1.unwrap(), dims.2.unwrap());
        let zone = zone_for(&origin, &dest)?;
        weight_ok(class, weight)?;
        let q = pricing::quote(class, ri, zone, weight, dims, tier).ok_or_else(no_rates)?;
        Ok::<Value, ApiError>(json!({
            "totalBasePrice": q.price,
            "rates": [rate_json(&q, class, weight, ri, pc, def, contract_missing)],
        }))
    })();
    respond(result)
}

fn weight_ok(class: &str, weight: f64) -> Result<(), ApiError> {
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

fn respond(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Validated inputs shared by the list and total searches.
struct ListQuery {
    origin: String,
    dest: String,
    weight: f64,
    dims: (f64, f64, f64),
    classes: Vec<String>,
    tiers: Vec<Tier>,
    contract_missing: bool,
}

fn list_query(
    c: &mut Check,
    caller: &Caller,
    path: &str,
    extra_fields: &[&str],
) -> Result<Option<ListQuery>, ApiError> {
    let allowed: Vec<&str> = LIST_FIELDS.iter().chain(extra_fields).copied().collect();
    c.only("", &allowed);
    let origin = zip_check(c, "originZIPCode", true);
    let dest = zip_check(c, "destinationZIPCode", true);
    let weight = c.positive("weight", true);
    let dims = (
        c.number("length", true),
        c.number("width", true),
        c.number("height", true),
    );
    let mut outbound: Vec<&str> = MAIL_CLASSES
        .iter()
        .copied()
        .filter(|m| !m.contains("RETURN"))
        .collect();
    outbound.push("ALL");
    let mut classes: Vec<String> = Vec::new();
    if let Some(one) = c.one_of("mailClass", false, &outbound) {
        classes.push(one.to_string());
    }
    match super::validate::at(c.body, "mailClasses") {
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str().filter(|s| outbound.contains(s)) {
                    Some(s) => classes.push(s.to_string()),
                    None => c.fail(ErrorItem::field(
                        format!("mailClasses[{i}] is not a valid mail class."),
                        "mailClasses",
                    )),
                }
            }
        }
        Some(_) => c.fail(ErrorItem::field(
            "mailClasses must be an array.",
            "mailClasses",
        )),
        None => {}
    }
    if classes.is_empty() || classes.iter().any(|m| m == "ALL") {
        classes = PRICED_CLASSES.iter().map(|s| s.to_string()).collect();
    }
    c.boolean("hasNonstandardCharacteristics");
    mailing_date_check(c);
    let explicit_type = super::validate::at(c.body, "priceType").is_some()
        || super::validate::at(c.body, "accountNumber").is_some();
    let (tier, contract_missing) = tier_for(c, caller, path, &["EPS", "PERMIT", "METER"])?;
    if !c.errors.is_empty() {
        return Ok(None);
    }
    let tiers = if explicit_type {
        vec![tier]
    } else {
        vec![Tier::Retail, Tier::Commercial]
    };
    Ok(Some(ListQuery {
        origin: origin.unwrap(),
        dest: dest.unwrap(),
        weight: weight.unwrap(),
        dims: (dims.0.unwrap(), dims.1.unwrap(), dims.2.unwrap()),
        classes,
        tiers,
        contract_missing,
    }))
}

/// Every (class, indicator, tier) option for a list query.
fn options(q: &ListQuery) -> Result<Vec<(Quote, String, &'static str)>, ApiError> {
    let zone = zone_for(&q.origin, &q.dest)?;
    let mut out = Vec::new();
    for class in &q.classes {
        let max = pricing::class_info(class).map_or(0.0, |i| i.max_weight_lb);
        if q.weight > max {
            continue;
        }
        let indicators: &[&'static str] = match class.as_str() {
            "PRIORITY_MAIL" => &["SP", "FE", "FS", "FB", "PL"],
            "PRIORITY_MAIL_EXPRESS" => &["PA", "FE"],
            _ => &["SP"],
        };
        for ri in indicators {
            for tier in &q.tiers {
                if let Some(quote) = pricing::quote(class, ri, zone, q.weight, q.dims, *tier) {
                    out.push((quote, class.clone(), *ri));
                }
            }
        }
    }
    if out.is_empty() {
        return Err(no_rates());
    }
    Ok(out)
}

pub async fn base_rates_list(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::Prices)?;
        let body = json_body(&body, V)?;
        let mut c = Check::new(&body, Some("030010"));
        let q = list_query(&mut c, &caller, "/prices/v3/base-rates-list/search", &[])?;
        c.finish(V)?;
        let q = q.expect("no errors means a query");
        let rate_options: Vec<Value> = options(&q)?
            .iter()
            .map(|(quote, class, ri)| json!({
                "totalBasePrice": quote.price,
                "rates": [rate_json(quote, class, q.weight, ri, "MACHINABLE", "NONE", q.contract_missing)],
            }))
            .collect();
        Ok(json!({ "rateOptions": rate_options }))
    })();
    respond(result)
}

pub async fn total_rates(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::Prices)?;
        let body = json_body(&body, V)?;
        let mut c = Check::new(&body, Some("030010"));
        let q = list_query(
            &mut c,
            &caller,
            "/prices/v3/total-rates/search",
            &["itemValue", "extraServices"],
        )?;
        let item_value = c.number("itemValue", false).unwrap_or(0.0);
        let mut services = Vec::new();
        match super::validate::at(c.body, "extraServices") {
            Some(Value::Array(items)) => {
                for item in items {
                    match item.as_u64() {
                        Some(code) => services.push(code as u32),
                        None => c.fail(ErrorItem::field(
                            "extraServices must contain integer codes.",
                            "extraServices",
                        )),
                    }
                }
            }
            Some(_) => c.fail(ErrorItem::field(
                "extraServices must be an array.",
                "extraServices",
            )),
            None => {}
        }
        if services.iter().any(|s| [930, 931].contains(s)) && c.number("itemValue", false).is_none()
        {
            c.fail(ErrorItem::field(
                "itemValue is required with insurance extra services.",
                "itemValue",
            ));
        }
        c.finish(V)?;
        let q = q.expect("no errors means a query");
        let mut priced = Vec::new();
        for code in &services {
            let (name, price) = pricing::extra_service(*code, item_value).ok_or_else(|| {
                ApiError::bad_request(
                    V,
                    vec![ErrorItem::coded(
                        "030021",
                        "No extra services found.",
                        "extraServices",
                    )],
                )
            })?;
            priced.push((*code, name, price));
        }
        let rate_options: Vec<Value> = options(&q)?
            .iter()
            .map(|(quote, class, ri)| {
                let mut option = json!({
                    "totalBasePrice": quote.price,
                    "rates": [rate_json(quote, class, q.weight, ri, "MACHINABLE", "NONE", q.contract_missing)],
                });
                if !priced.is_empty() {
                    let extras: Vec<Value> = priced.iter().map(|(code, name, price)| json!({
                        "extraService": code.to_string(),
                        "name": name,
                        "SKU": format!("DX{code}XXXXXX0000"),
                        "priceType": quote.tier.as_str(),
                        "price": price,
                        "warnings": [],
                    })).collect();
                    let total: f64 = quote.price + priced.iter().map(|p| p.2).sum::<f64>();
                    option["extraServices"] = json!(extras);
                    option["totalPrice"] = json!((total * 100.0).round() / 100.0);
                }
                option
            })
            .collect();
        Ok(json!({ "rateOptions": rate_options }))
    })();
    respond(result)
}
