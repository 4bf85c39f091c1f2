//! Domestic Prices v3 list searches: `base-rates-list/search` (every eligible product) and
//! `total-rates/search` (base price plus extra services, with `totalPrice`). A list search has
//! no destination entry facility, so `PARCEL_SELECT` is priced as the USPS Ground Advantage it
//! converts to (and listed once, as that class).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};
use std::sync::Arc;

use super::Api;
use super::enums::MAIL_CLASSES;
use super::label_build::MAX_INSURED_VALUE;
use super::prices::{
    V, class_tier, converted_class, incomplete, mailing_date_check, no_rates, package_size,
    rate_json, respond, size_fits, tier_for, zip_check, zone_for,
};
use super::validate::{Check, json_body};
use crate::Shared;
use crate::auth::guard::{Caller, authorize};
use crate::errors::{ApiError, ErrorItem};
use crate::pricing::{self, PRICED_CLASSES, Quote, Tier};
use crate::rules::{Operation, RATE_LIST, TOTAL_RATES};

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
    operation: Operation,
    caller: &Caller,
    path: &str,
    extra_fields: &[&str],
) -> Result<Option<ListQuery>, ApiError> {
    let allowed: Vec<&str> = LIST_FIELDS.iter().chain(extra_fields).copied().collect();
    c.only("", &allowed);
    let origin = zip_check(c, operation, "originZIPCode", true);
    let dest = zip_check(c, operation, "destinationZIPCode", true);
    let (weight, dims) = package_size(c);
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
    let mut converted: Vec<String> = Vec::new();
    for class in classes {
        let class = converted_class(&class, "NONE").to_string();
        if !converted.contains(&class) {
            converted.push(class);
        }
    }
    let classes = converted;
    c.boolean("hasNonstandardCharacteristics");
    mailing_date_check(c);
    let explicit_type = super::validate::at(c.body, "priceType").is_some()
        || super::validate::at(c.body, "accountNumber").is_some();
    let (tier, contract_missing) =
        tier_for(c, operation, caller, path, &["EPS", "PERMIT", "METER"])?;
    if !c.errors.is_empty() {
        return Ok(None);
    }
    let tiers = if explicit_type {
        vec![tier]
    } else {
        vec![Tier::Retail, Tier::Commercial]
    };
    let (Some(origin), Some(dest), Some(weight), Some(dims)) = (origin, dest, weight, dims) else {
        return Err(incomplete());
    };
    Ok(Some(ListQuery {
        origin,
        dest,
        weight,
        dims,
        classes,
        tiers,
        contract_missing,
    }))
}

/// The rate indicators a list search (and Shipping Options) prices for a mail class.
pub(super) fn listed_indicators(class: &str) -> &'static [&'static str] {
    match class {
        "PRIORITY_MAIL" => &["SP", "FE", "FS", "FB", "PL"],
        "PRIORITY_MAIL_EXPRESS" => &["PA", "FE"],
        _ => &["SP"],
    }
}

/// Every (class, indicator, tier) option for a list query, and whether a contract price asked
/// for was not found for it.
fn options(
    q: &ListQuery,
    caller: &Caller,
) -> Result<Vec<(Quote, String, &'static str, bool)>, ApiError> {
    let zone = zone_for(&q.origin, &q.dest)?;
    let mut out = Vec::new();
    for class in &q.classes {
        let max = pricing::class_info(class).map_or(0.0, |i| i.max_weight_lb);
        if q.weight > max || !size_fits(class, q.dims) {
            continue;
        }
        for ri in listed_indicators(class) {
            for tier in &q.tiers {
                let (tier, missing) = class_tier(*tier, q.contract_missing, caller, class);
                if let Some(quote) = pricing::quote(class, ri, zone, q.weight, q.dims, tier) {
                    out.push((quote, class.clone(), *ri, missing));
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
        let body = json_body(&headers, &body, V)?;
        let mut c = Check::new(&body, Some("030010"));
        let q = list_query(
            &mut c,
            RATE_LIST,
            &caller,
            "/prices/v3/base-rates-list/search",
            &[],
        )?;
        c.finish(V)?;
        let q = q.ok_or_else(incomplete)?;
        let rate_options: Vec<Value> = options(&q, &caller)?
            .iter()
            .map(|(quote, class, ri, missing)| json!({
                "totalBasePrice": quote.price,
                "rates": [rate_json(quote, class, q.weight, ri, "MACHINABLE", "NONE", *missing)],
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
        let body = json_body(&headers, &body, V)?;
        let mut c = Check::new(&body, Some("030010"));
        let q = list_query(
            &mut c,
            TOTAL_RATES,
            &caller,
            "/prices/v3/total-rates/search",
            &["itemValue", "extraServices"],
        )?;
        let item_value = c.limited(TOTAL_RATES, "itemValue", false).unwrap_or(0.0);
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
        if services.iter().any(|s| [930, 931].contains(s)) {
            if item_value <= 0.0 {
                c.fail(ErrorItem::coded(
                    "030024",
                    "A non-zero item value is required for this extra service code.",
                    "itemValue",
                ));
            } else if item_value > MAX_INSURED_VALUE {
                c.fail(ErrorItem::coded(
                    "030012",
                    "Provided value exceeds maximum allowable insurance for this price group.",
                    "itemValue",
                ));
            }
        }
        c.finish(V)?;
        let q = q.ok_or_else(incomplete)?;
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
        let rate_options: Vec<Value> = options(&q, &caller)?
            .iter()
            .map(|(quote, class, ri, missing)| {
                let mut option = json!({
                    "totalBasePrice": quote.price,
                    "rates": [rate_json(quote, class, q.weight, ri, "MACHINABLE", "NONE", *missing)],
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
