//! One case per input rule the simulator enforces (the README's "Rules enforced"): the request
//! a real client could send, what USPS answers, and no label sold when it is refused.

mod common;

use common::*;
use serde_json::{Value, json};

/// What a refused request must carry: an error item with this code (`None`: no code, a
/// schema-level refusal) and `source.parameter`, and a detail containing `detail`.
struct Refused {
    code: Option<&'static str>,
    parameter: &'static str,
    detail: &'static str,
}

const fn refused(
    code: Option<&'static str>,
    parameter: &'static str,
    detail: &'static str,
) -> Refused {
    Refused {
        code,
        parameter,
        detail,
    }
}

fn check(case: &str, r: &Resp, expected: &Option<Refused>) {
    match expected {
        None => assert_eq!(r.status, 200, "{case}: {}", r.text),
        Some(want) => {
            assert_eq!(r.status, 400, "{case}: {}", r.text);
            let items = r.json["error"]["errors"].as_array().unwrap();
            let found = items.iter().any(|i| {
                i["code"].as_str() == want.code
                    && i["source"]["parameter"] == want.parameter
                    && i["detail"].as_str().unwrap_or("").contains(want.detail)
            });
            assert!(
                found,
                "{case}: no item with code {:?}, parameter {}, detail ~{:?} in {}",
                want.code, want.parameter, want.detail, r.text
            );
        }
    }
}

type Mutation = Box<dyn Fn(&mut Value)>;

fn set(path: &'static str, value: Value) -> Mutation {
    Box::new(move |body: &mut Value| {
        let mut at = body;
        let steps: Vec<&str> = path.split('.').collect();
        for step in &steps[..steps.len() - 1] {
            at = &mut at[*step];
        }
        at[steps[steps.len() - 1]] = value.clone();
    })
}

fn remove(path: &'static str) -> Mutation {
    Box::new(move |body: &mut Value| {
        let (parent, leaf) = path.rsplit_once('.').unwrap_or(("", path));
        let mut at = body;
        for step in parent.split('.').filter(|s| !s.is_empty()) {
            at = &mut at[step];
        }
        at.as_object_mut().unwrap().remove(leaf);
    })
}

fn both(a: Mutation, b: Mutation) -> Mutation {
    Box::new(move |body: &mut Value| {
        a(body);
        b(body);
    })
}

fn long(n: usize) -> Value {
    json!("A".repeat(n))
}

