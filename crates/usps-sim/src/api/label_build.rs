//! Turning a `LabelRequest` into a label: USPS's validation (the schema's limits from `rules`,
//! then the business rules with their 1600xx codes), pricing, the `LabelMetadata` document and
//! the printable label spec. Every refusal is listed in the README ("Rules enforced").

use serde_json::{Value, json};

use super::addresses::{resolve, standardize};
use super::enums::{
    DEF_TYPES, IMAGE_TYPES, LABEL_CLASSES, LABEL_TYPES, PROCESSING, RATE_INDICATORS,
    RECEIPT_OPTIONS,
};
use super::geo;
use super::validate::{Check, at};
use crate::errors::{ApiError, ErrorItem};
use crate::pricing::{self, Quote, Tier};
use crate::rules::{self, LABEL};
use crate::state::records::Business;

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

/// Address lines, names and city: what the label prints.
const PRINTED: &[&str] = &[
    "firstName",
    "lastName",
    "firm",
    "streetAddress",
    "secondaryAddress",
    "city",
    "urbanization",
];

/// An address of the request: the schema's lengths and patterns (`rules`), Latin text on what
/// is printed, and for the addressee and sender a person's name or a firm.
fn check_address(c: &mut Check, path: &str, required: bool) {
    let Some(obj) = c.object(path, required) else {
        return;
    };
    let f = |name: &str| format!("{path}.{name}");
    c.text(LABEL, &f("streetAddress"), true);
    c.text(LABEL, &f("secondaryAddress"), false);
    c.text(LABEL, &f("city"), true);
    c.text(LABEL, &f("state"), true);
    let invalid_zip = ErrorItem::coded("160119", "ZIP Code is not valid", path);
    c.text_or(LABEL, &f("ZIPCode"), true, Some(invalid_zip));
    for optional in [
        "ZIPPlus4",
        "urbanization",
        "firstName",
        "lastName",
        "firm",
        "phone",
        "email",
        "facilityId",
        "platformUserId",
    ] {
        c.text(LABEL, &f(optional), false);
    }
    for printed in PRINTED {
        c.printable(&f(printed));
    }
    c.boolean(&f("ignoreBadAddress"));
    let named = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
    };
    let needs_name = matches!(path, "toAddress" | "fromAddress");
    if needs_name && !(named("firm") || (named("firstName") && named("lastName"))) {
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

/// The day of a `mailingDate`: an RFC 3339 full-date, or a date-time read in its own offset.
fn mailing_day(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .ok()
        .or_else(|| {
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(|t| t.date())
        })
}

/// The rate indicator a `packagingType` stands for, when the request describes the package
/// by shape and packaging instead of naming one.
fn indicator_for_packaging(packaging: &str) -> Option<&'static str> {
    Some(match packaging {
        "VARIABLE" => "SP",
        "FLAT_RATE_ENVELOPE" => "FE",
        "LEGAL_FLAT_RATE_ENVELOPE" => "FA",
        "PADDED_FLAT_RATE_ENVELOPE" => "FP",
        "SM_FLAT_RATE_BOX" => "FS",
        "MD_FLAT_RATE_BOX" => "FB",
        "LG_FLAT_RATE_BOX" => "PL",
        "CUBIC_PARCELS" => "CP",
        _ => return None,
    })
}

const SHAPES: &[&str] = &["RECTANGULAR", "NON_RECTANGULAR"];
const PACKAGING_TYPES: &[&str] = &[
    "VARIABLE",
    "5-DIGIT_PRESORT",
    "BASIC_PRESORT",
    "FLAT_RATE_ENVELOPE",
    "LEGAL_FLAT_RATE_ENVELOPE",
    "PADDED_FLAT_RATE_ENVELOPE",
    "SM_FLAT_RATE_BOX",
    "MD_FLAT_RATE_BOX",
    "LG_FLAT_RATE_BOX",
    "CUBIC_PARCELS",
    "CUBIC_SOFT_PACK",
    "CONNECT_LOCAL_FLAT_RATE_BOX",
    "CONNECT_LOCAL_SMALL_FLAT_RATE_BAG",
    "CONNECT_LOCAL_LARGE_FLAT_RATE_BAG",
];

