//! International Prices and International Labels through HTTP: prices per service and
//! destination, a case per enforced rule (prices, addresses, package, customs form, the AES/ITN
//! rule), the label lifecycle with its ledger entries, reprints, indicia, and the gate
//! (scopes, payment token, call counters, injected faults). Every JSON body is checked against
//! the official specs by `common::send`.

mod common;

use common::*;
use serde_json::{Value, json};

const PRICES: &str = "/international-prices/v3";
const LABELS: &str = "/international-labels/v3";

type Mutation = Box<dyn Fn(&mut Value)>;
/// (case, changes to the valid label, code, `source.parameter`, part of the detail).
type LabelCase = (
    &'static str,
    Vec<Mutation>,
    Option<&'static str>,
    &'static str,
    &'static str,
);

fn step<'v>(at: &'v mut Value, key: &str) -> &'v mut Value {
    match key.parse::<usize>() {
        Ok(i) => &mut at[i],
        Err(_) => &mut at[key],
    }
}

/// Sets a dotted path (numbers index arrays).
fn set(path: &'static str, value: Value) -> Mutation {
    Box::new(move |body: &mut Value| {
        let steps: Vec<&str> = path.split('.').collect();
        let mut at = body;
        for s in &steps[..steps.len() - 1] {
            at = step(at, s);
        }
        *step(at, steps[steps.len() - 1]) = value.clone();
    })
}

/// Removes the member at a dotted path.
fn remove(path: &'static str) -> Mutation {
    Box::new(move |body: &mut Value| {
        let (parent, last) = path.rsplit_once('.').unwrap_or(("", path));
        let mut at = body;
        for s in parent.split('.').filter(|s| !s.is_empty()) {
            at = step(at, s);
        }
        at.as_object_mut().unwrap().remove(last);
    })
}

/// An error item with this code (`None`: uncoded) and parameter, its detail containing `detail`.
fn assert_refused(case: &str, r: &Resp, code: Option<&str>, parameter: &str, detail: &str) {
    assert_eq!(r.status, 400, "{case}: {}", short(&r.text));
    let items = r.json["error"]["errors"].as_array().unwrap();
    let found = items.iter().any(|i| {
        i["code"].as_str() == code
            && i["source"]["parameter"] == parameter
            && i["detail"].as_str().unwrap_or("").contains(detail)
    });
    assert!(
        found,
        "{case}: no item with code {code:?}, parameter {parameter}, detail ~{detail:?} in {}",
        r.text
    );
}

/// The start of a body (label responses carry whole PDFs).
fn short(text: &str) -> &str {
    &text[..text.char_indices().nth(700).map_or(text.len(), |(i, _)| i)]
}

fn item(description: &str, value: f64, weight: f64, hs: &str) -> Value {
    json!({"itemDescription": description, "itemQuantity": 1, "itemTotalValue": value, "itemTotalWeight": weight,
        "HSTariffNumber": hs, "countryofOrigin": "US"})
}

/// A Priority Mail International package to Toronto with a merchandise customs form.
fn label_body() -> Value {
    json!({
        "imageInfo": {"imageType": "PDF", "labelType": "4X6LABEL"},
        "toAddress": {"firstName": "Amélie", "lastName": "Tremblay", "streetAddress": "100 Queen St W", "city": "Toronto",
            "province": "ON", "postalCode": "M5H 2N2", "country": "Canada", "countryISOAlpha2Code": "CA", "phone": "4165550100"},
        "fromAddress": {"firm": "Maple Goods", "firstName": "John", "lastName": "Smith", "streetAddress": "4120 Bingham Ave",
            "city": "St. Louis", "state": "MO", "ZIPCode": "63116", "phone": "3145550100"},
        "packageDescription": {"mailClass": "PRIORITY_MAIL_INTERNATIONAL", "rateIndicator": "SP", "weightUOM": "lb", "weight": 3,
            "dimensionsUOM": "in", "length": 12, "width": 10, "height": 6, "processingCategory": "MACHINABLE",
            "destinationEntryFacilityType": "NONE", "mailingDate": today(),
            "packageOptions": {"packageValue": 120, "nonDeliveryOption": "RETURN"}},
        "customsForm": {"customsContentType": "MERCHANDISE", "AESITN": "NO EEI 30.37(a)", "invoiceNumber": "INV-1001",
            "contents": [item("Wool sweater", 80.0, 1.5, "6110.20.2075"), item("Leather wallet", 40.0, 0.5, "4202.31")]}
    })
}

impl TestSim {
    async fn intl_label(
        &self,
        tokens: &(String, String),
        key: Option<&str>,
        body: &Value,
        vendor: bool,
    ) -> Resp {
        let mut rb = self
            .http
            .post(self.url(&format!("{LABELS}/international-label")))
            .bearer_auth(&tokens.0)
            .header("X-Payment-Authorization-Token", &tokens.1)
            .json(body);
        if let Some(k) = key {
            rb = rb.header("X-Idempotency-Key", k);
        }
        if vendor {
            rb = rb.header("Accept", "application/vnd.usps.labels+json");
        }
        self.send(rb).await
    }

