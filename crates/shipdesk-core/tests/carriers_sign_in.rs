//! "Sign in with USPS" end to end against the in-process simulator: the fake browser follows
//! the consent pages (sign in → optional MFA → terms → Authorize & Continue) and lands on our
//! loopback listener. Also the ways it must fail: wrong state, denied consent, timeout, wrong
//! password.

mod carriers_common;

use std::time::Duration;

use carriers_common::*;
use shipdesk_core::carriers::{AccountFields, ConnectionState, SignInRequest};
use shipdesk_core::environment::Environment;
use shipdesk_core::{ErrorCode, ErrorDetails};
use shipdesk_sandbox::consent_pages::{SandboxConsent, drive_sandbox_consent};

fn new_account(nickname: &str) -> SignInRequest {
    SignInRequest {
        environment: Some(Environment::Sandbox),
        fields: AccountFields {
            nickname: Some(nickname.into()),
            ..Default::default()
        },
        ..Default::default()
    }
}

#[tokio::test]
async fn sign_in_connects_and_prefills_from_the_token() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let conns = h.desk.connections();
    let handle = conns.begin_sign_in(new_account("Shop")).await.unwrap();
    assert!(handle.browser_opened);
    assert_eq!(h.browser.opened.lock().unwrap().first(), Some(&handle.url));
    assert!(handle.url.contains("/cop-navigator?wf=apis_merchant_user"));
    assert!(handle.url.contains(&format!("state={}", handle.state)));
    assert_eq!(
        handle.redirect_uri,
        format!(
            "http://127.0.0.1:{}/usps/callback",
            conns.config().redirect_port
        )
    );

    let outcome = conns.finish_sign_in(&handle).await.unwrap();
    let account = outcome.account;
    assert_eq!(account.nickname, "Shop");
    assert_eq!(account.state, ConnectionState::Connected);
    assert!(account.last_verified_at.is_some());
    assert_eq!(account.crid.as_deref(), Some("56982563"));
    assert_eq!(account.mid.as_deref(), Some("902345671"));
    assert_eq!(account.manifest_mid.as_deref(), Some("902345672"));
    assert_eq!(account.eps_account.as_deref(), Some("1000012345"));
    assert!(account.is_default, "the first account becomes the default");
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    assert!(h.secrets.find("/refresh-token").is_some());

    // The cached session works for Payments (identity prefilled, token linked).
    let session = conns.session(account.id).await.unwrap();
    session.authorize_payment().await.unwrap();
    assert_eq!(conns.default_account().unwrap().id, account.id);
    // Second call: the same cached session (its token cache is shared).
    let again = conns.session(account.id).await.unwrap();
    let first = session.access_token().await.unwrap();
    let second = again.access_token().await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &second));
}

#[tokio::test]
async fn mfa_user_signs_in() {
    let mfa = SandboxConsent {
        mfa_code: Some("123456".into()),
        ..user("mfa")
    };
    let h = Harness::new(Browser::Consent(mfa));
    let conns = h.desk.connections();
    let handle = conns.begin_sign_in(new_account("MFA shop")).await.unwrap();
    let account = conns.finish_sign_in(&handle).await.unwrap().account;
    assert_eq!(account.crid.as_deref(), Some("56982577"));
    assert_eq!(account.state, ConnectionState::Connected);
}

#[tokio::test]
async fn a_callback_with_another_state_is_refused() {
    let h = Harness::new(Browser::TamperState(demo_user()));
    let conns = h.desk.connections();
    let handle = conns.begin_sign_in(new_account("Shop")).await.unwrap();
    let err = conns.finish_sign_in(&handle).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("did not match"), "{}", err.message);
    assert!(
        conns.list_accounts().unwrap().is_empty(),
        "no half-made account"
    );
    assert_eq!(h.secrets.len(), 0);
}

#[tokio::test]
async fn denied_consent_is_cancelled() {
    let cancel = SandboxConsent {
        cancel: true,
        ..demo_user()
    };
    let h = Harness::new(Browser::Consent(cancel));
    let conns = h.desk.connections();
    let handle = conns.begin_sign_in(new_account("Shop")).await.unwrap();
    let err = conns.finish_sign_in(&handle).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert!(err.message.contains("not granted"), "{}", err.message);
    assert!(conns.list_accounts().unwrap().is_empty());
}

#[tokio::test]
async fn no_callback_times_out() {
    let h = Harness::with_config(Browser::Idle, |c| {
        c.sign_in_timeout = Duration::from_millis(300)
    });
    let conns = h.desk.connections();
    let handle = conns.begin_sign_in(new_account("Shop")).await.unwrap();
    let err = conns.finish_sign_in(&handle).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert!(err.message.contains("No answer"), "{}", err.message);
    // The listener is released: a new sign-in on the same port can start.
    conns.begin_sign_in(new_account("Shop")).await.unwrap();
    // And a finished handle cannot be waited on twice.
    assert_eq!(
        conns.finish_sign_in(&handle).await.unwrap_err().code,
        ErrorCode::Conflict
    );
}

#[tokio::test]
async fn wrong_password_stays_on_the_usps_page() {
    let h = Harness::new(Browser::Idle);
    let conns = h.desk.connections();
    let handle = conns.begin_sign_in(new_account("Shop")).await.unwrap();
    let wrong = SandboxConsent {
        password: "not-it".into(),
        ..demo_user()
    };
    let err = drive_sandbox_consent(&handle.url, &wrong)
        .await
        .unwrap_err();
    assert!(err.message.contains("incorrect"), "{}", err.message);
    // Terms not ticked: USPS keeps the user on the consent page too.
    let unticked = SandboxConsent {
        agree: false,
        ..demo_user()
    };
    let err = drive_sandbox_consent(&handle.url, &unticked)
        .await
        .unwrap_err();
    assert!(err.message.contains("Terms"), "{}", err.message);
}

#[tokio::test]
async fn a_busy_port_is_reported_before_the_browser_opens() {
    let h = Harness::new(Browser::Idle);
    let conns = h.desk.connections();
    let _held = std::net::TcpListener::bind(("127.0.0.1", conns.config().redirect_port)).unwrap();
    let err = conns.begin_sign_in(new_account("Shop")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(h.browser.opened.lock().unwrap().is_empty());
}

#[tokio::test]
async fn production_sign_in_needs_a_platform_app() {
    let h = Harness::new(Browser::Idle);
    let request = SignInRequest {
        environment: Some(Environment::Production),
        ..Default::default()
    };
    let err = h
        .desk
        .connections()
        .begin_sign_in(request)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(
        err.message
            .contains("Use your own USPS app's credentials instead"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn sandbox_sign_in_keeps_the_registered_port() {
    let h = Harness::new(Browser::Idle);
    let conns = h.desk.connections();
    let request = SignInRequest {
        port: Some(free_port()),
        ..new_account("Shop")
    };
    let err = conns.begin_sign_in(request).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let Some(ErrorDetails::Fields { fields }) = err.details.as_deref() else {
        panic!("field details expected");
    };
    assert!(fields.contains_key("port"), "{fields:?}");
}