#[tokio::test]
async fn label_requests_are_held_to_usps_rules() {
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    let size = |max| match max {
        28 => "size must be between 1 and 28",
        30 => "size must be between 1 and 30",
        96 => "size must be between 0 and 96",
        7 => "size must be between 0 and 7",
        _ => "size must be between",
    };
    let latin = "cannot be printed on a label";
    let today = today();
    let cases: Vec<(&str, Mutation, Option<Refused>)> = vec![
        // Lengths from the schema (characters, not bytes).
        (
            "street 50",
            set(
                "toAddress.streetAddress",
                json!(format!("1 {}", "B".repeat(48))),
            ),
            None,
        ),
        (
            "street 51",
            set("toAddress.streetAddress", long(51)),
            Some(refused(
                None,
                "toAddress.streetAddress",
                "size must be between 1 and 50",
            )),
        ),
        (
            "street 300000",
            set("toAddress.streetAddress", long(300_000)),
            Some(refused(
                None,
                "toAddress.streetAddress",
                "size must be between 1 and 50",
            )),
        ),
        (
            "street empty",
            set("fromAddress.streetAddress", json!("")),
            Some(refused(
                None,
                "fromAddress.streetAddress",
                "size must be between 1 and 50",
            )),
        ),
        (
            "secondary 51",
            set("toAddress.secondaryAddress", long(51)),
            Some(refused(
                None,
                "toAddress.secondaryAddress",
                "size must be between 0 and 50",
            )),
        ),
        (
            "city 29",
            set("toAddress.city", long(29)),
            Some(refused(None, "toAddress.city", size(28))),
        ),
        (
            "first name 51",
            set("fromAddress.firstName", long(51)),
            Some(refused(
                None,
                "fromAddress.firstName",
                "size must be between 1 and 50",
            )),
        ),
        (
            "last name 51",
            set("toAddress.lastName", long(51)),
            Some(refused(
                None,
                "toAddress.lastName",
                "size must be between 1 and 50",
            )),
        ),
        (
            "firm 51",
            set("toAddress.firm", long(51)),
            Some(refused(
                None,
                "toAddress.firm",
                "size must be between 0 and 50",
            )),
        ),
        (
            "urbanization 97",
            set("toAddress.urbanization", long(97)),
            Some(refused(None, "toAddress.urbanization", size(96))),
        ),
        (
            "facility id 8",
            set("toAddress.facilityId", long(8)),
            Some(refused(None, "toAddress.facilityId", size(7))),
        ),
        (
            "50 accented letters",
            set("toAddress.lastName", json!("\u{e9}".repeat(50))),
            None,
        ),
        // Patterns from the schema.
        (
            "ZIP 4 digits",
            set("toAddress.ZIPCode", json!("6311")),
            Some(refused(
                Some("160119"),
                "toAddress",
                "ZIP Code is not valid",
            )),
        ),
        (
            "ZIP+4 in ZIPCode",
            set("fromAddress.ZIPCode", json!("63116-1234")),
            Some(refused(
                Some("160119"),
                "fromAddress",
                "ZIP Code is not valid",
            )),
        ),
        (
            "ZIP multibyte",
            set("toAddress.ZIPCode", json!("9\u{e9}210")),
            Some(refused(
                Some("160119"),
                "toAddress",
                "ZIP Code is not valid",
            )),
        ),
        (
            "ZIPPlus4 letters",
            set("toAddress.ZIPPlus4", json!("12a4")),
            Some(refused(None, "toAddress.ZIPPlus4", "must match")),
        ),
        (
            "state unknown",
            set("toAddress.state", json!("XX")),
            Some(refused(None, "toAddress.state", "must match")),
        ),
        (
            "state lower case",
            set("fromAddress.state", json!("mo")),
            Some(refused(None, "fromAddress.state", "must match")),
        ),
        (
            "phone punctuated",
            set("toAddress.phone", json!("314-555-0100")),
            Some(refused(None, "toAddress.phone", "must match")),
        ),
        (
            "phone digits",
            set("toAddress.phone", json!("3145550100")),
            None,
        ),
        (
            "email no TLD",
            set("toAddress.email", json!("joe@example")),
            Some(refused(None, "toAddress.email", "must match")),
        ),
        (
            "email 51",
            set(
                "toAddress.email",
                json!(format!("{}@example.com", "j".repeat(39))),
            ),
            Some(refused(
                None,
                "toAddress.email",
                "size must be between 0 and 50",
            )),
        ),
        (
            "email ok",
            set("toAddress.email", json!("joe.doe@example.com")),
            None,
        ),
        // Character set of printed fields.
        (
            "accented Latin",
            set(
                "toAddress.lastName",
                json!("M\u{fc}ller-\u{141}\u{f3}d\u{17a}"),
            ),
            None,
        ),
        (
            "Cyrillic name",
            set(
                "toAddress.lastName",
                json!("\u{41c}\u{44e}\u{43b}\u{43b}\u{435}\u{440}"),
            ),
            Some(refused(None, "toAddress.lastName", latin)),
        ),
        (
            "CJK city",
            set("toAddress.city", json!("\u{6771}\u{4eac}")),
            Some(refused(None, "toAddress.city", latin)),
        ),
        (
            "emoji firm",
            set("fromAddress.firm", json!("Box \u{1F4E6}")),
            Some(refused(None, "fromAddress.firm", latin)),
        ),
        (
            "line break in street",
            set("toAddress.streetAddress", json!("1100 Wyoming\nSt")),
            Some(refused(None, "toAddress.streetAddress", latin)),
        ),
        // Names.
        (
            "no name or firm",
            both(remove("toAddress.firstName"), remove("toAddress.lastName")),
            Some(refused(
                Some("160075"),
                "toAddress",
                "firm name are required",
            )),
        ),
        (
            "firm only",
            both(
                both(remove("toAddress.firstName"), remove("toAddress.lastName")),
                set("toAddress.firm", json!("ACME")),
            ),
            None,
        ),
        // Weight: above zero, within the class's ceiling, finite.
        (
            "weight 0",
            set("packageDescription.weight", json!(0)),
            Some(refused(
                Some("160098"),
                "packageDescription.weight",
                "should not exceed 70 LB",
            )),
        ),
        (
            "weight negative",
            set("packageDescription.weight", json!(-1)),
            Some(refused(
                Some("160098"),
                "packageDescription.weight",
                "greater than 0 LB",
            )),
        ),
        (
            "weight 70.1",
            set("packageDescription.weight", json!(70.1)),
            Some(refused(
                Some("160098"),
                "packageDescription.weight",
                "should not exceed 70 LB",
            )),
        ),
        (
            "weight absurd",
            set("packageDescription.weight", json!(1e300)),
            Some(refused(
                Some("160098"),
                "packageDescription.weight",
                "70 LB",
            )),
        ),
        (
            "weight as text",
            set("packageDescription.weight", json!("2")),
            Some(refused(
                None,
                "packageDescription.weight",
                "must be a number",
            )),
        ),
        (
            "BPM 16 lb",
            both(
                set(
                    "packageDescription.mailClass",
                    json!("BOUND_PRINTED_MATTER"),
                ),
                set("packageDescription.weight", json!(16)),
            ),
            Some(refused(
                Some("160098"),
                "packageDescription.weight",
                "should not exceed 15 LB",
            )),
        ),
        // Dimensions: all zero or all above zero, length plus girth within the class's limit.
        (
            "length negative",
            set("packageDescription.length", json!(-9)),
            Some(refused(
                Some("160294"),
                "packageDescription.length, packageDescription.width, packageDescription.height",
                "all zero or greater than zero",
            )),
        ),
        (
            "one side zero",
            set("packageDescription.height", json!(0)),
            Some(refused(
                Some("160294"),
                "packageDescription.length, packageDescription.width, packageDescription.height",
                "all zero",
            )),
        ),
        (
            "all sides zero",
            both(
                both(
                    set("packageDescription.length", json!(0)),
                    set("packageDescription.width", json!(0)),
                ),
                set("packageDescription.height", json!(0)),
            ),
            None,
        ),
        (
            "length missing",
            remove("packageDescription.length"),
            Some(refused(None, "packageDescription.length", "is required")),
        ),
        (
            "girth zero",
            set("packageDescription.girth", json!(0)),
            Some(refused(
                None,
                "packageDescription.girth",
                "must be greater than 0",
            )),
        ),
        (
            "Ground 130 in",
            both(
                both(
                    set("packageDescription.length", json!(60)),
                    set("packageDescription.width", json!(17.5)),
                ),
                set("packageDescription.height", json!(17.5)),
            ),
            None,
        ),
        (
            "Ground over 130 in",
            set("packageDescription.length", json!(200)),
            Some(refused(
                Some("160042"),
                "packageDescription.length, packageDescription.girth, packageDescription.mailClass",
                "130 inches",
            )),
        ),
        (
            "Priority over 108 in",
            both(
                set("packageDescription.mailClass", json!("PRIORITY_MAIL")),
                both(
                    set("packageDescription.length", json!(61)),
                    both(
                        set("packageDescription.width", json!(12)),
                        set("packageDescription.height", json!(12)),
                    ),
                ),
            ),
            Some(refused(
                Some("160042"),
                "packageDescription.length, packageDescription.girth, packageDescription.mailClass",
                "108 inches",
            )),
        ),
        (
            "absurd sides",
            both(
                set("packageDescription.length", json!(1e200)),
                set("packageDescription.width", json!(1e200)),
            ),
            Some(refused(
                Some("160042"),
                "packageDescription.length, packageDescription.girth, packageDescription.mailClass",
                "130 inches",
            )),
        ),
        // Values and lists.
        (
            "package value negative",
            set("packageDescription.packageOptions.packageValue", json!(-1)),
            Some(refused(
                None,
                "packageDescription.packageOptions.packageValue",
                "greater than or equal to 0",
            )),
        ),
        (
            "insured above 5000",
            set(
                "packageDescription.packageOptions.packageValue",
                json!(6000),
            ),
            Some(refused(
                Some("030012"),
                "packageDescription.packageOptions.packageValue",
                "maximum allowable insurance",
            )),
        ),
        (
            "insured without value",
            remove("packageDescription.packageOptions"),
            Some(refused(
                Some("160017"),
                "packageDescription/packageOptions",
                "packageValue is required",
            )),
        ),
        (
            "six extra services",
            set(
                "packageDescription.extraServices",
                json!([920, 921, 930, 955, 957, 991]),
            ),
            Some(refused(
                None,
                "packageDescription.extraServices",
                "size must be between 0 and 5",
            )),
        ),
        (
            "extra service as text",
            set("packageDescription.extraServices", json!(["920"])),
            Some(refused(None, "packageDescription.extraServices", "integer")),
        ),
        (
            "five references",
            set(
                "packageDescription.customerReference",
                json!([{"referenceNumber": "1"}, {"referenceNumber": "2"}, {"referenceNumber": "3"}, {"referenceNumber": "4"}, {"referenceNumber": "5"}]),
            ),
            Some(refused(
                None,
                "packageDescription.customerReference",
                "size must be between 0 and 4",
            )),
        ),
        (
            "reference 31",
            set(
                "packageDescription.customerReference",
                json!([{"referenceNumber": "R".repeat(31)}]),
            ),
            Some(refused(
                None,
                "packageDescription.customerReference[0].referenceNumber",
                size(30),
            )),
        ),
        (
            "reference in Greek",
            set(
                "packageDescription.customerReference",
                json!([{"referenceNumber": "\u{3a0}\u{3b1}\u{3c1}\u{3b1}\u{3b3}\u{3b3}\u{3b5}\u{3bb}\u{3af}\u{3b1}"}]),
            ),
            Some(refused(
                None,
                "packageDescription.customerReference[0].referenceNumber",
                latin,
            )),
        ),
        (
            "reference ok",
            set(
                "packageDescription.customerReference",
                json!([{"referenceNumber": "ORDER-1001", "printReferenceNumber": true}]),
            ),
            None,
        ),
        (
            "induction ZIP",
            set("packageDescription.inductionZIPCode", json!("631")),
            Some(refused(
                None,
                "packageDescription.inductionZIPCode",
                "must match",
            )),
        ),
        (
            "mail owner MID",
            set("packageDescription.mailOwnerMID", json!("1234567")),
            Some(refused(
                None,
                "packageDescription.mailOwnerMID",
                "must match",
            )),
        ),
        (
            "imageInfo as text",
            set("imageInfo", json!("PDF")),
            Some(refused(None, "imageInfo", "must be an object")),
        ),
        // Required combinations.
        (
            "package number alone",
            set("imageInfo.packageNumber", json!(1)),
            Some(refused(
                Some("160292"),
                "imageInfo.packageNumber imageInfo.totalPackages",
                "both",
            )),
        ),
        (
            "package 3 of 2",
            both(
                set("imageInfo.packageNumber", json!(3)),
                set("imageInfo.totalPackages", json!(2)),
            ),
            Some(refused(
                Some("160293"),
                "imageInfo.packageNumber",
                "cannot exceed totalPackages",
            )),
        ),
        (
            "package 0",
            both(
                set("imageInfo.packageNumber", json!(0)),
                set("imageInfo.totalPackages", json!(2)),
            ),
            Some(refused(
                None,
                "imageInfo.packageNumber",
                "greater than or equal to 1",
            )),
        ),
        (
            "package 1.5",
            both(
                set("imageInfo.packageNumber", json!(1.5)),
                set("imageInfo.totalPackages", json!(2)),
            ),
            Some(refused(None, "imageInfo.packageNumber", "whole number")),
        ),
        (
            "package 2 of 3",
            both(
                set("imageInfo.packageNumber", json!(2)),
                set("imageInfo.totalPackages", json!(3)),
            ),
            None,
        ),
        (
            "shape and packaging",
            both(
                remove("packageDescription.rateIndicator"),
                both(
                    set("packageDescription.shape", json!("RECTANGULAR")),
                    set("packageDescription.packagingType", json!("VARIABLE")),
                ),
            ),
            None,
        ),
        (
            "packaging the simulator cannot price",
            both(
                remove("packageDescription.rateIndicator"),
                both(
                    set("packageDescription.shape", json!("RECTANGULAR")),
                    set("packageDescription.packagingType", json!("CUBIC_SOFT_PACK")),
                ),
            ),
            Some(refused(Some("030002"), "packageDescription", "working sku")),
        ),
        (
            "shape alone",
            both(
                remove("packageDescription.rateIndicator"),
                set("packageDescription.shape", json!("RECTANGULAR")),
            ),
            Some(refused(
                Some("160285"),
                "packageDescription.rateIndicator",
                "either rateIndicator",
            )),
        ),
        (
            "indicator and shape",
            set("packageDescription.shape", json!("RECTANGULAR")),
            Some(refused(
                Some("160284"),
                "packageDescription.rateIndicator",
                "cannot include shape",
            )),
        ),
        // Mailing date: a date or a date-time, within the window.
        (
            "date-time",
            set(
                "packageDescription.mailingDate",
                json!(format!("{today}T10:00:00-05:00")),
            ),
            None,
        ),
        (
            "date with garbage",
            set(
                "packageDescription.mailingDate",
                json!(format!("{today}xyz")),
            ),
            Some(refused(
                Some("160092"),
                "packageDescription.mailingDate",
                "unable to parse",
            )),
        ),
        (
            "date multibyte",
            set("packageDescription.mailingDate", json!("2026-0\u{e9}-01")),
            Some(refused(
                Some("160092"),
                "packageDescription.mailingDate",
                "unable to parse",
            )),
        ),
    ];
    let mut sold = 0;
    for (case, mutate, expected) in &cases {
        let mut body = label_request(1.0);
        mutate(&mut body);
        let r = t.create_label(&access, &payment, None, &body, true).await;
        check(case, &r, expected);
        sold += usize::from(expected.is_none());
    }
    assert_eq!(t.read("/ledger").await["charges"], sold);
}

