//! Locations v3 (post offices, parcel lockers, drop-off facilities) and the tracking requests
//! (email notifications, proof of delivery): answers and each rule they enforce.

mod common;

use common::*;
use serde_json::json;

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

const PO: &str = "/locations/v3/post-office-locations";

#[tokio::test]
async fn post_offices_near_a_zip_city_or_point() {
    let t = TestSim::start().await;
    let tok = t.client_token(PUBLIC_CLIENT, PUBLIC_SECRET).await;
    let r = t.get(&format!("{PO}?ZIPCode=63118"), &tok).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = r.json["locations"].as_array().unwrap();
    assert!(!list.is_empty());
    assert_eq!(list[0]["facilityAddress"]["city"], "SAINT LOUIS");
    let distances: Vec<f64> = list
        .iter()
        .map(|l| l["distance"].as_f64().unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(r.json["metadata"]["offset"], 0);
    let total = r.json["metadata"]["totalCount"].as_u64().unwrap();
    // Same query, same answer.
    let again = t.get(&format!("{PO}?ZIPCode=63118"), &tok).await;
    assert_eq!(again.json, r.json);

    let city = t.get(&format!("{PO}?city=Denver&state=CO"), &tok).await;
    assert_eq!(city.json["locations"][0]["facilityAddress"]["state"], "CO");
    let point = t.get(&format!("{PO}?LAT=47.61&LONG=-122.33"), &tok).await;
    assert_eq!(point.status, 200, "{}", point.text);
    assert_eq!(point.json["locations"][0]["facilityAddress"]["state"], "WA");
    let address = t
        .get(
            &format!("{PO}?streetAddress=4120%20Bingham%20Ave&ZIPCode=63116"),
            &tok,
        )
        .await;
    assert_eq!(address.status, 200, "{}", address.text);

    let near = t.get(&format!("{PO}?ZIPCode=63118&radius=1"), &tok).await;
    assert!(near.json["metadata"]["totalCount"].as_u64().unwrap() < total);
    let page = t
        .get(&format!("{PO}?ZIPCode=63118&offset=2&limit=3"), &tok)
        .await;
    assert_eq!(page.json["locations"].as_array().unwrap().len(), 3);
    assert_eq!(page.json["locations"][0], r.json["locations"][2]);
    let kiosks = t
        .get(
            &format!(
                "{PO}?ZIPCode=63118&postOfficeType=POST_OFFICE&passportService=PASSPORT_PHOTO"
            ),
            &tok,
        )
        .await;
    for l in kiosks.json["locations"].as_array().unwrap() {
        assert_eq!(l["postOfficeType"], "POST_OFFICE");
        assert!(
            l["services"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["service"] == "PASSPORT_PHOTO")
        );
    }
    let lockers = t
        .get(
            &format!(
                "{PO}?ZIPCode=63118&pickupService=PICKUP_PARCEL_LOCKER&length=10&width=8&height=6"
            ),
            &tok,
        )
        .await;
    assert_eq!(lockers.status, 200, "{}", lockers.text);
    assert_eq!(t.read("/calls").await["calls"]["locations"], 9);
}

#[tokio::test]
async fn post_office_rules() {
    let t = TestSim::start().await;
    let tok = t.client_token(CLIENT, SECRET).await;
    let ask = |q: &'static str| {
        let tok = tok.clone();
        let t = &t;
        async move { t.get(&format!("{PO}?{q}"), &tok).await }
    };
    assert_eq!(codes(&ask("radius=5").await), vec!["160171"]);
    assert_eq!(
        codes(&ask("ZIPCode=63118&city=Denver&state=CO").await),
        vec!["160230"]
    );
    assert_eq!(codes(&ask("LAT=47.6").await), vec!["160171"]);
    assert_eq!(codes(&ask("city=Nowhere&state=CO").await), vec!["160033"]);
    assert_eq!(codes(&ask("LAT=0&LONG=0").await), vec!["160033"]);
    assert_eq!(codes(&ask("ZIPCode=00100").await), vec!["160033"]);
    assert_eq!(
        codes(&ask("ZIPCode=63118&pickupService=PICKUP_PARCEL_LOCKER").await),
        vec!["160231"]
    );
    assert_eq!(params(&ask("ZIPCode=6311").await), vec!["ZIPCode"]);
    assert_eq!(
        params(&ask("ZIPCode=63118&ZIPPlus4=12").await),
        vec!["ZIPPlus4"]
    );
    assert_eq!(
        params(&ask("city=Denver&state=Colorado").await),
        vec!["state"]
    );
    assert_eq!(params(&ask("ZIPCode=63118&radius=0").await), vec!["radius"]);
    assert_eq!(
        params(&ask("ZIPCode=63118&radius=101").await),
        vec!["radius"]
    );
    assert_eq!(params(&ask("ZIPCode=63118&limit=101").await), vec!["limit"]);
    assert_eq!(
        params(&ask("ZIPCode=63118&offset=-1").await),
        vec!["offset"]
    );
    assert_eq!(params(&ask("ZIPCode=63118&length=0").await), vec!["length"]);
    assert_eq!(
        params(&ask("ZIPCode=63118&LAT=abc&LONG=1").await),
        vec!["LAT"]
    );
    assert_eq!(
        params(&ask("ZIPCode=63118&hours=NIGHT").await),
        vec!["hours"]
    );
    assert_eq!(
        params(&ask("ZIPCode=63118&postOfficeType=POST_OFFICE,CASTLE").await),
        vec!["postOfficeType"]
    );
    assert_eq!(
        t.get(&format!("{PO}?ZIPCode=63118"), "bad").await.status,
        401
    );
}

