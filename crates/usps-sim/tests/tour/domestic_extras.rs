//! The schema tour's part for the domestic operations beyond labels, prices and tracking
//! basics: each is called once to succeed and once to fail, and each answer must have been
//! validated against the spec (`common::send` validates; this checks it happened).

use super::common::*;
use base64::Engine;
use serde_json::{Value, json};

/// `"METHOD /path/template status [media] [part]"` labels the tour must have validated.
const EXPECTED: &[&str] = &[
    "POST /prices/v3/extra-service-rates/search 200",
    "POST /prices/v3/extra-service-rates/search 400",
    "POST /prices/v3/letter-rates/search 200",
    "POST /prices/v3/letter-rates/search 400",
    "POST /shipments/v3/options/search 200",
    "POST /shipments/v3/options/search 400",
    "GET /locations/v3/dropoff-locations 200",
    "GET /locations/v3/dropoff-locations 400",
    "GET /locations/v3/post-office-locations 200",
    "GET /locations/v3/post-office-locations 400",
    "GET /locations/v3/parcel-locker-locations 200",
    "GET /locations/v3/parcel-locker-locations 400",
    "POST /tracking/v3/tracking/{trackingNumber}/notifications 202",
    "POST /tracking/v3/tracking/{trackingNumber}/notifications 400",
    "POST /tracking/v3/tracking/{trackingNumber}/proof-of-delivery 202",
    "POST /tracking/v3/tracking/{trackingNumber}/proof-of-delivery 400",
    "POST /labels/v3/return-label 200 multipart/form-data [returnLabelMetadata]",
    "POST /labels/v3/return-label 200 application/vnd.usps.labels+json",
    "POST /labels/v3/return-label 400",
    "PATCH /labels/v3/label/{trackingNumber} 200",
    "PATCH /labels/v3/label/{trackingNumber} 400",
    "POST /labels/v3/indicia 201 multipart/form-data [indiciaMetadata]",
    "POST /labels/v3/indicia 201 application/vnd.usps.labels+json",
    "POST /labels/v3/indicia 400",
    "POST /labels/v3/indicia/imb 201 multipart/form-data [indiciaMetadata]",
    "POST /labels/v3/indicia/imb 201 application/vnd.usps.labels+json",
    "POST /labels/v3/indicia/imb 400",
    "DELETE /labels/v3/indicia/imb/{imb} 200",
    "DELETE /labels/v3/indicia/imb/{imb} 400",
    "POST /labels/v3/branding 201",
    "POST /labels/v3/branding 400",
    "GET /labels/v3/branding 200",
    "GET /labels/v3/branding/{imageUUID} 200",
    "GET /labels/v3/branding/{imageUUID} 400",
    "PATCH /labels/v3/branding/{imageUUID} 200",
    "DELETE /labels/v3/branding/{imageUUID} 200",
];

fn with_tokens(
    t: &TestSim,
    method: reqwest::Method,
    path: &str,
    tok: &str,
    payment: &str,
    vendor: bool,
) -> reqwest::RequestBuilder {
    let rb = t
        .http
        .request(method, t.url(path))
        .bearer_auth(tok)
        .header("X-Payment-Authorization-Token", payment);
    if vendor {
        rb.header("Accept", "application/vnd.usps.labels+json")
    } else {
        rb
    }
}

