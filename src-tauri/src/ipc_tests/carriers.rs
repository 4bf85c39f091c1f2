//! The carriers commands through tauri's mock IPC: the Sandbox demo account a fresh desk gets,
//! own-app accounts against the simulator, sign-in round trips, `usps://connection` events.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};
use shipdesk_sandbox::consent_pages::{SandboxConsent, drive_sandbox_consent};
use tauri::Listener;

use super::TestApp;

fn demo_account_id(t: &TestApp) -> Value {
    t.ok("carriers_list", json!({}))[0]["id"].clone()
}

fn own_app_request(secret: &str) -> Value {
    json!({"request": {"account": null, "environment": "sandbox", "base_url": null,
        "fields": {"nickname": "Own app", "crid": null, "mid": null, "manifest_mid": null,
                   "eps_account": null},
        "client_id": "shipdesk-sandbox", "client_secret": secret}})
}

#[test]
fn a_fresh_desk_lists_the_connected_sandbox_demo_account() {
    let t = TestApp::new();
    let accounts = t.ok("carriers_list", json!({}));
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
    let t = TestApp::new();
    let id = demo_account_id(&t);
    let bad = json!({"nickname": null, "crid": "12ab", "mid": "12345", "manifest_mid": null,
                     "eps_account": null});
    let err = t.err("carriers_update", json!({"id": id, "fields": bad}));
    assert_eq!(err["code"], "VALIDATION");
    assert_eq!(err["details"]["kind"], "fields", "{err}");
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

    let err = t.err("carriers_check", json!({"id": 4242}));
    assert_eq!(err["code"], "NOT_FOUND", "{err}");
    assert!(err["message"].is_string());

    let err = t.err("carriers_sign_in_finish", json!({"id": 77}));
    assert_eq!(
        err,
        json!({"code": "CANCELLED", "message": "The USPS sign-in was cancelled."})
    );
}

#[test]
fn an_edited_account_answers_with_its_new_fields() {
    let t = TestApp::new();
    let id = demo_account_id(&t);
    let fields = json!({"nickname": "Front desk", "crid": null, "mid": null,
                        "manifest_mid": null, "eps_account": null});
    let edited = t.ok("carriers_update", json!({"id": id, "fields": fields}));
    assert_eq!(edited["nickname"], "Front desk");
    assert_eq!(edited["crid"], "56982563", "None leaves a field as it is");
    assert_eq!(
        t.ok("carriers_list", json!({}))[0]["nickname"],
        "Front desk"
    );
}

#[test]
fn an_own_app_account_is_added_made_default_and_removed() {
    let t = TestApp::new();
    let demo = demo_account_id(&t);
    let refused = t.err("carriers_connect_own_app", own_app_request("wrong-secret"));
    assert_eq!(refused["code"], "VALIDATION", "{refused}");
    assert!(
        refused["details"]["fields"]["client_secret"].is_string(),
        "{refused}"
    );
    assert_eq!(
        t.ok("carriers_list", json!({})).as_array().unwrap().len(),
        1
    );

    let outcome = t.ok(
        "carriers_connect_own_app",
        own_app_request("shipdesk-sandbox-secret"),
    );
    let account = &outcome["account"];
    assert_eq!(account["nickname"], "Own app");
    assert_eq!(account["state"], json!({"state": "connected"}));
    assert_eq!(account["crid"], "56982563", "prefilled from the token");
    assert_eq!(account["is_default"], false);
    let own = account["id"].clone();

    let made_default = t.ok("carriers_set_default", json!({"id": own}));
    assert_eq!(made_default["id"], own);
    assert_eq!(made_default["is_default"], true);
    let listed = t.ok("carriers_list", json!({}));
    let default_ids: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["is_default"] == true)
        .map(|a| &a["id"])
        .collect();
    assert_eq!(default_ids, [&own], "exactly one default: {listed}");

    let removed = t.ok("carriers_remove", json!({"id": own}));
    assert_eq!(removed["account"]["id"], own);
    let left = t.ok("carriers_list", json!({}));
    assert_eq!(left.as_array().unwrap().len(), 1, "{left}");
    assert_eq!(left[0]["id"], demo);
    assert_eq!(
        t.err("carriers_set_default", json!({"id": own}))["code"],
        "NOT_FOUND"
    );
}

