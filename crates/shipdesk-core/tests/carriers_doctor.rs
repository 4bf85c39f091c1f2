//! The connection doctor's checklist against the simulator: all passed; a missing product stops
//! the chain (later steps not reached); a login not linked to the business; dead credentials;
//! quota exhausted.

mod carriers_common;

use carriers_common::*;
use serde_json::json;
use shipdesk_core::carriers::{AccountFields, CheckStatus, ConnectionCheck, ConnectionState};

use CheckStatus::{Failed, NotReached, Passed};

fn statuses(check: &ConnectionCheck) -> Vec<CheckStatus> {
    check.steps.iter().map(|s| s.status).collect()
}

#[tokio::test]
async fn a_healthy_account_passes_every_step() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let id = h.signed_in(None).await;
    let check = h.desk.connections().check_connection(id).await.unwrap();
    assert_eq!(statuses(&check), vec![Passed; 6], "{:#?}", check.steps);
    assert!(check.passed());
    assert_eq!(check.steps[0].name, "Credentials accepted");
    assert!(check.steps[4].detail.contains("1000012345"));
    assert!(check.steps.iter().all(|s| s.fix.is_none()));
    assert_eq!(check.account.state, ConnectionState::Connected);
    assert!(check.account.last_verified_at.is_some());
}

#[tokio::test]
async fn a_missing_product_fails_and_blocks_the_payment_steps() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let id = h.signed_in(None).await;
    h.sim(
        "remove-product",
        json!({"client_id": "shipdesk-sandbox", "product": "Shipping"}),
    )
    .await;
    let check = h.desk.connections().check_connection(id).await.unwrap();
    assert_eq!(
        statuses(&check),
        vec![Passed, Failed, NotReached, NotReached, NotReached, Passed],
        "{:#?}",
        check.steps
    );
    let fix = check.steps[1].fix.as_deref().unwrap();
    assert!(
        fix.starts_with("USPS has not granted this app the Labels and Payments product"),
        "{fix}"
    );
    assert!(matches!(
        check.account.state,
        ConnectionState::NotEntitled { .. }
    ));
}

#[tokio::test]
async fn an_unlinked_login_fails_the_match_and_payment_steps() {
    let h = Harness::new(Browser::Consent(user("unlinked")));
    let id = h.signed_in(None).await;
    let conns = h.desk.connections();
    // Without identifiers the chain stops at the match step.
    let check = conns.check_connection(id).await.unwrap();
    assert_eq!(
        statuses(&check),
        vec![Passed, Passed, Failed, NotReached, NotReached, Passed],
        "{:#?}",
        check.steps
    );
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
    let check = conns.check_connection(id).await.unwrap();
    assert_eq!(
        statuses(&check),
        vec![Passed, Passed, Failed, Failed, NotReached, Passed],
        "{:#?}",
        check.steps
    );
    assert!(
        check.steps[2]
            .fix
            .as_deref()
            .unwrap()
            .contains("Customer Onboarding Portal")
    );
    assert!(
        check.steps[3]
            .fix
            .as_deref()
            .unwrap()
            .contains("not linked to CRID 56982599")
    );
    assert!(matches!(
        check.account.state,
        ConnectionState::NotEntitled { .. }
    ));
}

#[tokio::test]
async fn dead_credentials_stop_at_the_first_step() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let id = h.signed_in(None).await;
    h.sim("invalidate-refresh-tokens", json!({})).await;
    let check = h.desk.connections().check_connection(id).await.unwrap();
    assert_eq!(
        statuses(&check),
        vec![
            Failed, NotReached, NotReached, NotReached, NotReached, Passed
        ],
        "{:#?}",
        check.steps
    );
    let fix = check.steps[0].fix.as_deref().unwrap();
    assert!(fix.contains("Sign in"), "{fix}");
    // The onboarding guide's warning, where it matters.
    assert!(fix.contains("Do not reset your USPS.com password"), "{fix}");
    assert!(check.account.state.needs_reconnect());
}

#[tokio::test]
async fn a_payment_account_not_active_yet_or_without_a_payment_method_says_so_and_how_to_fix_it() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let id = h.signed_in(None).await;
    for (status, said, fix) in [
        ("pending", "not active yet", "shows Pending"),
        (
            "no_payment_method",
            "has no active payment method",
            "ACH debit",
        ),
    ] {
        h.sim(
            "payment-account",
            json!({"account_number": "1000012345", "status": status}),
        )
        .await;
        let check = h.desk.connections().check_connection(id).await.unwrap();
        assert_eq!(
            statuses(&check),
            vec![Passed, Passed, Passed, Failed, NotReached, Passed],
            "{:#?}",
            check.steps
        );
        let step = &check.steps[3];
        assert!(
            step.detail.contains(said) && step.detail.contains("1000012345"),
            "{step:#?}"
        );
        assert!(step.fix.as_deref().unwrap().contains(fix), "{step:#?}");
        // Not a sign-in problem: no Reconnect, no password talk.
        assert!(!check.account.state.needs_reconnect());
        assert!(!step.fix.as_deref().unwrap().contains("password"));
    }
    h.sim(
        "payment-account",
        json!({"account_number": "1000012345", "status": "active"}),
    )
    .await;
    let check = h.desk.connections().check_connection(id).await.unwrap();
    assert!(check.passed(), "{:#?}", check.steps);
}

#[tokio::test]
async fn quota_exhaustion_shows_in_the_last_step() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let id = h.signed_in(None).await;
    h.sim(
        "fail",
        json!({"target": "payments", "status": 429, "count": 5, "retry_after": 600}),
    )
    .await;
    let check = h.desk.connections().check_connection(id).await.unwrap();
    assert_eq!(check.steps[3].status, Failed, "{:#?}", check.steps);
    assert_eq!(check.steps[5].status, Failed, "{:#?}", check.steps);
    assert!(
        check.steps[5]
            .fix
            .as_deref()
            .unwrap()
            .contains("higher quota")
    );
    // A quota problem is not a connection problem.
    assert_eq!(check.account.state, ConnectionState::Connected);
}
