//! The carriers commands through tauri's mock IPC: accounts, the error JSON the UI branches on,
//! a whole "Sign in with USPS" against the Sandbox simulator (start → consent pages → callback →
//! finish), and `usps://connection` events.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};
use shipdesk_core::carriers::{
    ConnectionPorts, ConnectionsConfig, SandboxConsent, drive_sandbox_consent,
};
use shipdesk_core::ports::{MemorySecretStore, SystemClock};
use shipdesk_core::{DataDir, Desk};
use tauri::Listener;
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, ipc::InvokeBody};

use super::app_with;
use crate::AppState;
use crate::opener::FileLogOpener;

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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A desk with secrets in memory (no keyring in tests), sign-in addresses logged to a file and
/// a redirect port of its own.
fn desk(dir: &std::path::Path) -> Desk {
    let ports = ConnectionPorts {
        secrets: Arc::new(MemorySecretStore::default()),
        opener: Arc::new(FileLogOpener::new(dir.join("opened.txt"))),
        clock: Arc::new(SystemClock),
    };
    let config = ConnectionsConfig {
        redirect_port: free_port(),
        ..ConnectionsConfig::default()
    };
    Desk::open_with(DataDir::at(dir.join("data")), ports, config).unwrap()
}

#[test]
fn a_fresh_desk_lists_the_connected_sandbox_demo_account() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app_with(AppState::with_desk(Ok(desk(dir.path()))));
    let accounts = call(&window, "carriers_list", json!({})).unwrap();
    let demo = &accounts[0];
    assert_eq!(accounts.as_array().unwrap().len(), 1, "{accounts}");
    assert_eq!(demo["nickname"], "Sandbox demo");
    assert_eq!(demo["environment"], "sandbox");
    assert_eq!(demo["state"], json!({"state": "connected"}));
    assert_eq!(demo["is_default"], true);
    assert_eq!(demo["crid"], "56982563");
}

#[test]
fn carriers_errors_reach_the_ui_as_the_error_contract() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app_with(AppState::with_desk(Ok(desk(dir.path()))));
    let id = call(&window, "carriers_list", json!({})).unwrap()[0]["id"].clone();
    let bad = json!({"nickname": null, "crid": "12ab", "mid": "12345", "manifest_mid": null,
                     "eps_account": null});
    let err = call(&window, "carriers_update", json!({"id": id, "fields": bad})).unwrap_err();
    assert_eq!(err["code"], "VALIDATION");
    assert_eq!(
        err["details"]["fields"]["crid"],
        "CRID must contain digits only (usually 8)"
    );
    assert!(
        err["details"]["fields"]["mid"]
            .as_str()
            .unwrap()
            .contains("6 or 9 digits"),
        "{err}"
    );
    assert!(
        err["details"]["fields"].get("eps_account").is_none(),
        "{err}"
    );

    let err = call(&window, "carriers_check", json!({"id": 4242})).unwrap_err();
    assert_eq!(err["code"], "NOT_FOUND", "{err}");
    assert!(err["message"].is_string());

    let err = call(&window, "carriers_sign_in_finish", json!({"id": 77})).unwrap_err();
    assert_eq!(
        err,
        json!({"code": "CANCELLED", "message": "The USPS sign-in was cancelled."})
    );
}

#[test]
fn disconnect_is_pushed_to_the_ui_as_a_connection_event() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, window) = app_with(AppState::with_desk(Ok(desk(dir.path()))));
    // The app's setup (where the forwarder starts) runs with the event loop's first turn. One
    // turn, not a loop, so the busy-loop this method is deprecated for cannot happen here.
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    let (tx, rx) = mpsc::channel::<String>();
    app.listen_any(crate::usps_events::CONNECTION_EVENT, move |e| {
        let _ = tx.send(e.payload().to_owned());
    });
    let id = call(&window, "carriers_list", json!({})).unwrap()[0]["id"].clone();
    let outcome = call(&window, "carriers_disconnect", json!({"id": id})).unwrap();
    assert_eq!(
        outcome["account"]["state"],
        json!({"state": "disconnected"})
    );
    let event: Value =
        serde_json::from_str(&rx.recv_timeout(Duration::from_secs(10)).unwrap()).unwrap();
    assert_eq!(
        event,
        json!({"account_id": id, "nickname": "Sandbox demo",
               "state": {"state": "disconnected"}, "prompt": false})
    );
}

