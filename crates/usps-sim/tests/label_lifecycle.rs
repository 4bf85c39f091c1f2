//! After a label is bought: cancel and refund, SCAN forms, reprints and tracking, through HTTP.

mod common;

use common::*;
use serde_json::json;

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
