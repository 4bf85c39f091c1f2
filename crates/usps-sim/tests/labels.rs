//! Labels, idempotency, cancel/refund, reprint, SCAN forms, tracking and the
//! commit-then-drop fault, through real HTTP.

mod common;

use base64::Engine;
use common::*;
use serde_json::json;

fn pdf_bytes(b64: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .expect("base64 image")
}

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
async fn cancel_before_manifest_then_refund_after_scan_form() {
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    let del = |tn: &str| {
        t.http
            .delete(t.url(&format!("/labels/v3/label/{tn}")))
            .bearer_auth(&access)
            .header("X-Payment-Authorization-Token", &payment)
    };
    let first = t
        .create_label(&access, &payment, None, &label_request(1.0), true)
        .await;
    let tn1 = first.json["trackingNumber"].as_str().unwrap().to_string();
    let c = t.send(del(&tn1)).await;
    assert_eq!(
        (c.status, c.json["status"].as_str()),
        (200, Some("CANCELED"))
    );
    assert_eq!(t.send(del(&tn1)).await.error_codes(), vec!["160186"]);
    assert_eq!(
        t.send(del("9200000000000000000000")).await.error_codes(),
        vec!["160185"]
    );

    let key = uuid::Uuid::new_v4().to_string();
    let second = t
        .create_label(&access, &payment, Some(&key), &label_request(1.0), true)
        .await;
    let tn2 = second.json["trackingNumber"].as_str().unwrap().to_string();
    let third = t
        .create_label(&access, &payment, None, &label_request(1.0), true)
        .await;
    let tn3 = third.json["trackingNumber"].as_str().unwrap().to_string();

    let form = json!({"imageInfo": {"imageType": "PDF", "labelType": "8.5X11LABEL"}, "mailingDate": today(), "overwriteMailingDate": false,
        "entryFacilityZIPCode": "63116", "destinationEntryFacilityType": "NONE", "shipment": {"trackingNumbers": [tn2]},
        "fromAddress": {"firm": "ACME", "streetAddress": "4120 Bingham Ave", "city": "Saint Louis", "state": "MO", "ZIPCode": "63116"}});
    let scan = t
        .post_json("/scan-forms/v3/scan-form", &access, &form)
        .await;
    assert_eq!(scan.status, 200, "{}", scan.text);
    let scan_meta: serde_json::Value =
        serde_json::from_str(scan.part("SCANFormMetaData").unwrap()).unwrap();
    assert_eq!(scan_meta["trackingNumbers"], json!([tn2]));
    assert!(pdf_bytes(scan.part("SCANFormImage").unwrap()).starts_with(b"%PDF"));
    assert_eq!(
        t.post_json("/scan-forms/v3/scan-form", &access, &form)
            .await
            .error_codes(),
        vec!["160040"]
    );
    let mut canceled_form = form.clone();
    canceled_form["shipment"] = json!({"trackingNumbers": [tn1]});
    assert_eq!(
        t.post_json("/scan-forms/v3/scan-form", &access, &canceled_form)
            .await
            .error_codes(),
        vec!["160397"]
    );

    // Cancel by idempotency key after manifest → refund request.
    let by_key = t
        .send(
            t.http
                .delete(t.url("/labels/v3/label"))
                .bearer_auth(&access)
                .header("X-Payment-Authorization-Token", &payment)
                .header("X-Idempotency-Key", &key),
        )
        .await;
    assert_eq!(by_key.status, 200);
    assert_eq!(by_key.json["status"], "DISPUTED");
    assert_eq!(by_key.json["disputeId"].as_str().unwrap().len(), 6);
    assert_eq!(by_key.headers["x-idempotency-key"].to_str().unwrap(), key);

    // SCAN form by MID picks up the remaining label; the vendor JSON variant carries the image.
    let mut by_mid = form.clone();
    by_mid["shipment"] = json!({"MID": MID});
    let scan2 = t
        .send(
            t.http
                .post(t.url("/scan-forms/v3/scan-form"))
                .bearer_auth(&access)
                .header("Accept", "application/vnd.usps.labels+json")
                .json(&by_mid),
        )
        .await;
    assert_eq!(scan2.status, 200, "{}", scan2.text);
    assert_eq!(scan2.json["trackingNumbers"], json!([tn3]));
    assert!(scan2.json["SCANFormImage"].is_string());
    assert_eq!(
        t.post_json("/scan-forms/v3/scan-form", &access, &by_mid)
            .await
            .error_codes(),
        vec!["160037"]
    );

    let ledger = t.read("/ledger").await;
    let kinds: Vec<&str> = ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "charged",
            "canceled",
            "charged",
            "charged",
            "refund_requested"
        ]
    );
}

