//! Domestic Prices `extra-service-rates/search` and `letter-rates/search`, and Shipping Options
//! `options/search`: answers, agreement with the other price searches, and each rule they
//! enforce (README "Operations").

mod common;

use common::*;
use serde_json::{Value, json};

fn codes(r: &Resp) -> Vec<String> {
    r.error_codes()
}

fn params(r: &Resp) -> Vec<String> {
    r.json["error"]["errors"].as_array().map_or(vec![], |e| {
        e.iter()
            .filter_map(|x| x["source"]["parameter"].as_str().map(str::to_string))
            .collect()
    })
}

async fn post(t: &TestSim, tok: &str, path: &str, body: Value) -> Resp {
    t.post_json(path, tok, &body).await
}

async fn token(t: &TestSim) -> String {
    t.client_token(CLIENT, SECRET).await
}

const EXTRA: &str = "/prices/v3/extra-service-rates/search";
const LETTER: &str = "/prices/v3/letter-rates/search";
const OPTIONS: &str = "/shipments/v3/options/search";

#[tokio::test]
async fn extra_service_rates_price_what_total_rates_adds() {
    let t = TestSim::start().await;
    let tok = token(&t).await;
    let r = t
        .post_json(
            EXTRA,
            &tok,
            &json!({"mailClass": "PRIORITY_MAIL", "priceType": "COMMERCIAL", "extraServices": [921, 930], "itemValue": 120}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = r.json.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["extraService"], "921");
    assert_eq!(list[0]["priceType"], "COMMERCIAL");
    let total = t
        .post_json(
            "/prices/v3/total-rates/search",
            &tok,
            &json!({"originZIPCode": "63116", "destinationZIPCode": "02108", "weight": 2, "length": 10, "width": 8, "height": 4,
                "mailClass": "PRIORITY_MAIL", "extraServices": [921, 930], "itemValue": 120, "priceType": "COMMERCIAL"}),
        )
        .await;
    let extras = &total.json["rateOptions"][0]["extraServices"];
    assert_eq!(extras[0]["price"], list[0]["price"]);
    assert_eq!(extras[1]["price"], list[1]["price"]);

    // The deprecated single-integer form.
    let single = t
        .post_json(
            EXTRA,
            &tok,
            &json!({"mailClass": "USPS_GROUND_ADVANTAGE", "priceType": "RETAIL", "extraServices": 921}),
        )
        .await;
    assert_eq!(single.status, 200, "{}", single.text);
    assert_eq!(single.json.as_array().unwrap().len(), 1);

    // Without a list: what the class offers (Sunday delivery only with Priority Mail Express).
    let all = |class: &'static str| {
        post(
            &t,
            &tok,
            EXTRA,
            json!({"mailClass": class, "priceType": "COMMERCIAL"}),
        )
    };
    let ground = all("USPS_GROUND_ADVANTAGE").await;
    let express = all("PRIORITY_MAIL_EXPRESS").await;
    let has = |r: &Resp, code: &str| {
        r.json
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["extraService"] == code)
    };
    assert!(!has(&ground, "991") && has(&express, "991"));
    assert!(!has(&ground, "930"), "insurance needs an item value");
    let media = all("MEDIA_MAIL").await;
    assert!(!has(&media, "910"), "no Certified Mail with Media Mail");
    assert_eq!(t.read("/calls").await["calls"]["prices"], 6);
}

#[tokio::test]
async fn extra_service_rates_rules() {
    let t = TestSim::start().await;
    let tok = token(&t).await;
    let ask = |body: Value| post(&t, &tok, EXTRA, body);
    let base = json!({"mailClass": "PRIORITY_MAIL", "priceType": "COMMERCIAL"});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };

    let r = ask(json!({"mailClass": "PRIORITY_MAIL"})).await;
    assert_eq!((r.status, codes(&r)), (400, vec!["030010".to_string()]));
    let r = ask(with("extraServices", json!([930]))).await;
    assert_eq!(codes(&r), vec!["030024"]);
    let mut b = with("extraServices", json!([930]));
    b["itemValue"] = json!(6000);
    assert_eq!(codes(&ask(b).await), vec!["030012"]);
    let r = ask(with("extraServices", json!([123]))).await;
    assert_eq!(
        (r.status, params(&r)),
        (400, vec!["extraServices".to_string()])
    );
    let r = ask(with("extraServices", json!([480]))).await;
    assert_eq!(
        codes(&r),
        vec!["030021"],
        "a code the simulator does not price"
    );
    let r = ask(with("originZIPCode", json!("6311"))).await;
    assert_eq!(codes(&r), vec!["010002"]);
    let r = ask(with("itemValue", json!(-1))).await;
    assert_eq!(params(&r), vec!["itemValue"]);
    let r = ask(with("mailClass", json!("POSTCARD"))).await;
    assert_eq!(params(&r), vec!["mailClass"]);
    let r = ask(with("bogus", json!(1))).await;
    assert_eq!(params(&r), vec!["bogus"]);
    let r = ask(with("mailingDate", json!("2020-01-01"))).await;
    assert_eq!(codes(&r), vec!["030003"]);
    let mut b = with("accountType", json!("EPS"));
    b["accountNumber"] = json!("1000099999");
    assert_eq!(ask(b).await.status, 403);
    let plain = t
        .send(
            t.http
                .post(t.url(EXTRA))
                .bearer_auth(&tok)
                .header("Content-Type", "text/plain")
                .body(base.to_string()),
        )
        .await;
    assert_eq!(plain.status, 415);
}