#[test]
fn remind_me_later_answers_when_the_prompt_may_show_again() {
    let t = TestApp::new();
    let id = demo_account_id(&t);
    let until = t.ok("carriers_snooze_prompt", json!({"id": id}));
    let until = until.as_str().expect("an RFC 3339 time");
    let date = until.get(..10).unwrap();
    assert!(
        date.len() == 10 && until.as_bytes()[10] == b'T' && date.as_bytes()[4] == b'-',
        "{until}"
    );
    assert_eq!(
        t.err("carriers_snooze_prompt", json!({"id": 999}))["code"],
        "NOT_FOUND"
    );
}

#[test]
fn secrets_move_to_memory_only_when_asked() {
    let t = TestApp::new();
    assert_eq!(t.ok("carriers_secrets_in_memory", json!({})), false);
    assert_eq!(
        t.ok("carriers_keep_secrets_in_memory", json!({})),
        Value::Null
    );
    assert_eq!(t.ok("carriers_secrets_in_memory", json!({})), true);
}

#[test]
fn the_redirect_port_is_the_desks() {
    let t = TestApp::new();
    assert_eq!(
        t.ok("carriers_redirect_port", json!({})),
        json!(t.redirect_port)
    );
}

/// The `usps://connection` events the app emits from now on.
fn connection_events(t: &mut TestApp) -> mpsc::Receiver<Value> {
    // The app's setup (where the forwarder starts) runs with the event loop's first turn. One
    // turn, not a loop, so the busy-loop this method is deprecated for cannot happen here.
    #[allow(deprecated)]
    t.app.run_iteration(|_, _| {});
    let (tx, rx) = mpsc::channel();
    t.app
        .listen_any(crate::usps_events::CONNECTION_EVENT, move |e| {
            let _ = tx.send(serde_json::from_str(e.payload()).unwrap());
        });
    rx
}

#[test]
fn disconnect_is_pushed_to_the_ui_as_a_connection_snapshot() {
    let mut t = TestApp::new();
    let events = connection_events(&mut t);
    let id = demo_account_id(&t);
    let outcome = t.ok("carriers_disconnect", json!({"id": id}));
    assert_eq!(
        outcome["account"]["state"],
        json!({"state": "disconnected"})
    );
    let event = events.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(event["revision"].as_u64().unwrap() > 0, "{event}");
    assert_eq!(
        event["accounts"],
        json!([{"account_id": id, "nickname": "Sandbox demo",
                "state": {"state": "disconnected"}, "prompt": false}])
    );
}