/// What the browser does last: follow USPS's redirect to the loopback listener.
fn browser_returns_to(port: u16, target: &str) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    page
}

#[test]
fn sign_in_with_usps_round_trips_through_start_consent_and_finish() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app_with(AppState::with_desk(Ok(desk(dir.path()))));
    let request = json!({"account": null, "environment": "sandbox", "base_url": null,
        "fields": {"nickname": "Back office", "crid": null, "mid": null, "manifest_mid": null,
                   "eps_account": null},
        "port": null, "client_id": null});
    let started = call(
        &window,
        "carriers_sign_in_start",
        json!({"request": request}),
    )
    .unwrap();
    let keys: Vec<&String> = started.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["browser_opened", "id", "redirect_uri", "url"],
        "SignInStarted in ui/src/ipc/carriers.ts"
    );
    let url = started["url"].as_str().unwrap().to_owned();
    assert!(url.contains("/cop-navigator?"), "{started}");
    assert_eq!(started["browser_opened"], true, "the file opener took it");
    let logged = std::fs::read_to_string(dir.path().join("opened.txt")).unwrap();
    assert_eq!(logged.trim(), url);

    let finisher = {
        let window = window.clone();
        let id = started["id"].clone();
        std::thread::spawn(move || call(&window, "carriers_sign_in_finish", json!({"id": id})))
    };
    let back = tauri::async_runtime::block_on(drive_sandbox_consent(&url, &SandboxConsent::demo()))
        .unwrap();
    let target = format!("{}?{}", back.path(), back.query().unwrap_or(""));
    let page = browser_returns_to(back.port().unwrap(), &target);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");

    let outcome = finisher.join().unwrap().expect("sign-in finishes");
    let account = &outcome["account"];
    assert_eq!(account["nickname"], "Back office");
    assert_eq!(account["state"], json!({"state": "connected"}));
    assert_eq!(account["crid"], "56982563", "prefilled from the token");
    assert_eq!(account["mid"], "902345671");
    let accounts = call(&window, "carriers_list", json!({})).unwrap();
    assert_eq!(accounts.as_array().unwrap().len(), 2);
}

#[test]
fn a_cancelled_sign_in_frees_the_port_for_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app_with(AppState::with_desk(Ok(desk(dir.path()))));
    let request = json!({"request": {"account": null, "environment": "sandbox", "base_url": null,
        "fields": {"nickname": null, "crid": null, "mid": null, "manifest_mid": null,
                   "eps_account": null},
        "port": null, "client_id": null}});
    let first = call(&window, "carriers_sign_in_start", request.clone()).unwrap();
    let finisher = {
        let window = window.clone();
        let id = first["id"].clone();
        std::thread::spawn(move || call(&window, "carriers_sign_in_finish", json!({"id": id})))
    };
    std::thread::sleep(Duration::from_millis(200));
    call(
        &window,
        "carriers_sign_in_cancel",
        json!({"id": first["id"]}),
    )
    .unwrap();
    assert_eq!(finisher.join().unwrap().unwrap_err()["code"], "CANCELLED");
    let second = call(&window, "carriers_sign_in_start", request).unwrap();
    assert_ne!(second["id"], first["id"]);
    assert_eq!(second["redirect_uri"], first["redirect_uri"]);
}

#[test]
fn sandbox_info_and_check_connection_reach_the_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app_with(AppState::with_desk(Ok(desk(dir.path()))));
    let info = call(&window, "carriers_sandbox_info", json!({})).unwrap();
    assert!(
        info["base_url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:"),
        "{info}"
    );
    assert_eq!(info["demo_username"], "demo");
    let keys: Vec<&String> = info.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["base_url", "demo_password", "demo_username"],
        "SandboxInfo in ui/src/ipc/carriers.ts"
    );
    let id = call(&window, "carriers_list", json!({})).unwrap()[0]["id"].clone();
    let check = call(&window, "carriers_check", json!({"id": id})).unwrap();
    let statuses: Vec<&str> = check["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["passed"; 6], "{check}");
    assert!(check["account"]["last_verified_at"].is_string());
}