    async fn intl(
        &self,
        tokens: &(String, String),
        method: reqwest::Method,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
        vendor: bool,
    ) -> Resp {
        let mut rb = self
            .http
            .request(method, self.url(&format!("{LABELS}{path}")))
            .bearer_auth(&tokens.0)
            .header("X-Payment-Authorization-Token", &tokens.1);
        if let Some(k) = key {
            rb = rb.header("X-Idempotency-Key", k);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        if vendor {
            rb = rb.header("Accept", "application/vnd.usps.labels+json");
        }
        self.send(rb).await
    }

    async fn price(&self, token: &str, op: &str, body: &Value) -> Resp {
        self.post_json(&format!("{PRICES}/{op}/search"), token, body)
            .await
    }
}

fn base_query(class: &str, ri: &str, country: &str, weight: f64) -> Value {
    json!({"originZIPCode": "63116", "destinationCountryCode": country, "weight": weight, "length": 10, "width": 8, "height": 4,
        "mailClass": class, "processingCategory": "MACHINABLE", "rateIndicator": ri,
        "destinationEntryFacilityType": "NONE", "priceType": "RETAIL"})
}

fn tracking_of(r: &Resp) -> String {
    let meta: Value = match r.part("labelMetadata") {
        Some(m) => serde_json::from_str(m).unwrap(),
        None => r.json.clone(),
    };
    meta["internationalTrackingNumber"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn base_rates_price_each_service_by_country_group() {
    let t = TestSim::start().await;
    let tok = t.client_token(PUBLIC_CLIENT, PUBLIC_SECRET).await;
    let cases = [
        (
            "PRIORITY_MAIL_INTERNATIONAL",
            "SP",
            "CA",
            3.0,
            34.30,
            "01",
            "IPXX0XXXXR01030",
        ),
        (
            "PRIORITY_MAIL_INTERNATIONAL",
            "SP",
            "GB",
            1.0,
            41.05,
            "03",
            "IPXX0XXXXR03010",
        ),
        (
            "PRIORITY_MAIL_INTERNATIONAL",
            "FB",
            "AU",
            3.0,
            88.75,
            "05",
            "IPFB0XXXXR05030",
        ),
        (
            "PRIORITY_MAIL_INTERNATIONAL",
            "FE",
            "MX",
            0.5,
            36.20,
            "02",
            "IPFE0XXXXR02010",
        ),
        (
            "PRIORITY_MAIL_EXPRESS_INTERNATIONAL",
            "PA",
            "DE",
            2.0,
            71.10,
            "04",
            "IEXX0XXXXR04020",
        ),
        (
            "PRIORITY_MAIL_EXPRESS_INTERNATIONAL",
            "E4",
            "CA",
            1.0,
            47.80,
            "01",
            "IEE40XXXXR01010",
        ),
        (
            "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE",
            "SP",
            "CA",
            1.0,
            17.85,
            "01",
            "IFXX0XXXXR01010",
        ),
        (
            "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE",
            "SP",
            "FJ",
            0.5,
            28.48,
            "09",
            "IFXX0XXXXR09010",
        ),
    ];
    for (class, ri, country, weight, price, group, sku) in cases {
        let r = t
            .price(&tok, "base-rates", &base_query(class, ri, country, weight))
            .await;
        assert_eq!(r.status, 200, "{class} {ri} {country}: {}", r.text);
        assert_eq!(
            r.json["totalBasePrice"],
            json!(price),
            "{class} {ri} {country}"
        );
        let rate = &r.json["rates"][0];
        assert_eq!(rate["zone"], group);
        assert_eq!(rate["SKU"], sku);
        assert_eq!(rate["priceType"], "RETAIL");
        assert_eq!(rate["mailClass"], class);
    }
    let mut commercial = base_query("PRIORITY_MAIL_INTERNATIONAL", "SP", "CA", 3.0);
    commercial["priceType"] = json!("COMMERCIAL");
    let r = t.price(&tok, "base-rates", &commercial).await;
    assert_eq!(
        (
            r.json["totalBasePrice"].clone(),
            r.json["rates"][0]["priceType"].clone()
        ),
        (json!(32.24), json!("COMMERCIAL_BASE"))
    );
    commercial["priceType"] = json!("COMMERCIAL_PLUS");
    assert_eq!(
        t.price(&tok, "base-rates", &commercial).await.json["totalBasePrice"],
        json!(31.21)
    );
    commercial["priceType"] = json!("CONTRACT");
    let r = t.price(&tok, "base-rates", &commercial).await;
    assert_eq!(r.json["rates"][0]["warnings"][0]["warningCode"], "001");
    // A contract account the token is tied to gets contract prices; another business's is 403.
    let shipping = t.client_token(CLIENT, SECRET).await;
    commercial["accountType"] = json!("EPS");
    commercial["accountNumber"] = json!(EPS);
    let r = t.price(&shipping, "base-rates", &commercial).await;
    assert_eq!(
        (
            r.json["rates"][0]["priceType"].clone(),
            r.json["totalBasePrice"].clone()
        ),
        (json!("CONTRACT"), json!(29.50))
    );
    commercial["accountNumber"] = json!("1000099999");
    assert_eq!(
        t.price(&shipping, "base-rates", &commercial).await.status,
        403
    );
}

#[tokio::test]
async fn every_price_rule_answers_uspss_error() {
    let t = TestSim::start().await;
    let tok = t.client_token(PUBLIC_CLIENT, PUBLIC_SECRET).await;
    let pmi = || base_query("PRIORITY_MAIL_INTERNATIONAL", "SP", "CA", 2.0);
    let cases: Vec<(&str, Value, Option<&str>, &str, &str)> = vec![
        (
            "unknown country",
            {
                let mut q = pmi();
                q["destinationCountryCode"] = json!("XX");
                q
            },
            None,
            "destinationCountryCode",
            "not an ISO 3166-1",
        ),
        (
            "lower-case code",
            {
                let mut q = pmi();
                q["destinationCountryCode"] = json!("ca");
                q
            },
            None,
            "destinationCountryCode",
            "must match \"^[A-Z]{2}$\"",
        ),
        (
            "three letters",
            {
                let mut q = pmi();
                q["destinationCountryCode"] = json!("CAN");
                q
            },
            None,
            "destinationCountryCode",
            "must match",
        ),
        (
            "service suspended",
            {
                let mut q = pmi();
                q["destinationCountryCode"] = json!("KP");
                q
            },
            Some("030020"),
            "destinationCountryCode",
            "suspended",
        ),
        (
            "US territory",
            {
                let mut q = pmi();
                q["destinationCountryCode"] = json!("PR");
                q
            },
            None,
            "destinationCountryCode",
            "domestic",
        ),
        (
            "missing country",
            {
                let mut q = pmi();
                q.as_object_mut().unwrap().remove("destinationCountryCode");
                q
            },
            Some("030010"),
            "destinationCountryCode",
            "required",
        ),
        (
            "missing priceType",
            {
                let mut q = pmi();
                q.as_object_mut().unwrap().remove("priceType");
                q
            },
            Some("030010"),
            "priceType",
            "required",
        ),
        (
            "bad origin ZIP",
            {
                let mut q = pmi();
                q["originZIPCode"] = json!("6311");
                q
            },
            Some("010002"),
            "originZIPCode",
            "Invalid ZIP",
        ),
        (
            "unknown member",
            {
                let mut q = pmi();
                q["color"] = json!("red");
                q
            },
            None,
            "color",
            "not a recognized field",
        ),
        (
            "weight zero",
            {
                let mut q = pmi();
                q["weight"] = json!(0);
                q
            },
            None,
            "weight",
            "greater than 0",
        ),
        (
            "no length",
            {
                let mut q = pmi();
                q.as_object_mut().unwrap().remove("length");
                q
            },
            Some("160206"),
            "length",
            "must not be null",
        ),
        (
            "FCPIS over 4 lb",
            base_query("FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE", "SP", "CA", 4.5),
            Some("030004"),
            "weight",
            "at most 4 lb",
        ),
        (
            "flat rate envelope over 4 lb",
            base_query("PRIORITY_MAIL_INTERNATIONAL", "FE", "CA", 4.5),
            Some("030004"),
            "weight",
            "at most 4 lb",
        ),
        (
            "medium box over 20 lb",
            base_query("PRIORITY_MAIL_INTERNATIONAL", "FB", "CA", 21.0),
            Some("030004"),
            "weight",
            "at most 20 lb",
        ),
        (
            "country ceiling",
            base_query("PRIORITY_MAIL_INTERNATIONAL", "SP", "AU", 45.0),
            Some("030004"),
            "weight",
            "at most 44 lb",
        ),
        (
            "service ceiling",
            base_query("PRIORITY_MAIL_INTERNATIONAL", "SP", "CA", 67.0),
            Some("030004"),
            "weight",
            "at most 66 lb",
        ),
        (
            "too long",
            {
                let mut q = pmi();
                q["length"] = json!(43);
                q
            },
            Some("030008"),
            "length/width/height",
            "exceeds",
        ),
        (
            "FCPIS too big",
            {
                let mut q =
                    base_query("FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE", "SP", "CA", 1.0);
                q["length"] = json!(20);
                q["width"] = json!(13);
                q
            },
            Some("030008"),
            "length/width/height",
            "exceeds",
        ),
        (
            "express not served",
            base_query("PRIORITY_MAIL_EXPRESS_INTERNATIONAL", "PA", "UA", 1.0),
            Some("030020"),
            "mailClass",
            "No valid rates",
        ),
        (
            "indicator of another service",
            base_query("PRIORITY_MAIL_INTERNATIONAL", "E4", "CA", 1.0),
            Some("030020"),
            "mailClass",
            "No valid rates",
        ),
        (
            "GXG suspended",
            base_query("GLOBAL_EXPRESS_GUARANTEED", "PA", "CA", 1.0),
            Some("030020"),
            "mailClass",
            "No valid rates",
        ),
        (
            "bad mailing date",
            {
                let mut q = pmi();
                q["mailingDate"] = json!("2020-01-01");
                q
            },
            Some("030003"),
            "mailingDate",
            "not supported",
        ),
        (
            "account without type",
            {
                let mut q = pmi();
                q["accountNumber"] = json!("1000012345");
                q
            },
            None,
            "accountType",
            "required",
        ),
        (
            "account not digits",
            {
                let mut q = pmi();
                q["accountType"] = json!("EPS");
                q["accountNumber"] = json!("12a");
                q
            },
            None,
            "accountNumber",
            "must match",
        ),
    ];
    for (case, body, code, parameter, detail) in cases {
        let r = t.price(&tok, "base-rates", &body).await;
        assert_refused(case, &r, code, parameter, detail);
    }
}

#[tokio::test]
async fn rate_lists_offer_what_fits_and_totals_add_extra_services() {
    let t = TestSim::start().await;
    let tok = t.client_token(PUBLIC_CLIENT, PUBLIC_SECRET).await;
    let list = json!({"originZIPCode": "63116", "destinationCountryCode": "CA", "weight": 2, "length": 10, "width": 8, "height": 4});
    let r = t.price(&tok, "base-rates-list", &list).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let offered = |r: &Resp| -> Vec<String> {
        r.json["rateOptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                format!(
                    "{} {} {}",
                    o["rates"][0]["mailClass"].as_str().unwrap(),
                    o["rates"][0]["rateIndicator"].as_str().unwrap(),
                    o["rates"][0]["priceType"].as_str().unwrap()
                )
            })
            .collect()
    };
    let all = offered(&r);
    for want in [
        "PRIORITY_MAIL_INTERNATIONAL SP RETAIL",
        "PRIORITY_MAIL_INTERNATIONAL FE COMMERCIAL_BASE",
        "PRIORITY_MAIL_EXPRESS_INTERNATIONAL PA RETAIL",
        "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE SP COMMERCIAL_BASE",
    ] {
        assert!(all.iter().any(|o| o == want), "{want} missing from {all:?}");
    }
    let mut heavy = list.clone();
    heavy["weight"] = json!(10);
    let some = offered(&t.price(&tok, "base-rates-list", &heavy).await);
    assert!(
        !some
            .iter()
            .any(|o| o.starts_with("FIRST-CLASS") || o.contains(" FE ")),
        "{some:?}"
    );
    assert!(some.iter().any(|o| o.contains(" FB ")));
    let mut one = list.clone();
    one["mailClass"] = json!("FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE");
    one["priceType"] = json!("RETAIL");
    assert_eq!(
        offered(&t.price(&tok, "base-rates-list", &one).await),
        vec!["FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE SP RETAIL"]
    );
    heavy["weight"] = json!(80);
    assert_refused(
        "nothing fits",
        &t.price(&tok, "base-rates-list", &heavy).await,
        Some("030020"),
        "mailClass",
        "No valid rates",
    );

    // Totals: a $450 declaration leaves out the products held to $400; insurance is priced.
    let mut total = list.clone();
    total["itemValue"] = json!(450);
    total["extraServices"] = json!([930]);
    let r = t.price(&tok, "total-rates", &total).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let options = r.json["rateOptions"].as_array().unwrap();
    assert!(
        options
            .iter()
            .all(|o| o["rates"][0]["mailClass"] != "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE")
    );
    assert!(options.iter().all(|o| {
        !["FE", "FA", "FP", "FS", "E4", "E6"]
            .contains(&o["rates"][0]["rateIndicator"].as_str().unwrap())
    }));
    let sp = options
        .iter()
        .find(|o| o["rates"][0]["rateIndicator"] == "SP" && o["rates"][0]["priceType"] == "RETAIL")
        .unwrap();
    assert_eq!(sp["extraServices"][0]["extraService"], "930");
    assert_eq!(sp["extraServices"][0]["price"], json!(8.0));
    assert_eq!(sp["totalPrice"], json!(40.75));
    let mut plain = list.clone();
    plain["itemValue"] = json!(100);
    let r = t.price(&tok, "total-rates", &plain).await;
    assert!(
        r.json["rateOptions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o.get("totalPrice").is_none())
    );

    let mut no_value = list.clone();
    no_value["extraServices"] = json!([931]);
    assert_refused(
        "insurance without value",
        &t.price(&tok, "total-rates", &no_value).await,
        Some("030024"),
        "itemValue",
        "non-zero",
    );
    no_value["itemValue"] = json!(6000);
    assert_refused(
        "insured over $5,000",
        &t.price(&tok, "total-rates", &no_value).await,
        Some("030012"),
        "itemValue",
        "maximum",
    );
    let mut receipt = list.clone();
    receipt["extraServices"] = json!([955]);
    assert_refused(
        "return receipt",
        &t.price(&tok, "total-rates", &receipt).await,
        Some("030021"),
        "extraServices",
        "not available",
    );
    let mut not_enum = list.clone();
    not_enum["extraServices"] = json!([921]);
    assert_refused(
        "domestic code",
        &t.price(&tok, "total-rates", &not_enum).await,
        None,
        "extraServices",
        "must be one of",
    );

    let mut duties = list.clone();
    duties["requestDutiesTaxesFees"] = json!(true);
    assert_refused(
        "duties without items",
        &t.price(&tok, "total-rates", &duties).await,
        None,
        "items",
        "required",
    );
    duties["items"] = json!([{"itemId": "sweater_1", "itemValue": 80, "itemQuantity": 2, "countryOfOrigin": "US", "HSTariffNumber": "611020"}]);
    let r = t.price(&tok, "total-rates", &duties).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let quote = &r.json["rateOptions"][0]["dutiesTaxesFeesQuote"];
    assert_eq!(
        quote["itemQuotes"][0],
        json!({"itemId": "sweater_1", "dutyPrice": 8.0, "taxPrice": 16.0})
    );
    assert_eq!(quote["packageFee"], json!(2.5));
    duties["items"][0]["itemId"] = json!("sweater-1");
    assert_refused(
        "item id pattern",
        &t.price(&tok, "total-rates", &duties).await,
        None,
        "items[0].itemId",
        "must match",
    );
}

#[tokio::test]
async fn extra_service_and_letter_rates() {
    let t = TestSim::start().await;
    let tok = t.client_token(PUBLIC_CLIENT, PUBLIC_SECRET).await;
    let esr = json!({"extraServices": [930], "mailClass": "PRIORITY_MAIL_INTERNATIONAL", "priceType": "RETAIL", "rateIndicator": "SP",
        "weight": 2, "destinationCountryCode": "GB", "itemValue": "250"});
    let r = t.price(&tok, "extra-service-rates", &esr).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["extraServices"][0]["extraService"], json!(930));
    assert_eq!(r.json["extraServices"][0]["price"], json!(4.8));
    let mut deprecated = esr.clone();
    deprecated.as_object_mut().unwrap().remove("extraServices");
    deprecated["extraService"] = json!(857);
    let r = t.price(&tok, "extra-service-rates", &deprecated).await;
    assert_eq!(r.json["extraServices"][0]["name"], "Hazardous Material");
    let mut fcpis = esr.clone();
    fcpis["mailClass"] = json!("FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE");
    assert_refused(
        "no insurance on FCPIS",
        &t.price(&tok, "extra-service-rates", &fcpis).await,
        Some("030021"),
        "extraServices",
        "No extra services",
    );
    let mut words = esr.clone();
    words["itemValue"] = json!("lots");
    assert_refused(
        "itemValue not a number",
        &t.price(&tok, "extra-service-rates", &words).await,
        None,
        "itemValue",
        "number",
    );
    let mut nsa = esr.clone();
    nsa["priceType"] = json!("COMMERCIAL_BASE");
    assert_refused(
        "priceType enum",
        &t.price(&tok, "extra-service-rates", &nsa).await,
        None,
        "priceType",
        "must be one of",
    );

    let letter = json!({"weight": 1, "length": 9, "height": 4, "thickness": 0.1, "processingCategory": "LETTERS", "destinationCountryCode": "CA"});
    let r = t.price(&tok, "letter-rates", &letter).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        (
            r.json["totalBasePrice"].clone(),
            r.json["rates"][0]["fees"].clone()
        ),
        (json!(1.65), json!([]))
    );
    let mut rigid = letter.clone();
    rigid["nonMachinableIndicators"] = json!({"isRigid": true});
    rigid["weight"] = json!(2.5);
    rigid["extraServices"] = json!([940]);
    let r = t.price(&tok, "letter-rates", &rigid).await;
    assert_eq!(r.json["rates"][0]["price"], json!(2.27));
    assert_eq!(r.json["rates"][0]["fees"][0]["price"], json!(0.49));
    assert_eq!(r.json["totalBasePrice"], json!(2.27 + 0.49 + 17.85));
    let flat = json!({"weight": 8, "length": 14, "height": 10, "thickness": 0.5, "processingCategory": "FLATS", "destinationCountryCode": "JP"});
    assert_eq!(
        t.price(&tok, "letter-rates", &flat).await.json["rates"][0]["SKU"],
        "IFXF0XXXXR05080"
    );
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "letter over 3.5 oz",
            {
                let mut l = letter.clone();
                l["weight"] = json!(4);
                l
            },
            "weight",
            "exceeds 3.5 oz",
        ),
        (
            "card too big",
            {
                let mut l = letter.clone();
                l["processingCategory"] = json!("CARDS");
                l
            },
            "length",
            "exceed the maximum for cards",
        ),
        (
            "flat the size of a letter",
            {
                let mut l = letter.clone();
                l["processingCategory"] = json!("FLATS");
                l
            },
            "length",
            "larger than a letter",
        ),
        (
            "zero thickness",
            {
                let mut l = letter.clone();
                l["thickness"] = json!(0);
                l
            },
            "thickness",
            "greater than 0",
        ),
        (
            "unknown indicator",
            {
                let mut l = letter.clone();
                l["nonMachinableIndicators"] = json!({"isShiny": true});
                l
            },
            "nonMachinableIndicators.isShiny",
            "not a recognized field",
        ),
        (
            "suspended country",
            {
                let mut l = letter.clone();
                l["destinationCountryCode"] = json!("SY");
                l
            },
            "destinationCountryCode",
            "suspended",
        ),
    ];
    for (case, body, parameter, detail) in cases {
        let r = t.price(&tok, "letter-rates", &body).await;
        assert_eq!(r.status, 400, "{case}: {}", r.text);
        assert!(
            r.json["error"]["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["source"]["parameter"] == parameter
                    && i["detail"].as_str().unwrap().contains(detail)),
            "{case}: {}",
            r.text
        );
    }
    // The letter-size and flat-size codes of the domestic letter searches.
    for (piece, field, value, code) in [
        (&flat, "weight", json!(14), "030015"),
        (&letter, "height", json!(3), "030016"),
        (&letter, "length", json!(12), "030017"),
        (&flat, "length", json!(16), "030019"),
    ] {
        let mut body = piece.clone();
        body[field] = value;
        let r = t.price(&tok, "letter-rates", &body).await;
        assert_eq!(r.error_codes(), vec![code], "{field}: {}", r.text);
    }
}

