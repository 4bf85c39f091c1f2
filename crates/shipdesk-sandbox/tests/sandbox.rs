//! A desk given `UspsSimSandbox`, as the app and the CLI build it: the demo account connects
//! through the simulator's API (its consent pages are never requested), the simulator's state
//! survives reopening the data directory, and a desk without a Sandbox still opens and says why
//! its Sandbox accounts cannot work.

use std::sync::Arc;

use serde_json::Value;
use shipdesk_core::carriers::ConnectionsConfig;
use shipdesk_core::error::AppResult;
use shipdesk_core::ports::url_like::HttpUrl;
use shipdesk_core::ports::{MemorySecretStore, Opener, SecretStore};
use shipdesk_core::{DataDir, Desk, ErrorCode};
use shipdesk_sandbox::{STATE_FILE, UspsSimSandbox};

/// The demo account connects by itself; nothing may open a browser.
struct NoBrowser;

impl Opener for NoBrowser {
    fn open(&self, url: &HttpUrl) -> AppResult<()> {
        panic!("unexpected browser launch: {}", url.as_str());
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn desk(dir: &std::path::Path, secrets: &Arc<MemorySecretStore>, sandbox: bool) -> Desk {
    let builder = Desk::builder(DataDir::at(dir))
        .secrets(secrets.clone() as Arc<dyn SecretStore>)
        .opener(Arc::new(NoBrowser))
        .usps(ConnectionsConfig {
            redirect_port: free_port(),
            ..ConnectionsConfig::default()
        });
    if sandbox {
        builder.sandbox(UspsSimSandbox::host()).build().unwrap()
    } else {
        builder.build().unwrap()
    }
}

/// Calls per API the desk's simulator has answered (`/__sim/calls`).
async fn sim_calls(desk: &Desk) -> Value {
    let base = desk.connections().sandbox_base_url().await.unwrap();
    let answer: Value = reqwest::get(base.join("__sim/calls").unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["calls"].clone()
}

#[tokio::test]
async fn the_demo_account_connects_through_the_simulator_api_not_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let desk = desk(dir.path(), &secrets, true);
    let conns = desk.connections();
    let demo = conns.default_account().unwrap();
    assert!(demo.is_sandbox_demo, "{demo:?}");
    assert_eq!(demo.crid.as_deref(), Some("56982563"));
    assert_eq!(demo.mid.as_deref(), Some("902345671"));
    assert_eq!(demo.manifest_mid.as_deref(), Some("902345672"));
    assert_eq!(demo.eps_account.as_deref(), Some("1000012345"));

    // The whole chain works: the token came from the code exchange, payments authorize.
    let check = conns.check_connection(demo.id).await.unwrap();
    assert!(check.passed(), "{check:#?}");
    let calls = sim_calls(&desk).await;
    assert!(calls["oauth2"].as_u64().unwrap() >= 1, "{calls}");
    assert!(
        calls.get("consent").is_none(),
        "the consent pages were requested: {calls}"
    );
}

#[tokio::test]
async fn the_simulator_state_survives_reopening_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let first = desk(dir.path(), &secrets, true);
    let demo = first.connections().default_account().unwrap();
    first.connections().session(demo.id).await.unwrap();
    drop(first);

    // The refresh token the first simulator issued is still good with the second one (it
    // reloaded the consent and the token from the state file), so no new consent is needed.
    let second = desk(dir.path(), &secrets, true);
    let conns = second.connections();
    assert_eq!(conns.list_accounts().unwrap().len(), 1, "one demo account");
    let check = conns.check_connection(demo.id).await.unwrap();
    assert!(check.passed(), "{check:#?}");
    let state = usps_sim::state::load(&dir.path().join("sandbox").join(STATE_FILE)).unwrap();
    assert_eq!(state.consents.len(), 1, "{:?}", state.consents);
}

#[tokio::test]
async fn a_desk_without_a_sandbox_opens_and_its_sandbox_accounts_say_why_they_fail() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecretStore::default());
    let bare = desk(dir.path(), &secrets, false);
    assert!(
        bare.connections().list_accounts().unwrap().is_empty(),
        "no demo account"
    );
    let err = bare.connections().sandbox_base_url().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UspsUnavailable);
    assert!(
        err.message.contains("not available in this build"),
        "{err:?}"
    );
    drop(bare);

    // The first desk with a Sandbox still gets the demo account, and a later one without it
    // keeps the account but cannot reach it.
    let hosted = desk(dir.path(), &secrets, true);
    let demo = hosted.connections().default_account().unwrap();
    assert!(demo.is_sandbox_demo);
    drop(hosted);
    let bare = desk(dir.path(), &secrets, false);
    let err = bare.connections().session(demo.id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UspsUnavailable);
    assert!(
        err.message.contains("not available in this build"),
        "{err:?}"
    );
}