#[tokio::test]
async fn reprint_limits_and_tracking_views() {
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    let key = uuid::Uuid::new_v4().to_string();
    let label = t
        .create_label(&access, &payment, Some(&key), &label_request(1.0), true)
        .await;
    let tn = label.json["trackingNumber"].as_str().unwrap().to_string();
    let reprint = |path: String, vendor: bool| {
        let mut rb = t
            .http
            .post(t.url(&path))
            .bearer_auth(&access)
            .header("X-Payment-Authorization-Token", &payment)
            .json(&json!({"imageInfo": {"imageType": "PDF"}}));
        if vendor {
            rb = rb.header("Accept", "application/vnd.usps.labels+json");
        }
        rb
    };
    let r1 = t
        .send(reprint(format!("/labels/v3/label-reprint/{tn}"), true))
        .await;
    assert_eq!(r1.status, 200, "{}", r1.text);
    assert_eq!(r1.json["reprintInfo"]["reprintNumber"], 1);
    assert_eq!(r1.json["labelMetadata"]["trackingNumber"], tn.as_str());
    let r2 = t
        .send(reprint(format!("/labels/v3/label-reprint/{tn}"), false))
        .await;
    assert_eq!(r2.status, 200);
    assert!(r2.part("labelImage").is_some());
    let r3 = t
        .send(reprint("/labels/v3/label-reprint".into(), true).header("X-Idempotency-Key", &key))
        .await;
    assert_eq!(r3.json["reprintInfo"]["reprintNumber"], 3);
    assert_eq!(
        t.send(reprint(format!("/labels/v3/label-reprint/{tn}"), true))
            .await
            .status,
        400
    );
    assert_eq!(t.read("/ledger").await["charges"], 1, "reprints are free");

    let summary = t.get(&format!("/tracking/v3/tracking/{tn}"), &access).await;
    assert_eq!(summary.status, 200, "{}", summary.text);
    assert!(
        summary.json["eventSummaries"][0]
            .as_str()
            .unwrap()
            .starts_with("Shipping Label Created")
    );
    let detail = t
        .get(
            &format!("/tracking/v3/tracking/{tn}?expand=DETAIL"),
            &access,
        )
        .await;
    assert_eq!(detail.json["statusCategory"], "Pre-Shipment");
    assert_eq!(detail.json["destinationZIP"], "63118");
    assert_eq!(
        t.get("/tracking/v3/tracking/9400000000000000000000", &access)
            .await
            .error_codes(),
        vec!["150002"]
    );
    let public = t.client_token(PUBLIC_CLIENT, PUBLIC_SECRET).await;
    assert_eq!(
        t.get(&format!("/tracking/v3/tracking/{tn}"), &public)
            .await
            .status,
        401,
        "tracking is not in Public Access"
    );
    t.control("/manifest", json!({})).await;
    let after = t
        .get(
            &format!("/tracking/v3/tracking/{tn}?expand=DETAIL"),
            &access,
        )
        .await;
    assert_eq!(after.json["statusCategory"], "Accepted");
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