#[tokio::test]
async fn label_lifecycle_charges_cancels_and_refunds_in_the_ledger() {
    let t = TestSim::start().await;
    let tokens = t.label_tokens().await;
    let created = t.intl_label(&tokens, None, &label_body(), false).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let meta: Value = serde_json::from_str(created.part("labelMetadata").unwrap()).unwrap();
    let tn = tracking_of(&created);
    assert!(
        tn.starts_with("CP") && tn.ends_with("US") && tn.len() == 13,
        "{tn}"
    );
    assert_eq!(meta["internationalPriceGroup"], "01");
    assert_eq!(meta["postage"], json!(32.24));
    assert_eq!(meta["labelAddress"]["city"], "TORONTO");
    assert_eq!(meta["labelAddress"]["countryISOAlpha2Code"], "CA");
    let pdf = pdf_bytes(created.part("labelImage").unwrap());
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.starts_with("%PDF") && text.contains("/Count 2"),
        "label page + declaration"
    );
    for shown in [
        "PRIORITY MAIL INTERNATIONAL",
        "CUSTOMS DECLARATION",
        "Wool sweater",
        "6110.20.2075",
        "NO EEI 30.37\\(a\\)",
        "Total: 2.000 lb, USD 120.00",
        "SAMPLE",
    ] {
        assert!(text.contains(shown), "PDF lacks {shown}");
    }
    let ledger = t.sim.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        (ledger[0].tracking_number.as_str(), ledger[0].amount),
        (tn.as_str(), 32.24)
    );

    let del = t
        .intl(
            &tokens,
            reqwest::Method::DELETE,
            &format!("/international-label/{tn}"),
            None,
            None,
            false,
        )
        .await;
    assert_eq!(
        (del.status, del.json["status"].as_str()),
        (200, Some("CANCELED")),
        "{}",
        del.text
    );
    let again = t
        .intl(
            &tokens,
            reqwest::Method::DELETE,
            &format!("/international-label/{tn}"),
            None,
            None,
            false,
        )
        .await;
    assert_eq!(again.error_codes(), vec!["160186"]);
    let reprint = t
        .intl(
            &tokens,
            reqwest::Method::POST,
            &format!("/international-label-reprint/{tn}"),
            None,
            Some(json!({})),
            false,
        )
        .await;
    assert_eq!(reprint.error_codes(), vec!["160379"]);
    let ledger = t.sim.ledger();
    assert_eq!(ledger.len(), 2);
    assert_eq!(
        (format!("{:?}", ledger[1].kind), ledger[1].amount),
        ("Canceled".to_string(), -32.24)
    );

    // Idempotent purchase, immediate manifest, cancel by key → refund request.
    let key = uuid::Uuid::new_v4().to_string();
    let mut manifested = label_body();
    manifested["packageDescription"]["packageOptions"]["immediateManifest"] = json!(true);
    manifested["packageDescription"]["extraServices"] = json!([930]);
    let first = t.intl_label(&tokens, Some(&key), &manifested, true).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert_eq!(first.json["extraServices"][0]["serviceID"], "930");
    assert_eq!(first.json["extraServices"][0]["price"], json!(3.2));
    let replay = t.intl_label(&tokens, Some(&key), &manifested, true).await;
    assert_eq!(tracking_of(&replay), tracking_of(&first));
    let mut other = manifested.clone();
    other["packageDescription"]["weight"] = json!(4);
    let reused = t.intl_label(&tokens, Some(&key), &other, true).await;
    assert_eq!(reused.status, 400);
    assert_eq!(
        reused.json["error"]["errors"][0]["source"]["parameter"],
        "X-Idempotency-Key"
    );
    assert_eq!(t.sim.ledger().len(), 3, "one charge for the key");
    assert_eq!(t.sim.ledger()[2].amount, 35.44);

    let by_key = t
        .intl(
            &tokens,
            reqwest::Method::POST,
            "/international-label-reprint",
            Some(&key),
            Some(json!({"imageInfo": {"suppressPostage": true}})),
            true,
        )
        .await;
    assert_eq!(by_key.status, 200, "{}", by_key.text);
    assert_eq!(by_key.headers["x-idempotency-key"], key.as_str());
    assert_eq!(
        by_key.json["reprintInfo"],
        json!({"reprintNumber": 1, "reprintLimit": 3})
    );
    assert!(
        !String::from_utf8_lossy(&pdf_bytes(by_key.json["labelImage"].as_str().unwrap()))
            .contains("Postage:")
    );
    let tn2 = tracking_of(&first);
    for n in 2..=3 {
        let r = t
            .intl(
                &tokens,
                reqwest::Method::POST,
                &format!("/international-label-reprint/{tn2}"),
                None,
                Some(json!({})),
                false,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let info: Value = serde_json::from_str(r.part("reprintInfo").unwrap()).unwrap();
        assert_eq!(info["reprintNumber"], n);
    }
    let fourth = t
        .intl(
            &tokens,
            reqwest::Method::POST,
            &format!("/international-label-reprint/{tn2}"),
            None,
            Some(json!({})),
            false,
        )
        .await;
    assert_refused(
        "fourth reprint",
        &fourth,
        None,
        "trackingNumber",
        "up to 3 times",
    );
    let zpl = t
        .intl(
            &tokens,
            reqwest::Method::POST,
            &format!("/international-label-reprint/{tn2}"),
            None,
            Some(json!({"imageInfo": {"imageType": "ZPL203DPI"}})),
            false,
        )
        .await;
    assert_refused(
        "reprint as ZPL",
        &zpl,
        None,
        "imageInfo.imageType",
        "not available in the simulator",
    );

    let refund = t
        .intl(
            &tokens,
            reqwest::Method::DELETE,
            "/international-label",
            Some(&key),
            None,
            false,
        )
        .await;
    assert_eq!(refund.status, 200, "{}", refund.text);
    assert_eq!(refund.json["status"], "DISPUTED");
    assert!(refund.json["disputeId"].is_string());
    let last = t.sim.ledger().pop().unwrap();
    assert_eq!(
        (format!("{:?}", last.kind), last.amount),
        ("RefundRequested".to_string(), -35.44)
    );

    // Domestic labels are not found through the international API, and the reverse.
    let domestic = t
        .create_label(&tokens.0, &tokens.1, None, &label_request(1.0), true)
        .await;
    let dtn = domestic.json["trackingNumber"].as_str().unwrap();
    let r = t
        .intl(
            &tokens,
            reqwest::Method::DELETE,
            &format!("/international-label/{dtn}"),
            None,
            None,
            false,
        )
        .await;
    assert_eq!(r.error_codes(), vec!["160185"]);
    // Duties and taxes prepaid for the recipient are charged with the postage.
    let mut prepaid = label_body();
    prepaid["packageDescription"]["prepayDutiesTaxesFees"] = json!(true);
    let r = t.intl_label(&tokens, None, &prepaid, false).await;
    let quote: Value = serde_json::from_str(r.part("prepaidDutiesTaxesFees").unwrap()).unwrap();
    assert_eq!(
        quote["itemCosts"][0],
        json!({"itemDescription": "Wool sweater", "dutyPrice": 4.0, "taxPrice": 8.0})
    );
    assert_eq!(t.sim.ledger().pop().unwrap().amount, 52.74);
    let missing_key = t
        .intl(
            &tokens,
            reqwest::Method::DELETE,
            "/international-label",
            None,
            None,
            false,
        )
        .await;
    assert_refused(
        "cancel without key",
        &missing_key,
        None,
        "X-Idempotency-Key",
        "required",
    );
}