fn price_query() -> Value {
    json!({"originZIPCode": "63116", "destinationZIPCode": "02108", "weight": 2, "length": 10, "width": 8, "height": 4,
        "mailClass": "PRIORITY_MAIL", "processingCategory": "MACHINABLE", "rateIndicator": "SP",
        "destinationEntryFacilityType": "NONE", "priceType": "RETAIL"})
}

#[tokio::test]
async fn price_searches_are_held_to_usps_rules() {
    let t = TestSim::start().await;
    let token = t.client_token(CLIENT, SECRET).await;
    let base = "/prices/v3/base-rates/search";
    let list = "/prices/v3/base-rates-list/search";
    let total = "/prices/v3/total-rates/search";
    let cases: Vec<(&str, &str, Mutation, Option<Refused>)> = vec![
        (
            "ZIP+4 with dash",
            base,
            set("destinationZIPCode", json!("02108-1234")),
            None,
        ),
        (
            "ZIP+4 with space",
            base,
            set("destinationZIPCode", json!("02108 1234")),
            None,
        ),
        (
            "ZIP 4 digits",
            base,
            set("originZIPCode", json!("6311")),
            Some(refused(Some("010002"), "originZIPCode", "Invalid ZIP Code")),
        ),
        (
            "ZIP multibyte",
            list,
            set("originZIPCode", json!("12345\u{e9}789")),
            Some(refused(Some("010002"), "originZIPCode", "Invalid ZIP Code")),
        ),
        (
            "weight 0",
            base,
            set("weight", json!(0)),
            Some(refused(None, "weight", "greater than 0")),
        ),
        (
            "weight negative",
            list,
            set("weight", json!(-2)),
            Some(refused(None, "weight", "greater than 0")),
        ),
        (
            "weight absurd",
            base,
            set("weight", json!(1e300)),
            Some(refused(Some("030004"), "weight", "does not qualify")),
        ),
        (
            "length missing",
            base,
            remove("length"),
            Some(refused(Some("160206"), "length", "must not be null")),
        ),
        (
            "width negative",
            total,
            set("width", json!(-1)),
            Some(refused(None, "width", "greater than or equal to 0")),
        ),
        (
            "zero sides",
            base,
            both(
                set("length", json!(0)),
                both(set("width", json!(0)), set("height", json!(0))),
            ),
            None,
        ),
        (
            "too big for Priority",
            base,
            set("length", json!(100)),
            Some(refused(
                Some("030008"),
                "length/width/height",
                "size exceeds",
            )),
        ),
        (
            "absurd sides",
            base,
            both(set("length", json!(1e200)), set("width", json!(1e200))),
            Some(refused(
                Some("030008"),
                "length/width/height",
                "size exceeds",
            )),
        ),
        (
            "absurd sides, list",
            list,
            both(set("length", json!(1e200)), set("width", json!(1e200))),
            Some(refused(Some("030020"), "mailClass", "No valid rates")),
        ),
        (
            "account letters",
            base,
            both(
                set("accountType", json!("EPS")),
                set("accountNumber", json!("12a")),
            ),
            Some(refused(None, "accountNumber", "must match")),
        ),
        (
            "insurance without value",
            total,
            set("extraServices", json!([930])),
            Some(refused(Some("030024"), "itemValue", "non-zero item value")),
        ),
        (
            "insurance above 5000",
            total,
            both(
                set("extraServices", json!([930])),
                set("itemValue", json!(6000)),
            ),
            Some(refused(
                Some("030012"),
                "itemValue",
                "maximum allowable insurance",
            )),
        ),
        (
            "item value negative",
            total,
            set("itemValue", json!(-5)),
            Some(refused(None, "itemValue", "greater than or equal to 0")),
        ),
        (
            "insured 200",
            total,
            both(
                set("extraServices", json!([930])),
                set("itemValue", json!(200)),
            ),
            None,
        ),
    ];
    for (case, path, mutate, expected) in &cases {
        let mut body = price_query();
        if *path != base {
            for k in [
                "mailClass",
                "processingCategory",
                "rateIndicator",
                "destinationEntryFacilityType",
                "priceType",
            ] {
                body.as_object_mut().unwrap().remove(k);
            }
        }
        mutate(&mut body);
        let r = t.post_json(path, &token, &body).await;
        check(case, &r, expected);
        if expected.is_none() {
            let prices = r.text.matches("\"price\":").count();
            assert!(
                prices > 0 && !r.text.contains("\"price\":null"),
                "{case}: {}",
                r.text
            );
        }
    }
}

