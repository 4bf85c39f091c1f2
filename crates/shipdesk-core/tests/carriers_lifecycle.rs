//! The connection lifecycle against the in-process simulator: breakage detected through
//! `report_failure` (refresh token invalidated, product removed, account not linked), the
//! Reconnect prompt and Remind Me Later, reconnecting, disconnecting (revocation at USPS), the own
//! app mode, and that no secret ever reaches SQLite.

mod carriers_common;

use std::sync::atomic::Ordering;

use carriers_common::*;
use serde_json::json;
use shipdesk_core::carriers::{
    AccountConnection, AccountFields, AccountId, ConnectionSnapshot, ConnectionState,
    OwnAppRequest, SignInRequest,
};
use shipdesk_core::environment::Environment;
use shipdesk_core::{ErrorCode, ErrorDetails};
use tokio::sync::broadcast;

/// One Payments call through the two doors every USPS action uses.
async fn pay(h: &Harness, id: AccountId) -> Result<(), shipdesk_core::AppError> {
    let conns = h.desk.connections();
    let session = conns.session(id).await?;
    match session.authorize_payment().await {
        Ok(_) => {
            conns.report_success(id);
            Ok(())
        }
        Err(e) => Err(conns.report_failure(id, &e)),
    }
}

fn own_app_request(secret: &str) -> OwnAppRequest {
    OwnAppRequest {
        environment: Some(Environment::Sandbox),
        fields: AccountFields {
            nickname: Some("Own app".into()),
            ..Default::default()
        },
        client_id: "shipdesk-sandbox".into(),
        client_secret: secret.into(),
        ..Default::default()
    }
}

/// The newest snapshot broadcast since the last look (sign-in may make several).
fn latest(events: &mut broadcast::Receiver<ConnectionSnapshot>) -> Option<ConnectionSnapshot> {
    std::iter::from_fn(|| events.try_recv().ok()).last()
}

/// The account a connection error points at.
fn pointed(error: &shipdesk_core::AppError) -> &AccountConnection {
    match error.details.as_deref() {
        Some(ErrorDetails::UspsConnection(account)) => account,
        other => panic!("connection details expected: {other:?}"),
    }
}

async fn break_the_login(h: &Harness) {
    h.sim("invalidate-refresh-tokens", json!({})).await;
    h.sim("expire-access-tokens", json!({})).await;
}

#[tokio::test]
async fn invalidated_refresh_token_needs_reconnect_then_sign_in_fixes_it() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let conns = h.desk.connections();
    let id = h.signed_in(Some("Shop")).await;
    let mut events = conns.subscribe();
    pay(&h, id).await.unwrap();

    break_the_login(&h).await;
    let err = pay(&h, id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UspsReconnectRequired);
    assert!(
        err.message
            .starts_with("Your USPS connection (Shop) needs to be renewed")
    );
    let account = conns.account(id).unwrap();
    assert!(account.state.needs_reconnect(), "{:?}", account.state);
    // The error points at the account as the broadcast snapshot shows it.
    let broken = latest(&mut events).expect("a snapshot after the state changed");
    let entry = broken.account(id).unwrap();
    assert_eq!(pointed(&err), entry);
    assert!(entry.prompt && entry.state == account.state);
    // A window that opens now reads the same picture, newer.
    let opened = conns.connection_snapshot().unwrap();
    assert_eq!(opened.accounts, broken.accounts);
    assert!(opened.revision > broken.revision);

    // Remind Me Later: core broadcasts the prompt away; the state (banner) stays.
    conns.snooze_reconnect_prompt(id).unwrap();
    let snoozed = latest(&mut events).expect("snoozing is a change too");
    assert!(snoozed.revision > opened.revision);
    let entry = snoozed.account(id).unwrap();
    assert!(!entry.prompt && entry.state.needs_reconnect());
    assert!(conns.prompt_snoozed(id));
    let again = pay(&h, id).await.unwrap_err();
    assert_eq!(again.code, ErrorCode::UspsReconnectRequired);
    assert!(!pointed(&again).prompt, "banner only, no prompt");
    assert!(latest(&mut events).is_none(), "nothing changed");

    // Reconnect (Settings › Edit › Login) for the same account.
    let handle = conns
        .begin_sign_in(SignInRequest {
            account: Some(id),
            ..Default::default()
        })
        .await
        .unwrap();
    let outcome = conns.finish_sign_in(&handle).await.unwrap();
    assert_eq!(outcome.account.id, id);
    assert_eq!(outcome.account.state, ConnectionState::Connected);
    assert!(
        outcome.warnings.iter().any(|w| w.contains("other systems")),
        "{:?}",
        outcome.warnings
    );
    assert!(!conns.prompt_snoozed(id), "reconnecting ends the snooze");
    let recovered = latest(&mut events).unwrap();
    let entry = recovered.account(id).unwrap();
    assert_eq!(
        (&entry.state, entry.prompt),
        (&ConnectionState::Connected, false)
    );
    // Retry works.
    pay(&h, id).await.unwrap();
    assert_eq!(conns.list_accounts().unwrap().len(), 1);

    // The next breakage prompts again: the snooze ended with the recovery.
    break_the_login(&h).await;
    assert!(pointed(&pay(&h, id).await.unwrap_err()).prompt);
    assert!(latest(&mut events).unwrap().account(id).unwrap().prompt);
}

