//! International Labels v3, `POST /international-label`: the request checked the way USPS
//! checks it (schema limits from `limits`, then the business rules: names, destination,
//! postal code, mail class and rate ingredients, weight and size per service and destination,
//! contents value per product, extra services, the customs form), priced with `services`,
//! bought idempotently on `X-Idempotency-Key` (one key space per CRID with domestic labels),
//! charged in the ledger, and answered 201 with the label PDF — label page, customs declaration
//! and continuation pages (`print`). Rules and choices: docs/usps.md#international.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::sync::Arc;

use super::LABELS_V as V;
use super::countries::{self, Destination};
use super::customs;
use super::limits::LABEL;
use super::prices::refusal_item;
use super::services::{
    self, LABEL_CLASSES, LABEL_INDICATORS, MAX_INSURED_VALUE, PMEI, Quote, Tier, Unfit, round2,
};
use crate::Shared;
use crate::api::Api;
use crate::api::labels::{ChargedLabel, key_slot, record_charged};
use crate::api::payments::payment_auth;
use crate::api::validate::{Check, at, date_in_window, json_body};
use crate::auth::guard::{Caller, authorize};
use crate::errors::{ApiError, ErrorItem};
use crate::ids::{canonical_json, seeded, sha256_hex};
use crate::pdf::{self, Part};
use crate::server::ConnectionKiller;
use crate::state::records::{LabelRecord, PaymentAuth};

pub const KEY_HEADER: &str = "X-Idempotency-Key";

/// The `X-Idempotency-Key` header as a lower-case UUID, if sent.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(raw) = headers.get(KEY_HEADER) else {
        return Ok(None);
    };
    let key = raw.to_str().unwrap_or_default().trim();
    if uuid::Uuid::parse_str(key).is_err() {
        return Err(ApiError::bad_request(
            V,
            vec![ErrorItem::field(
                "X-Idempotency-Key must be a UUID.",
                KEY_HEADER,
            )],
        ));
    }
    Ok(Some(key.to_ascii_lowercase()))
}

/// Bearer token with the `international-labels` scope, a business, and a payment token.
pub fn caller(
    shared: &Shared,
    headers: &HeaderMap,
    path: &str,
) -> Result<(Caller, PaymentAuth), ApiError> {
    let caller = authorize(shared, headers, Api::InternationalLabels)?;
    caller.business(Api::InternationalLabels, path)?;
    let payment = payment_auth(shared, headers, &caller, V)?;
    Ok((caller, payment))
}

/// Whether a stored label was bought through this API.
pub fn is_international(record: &LabelRecord) -> bool {
    record.metadata.get("internationalTrackingNumber").is_some()
}

/// The UPU S10 check digit of an 8-digit serial (weights 8 6 4 2 3 5 9 7, modulo 11).
pub fn s10_check_digit(serial: &str) -> u32 {
    let sum: u32 = serial
        .bytes()
        .zip([8, 6, 4, 2, 3, 5, 9, 7])
        .map(|(d, w)| u32::from(d.wrapping_sub(b'0')) * w)
        .sum();
    match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        c => c,
    }
}

/// A 13-character UPU S10 tracking number: service prefix, 8 digits, check digit, `US`.
pub fn s10_tracking_number(seed: u64, prefix: &str, n: u64) -> String {
    let serial = (seeded(seed, &format!("s10/{prefix}"), 50_000_000) + n) % 100_000_000;
    let digits = format!("{serial:08}");
    format!("{prefix}{digits}{}US", s10_check_digit(&digits))
}

