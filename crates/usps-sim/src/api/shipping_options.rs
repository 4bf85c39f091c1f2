//! Shipping Options v3 `POST /shipments/v3/options/search`: for one package, every mail class
//! that can carry it, per requested price type, with rates, extra-service prices and the
//! delivery commitment — the rating call other USPS integrations make.
//!
//! Prices are the Domestic Prices API's own (`pricing::quote` with the same zone, rate
//! indicators and tiers as `base-rates-list/search`, extra services from
//! `pricing::extra_service`), so a package gets one price whichever API asks. Return classes are
//! priced as the outbound product they stand for and carry no commitment (as the spec says);
//! commitments are the class's days for the zone, counted from the mailing date.
//! `shippingFilter: PRICE` keeps each class's cheapest option, `SERVICE_STANDARDS` orders the
//! classes fastest first. Requests naming `destinationCountryCode` (the international variant)
//! are not served here (docs/usps.md#shipping-options).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Map, Value, json};
use std::sync::Arc;

use super::Api;
use super::extra_rates::{insurance_value_check, offered, requested_codes, service_json};
use super::geo;
use super::label_build::{length_plus_girth, max_length_plus_girth};
use super::prices::respond;
use super::rate_lists::listed_indicators;
use super::return_labels::priced_as;
use super::validate::{Check, at, date_in_window, json_body};
use crate::Shared;
use crate::auth::guard::{Caller, authorize};
use crate::errors::{ApiError, ErrorItem};
use crate::pricing::{self, Quote, Tier};
use crate::rules::{OPTIONS, Operation};

const V: &str = "/shipments/v3";
const PATH: &str = "/shipments/v3/options/search";

/// The extra-service codes the Shipping Options spec enumerates for domestic packages.
const SPEC_EXTRA_SERVICES: &[u64] = &[
    365, 415, 452, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489, 498, 500, 501, 502, 810, 811,
    812, 813, 814, 815, 816, 817, 818, 819, 820, 821, 822, 823, 824, 825, 826, 827, 828, 829, 830,
    831, 832, 853, 856, 857, 858, 910, 911, 912, 913, 915, 917, 920, 921, 922, 923, 924, 925, 930,
    931, 934, 940, 941, 955, 957, 972, 981, 984, 986, 991,
];

const REQUEST_CLASSES: &[&str] = &[
    "PARCEL_SELECT",
    "PARCEL_SELECT_LIGHTWEIGHT",
    "USPS_CONNECT_LOCAL",
    "USPS_CONNECT_REGIONAL",
    "USPS_CONNECT_MAIL",
    "USPS_GROUND_ADVANTAGE",
    "USPS_GROUND_ADVANTAGE_RETURN_SERVICE",
    "PRIORITY_MAIL_EXPRESS",
    "PRIORITY_MAIL_EXPRESS_RETURN_SERVICE",
    "PRIORITY_MAIL",
    "PRIORITY_MAIL_RETURN_SERVICE",
    "FIRST-CLASS_PACKAGE_SERVICE",
    "LIBRARY_MAIL",
    "MEDIA_MAIL",
    "BOUND_PRINTED_MATTER",
    "ALL",
    "ALL_OUTBOUND",
    "ALL_RETURNS",
];

/// What `ALL_OUTBOUND` (and the deprecated `ALL`) expands to: the outbound classes the
/// simulator prices that the response's mail-class list can name.
const OUTBOUND: &[&str] = &[
    "PRIORITY_MAIL_EXPRESS",
    "PRIORITY_MAIL",
    "USPS_GROUND_ADVANTAGE",
    "PARCEL_SELECT",
    "MEDIA_MAIL",
    "LIBRARY_MAIL",
    "BOUND_PRINTED_MATTER",
];

const RETURNS: &[&str] = &[
    "PRIORITY_MAIL_EXPRESS_RETURN_SERVICE",
    "PRIORITY_MAIL_RETURN_SERVICE",
    "USPS_GROUND_ADVANTAGE_RETURN_SERVICE",
];

const DEF_TYPES: &[&str] = &[
    "NONE",
    "DESTINATION_NETWORK_DISTRIBUTION_CENTER",
    "DESTINATION_SECTIONAL_CENTER_FACILITY",
    "DESTINATION_DELIVERY_UNIT",
    "DESTINATION_SERVICE_HUB",
    "DESTINATION_REGIONAL_PROCESSING_DISTRIBUTION_CENTER",
];

/// How far ahead a mailing date may lie (days).
const MAILING_WINDOW_DAYS: i64 = 30;

