//! Domestic Labels beyond create/cancel/reprint: return labels, label edits, indicia (letter and
//! IMb) and label branding images — answers, ledger effects and each rule they enforce.

mod common;

use base64::Engine;
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

/// A label call with both tokens (and optionally the vendor JSON media type).
fn call(
    t: &TestSim,
    method: reqwest::Method,
    path: &str,
    access: &str,
    payment: &str,
    vendor: bool,
) -> reqwest::RequestBuilder {
    let mut rb = t
        .http
        .request(method, t.url(path))
        .bearer_auth(access)
        .header("X-Payment-Authorization-Token", payment);
    if vendor {
        rb = rb.header("Accept", "application/vnd.usps.labels+json");
    }
    rb
}

fn return_request() -> Value {
    json!({
        "imageInfo": {"imageType": "PDF", "labelType": "4X6LABEL"},
        "toAddress": {"firm": "Shipdesk Returns", "streetAddress": "4120 Bingham Ave", "city": "St. Louis", "state": "MO", "ZIPCode": "63116"},
        "fromAddress": {"firstName": "Joe", "lastName": "Doe", "streetAddress": "1100 Wyoming", "city": "St. Louis", "state": "MO", "ZIPCode": "63118"},
        "packageDescription": {"mailClass": "USPS_GROUND_ADVANTAGE_RETURN_SERVICE", "rateIndicator": "SP", "weight": 2, "length": 10, "width": 8, "height": 4, "processingCategory": "MACHINABLE"},
    })
}