const PACKAGE_FIELDS: &[&str] = &[
    "weightUOM",
    "weight",
    "dimensionsUOM",
    "length",
    "height",
    "width",
    "girth",
    "destinationEntryFacilityAddress",
    "mailClass",
    "rateIndicator",
    "packagingType",
    "diameter",
    "shape",
    "processingCategory",
    "destinationEntryFacilityType",
    "mailingDate",
    "packageOptions",
    "customerReference",
    "extraServices",
    "inductionZIPCode",
    "mailOwnerMID",
    "logisticsManagerMID",
    "prepayDutiesTaxesFees",
];
const PACKAGING: &[&str] = &[
    "FLAT_RATE_ENVELOPE",
    "LEGAL_FLAT_RATE_ENVELOPE",
    "PADDED_FLAT_RATE_ENVELOPE",
    "SM_FLAT_RATE_BOX",
    "MD_FLAT_RATE_BOX",
    "LG_FLAT_RATE_BOX",
    "VARIABLE",
];
const EXTRA_CODES: &[u32] = &[
    480, 481, 482, 483, 484, 486, 487, 488, 813, 820, 826, 857, 930, 931, 955,
];
/// What the label prints of an address.
const PRINTED: &[&str] = &[
    "firstName",
    "lastName",
    "firm",
    "streetAddress",
    "secondaryAddress",
    "city",
    "urbanization",
    "province",
    "country",
];

/// The rate indicator a `packagingType` stands for with a mail class.
fn indicator_for_packaging(class: &str, packaging: &str) -> Option<&'static str> {
    let express = class == PMEI;
    Some(match packaging {
        "VARIABLE" if express => "PA",
        "VARIABLE" => "SP",
        "FLAT_RATE_ENVELOPE" if express => "E4",
        "FLAT_RATE_ENVELOPE" => "FE",
        "LEGAL_FLAT_RATE_ENVELOPE" if express => "E6",
        "LEGAL_FLAT_RATE_ENVELOPE" => "FA",
        "PADDED_FLAT_RATE_ENVELOPE" => "FP",
        "SM_FLAT_RATE_BOX" => "FS",
        "MD_FLAT_RATE_BOX" => "FB",
        "LG_FLAT_RATE_BOX" => "PL",
        _ => return None,
    })
}