/// Mail classes a requested `mailClass` stands for (deprecated names convert as the spec says).
fn classes_for(requested: &str) -> Vec<&'static str> {
    match requested {
        "ALL" | "ALL_OUTBOUND" => OUTBOUND.to_vec(),
        "ALL_RETURNS" => RETURNS.to_vec(),
        "PARCEL_SELECT_LIGHTWEIGHT" => vec!["PARCEL_SELECT"],
        "FIRST-CLASS_PACKAGE_SERVICE" => vec!["USPS_GROUND_ADVANTAGE"],
        other => OUTBOUND
            .iter()
            .chain(RETURNS)
            .copied()
            .filter(|c| *c == other)
            .collect(),
    }
}

fn zip5(c: &mut Check, path: &str) -> Option<String> {
    let invalid = ErrorItem::coded("010002", "Invalid ZIP Code", path);
    c.text_or(OPTIONS, path, true, Some(invalid))
        .and_then(|z| z.get(..5))
        .map(str::to_string)
}

/// A pricing option as requested: the tier it prices at and the account it echoes.
struct Pricing {
    tier: Tier,
    echo: Map<String, Value>,
}

fn pricing_options(c: &mut Check, caller: &Caller) -> Result<Vec<Pricing>, ApiError> {
    let Some(list) = c.body.get("pricingOptions") else {
        c.fail(ErrorItem::coded(
            "030010",
            "One or more required field(s) are missing from the request",
            "pricingOptions",
        ));
        return Ok(vec![]);
    };
    let Some(list) = list.as_array().filter(|l| !l.is_empty()) else {
        c.fail(ErrorItem::field(
            "size must be between 1 and 2147483647",
            "pricingOptions",
        ));
        return Ok(vec![]);
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let here = format!("pricingOptions[{i}]");
        let Some(obj) = item.as_object() else {
            c.fail(ErrorItem::field(
                format!("{here} must be an object."),
                &here,
            ));
            continue;
        };
        for key in obj
            .keys()
            .filter(|k| !["priceType", "paymentAccount", "shippingOptions"].contains(&k.as_str()))
        {
            c.fail(ErrorItem::field(
                format!("{here}.{key} is not a recognized field."),
                &format!("{here}.{key}"),
            ));
        }
        let price_type = match obj.get("priceType") {
            None => "COMMERCIAL",
            Some(Value::String(s))
                if ["RETAIL", "COMMERCIAL", "CONTRACT"].contains(&s.as_str()) =>
            {
                s
            }
            Some(_) => {
                c.fail(ErrorItem::field(
                    format!("{here}.priceType must be one of: RETAIL, COMMERCIAL, CONTRACT."),
                    &format!("{here}.priceType"),
                ));
                continue;
            }
        };
        let mut echo = Map::new();
        echo.insert("priceType".into(), json!(price_type));
        let account = match obj.get("paymentAccount") {
            None => None,
            Some(Value::Object(a)) => Some(a),
            Some(_) => {
                c.fail(ErrorItem::field(
                    format!("{here}.paymentAccount must be an object."),
                    &format!("{here}.paymentAccount"),
                ));
                continue;
            }
        };
        let tier = match (price_type, account) {
            ("CONTRACT", None) => {
                c.fail(ErrorItem::field(
                    "paymentAccount is required with priceType CONTRACT.",
                    &format!("{here}.paymentAccount"),
                ));
                continue;
            }
            ("CONTRACT", Some(account)) => {
                let kind = account.get("accountType").and_then(Value::as_str);
                let number = account.get("accountNumber").and_then(Value::as_str);
                if !kind.is_some_and(|k| ["EPS", "PERMIT", "METER", "MID"].contains(&k)) {
                    c.fail(ErrorItem::field(
                        "accountType must be one of: EPS, PERMIT, METER, MID.",
                        &format!("{here}.paymentAccount.accountType"),
                    ));
                    continue;
                }
                let Some(number) = number else {
                    c.fail(ErrorItem::field(
                        "accountNumber is required.",
                        &format!("{here}.paymentAccount.accountNumber"),
                    ));
                    continue;
                };
                let tied = caller.business.as_ref().is_some_and(|b| {
                    b.eps_accounts.iter().any(|a| a == number) || b.owns_mid(number)
                });
                if !tied {
                    return Err(ApiError::forbidden(V, PATH));
                }
                echo.insert("paymentAccount".into(), Value::Object(account.clone()));
                Tier::Contract
            }
            ("RETAIL", _) => Tier::Retail,
            _ => Tier::Commercial,
        };
        out.push(Pricing { tier, echo });
    }
    Ok(out)
}

/// The validated package.
struct Package {
    weight: f64,
    dims: (f64, f64, f64),
    girth: Option<f64>,
    classes: Vec<&'static str>,
    services: Vec<u32>,
    value: f64,
    mailing: time::Date,
}

