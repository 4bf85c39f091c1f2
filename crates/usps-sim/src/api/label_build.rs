//! Turning a `LabelRequest` into a label: USPS's validation (schema, then rules, with the
//! 1600xx codes), pricing, the `LabelMetadata` document and the printable label spec.

use serde_json::{Value, json};

use super::addresses::{resolve, standardize};
use super::enums::{
    DEF_TYPES, IMAGE_TYPES, LABEL_CLASSES, LABEL_TYPES, PROCESSING, RATE_INDICATORS,
    RECEIPT_OPTIONS, STATES,
};
use super::geo;
use super::validate::{Check, at, digits};
use crate::errors::{ApiError, ErrorItem};
use crate::pricing::{self, Quote, Tier};

const V: &str = "/labels/v3";
/// A validated, priced label request.
pub struct Plan {
    pub to: Value,
    pub to_zip: String,
    pub to_plus4: String,
    pub quote: Quote,
    pub extras: Vec<(u32, &'static str, f64)>,
    pub weight: f64,
    pub mailing_date: String,
    pub immediate_manifest: bool,
}

impl Plan {
    pub fn amount(&self) -> f64 {
        let total = self.quote.price + self.extras.iter().map(|e| e.2).sum::<f64>();
        (total * 100.0).round() / 100.0
    }
}

fn check_address(c: &mut Check, path: &str) {
    let Some(obj) = c.object(path, true) else {
        return;
    };
    c.string(&format!("{path}.streetAddress"), true);
    c.string(&format!("{path}.city"), true);
    c.one_of(&format!("{path}.state"), true, STATES);
    let zip_path = format!("{path}.ZIPCode");
    c.shaped(
        &zip_path,
        true,
        geo::is_zip5,
        ErrorItem::coded("160119", "ZIP Code is not valid", path),
    );
    c.shaped(
        &format!("{path}.ZIPPlus4"),
        false,
        |s| digits(s, &[4]),
        ErrorItem::field("ZIPPlus4 must be 4 digits.", &format!("{path}.ZIPPlus4")),
    );
    let named = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
    };
    if !(named("firm") || (named("firstName") && named("lastName"))) {
        c.fail(ErrorItem::coded(
            "160075",
            "firstName and lastName or firm name are required",
            path,
        ));
    }
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// Validates a label request the way USPS does; returns all failures in one 400.
pub fn plan(body: &Value, seed: u64) -> Result<Plan, ApiError> {
    let mut c = Check::new(body, None);
    c.only(
        "",
        &[
            "imageInfo",
            "toAddress",
            "fromAddress",
            "senderAddress",
            "returnAddress",
            "packageDescription",
            "customsForm",
        ],
    );
    check_address(&mut c, "toAddress");
    check_address(&mut c, "fromAddress");
    let image_type = c
        .one_of("imageInfo.imageType", false, IMAGE_TYPES)
        .unwrap_or("PDF")
        .to_string();
    c.one_of("imageInfo.labelType", false, LABEL_TYPES);
    c.one_of("imageInfo.receiptOption", false, RECEIPT_OPTIONS);
    c.boolean("imageInfo.suppressPostage");
    if !matches!(image_type.as_str(), "PDF" | "NONE") {
        c.fail(ErrorItem::field(
            format!("imageType {image_type} is not available in the simulator; use PDF or NONE."),
            "imageInfo.imageType",
        ));
    }
    let pd = "packageDescription";
    c.object(pd, true);
    let class = c.string(&format!("{pd}.mailClass"), true);
    if let Some(m) = class.filter(|m| !LABEL_CLASSES.contains(m)) {
        c.fail(ErrorItem::coded(
            "160090",
            format!("{m} is not a valid mailClass"),
            "packageDescription.mailClass",
        ));
    }
    let ri = c.string(&format!("{pd}.rateIndicator"), false);
    let shape = at(body, "packageDescription.shape").is_some()
        || at(body, "packageDescription.packagingType").is_some();
    match (ri, shape) {
        (Some(_), true) => c.fail(ErrorItem::coded(
            "160284",
            "cannot include shape or packagingType with rateIndicator",
            "packageDescription.rateIndicator",
        )),
        (None, false) => c.fail(ErrorItem::coded(
            "160285",
            "either rateIndicator or shape and packagingType are required",
            "packageDescription.rateIndicator",
        )),
        (Some(r), false) if !RATE_INDICATORS.contains(&r) => c.fail(ErrorItem::field(
            "rateIndicator is not valid.",
            "packageDescription.rateIndicator",
        )),
        _ => {}
    }
    c.one_of(&format!("{pd}.processingCategory"), true, PROCESSING);
    c.one_of(
        &format!("{pd}.destinationEntryFacilityType"),
        true,
        DEF_TYPES,
    );
    c.one_of(&format!("{pd}.weightUOM"), false, &["lb"]);
    c.one_of(&format!("{pd}.dimensionsUOM"), false, &["in"]);
    let weight = c.number(&format!("{pd}.weight"), true);
    if weight.is_some_and(|w| w <= 0.0 || w > 70.0) {
        c.fail(ErrorItem::coded(
            "160098",
            "Weight should be greater than 0 LB and should not exceed 70 LB",
            "packageDescription.weight",
        ));
    }
    let dims: Vec<Option<f64>> = ["length", "width", "height"]
        .iter()
        .map(|d| c.number(&format!("{pd}.{d}"), false))
        .collect();
    let given = dims.iter().filter(|d| d.is_some_and(|x| x > 0.0)).count();
    if given != 0 && given != 3 {
        c.fail(ErrorItem::coded(
            "160294",
            "length, width, and height must either be all zero or greater than zero",
            "packageDescription.length",
        ));
    }
    let mailing_date = c
        .string(&format!("{pd}.mailingDate"), true)
        .map(str::to_string);
    if let Some(d) = &mailing_date {
        let day = d.get(..10).unwrap_or(d);
        match time::Date::parse(
            day,
            time::macros::format_description!("[year]-[month]-[day]"),
        ) {
            Err(_) => c.fail(ErrorItem::coded(
                "160092",
                "unable to parse mailingDate",
                "packageDescription.mailingDate",
            )),
            Ok(date) if !super::validate::date_in_window(date, 7) => c.fail(ErrorItem::coded(
                "160001",
                "cannot be in the past or more than 45 days in the future",
                "packageDescription.mailingDate",
            )),
            Ok(_) => {}
        }
    }
    let mut codes = Vec::new();
    match at(body, "packageDescription.extraServices") {
        Some(Value::Array(items)) if items.len() <= 5 => {
            codes.extend(items.iter().filter_map(Value::as_u64).map(|c| c as u32))
        }
        Some(_) => c.fail(ErrorItem::field(
            "extraServices must be an array of at most 5 codes.",
            "packageDescription.extraServices",
        )),
        None => {}
    }
    let package_value = c.number("packageDescription.packageOptions.packageValue", false);
    if codes.iter().any(|c| [930, 931, 925].contains(c)) && package_value.is_none() {
        c.fail(ErrorItem::coded(
            "160017",
            "packageValue is required with insurance(extraService = 930)",
            "packageDescription/packageOptions",
        ));
    }
    let immediate_manifest = c
        .boolean("packageDescription.packageOptions.immediateManifest")
        .unwrap_or(false);
    c.finish(V)?;

    let text = |p: &str| {
        at(body, p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let to_state = text("toAddress.state");
    if ["AA", "AE", "AP"].contains(&to_state.as_str()) && at(body, "customsForm").is_none() {
        return Err(ApiError::bad_request(
            V,
            vec![ErrorItem::coded(
                "160120",
                "Military ZIP Code requires a customs form",
                "toAddress",
            )],
        ));
    }
    let to = standardized(body, "toAddress", seed)?;
    let from = standardized(body, "fromAddress", seed)?;
    let mail_class = class.expect("validated").to_string();
    let ri = ri.expect("validated");
    let zone = geo::zone(
        from["ZIPCode"].as_str().unwrap_or_default(),
        to["ZIPCode"].as_str().unwrap_or_default(),
    )
    .unwrap_or(8);
    let weight = weight.expect("validated");
    let dims = (
        dims[0].unwrap_or(0.0),
        dims[1].unwrap_or(0.0),
        dims[2].unwrap_or(0.0),
    );
    let sku_missing = || {
        ApiError::bad_request(
            V,
            vec![ErrorItem::coded(
                "030002",
                "Could not find working sku from SSF ingredients",
                "packageDescription",
            )],
        )
    };
    let quote = pricing::quote(&mail_class, ri, zone, weight, dims, Tier::Commercial)
        .ok_or_else(sku_missing)?;
    let mut extras = Vec::new();
    for code in codes.iter().chain(std::iter::once(&920)) {
        if extras.iter().any(|e: &(u32, &str, f64)| e.0 == *code) {
            continue;
        }
        let (name, price) = pricing::extra_service(*code, package_value.unwrap_or(0.0)).ok_or_else(|| {
            ApiError::bad_request(V, vec![ErrorItem::coded("160010",
                format!("Mailclass :  {mail_class}  with ExtraServices:  {code}  is an unsupported combination."),
                "packageDescription.extraServices")])
        })?;
        extras.push((*code, name, price));
    }
    Ok(Plan {
        to_zip: to["ZIPCode"].as_str().unwrap_or_default().to_string(),
        to_plus4: to["ZIPPlus4"].as_str().unwrap_or_default().to_string(),
        to,
        quote,
        extras,
        weight,
        mailing_date: mailing_date.expect("validated")[..10].to_string(),
        immediate_manifest,
    })
}

/// The address as USPS prints it (upper case, abbreviations, ZIP+4), or 010005 when it does
/// not exist and `ignoreBadAddress` is not set.
fn standardized(body: &Value, path: &str, seed: u64) -> Result<Value, ApiError> {
    let a = &body[path];
    let s = |k: &str| a[k].as_str().unwrap_or_default();
    let ignore = a["ignoreBadAddress"].as_bool().unwrap_or(false);
    let mut out = json!({});
    for k in ["firstName", "lastName", "firm"] {
        if !s(k).is_empty() {
            out[k] = json!(s(k).to_ascii_uppercase());
        }
    }
    match resolve(
        seed,
        s("streetAddress"),
        s("secondaryAddress"),
        s("city"),
        s("state"),
        s("ZIPCode"),
    ) {
        Ok(m) => {
            out["streetAddress"] = json!(m.street);
            if !m.secondary.is_empty() {
                out["secondaryAddress"] = json!(m.secondary);
            }
            out["city"] = json!(m.city);
            out["state"] = json!(m.state);
            out["ZIPCode"] = json!(m.zip);
            out["ZIPPlus4"] = json!(if s("ZIPPlus4").is_empty() {
                m.plus4
            } else {
                s("ZIPPlus4").to_string()
            });
        }
        Err(_) if ignore => {
            out["streetAddress"] = json!(standardize(s("streetAddress")));
            if !s("secondaryAddress").is_empty() {
                out["secondaryAddress"] = json!(standardize(s("secondaryAddress")));
            }
            out["city"] = json!(standardize(s("city")));
            out["state"] = json!(s("state"));
            out["ZIPCode"] = json!(s("ZIPCode"));
            if !s("ZIPPlus4").is_empty() {
                out["ZIPPlus4"] = json!(s("ZIPPlus4"));
            }
        }
        Err(_) => {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::coded("010005", "Address Not Found", path)],
            ));
        }
    }
    out["ignoreBadAddress"] = json!(ignore);
    Ok(out)
}