fn named(obj: &Map<String, Value>, k: &str) -> bool {
    obj.get(k)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

fn require_name(c: &mut Check, obj: &Map<String, Value>, path: &str) {
    if !(named(obj, "firm") || (named(obj, "firstName") && named(obj, "lastName"))) {
        c.fail(ErrorItem::coded(
            "160075",
            "firstName and lastName or firm name are required",
            path,
        ));
    }
}

/// A domestic address (`fromAddress`, `senderAddress`, the redirect address), held to the
/// limits of the `fromAddress` rows (the redirect address shares its schema).
fn check_domestic(c: &mut Check, path: &str, required: bool) {
    let Some(obj) = c.object(path, required) else {
        return;
    };
    let rows_at = if path == "senderAddress" {
        path
    } else {
        "fromAddress"
    };
    for (field, required) in [
        ("streetAddress", true),
        ("city", true),
        ("state", true),
        ("ZIPCode", true),
        ("secondaryAddress", false),
        ("ZIPPlus4", false),
        ("urbanization", false),
        ("firstName", false),
        ("lastName", false),
        ("firm", false),
        ("phone", false),
        ("email", false),
        ("platformUserId", false),
    ] {
        let at_path = format!("{path}.{field}");
        let Some(s) = c.string(&at_path, required) else {
            continue;
        };
        if let Some(why) = crate::rules::broken_text(LABEL, &format!("{rows_at}.{field}"), s) {
            c.fail(if field == "ZIPCode" {
                ErrorItem::coded("160119", "ZIP Code is not valid", path)
            } else {
                ErrorItem::field(why, &at_path)
            });
        }
    }
    for printed in PRINTED {
        c.printable(&format!("{path}.{printed}"));
    }
    c.boolean(&format!("{path}.ignoreBadAddress"));
    require_name(c, obj, path);
}

/// The international addressee; returns the destination.
fn check_addressee(c: &mut Check) -> Option<Destination> {
    let path = "toAddress";
    let obj = c.object(path, true)?;
    let f = |n: &str| format!("{path}.{n}");
    c.text(LABEL, &f("streetAddress"), true);
    c.text(LABEL, &f("city"), true);
    for optional in [
        "secondaryAddress",
        "postalCode",
        "province",
        "provinceISOAlpha2Code",
        "firstName",
        "lastName",
        "firm",
        "phone",
    ] {
        c.text(LABEL, &f(optional), false);
    }
    if let Some(p) = c.string(&f("provinceISOAlpha2Code"), false)
        && !p.chars().all(|ch| ch.is_ascii_alphabetic())
    {
        c.fail(ErrorItem::field(
            "must match \"^([a-zA-Z]){2}\"",
            &f("provinceISOAlpha2Code"),
        ));
    }
    if c.string(&f("country"), true)
        .is_some_and(|s| s.trim().is_empty())
    {
        c.fail(ErrorItem::field(
            "size must be between 1 and 2147483647",
            &f("country"),
        ));
    }
    for printed in PRINTED {
        c.printable(&f(printed));
    }
    require_name(c, obj, path);
    let code_path = f("countryISOAlpha2Code");
    let code = c.string(&code_path, true)?;
    if !(code.len() == 2 && code.chars().all(|ch| ch.is_ascii_alphabetic())) {
        c.fail(ErrorItem::field(
            "must match \"^([a-zA-Z]){2}\"",
            &code_path,
        ));
        return None;
    }
    let upper = code.to_ascii_uppercase();
    let destination = match countries::destination(&upper) {
        Ok(d) => d,
        Err(why) => {
            c.fail(refusal_item(why, &upper, &code_path));
            return None;
        }
    };
    let postal = c.string(&f("postalCode"), false).unwrap_or_default();
    if postal.trim().is_empty() && destination.postal_code_required {
        c.fail(ErrorItem::field(
            format!("postalCode is required for addresses in {upper}."),
            &f("postalCode"),
        ));
    } else if !postal.is_empty() && !countries::postal_code_fits(&upper, postal) {
        c.fail(ErrorItem::field(
            format!("postalCode {postal} is not a valid postal code for {upper}."),
            &f("postalCode"),
        ));
    }
    Some(destination)
}

/// `imageInfo`: enums, and the image types the simulator renders (PDF, or none).
fn check_image_info(c: &mut Check) {
    c.object("imageInfo", false);
    c.only(
        "imageInfo",
        &[
            "imageType",
            "labelType",
            "holdForManifest",
            "suppressPostage",
            "includeLabelBrokerPDF",
            "addZPLComments",
        ],
    );
    let image = c.one_of(
        "imageInfo.imageType",
        false,
        &[
            "LABEL_BROKER",
            "PDF",
            "TIFF",
            "ZPL203DPI",
            "ZPL300DPI",
            "NONE",
        ],
    );
    if let Some(other) = image.filter(|t| !matches!(*t, "PDF" | "NONE")) {
        c.fail(ErrorItem::field(
            format!("imageType {other} is not available in the simulator; use PDF or NONE."),
            "imageInfo.imageType",
        ));
    }
    c.one_of("imageInfo.labelType", false, &["4X6LABEL"]);
    for flag in [
        "holdForManifest",
        "suppressPostage",
        "includeLabelBrokerPDF",
        "addZPLComments",
    ] {
        c.boolean(&format!("imageInfo.{flag}"));
    }
}

/// The package's fields as the checks left them.
struct Package {
    class: Option<&'static str>,
    indicator: Option<&'static str>,
    isc: bool,
    weight: Option<f64>,
    dims: Option<(f64, f64, f64)>,
    mailing_date: Option<time::Date>,
    codes: Vec<u32>,
    value: Option<f64>,
    immediate_manifest: bool,
    prepay: bool,
}

/// The day of a `mailingDate` (a full-date, or a date-time read in its own offset).
pub fn mailing_day(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .ok()
        .or_else(|| {
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(|t| t.date())
        })
}

/// `mailingDate` at `path`: parseable (160092) and today to 7 days ahead (160001).
pub fn check_mailing_date(c: &mut Check, path: &str) -> Option<time::Date> {
    let d = c.string(path, true)?;
    match mailing_day(d) {
        None => c.fail(ErrorItem::coded(
            "160092",
            "unable to parse mailingDate",
            path,
        )),
        Some(day) if !date_in_window(day, 7) => c.fail(ErrorItem::coded(
            "160001",
            "mailingDate must be today or up to 7 days ahead",
            path,
        )),
        Some(day) => return Some(day),
    }
    None
}

fn check_package(c: &mut Check) -> Package {
    let pd = "packageDescription";
    let f = |n: &str| format!("{pd}.{n}");
    c.object(pd, true);
    c.only(pd, PACKAGE_FIELDS);
    let class = match c.string(&f("mailClass"), true) {
        Some(m) => match LABEL_CLASSES.iter().find(|k| **k == m) {
            Some(k) => Some(*k),
            None => {
                c.fail(ErrorItem::coded(
                    "160090",
                    format!("{m} is not a valid mailClass"),
                    &f("mailClass"),
                ));
                None
            }
        },
        None => None,
    };
    let ri = c.one_of(&f("rateIndicator"), false, LABEL_INDICATORS);
    let packaging = c.one_of(&f("packagingType"), false, PACKAGING);
    let indicator = match (ri, packaging) {
        (Some(_), Some(_)) => {
            c.fail(ErrorItem::coded(
                "160284",
                "cannot include packagingType with rateIndicator",
                &f("rateIndicator"),
            ));
            None
        }
        (Some(r), None) => LABEL_INDICATORS.iter().find(|k| **k == r).copied(),
        (None, Some(p)) => class.and_then(|m| indicator_for_packaging(m, p)),
        // rateIndicator defaults to SP (PA, its Priority Mail Express counterpart).
        (None, None) if at(c.body, &f("rateIndicator")).is_none() => {
            Some(if class == Some(PMEI) { "PA" } else { "SP" })
        }
        (None, None) => None,
    };
    c.one_of(&f("shape"), false, &["RECTANGLE"]);
    c.one_of(
        &f("processingCategory"),
        true,
        &[
            "LETTERS",
            "FLATS",
            "MACHINABLE",
            "NON_MACHINABLE",
            "NONSTANDARD",
        ],
    );
    let isc = c.one_of(
        &f("destinationEntryFacilityType"),
        true,
        &["NONE", "INTERNATIONAL_SERVICE_CENTER"],
    ) == Some("INTERNATIONAL_SERVICE_CENTER");
    c.one_of(&f("weightUOM"), false, &["lb"]);
    c.one_of(&f("dimensionsUOM"), false, &["in"]);
    let weight = c.limited(LABEL, &f("weight"), true);
    let sides: Vec<Option<f64>> = ["length", "width", "height"]
        .iter()
        .map(|s| c.limited(LABEL, &f(s), true))
        .collect();
    c.limited(LABEL, &f("girth"), false);
    c.limited(LABEL, &f("diameter"), false);
    let dims = match sides[..] {
        [Some(l), Some(w), Some(h)] => Some((l, w, h)),
        _ => None,
    };
    let mailing_date = check_mailing_date(c, &f("mailingDate"));

    let mut codes = Vec::new();
    if let Some(items) = c.list(LABEL, &f("extraServices")) {
        for item in items {
            match item
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| EXTRA_CODES.contains(n))
            {
                Some(code) => codes.push(code),
                None => c.fail(ErrorItem::field(
                    "extraServices must hold the international extra service codes.",
                    &f("extraServices"),
                )),
            }
        }
    }
    let tracking_plus = codes.iter().filter(|c| (480..=488).contains(*c)).count();
    let insurance = codes.iter().filter(|c| [930, 931].contains(*c)).count();
    if tracking_plus > 1 || insurance > 1 {
        c.fail(ErrorItem::field(
            "Only one USPS Tracking Plus and one insurance extra service may be selected per package.",
            &f("extraServices"),
        ));
    }
    if codes.contains(&955) {
        c.fail(ErrorItem::coded(
            "160010",
            "Return Receipt (955) is not available for international mail since 2025-01-19.",
            &f("extraServices"),
        ));
    }

    let po = f("packageOptions");
    c.object(&po, false);
    let value = c.limited(LABEL, &format!("{po}.packageValue"), false);
    if insurance > 0 && value.is_none() && at(c.body, &format!("{po}.packageValue")).is_none() {
        c.fail(ErrorItem::coded(
            "160017",
            "packageValue is required with insurance(extraService = 930)",
            &po,
        ));
    }
    if insurance > 0 && value.is_some_and(|v| v > MAX_INSURED_VALUE) {
        c.fail(ErrorItem::coded(
            "030012",
            "Provided value exceeds maximum allowable insurance for this price group.",
            &format!("{po}.packageValue"),
        ));
    }
    let non_delivery = c.one_of(
        &format!("{po}.nonDeliveryOption"),
        false,
        &["RETURN", "REDIRECT", "ABANDON"],
    );
    let redirect = format!("{po}.redirectAddress");
    if non_delivery == Some("REDIRECT") && at(c.body, &redirect).is_none() {
        c.fail(ErrorItem::field(
            "redirectAddress is required with nonDeliveryOption REDIRECT.",
            &redirect,
        ));
    }
    check_domestic(c, &redirect, false);
    let original = format!("{po}.originalPackage");
    if c.object(&original, false).is_some() {
        c.text(LABEL, &format!("{original}.originalTrackingNumber"), true);
        if c.text(LABEL, &format!("{original}.originalConstructCode"), true)
            .is_some()
        {
            c.one_of(
                &format!("{original}.originalConstructCode"),
                true,
                &["G01", "I01"],
            );
        }
    }
    c.boolean(&format!("{po}.generateGXEvent"));
    let immediate_manifest = c
        .boolean(&format!("{po}.immediateManifest"))
        .unwrap_or(false);
    if let Some(refs) = c.list(LABEL, &f("customerReference")) {
        for (i, reference) in refs.iter().enumerate() {
            let path = format!("{pd}.customerReference[{i}].referenceNumber");
            match reference.get("referenceNumber") {
                Some(Value::String(n)) => {
                    if let Some(why) = crate::rules::broken_text(
                        LABEL,
                        &f("customerReference[].referenceNumber"),
                        n,
                    ) {
                        c.fail(ErrorItem::field(why, &path));
                    }
                    c.printable_text(n, &path);
                }
                _ => c.fail(ErrorItem::field("referenceNumber is required.", &path)),
            }
        }
    }
    for pattern in ["inductionZIPCode", "mailOwnerMID", "logisticsManagerMID"] {
        c.text(LABEL, &f(pattern), false);
    }
    let prepay = c.boolean(&f("prepayDutiesTaxesFees")).unwrap_or(false);
    Package {
        class,
        indicator,
        isc,
        weight,
        dims,
        mailing_date,
        codes,
        value,
        immediate_manifest,
        prepay,
    }
}