fn package(c: &mut Check, operation: Operation) -> Option<Package> {
    let pd = "packageDescription";
    c.object(pd, true)?;
    let weight = c.limited(operation, "packageDescription.weight", true);
    let length = c.limited(operation, "packageDescription.length", true);
    let width = c.limited(operation, "packageDescription.width", true);
    let height = c.limited(operation, "packageDescription.height", true);
    let girth = c.limited(operation, "packageDescription.girth", false);
    c.boolean("packageDescription.hasNonstandardCharacteristics");
    let class = c.one_of("packageDescription.mailClass", true, REQUEST_CLASSES);
    let services = requested_codes(
        c,
        operation,
        "packageDescription.extraServices",
        SPEC_EXTRA_SERVICES,
    )
    .unwrap_or_default();
    let value = c
        .limited(operation, "packageDescription.packageValue", false)
        .unwrap_or(0.0);
    insurance_value_check(c, &services, value, "packageDescription.packageValue");
    let mailing = match c.string("packageDescription.mailingDate", false) {
        None => Some(time::OffsetDateTime::now_utc().date()),
        Some(s) => {
            let date =
                time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
                    .ok()
                    .or_else(|| {
                        time::OffsetDateTime::parse(
                            s,
                            &time::format_description::well_known::Rfc3339,
                        )
                        .ok()
                        .map(|t| t.date())
                    });
            match date {
                Some(d) if date_in_window(d, MAILING_WINDOW_DAYS) => Some(d),
                Some(_) => {
                    c.fail(ErrorItem::field(
                        "mailingDate must be today or up to 30 days ahead.",
                        "packageDescription.mailingDate",
                    ));
                    None
                }
                None => {
                    c.fail(ErrorItem::field(
                        "mailingDate must be a date (YYYY-MM-DD) or a date-time.",
                        "packageDescription.mailingDate",
                    ));
                    None
                }
            }
        }
    };
    Some(Package {
        weight: weight?,
        dims: (length?, width?, height?),
        girth,
        classes: classes_for(class?),
        services,
        value,
        mailing: mailing?,
    })
}

/// `expectedDeliveryDate`: the mailing date plus the class's days, Sundays not counted.
fn delivery_date(mailing: time::Date, days: u32) -> time::Date {
    let mut date = mailing;
    let mut left = days;
    while left > 0 {
        date += time::Duration::days(1);
        if date.weekday() != time::Weekday::Sunday {
            left -= 1;
        }
    }
    date
}

fn commitment(class: &str, quote: &Quote, mailing: time::Date) -> Value {
    let name = match quote.days {
        1 => "1-Day".to_string(),
        n => format!("{n}-Day"),
    };
    json!({
        "name": name,
        "expectedDeliveryDate": delivery_date(mailing, quote.days).to_string(),
        "guaranteedDelivery": class == "PRIORITY_MAIL_EXPRESS",
    })
}

/// Every rate option for one class at one tier, with its extra services; empty when the class
/// cannot carry the package or does not offer a requested service.
fn class_options(
    p: &Package,
    class: &str,
    zone: u8,
    tier: Tier,
    def: &str,
) -> Vec<(f64, u32, Value)> {
    let Some(outbound) = priced_as(class) else {
        return vec![];
    };
    let fits = pricing::class_info(outbound).is_some_and(|i| p.weight <= i.max_weight_lb)
        && length_plus_girth(p.dims, p.girth) <= max_length_plus_girth(outbound);
    if !fits || !p.services.iter().all(|s| offered(class, *s)) {
        return vec![];
    }
    let returns = class != outbound;
    // Return services are priced at commercial prices.
    let tier = if returns && tier == Tier::Retail {
        Tier::Commercial
    } else {
        tier
    };
    let mut out = Vec::new();
    for ri in listed_indicators(outbound) {
        let Some(q) = pricing::quote(outbound, ri, zone, p.weight, p.dims, tier) else {
            continue;
        };
        let extras: Vec<(u32, &str, f64)> = p
            .services
            .iter()
            .filter_map(|code| pricing::extra_service(*code, p.value).map(|(n, f)| (*code, n, f)))
            .collect();
        let total = q.price + extras.iter().map(|e| e.2).sum::<f64>();
        let mut option = json!({
            "totalBasePrice": q.price,
            "totalPrice": (total * 100.0).round() / 100.0,
            "rates": [{
                "SKU": q.sku,
                "price": q.price,
                "priceType": q.tier.as_str(),
                "weight": p.weight,
                "dimWeight": q.dim_weight,
                "zone": format!("{:02}", q.zone),
                "fees": [],
                "startDate": "2026-01-18",
                "endDate": "",
                "productName": q.product_name,
                "productDefinition": format!("{} ({ri})", q.product_name),
                "processingCategory": if returns { "RETURNS" } else { "MACHINABLE" },
                "rateIndicator": ri,
                "destinationEntryFacilityType": def,
                "mailClass": class,
            }],
            "extraServices": extras.iter().map(|(code, name, fee)| service_json(*code, name, *fee, q.tier)).collect::<Vec<_>>(),
        });
        if !returns {
            option["commitment"] = commitment(class, &q, p.mailing);
        }
        out.push((q.price, q.days, option));
    }
    out
}