#[tokio::test]
async fn the_aes_rule_and_continuation_pages() {
    let t = TestSim::start().await;
    let tokens = t.label_tokens().await;
    let mut body = label_body();
    body["toAddress"] = json!({"firstName": "Oliver", "lastName": "Brown", "streetAddress": "10 Downing St", "city": "London",
        "postalCode": "SW1A 2AA", "country": "United Kingdom", "countryISOAlpha2Code": "GB"});
    body["customsForm"]["contents"] = json!([
        item("Laptop", 1500.0, 1.0, "8471.30"),
        item("Laptop dock", 1500.0, 1.0, "8471.30")
    ]);
    let r = t.intl_label(&tokens, None, &body, false).await;
    assert_refused(
        "$3,000 of one Schedule B number with 30.37(a)",
        &r,
        None,
        "customsForm.AESITN",
        "Internal Transaction Number",
    );
    assert!(t.sim.ledger().is_empty(), "nothing charged");
    body["customsForm"]["AESITN"] = json!("AES X20260112345678");
    assert_eq!(t.intl_label(&tokens, None, &body, false).await.status, 201);
    body["customsForm"]["AESITN"] = json!("NO EEI 30.37(a)");
    body["customsForm"]["contents"][1]["HSTariffNumber"] = json!("4202.12");
    assert_eq!(
        t.intl_label(&tokens, None, &body, false).await.status,
        201,
        "two numbers of $1,500 each"
    );
    body["customsForm"]["AESITN"] = json!("NO EEI 30.36");
    assert_refused(
        "Canada's exemption to the UK",
        &t.intl_label(&tokens, None, &body, false).await,
        None,
        "customsForm.AESITN",
        "only to shipments to Canada",
    );
    body["customsForm"]["AESITN"] = json!("none");
    assert_refused(
        "neither ITN nor legend",
        &t.intl_label(&tokens, None, &body, false).await,
        None,
        "customsForm.AESITN",
        "exemption legend",
    );

    let mut canada = label_body();
    canada["customsForm"]["AESITN"] = json!("NO EEI 30.36");
    canada["packageDescription"]["weight"] = json!(10);
    canada["customsForm"]["contents"] = json!(
        (0..7)
            .map(|i| item(&format!("Camera lens {i}"), 600.0, 1.0, "9002.11"))
            .collect::<Vec<_>>()
    );
    let r = t.intl_label(&tokens, None, &canada, false).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let pdf = pdf_bytes(r.part("labelImage").unwrap());
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/Count 3") && text.contains("CONTINUATION 1"),
        "label, declaration, continuation"
    );
    assert!(text.contains("2 more items on the continuation page"));
    assert!(text.contains("Camera lens 6"));
}