#[tokio::test]
async fn parcel_lockers_and_dropoff_facilities() {
    let t = TestSim::start().await;
    let tok = t.client_token(CLIENT, SECRET).await;
    let lockers = t
        .get("/locations/v3/parcel-locker-locations?ZIPCode=78701", &tok)
        .await;
    assert_eq!(lockers.status, 200, "{}", lockers.text);
    let list = lockers.json.as_array().unwrap();
    assert!(!list.is_empty());
    assert!(
        list.iter()
            .all(|l| l["lockerSizeMaximumLength"].as_f64().unwrap() > 0.0)
    );
    let by_city = t
        .get(
            "/locations/v3/parcel-locker-locations?city=Austin&state=TX&limit=1",
            &tok,
        )
        .await;
    assert_eq!(by_city.json.as_array().unwrap().len(), 1);
    assert_eq!(by_city.json[0]["facilityID"], list[0]["facilityID"]);
    let r = t.get("/locations/v3/parcel-locker-locations", &tok).await;
    assert_eq!(codes(&r), vec!["160171"]);
    let r = t
        .get(
            "/locations/v3/parcel-locker-locations?ZIPCode=78701&city=Denver&state=CO",
            &tok,
        )
        .await;
    assert_eq!(codes(&r), vec!["160033"]);
    let r = t
        .get(
            "/locations/v3/parcel-locker-locations?ZIPCode=78701&offset=501",
            &tok,
        )
        .await;
    assert_eq!(params(&r), vec!["offset"]);
    let r = t
        .get("/locations/v3/parcel-locker-locations?ZIPCode=7870", &tok)
        .await;
    assert_eq!(params(&r), vec!["ZIPCode"]);

    let dropoff = t
        .get(
            "/locations/v3/dropoff-locations?destinationZIPCode=63118",
            &tok,
        )
        .await;
    assert_eq!(dropoff.status, 200, "{}", dropoff.text);
    let all = dropoff.json.as_array().unwrap();
    assert_eq!(all.len(), 5);
    let ddu = t
        .get("/locations/v3/dropoff-locations?destinationZIPCode=63118&destinationEntryFacilityType=DESTINATION_DELIVERY_UNIT&mailClass=USPS_CONNECT_LOCAL", &tok)
        .await;
    assert_eq!(ddu.json.as_array().unwrap().len(), 1);
    assert_eq!(
        ddu.json[0]["facilityAddress"]["address"]["ZIPCode"],
        "63118"
    );
    let connect_scf = t
        .get("/locations/v3/dropoff-locations?destinationZIPCode=63118&destinationEntryFacilityType=DESTINATION_SECTIONAL_CENTER_FACILITY&mailClass=USPS_CONNECT_LOCAL", &tok)
        .await;
    assert_eq!(connect_scf.json, json!([]));
    let nowhere = t
        .get(
            "/locations/v3/dropoff-locations?destinationZIPCode=00100",
            &tok,
        )
        .await;
    assert_eq!((nowhere.status, nowhere.json.clone()), (200, json!([])));
    for (q, param) in [
        ("", "destinationZIPCode"),
        ("destinationZIPCode=6311", "destinationZIPCode"),
        (
            "destinationZIPCode=63118&destinationZIPPlus4=1",
            "destinationZIPPlus4",
        ),
        (
            "destinationZIPCode=63118&mailClass=PRIORITY_MAIL",
            "mailClass",
        ),
        ("destinationZIPCode=63118&palletized=MAYBE", "palletized"),
        (
            "destinationZIPCode=63118&mailingDate=tomorrow",
            "mailingDate",
        ),
    ] {
        let r = t
            .get(&format!("/locations/v3/dropoff-locations?{q}"), &tok)
            .await;
        assert_eq!(params(&r), vec![param], "{q}");
    }
}

/// A label bought, and its DETAIL tracking view.
async fn tracked_label(t: &TestSim) -> (String, String, serde_json::Value) {
    let (tok, payment) = t.label_tokens().await;
    let label = t
        .create_label(&tok, &payment, None, &label_request(1.0), true)
        .await;
    let tn = label.json["trackingNumber"].as_str().unwrap().to_string();
    let detail = t
        .get(&format!("/tracking/v3/tracking/{tn}?expand=DETAIL"), &tok)
        .await;
    (tok, tn, detail.json)
}

