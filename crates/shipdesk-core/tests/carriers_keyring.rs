//! The real OS keyring behind `Connections`: a refresh token saved at sign-in survives a restart
//! (a new `Desk` on the same data directory) and is gone after Disconnect. Runs only where a
//! Secret Service answers — `cargo xtask test` provides one (dbus-run-session + an unlocked
//! gnome-keyring); elsewhere it prints SKIPPED with the reason.

mod carriers_common;

use std::sync::Arc;

use carriers_common::*;
use shipdesk_core::carriers::{AccountFields, ConnectionState, KeyringSecretStore, SignInRequest};
use shipdesk_core::environment::Environment;
use shipdesk_core::ports::SecretStore;
use shipdesk_core::{DataDir, Desk};

fn keyring_desk(dir: &std::path::Path, port: u16, browser: Arc<FakeBrowser>) -> Desk {
    Desk::builder(DataDir::at(dir))
        .secrets(Arc::new(KeyringSecretStore::new("Shipdesk tests")))
        .opener(browser)
        .usps(config(port))
        .sandbox(shipdesk_sandbox::UspsSimSandbox::host())
        .build()
        .unwrap()
}

#[tokio::test]
async fn refresh_token_lives_in_the_keyring_across_restarts() {
    let store = KeyringSecretStore::new("Shipdesk tests");
    if let Err(e) = store.probe() {
        println!("SKIPPED: no Secret Service available ({})", e.message);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let browser = FakeBrowser::new(Browser::Consent(demo_user()));
    let id = {
        let desk = keyring_desk(dir.path(), port, browser.clone());
        let conns = desk.connections();
        let handle = conns
            .begin_sign_in(SignInRequest {
                environment: Some(Environment::Sandbox),
                fields: AccountFields {
                    nickname: Some("Keyring shop".into()),
                    ..Default::default()
                },
                ..Default::default()
            })
            .await
            .unwrap();
        conns.finish_sign_in(&handle).await.unwrap().account.id
    };
    // "Restart": a new Desk (and a new simulator process state loaded from its file).
    let desk = keyring_desk(dir.path(), port, browser);
    let conns = desk.connections();
    let session = conns.session(id).await.unwrap();
    session.authorize_payment().await.unwrap();
    // Nothing secret in SQLite, whatever the keyring holds.
    let db = std::fs::read(dir.path().join("shipdesk.sqlite3")).unwrap();
    assert!(!contains(&db, "shipdesk-sandbox-secret"));

    let outcome = conns.disconnect(id).await.unwrap();
    assert!(outcome.revoked_at_usps);
    assert_eq!(outcome.account.state, ConnectionState::Disconnected);
    // The keyring entry is gone: a session cannot be made without signing in again.
    assert!(conns.session(id).await.is_err());
    assert!(store.get("probe/availability").unwrap().is_none());
}
