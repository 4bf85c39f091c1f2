//! Labels, idempotency, cancel/refund, reprint, SCAN forms, tracking and the
//! commit-then-drop fault, through real HTTP.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn create_label_multipart_by_default_and_vendor_json_on_accept() {
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    let r = t
        .create_label(
            &access,
            &payment,
            Some(&uuid::Uuid::new_v4().to_string()),
            &label_request(0.5),
            false,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    assert_eq!(r.parts[0].0, "labelMetadata");
    let meta: serde_json::Value = serde_json::from_str(r.part("labelMetadata").unwrap()).unwrap();
    let tracking = meta["trackingNumber"].as_str().unwrap();
    assert_eq!(tracking.len(), 22);
    assert!(tracking.starts_with(&format!("92001{MID}")));
    assert_eq!(meta["labelAddress"]["streetAddress"], "1100 WYOMING");
    assert_eq!(meta["labelAddress"]["secondaryAddress"], "STE 150");
    assert!(
        meta["routingInformation"]
            .as_str()
            .unwrap()
            .starts_with("42063118")
    );
    let pdf = pdf_bytes(r.part("labelImage").unwrap());
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_text(&pdf);
    assert!(text.contains("SAMPLE"), "labels are marked SAMPLE");
    assert!(
        text.contains(&tracking[..4]),
        "the tracking number is printed"
    );

    let v = t
        .create_label(&access, &payment, None, &label_request(2.0), true)
        .await;
    assert_eq!(v.status, 200);
    assert_eq!(
        v.headers["content-type"],
        "application/vnd.usps.labels+json"
    );
    assert!(pdf_bytes(v.json["labelImage"].as_str().unwrap()).starts_with(b"%PDF"));
    assert!(
        v.json["postage"].as_f64().unwrap() > meta["postage"].as_f64().unwrap(),
        "heavier costs more"
    );
}

#[tokio::test]
async fn same_key_same_payload_is_one_charge_and_different_payload_is_refused() {
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    let key = uuid::Uuid::new_v4().to_string();
    let a = t
        .create_label(&access, &payment, Some(&key), &label_request(1.0), true)
        .await;
    // Same payload with keys in another order is the same request.
    let reordered: serde_json::Value =
        serde_json::from_str(&label_request(1.0).to_string()).unwrap();
    let b = t
        .create_label(&access, &payment, Some(&key), &reordered, true)
        .await;
    assert_eq!(a.json["trackingNumber"], b.json["trackingNumber"]);
    let c = t
        .create_label(&access, &payment, Some(&key), &label_request(3.0), true)
        .await;
    assert_eq!(c.status, 400);
    assert_eq!(
        c.json["error"]["errors"][0]["source"]["parameter"],
        "X-Idempotency-Key"
    );
    let ledger = t.read("/ledger").await;
    assert_eq!(ledger["charges"], 1);
    assert_eq!(ledger["entries"][0]["idempotency_key"], key.as_str());
    assert_eq!(t.sim.ledger().len(), 1);
}

#[tokio::test]
async fn dropped_label_response_is_charged_once_and_retry_returns_it() {
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    t.control("/drop-label-response", json!({"count": 1})).await;
    let key = uuid::Uuid::new_v4().to_string();
    let lost = t
        .http
        .post(t.url("/labels/v3/label"))
        .bearer_auth(&access)
        .header("X-Payment-Authorization-Token", &payment)
        .header("X-Idempotency-Key", &key)
        .header("Accept", "application/vnd.usps.labels+json")
        .json(&label_request(1.0))
        .send()
        .await;
    assert!(lost.is_err(), "connection closes without a response");
    assert_eq!(
        t.read("/ledger").await["charges"],
        1,
        "charged although the answer was lost"
    );
    let retry = t
        .create_label(&access, &payment, Some(&key), &label_request(1.0), true)
        .await;
    assert_eq!(retry.status, 200);
    let ledger = t.read("/ledger").await;
    assert_eq!(ledger["charges"], 1);
    assert_eq!(
        ledger["entries"][0]["tracking_number"],
        retry.json["trackingNumber"]
    );
    assert_eq!(t.sim.labels().len(), 1);
}

#[tokio::test]
async fn label_validation_uses_usps_codes() {
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    let mut body = label_request(80.0);
    body["toAddress"]["ZIPCode"] = json!("6311");
    body["packageDescription"]["mailClass"] = json!("PONY_EXPRESS");
    body["packageDescription"]
        .as_object_mut()
        .unwrap()
        .remove("packageOptions");
    body["packageDescription"]["mailingDate"] = json!("2001-01-01");
    body["fromAddress"]
        .as_object_mut()
        .unwrap()
        .remove("lastName");
    let r = t.create_label(&access, &payment, None, &body, false).await;
    assert_eq!(r.status, 400);
    let codes = r.error_codes();
    for c in ["160119", "160090", "160098", "160017", "160001", "160075"] {
        assert!(codes.contains(&c.to_string()), "{c} missing from {codes:?}");
    }
    let mut no_ri = label_request(1.0);
    no_ri["packageDescription"]
        .as_object_mut()
        .unwrap()
        .remove("rateIndicator");
    assert_eq!(
        t.create_label(&access, &payment, None, &no_ri, false)
            .await
            .error_codes(),
        vec!["160285"]
    );
    let missing = t
        .send(
            t.http
                .post(t.url("/labels/v3/label"))
                .bearer_auth(&access)
                .json(&label_request(1.0)),
        )
        .await;
    assert_eq!(missing.status, 400, "payment token header is required");
    let forged = t
        .create_label(&access, "x.y.z", None, &label_request(1.0), false)
        .await;
    assert_eq!(forged.status, 401);
    assert_eq!(t.read("/ledger").await["charges"], 0);
}