pub async fn search(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::ShippingOptions)?;
        let body = json_body(&headers, &body, V)?;
        let mut c = Check::new(&body, Some("030010"));
        if at(&body, "destinationCountryCode").is_some() {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::field(
                    "International shipping options are not offered by this simulator; send originZIPCode and destinationZIPCode.",
                    "destinationCountryCode",
                )],
            ));
        }
        c.only(
            "",
            &[
                "pricingOptions",
                "originZIPCode",
                "destinationZIPCode",
                "destinationEntryFacilityType",
                "packageDescription",
                "shippingFilter",
            ],
        );
        let origin = zip5(&mut c, "originZIPCode");
        let dest = zip5(&mut c, "destinationZIPCode");
        let def = c
            .one_of("destinationEntryFacilityType", false, DEF_TYPES)
            .unwrap_or("NONE");
        let filter = c.one_of("shippingFilter", false, &["PRICE", "SERVICE_STANDARDS"]);
        let package = package(&mut c, OPTIONS);
        let pricings = pricing_options(&mut c, &caller)?;
        c.finish(V)?;
        let (Some(origin), Some(dest), Some(package)) = (origin, dest, package) else {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::coded(
                    "030010",
                    "One or more required field(s) are missing from the request",
                    "body",
                )],
            ));
        };
        let zone = geo::zone(&origin, &dest)
            .filter(|_| geo::state_of(&origin).is_some() && geo::state_of(&dest).is_some())
            .ok_or_else(|| {
                ApiError::bad_request(
                    V,
                    vec![ErrorItem::coded(
                        "030001",
                        "Could not find zone from provided ZIPs, date, and mail class",
                        "destinationZIPCode",
                    )],
                )
            })?;
        if package
            .services
            .iter()
            .any(|s| pricing::extra_service(*s, package.value).is_none())
        {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::coded(
                    "030021",
                    "No extra services found.",
                    "packageDescription.extraServices",
                )],
            ));
        }
        let mut any = false;
        let mut pricing_out = Vec::new();
        for pricing in pricings {
            let mut shipping = Vec::new();
            for class in &package.classes {
                let mut options = class_options(&package, class, zone, pricing.tier, def);
                if options.is_empty() {
                    continue;
                }
                if filter == Some("PRICE") {
                    options.sort_by(|a, b| a.0.total_cmp(&b.0));
                    options.truncate(1);
                }
                let fastest = options.iter().map(|o| o.1).min().unwrap_or(u32::MAX);
                shipping.push((
                    fastest,
                    json!({
                        "mailClass": class,
                        "rateOptions": options.into_iter().map(|o| o.2).collect::<Vec<_>>(),
                    }),
                ));
            }
            if filter == Some("SERVICE_STANDARDS") {
                shipping.sort_by_key(|s| s.0);
            }
            any |= !shipping.is_empty();
            let mut entry = pricing.echo;
            entry.insert(
                "shippingOptions".into(),
                Value::Array(shipping.into_iter().map(|s| s.1).collect()),
            );
            pricing_out.push(Value::Object(entry));
        }
        if !any {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::coded(
                    "030020",
                    "No valid rates for these parameters.",
                    "packageDescription",
                )],
            ));
        }
        Ok(json!({
            "originZIPCode": origin,
            "destinationZIPCode": dest,
            "pricingOptions": pricing_out,
        }))
    })();
    respond(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deprecated_classes_convert() {
        assert_eq!(
            classes_for("FIRST-CLASS_PACKAGE_SERVICE"),
            vec!["USPS_GROUND_ADVANTAGE"]
        );
        assert_eq!(classes_for("ALL"), classes_for("ALL_OUTBOUND"));
        assert!(
            classes_for("ALL_RETURNS")
                .iter()
                .all(|c| c.contains("RETURN"))
        );
    }

    #[test]
    fn delivery_skips_sundays() {
        let saturday = time::macros::date!(2026 - 12 - 05);
        assert_eq!(
            delivery_date(saturday, 1),
            time::macros::date!(2026 - 12 - 07)
        );
        assert_eq!(delivery_date(saturday, 0), saturday);
    }
}
