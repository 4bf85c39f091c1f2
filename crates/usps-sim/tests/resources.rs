//! Payments, Addresses, Prices, Carrier Pickup and the resource-server auth rules, through HTTP.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn resource_auth_401_403_and_missing_product() {
    let t = TestSim::start().await;
    let none = t
        .send(t.http.get(t.url("/addresses/v3/city-state?ZIPCode=80202")))
        .await;
    assert_eq!(none.status, 401);
    assert_eq!(
        none.json["error"]["message"],
        "Missing or malformed access token."
    );
    assert!(none.headers.contains_key("www-authenticate"));
    assert_eq!(
        t.get("/addresses/v3/city-state?ZIPCode=80202", "not.a.jwt")
            .await
            .status,
        401
    );

    // Public Access token: addresses fine, payments is a product it lacks → 401, empty errors.
    let public = t.client_token(PUBLIC_CLIENT, PUBLIC_SECRET).await;
    assert_eq!(
        t.get("/addresses/v3/city-state?ZIPCode=80202", &public)
            .await
            .status,
        200
    );
    let r = t
        .post_json(
            "/payments/v3/payment-authorization",
            &public,
            &roles(CRID, MID, MANIFEST_MID, EPS),
        )
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json["error"]["message"],
        "The client application identifier is invalid."
    );
    assert_eq!(r.json["error"]["errors"].as_array().unwrap().len(), 0);

    // Unlinked business: token is valid, but no CRID/EPS tie → 403.
    let (unlinked, _) = t.user_tokens(CLIENT, SECRET, "unlinked").await;
    let r = t
        .post_json(
            "/payments/v3/payment-authorization",
            &unlinked,
            &roles("56982599", "902345699", "902345698", "1000012399"),
        )
        .await;
    assert_eq!(r.status, 403);
    // Linked token naming someone else's EPS → 403 too.
    let own = t.client_token(CLIENT, SECRET).await;
    let r = t
        .post_json(
            "/payments/v3/payment-authorization",
            &own,
            &roles(CRID, MID, MANIFEST_MID, "1000012399"),
        )
        .await;
    assert_eq!(r.status, 403);

    // Removing the product from the app takes effect at once.
    t.control(
        "/remove-product",
        json!({"client_id": CLIENT, "product": "Shipping"}),
    )
    .await;
    assert_eq!(
        t.post_json(
            "/payments/v3/payment-authorization",
            &own,
            &roles(CRID, MID, MANIFEST_MID, EPS)
        )
        .await
        .status,
        401
    );
}