#[tokio::test]
async fn tracking_notifications() {
    let t = TestSim::start().await;
    let (tok, tn, detail) = tracked_label(&t).await;
    let path = format!("/tracking/v3/tracking/{tn}/notifications");
    let good = json!({
        "uniqueMailPieceId": detail["uniqueMailPieceId"],
        "mailPieceIntakeDate": detail["mailPieceIntakeDate"],
        "notifyEventTypes": ["EMAIL_ALERT", "EMAIL_DELIVERY/NON_DELIVERY_ACTIVITY"],
        "firstName": "Ann", "lastName": "Lee",
        "notifications": [{"email": "ann@example.com"}],
    });
    let r = t.post_json(&path, &tok, &good).await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert!(r.json["resultText"].is_string());
    let minimal = json!({"notifications": [{"email": "ann@example.com"}]});
    assert_eq!(t.post_json(&path, &tok, &minimal).await.status, 202);

    let with = |k: &str, v: serde_json::Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    for (body, param) in [
        (
            with("uniqueMailPieceId", json!("0000000000")),
            "uniqueMailPieceId",
        ),
        (
            with("mailPieceIntakeDate", json!("2020-01-01T00:00:00Z")),
            "mailPieceIntakeDate",
        ),
        (
            with("notifications", json!([{"cellNumber": "3145550100"}])),
            "notifications[0].cellNumber",
        ),
        (
            with("notifications", json!([{"email": "not-an-email"}])),
            "notifications[0].email",
        ),
        (
            with(
                "notifications",
                json!([{"email": "a@b.co"}, {"email": "c@d.co"}, {"email": "e@f.co"}, {"email": "g@h.co"}]),
            ),
            "notifications",
        ),
        (with("notifications", json!([])), "notifications"),
        (
            with("notifyEventTypes", json!(["EMAIL_SOMETIMES"])),
            "notifyEventTypes",
        ),
        (with("firstName", json!("A".repeat(51))), "firstName"),
        (with("surprise", json!(1)), "surprise"),
        (json!({}), "notifications"),
    ] {
        let r = t.post_json(&path, &tok, &body).await;
        assert_eq!(
            (r.status, params(&r)),
            (400, vec![param.to_string()]),
            "{body}"
        );
    }
    let r = t
        .post_json(
            "/tracking/v3/tracking/9400100000000000000000/notifications",
            &tok,
            &minimal,
        )
        .await;
    assert_eq!(codes(&r), vec!["150002"]);
    let public = t.client_token(PUBLIC_CLIENT, PUBLIC_SECRET).await;
    assert_eq!(t.post_json(&path, &public, &minimal).await.status, 401);
}

#[tokio::test]
async fn proof_of_delivery_once_usps_has_the_package() {
    let t = TestSim::start().await;
    let (tok, tn, detail) = tracked_label(&t).await;
    assert_eq!(detail["proofOfDeliveryEnabled"], false);
    let path = format!("/tracking/v3/tracking/{tn}/proof-of-delivery");
    let body = json!({
        "uniqueMailPieceID": detail["uniqueMailPieceId"],
        "mailPieceIntakeDate": detail["mailPieceIntakeDate"],
        "tableCode": "T", "requestType": "email",
        "firstName": "Ann", "lastName": "Lee", "email": ["ann@example.com"],
    });
    let r = t.post_json(&path, &tok, &body).await;
    assert_eq!(
        (r.status, params(&r)),
        (400, vec!["trackingNumber".to_string()])
    );
    t.control("/manifest", json!({"tracking_numbers": [tn]}))
        .await;
    let detail = t
        .get(&format!("/tracking/v3/tracking/{tn}?expand=DETAIL"), &tok)
        .await;
    assert_eq!(detail.json["proofOfDeliveryEnabled"], true);
    let r = t.post_json(&path, &tok, &body).await;
    assert_eq!(r.status, 202, "{}", r.text);

    let with = |k: &str, v: serde_json::Value| {
        let mut b = body.clone();
        b[k] = v;
        b
    };
    let without = |k: &str| {
        let mut b = body.clone();
        b.as_object_mut().unwrap().remove(k);
        b
    };
    for (body, param) in [
        (without("tableCode"), "tableCode"),
        (without("email"), "email"),
        (
            with("email", json!(["a@b.co", "c@d.co", "e@f.co", "g@h.co"])),
            "email",
        ),
        (with("email", json!(["nope"])), "email[0]"),
        (with("requestType", json!("fax")), "requestType"),
        (with("state", json!("Missouri")), "state"),
        (with("ZIPCode", json!("6311")), "ZIPCode"),
        (with("CRID", json!("1")), "CRID"),
        (with("uniqueMailPieceID", json!("0")), "uniqueMailPieceID"),
    ] {
        let r = t.post_json(&path, &tok, &body).await;
        assert_eq!(
            (r.status, params(&r)),
            (400, vec![param.to_string()]),
            "{body}"
        );
    }
}
