//! Carrier Pickup: schedule, fetch, update and cancel with ETags, through HTTP.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn carrier_pickup_schedule_get_update_cancel_with_etags() {
    let t = TestSim::start().await;
    let token = t.client_token(CLIENT, SECRET).await;
    let elig = t.get("/pickup/v3/carrier-pickup/eligibility?streetAddress=4120%20Bingham%20Ave&city=Saint%20Louis&state=MO&ZIPCode=63116", &token).await;
    assert_eq!(elig.status, 200, "{}", elig.text);
    assert_eq!(elig.json["address"]["streetAddress"], "4120 BINGHAM AVE");
    let mut date = time::OffsetDateTime::now_utc().date() + time::Duration::days(2);
    if date.weekday() == time::Weekday::Sunday {
        date += time::Duration::days(1);
    }
    let req = json!({"pickupDate": date.to_string(),
        "pickupAddress": {"firstName": "John", "lastName": "Smith", "firm": "FIRM",
            "address": {"streetAddress": "4120 Bingham Ave", "city": "Saint Louis", "state": "MO", "ZIPCode": "63116"},
            "contact": [{"email": "john.smith@firm.com"}]},
        "packages": [{"packageType": "PRIORITY_MAIL", "packageCount": 2}],
        "estimatedWeight": 5, "pickupLocation": {"packageLocation": "OFFICE", "specialInstructions": "Front desk"}});
    let created = t.post_json("/pickup/v3/carrier-pickup", &token, &req).await;
    assert_eq!(created.status, 200, "{}", created.text);
    let number = created.json["confirmationNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let etag = created.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(
        t.post_json("/pickup/v3/carrier-pickup", &token, &req)
            .await
            .error_codes(),
        vec!["020001"]
    );

    let got = t
        .get(&format!("/pickup/v3/carrier-pickup/{number}"), &token)
        .await;
    assert_eq!(got.json[0]["confirmationNumber"], number.as_str());
    assert_eq!(got.headers["etag"].to_str().unwrap(), etag);

    let mut changed = created.json.clone();
    changed["carrierPickupRequest"]["estimatedWeight"] = json!(9);
    let path = format!("/pickup/v3/carrier-pickup/{number}");
    let no_match = t
        .send(t.http.put(t.url(&path)).bearer_auth(&token).json(&changed))
        .await;
    assert_eq!(no_match.status, 400);
    let stale = t
        .send(
            t.http
                .put(t.url(&path))
                .bearer_auth(&token)
                .header("If-Match", "\"old\"")
                .json(&changed),
        )
        .await;
    assert_eq!(stale.status, 412);
    let updated = t
        .send(
            t.http
                .put(t.url(&path))
                .bearer_auth(&token)
                .header("If-Match", &etag)
                .json(&changed),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    let new_etag = updated.headers["etag"].to_str().unwrap().to_string();
    assert_ne!(new_etag, etag);
    assert_eq!(
        t.send(
            t.http
                .delete(t.url(&path))
                .bearer_auth(&token)
                .header("If-Match", &etag)
        )
        .await
        .status,
        412
    );
    let canceled = t
        .send(
            t.http
                .delete(t.url(&path))
                .bearer_auth(&token)
                .header("If-Match", &new_etag),
        )
        .await;
    assert_eq!((canceled.status, canceled.text.as_str()), (200, ""));
    assert_eq!(t.get(&path, &token).await.error_codes(), vec!["020015"]);

    let mut other = req.clone();
    other["pickupLocation"] = json!({"packageLocation": "OTHER"});
    other["pickupDate"] = json!("2020-01-01");
    let bad = t
        .post_json("/pickup/v3/carrier-pickup", &token, &other)
        .await;
    assert_eq!(bad.error_codes(), vec!["020020"]);
}