#[tokio::test]
async fn snapshots_follow_renames_and_removals_in_order() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let conns = h.desk.connections();
    let id = h.signed_in(Some("Shop")).await;
    let mut events = conns.subscribe();
    conns
        .update_account(
            id,
            &AccountFields {
                nickname: Some("Back room".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let renamed = latest(&mut events).expect("a rename is broadcast");
    assert_eq!(renamed.account(id).unwrap().nickname, "Back room");
    conns.remove_account(id).await.unwrap();
    let removed = latest(&mut events).expect("a removal is broadcast");
    assert!(removed.revision > renamed.revision);
    assert!(removed.account(id).is_none(), "{removed:?}");
    assert_eq!(
        conns.connection_snapshot().unwrap().accounts,
        removed.accounts
    );
}

#[tokio::test]
async fn removed_product_is_not_entitled_without_a_prompt() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let conns = h.desk.connections();
    let id = h.signed_in(Some("Shop")).await;
    let mut events = conns.subscribe();
    h.sim(
        "remove-product",
        json!({"client_id": "shipdesk-sandbox", "product": "Shipping"}),
    )
    .await;
    let err = pay(&h, id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UspsNotEntitled, "{err:?}");
    let ConnectionState::NotEntitled { missing, fix } = conns.account(id).unwrap().state else {
        panic!("expected NotEntitled");
    };
    assert_eq!(missing, vec!["Labels and Payments"]);
    assert!(fix.contains("service request") && fix.contains("Customer Onboarding Portal"));
    let entry = latest(&mut events).unwrap().account(id).cloned().unwrap();
    assert!(!entry.prompt, "signing in again would not help: no prompt");
    assert_eq!(pointed(&err), &entry);
    // A later public call succeeding does not hide the missing product.
    conns.report_success(id);
    assert!(matches!(
        conns.account(id).unwrap().state,
        ConnectionState::NotEntitled { .. }
    ));
}

#[tokio::test]
async fn unlinked_login_is_not_authorized_for_the_eps_account() {
    let h = Harness::new(Browser::Consent(user("unlinked")));
    let conns = h.desk.connections();
    let id = h.signed_in(Some("Unlinked")).await;
    // The token names no business, so nothing was prefilled; the user types the identifiers.
    let account = conns.account(id).unwrap();
    assert_eq!(account.crid, None);
    conns
        .update_account(
            id,
            &AccountFields {
                crid: Some("56982599".into()),
                mid: Some("902345699".into()),
                manifest_mid: Some("902345698".into()),
                eps_account: Some("1000012399".into()),
                nickname: None,
                has_contract: None,
                calls_per_hour: None,
            },
        )
        .unwrap();
    let err = pay(&h, id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UspsAccountNotAuthorized, "{err:?}");
    assert!(
        err.message
            .contains("CRID 56982599 / EPS account 1000012399")
    );
    let state = conns.account(id).unwrap().state;
    assert!(
        matches!(state, ConnectionState::NotEntitled { .. }),
        "{state:?}"
    );
}

#[tokio::test]
async fn disconnect_revokes_at_usps_and_deletes_secrets() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let conns = h.desk.connections();
    let id = h.signed_in(Some("Shop")).await;
    let refresh = h.secrets.find("/refresh-token").unwrap();

    let outcome = conns.disconnect(id).await.unwrap();
    assert!(outcome.revoked_at_usps, "{:?}", outcome.warnings);
    assert_eq!(outcome.account.state, ConnectionState::Disconnected);
    assert_eq!(h.secrets.len(), 0);
    let err = conns.session(id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UspsReconnectRequired);
    assert!(err.message.contains("disconnected"));

    // USPS itself no longer accepts the refresh token.
    let base = conns.sandbox_base_url().await.unwrap();
    let client = usps::UspsClient::new(usps::Environment::sandbox(base)).unwrap();
    let creds = usps::AppCredentials::new("shipdesk-sandbox", "shipdesk-sandbox-secret");
    let refused = client.refresh(&creds, &usps::Secret::new(refresh)).await;
    assert!(
        matches!(refused, Err(usps::UspsError::ReconnectRequired { .. })),
        "{refused:?}"
    );

    // Remove deletes the row.
    conns.remove_account(id).await.unwrap();
    assert!(conns.list_accounts().unwrap().is_empty());
    assert_eq!(conns.account(id).unwrap_err().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn own_app_connects_with_client_credentials() {
    let h = Harness::new(Browser::Idle);
    let conns = h.desk.connections();
    let refused = conns
        .connect_own_app(own_app_request("wrong-secret"))
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Validation);
    let Some(ErrorDetails::Fields { fields }) = refused.details.as_deref() else {
        panic!("field details expected");
    };
    assert!(fields.contains_key("client_secret"), "{fields:?}");
    assert!(conns.list_accounts().unwrap().is_empty());

    let outcome = conns
        .connect_own_app(own_app_request("shipdesk-sandbox-secret"))
        .await
        .unwrap();
    let account = outcome.account;
    assert_eq!(account.state, ConnectionState::Connected);
    // The demo app's client-credentials tokens carry its owner's business: prefilled.
    assert_eq!(account.crid.as_deref(), Some("56982563"));
    assert_eq!(account.eps_account.as_deref(), Some("1000012345"));
    pay(&h, account.id).await.unwrap();

    // Changing the credentials of an existing account warns about other systems.
    let mut again = own_app_request("shipdesk-sandbox-secret");
    again.account = Some(account.id);
    let changed = conns.connect_own_app(again).await.unwrap();
    assert!(changed.warnings.iter().any(|w| w.contains("other systems")));
    assert_eq!(conns.list_accounts().unwrap().len(), 1);
}

#[tokio::test]
async fn secrets_never_reach_sqlite() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let conns = h.desk.connections();
    let id = h.signed_in(Some("Shop")).await;
    pay(&h, id).await.unwrap();
    conns
        .connect_own_app(own_app_request("shipdesk-sandbox-secret"))
        .await
        .unwrap();
    let secrets = h.secrets.values();
    assert!(
        secrets.len() >= 2,
        "a refresh token and a client secret are stored"
    );
    let db = h.database_bytes();
    assert!(db.len() > 4096);
    for secret in secrets {
        assert!(
            !contains(&db, &secret),
            "a secret was found in the database files"
        );
    }
    // Sanity: the grep does find what is stored there.
    assert!(contains(&db, "56982563"));
}