/// Insurance USPS sells on a domestic package, at most (extra services 930/931).
pub const MAX_INSURED_VALUE: f64 = 5000.0;

/// Length plus girth a mail class accepts, in inches: 130 for the ground products, 108 for
/// the others.
pub fn max_length_plus_girth(mail_class: &str) -> f64 {
    match mail_class {
        "USPS_GROUND_ADVANTAGE"
        | "PARCEL_SELECT"
        | "PARCEL_SELECT_LIGHTWEIGHT"
        | "USPS_RETAIL_GROUND" => 130.0,
        _ => 108.0,
    }
}

/// Length (the longest side) plus girth (around the other two), or the given girth.
pub fn length_plus_girth(dims: (f64, f64, f64), girth: Option<f64>) -> f64 {
    let mut sides = [dims.0, dims.1, dims.2];
    sides.sort_by(f64::total_cmp);
    sides[2] + girth.unwrap_or(2.0 * (sides[0] + sides[1]))
}

/// The package: its class and rate ingredients, weight and dimensions within USPS's ranges,
/// mailing date, extra services and options. Returns what pricing needs.
struct Package {
    class: Option<String>,
    indicator: Option<&'static str>,
    weight: Option<f64>,
    dims: (f64, f64, f64),
    mailing_date: Option<time::Date>,
    codes: Vec<u32>,
    package_value: Option<f64>,
    immediate_manifest: bool,
}