#[tokio::test]
async fn every_label_rule_answers_uspss_error() {
    let t = TestSim::start().await;
    let tokens = t.label_tokens().await;
    let many: Vec<Value> = (0..31)
        .map(|i| item(&format!("Pin {i}"), 1.0, 0.01, "7117.19"))
        .collect();
    let cases: Vec<LabelCase> = vec![
        (
            "no customs form",
            vec![remove("customsForm")],
            None,
            "customsForm",
            "required",
        ),
        (
            "no contents type",
            vec![remove("customsForm.customsContentType")],
            None,
            "customsForm.customsContentType",
            "required",
        ),
        (
            "unknown contents type",
            vec![set("customsForm.customsContentType", json!("STUFF"))],
            None,
            "customsForm.customsContentType",
            "must be one of",
        ),
        (
            "OTHER without comments",
            vec![set("customsForm.customsContentType", json!("OTHER"))],
            None,
            "customsForm.contentComments",
            "required when customsContentType is OTHER",
        ),
        (
            "comments too long",
            vec![set("customsForm.contentComments", json!("x".repeat(26)))],
            None,
            "customsForm.contentComments",
            "size must be between 0 and 25",
        ),
        (
            "restriction OTHER without comments",
            vec![set("customsForm.restrictionType", json!("OTHER"))],
            None,
            "customsForm.restrictionComments",
            "required",
        ),
        (
            "no AESITN",
            vec![remove("customsForm.AESITN")],
            None,
            "customsForm.AESITN",
            "required",
        ),
        (
            "AESITN too long",
            vec![set("customsForm.AESITN", json!("X".repeat(36)))],
            None,
            "customsForm.AESITN",
            "size must be between 1 and 35",
        ),
        (
            "invoice too long",
            vec![set("customsForm.invoiceNumber", json!("INV-0000000000001"))],
            None,
            "customsForm.invoiceNumber",
            "size must be between 1 and 15",
        ),
        (
            "unknown customs member",
            vec![set("customsForm.colour", json!("red"))],
            None,
            "customsForm.colour",
            "not a recognized field",
        ),
        (
            "importer reference too long",
            vec![set(
                "customsForm.importersReference",
                json!({"referenceType": "VAT_NUMBER", "reference": "X".repeat(29)}),
            )],
            None,
            "customsForm.importersReference.reference",
            "size must be between 1 and 28",
        ),
        (
            "no contents",
            vec![set("customsForm.contents", json!([]))],
            None,
            "customsForm.contents",
            "size must be between 1 and 30",
        ),
        (
            "31 items",
            vec![set("customsForm.contents", json!(many))],
            None,
            "customsForm.contents",
            "size must be between 0 and 30",
        ),
        (
            "item without description",
            vec![remove("customsForm.contents.0.itemDescription")],
            None,
            "customsForm.contents[0].itemDescription",
            "required",
        ),
        (
            "description too long",
            vec![set(
                "customsForm.contents.0.itemDescription",
                json!("x".repeat(31)),
            )],
            None,
            "customsForm.contents[0].itemDescription",
            "size must be between 1 and 30",
        ),
        (
            "vague description",
            vec![set(
                "customsForm.contents.1.itemDescription",
                json!("Merchandise"),
            )],
            None,
            "customsForm.contents[1].itemDescription",
            "not a valid description",
        ),
        (
            "description in Cyrillic",
            vec![set(
                "customsForm.contents.0.itemDescription",
                json!("Свитер"),
            )],
            None,
            "customsForm.contents[0].itemDescription",
            "cannot be printed",
        ),
        (
            "item without quantity",
            vec![remove("customsForm.contents.0.itemQuantity")],
            None,
            "customsForm.contents[0].itemQuantity",
            "required",
        ),
        (
            "quantity zero",
            vec![set("customsForm.contents.0.itemQuantity", json!(0))],
            None,
            "customsForm.contents[0].itemQuantity",
            "greater than or equal to 1",
        ),
        (
            "quantity 10,000",
            vec![set("customsForm.contents.0.itemQuantity", json!(10000))],
            None,
            "customsForm.contents[0].itemQuantity",
            "less than or equal to 9999",
        ),
        (
            "fractional quantity",
            vec![set("customsForm.contents.0.itemQuantity", json!(1.5))],
            None,
            "customsForm.contents[0].itemQuantity",
            "whole number",
        ),
        (
            "no value",
            vec![remove("customsForm.contents.0.itemTotalValue")],
            None,
            "customsForm.contents[0].itemTotalValue",
            "Either itemValue and itemWeight",
        ),
        (
            "value one cent short",
            vec![set("customsForm.contents.0.itemTotalValue", json!(0.001))],
            None,
            "customsForm.contents[0].itemTotalValue",
            "greater than or equal to 0.01",
        ),
        (
            "no weight",
            vec![remove("customsForm.contents.0.itemTotalWeight")],
            None,
            "customsForm.contents[0].itemTotalValue",
            "Either itemValue and itemWeight",
        ),
        (
            "weight zero",
            vec![set("customsForm.contents.0.itemTotalWeight", json!(0))],
            None,
            "customsForm.contents[0].itemTotalWeight",
            "greater than 0",
        ),
        (
            "HS tariff too short",
            vec![set("customsForm.contents.0.HSTariffNumber", json!("6110"))],
            None,
            "customsForm.contents[0].HSTariffNumber",
            "size must be between 6 and 14",
        ),
        (
            "HS tariff with dashes",
            vec![set(
                "customsForm.contents.0.HSTariffNumber",
                json!("6110-20-20"),
            )],
            None,
            "customsForm.contents[0].HSTariffNumber",
            "must match",
        ),
        (
            "merchandise without HS tariff",
            vec![remove("customsForm.contents.0.HSTariffNumber")],
            None,
            "customsForm.contents[0].HSTariffNumber",
            "required for commercial contents",
        ),
        (
            "no country of origin",
            vec![remove("customsForm.contents.0.countryofOrigin")],
            None,
            "customsForm.contents[0].countryofOrigin",
            "required",
        ),
        (
            "origin lower case",
            vec![set("customsForm.contents.0.countryofOrigin", json!("us"))],
            None,
            "customsForm.contents[0].countryofOrigin",
            "must match",
        ),
        (
            "origin not a country",
            vec![set("customsForm.contents.0.countryofOrigin", json!("XX"))],
            None,
            "customsForm.contents[0].countryofOrigin",
            "not an ISO",
        ),
        (
            "cremated remains by PMI",
            vec![set(
                "customsForm.customsContentType",
                json!("CREMATED_REMAINS"),
            )],
            None,
            "customsForm.customsContentType",
            "only by PRIORITY_MAIL_EXPRESS_INTERNATIONAL",
        ),
        (
            "radioactive without DANGEROUS_GOODS",
            vec![set("packageDescription.extraServices", json!([813]))],
            None,
            "customsForm.customsContentType",
            "DANGEROUS_GOODS",
        ),
        (
            "items heavier than the package",
            vec![set("packageDescription.weight", json!(1.5))],
            None,
            "customsForm.contents",
            "more than the package",
        ),
        (
            "FCPIS over $400",
            vec![
                set(
                    "packageDescription.mailClass",
                    json!("FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE"),
                ),
                set("customsForm.contents.0.itemTotalValue", json!(380)),
            ],
            None,
            "customsForm.contents",
            "at most $400.00",
        ),
        (
            "small flat rate box over $400",
            vec![
                set("packageDescription.rateIndicator", json!("FS")),
                set("customsForm.contents.0.itemTotalValue", json!(380)),
            ],
            None,
            "customsForm.contents",
            "at most $400.00",
        ),
        (
            "no postal code to Canada",
            vec![remove("toAddress.postalCode")],
            None,
            "toAddress.postalCode",
            "required for addresses in CA",
        ),
        (
            "Canadian postal code shape",
            vec![set("toAddress.postalCode", json!("12345"))],
            None,
            "toAddress.postalCode",
            "not a valid postal code for CA",
        ),
        (
            "postal code too long",
            vec![set("toAddress.postalCode", json!("K1A 0B1 0000"))],
            None,
            "toAddress.postalCode",
            "size must be between 0 and 11",
        ),
        (
            "province too long",
            vec![set("toAddress.province", json!("O".repeat(41)))],
            None,
            "toAddress.province",
            "size must be between 0 and 40",
        ),
        (
            "addressee without a name",
            vec![remove("toAddress.firstName")],
            Some("160075"),
            "toAddress",
            "firstName and lastName or firm",
        ),
        (
            "street too long",
            vec![set("toAddress.streetAddress", json!("S".repeat(51)))],
            None,
            "toAddress.streetAddress",
            "size must be between 1 and 50",
        ),
        (
            "city in Japanese",
            vec![set("toAddress.city", json!("東京"))],
            None,
            "toAddress.city",
            "cannot be printed",
        ),
        (
            "no country name",
            vec![remove("toAddress.country")],
            None,
            "toAddress.country",
            "required",
        ),
        (
            "no country code",
            vec![remove("toAddress.countryISOAlpha2Code")],
            None,
            "toAddress.countryISOAlpha2Code",
            "required",
        ),
        (
            "country code not a country",
            vec![set("toAddress.countryISOAlpha2Code", json!("QQ"))],
            None,
            "toAddress.countryISOAlpha2Code",
            "not an ISO",
        ),
        (
            "country code three letters",
            vec![set("toAddress.countryISOAlpha2Code", json!("CAN"))],
            None,
            "toAddress.countryISOAlpha2Code",
            "must match",
        ),
        (
            "to the US",
            vec![set("toAddress.countryISOAlpha2Code", json!("US"))],
            None,
            "toAddress.countryISOAlpha2Code",
            "domestic",
        ),
        (
            "to a suspended country",
            vec![
                set("toAddress.countryISOAlpha2Code", json!("SY")),
                remove("toAddress.postalCode"),
            ],
            Some("030020"),
            "toAddress.countryISOAlpha2Code",
            "suspended",
        ),
        (
            "phone with dashes",
            vec![set("toAddress.phone", json!("416-555-0100"))],
            None,
            "toAddress.phone",
            "must match",
        ),
        (
            "sender ZIP Code",
            vec![set("fromAddress.ZIPCode", json!("6311"))],
            Some("160119"),
            "fromAddress",
            "ZIP Code is not valid",
        ),
        (
            "sender state",
            vec![set("fromAddress.state", json!("ON"))],
            None,
            "fromAddress.state",
            "must match",
        ),
        (
            "sender without name",
            vec![remove("fromAddress.firm"), remove("fromAddress.lastName")],
            Some("160075"),
            "fromAddress",
            "firstName and lastName or firm",
        ),
        (
            "unknown mail class",
            vec![set("packageDescription.mailClass", json!("PRIORITY_MAIL"))],
            Some("160090"),
            "packageDescription.mailClass",
            "not a valid mailClass",
        ),
        (
            "indicator and packaging",
            vec![set("packageDescription.packagingType", json!("VARIABLE"))],
            Some("160284"),
            "packageDescription.rateIndicator",
            "cannot include packagingType",
        ),
        (
            "no processing category",
            vec![remove("packageDescription.processingCategory")],
            None,
            "packageDescription.processingCategory",
            "required",
        ),
        (
            "no facility type",
            vec![remove("packageDescription.destinationEntryFacilityType")],
            None,
            "packageDescription.destinationEntryFacilityType",
            "required",
        ),
        (
            "no height",
            vec![remove("packageDescription.height")],
            None,
            "packageDescription.height",
            "required",
        ),
        (
            "zero width",
            vec![set("packageDescription.width", json!(0))],
            None,
            "packageDescription.width",
            "greater than 0",
        ),
        (
            "over the country's ceiling",
            vec![set("packageDescription.weight", json!(67))],
            Some("160098"),
            "packageDescription.weight",
            "should not exceed 66 LB",
        ),
        (
            "too long",
            vec![set("packageDescription.length", json!(43))],
            Some("160042"),
            "packageDescription.length, packageDescription.width, packageDescription.height",
            "exceed",
        ),
        (
            "express where it does not go",
            vec![
                set(
                    "packageDescription.mailClass",
                    json!("PRIORITY_MAIL_EXPRESS_INTERNATIONAL"),
                ),
                set("packageDescription.rateIndicator", json!("PA")),
                set("toAddress.countryISOAlpha2Code", json!("UA")),
            ],
            None,
            "toAddress.countryISOAlpha2Code",
            "does not serve UA",
        ),
        (
            "mailing date in the past",
            vec![set("packageDescription.mailingDate", json!("2020-01-01"))],
            Some("160001"),
            "packageDescription.mailingDate",
            "7 days",
        ),
        (
            "mailing date not a date",
            vec![set("packageDescription.mailingDate", json!("soon"))],
            Some("160092"),
            "packageDescription.mailingDate",
            "unable to parse",
        ),
        (
            "two insurances",
            vec![set("packageDescription.extraServices", json!([930, 931]))],
            None,
            "packageDescription.extraServices",
            "one insurance",
        ),
        (
            "four extra services",
            vec![set(
                "packageDescription.extraServices",
                json!([480, 820, 857, 930]),
            )],
            None,
            "packageDescription.extraServices",
            "size must be between 0 and 3",
        ),
        (
            "return receipt",
            vec![set("packageDescription.extraServices", json!([955]))],
            Some("160010"),
            "packageDescription.extraServices",
            "not available",
        ),
        (
            "domestic extra service",
            vec![set("packageDescription.extraServices", json!([921]))],
            None,
            "packageDescription.extraServices",
            "international extra service codes",
        ),
        (
            "insurance without value",
            vec![
                set("packageDescription.extraServices", json!([930])),
                remove("packageDescription.packageOptions.packageValue"),
            ],
            Some("160017"),
            "packageDescription.packageOptions",
            "packageValue is required",
        ),
        (
            "insured over $5,000",
            vec![
                set("packageDescription.extraServices", json!([931])),
                set(
                    "packageDescription.packageOptions.packageValue",
                    json!(5001),
                ),
            ],
            Some("030012"),
            "packageDescription.packageOptions.packageValue",
            "maximum",
        ),
        (
            "insurance on FCPIS",
            vec![
                set(
                    "packageDescription.mailClass",
                    json!("FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE"),
                ),
                set("packageDescription.extraServices", json!([930])),
            ],
            Some("160010"),
            "packageDescription.extraServices",
            "unsupported combination",
        ),
        (
            "redirect without address",
            vec![set(
                "packageDescription.packageOptions.nonDeliveryOption",
                json!("REDIRECT"),
            )],
            None,
            "packageDescription.packageOptions.redirectAddress",
            "required with nonDeliveryOption REDIRECT",
        ),
        (
            "three customer references",
            vec![set(
                "packageDescription.customerReference",
                json!([{"referenceNumber": "A"}, {"referenceNumber": "B"}, {"referenceNumber": "C"}]),
            )],
            None,
            "packageDescription.customerReference",
            "size must be between 0 and 2",
        ),
        (
            "ZPL label",
            vec![set("imageInfo.imageType", json!("ZPL203DPI"))],
            None,
            "imageInfo.imageType",
            "not available in the simulator",
        ),
        (
            "4x4 label",
            vec![set("imageInfo.labelType", json!("4X4LABEL"))],
            None,
            "imageInfo.labelType",
            "must be one of",
        ),
        (
            "unknown top-level member",
            vec![set("returnAddress", json!({}))],
            None,
            "returnAddress",
            "not a recognized field",
        ),
    ];
    for (case, mutations, code, parameter, detail) in cases {
        let mut body = label_body();
        for m in &mutations {
            m(&mut body);
        }
        let r = t.intl_label(&tokens, None, &body, false).await;
        assert_refused(case, &r, code, parameter, detail);
    }
    assert!(
        t.sim.ledger().is_empty(),
        "a refused label is never charged"
    );

    // What the rules allow: packagingType in place of an indicator, unit values, a gift to
    // a country without postal codes, PMEI's flat rate envelope.
    let allowed: Vec<(&str, Vec<Mutation>)> = vec![
        (
            "packaging type",
            vec![
                remove("packageDescription.rateIndicator"),
                set(
                    "packageDescription.packagingType",
                    json!("MD_FLAT_RATE_BOX"),
                ),
            ],
        ),
        (
            "unit value and weight",
            vec![set(
                "customsForm.contents.0",
                json!({"itemDescription": "Socks", "itemQuantity": 3, "itemValue": 5, "itemWeight": 0.2, "HSTariffNumber": "611595", "countryofOrigin": "CN"}),
            )],
        ),
        (
            "a gift to Hong Kong",
            vec![
                set("customsForm.customsContentType", json!("GIFT")),
                remove("customsForm.contents.0.HSTariffNumber"),
                remove("toAddress.postalCode"),
                set("toAddress.countryISOAlpha2Code", json!("hk")),
            ],
        ),
        (
            "PMEI flat rate envelope",
            vec![
                set(
                    "packageDescription.mailClass",
                    json!("PRIORITY_MAIL_EXPRESS_INTERNATIONAL"),
                ),
                set("packageDescription.rateIndicator", json!("E4")),
                set("customsForm.customsContentType", json!("DOCUMENT")),
                set(
                    "customsForm.contents",
                    json!([{"itemDescription": "Contract papers", "itemQuantity": 1, "itemTotalValue": 1, "itemTotalWeight": 0.5, "countryofOrigin": "US"}]),
                ),
            ],
        ),
    ];
    for (case, mutations) in allowed {
        let mut body = label_body();
        for m in &mutations {
            m(&mut body);
        }
        let r = t.intl_label(&tokens, None, &body, true).await;
        assert_eq!(r.status, 201, "{case}: {}", r.text);
    }
    let none = {
        let mut b = label_body();
        b["imageInfo"]["imageType"] = json!("NONE");
        t.intl_label(&tokens, None, &b, false).await
    };
    assert_eq!(
        (none.status, none.part("labelImage").is_none()),
        (201, true)
    );
}