#[tokio::test]
async fn a_failing_secret_store_surfaces_on_rotation() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let id = h.signed_in(Some("Shop")).await;
    h.sim("expire-access-tokens", json!({})).await;
    h.secrets.fail_writes.store(true, Ordering::SeqCst);
    // Renewal rotates the refresh token; it cannot be kept, so the call must not go ahead.
    let err = pay(&h, id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SecretStoreUnavailable, "{err:?}");
    assert!(err.message.contains("memory only"));
}

#[tokio::test]
async fn fresh_data_dir_gets_a_working_sandbox_demo_account() {
    let h = Harness::with_config(Browser::Idle, |c| c.sandbox_demo_account = true);
    let conns = h.desk.connections();
    // Opening the desk added it.
    let demo = conns.default_account().unwrap();
    assert_eq!(conns.list_accounts().unwrap().len(), 1);
    assert!(demo.is_sandbox_demo && demo.is_default);
    assert_eq!(demo.state, ConnectionState::Connected);
    assert!(conns.ensure_sandbox_demo_account().unwrap().is_none());
    // First use completes the demo consent by itself, then Payments works.
    pay(&h, demo.id).await.unwrap();
    assert!(h.secrets.find("/refresh-token").is_some());
    assert_eq!(conns.default_account().unwrap().id, demo.id);
}

