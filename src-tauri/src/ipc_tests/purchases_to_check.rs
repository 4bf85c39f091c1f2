//! Shipments › Purchases to check through tauri's mock IPC: a purchase whose answer USPS never
//! delivered is listed, checked again into the label USPS made (charged once), or discarded
//! (USPS cancels what its key made first) so the order can be bought again; one another
//! Shipdesk is handling is shown as such and left alone.
//!
//! The unfinished purchase is made the way it happens for real: the Sandbox simulator commits
//! the label and drops the connection, and fails the client's re-sends, so the app never hears
//! an answer.

use std::io::{Read, Write};

use serde_json::{Value, json};
use shipdesk_core::shipping::{Lease, PurchaseJournal};

use super::TestApp;
use super::shipping::{ground_advantage, order_to_chicago, purchase, ship_from_input};

/// Sends one request to the simulator's `/__sim` controls (plain HTTP on 127.0.0.1); its JSON.
fn sim(t: &TestApp, method: &str, path: &str, body: Value) -> Value {
    let info = t.ok("carriers_sandbox_info", json!({}));
    let authority = info["base_url"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let body = body.to_string();
    let mut stream = std::net::TcpStream::connect(&authority).unwrap();
    write!(
        stream,
        "{method} /__sim{path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 2"),
        "{method} {path}: {answer}"
    );
    let (_, json) = answer.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{method} {path}: {e}: {json}"))
}