/// Calls every operation (success and failure), then asserts each answer was validated.
pub async fn tour(t: &TestSim, tok: &str, payment: &str) {
    let post = |path: &str, body: Value| {
        let rb = t.http.post(t.url(path)).bearer_auth(tok).json(&body);
        t.send(rb)
    };
    post(
        "/prices/v3/extra-service-rates/search",
        json!({"mailClass": "PRIORITY_MAIL", "priceType": "RETAIL", "extraServices": [921]}),
    )
    .await;
    post(
        "/prices/v3/extra-service-rates/search",
        json!({"mailClass": "PRIORITY_MAIL"}),
    )
    .await;
    post("/prices/v3/letter-rates/search", json!({"weight": 1, "length": 9, "height": 4, "thickness": 0.1, "processingCategory": "LETTERS", "extraServices": [910]})).await;
    post("/prices/v3/letter-rates/search", json!({"weight": 9, "length": 9, "height": 4, "thickness": 0.1, "processingCategory": "LETTERS"})).await;
    let options = json!({"originZIPCode": "63116", "destinationZIPCode": "02108",
        "packageDescription": {"weight": 3, "length": 12, "width": 10, "height": 8, "mailClass": "ALL", "extraServices": [921]},
        "pricingOptions": [{"priceType": "RETAIL"}, {"priceType": "CONTRACT", "paymentAccount": {"accountType": "EPS", "accountNumber": EPS}}]});
    post("/shipments/v3/options/search", options).await;
    post(
        "/shipments/v3/options/search",
        json!({"originZIPCode": "1"}),
    )
    .await;

    t.get(
        "/locations/v3/dropoff-locations?destinationZIPCode=63118",
        tok,
    )
    .await;
    t.get("/locations/v3/dropoff-locations", tok).await;
    t.get(
        "/locations/v3/post-office-locations?ZIPCode=63118&limit=2",
        tok,
    )
    .await;
    t.get("/locations/v3/post-office-locations", tok).await;
    t.get(
        "/locations/v3/parcel-locker-locations?city=Austin&state=TX",
        tok,
    )
    .await;
    t.get("/locations/v3/parcel-locker-locations", tok).await;

    let label = t
        .create_label(tok, payment, None, &label_request(1.5), true)
        .await;
    let tn = label.json["trackingNumber"].as_str().unwrap().to_string();
    let detail = t
        .get(&format!("/tracking/v3/tracking/{tn}?expand=DETAIL"), tok)
        .await
        .json;
    let notify = format!("/tracking/v3/tracking/{tn}/notifications");
    post(&notify, json!({"uniqueMailPieceId": detail["uniqueMailPieceId"], "notifications": [{"email": "a@example.com"}]})).await;
    post(&notify, json!({"notifications": []})).await;
    let pod = format!("/tracking/v3/tracking/{tn}/proof-of-delivery");
    let pod_body = json!({"uniqueMailPieceID": detail["uniqueMailPieceId"], "mailPieceIntakeDate": detail["mailPieceIntakeDate"],
        "tableCode": "T", "requestType": "email", "firstName": "A", "lastName": "B", "email": ["a@example.com"]});
    post(&pod, pod_body.clone()).await;

    let edit = |ops: Value| {
        t.send(
            with_tokens(
                t,
                reqwest::Method::PATCH,
                &format!("/labels/v3/label/{tn}"),
                tok,
                payment,
                false,
            )
            .json(&ops),
        )
    };
    edit(json!([{"op": "replace", "path": "/packageDescription/weight", "value": 2.5}])).await;
    edit(json!([{"op": "replace", "path": "/packageDescription/weight", "value": "heavy"}])).await;
    t.control("/manifest", json!({"tracking_numbers": [tn]}))
        .await;
    post(&pod, pod_body).await;

    let ret = json!({
        "toAddress": {"firm": "Shipdesk", "streetAddress": "4120 Bingham Ave", "city": "St. Louis", "state": "MO", "ZIPCode": "63116"},
        "fromAddress": {"firstName": "Joe", "lastName": "Doe", "streetAddress": "1100 Wyoming", "city": "St. Louis", "state": "MO", "ZIPCode": "63118"},
        "packageDescription": {"mailClass": "PRIORITY_MAIL_RETURN_SERVICE", "rateIndicator": "SP", "weight": 2, "length": 10, "width": 8, "height": 4,
            "processingCategory": "MACHINABLE"}});
    for vendor in [false, true] {
        t.send(
            with_tokens(
                t,
                reqwest::Method::POST,
                "/labels/v3/return-label",
                tok,
                payment,
                vendor,
            )
            .json(&ret),
        )
        .await;
    }
    t.send(
        with_tokens(
            t,
            reqwest::Method::POST,
            "/labels/v3/return-label",
            tok,
            payment,
            false,
        )
        .json(&json!({"toAddress": {}})),
    )
    .await;

    let indicia = json!({"indiciaDescription": {"processingCategory": "FLATS", "weight": 3, "length": 12, "height": 9, "thickness": 0.5,
        "mailingDate": today()}});
    let imb = json!({"indiciaDescription": {"processingCategory": "LETTERS", "weight": 1, "length": 9, "height": 4, "thickness": 0.1,
            "mailingDate": today(), "extraServices": [955]},
        "toAddress": {"firstName": "Joe", "lastName": "Doe", "streetAddress": "1100 Wyoming", "city": "St. Louis", "state": "MO", "ZIPCode": "63118"},
        "returnAddress": {"firm": "Shipdesk", "streetAddress": "4120 Bingham Ave", "city": "St. Louis", "state": "MO", "ZIPCode": "63116"}});
    let mut barcode = String::new();
    for vendor in [false, true] {
        t.send(
            with_tokens(
                t,
                reqwest::Method::POST,
                "/labels/v3/indicia",
                tok,
                payment,
                vendor,
            )
            .json(&indicia),
        )
        .await;
        let r = t
            .send(
                with_tokens(
                    t,
                    reqwest::Method::POST,
                    "/labels/v3/indicia/imb",
                    tok,
                    payment,
                    vendor,
                )
                .json(&imb),
            )
            .await;
        if vendor {
            barcode = r.json["indiciaMetadata"]["imb"]
                .as_str()
                .unwrap_or_else(|| panic!("{}", r.text))
                .to_string();
        }
    }
    t.send(
        with_tokens(
            t,
            reqwest::Method::POST,
            "/labels/v3/indicia",
            tok,
            payment,
            false,
        )
        .json(&json!({})),
    )
    .await;
    t.send(
        with_tokens(
            t,
            reqwest::Method::POST,
            "/labels/v3/indicia/imb",
            tok,
            payment,
            false,
        )
        .json(&json!({})),
    )
    .await;
    let cancel = format!("/labels/v3/indicia/imb/{barcode}");
    for _ in 0..2 {
        t.send(with_tokens(
            t,
            reqwest::Method::DELETE,
            &cancel,
            tok,
            payment,
            false,
        ))
        .await;
    }

    let logo = base64::engine::general_purpose::STANDARD
        .encode(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><circle r="2" cx="2" cy="2"/></svg>"#);
    let up = t
        .send(
            with_tokens(
                t,
                reqwest::Method::POST,
                "/labels/v3/branding",
                tok,
                payment,
                false,
            )
            .json(&json!({"imageName": "tour", "imageData": logo})),
        )
        .await;
    let uuid = up.json["imageUUID"].as_str().unwrap().to_string();
    t.send(
        with_tokens(
            t,
            reqwest::Method::POST,
            "/labels/v3/branding",
            tok,
            payment,
            false,
        )
        .json(&json!({"imageData": "@@"})),
    )
    .await;
    t.send(with_tokens(
        t,
        reqwest::Method::GET,
        "/labels/v3/branding",
        tok,
        payment,
        false,
    ))
    .await;
    let one = format!("/labels/v3/branding/{uuid}");
    t.send(with_tokens(
        t,
        reqwest::Method::GET,
        &one,
        tok,
        payment,
        false,
    ))
    .await;
    t.send(
        with_tokens(t, reqwest::Method::PATCH, &one, tok, payment, false)
            .json(&json!([{"op": "replace", "path": "/imageName", "value": "renamed"}])),
    )
    .await;
    t.send(with_tokens(
        t,
        reqwest::Method::DELETE,
        &one,
        tok,
        payment,
        false,
    ))
    .await;
    t.send(with_tokens(
        t,
        reqwest::Method::GET,
        &one,
        tok,
        payment,
        false,
    ))
    .await;

    let checked = schema::checked().lock().unwrap().clone();
    for e in EXPECTED {
        let (head, part) = match e.split_once(" [") {
            Some((h, p)) => (h, Some(p.trim_end_matches(']'))),
            None => (*e, None),
        };
        let mut words = head.split(' ');
        let prefix = format!(
            "{} {} {} ",
            words.next().unwrap(),
            words.next().unwrap(),
            words.next().unwrap()
        );
        let media = words.next();
        let hit = checked.keys().any(|l| {
            l.starts_with(&prefix)
                && media.is_none_or(|m| l.contains(m))
                && part.is_none_or(|p| l.ends_with(&format!("[{p}]")))
        });
        assert!(hit, "operation not schema-checked: {e}");
    }
}