fn check_package(c: &mut Check, body: &Value) -> Package {
    let pd = "packageDescription";
    let f = |name: &str| format!("{pd}.{name}");
    c.object(pd, true);
    let class = c.string(&f("mailClass"), true).map(str::to_string);
    if let Some(m) = class.as_deref().filter(|m| !LABEL_CLASSES.contains(m)) {
        c.fail(ErrorItem::coded(
            "160090",
            format!("{m} is not a valid mailClass"),
            "packageDescription.mailClass",
        ));
    }
    let ri = c.string(&f("rateIndicator"), false);
    let shape = c.one_of(&f("shape"), false, SHAPES);
    let packaging = c.one_of(&f("packagingType"), false, PACKAGING_TYPES);
    let described = at(body, "packageDescription.shape").is_some()
        || at(body, "packageDescription.packagingType").is_some();
    let mut indicator = None;
    match (ri, described) {
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
        (Some(r), false) => match RATE_INDICATORS.iter().find(|known| **known == r) {
            Some(known) => indicator = Some(*known),
            None => c.fail(ErrorItem::field(
                "rateIndicator is not valid.",
                "packageDescription.rateIndicator",
            )),
        },
        (None, true) => match (shape, packaging) {
            (Some(_), Some(p)) => match indicator_for_packaging(p) {
                Some(i) => indicator = Some(i),
                None => c.fail(ErrorItem::coded(
                    "030002",
                    "Could not find working sku from SSF ingredients",
                    "packageDescription",
                )),
            },
            _ if at(body, "packageDescription.shape").is_none()
                || at(body, "packageDescription.packagingType").is_none() =>
            {
                c.fail(ErrorItem::coded(
                    "160285",
                    "either rateIndicator or shape and packagingType are required",
                    "packageDescription.rateIndicator",
                ))
            }
            _ => {}
        },
    }
    c.one_of(&f("processingCategory"), true, PROCESSING);
    c.one_of(&f("destinationEntryFacilityType"), true, DEF_TYPES);
    c.one_of(&f("weightUOM"), false, &["lb"]);
    c.one_of(&f("dimensionsUOM"), false, &["in"]);

    let ceiling = class
        .as_deref()
        .and_then(pricing::class_info)
        .map_or(70.0, |i| i.max_weight_lb);
    let weight = c.number(&f("weight"), true);
    let weight = match weight {
        Some(w) if rules::broken_number(LABEL, &f("weight"), w).is_none() && w <= ceiling => {
            Some(w)
        }
        Some(_) => {
            c.fail(ErrorItem::coded(
                "160098",
                format!("Weight should be greater than 0 LB and should not exceed {ceiling} LB"),
                "packageDescription.weight",
            ));
            None
        }
        None => None,
    };

    let sides: Vec<Option<f64>> = ["length", "width", "height"]
        .iter()
        .map(|d| c.number(&f(d), true))
        .collect();
    let girth = c.limited(LABEL, &f("girth"), false);
    let mut dims = (0.0, 0.0, 0.0);
    if let [Some(l), Some(w), Some(h)] = sides[..] {
        let all_zero = l == 0.0 && w == 0.0 && h == 0.0;
        let each_above = ["length", "width", "height"]
            .iter()
            .zip([l, w, h])
            .all(|(d, n)| rules::broken_number(LABEL, &f(d), n).is_none());
        if !(all_zero || each_above) {
            c.fail(ErrorItem::coded(
                "160294",
                "length, width, and height must either be all zero or greater than zero",
                "packageDescription.length, packageDescription.width, packageDescription.height",
            ));
        } else if let Some(class) = class.as_deref() {
            let max = max_length_plus_girth(class);
            if length_plus_girth((l, w, h), girth) > max {
                c.fail(ErrorItem::coded(
                    "160042",
                    format!("Dimensions cannot exceed overall {max} inches"),
                    "packageDescription.length, packageDescription.girth, packageDescription.mailClass",
                ));
            } else {
                dims = (l, w, h);
            }
        }
    }

    let mailing_date = c.string(&f("mailingDate"), true).and_then(|d| {
        match mailing_day(d) {
            None => c.fail(ErrorItem::coded(
                "160092",
                "unable to parse mailingDate",
                "packageDescription.mailingDate",
            )),
            Some(day) if !super::validate::date_in_window(day, 7) => c.fail(ErrorItem::coded(
                "160001",
                "cannot be in the past or more than 45 days in the future",
                "packageDescription.mailingDate",
            )),
            Some(day) => return Some(day),
        }
        None
    });

    let mut codes = Vec::new();
    if let Some(items) = c.list(LABEL, &f("extraServices")) {
        for item in items {
            match item.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(code) => codes.push(code),
                None => c.fail(ErrorItem::field(
                    "extraServices must hold integer extra service codes.",
                    "packageDescription.extraServices",
                )),
            }
        }
    }
    c.object(&f("packageOptions"), false);
    let package_value = c.limited(LABEL, &f("packageOptions.packageValue"), false);
    let insured = codes.iter().any(|c| [930, 931, 925].contains(c));
    if insured && at(body, "packageDescription.packageOptions.packageValue").is_none() {
        c.fail(ErrorItem::coded(
            "160017",
            "packageValue is required with insurance(extraService = 930)",
            "packageDescription/packageOptions",
        ));
    }
    if insured && package_value.is_some_and(|v| v > MAX_INSURED_VALUE) {
        c.fail(ErrorItem::coded(
            "030012",
            "Provided value exceeds maximum allowable insurance for this price group.",
            "packageDescription.packageOptions.packageValue",
        ));
    }
    let immediate_manifest = c
        .boolean("packageDescription.packageOptions.immediateManifest")
        .unwrap_or(false);
    if let Some(refs) = c.list(LABEL, &f("customerReference")) {
        for (i, reference) in refs.iter().enumerate() {
            let path = format!("{pd}.customerReference[{i}].referenceNumber");
            let Some(Value::String(n)) = reference.get("referenceNumber") else {
                c.fail(ErrorItem::field("referenceNumber is required.", &path));
                continue;
            };
            if let Some(why) =
                rules::broken_text(LABEL, &f("customerReference[].referenceNumber"), n)
            {
                c.fail(ErrorItem::field(why, &path));
            }
            c.printable_text(n, &path);
        }
    }
    for pattern in ["inductionZIPCode", "mailOwnerMID", "logisticsManagerMID"] {
        c.text(LABEL, &f(pattern), false);
    }
    Package {
        class,
        indicator,
        weight,
        dims,
        mailing_date,
        codes,
        package_value,
        immediate_manifest,
    }
}