#[tokio::test]
async fn quota_429_with_retry_after_per_api() {
    let t = TestSim::start().await;
    t.control("/quota", json!({"client_id": CLIENT, "per_hour": 2}))
        .await;
    let token = t.client_token(CLIENT, SECRET).await;
    for _ in 0..2 {
        assert_eq!(
            t.get("/addresses/v3/city-state?ZIPCode=80202", &token)
                .await
                .status,
            200
        );
    }
    let r = t
        .get("/addresses/v3/city-state?ZIPCode=80202", &token)
        .await;
    assert_eq!(r.status, 429);
    let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3500..=3600).contains(&wait), "{wait}");
    assert!(
        r.json["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Exceeded quota limit")
    );
    // Quotas are per API: prices still has its own budget.
    let body = json!({"originZIPCode": "63116", "destinationZIPCode": "98101", "weight": 1, "length": 5, "width": 5, "height": 5});
    assert_eq!(
        t.post_json("/prices/v3/base-rates-list/search", &token, &body)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn payments_authorization_and_account() {
    let t = TestSim::start().await;
    let token = t.client_token(CLIENT, SECRET).await;
    let r = t
        .post_json(
            "/payments/v3/payment-authorization",
            &token,
            &roles(CRID, MID, MANIFEST_MID, EPS),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.json["paymentAuthorizationToken"]
            .as_str()
            .unwrap()
            .split('.')
            .count()
            == 3
    );
    assert_eq!(
        r.json["roles"][1]["accountNumber"], EPS,
        "label owner gets the payer's account"
    );
    let bad = t
        .post_json(
            "/payments/v3/payment-authorization",
            &token,
            &json!({"roles": [{"roleName": "LABEL_OWNER", "CRID": CRID}]}),
        )
        .await;
    assert_eq!(bad.status, 400);
    let codes = bad.error_codes();
    for c in ["160221", "160222", "160228"] {
        assert!(codes.contains(&c.to_string()), "{codes:?}");
    }
    let unknown = t
        .post_json(
            "/payments/v3/payment-authorization",
            &token,
            &roles(CRID, MID, MANIFEST_MID, "1999999999"),
        )
        .await;
    assert_eq!(unknown.error_codes(), vec!["100001"]);

    let acct = t
        .get(
            &format!("/payments/v3/payment-account/{EPS}?accountType=EPS&amount=25.50"),
            &token,
        )
        .await;
    assert_eq!(acct.status, 200);
    assert_eq!(acct.json["sufficientFunds"], true);
    assert_eq!(
        t.get(
            "/payments/v3/payment-account/1234567890?accountType=EPS",
            &token
        )
        .await
        .status,
        404
    );
    assert_eq!(
        t.get(
            "/payments/v3/payment-account/1000012399?accountType=EPS",
            &token
        )
        .await
        .status,
        403
    );
    let permit = t
        .get(
            "/payments/v3/payment-account/123?accountType=PERMIT",
            &token,
        )
        .await;
    assert_eq!(permit.error_codes(), vec!["160215"]);
}

#[tokio::test]
async fn addresses_standardize_and_report_no_match() {
    let t = TestSim::start().await;
    let token = t.client_token(PUBLIC_CLIENT, PUBLIC_SECRET).await;
    let r = t.get("/addresses/v3/address?streetAddress=500%20Congress%20Avenue&secondaryAddress=Suite%20300&city=Austin&state=TX&ZIPCode=78701", &token).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["address"]["streetAddress"], "500 CONGRESS AVE");
    assert_eq!(r.json["address"]["secondaryAddress"], "STE 300");
    assert_eq!(r.json["address"]["ZIPPlus4"].as_str().unwrap().len(), 4);
    assert_eq!(r.json["additionalInfo"]["DPVConfirmation"], "Y");
    let d = t
        .get(
            "/addresses/v3/address?streetAddress=1100%20Wyoming%20St&city=St.%20Louis&state=MO",
            &token,
        )
        .await;
    assert_eq!(d.json["additionalInfo"]["DPVConfirmation"], "D");
    assert_eq!(d.json["corrections"][0]["code"], "32");
    let none = t
        .get(
            "/addresses/v3/address?streetAddress=Nowhere%20Rd&state=TX&ZIPCode=78701",
            &token,
        )
        .await;
    assert_eq!(none.status, 404);
    assert_eq!(
        none.json["error"]["message"],
        "There is no match for the address requested."
    );
    let bad = t
        .get(
            "/addresses/v3/address?streetAddress=1%20Main&state=XX&ZIPCode=7870",
            &token,
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error_codes(), vec!["010003", "010002"]);
    let cs = t
        .get("/addresses/v3/city-state?ZIPCode=02108", &token)
        .await;
    assert_eq!(
        (cs.json["city"].as_str(), cs.json["state"].as_str()),
        (Some("BOSTON"), Some("MA"))
    );
    assert_eq!(
        t.get("/addresses/v3/city-state?ZIPCode=abc", &token)
            .await
            .error_codes(),
        vec!["010002"]
    );
}

