//! Automated check that the simulator's JSON matches the official USPS response schemas.
//!
//! Every test in this crate validates each JSON body it receives (see `common::send`); this one
//! tours every served operation once — success and error — and then asserts that each of them
//! was actually validated, so a gap in coverage fails instead of passing silently.

mod common;
#[path = "tour/domestic_extras.rs"]
mod domestic_extras;

use common::*;
use serde_json::json;

#[tokio::test]
async fn every_operation_response_is_validated_against_the_spec() {
    // Absent ../shared: skipped (announced by the catalog), or a failure under cargo xtask test.
    if schema::catalog().is_none() {
        return;
    }
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    let tok = access.as_str();

    t.get(
        "/addresses/v3/address?streetAddress=8%20Harbor%20Way&city=Seattle&state=WA&ZIPCode=98101",
        tok,
    )
    .await;
    t.get(
        "/addresses/v3/address?streetAddress=Harbor%20Way&state=WA&ZIPCode=98101",
        tok,
    )
    .await;
    t.get("/addresses/v3/city-state?ZIPCode=37203", tok).await;
    t.get(
        "/addresses/v3/zipcode?streetAddress=42%20Elm%20Ct&city=Denver&state=CO",
        tok,
    )
    .await;
    t.get(
        &format!("/payments/v3/payment-account/{EPS}?accountType=EPS&amount=5"),
        tok,
    )
    .await;
    t.post_json(
        "/payments/v3/payment-authorization",
        tok,
        &json!({"roles": []}),
    )
    .await;

    let q = json!({"originZIPCode": "63116", "destinationZIPCode": "02108", "weight": 3, "length": 12, "width": 10, "height": 8,
        "mailClass": "USPS_GROUND_ADVANTAGE", "processingCategory": "MACHINABLE", "rateIndicator": "SP", "destinationEntryFacilityType": "NONE", "priceType": "CONTRACT"});
    t.post_json("/prices/v3/base-rates/search", tok, &q).await;
    t.post_json(
        "/prices/v3/base-rates/search",
        tok,
        &json!({"weight": "heavy"}),
    )
    .await;
    let list = json!({"originZIPCode": "63116", "destinationZIPCode": "02108", "weight": 3, "length": 12, "width": 10, "height": 8});
    t.post_json("/prices/v3/base-rates-list/search", tok, &list)
        .await;
    let mut total = list.clone();
    total["extraServices"] = json!([921]);
    t.post_json("/prices/v3/total-rates/search", tok, &total)
        .await;

    let key = uuid::Uuid::new_v4().to_string();
    let json_label = t
        .create_label(tok, &payment, Some(&key), &label_request(1.25), true)
        .await;
    let tn = json_label.json["trackingNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let key2 = uuid::Uuid::new_v4().to_string();
    t.create_label(tok, &payment, Some(&key2), &label_request(4.0), false)
        .await;
    let mut sep = label_request(1.0);
    sep["imageInfo"]["receiptOption"] = json!("SEPARATE_PAGE");
    let with_receipt = t.create_label(tok, &payment, None, &sep, false).await;
    assert!(with_receipt.part("receiptImage").is_some());
    t.create_label(tok, &payment, None, &json!({"toAddress": {}}), false)
        .await;
    let reprint = |vendor: bool| {
        let mut rb = t
            .http
            .post(t.url(&format!("/labels/v3/label-reprint/{tn}")))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment)
            .json(&json!({}));
        if vendor {
            rb = rb.header("Accept", "application/vnd.usps.labels+json");
        }
        rb
    };
    t.send(reprint(true)).await;
    t.send(reprint(false)).await;
    t.get(&format!("/tracking/v3/tracking/{tn}"), tok).await;
    t.get(&format!("/tracking/v3/tracking/{tn}?expand=DETAIL"), tok)
        .await;
    t.get("/tracking/v3/tracking/1", tok).await;
    let form = json!({"mailingDate": today(), "entryFacilityZIPCode": "63116", "destinationEntryFacilityType": "NONE",
        "shipment": {"manifestMID": MANIFEST_MID}, "fromAddress": {"firstName": "John", "lastName": "Smith", "streetAddress": "4120 Bingham Ave", "city": "Saint Louis", "state": "MO", "ZIPCode": "63116"}});
    t.post_json("/scan-forms/v3/scan-form", tok, &form).await;
    let late = t
        .create_label(tok, &payment, None, &label_request(2.0), true)
        .await;
    let mut second = form.clone();
    second["shipment"] = json!({"trackingNumbers": [late.json["trackingNumber"]]});
    t.send(
        t.http
            .post(t.url("/scan-forms/v3/scan-form"))
            .bearer_auth(tok)
            .header("Accept", "application/vnd.usps.labels+json")
            .json(&second),
    )
    .await;
    let del = t
        .http
        .delete(t.url(&format!("/labels/v3/label/{tn}")))
        .bearer_auth(tok)
        .header("X-Payment-Authorization-Token", &payment);
    assert_eq!(t.send(del).await.json["status"], "DISPUTED");
    t.send(
        t.http
            .delete(t.url("/labels/v3/label"))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment)
            .header("X-Idempotency-Key", &key2),
    )
    .await;

    t.get(
        "/pickup/v3/carrier-pickup/eligibility?streetAddress=21%20Beacon%20St&ZIPCode=02108",
        tok,
    )
    .await;
    let mut date = time::OffsetDateTime::now_utc().date() + time::Duration::days(3);
    if date.weekday() == time::Weekday::Sunday {
        date += time::Duration::days(1);
    }
    let pickup = json!({"pickupDate": date.to_string(),
        "pickupAddress": {"firstName": "Rita", "lastName": "Gomez", "address": {"streetAddress": "500 Congress Ave", "secondaryAddress": "Ste 300", "city": "Austin", "state": "TX", "ZIPCode": "78701"},
            "contact": [{"cellNumber": "5125550110"}]},
        "packages": [{"packageType": "USPS_GROUND_ADVANTAGE", "packageCount": 3}], "estimatedWeight": 7.5,
        "pickupLocation": {"packageLocation": "FRONT_DOOR", "dogPresent": false}});
    let created = t.post_json("/pickup/v3/carrier-pickup", tok, &pickup).await;
    let number = created.json["confirmationNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let etag = created.headers["etag"].to_str().unwrap().to_string();
    let path = format!("/pickup/v3/carrier-pickup/{number}");
    t.get(&path, tok).await;
    t.send(
        t.http
            .put(t.url(&path))
            .bearer_auth(tok)
            .header("If-Match", &etag)
            .json(&created.json),
    )
    .await;
    t.send(
        t.http
            .put(t.url(&path))
            .bearer_auth(tok)
            .header("If-Match", "\"stale\"")
            .json(&created.json),
    )
    .await;
    t.post_json("/pickup/v3/carrier-pickup", tok, &json!({}))
        .await;

    // International prices and labels (every operation, success and error).
    let ip = |op: &str| format!("/international-prices/v3/{op}/search");
    let intl_q = json!({"originZIPCode": "63116", "destinationCountryCode": "CA", "weight": 2, "length": 10, "width": 8, "height": 4,
        "mailClass": "PRIORITY_MAIL_INTERNATIONAL", "processingCategory": "MACHINABLE", "rateIndicator": "SP",
        "destinationEntryFacilityType": "NONE", "priceType": "COMMERCIAL"});
    t.post_json(&ip("base-rates"), tok, &intl_q).await;
    t.post_json(
        &ip("base-rates"),
        tok,
        &json!({"destinationCountryCode": "XX"}),
    )
    .await;
    let intl_list = json!({"originZIPCode": "63116", "destinationCountryCode": "GB", "weight": 2, "length": 10, "width": 8, "height": 4});
    t.post_json(&ip("base-rates-list"), tok, &intl_list).await;
    t.post_json(&ip("base-rates-list"), tok, &json!({})).await;
    let mut intl_total = intl_list.clone();
    intl_total["extraServices"] = json!([930]);
    intl_total["itemValue"] = json!(100);
    intl_total["requestDutiesTaxesFees"] = json!(true);
    intl_total["items"] = json!([{"itemId": "a1", "itemValue": 50, "itemQuantity": 2}]);
    t.post_json(&ip("total-rates"), tok, &intl_total).await;
    t.post_json(&ip("total-rates"), tok, &json!({"weight": -1}))
        .await;
    let intl_esr = json!({"extraServices": [930, 857], "mailClass": "PRIORITY_MAIL_INTERNATIONAL", "priceType": "RETAIL",
        "rateIndicator": "SP", "weight": 2, "destinationCountryCode": "CA", "itemValue": "80"});
    t.post_json(&ip("extra-service-rates"), tok, &intl_esr)
        .await;
    t.post_json(&ip("extra-service-rates"), tok, &json!({}))
        .await;
    let intl_letter = json!({"weight": 1, "length": 9, "height": 4, "thickness": 0.1, "processingCategory": "LETTERS",
        "destinationCountryCode": "CA", "extraServices": [940], "nonMachinableIndicators": {"isRigid": true}});
    t.post_json(&ip("letter-rates"), tok, &intl_letter).await;
    t.post_json(&ip("letter-rates"), tok, &json!({"weight": 9}))
        .await;
    let il = |path: &str| t.url(&format!("/international-labels/v3{path}"));
    let intl_label = json!({
        "toAddress": {"firstName": "Amelie", "lastName": "Tremblay", "streetAddress": "100 Queen St W", "city": "Toronto",
            "postalCode": "M5H 2N2", "country": "Canada", "countryISOAlpha2Code": "CA"},
        "fromAddress": {"firm": "Maple Goods", "streetAddress": "4120 Bingham Ave", "city": "St. Louis", "state": "MO", "ZIPCode": "63116"},
        "packageDescription": {"mailClass": "PRIORITY_MAIL_INTERNATIONAL", "rateIndicator": "SP", "weight": 3, "length": 12, "width": 10,
            "height": 6, "processingCategory": "MACHINABLE", "destinationEntryFacilityType": "NONE", "mailingDate": today(),
            "extraServices": [930], "packageOptions": {"packageValue": 80}, "prepayDutiesTaxesFees": true},
        "customsForm": {"customsContentType": "MERCHANDISE", "AESITN": "NO EEI 30.37(a)", "contents": [{"itemDescription": "Wool sweater",
            "itemQuantity": 1, "itemTotalValue": 80, "itemTotalWeight": 1.5, "HSTariffNumber": "6110.20.2075", "countryofOrigin": "US"}]}
    });
    let intl_create = |key: &str, vendor: bool| {
        let mut rb = t
            .http
            .post(il("/international-label"))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment)
            .header("X-Idempotency-Key", key)
            .json(&intl_label);
        if vendor {
            rb = rb.header("Accept", "application/vnd.usps.labels+json");
        }
        rb
    };
    let intl_key = uuid::Uuid::new_v4().to_string();
    let intl_json = t.send(intl_create(&intl_key, true)).await;
    assert_eq!(intl_json.status, 201, "{}", intl_json.text);
    let intl_tn = intl_json.json["internationalTrackingNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let intl_key2 = uuid::Uuid::new_v4().to_string();
    let intl_multi = t.send(intl_create(&intl_key2, false)).await;
    assert!(intl_multi.part("prepaidDutiesTaxesFees").is_some());
    t.send(
        t.http
            .post(il("/international-label"))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment)
            .json(&json!({"toAddress": {}})),
    )
    .await;
    for vendor in [true, false] {
        let mut rb = t
            .http
            .post(il(&format!("/international-label-reprint/{intl_tn}")))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment)
            .json(&json!({"imageInfo": {"imageType": "PDF", "suppressPostage": true}}));
        if vendor {
            rb = rb.header("Accept", "application/vnd.usps.labels+json");
        }
        t.send(rb).await;
    }
    t.send(
        t.http
            .post(il("/international-label-reprint"))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment)
            .header("X-Idempotency-Key", &intl_key2)
            .json(&json!({})),
    )
    .await;
    t.send(
        t.http
            .post(il("/international-label-reprint/CP000000000US"))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment)
            .json(&json!({})),
    )
    .await;
    let indicia = json!({"indiciaDescription": {"processingCategory": "CARDS", "weight": 0.5, "length": 6, "height": 4, "thickness": 0.01,
        "mailingDate": today(), "destinationCountryCode": "JP"}, "imageInfo": {"receiptOption": "SEPARATE_PAGE"}});
    for vendor in [true, false] {
        let mut rb = t
            .http
            .post(il("/indicia"))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment)
            .json(&indicia);
        if vendor {
            rb = rb.header("Accept", "application/vnd.usps.labels+json");
        }
        t.send(rb).await;
    }
    t.send(
        t.http
            .post(il("/indicia"))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment)
            .json(&json!({})),
    )
    .await;
    let intl_del = t
        .http
        .delete(il(&format!("/international-label/{intl_tn}")))
        .bearer_auth(tok)
        .header("X-Payment-Authorization-Token", &payment);
    assert_eq!(t.send(intl_del).await.json["status"], "CANCELED");
    t.send(
        t.http
            .delete(il("/international-label"))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment)
            .header("X-Idempotency-Key", &intl_key2),
    )
    .await;
    t.send(
        t.http
            .delete(il(&format!("/international-label/{intl_tn}")))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment),
    )
    .await;
    t.send(
        t.http
            .delete(il("/international-label"))
            .bearer_auth(tok)
            .header("X-Payment-Authorization-Token", &payment)
            .header("X-Idempotency-Key", &intl_key2),
    )
    .await;

    domestic_extras::tour(&t, tok, &payment).await;

    // Auth failures and injected faults render the envelope too.
    t.get("/addresses/v3/city-state?ZIPCode=37203", "bad").await;
    t.control("/fail", json!({"target": "prices", "status": 429}))
        .await;
    t.post_json("/prices/v3/base-rates/search", tok, &q).await;

    let checked = schema::checked().lock().unwrap().clone();
    let mut labels: Vec<&String> = checked.keys().collect();
    labels.sort();
    eprintln!(
        "validated against the USPS specs:\n  {}",
        labels
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
    let expect = [
        "GET /addresses/v3/address 200",
        "GET /addresses/v3/address 404",
        "GET /addresses/v3/city-state 200",
        "GET /addresses/v3/city-state 401",
        "GET /addresses/v3/zipcode 200",
        "POST /payments/v3/payment-authorization 200",
        "POST /payments/v3/payment-authorization 400",
        "GET /payments/v3/payment-account/{account-number} 200",
        "POST /prices/v3/base-rates/search 200",
        "POST /prices/v3/base-rates/search 400",
        "POST /prices/v3/base-rates/search 429",
        "POST /prices/v3/base-rates-list/search 200",
        "POST /prices/v3/total-rates/search 200",
        "POST /labels/v3/label 200 application/vnd.usps.labels+json",
        "POST /labels/v3/label 200 multipart/form-data [labelMetadata]",
        "POST /labels/v3/label 400",
        "POST /labels/v3/label-reprint/{trackingNumber} 200 application/vnd.usps.labels+json",
        "POST /labels/v3/label-reprint/{trackingNumber} 200 multipart/form-data [labelMetadata]",
        "DELETE /labels/v3/label/{trackingNumber} 200",
        "DELETE /labels/v3/label 200",
        "POST /scan-forms/v3/scan-form 200 multipart/form-data [SCANFormMetaData]",
        "POST /scan-forms/v3/scan-form 200 application/vnd.usps.labels+json",
        "GET /tracking/v3/tracking/{trackingNumber} 200",
        "GET /tracking/v3/tracking/{trackingNumber} 400",
        "GET /pickup/v3/carrier-pickup/eligibility 200",
        "POST /pickup/v3/carrier-pickup 200",
        "POST /pickup/v3/carrier-pickup 400",
        "GET /pickup/v3/carrier-pickup/{confirmationNumber} 200",
        "PUT /pickup/v3/carrier-pickup/{confirmationNumber} 200",
        "PUT /pickup/v3/carrier-pickup/{confirmationNumber} 412",
        "POST /international-prices/v3/base-rates/search 200",
        "POST /international-prices/v3/base-rates/search 400",
        "POST /international-prices/v3/base-rates-list/search 200",
        "POST /international-prices/v3/base-rates-list/search 400",
        "POST /international-prices/v3/total-rates/search 200",
        "POST /international-prices/v3/total-rates/search 400",
        "POST /international-prices/v3/extra-service-rates/search 200",
        "POST /international-prices/v3/extra-service-rates/search 400",
        "POST /international-prices/v3/letter-rates/search 200",
        "POST /international-prices/v3/letter-rates/search 400",
        "POST /international-labels/v3/international-label 201 application/vnd.usps.labels+json",
        "POST /international-labels/v3/international-label 201 multipart/form-data [labelMetadata]",
        "POST /international-labels/v3/international-label 201 multipart/form-data [prepaidDutiesTaxesFees]",
        "POST /international-labels/v3/international-label 400",
        "POST /international-labels/v3/international-label-reprint/{trackingNumber} 200 application/vnd.usps.labels+json",
        "POST /international-labels/v3/international-label-reprint/{trackingNumber} 200 multipart/form-data [reprintInfo]",
        "POST /international-labels/v3/international-label-reprint/{trackingNumber} 400",
        "POST /international-labels/v3/international-label-reprint 200 multipart/form-data [labelMetadata]",
        "POST /international-labels/v3/indicia 201 application/vnd.usps.labels+json",
        "POST /international-labels/v3/indicia 201 multipart/form-data [indiciaMetadata]",
        "POST /international-labels/v3/indicia 400",
        "DELETE /international-labels/v3/international-label/{trackingNumber} 200",
        "DELETE /international-labels/v3/international-label/{trackingNumber} 400",
        "DELETE /international-labels/v3/international-label 200",
        "DELETE /international-labels/v3/international-label 400",
    ];
    for e in expect {
        let (head, part) = match e.split_once(" [") {
            Some((h, p)) => (h, Some(p.trim_end_matches(']'))),
            None => (e, None),
        };
        let hit = labels.iter().any(|l| {
            let mut words = head.split(' ');
            let (m, p, s) = (
                words.next().unwrap(),
                words.next().unwrap(),
                words.next().unwrap(),
            );
            let media = words.next();
            l.starts_with(&format!("{m} {p} {s} "))
                && media.is_none_or(|md| l.contains(md))
                && part.is_none_or(|pt| l.ends_with(&format!("[{pt}]")))
        });
        assert!(hit, "operation not schema-checked: {e}");
    }
}