/// Tracking numbers the simulator charged for, and those it canceled.
fn ledger(t: &TestApp) -> (Vec<String>, Vec<String>) {
    let entries = sim(t, "GET", "/ledger", Value::Null)["entries"].clone();
    let of = |kind: &str| {
        entries
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == kind)
            .map(|e| e["tracking_number"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    (of("charged"), of("canceled"))
}

/// Buys a label for a new order while USPS commits it and never answers (the first send's
/// connection drops, the client's re-sends fail); the error `label_buy` gave and the order id.
fn purchase_left_unanswered(t: &TestApp, number: &str) -> (Value, Value) {
    let order = order_to_chicago(t, number);
    sim(t, "POST", "/drop-label-response", json!({"count": 1}));
    sim(
        t,
        "POST",
        "/fail",
        json!({"target": "POST /labels/v3/label", "status": 500, "count": 20, "skip": 1}),
    );
    let error = t.err(
        "label_buy",
        json!({"request": purchase(&order, &ground_advantage())}),
    );
    sim(t, "DELETE", "/faults", Value::Null);
    (error, order)
}

fn to_check(t: &TestApp) -> Vec<Value> {
    t.ok("shipping_purchases_to_check", json!({}))
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_purchase_usps_never_answered_is_listed_and_checked_again_into_its_one_label() {
    let t = TestApp::new();
    t.ok("ship_from_add", ship_from_input("Shop"));
    assert_eq!(to_check(&t), Vec::<Value>::new());

    let (error, order) = purchase_left_unanswered(&t, "#8001");
    assert_eq!(error["details"]["kind"], "purchase", "{error}");
    let attempt_id = error["details"]["attempt_id"].clone();
    let (charged, _) = ledger(&t);
    assert_eq!(charged.len(), 1, "USPS made and charged the label");

    let listed = to_check(&t);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let item = &listed[0];
    let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "account_id",
            "account_name",
            "attempt_id",
            "created_at",
            "in_progress",
            "last_error",
            "last_error_code",
            "mail_class",
            "order_id",
            "order_number",
            "sends",
            "sent_at"
        ],
        "PurchaseToCheck in ui/src/bindings"
    );
    assert_eq!(item["attempt_id"], attempt_id);
    assert_eq!(item["order_id"], order);
    assert_eq!(item["order_number"], "#8001");
    assert_eq!(item["mail_class"], "USPS_GROUND_ADVANTAGE");
    assert!(!item["account_name"].as_str().unwrap().is_empty(), "{item}");
    assert!(item["sends"].as_i64().unwrap() >= 1, "{item}");
    assert!(item["sent_at"].is_string(), "{item}");
    assert_eq!(item["last_error_code"], error["code"], "{item}");
    assert_eq!(item["last_error"], error["message"], "{item}");
    assert_eq!(item["in_progress"], false);
    assert_eq!(
        t.ok("orders_get", json!({"id": order}))["status"],
        "awaiting_shipment"
    );

    let shipment = t.ok(
        "shipping_check_purchase_again",
        json!({"attemptId": attempt_id}),
    );
    assert_eq!(shipment["order_id"], order);
    assert_eq!(
        ledger(&t).0,
        [shipment["tracking_number"].as_str().unwrap()],
        "the label USPS made for the key, not a second charge"
    );
    assert_eq!(to_check(&t), Vec::<Value>::new());
    assert_eq!(
        t.ok("orders_get", json!({"id": order}))["status"],
        "shipped"
    );
    let stored = t.ok("shipments_list", json!({"query": {}}));
    assert_eq!(stored.as_array().unwrap().len(), 1, "{stored}");

    let settled = t.err(
        "shipping_check_purchase_again",
        json!({"attemptId": attempt_id}),
    );
    assert_eq!(settled["code"], "NOT_FOUND", "{settled}");
}

#[test]
fn discarding_cancels_what_usps_made_and_the_order_can_be_bought_again() {
    let t = TestApp::new();
    t.ok("ship_from_add", ship_from_input("Shop"));
    let (error, order) = purchase_left_unanswered(&t, "#8101");
    let attempt_id = error["details"]["attempt_id"].clone();
    let (charged, _) = ledger(&t);

    let outcome = t.ok(
        "shipping_discard_purchase",
        json!({"attemptId": attempt_id}),
    );
    assert_eq!(outcome["attempt_id"], attempt_id);
    assert_eq!(outcome["order_id"], order);
    assert_eq!(outcome["canceled_label"], json!(charged[0]), "{outcome}");
    assert!(
        outcome["message"].as_str().unwrap().contains(&charged[0]),
        "{outcome}"
    );
    assert_eq!(ledger(&t).1, charged, "USPS canceled the label it had made");
    assert_eq!(to_check(&t), Vec::<Value>::new());
    assert_eq!(
        t.err(
            "shipping_discard_purchase",
            json!({"attemptId": attempt_id})
        )["code"],
        "NOT_FOUND"
    );

    let bought = t.ok(
        "label_buy",
        json!({"request": purchase(&order, &ground_advantage())}),
    );
    assert_eq!(bought["resumed_earlier_attempt"], false, "{bought}");
    let tracking = bought["shipment"]["tracking_number"].as_str().unwrap();
    assert_ne!(tracking, charged[0]);
    let (charged_now, canceled) = ledger(&t);
    assert_eq!(charged_now, [charged[0].as_str(), tracking]);
    assert_eq!(canceled, charged);
}

#[test]
fn a_purchase_another_shipdesk_is_handling_is_shown_busy_and_left_alone() {
    let t = TestApp::new();
    t.ok("ship_from_add", ship_from_input("Shop"));
    let (error, _) = purchase_left_unanswered(&t, "#8201");
    let attempt_id = error["details"]["attempt_id"].as_i64().unwrap();

    // A second Shipdesk (another window, the CLI) on the same data directory takes it up.
    let elsewhere =
        shipdesk_core::Desk::builder(shipdesk_core::DataDir::at(t.dir.path().join("data")))
            .secrets(std::sync::Arc::new(
                shipdesk_core::ports::MemorySecretStore::default(),
            ))
            .build()
            .unwrap();
    let journal: &dyn PurchaseJournal = elsewhere.store().as_ref();
    assert!(matches!(
        journal.take_lease(attempt_id).unwrap(),
        Lease::Taken(_)
    ));

    assert_eq!(to_check(&t)[0]["in_progress"], true);
    for command in ["shipping_check_purchase_again", "shipping_discard_purchase"] {
        let busy = t.err(command, json!({"attemptId": attempt_id}));
        assert_eq!(busy["code"], "CONFLICT", "{command}: {busy}");
        assert_eq!(busy["details"]["kind"], "purchase_in_flight", "{busy}");
    }
    assert_eq!(ledger(&t).1, Vec::<String>::new(), "nothing was canceled");

    // That Shipdesk quits without finishing: the purchase is this one's to settle again.
    drop(elsewhere);
    assert_eq!(to_check(&t)[0]["in_progress"], false);
    t.ok(
        "shipping_check_purchase_again",
        json!({"attemptId": attempt_id}),
    );
    assert_eq!(to_check(&t), Vec::<Value>::new());
}