#[tokio::test]
async fn letter_rates_price_by_the_ounce_within_the_category_limits() {
    let t = TestSim::start().await;
    let tok = token(&t).await;
    let ask = |body: Value| post(&t, &tok, LETTER, body);
    let letter = |w: f64, l: f64, h: f64, th: f64, cat: &str| json!({"weight": w, "length": l, "height": h, "thickness": th, "processingCategory": cat});
    let r = ask(letter(1.0, 9.0, 4.0, 0.1, "LETTERS")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["totalBasePrice"], 0.78);
    assert_eq!(r.json["rates"][0]["mailClass"], "FIRST-CLASS_MAIL");
    assert_eq!(r.json["rates"][0]["priceType"], "RETAIL");
    let heavier = ask(letter(2.5, 9.0, 4.0, 0.1, "LETTERS")).await;
    assert_eq!(heavier.json["totalBasePrice"], 1.36);
    let mut rigid = letter(1.0, 9.0, 4.0, 0.1, "LETTERS");
    rigid["nonMachinableIndicators"] = json!({"isRigid": true});
    let r = ask(rigid).await;
    assert_eq!(r.json["totalBasePrice"], 1.27);
    assert_eq!(r.json["rates"][0]["fees"][0]["price"], 0.49);
    let flat = ask(letter(3.0, 12.0, 9.0, 0.5, "FLATS")).await;
    assert_eq!(flat.json["totalBasePrice"], 2.21);
    let card = ask(letter(0.2, 5.5, 4.0, 0.01, "CARDS")).await;
    assert_eq!(card.json["totalBasePrice"], 0.61);
    let mut certified = letter(1.0, 9.0, 4.0, 0.1, "LETTERS");
    certified["extraServices"] = json!([910]);
    let r = ask(certified).await;
    assert_eq!(
        r.json["rates"][0]["extraServices"][0]["extraService"],
        "910"
    );

    let code = |r: Resp| codes(&r);
    assert_eq!(
        code(ask(letter(4.0, 9.0, 4.0, 0.1, "LETTERS")).await),
        vec!["030014"]
    );
    assert_eq!(
        code(ask(letter(14.0, 12.0, 9.0, 0.5, "FLATS")).await),
        vec!["030015"]
    );
    assert_eq!(
        code(ask(letter(1.0, 4.0, 3.0, 0.1, "LETTERS")).await),
        vec!["030016"]
    );
    assert_eq!(
        code(ask(letter(1.0, 12.0, 4.0, 0.1, "LETTERS")).await),
        vec!["030017"]
    );
    assert_eq!(
        code(ask(letter(1.0, 9.0, 4.0, 0.1, "FLATS")).await),
        vec!["030018"]
    );
    assert_eq!(
        code(ask(letter(1.0, 16.0, 9.0, 0.5, "FLATS")).await),
        vec!["030019"]
    );
    assert_eq!(
        code(ask(letter(0.2, 7.0, 4.0, 0.01, "CARDS")).await),
        vec!["030017"]
    );

    let r = ask(letter(1.0, 9.0, 4.0, 0.0, "LETTERS")).await;
    assert_eq!(params(&r), vec!["thickness"]);
    assert!(r.text.contains("must be greater than 0"));
    let r =
        ask(json!({"weight": 1, "length": 9, "height": 4, "processingCategory": "LETTERS"})).await;
    assert_eq!(code(r), vec!["030010"]);
    let r = ask(letter(1.0, 9.0, 4.0, 0.1, "PARCELS")).await;
    assert_eq!(params(&r), vec!["processingCategory"]);
    let mut insured = letter(1.0, 9.0, 4.0, 0.1, "LETTERS");
    insured["extraServices"] = json!([930]);
    assert_eq!(code(ask(insured.clone()).await), vec!["030024"]);
    insured["extraServices"] = json!([920]);
    assert_eq!(params(&ask(insured.clone()).await), vec!["extraServices"]);
    insured["extraServices"] = json!([911]);
    assert_eq!(code(ask(insured).await), vec!["030021"]);
    let mut odd = letter(1.0, 9.0, 4.0, 0.1, "LETTERS");
    odd["nonMachinableIndicators"] = json!({"isSquare": true});
    assert_eq!(
        params(&ask(odd).await),
        vec!["nonMachinableIndicators.isSquare"]
    );
}