#[tokio::test]
async fn no_accounts_means_a_clear_validation_error() {
    let h = Harness::new(Browser::Idle);
    let err = h.desk.connections().default_account().unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("Carrier Settings"));
}

#[tokio::test]
async fn memory_only_choice_replaces_the_store() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let conns = h.desk.connections();
    let id = h.signed_in(Some("Shop")).await;
    conns.use_memory_secret_store();
    assert!(conns.secrets_in_memory_only());
    // The refresh token was in the old store: the account must sign in again.
    h.sim("expire-access-tokens", json!({})).await;
    let err = pay(&h, id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UspsReconnectRequired);
    let handle = conns
        .begin_sign_in(SignInRequest {
            account: Some(id),
            ..Default::default()
        })
        .await
        .unwrap();
    conns.finish_sign_in(&handle).await.unwrap();
    pay(&h, id).await.unwrap();
    assert!(
        h.secrets.find("/refresh-token").is_some(),
        "old store untouched"
    );
}

#[tokio::test]
async fn concurrent_first_calls_share_one_session() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let conns = h.desk.connections().clone();
    let id = h.signed_in(Some("Shop")).await;
    // Editing drops the cached session; the next calls must build exactly one.
    conns
        .update_account(
            id,
            &AccountFields {
                nickname: Some("Shop 2".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let calls: Vec<_> = (0..6)
        .map(|_| {
            let conns = conns.clone();
            tokio::spawn(async move {
                let session = conns.session(id).await.unwrap();
                session.access_token().await.unwrap()
            })
        })
        .collect();
    let mut tokens = Vec::new();
    for call in calls {
        tokens.push(call.await.unwrap());
    }
    assert!(
        tokens
            .windows(2)
            .all(|w| std::sync::Arc::ptr_eq(&w[0], &w[1])),
        "every caller got the same cached access token"
    );
}

#[tokio::test]
async fn editing_validates_keeps_and_clears_fields() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let conns = h.desk.connections();
    let id = h.signed_in(Some("Shop")).await;
    let bad = conns
        .update_account(
            id,
            &AccountFields {
                mid: Some("12".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(bad.code, ErrorCode::Validation);
    let Some(ErrorDetails::Fields { fields }) = bad.details.as_deref() else {
        panic!("field details expected");
    };
    assert!(fields.contains_key("mid"), "{fields:?}");
    let edited = conns
        .update_account(
            id,
            &AccountFields {
                nickname: Some("Back room".into()),
                eps_account: Some(" ".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(edited.nickname, "Back room");
    assert_eq!(edited.eps_account, None, "blank clears");
    assert_eq!(edited.crid.as_deref(), Some("56982563"), "absent keeps");
    // Without an EPS account, payments cannot be authorized: a clear validation error.
    let err = pay(&h, id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("EPS account"), "{}", err.message);
    // A nickname must stay unique.
    let other = h.signed_in(Some("Other")).await;
    let taken = conns
        .update_account(
            other,
            &AccountFields {
                nickname: Some("back ROOM".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(taken.code, ErrorCode::Conflict);
}

#[tokio::test]
async fn an_account_whose_client_secret_is_gone_needs_reconnecting() {
    let h = Harness::new(Browser::Idle);
    let conns = h.desk.connections();
    let account = conns
        .connect_own_app(own_app_request("shipdesk-sandbox-secret"))
        .await
        .unwrap()
        .account;
    // From now on secrets live in an empty in-memory store: the client secret is not on this
    // computer any more, as after a keyring was reset.
    conns.use_memory_secret_store();
    let err = pay(&h, account.id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UspsReconnectRequired, "{err:?}");
    assert!(
        matches!(
            conns.account(account.id).unwrap().state,
            ConnectionState::NeedsReconnect { .. }
        ),
        "the banner and the prompt must show it"
    );
    let snapshot = conns.connection_snapshot().unwrap();
    assert!(snapshot.account(account.id).unwrap().prompt, "{snapshot:?}");
}