#[tokio::test]
async fn return_labels_are_pay_on_use_and_cannot_be_canceled() {
    let t = TestSim::start().await;
    let (tok, payment) = t.label_tokens().await;
    let key = uuid::Uuid::new_v4().to_string();
    let r = t
        .send(
            call(
                &t,
                reqwest::Method::POST,
                "/labels/v3/return-label",
                &tok,
                &payment,
                false,
            )
            .header("X-Idempotency-Key", &key)
            .json(&return_request()),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let meta: Value = serde_json::from_str(r.part("returnLabelMetadata").unwrap()).unwrap();
    let tn = meta["trackingNumber"].as_str().unwrap().to_string();
    assert!(r.part("returnLabelImage").is_some());
    assert!(meta["commitment"].is_null(), "returns carry no commitment");
    assert!(meta["postage"].as_f64().unwrap() > 0.0);
    assert_eq!(t.read("/ledger").await["entries"], json!([]), "pay-on-use");

    let again = t
        .send(
            call(
                &t,
                reqwest::Method::POST,
                "/labels/v3/return-label",
                &tok,
                &payment,
                true,
            )
            .header("X-Idempotency-Key", &key)
            .json(&return_request()),
        )
        .await;
    assert_eq!(again.json["trackingNumber"], tn.as_str());
    assert!(again.json["returnLabelImage"].is_string());

    let form = json!({"mailingDate": today(), "entryFacilityZIPCode": "63118", "destinationEntryFacilityType": "NONE",
        "shipment": {"MID": MID}, "fromAddress": {"firstName": "Joe", "lastName": "Doe", "streetAddress": "1100 Wyoming",
        "city": "St. Louis", "state": "MO", "ZIPCode": "63118"}});
    let scan = t.post_json("/scan-forms/v3/scan-form", &tok, &form).await;
    assert_eq!(
        codes(&scan),
        vec!["160037"],
        "return labels are never on a SCAN form"
    );

    let cancel = t
        .send(call(
            &t,
            reqwest::Method::DELETE,
            &format!("/labels/v3/label/{tn}"),
            &tok,
            &payment,
            false,
        ))
        .await;
    assert_eq!(codes(&cancel), vec!["160187"]);

    let mut deprecated = return_request();
    deprecated["packageDescription"]["mailClass"] = json!("GROUND_RETURN_SERVICE");
    let r = t
        .send(
            call(
                &t,
                reqwest::Method::POST,
                "/labels/v3/return-label",
                &tok,
                &payment,
                true,
            )
            .json(&deprecated),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    let refused = |body: Value| {
        let rb = call(
            &t,
            reqwest::Method::POST,
            "/labels/v3/return-label",
            &tok,
            &payment,
            false,
        )
        .json(&body);
        t.send(rb)
    };
    let mut outbound = return_request();
    outbound["packageDescription"]["mailClass"] = json!("PRIORITY_MAIL");
    assert_eq!(codes(&refused(outbound).await), vec!["160090"]);
    let mut small = return_request();
    small["imageInfo"]["labelType"] = json!("4X4LABEL");
    assert_eq!(codes(&refused(small).await), vec!["160346"]);
    let mut indicator = return_request();
    indicator["packageDescription"]["rateIndicator"] = json!("LF");
    assert_eq!(
        params(&refused(indicator).await),
        vec!["packageDescription.rateIndicator"]
    );
    let mut long_street = return_request();
    long_street["fromAddress"]["streetAddress"] = json!("9".repeat(51));
    assert_eq!(
        params(&refused(long_street).await),
        vec!["fromAddress.streetAddress"]
    );
    let mut no_height = return_request();
    no_height["packageDescription"]
        .as_object_mut()
        .unwrap()
        .remove("height");
    assert!(params(&refused(no_height).await).contains(&"packageDescription.height".to_string()));
}

#[tokio::test]
async fn return_labels_need_ship_returns_enrollment() {
    let mut scenario = demo();
    scenario.users[0].returns_enrolled = false;
    let t = TestSim::start_with(scenario).await;
    let (tok, payment) = t.label_tokens().await;
    let r = t
        .send(
            call(
                &t,
                reqwest::Method::POST,
                "/labels/v3/return-label",
                &tok,
                &payment,
                false,
            )
            .json(&return_request()),
        )
        .await;
    assert_eq!(codes(&r), vec!["160304"]);
    assert_eq!(params(&r), vec!["Header: X-Payment-Authorization-Token"]);
    let bare = t
        .send(
            t.http
                .post(t.url("/labels/v3/return-label"))
                .bearer_auth(&tok)
                .json(&return_request()),
        )
        .await;
    assert_eq!(bare.status, 400, "the payment token is required");
}

async fn bought(t: &TestSim, tok: &str, payment: &str, body: &Value) -> String {
    let r = t.create_label(tok, payment, None, body, true).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["trackingNumber"].as_str().unwrap().to_string()
}

fn patch(t: &TestSim, tn: &str, tok: &str, payment: &str, ops: Value) -> reqwest::RequestBuilder {
    call(
        t,
        reqwest::Method::PATCH,
        &format!("/labels/v3/label/{tn}"),
        tok,
        payment,
        false,
    )
    .json(&ops)
}

#[tokio::test]
async fn label_edits_reprice_and_charge_the_difference() {
    let t = TestSim::start().await;
    let (tok, payment) = t.label_tokens().await;
    let tn = bought(&t, &tok, &payment, &label_request(1.25)).await;
    let before = t.read("/labels").await;
    let r = t
        .send(patch(
            &t,
            &tn,
            &tok,
            &payment,
            json!([{"op": "replace", "path": "/packageDescription/weight", "value": 6}]),
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.headers.contains_key("etag"));
    assert_eq!(r.json["trackingNumber"], tn.as_str());
    assert_eq!(r.json["weight"], 6.0);
    let ledger = t.read("/ledger").await;
    let entries = ledger["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["kind"], "charged");
    assert!(entries[1]["amount"].as_f64().unwrap() > 0.0);
    assert_ne!(before, t.read("/labels").await);

    let one = |path: &str, value: Value| json!([{"op": "replace", "path": path, "value": value}]);
    let r = t
        .send(patch(
            &t,
            &tn,
            &tok,
            &payment,
            one("/packageDescription/weight", json!(0.5)),
        ))
        .await;
    assert_eq!(codes(&r), vec!["160248"]);
    let r = t
        .send(patch(
            &t,
            &tn,
            &tok,
            &payment,
            one("/packageDescription/length", json!("long")),
        ))
        .await;
    assert_eq!(codes(&r), vec!["160252"]);
    let r = t
        .send(patch(
            &t,
            &tn,
            &tok,
            &payment,
            one("/packageDescription/mailClass", json!("PRIORITY_MAIL")),
        ))
        .await;
    assert_eq!(params(&r), vec!["[0].path"]);
    let r = t
        .send(patch(&t, &tn, &tok, &payment, json!({"op": "replace"})))
        .await;
    assert_eq!(params(&r), vec!["body"]);
    let r = t
        .send(patch(
            &t,
            "9400100000000000000000",
            &tok,
            &payment,
            one("/packageDescription/weight", json!(2)),
        ))
        .await;
    assert_eq!(codes(&r), vec!["160179"]);
    let r = t
        .send(patch(
            &t,
            &tn,
            &tok,
            &payment,
            one("/packageDescription/weight", json!(100)),
        ))
        .await;
    assert_eq!(
        codes(&r),
        vec!["160098"],
        "the edited package is checked like a new one"
    );

    let mut shown = label_request(2.0);
    shown["imageInfo"]["suppressPostage"] = json!(false);
    let shown = bought(&t, &tok, &payment, &shown).await;
    let r = t
        .send(patch(
            &t,
            &shown,
            &tok,
            &payment,
            one("/packageDescription/weight", json!(3)),
        ))
        .await;
    assert_eq!(codes(&r), vec!["160250"]);

    let mut cubic = label_request(2.0);
    cubic["packageDescription"]["mailClass"] = json!("PRIORITY_MAIL");
    cubic["packageDescription"]["rateIndicator"] = json!("CP");
    let cubic = bought(&t, &tok, &payment, &cubic).await;
    let r = t
        .send(patch(
            &t,
            &cubic,
            &tok,
            &payment,
            one("/packageDescription/rateIndicator", json!("SP")),
        ))
        .await;
    assert_eq!(codes(&r), vec!["160249"]);

    t.send(call(
        &t,
        reqwest::Method::DELETE,
        &format!("/labels/v3/label/{tn}"),
        &tok,
        &payment,
        false,
    ))
    .await;
    let r = t
        .send(patch(
            &t,
            &tn,
            &tok,
            &payment,
            one("/packageDescription/weight", json!(2)),
        ))
        .await;
    assert_eq!(codes(&r), vec!["160178"]);
}

fn letter_indicia() -> Value {
    json!({"indiciaDescription": {"processingCategory": "LETTERS", "weight": 1, "length": 9, "height": 4, "thickness": 0.1,
        "mailingDate": today()}, "imageInfo": {"imageType": "PDF", "receiptOption": "SEPARATE_PAGE"}})
}

fn imb_request() -> Value {
    json!({
        "indiciaDescription": {"processingCategory": "LETTERS", "weight": 2, "length": 9, "height": 4, "thickness": 0.1, "mailingDate": today(),
            "extraServices": [910]},
        "toAddress": {"firstName": "Joe", "lastName": "Doe", "streetAddress": "1100 Wyoming", "city": "St. Louis", "state": "MO", "ZIPCode": "63118"},
        "returnAddress": {"firm": "Shipdesk", "streetAddress": "4120 Bingham Ave", "city": "St. Louis", "state": "MO", "ZIPCode": "63116"},
    })
}

#[tokio::test]
async fn indicia_are_charged_and_imbs_can_be_canceled() {
    let t = TestSim::start().await;
    let (tok, payment) = t.label_tokens().await;
    let post = |path: &str, body: &Value, vendor: bool| {
        t.send(call(&t, reqwest::Method::POST, path, &tok, &payment, vendor).json(body))
    };
    let r = post("/labels/v3/indicia", &letter_indicia(), false).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let meta: Value = serde_json::from_str(r.part("indiciaMetadata").unwrap()).unwrap();
    assert_eq!(meta["postage"], 0.78);
    assert!(r.part("indiciaImage").is_some() && r.part("receiptImage").is_some());
    let vendor = post("/labels/v3/indicia", &letter_indicia(), true).await;
    assert_eq!(vendor.status, 201);
    assert!(vendor.json["indiciaImage"].is_string());

    let imb = post("/labels/v3/indicia/imb", &imb_request(), true).await;
    assert_eq!(imb.status, 201, "{}", imb.text);
    let barcode = imb.json["indiciaMetadata"]["imb"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(barcode.len(), 31);
    let total = imb.json["indiciaMetadata"]["totalPrice"].as_f64().unwrap();
    assert!((total - (1.07 + 4.85)).abs() < 0.005, "{total}");
    let ledger = t.read("/ledger").await;
    assert_eq!(ledger["entries"].as_array().unwrap().len(), 3);

    let cancel = |imb: String| {
        t.send(call(
            &t,
            reqwest::Method::DELETE,
            &format!("/labels/v3/indicia/imb/{imb}"),
            &tok,
            &payment,
            false,
        ))
    };
    let r = cancel(barcode.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["status"], "CANCELED");
    let ledger = t.read("/ledger").await;
    assert_eq!(ledger["entries"][3]["kind"], "canceled");
    assert_eq!(ledger["entries"][3]["amount"].as_f64().unwrap(), -total);
    assert_eq!(codes(&cancel(barcode.clone()).await), vec!["160377"]);
    assert_eq!(codes(&cancel("0".repeat(31)).await), vec!["160185"]);
    assert_eq!(params(&cancel("123".into()).await), vec!["imb"]);
    let mailed = post("/labels/v3/indicia/imb", &imb_request(), true).await;
    let mailed = mailed.json["indiciaMetadata"]["imb"]
        .as_str()
        .unwrap()
        .to_string();
    t.control("/manifest", json!({"tracking_numbers": [mailed]}))
        .await;
    let r = cancel(mailed.clone()).await;
    assert_eq!(r.json["status"], "DISPUTED");
    assert!(r.json["disputeId"].is_string());
    let ledger = t.read("/ledger").await;
    assert_eq!(ledger["entries"][5]["kind"], "refund_requested");
    assert_eq!(codes(&cancel(mailed).await), vec!["160377"]);

    let mut heavy = letter_indicia();
    heavy["indiciaDescription"]["weight"] = json!(5);
    assert_eq!(
        codes(&post("/labels/v3/indicia", &heavy, false).await),
        vec!["030014"]
    );
    let mut undated = letter_indicia();
    undated["indiciaDescription"]["mailingDate"] = json!("2020-01-01");
    assert_eq!(
        codes(&post("/labels/v3/indicia", &undated, false).await),
        vec!["160001"]
    );
    let mut thin = letter_indicia();
    thin["indiciaDescription"]["thickness"] = json!(0);
    assert_eq!(
        params(&post("/labels/v3/indicia", &thin, false).await),
        vec!["indiciaDescription.thickness"]
    );
    let mut tiff = letter_indicia();
    tiff["imageInfo"]["imageType"] = json!("TIFF");
    assert_eq!(
        params(&post("/labels/v3/indicia", &tiff, false).await),
        vec!["imageInfo.imageType"]
    );
    let mut insured = imb_request();
    insured["indiciaDescription"]["extraServices"] = json!([930]);
    assert_eq!(
        codes(&post("/labels/v3/indicia/imb", &insured, false).await),
        vec!["160317"]
    );
    insured["indiciaDescription"]["extraServices"] = json!([911]);
    assert_eq!(
        codes(&post("/labels/v3/indicia/imb", &insured, false).await),
        vec!["160316"]
    );
    insured["indiciaDescription"]["extraServices"] = json!([910, 955, 957, 911]);
    assert_eq!(
        params(&post("/labels/v3/indicia/imb", &insured, false).await),
        vec!["indiciaDescription.extraServices"]
    );
    let mut nowhere = imb_request();
    nowhere["toAddress"]["streetAddress"] = json!("Nowhere");
    assert_eq!(
        codes(&post("/labels/v3/indicia/imb", &nowhere, false).await),
        vec!["010005"]
    );
    let mut cyrillic = imb_request();
    cyrillic["toAddress"]["city"] = json!("\u{41c}\u{43e}\u{441}\u{43a}\u{432}\u{430}");
    assert_eq!(
        params(&post("/labels/v3/indicia/imb", &cyrillic, false).await),
        vec!["toAddress.city"]
    );
    let mut extra = imb_request();
    extra["surprise"] = json!(1);
    assert_eq!(
        params(&post("/labels/v3/indicia/imb", &extra, false).await),
        vec!["surprise"]
    );
    assert_eq!(
        t.read("/ledger").await["entries"].as_array().unwrap().len(),
        6
    );
}

#[tokio::test]
async fn indicia_need_an_eps_payer() {
    let t = TestSim::start().await;
    let access = t.client_token(CLIENT, SECRET).await;
    let permit = t
        .post_json(
            "/payments/v3/payment-authorization",
            &access,
            &json!({"roles": [
                {"roleName": "PAYER", "CRID": CRID, "accountType": "PERMIT", "permitNumber": "1234", "permitZIP": "63116"},
                {"roleName": "LABEL_OWNER", "CRID": CRID, "MID": MID, "manifestMID": MANIFEST_MID},
            ]}),
        )
        .await;
    assert_eq!(permit.status, 200, "{}", permit.text);
    let payment = permit.json["paymentAuthorizationToken"].as_str().unwrap();
    let r = t
        .send(
            call(
                &t,
                reqwest::Method::POST,
                "/labels/v3/indicia",
                &access,
                payment,
                false,
            )
            .json(&letter_indicia()),
        )
        .await;
    assert_eq!(params(&r), vec!["X-Payment-Authorization-Token"]);
}

fn svg(body: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(body)
}

const LOGO: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>"#;

#[tokio::test]
async fn branding_images_are_kept_per_crid() {
    let t = TestSim::start().await;
    let (tok, payment) = t.label_tokens().await;
    let req = |m: reqwest::Method, path: &str| call(&t, m, path, &tok, &payment, false);
    let up = t
        .send(
            req(reqwest::Method::POST, "/labels/v3/branding")
                .json(&json!({"imageName": "logo_1", "imageData": svg(LOGO)})),
        )
        .await;
    assert_eq!(up.status, 201, "{}", up.text);
    let uuid = up.json["imageUUID"].as_str().unwrap().to_string();
    t.send(
        req(reqwest::Method::POST, "/labels/v3/branding")
            .json(&json!({"imageName": "logo_2", "imageData": svg(LOGO)})),
    )
    .await;
    let list = t
        .send(req(
            reqwest::Method::GET,
            "/labels/v3/branding?sortBy=imageName&orderBy=asc",
        ))
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.json["totalCount"], 2);
    assert_eq!(list.json["images"][0]["imageName"], "logo_1");
    let page = t
        .send(req(
            reqwest::Method::GET,
            "/labels/v3/branding?limit=1&offset=1&sortBy=imageName&orderBy=asc",
        ))
        .await;
    assert_eq!(page.json["images"][0]["imageName"], "logo_2");
    let path = format!("/labels/v3/branding/{uuid}");
    let one = t.send(req(reqwest::Method::GET, &path)).await;
    assert_eq!(one.json["imageData"], svg(LOGO));
    let renamed = t
        .send(
            req(reqwest::Method::PATCH, &path)
                .json(&json!([{"op": "replace", "path": "/imageName", "value": "brand"}])),
        )
        .await;
    assert_eq!(
        (renamed.status, renamed.json["imageName"].clone()),
        (200, json!("brand"))
    );
    let r = t
        .send(
            req(reqwest::Method::PATCH, &path)
                .json(&json!([{"op": "replace", "path": "/imageName", "value": "no spaces"}])),
        )
        .await;
    assert_eq!(params(&r), vec!["[0].value"]);
    let gone = t.send(req(reqwest::Method::DELETE, &path)).await;
    assert_eq!(gone.json, json!({"imageName": "brand", "imageUUID": uuid}));
    assert_eq!(
        codes(&t.send(req(reqwest::Method::GET, &path)).await),
        vec!["160335"]
    );
    assert_eq!(
        codes(&t.send(req(reqwest::Method::DELETE, &path)).await),
        vec!["160334"]
    );
    assert_eq!(
        params(
            &t.send(req(reqwest::Method::GET, "/labels/v3/branding?limit=0"))
                .await
        ),
        vec!["limit"]
    );
    assert_eq!(
        params(
            &t.send(req(reqwest::Method::GET, "/labels/v3/branding?sortBy=size"))
                .await
        ),
        vec!["sortBy"]
    );

    let upload =
        |body: Value| t.send(req(reqwest::Method::POST, "/labels/v3/branding").json(&body));
    for (image, code) in [
        ("plain text", "160333"),
        ("<svg><rect/></svg>", "160337"),
        (
            r#"<svg viewBox="0 0 1 1"><script>alert(1)</script></svg>"#,
            "160340",
        ),
        (
            r#"<svg viewBox="0 0 1 1"><style>r{}</style></svg>"#,
            "160341",
        ),
        (
            r#"<svg viewBox="0 0 1 1"><image xlink:href="http://x/y.png"/></svg>"#,
            "160339",
        ),
        (
            r#"<svg viewBox="0 0 1 1"><use xlink:href="x"/></svg>"#,
            "160342",
        ),
    ] {
        assert_eq!(
            codes(&upload(json!({"imageData": svg(image)})).await),
            vec![code],
            "{image}"
        );
    }
    assert_eq!(
        params(&upload(json!({"imageData": "not base64!"})).await),
        vec!["imageData"]
    );
    assert_eq!(
        params(&upload(json!({"imageData": "x".repeat(13_337)})).await),
        vec!["imageData"]
    );
    assert_eq!(
        params(&upload(json!({"imageName": "a-b", "imageData": svg(LOGO)})).await),
        vec!["imageName"]
    );
    assert_eq!(
        params(&upload(json!({"imageName": "logo"})).await),
        vec!["imageData"]
    );
}