fn options_request(class: &str) -> Value {
    json!({
        "originZIPCode": "63116", "destinationZIPCode": "02108",
        "packageDescription": {"weight": 3, "length": 12, "width": 10, "height": 8, "mailClass": class},
        "pricingOptions": [{"priceType": "COMMERCIAL"}],
    })
}

#[tokio::test]
async fn shipping_options_agree_with_the_prices_api() {
    let t = TestSim::start().await;
    // Shipping Options is in the Public Access product.
    let tok = t.client_token(PUBLIC_CLIENT, PUBLIC_SECRET).await;
    let r = t
        .post_json(OPTIONS, &tok, &options_request("ALL_OUTBOUND"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["originZIPCode"], "63116");
    let shipping = r.json["pricingOptions"][0]["shippingOptions"]
        .as_array()
        .unwrap();
    let ground = shipping
        .iter()
        .find(|o| o["mailClass"] == "USPS_GROUND_ADVANTAGE")
        .expect("ground advantage offered");
    let option = &ground["rateOptions"][0];
    assert!(option["commitment"]["expectedDeliveryDate"].is_string());
    let base = t
        .post_json(
            "/prices/v3/base-rates/search",
            &tok,
            &json!({"originZIPCode": "63116", "destinationZIPCode": "02108", "weight": 3, "length": 12, "width": 10, "height": 8,
                "mailClass": "USPS_GROUND_ADVANTAGE", "processingCategory": "MACHINABLE", "rateIndicator": "SP",
                "destinationEntryFacilityType": "NONE", "priceType": "COMMERCIAL"}),
        )
        .await;
    assert_eq!(option["totalBasePrice"], base.json["totalBasePrice"]);
    assert_eq!(option["rates"][0]["SKU"], base.json["rates"][0]["SKU"]);
    assert!(shipping.iter().any(
        |o| o["mailClass"] == "PRIORITY_MAIL" && o["rateOptions"].as_array().unwrap().len() > 1
    ));
    let express = shipping
        .iter()
        .find(|o| o["mailClass"] == "PRIORITY_MAIL_EXPRESS")
        .unwrap();
    assert_eq!(
        express["rateOptions"][0]["commitment"]["guaranteedDelivery"],
        true
    );

    let mut both = options_request("USPS_GROUND_ADVANTAGE");
    both["pricingOptions"] = json!([{"priceType": "RETAIL"}, {"priceType": "COMMERCIAL"}]);
    both["packageDescription"]["extraServices"] = json!([921]);
    let r = t.post_json(OPTIONS, &tok, &both).await;
    let retail = &r.json["pricingOptions"][0]["shippingOptions"][0]["rateOptions"][0];
    let commercial = &r.json["pricingOptions"][1]["shippingOptions"][0]["rateOptions"][0];
    assert!(retail["totalBasePrice"].as_f64() > commercial["totalBasePrice"].as_f64());
    assert_eq!(retail["extraServices"][0]["extraService"], "921");
    let sum = commercial["totalBasePrice"].as_f64().unwrap()
        + commercial["extraServices"][0]["price"].as_f64().unwrap();
    assert!((commercial["totalPrice"].as_f64().unwrap() - sum).abs() < 0.005);

    let returns = t
        .post_json(OPTIONS, &tok, &options_request("ALL_RETURNS"))
        .await;
    let list = returns.json["pricingOptions"][0]["shippingOptions"]
        .as_array()
        .unwrap();
    assert!(!list.is_empty());
    assert!(
        list.iter()
            .all(|o| o["rateOptions"][0]["commitment"].is_null())
    );

    let mut cheapest = options_request("PRIORITY_MAIL");
    cheapest["shippingFilter"] = json!("PRICE");
    let r = t.post_json(OPTIONS, &tok, &cheapest).await;
    assert_eq!(
        r.json["pricingOptions"][0]["shippingOptions"][0]["rateOptions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let mut fastest = options_request("ALL_OUTBOUND");
    fastest["shippingFilter"] = json!("SERVICE_STANDARDS");
    let r = t.post_json(OPTIONS, &tok, &fastest).await;
    assert_eq!(
        r.json["pricingOptions"][0]["shippingOptions"][0]["mailClass"],
        "PRIORITY_MAIL_EXPRESS"
    );

    let mut contract = options_request("USPS_GROUND_ADVANTAGE");
    contract["pricingOptions"] = json!([{"priceType": "CONTRACT", "paymentAccount": {"accountType": "EPS", "accountNumber": EPS}}]);
    let r = t.post_json(OPTIONS, &tok, &contract).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json["pricingOptions"][0]["paymentAccount"]["accountNumber"],
        EPS
    );
    assert_eq!(
        r.json["pricingOptions"][0]["shippingOptions"][0]["rateOptions"][0]["rates"][0]["priceType"],
        "CONTRACT"
    );
    assert_eq!(t.read("/calls").await["calls"]["shipments"], 6);
}

#[tokio::test]
async fn shipping_options_rules() {
    let t = TestSim::start().await;
    let tok = token(&t).await;
    let ask = |body: Value| post(&t, &tok, OPTIONS, body);
    let base = options_request("USPS_GROUND_ADVANTAGE");
    let pd = |k: &str, v: Value| {
        let mut b = base.clone();
        b["packageDescription"][k] = v;
        b
    };

    let r = ask(pd("weight", json!(0))).await;
    assert_eq!(params(&r), vec!["packageDescription.weight"]);
    assert!(r.text.contains("must be greater than 0"));
    let r = ask(pd("girth", json!(-2))).await;
    assert_eq!(params(&r), vec!["packageDescription.girth"]);
    let r = ask(pd("extraServices", json!([920, 921, 922, 923, 924, 930]))).await;
    assert_eq!(params(&r), vec!["packageDescription.extraServices"]);
    let r = ask(pd("extraServices", json!([930]))).await;
    assert_eq!(codes(&r), vec!["030024"]);
    let r = ask(pd("extraServices", json!([480]))).await;
    assert_eq!(codes(&r), vec!["030021"]);
    let r = ask(pd("packageValue", json!(-5))).await;
    assert_eq!(params(&r), vec!["packageDescription.packageValue"]);
    let r = ask(pd("mailClass", json!("USPS_RETAIL_GROUND"))).await;
    assert_eq!(params(&r), vec!["packageDescription.mailClass"]);
    let late = (time::OffsetDateTime::now_utc().date() + time::Duration::days(40)).to_string();
    let r = ask(pd("mailingDate", json!(late))).await;
    assert_eq!(params(&r), vec!["packageDescription.mailingDate"]);
    let soon = (time::OffsetDateTime::now_utc().date() + time::Duration::days(20)).to_string();
    assert_eq!(ask(pd("mailingDate", json!(soon))).await.status, 200);
    let r = ask(pd("weight", json!(90))).await;
    assert_eq!(codes(&r), vec!["030020"]);

    let mut b = base.clone();
    b["originZIPCode"] = json!("ABCDE");
    assert_eq!(codes(&ask(b).await), vec!["010002"]);
    let mut b = base.clone();
    b["destinationZIPCode"] = json!("00100");
    assert_eq!(codes(&ask(b).await), vec!["030001"]);
    let mut b = base.clone();
    b.as_object_mut().unwrap().remove("pricingOptions");
    assert_eq!(codes(&ask(b).await), vec!["030010"]);
    let mut b = base.clone();
    b["pricingOptions"] = json!([]);
    assert_eq!(params(&ask(b).await), vec!["pricingOptions"]);
    let mut b = base.clone();
    b["pricingOptions"] = json!([{"priceType": "CONTRACT"}]);
    assert_eq!(
        params(&ask(b).await),
        vec!["pricingOptions[0].paymentAccount"]
    );
    let mut b = base.clone();
    b["pricingOptions"] = json!([{"priceType": "CONTRACT", "paymentAccount": {"accountType": "EPS", "accountNumber": "1000099999"}}]);
    assert_eq!(ask(b).await.status, 403);
    let mut b = base.clone();
    b["pricingOptions"] = json!([{"priceType": "NSA"}]);
    assert_eq!(params(&ask(b).await), vec!["pricingOptions[0].priceType"]);
    let mut b = base.clone();
    b["destinationEntryFacilityType"] = json!("AIRPORT");
    assert_eq!(params(&ask(b).await), vec!["destinationEntryFacilityType"]);
    let mut b = base.clone();
    b["extra"] = json!(true);
    assert_eq!(params(&ask(b).await), vec!["extra"]);
    let mut b = base.clone();
    b["destinationCountryCode"] = json!("CA");
    assert_eq!(params(&ask(b).await), vec!["destinationCountryCode"]);

    // Faults target the API by name; the token needs the shipments scope.
    t.control("/fail", json!({"target": "shipments", "status": 503}))
        .await;
    let r = ask(base.clone()).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.json["apiVersion"], "/shipments/v3");
    assert_eq!(t.post_json(OPTIONS, "bad", &base).await.status, 401);
}