#[test]
fn a_window_that_opens_reads_the_snapshot_the_events_continue() {
    let mut t = TestApp::new();
    let events = connection_events(&mut t);
    let id = demo_account_id(&t);
    let opened = t.ok("carriers_connection_snapshot", json!({}));
    let keys: Vec<&String> = opened.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "accounts",
            "contract_prices_said",
            "endicia",
            "guide_offer",
            "revision"
        ],
        "{opened}"
    );
    // A Sandbox desk has its demo account: nothing to ask or offer.
    assert_eq!(opened["guide_offer"], "none", "{opened}");
    assert_eq!(
        opened["accounts"],
        json!([{"account_id": id, "nickname": "Sandbox demo",
                "state": {"state": "connected"}, "prompt": false}])
    );
    // Remind Me Later is a change core announces: every window hears the newer snapshot.
    t.ok("carriers_snooze_prompt", json!({"id": id}));
    let snoozed = events.recv_timeout(Duration::from_secs(10)).unwrap();
    let revision = |v: &Value| v["revision"].as_u64().unwrap();
    assert!(
        revision(&snoozed) > revision(&opened),
        "{snoozed} after {opened}"
    );
    assert_eq!(snoozed["accounts"], opened["accounts"]);
    let reopened = t.ok("carriers_connection_snapshot", json!({}));
    assert!(revision(&reopened) > revision(&snoozed));
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
    let t = TestApp::new();
    let request = json!({"account": null, "environment": "sandbox", "base_url": null,
        "fields": {"nickname": "Back office", "crid": null, "mid": null, "manifest_mid": null,
                   "eps_account": null},
        "port": null, "client_id": null});
    let started = t.ok("carriers_sign_in_start", json!({"request": request}));
    let keys: Vec<&String> = started.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["browser_opened", "id", "redirect_uri", "url"],
        "SignInStarted in ui/src/ipc/carriers.ts"
    );
    let url = started["url"].as_str().unwrap().to_owned();
    assert!(url.contains("/cop-navigator?"), "{started}");
    assert_eq!(started["browser_opened"], true, "the file opener took it");
    let logged = std::fs::read_to_string(t.dir.path().join("opened.txt")).unwrap();
    assert_eq!(logged.trim(), url);

    let finisher = {
        let window = t.window.clone();
        let id = started["id"].clone();
        std::thread::spawn(move || {
            super::call(&window, "carriers_sign_in_finish", json!({"id": id}))
        })
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
    assert_eq!(
        t.ok("carriers_list", json!({})).as_array().unwrap().len(),
        2
    );
}

#[test]
fn a_cancelled_sign_in_frees_the_port_for_the_next() {
    let t = TestApp::new();
    let request = json!({"request": {"account": null, "environment": "sandbox", "base_url": null,
        "fields": {"nickname": null, "crid": null, "mid": null, "manifest_mid": null,
                   "eps_account": null},
        "port": null, "client_id": null}});
    let first = t.ok("carriers_sign_in_start", request.clone());
    let finisher = {
        let window = t.window.clone();
        let id = first["id"].clone();
        std::thread::spawn(move || {
            super::call(&window, "carriers_sign_in_finish", json!({"id": id}))
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        t.ok("carriers_sign_in_cancel", json!({"id": first["id"]})),
        Value::Null
    );
    assert_eq!(finisher.join().unwrap().unwrap_err()["code"], "CANCELLED");
    let second = t.ok("carriers_sign_in_start", request);
    assert_ne!(second["id"], first["id"]);
    assert_eq!(second["redirect_uri"], first["redirect_uri"]);
}

#[test]
fn sandbox_info_and_check_connection_reach_the_simulator() {
    let t = TestApp::new();
    let info = t.ok("carriers_sandbox_info", json!({}));
    assert!(
        info["base_url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:"),
        "{info}"
    );
    assert_eq!(info["demo_username"], "demo");
    assert_eq!(info["contract_username"], "nsa");
    let keys: Vec<&String> = info.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "base_url",
            "contract_username",
            "demo_password",
            "demo_username"
        ],
        "SandboxInfo in ui/src/ipc/carriers.ts"
    );
    let id = demo_account_id(&t);
    let check = t.ok("carriers_check", json!({"id": id}));
    let statuses: Vec<&str> = check["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["passed"; 6], "{check}");
    assert!(check["account"]["last_verified_at"].is_string());

    // The business account guide, read off the same checks.
    let guide = t.ok("carriers_onboarding", json!({"id": null}));
    let guide_statuses: Vec<&str> = guide["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(guide_statuses, ["done", "done", "done"], "{guide}");
    assert_eq!(guide["account_id"], id);
    t.ok("carriers_open_business_portal", json!({}));
    let opened = std::fs::read_to_string(t.dir.path().join("opened.txt")).unwrap();
    assert!(opened.contains("https://gateway.usps.com/"), "{opened}");

    // "I have contract prices": kept, and the snapshot says so (no offer: an account is connected).
    t.ok("carriers_say_contract_prices", json!({"have": true}));
    let snapshot = t.ok("carriers_connection_snapshot", json!({}));
    assert_eq!(snapshot["contract_prices_said"], true, "{snapshot}");
    assert_eq!(snapshot["guide_offer"], "none", "{snapshot}");
}
