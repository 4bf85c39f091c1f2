//! The COP consent pages followed form by form, as a plain HTTP client would.

mod common;

use common::*;

#[tokio::test]
async fn consent_pages_show_the_terms_and_errors_a_user_would_see() {
    let t = TestSim::start().await;
    let page = t.consent_start(CLIENT, REDIRECT, "s").await;
    assert!(
        page.text.contains("id=\"username\"")
            && page.text.contains("id=\"password\"")
            && page.text.contains("id=\"sign-in\"")
    );
    let flow = hidden(&page.text, "flow");
    let wrong = t
        .form(
            "/cop-navigator/sign-in",
            &[("flow", &flow), ("username", "demo"), ("password", "nope")],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.text.contains("id=\"error\"") && wrong.text.contains("incorrect"));
    let consent = t
        .form(
            "/cop-navigator/sign-in",
            &[
                ("flow", &flow),
                ("username", "demo"),
                ("password", "shipdesk-demo"),
            ],
        )
        .await;
    assert!(consent.text.contains("I have read, understand, and agree to the USPS Terms and Conditions for authorizing Shipdesk to access my USPS business account"));
    assert!(consent.text.contains("Authorize &amp; Continue"));
    let unticked = t
        .form(
            "/cop-navigator/authorize",
            &[("flow", &flow), ("action", "authorize")],
        )
        .await;
    assert_eq!(unticked.status, 400);
    assert!(unticked.text.contains("You must agree"));
    let ok = t
        .form(
            "/cop-navigator/authorize",
            &[("flow", &flow), ("agree", "on"), ("action", "authorize")],
        )
        .await;
    assert_eq!(ok.status, 303);
    let success = t
        .send(t.http.get(t.url(ok.headers["location"].to_str().unwrap())))
        .await;
    assert!(success.text.contains(">Go to Shipdesk</a>"));
    let target = link(&success.text, "go-to-platform");
    assert!(
        success.text.contains("http-equiv=\"refresh\""),
        "redirects on its own"
    );
    assert!(target.starts_with(&format!("{REDIRECT}?code=")));

    let bad_redirect = t
        .consent_start(CLIENT, "http://127.0.0.1:9999/evil", "s")
        .await;
    assert_eq!(bad_redirect.status, 400);
    assert!(bad_redirect.text.contains("redirect_uri is invalid"));
    let unknown = t.consent_start("no-such-app", REDIRECT, "s").await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.text.contains("not registered"));
}

#[tokio::test]
async fn mfa_step_and_cancel_redirect_with_access_denied() {
    let t = TestSim::start().await;
    let page = t.consent_start(CLIENT, REDIRECT, "m").await;
    let flow = hidden(&page.text, "flow");
    let mfa = t
        .form(
            "/cop-navigator/sign-in",
            &[
                ("flow", &flow),
                ("username", "mfa"),
                ("password", "shipdesk-demo"),
            ],
        )
        .await;
    assert!(mfa.text.contains("id=\"mfa_code\"") && mfa.text.contains("id=\"verify\""));
    let wrong = t
        .form(
            "/cop-navigator/mfa",
            &[("flow", &flow), ("mfa_code", "000000")],
        )
        .await;
    assert_eq!(wrong.status, 401);
    let consent = t
        .form(
            "/cop-navigator/mfa",
            &[("flow", &flow), ("mfa_code", "123456")],
        )
        .await;
    assert!(consent.text.contains("id=\"agree\""));
    let cancel = t
        .form(
            "/cop-navigator/authorize",
            &[("flow", &flow), ("action", "cancel")],
        )
        .await;
    assert_eq!(cancel.status, 303);
    assert_eq!(
        cancel.headers["location"].to_str().unwrap(),
        format!("{REDIRECT}?error=access_denied&state=m")
    );
    let stale = t
        .form(
            "/cop-navigator/sign-in",
            &[
                ("flow", "forged"),
                ("username", "demo"),
                ("password", "shipdesk-demo"),
            ],
        )
        .await;
    assert_eq!(stale.status, 400);
}