/// `LabelMetadata` for a new label.
pub fn metadata(plan: &Plan, tracking: &str) -> Value {
    let mailing = time::Date::parse(
        &plan.mailing_date,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap_or_else(|_| today());
    let delivery = mailing + time::Duration::days(i64::from(plan.quote.days));
    let days = plan.quote.days;
    json!({
        "labelAddress": plan.to,
        "routingInformation": format!("420{}{}", plan.to_zip, plan.to_plus4),
        "trackingNumber": tracking,
        "constructCode": "C01",
        "SKU": plan.quote.sku,
        "postage": plan.quote.price,
        "extraServices": plan.extras.iter().map(|(code, name, price)| json!({
            "name": name, "SKU": format!("DX{code}XXXXXX0000"), "price": price, "warnings": [],
        })).collect::<Vec<_>>(),
        "serviceTypeCode": plan.quote.service_type_code,
        "zone": format!("{:02}", plan.quote.zone),
        "mailingDate": format!("{}T22:00:00Z", plan.mailing_date),
        "commitment": {
            "name": if days == 1 { "1 Day".to_string() } else { format!("{days} Days") },
            "scheduleDeliveryDate": delivery.to_string(),
            "expectedDeliveryDate": delivery.to_string(),
        },
        "weightUOM": "LB",
        "weight": plan.weight,
        "dimensionalWeight": plan.quote.dim_weight,
        "fees": [],
        "bannerText": "USPS TRACKING # USPS Ship",
        "retailDistributionCode": "03",
        "links": [{
            "rel": ["Tracking URL"],
            "href": format!("https://tools.usps.com/go/TrackConfirmAction_input?origTrackNum={tracking}"),
            "method": "GET",
        }],
    })
}