#[tokio::test]
async fn seed_makes_tracking_numbers_and_prices_reproducible() {
    let mut numbers = Vec::new();
    for _ in 0..2 {
        let t = TestSim::start().await;
        let (access, payment) = t.label_tokens().await;
        let r = t
            .create_label(&access, &payment, None, &label_request(1.0), true)
            .await;
        numbers.push((r.json["trackingNumber"].clone(), r.json["postage"].clone()));
        t.sim.shutdown().await;
    }
    assert_eq!(numbers[0], numbers[1]);
    let mut other = demo();
    other.seed += 1;
    let t = TestSim::start_with(other).await;
    let (access, payment) = t.label_tokens().await;
    let r = t
        .create_label(&access, &payment, None, &label_request(1.0), true)
        .await;
    assert_ne!(r.json["trackingNumber"], numbers[0].0);
    assert_eq!(r.json["postage"], numbers[0].1);
}

#[tokio::test]
async fn state_file_keeps_labels_ledger_and_tokens_across_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let config = || usps_sim::SimConfig {
        state_file: Some(state.clone()),
        ..usps_sim::SimConfig::new(demo())
    };
    let sim = usps_sim::start(config()).await.unwrap();
    let t = TestSim {
        base: sim.base_url().to_string().trim_end_matches('/').into(),
        sim,
        http: reqwest::Client::new(),
    };
    let (access, payment) = t.label_tokens().await;
    let key = uuid::Uuid::new_v4().to_string();
    let first = t
        .create_label(&access, &payment, Some(&key), &label_request(1.0), true)
        .await;
    t.sim.shutdown().await;

    let sim = usps_sim::start(config()).await.unwrap();
    let t = TestSim {
        base: sim.base_url().to_string().trim_end_matches('/').into(),
        sim,
        http: reqwest::Client::new(),
    };
    assert_eq!(t.sim.ledger().len(), 1);
    let again = t
        .create_label(&access, &payment, Some(&key), &label_request(1.0), true)
        .await;
    assert_eq!(again.status, 200, "old tokens still verify: {}", again.text);
    assert_eq!(again.json["trackingNumber"], first.json["trackingNumber"]);
    assert_eq!(t.sim.ledger().len(), 1);
}

#[tokio::test]
async fn label_503_injection_then_success() {
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    t.control(
        "/fail",
        json!({"target": "POST /labels/v3/label", "status": 503}),
    )
    .await;
    let key = uuid::Uuid::new_v4().to_string();
    let failed = t
        .create_label(&access, &payment, Some(&key), &label_request(1.0), true)
        .await;
    assert_eq!(failed.status, 503);
    assert_eq!(
        t.read("/ledger").await["charges"],
        0,
        "an injected failure happens before any charge"
    );
    assert_eq!(
        t.create_label(&access, &payment, Some(&key), &label_request(1.0), true)
            .await
            .status,
        200
    );
    t.control("/reset", json!({})).await;
    assert_eq!(t.read("/ledger").await["charges"], 0);
}

#[tokio::test]
async fn expired_payment_token_is_401_on_its_header_until_reauthorized() {
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    assert_eq!(
        t.control("/expire-payment-tokens", json!({})).await["expired"],
        1
    );
    let r = t
        .create_label(&access, &payment, None, &label_request(1.0), true)
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json["error"]["errors"][0]["source"]["parameter"],
        "X-Payment-Authorization-Token"
    );
    let fresh = t.payment_token(&access).await;
    assert_eq!(
        t.create_label(&access, &fresh, None, &label_request(1.0), true)
            .await
            .status,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_key_buy_one_label() {
    let t = std::sync::Arc::new(TestSim::start().await);
    let (access, payment) = t.label_tokens().await;
    let key = uuid::Uuid::new_v4().to_string();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (t, access, payment, key) = (t.clone(), access.clone(), payment.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            let r = t
                .create_label(&access, &payment, Some(&key), &label_request(1.0), true)
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.json["trackingNumber"].as_str().unwrap().to_string()
        }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.unwrap());
    }
    numbers.dedup();
    assert_eq!(numbers.len(), 1, "every caller got the same label");
    assert_eq!(t.read("/ledger").await["charges"], 1);
}