/// `imageInfo`: enums, and page numbers 1–9999 given together, the page within the total.
fn check_image_info(c: &mut Check) -> String {
    c.object("imageInfo", false);
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
    let number = c.whole(LABEL, "imageInfo.packageNumber", false);
    let total = c.whole(LABEL, "imageInfo.totalPackages", false);
    let given = |p: &str| at(c.body, p).is_some();
    if given("imageInfo.packageNumber") != given("imageInfo.totalPackages") {
        c.fail(ErrorItem::coded(
            "160292",
            "must include both packageNumber and totalPackages",
            "imageInfo.packageNumber imageInfo.totalPackages",
        ));
    }
    if let (Some(n), Some(t)) = (number, total)
        && n > t
    {
        c.fail(ErrorItem::coded(
            "160293",
            "cannot exceed totalPackages",
            "imageInfo.packageNumber",
        ));
    }
    image_type
}

/// The prices a label is charged at: published commercial ones, or (the payment authorization
/// named a `RATE_HOLDER`) the contract of that business.
#[derive(Clone, Copy)]
pub enum LabelPricing<'a> {
    Commercial,
    RateHolder(&'a Business),
}

/// USPS's refusal of a label whose `RATE_HOLDER` holds no contract for its mail class.
fn no_contract(mail_class: &str) -> ApiError {
    ApiError::bad_request(
        V,
        vec![ErrorItem::coded(
            "160255",
            format!(
                "An approved contract could not be found for {mail_class}. Please contact a sales representative."
            ),
            "packageDescription.mailClass",
        )],
    )
}

/// Validates a label request the way USPS does; returns all failures in one 400.
/// `PARCEL_SELECT` without a destination entry facility is converted to (and priced as) USPS
/// Ground Advantage.
pub fn plan(body: &Value, seed: u64, pricing: LabelPricing<'_>) -> Result<Plan, ApiError> {
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
    check_address(&mut c, "toAddress", true);
    check_address(&mut c, "fromAddress", true);
    check_address(&mut c, "senderAddress", false);
    check_address(&mut c, "returnAddress", false);
    check_image_info(&mut c);
    let package = check_package(&mut c, body);
    c.finish(V)?;
    let (Some(mail_class), Some(ri), Some(weight), Some(mailing_day)) = (
        package.class,
        package.indicator,
        package.weight,
        package.mailing_date,
    ) else {
        // Validation passed yet something is missing: answered, never a panic.
        return Err(sku_missing());
    };
    let destination_entry = at(body, "packageDescription.destinationEntryFacilityType")
        .and_then(Value::as_str)
        .unwrap_or("NONE");
    let mail_class = super::prices::converted_class(&mail_class, destination_entry).to_string();
    let tier = match pricing {
        LabelPricing::Commercial => Tier::Commercial,
        LabelPricing::RateHolder(business) => match business.contract_for(&mail_class) {
            Some(_) => Tier::Contract,
            None => return Err(no_contract(&mail_class)),
        },
    };

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
    let zone = geo::zone(
        from["ZIPCode"].as_str().unwrap_or_default(),
        to["ZIPCode"].as_str().unwrap_or_default(),
    )
    .unwrap_or(8);
    let quote = pricing::quote(&mail_class, ri, zone, weight, package.dims, tier)
        .ok_or_else(sku_missing)?;
    let mut extras = Vec::new();
    for code in package.codes.iter().chain(std::iter::once(&920)) {
        if extras.iter().any(|e: &(u32, &str, f64)| e.0 == *code) {
            continue;
        }
        let (name, price) = pricing::extra_service(*code, package.package_value.unwrap_or(0.0)).ok_or_else(|| {
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
        mailing_date: mailing_day.to_string(),
        immediate_manifest: package.immediate_manifest,
    })
}

fn sku_missing() -> ApiError {
    ApiError::bad_request(
        V,
        vec![ErrorItem::coded(
            "030002",
            "Could not find working sku from SSF ingredients",
            "packageDescription",
        )],
    )
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