#[tokio::test]
async fn address_lookups_are_held_to_usps_rules() {
    let t = TestSim::start().await;
    let token = t.client_token(CLIENT, SECRET).await;
    let get = |params: Vec<(&'static str, String)>| {
        let url =
            reqwest::Url::parse_with_params(&t.url("/addresses/v3/address"), &params).unwrap();
        t.send(t.http.get(url).bearer_auth(&token))
    };
    let ok = || {
        vec![
            ("streetAddress", "1100 Wyoming St".to_string()),
            ("city", "St. Louis".to_string()),
            ("state", "MO".to_string()),
            ("ZIPCode", "63118".to_string()),
        ]
    };
    let r = get(ok()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cases: Vec<(&str, (&'static str, String), Refused)> = vec![
        (
            "firm 51",
            ("firm", "F".repeat(51)),
            refused(None, "firm", "size must be between 0 and 50"),
        ),
        (
            "ZIP multibyte",
            ("ZIPCode", "9\u{e9}210".into()),
            refused(Some("010002"), "ZIPCode", "Invalid ZIP Code"),
        ),
        (
            "ZIPPlus4 letters",
            ("ZIPPlus4", "12a4".into()),
            refused(None, "ZIPPlus4", "must match"),
        ),
        (
            "state name",
            ("state", "Missouri".into()),
            refused(Some("010003"), "state", "Invalid State Code"),
        ),
    ];
    for (case, (key, value), expected) in cases {
        let mut params = ok();
        params.retain(|(k, _)| *k != key);
        params.push((key, value));
        check(case, &get(params).await, &Some(expected));
    }
}

fn pickup_request() -> Value {
    let date = time::OffsetDateTime::now_utc().date() + time::Duration::days(3);
    let date = if date.weekday() == time::Weekday::Sunday {
        date + time::Duration::days(1)
    } else {
        date
    };
    json!({"pickupDate": date.to_string(),
        "pickupAddress": {"firstName": "John", "lastName": "Smith", "firm": "ACME",
            "address": {"streetAddress": "4120 Bingham Ave", "city": "Saint Louis", "state": "MO", "ZIPCode": "63116"},
            "contact": [{"email": "john.smith@example.com"}]},
        "packages": [{"packageType": "PRIORITY_MAIL", "packageCount": 2}],
        "estimatedWeight": 5,
        "pickupLocation": {"packageLocation": "OFFICE", "specialInstructions": "Front desk"}})
}

#[tokio::test]
async fn pickup_requests_are_held_to_usps_rules() {
    let t = TestSim::start().await;
    let (access, _) = t.label_tokens().await;
    let cases: Vec<(&str, Mutation, Refused)> = vec![
        (
            "first name 51",
            set("pickupAddress.firstName", long(51)),
            refused(
                None,
                "pickupAddress.firstName",
                "size must be between 1 and 50",
            ),
        ),
        (
            "firm 51",
            set("pickupAddress.firm", long(51)),
            refused(None, "pickupAddress.firm", "size must be between 0 and 50"),
        ),
        (
            "street 51",
            set("pickupAddress.address.streetAddress", long(51)),
            refused(
                None,
                "pickupAddress.address.streetAddress",
                "size must be between 1 and 50",
            ),
        ),
        (
            "city 29",
            set("pickupAddress.address.city", long(29)),
            refused(
                None,
                "pickupAddress.address.city",
                "size must be between 1 and 28",
            ),
        ),
        (
            "ZIP multibyte",
            set("pickupAddress.address.ZIPCode", json!("9\u{e9}210")),
            refused(None, "pickupAddress.address.ZIPCode", "must match"),
        ),
        (
            "three contacts",
            set(
                "pickupAddress.contact",
                json!([{"email": "a@b.co"}, {"email": "c@d.co"}, {"cellNumber": "3145550100"}]),
            ),
            refused(
                None,
                "pickupAddress.contact",
                "size must be between 0 and 2",
            ),
        ),
        (
            "cell 9 digits",
            set(
                "pickupAddress.contact",
                json!([{"cellNumber": "314555010"}]),
            ),
            refused(
                Some("020006"),
                "pickupAddress.contact",
                "Phone number is invalid",
            ),
        ),
        (
            "email 51",
            set(
                "pickupAddress.contact",
                json!([{"email": format!("{}@example.com", "j".repeat(39))}]),
            ),
            refused(
                Some("020021"),
                "pickupAddress.contact",
                "Email address is invalid",
            ),
        ),
        (
            "weight 0",
            set("estimatedWeight", json!(0)),
            refused(None, "estimatedWeight", "greater than 0"),
        ),
        (
            "instructions 256",
            set(
                "pickupLocation.specialInstructions",
                json!("\u{e9}".repeat(256)),
            ),
            refused(
                Some("020019"),
                "pickupLocation.specialInstructions",
                "exceeds 255",
            ),
        ),
        (
            "instructions Cyrillic",
            set(
                "pickupLocation.specialInstructions",
                json!("\u{434}\u{432}\u{435}\u{440}\u{44c}"),
            ),
            refused(
                Some("020005"),
                "pickupLocation.specialInstructions",
                "invalid characters",
            ),
        ),
    ];
    for (case, mutate, expected) in cases {
        let mut body = pickup_request();
        mutate(&mut body);
        let r = t
            .post_json("/pickup/v3/carrier-pickup", &access, &body)
            .await;
        check(case, &r, &Some(expected));
    }
    let mut accented = pickup_request();
    accented["pickupLocation"]["specialInstructions"] = json!("\u{e9}".repeat(255));
    let r = t
        .post_json("/pickup/v3/carrier-pickup", &access, &accented)
        .await;
    check("255 accented characters", &r, &None);
}

#[tokio::test]
async fn scan_form_and_payment_requests_are_held_to_usps_rules() {
    let t = TestSim::start().await;
    let (access, _) = t.label_tokens().await;
    let form = || {
        json!({"mailingDate": today(), "entryFacilityZIPCode": "63116", "destinationEntryFacilityType": "NONE",
            "shipment": {"manifestMID": MANIFEST_MID},
            "fromAddress": {"firm": "ACME", "streetAddress": "4120 Bingham Ave", "city": "Saint Louis", "state": "MO", "ZIPCode": "63116"}})
    };
    let cases: Vec<(&str, Mutation, Refused)> = vec![
        (
            "street 51",
            set("fromAddress.streetAddress", long(51)),
            refused(
                None,
                "fromAddress.streetAddress",
                "size must be between 1 and 50",
            ),
        ),
        (
            "firm Greek",
            set(
                "fromAddress.firm",
                json!("\u{391}\u{3b8}\u{3ae}\u{3bd}\u{3b1}"),
            ),
            refused(None, "fromAddress.firm", "cannot be printed"),
        ),
        (
            "ZIP multibyte",
            set("fromAddress.ZIPCode", json!("6311\u{e9}")),
            refused(Some("160119"), "fromAddress", "ZIP Code is not valid"),
        ),
        (
            "entry ZIP",
            set("entryFacilityZIPCode", json!("631")),
            refused(None, "entryFacilityZIPCode", "must match"),
        ),
        (
            "manifest MID 5 digits",
            set("shipment", json!({"manifestMID": "12345"})),
            refused(Some("160035"), "shipment.manifestMID", "between 6 and 9"),
        ),
        (
            "40001 labels",
            set(
                "shipment",
                json!({"trackingNumbers": vec!["9200000000000000000000"; 40_001]}),
            ),
            refused(
                None,
                "shipment.trackingNumbers",
                "size must be between 0 and 40000",
            ),
        ),
    ];
    for (case, mutate, expected) in cases {
        let mut body = form();
        mutate(&mut body);
        let r = t
            .post_json("/scan-forms/v3/scan-form", &access, &body)
            .await;
        check(case, &r, &Some(expected));
    }

    let mut long_crid = roles(CRID, MID, MANIFEST_MID, EPS);
    long_crid["roles"][0]["CRID"] = long(19);
    let r = t
        .post_json("/payments/v3/payment-authorization", &access, &long_crid)
        .await;
    check(
        "CRID 19",
        &r,
        &Some(refused(None, "roles.CRID", "size must be between 2 and 18")),
    );
    let mut short_mid = roles(CRID, MID, MANIFEST_MID, EPS);
    short_mid["roles"][1]["manifestMID"] = json!("1234567");
    let r = t
        .post_json("/payments/v3/payment-authorization", &access, &short_mid)
        .await;
    check(
        "manifest MID 7",
        &r,
        &Some(refused(None, "roles.manifestMID", "must match")),
    );
}