/// A validated, priced international label request.
pub struct Plan {
    pub quote: Quote,
    pub extras: Vec<(u32, &'static str, &'static str, f64)>,
    pub label_address: Value,
    pub mailing_date: String,
    pub immediate_manifest: bool,
    /// Duties, taxes and fees prepaid for the recipient (`prepayDutiesTaxesFees`).
    pub prepaid: Option<f64>,
}

impl Plan {
    pub fn amount(&self) -> f64 {
        let extras: f64 = self.extras.iter().map(|e| e.3).sum();
        round2(self.quote.price + extras + self.prepaid.unwrap_or(0.0))
    }
}

fn bad(item: ErrorItem) -> ApiError {
    ApiError::bad_request(V, vec![item])
}

/// Validates a label request the way USPS does and prices it; every failure in one 400.
pub fn plan(body: &Value) -> Result<Plan, ApiError> {
    let mut c = Check::new(body, None);
    c.only(
        "",
        &[
            "imageInfo",
            "toAddress",
            "fromAddress",
            "senderAddress",
            "packageDescription",
            "customsForm",
        ],
    );
    let destination = check_addressee(&mut c);
    check_domestic(&mut c, "fromAddress", true);
    check_domestic(&mut c, "senderAddress", false);
    check_image_info(&mut c);
    let package = check_package(&mut c);
    let customs = customs::check(
        &mut c,
        package.class,
        destination.as_ref().map(|d| d.code),
        &package.codes,
    );
    c.finish(V)?;
    let (
        Some(to),
        Some(class),
        Some(indicator),
        Some(weight),
        Some(dims),
        Some(day),
        Some(customs),
    ) = (
        destination,
        package.class,
        package.indicator,
        package.weight,
        package.dims,
        package.mailing_date,
        customs,
    )
    else {
        return Err(sku_missing());
    };
    if class == PMEI && !to.express {
        return Err(bad(ErrorItem::field(
            format!("{PMEI} does not serve {}.", to.code),
            "toAddress.countryISOAlpha2Code",
        )));
    }
    let quote = services::quote(
        class,
        indicator,
        &to,
        weight,
        dims,
        Tier::CommercialBase,
        package.isc,
    )
    .map_err(|why| match why {
        Unfit::Weight(max) => bad(ErrorItem::coded(
            "160098",
            format!("Weight should be greater than 0 LB and should not exceed {max} LB"),
            "packageDescription.weight",
        )),
        Unfit::Size => bad(ErrorItem::coded(
            "160042",
            "Dimensions exceed the maximum length or size for the mail class",
            "packageDescription.length, packageDescription.width, packageDescription.height",
        )),
        Unfit::NoRate => sku_missing(),
    })?;
    let mut problems = Vec::new();
    let declared = customs.total_value();
    if let Some(max) = quote.max_value.filter(|max| declared > *max) {
        problems.push(ErrorItem::field(
            format!(
                "The contents are valued at ${declared:.2}; {} ({indicator}) takes contents worth at most ${max:.2}.",
                quote.product_name
            ),
            "customsForm.contents",
        ));
    }
    if customs.total_weight() > weight + 0.005 {
        problems.push(ErrorItem::field(
            format!(
                "The items weigh {:.3} lb together, more than the package's {weight} lb.",
                customs.total_weight()
            ),
            "customsForm.contents",
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::bad_request(V, problems));
    }
    let mut extras = Vec::new();
    for code in &package.codes {
        let (name, sku, price) =
            services::extra_service(*code, class, package.value.unwrap_or(0.0)).ok_or_else(|| {
                bad(ErrorItem::coded(
                    "160010",
                    format!("Mailclass :  {class}  with ExtraServices:  {code}  is an unsupported combination."),
                    "packageDescription.extraServices",
                ))
            })?;
        extras.push((*code, name, sku, price));
    }
    let prepaid = package.prepay.then(|| {
        super::prices::LANDED_COST_PACKAGE_FEE
            + customs
                .lines
                .iter()
                .map(|l| {
                    round2(l.value * super::prices::DUTY_RATE)
                        + round2(l.value * super::prices::TAX_RATE)
                })
                .sum::<f64>()
    });
    Ok(Plan {
        quote,
        extras,
        label_address: label_address(&body["toAddress"], to.code),
        mailing_date: day.to_string(),
        immediate_manifest: package.immediate_manifest,
        prepaid,
    })
}

fn sku_missing() -> ApiError {
    bad(ErrorItem::coded(
        "030002",
        "Could not find working sku from SSF ingredients",
        "packageDescription",
    ))
}

/// The addressee as the label prints it: upper case, the country code in capitals.
fn label_address(to: &Value, code: &str) -> Value {
    let mut out = json!({});
    for k in [
        "firstName",
        "lastName",
        "firm",
        "streetAddress",
        "secondaryAddress",
        "city",
        "postalCode",
        "province",
        "provinceISOAlpha2Code",
        "country",
        "phone",
    ] {
        if let Some(s) = to[k].as_str().map(str::trim).filter(|s| !s.is_empty()) {
            out[k] = json!(s.to_uppercase());
        }
    }
    out["countryISOAlpha2Code"] = json!(code);
    out
}

/// `InternationalLabelMetadata` for a new label.
pub fn metadata(plan: &Plan, tracking: &str, weight: f64) -> Value {
    json!({
        "labelAddress": plan.label_address,
        "internationalTrackingNumber": tracking,
        "constructCode": "I01",
        "SKU": plan.quote.sku,
        "postage": plan.quote.price.max(0.01),
        "extraServices": plan.extras.iter().map(|(code, name, sku, price)| json!({
            "serviceID": code.to_string(), "serviceName": name, "sku": sku, "price": price, "warnings": [],
        })).collect::<Vec<_>>(),
        "internationalPriceGroup": format!("{:02}", plan.quote.group),
        "weightUOM": "lb",
        "weight": round2(weight).clamp(0.01, 9999.99),
        "dimensionalWeight": format!("{:.1}", plan.quote.dim_weight),
        "mailingDate": plan.mailing_date,
        "fees": [],
    })
}

/// The label parts of a response (201 for a new label, 200 for reprints), in the media type
/// the client asked for.
pub fn label_response(
    headers: &HeaderMap,
    record: &LabelRecord,
    reprint: Option<u32>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let image_info = &record.request["imageInfo"];
    let show_postage = !image_info["suppressPostage"].as_bool().unwrap_or(false);
    let image = if image_info["imageType"].as_str() == Some("NONE") && reprint.is_none() {
        None
    } else {
        Some(super::print::label_pdf(record, show_postage))
    };
    let prepaid = record.request["packageDescription"]["prepayDutiesTaxesFees"]
        .as_bool()
        .unwrap_or(false)
        .then(|| prepaid_json(&record.request));
    let reprint_info = reprint.map(
        |n| json!({ "reprintNumber": n, "reprintLimit": super::label_changes::REPRINT_LIMIT }),
    );
    let mut resp = if pdf::wants_vendor_json(headers) {
        let mut body = if reprint.is_some() {
            json!({ "labelMetadata": record.metadata })
        } else {
            record.metadata.clone()
        };
        if let Some(img) = &image {
            body["labelImage"] = json!(pdf::b64(img));
        }
        if let (Some(p), None) = (&prepaid, reprint) {
            body["prepaidDutiesTaxesFees"] = p.clone();
        }
        if let Some(info) = reprint_info {
            body["reprintInfo"] = info;
        }
        pdf::vendor_json(body)
    } else {
        let mut parts = vec![Part::json("labelMetadata", &record.metadata)];
        if let Some(img) = &image {
            parts.push(Part::pdf("labelImage", "labelImage.pdf", img));
        }
        if let (Some(p), None) = (&prepaid, reprint) {
            parts.push(Part::json("prepaidDutiesTaxesFees", p));
        }
        if let Some(info) = reprint_info {
            parts.push(Part::json("reprintInfo", &info));
        }
        pdf::multipart(&parts)
    };
    *resp.status_mut() = status;
    Ok(resp)
}

/// The prepaid duties, taxes and fees of a stored label.
fn prepaid_json(request: &Value) -> Value {
    let items: Vec<Value> = request["customsForm"]["contents"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            let value = customs_line_value(item);
            json!({
                "itemDescription": item["itemDescription"],
                "dutyPrice": round2(value * super::prices::DUTY_RATE),
                "taxPrice": round2(value * super::prices::TAX_RATE),
            })
        })
        .collect();
    json!({ "packageFee": super::prices::LANDED_COST_PACKAGE_FEE, "itemCosts": items })
}