#[tokio::test]
async fn prices_base_list_total_and_contract_ordering() {
    let t = TestSim::start().await;
    // The business that holds a contract (the demo business holds none).
    let (token, _) = t.user_tokens(CLIENT, SECRET, "nsa").await;
    let base = |price_type: &str| {
        json!({"originZIPCode": "63116", "destinationZIPCode": "98101-1234", "weight": 2.5, "length": 10, "width": 8, "height": 4,
        "mailClass": "PRIORITY_MAIL", "processingCategory": "MACHINABLE", "rateIndicator": "SP", "destinationEntryFacilityType": "NONE", "priceType": price_type})
    };
    let retail = t
        .post_json("/prices/v3/base-rates/search", &token, &base("RETAIL"))
        .await;
    assert_eq!(retail.status, 200, "{}", retail.text);
    let commercial = t
        .post_json("/prices/v3/base-rates/search", &token, &base("COMMERCIAL"))
        .await;
    let mut contract_body = base("COMMERCIAL");
    contract_body["accountType"] = json!("EPS");
    contract_body["accountNumber"] = json!("1000012388");
    let contract = t
        .post_json("/prices/v3/base-rates/search", &token, &contract_body)
        .await;
    let price = |r: &Resp| r.json["totalBasePrice"].as_f64().unwrap();
    assert!(price(&retail) > price(&commercial) && price(&commercial) > price(&contract));
    assert_eq!(contract.json["rates"][0]["priceType"], "CONTRACT");
    // Same request twice → same price (deterministic).
    assert_eq!(
        price(
            &t.post_json("/prices/v3/base-rates/search", &token, &base("RETAIL"))
                .await
        ),
        price(&retail)
    );
    // Someone else's account → 403.
    contract_body["accountNumber"] = json!("1000012399");
    assert_eq!(
        t.post_json("/prices/v3/base-rates/search", &token, &contract_body)
            .await
            .status,
        403
    );
    // Validation: bad ZIP, missing field, unknown member, enum.
    let bad = t.post_json("/prices/v3/base-rates/search", &token, &json!({"originZIPCode": "6311", "destinationZIPCode": "98101", "weight": 1, "length": 1, "width": 1, "height": 1,
        "mailClass": "CARRIER_PIGEON", "processingCategory": "MACHINABLE", "destinationEntryFacilityType": "NONE", "priceType": "RETAIL", "color": "red"})).await;
    assert_eq!(bad.status, 400);
    let codes = bad.error_codes();
    assert!(
        codes.contains(&"010002".to_string()) && codes.contains(&"030010".to_string()),
        "{codes:?}"
    );
    let heavy = t.post_json("/prices/v3/base-rates/search", &token, &json!({"originZIPCode": "63116", "destinationZIPCode": "98101", "weight": 20, "length": 1, "width": 1, "height": 1,
        "mailClass": "BOUND_PRINTED_MATTER", "processingCategory": "MACHINABLE", "rateIndicator": "SP", "destinationEntryFacilityType": "NONE", "priceType": "RETAIL"})).await;
    assert_eq!(heavy.error_codes(), vec!["030004"]);

    let list = t.post_json("/prices/v3/base-rates-list/search", &token, &json!({"originZIPCode": "63116", "destinationZIPCode": "98101", "weight": 1, "length": 5, "width": 5, "height": 5, "mailClasses": ["PRIORITY_MAIL", "USPS_GROUND_ADVANTAGE"], "priceType": "COMMERCIAL"})).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(list.json["rateOptions"].as_array().unwrap().len() >= 2);

    let total = t.post_json("/prices/v3/total-rates/search", &token, &json!({"originZIPCode": "63116", "destinationZIPCode": "98101", "weight": 1, "length": 5, "width": 5, "height": 5,
        "mailClass": "USPS_GROUND_ADVANTAGE", "priceType": "COMMERCIAL", "itemValue": 120, "extraServices": [920, 930]})).await;
    assert_eq!(total.status, 200, "{}", total.text);
    let opt = &total.json["rateOptions"][0];
    let extras: f64 = opt["extraServices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["price"].as_f64().unwrap())
        .sum();
    assert!(
        (opt["totalPrice"].as_f64().unwrap() - opt["totalBasePrice"].as_f64().unwrap() - extras)
            .abs()
            < 0.011
    );
    let no_value = t.post_json("/prices/v3/total-rates/search", &token, &json!({"originZIPCode": "63116", "destinationZIPCode": "98101", "weight": 1, "length": 5, "width": 5, "height": 5, "extraServices": [930]})).await;
    assert_eq!(no_value.status, 400);
}

#[tokio::test]
async fn injected_failures_and_latency_hit_only_their_target() {
    let t = TestSim::start().await;
    let token = t.client_token(CLIENT, SECRET).await;
    t.control(
        "/fail",
        json!({"target": "GET /addresses/v3/city-state", "status": 503, "count": 2}),
    )
    .await;
    t.control("/latency", json!({"target": "addresses", "millis": 150}))
        .await;
    let started = std::time::Instant::now();
    let r = t
        .get("/addresses/v3/city-state?ZIPCode=80202", &token)
        .await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(150));
    assert_eq!(r.status, 503);
    assert_eq!(r.headers["retry-after"], "1");
    assert_eq!(r.json["apiVersion"], "/addresses/v3");
    assert_eq!(
        t.get("/addresses/v3/city-state?ZIPCode=80202", &token)
            .await
            .status,
        503
    );
    assert_eq!(
        t.get("/addresses/v3/city-state?ZIPCode=80202", &token)
            .await
            .status,
        200
    );
    let wrong_method = t
        .send(t.http.get(t.url("/labels/v3/label")).bearer_auth(&token))
        .await;
    assert_eq!(
        (
            wrong_method.status,
            wrong_method.json["apiVersion"].as_str()
        ),
        (405, Some("/labels/v3"))
    );
    let calls = t.read("/calls").await;
    assert_eq!(calls["calls"]["addresses"], 3);
}