#[tokio::test]
async fn indicia_are_charged_and_never_refunded() {
    let t = TestSim::start().await;
    let tokens = t.label_tokens().await;
    let body = json!({"indiciaDescription": {"processingCategory": "LETTERS", "weight": 1, "length": 9, "height": 4, "thickness": 0.1,
        "mailingDate": today(), "destinationCountryCode": "GB", "nonMachinableIndicators": {"isPolybagged": true}},
        "imageInfo": {"receiptOption": "SEPARATE_PAGE"}});
    let r = t
        .intl(
            &tokens,
            reqwest::Method::POST,
            "/indicia",
            None,
            Some(body.clone()),
            false,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let meta: Value = serde_json::from_str(r.part("indiciaMetadata").unwrap()).unwrap();
    assert_eq!(meta["postage"], json!(1.75));
    assert_eq!(meta["fees"][0]["price"], json!(0.49));
    assert!(pdf_bytes(r.part("indiciaImage").unwrap()).starts_with(b"%PDF"));
    assert!(r.part("receiptImage").is_some());
    let ledger = t.sim.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].amount, 2.24);
    let vendor = t
        .intl(
            &tokens,
            reqwest::Method::POST,
            "/indicia",
            None,
            Some(json!({"indiciaDescription": body["indiciaDescription"]})),
            true,
        )
        .await;
    assert_eq!(vendor.status, 201, "{}", vendor.text);
    assert!(vendor.json["indiciaImage"].is_string() && vendor.json.get("receiptImage").is_none());
    let mut heavy = body.clone();
    heavy["indiciaDescription"]["weight"] = json!(4);
    let r = t
        .intl(
            &tokens,
            reqwest::Method::POST,
            "/indicia",
            None,
            Some(heavy),
            false,
        )
        .await;
    assert_refused(
        "heavy letter",
        &r,
        Some("030014"),
        "indiciaDescription.weight",
        "exceeds 3.5 oz",
    );
    let mut late = body.clone();
    late["indiciaDescription"]["mailingDate"] = json!("2020-01-01");
    let r = t
        .intl(
            &tokens,
            reqwest::Method::POST,
            "/indicia",
            None,
            Some(late),
            false,
        )
        .await;
    assert_refused(
        "old date",
        &r,
        Some("160001"),
        "indiciaDescription.mailingDate",
        "7 days",
    );
    let id = &ledger[0].tracking_number;
    let r = t
        .intl(
            &tokens,
            reqwest::Method::DELETE,
            &format!("/international-label/{id}"),
            None,
            None,
            false,
        )
        .await;
    assert_eq!(r.error_codes(), vec!["160185"]);
    assert_eq!(t.sim.ledger().len(), 2);
}