/// The value of one `contents` item of a stored request (total, or unit value × quantity).
pub fn customs_line_value(item: &Value) -> f64 {
    item["itemTotalValue"].as_f64().unwrap_or_else(|| {
        item["itemValue"].as_f64().unwrap_or(0.0) * item["itemQuantity"].as_f64().unwrap_or(1.0)
    })
}

/// The weight of one `contents` item of a stored request.
pub fn customs_line_weight(item: &Value) -> f64 {
    item["itemTotalWeight"].as_f64().unwrap_or_else(|| {
        item["itemWeight"].as_f64().unwrap_or(0.0) * item["itemQuantity"].as_f64().unwrap_or(1.0)
    })
}

pub async fn create(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    killer: Option<axum::Extension<ConnectionKiller>>,
    body: Bytes,
) -> Response {
    let outcome = (|| {
        let (caller, payment) = caller(
            &shared,
            &headers,
            "/international-labels/v3/international-label",
        )?;
        let key = idempotency_key(&headers)?;
        let request = json_body(&headers, &body, V)?;
        let hash = sha256_hex(canonical_json(&request).as_bytes());
        commit(&shared, &caller, &payment, key, hash, request)
    })();
    let (record, fresh) = match outcome {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    if fresh {
        let drop_it = {
            let mut st = shared.lock();
            let d = st.faults.drop_label_responses > 0;
            if d {
                st.faults.drop_label_responses -= 1;
            }
            d
        };
        if let (true, Some(axum::Extension(k))) = (drop_it, killer) {
            k.kill();
            std::future::pending::<()>().await;
        }
    }
    label_response(&headers, &record, None, StatusCode::CREATED)
        .unwrap_or_else(IntoResponse::into_response)
}

/// Buys the label under one lock: idempotency, validation, tracking number, record, charge.
fn commit(
    shared: &Shared,
    caller: &Caller,
    payment: &PaymentAuth,
    key: Option<String>,
    hash: String,
    request: Value,
) -> Result<(LabelRecord, bool), ApiError> {
    let mut st = shared.lock();
    if let Some(k) = &key
        && let Some(existing) = st
            .durable
            .idempotency
            .get(&key_slot(&payment.crid, k))
            .and_then(|t| st.durable.labels.get(t))
    {
        if existing.request_hash != hash || !is_international(existing) {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::field(
                    "The X-Idempotency-Key was already used for a different label request. Resubmit the original request or use a new key.",
                    KEY_HEADER,
                )],
            ));
        }
        return Ok((existing.clone(), false));
    }
    let plan = plan(&request)?;
    st.durable.counters.labels += 1;
    let n = st.durable.counters.labels;
    let prefix = services::service(plan.quote.mail_class).map_or("CP", |s| s.tracking_prefix);
    let tracking = s10_tracking_number(st.scenario.seed, prefix, n);
    let weight = request["packageDescription"]["weight"]
        .as_f64()
        .unwrap_or(0.0);
    let label = ChargedLabel {
        metadata: metadata(&plan, &tracking, weight),
        tracking,
        amount: plan.amount(),
        mailing_date: plan.mailing_date.clone(),
        manifested: plan.immediate_manifest,
    };
    let record = record_charged(&mut st, caller, payment, key, hash, request, label);
    shared.persist(&st);
    Ok((record, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s10_numbers_carry_their_check_digit() {
        // The UPU's worked example: AA 47312482 9 GB.
        assert_eq!(s10_check_digit("47312482"), 9);
        let t = s10_tracking_number(7, "CP", 1);
        assert_eq!(t.len(), 13);
        assert!(t.starts_with("CP") && t.ends_with("US"));
        assert_eq!(t[10..11], s10_check_digit(&t[2..10]).to_string());
        assert_eq!(t, s10_tracking_number(7, "CP", 1));
        assert_ne!(t, s10_tracking_number(7, "CP", 2));
    }
}
