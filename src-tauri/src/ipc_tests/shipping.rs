//! The shipping commands through tauri's mock IPC: argument names as the UI sends them
//! (camelCase), results as JSON, the error contract, and `batch://progress` events.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use shipdesk_core::{DataDir, Desk};
use tauri::Listener;
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, ipc::InvokeBody};

use super::app_with;
use crate::AppState;

fn call(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

fn fresh_app() -> (
    tempfile::TempDir,
    tauri::App<MockRuntime>,
    WebviewWindow<MockRuntime>,
) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(DataDir::at(dir.path())).unwrap();
    let (app, window) = app_with(AppState::with_desk(Ok(desk)));
    (dir, app, window)
}

#[test]
fn ship_from_addresses_and_the_label_layout_round_trip() {
    let (_dir, _app, window) = fresh_app();
    assert_eq!(
        call(&window, "ship_from_list", json!({})).unwrap(),
        json!([])
    );
    let saved = call(
        &window,
        "ship_from_add",
        json!({"input": {
            "nickname": "Shop",
            "address": {"name": "Desk Goods", "company": null, "street1": "100 Main St",
                "street2": null, "city": "Austin", "state": "TX", "zip5": "78701", "zip4": null,
                "country": "US", "phone": null, "email": null}
        }}),
    )
    .expect("ship_from_add succeeds");
    assert_eq!(saved["nickname"], "Shop");
    assert_eq!(
        saved["is_default"], true,
        "the first address becomes the default"
    );
    let listed = call(&window, "ship_from_list", json!({})).unwrap();
    assert_eq!(listed[0]["id"], saved["id"]);

    assert_eq!(call(&window, "label_layout_get", json!({})).unwrap(), "4x6");
    call(&window, "label_layout_set", json!({"layout": "letter"})).unwrap();
    assert_eq!(
        call(&window, "label_layout_get", json!({})).unwrap(),
        "letter"
    );
    assert_eq!(
        call(&window, "shipments_list", json!({"query": {}})).unwrap(),
        json!([])
    );
}

#[test]
fn shipping_errors_reach_the_ui_as_the_error_contract() {
    let (_dir, _app, window) = fresh_app();
    assert_eq!(
        call(&window, "shipment_get", json!({"id": 999})).unwrap_err(),
        json!({"code": "NOT_FOUND", "message": "There is no shipment 999"})
    );
    assert_eq!(
        call(&window, "label_void", json!({"shipmentId": 999})).unwrap_err()["code"],
        "NOT_FOUND"
    );
    let missing = call(&window, "shipments_list", json!({})).unwrap_err();
    assert!(
        missing.as_str().is_some_and(|m| m.contains("query")),
        "a missing argument is refused by tauri before core: {missing}"
    );
    let bad_layout = call(&window, "label_layout_set", json!({"layout": "a4"})).unwrap_err();
    assert!(
        bad_layout.as_str().is_some_and(|m| m.contains("layout")),
        "an unknown layout never reaches core: {bad_layout}"
    );
}

#[test]
fn a_batch_reports_progress_events_and_puts_every_order_in_its_report() {
    let (_dir, app, window) = fresh_app();
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = seen.clone();
    app.listen_any(crate::commands::shipping::BATCH_PROGRESS_EVENT, move |e| {
        sink.lock()
            .unwrap()
            .push(serde_json::from_str(e.payload()).unwrap());
    });
    let request = |order_id: i64| {
        json!({
            "order_id": order_id,
            "rate": {"mail_class": "USPS_GROUND_ADVANTAGE", "rate_indicator": "SP",
                "processing_category": "MACHINABLE"},
            "package": {"weight_oz": "12", "dimensions":
                {"length_in": "10", "width_in": "8", "height_in": "4"}},
            "ship_to": {"choice": "as_entered"},
            "ignore_bad_address": false,
            "allow_additional_label": false
        })
    };
    let report = call(
        &window,
        "labels_buy_batch",
        json!({"requests": [request(41), request(42)], "options": null}),
    )
    .expect("a batch never fails as a whole");
    assert_eq!(report["total"], 2);
    assert_eq!(report["bought"], json!([]));
    let problems = report["validation_problems"].as_array().unwrap().len()
        + report["usps_rejections"].as_array().unwrap().len()
        + report["connection_problems"].as_array().unwrap().len();
    assert_eq!(
        problems, 2,
        "orders that do not exist are reported: {report}"
    );
    let events = seen.lock().unwrap().clone();
    let last = events.last().expect("progress events were emitted");
    assert_eq!(last["done"], 2);
    assert_eq!(last["total"], 2);
    assert_eq!(last["message"], "2 of 2");
    call(&window, "labels_batch_cancel", json!({})).expect("cancel with nothing running is fine");
}