#[tokio::test]
async fn the_gate_scopes_payment_tokens_counters_and_faults() {
    let t = TestSim::start().await;
    let tokens = t.label_tokens().await;
    // Public Access opens international prices but not international labels.
    let public = t.client_token(PUBLIC_CLIENT, PUBLIC_SECRET).await;
    let r = t
        .send(
            t.http
                .post(t.url(&format!("{LABELS}/international-label")))
                .bearer_auth(&public)
                .json(&label_body()),
        )
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json["apiVersion"], "/international-labels/v3");
    let r = t
        .send(
            t.http
                .post(t.url(&format!("{LABELS}/international-label")))
                .bearer_auth(&tokens.0)
                .json(&label_body()),
        )
        .await;
    assert_refused(
        "no payment token",
        &r,
        None,
        "X-Payment-Authorization-Token",
        "required",
    );
    let r = t
        .send(
            t.http
                .post(t.url(&format!("{PRICES}/base-rates/search")))
                .bearer_auth(&public)
                .header("Content-Type", "text/plain")
                .body(base_query("PRIORITY_MAIL_INTERNATIONAL", "SP", "CA", 1.0).to_string()),
        )
        .await;
    assert_eq!(r.status, 415);
    let (access, _) = t.user_tokens(CLIENT, SECRET, "unlinked").await;
    let r = t
        .intl_label(&(access, tokens.1.clone()), None, &label_body(), false)
        .await;
    assert_eq!(r.status, 403, "no business behind the token: {}", r.text);

    t.read("/calls").await;
    let calls = t.sim.calls();
    assert!(
        calls["international-prices"] >= 1 && calls["international-labels"] >= 3,
        "{calls:?}"
    );

    t.control(
        "/fail",
        json!({"target": "international-prices", "status": 503}),
    )
    .await;
    let r = t.price(&public, "letter-rates", &json!({})).await;
    assert_eq!(
        (r.status, r.json["apiVersion"].as_str()),
        (503, Some("/international-prices/v3"))
    );
    t.control(
        "/fail",
        json!({"target": "international-labels", "status": 429}),
    )
    .await;
    let r = t.intl_label(&tokens, None, &label_body(), false).await;
    assert_eq!(r.status, 429);
    assert!(r.headers.contains_key("retry-after"));
    assert!(t.sim.ledger().is_empty());
    let r = t
        .send(t.http.get(t.url(&format!("{LABELS}/international-label"))))
        .await;
    assert_eq!(r.status, 405);
}
