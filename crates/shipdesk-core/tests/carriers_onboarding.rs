//! "Connect your USPS business account": the three steps of the journey, each with its state as
//! USPS shows it — before any account, for a linked business, with a payment account still
//! pending, and for a login not linked to any business — and the business portal opened in the
//! browser.

mod carriers_common;

use carriers_common::*;
use serde_json::json;
use shipdesk_core::carriers::{
    OnboardingAction, OnboardingGuide, OnboardingStatus, OnboardingStepKey,
};

use OnboardingStatus::{Done, NotChecked, Pending, ToDo};

fn statuses(guide: &OnboardingGuide) -> Vec<OnboardingStatus> {
    guide.steps.iter().map(|s| s.status).collect()
}

#[tokio::test]
async fn before_any_account_the_guide_starts_at_the_business_portal() {
    let h = Harness::new(Browser::Idle);
    let conns = h.desk.connections();
    let guide = conns.business_onboarding(None).await.unwrap();
    let keys: Vec<_> = guide.steps.iter().map(|s| s.key).collect();
    assert_eq!(
        keys,
        [
            OnboardingStepKey::BusinessAccount,
            OnboardingStepKey::PaymentAccount,
            OnboardingStepKey::Link
        ]
    );
    assert_eq!(statuses(&guide), [ToDo, NotChecked, ToDo]);
    assert_eq!(
        guide.steps[0].action,
        Some(OnboardingAction::OpenBusinessPortal)
    );
    assert!(guide.steps[1].detail.contains("required before linking"));
    assert_eq!(guide.steps[2].action, Some(OnboardingAction::SignIn));
    assert!(guide.password_warning.contains("Do not reset"));
    assert!(!guide.complete());

    conns.open_business_portal().unwrap();
    let opened = h.browser.opened.lock().unwrap().clone();
    assert_eq!(opened.len(), 1);
    assert!(
        opened[0].starts_with("https://gateway.usps.com/"),
        "{opened:?}"
    );
}

#[tokio::test]
async fn a_linked_business_is_done_and_a_pending_payment_account_says_so() {
    let h = Harness::new(Browser::Consent(demo_user()));
    let id = h.signed_in(None).await;
    let conns = h.desk.connections();
    let guide = conns.business_onboarding(Some(id)).await.unwrap();
    assert_eq!(statuses(&guide), [Done, Done, Done], "{guide:#?}");
    assert!(guide.complete());
    assert!(guide.steps[0].detail.contains("56982563"));
    assert!(guide.steps[1].detail.contains("1000012345"));
    assert!(guide.contract.as_deref().unwrap().contains("no"));

    h.sim(
        "payment-account",
        json!({"account_number": "1000012345", "status": "pending"}),
    )
    .await;
    let guide = conns.business_onboarding(None).await.unwrap();
    assert_eq!(guide.account_id, Some(id), "the default account");
    assert_eq!(statuses(&guide), [Done, Pending, Done], "{guide:#?}");
    assert!(guide.steps[1].detail.contains("Pending"), "{guide:#?}");
}

#[tokio::test]
async fn a_login_not_linked_to_a_business_points_at_steps_one_and_three() {
    let h = Harness::new(Browser::Consent(user("unlinked")));
    let id = h.signed_in(None).await;
    let guide = h
        .desk
        .connections()
        .business_onboarding(Some(id))
        .await
        .unwrap();
    assert_eq!(statuses(&guide)[0], ToDo, "{guide:#?}");
    assert_eq!(statuses(&guide)[2], ToDo, "{guide:#?}");
    assert_ne!(statuses(&guide)[1], Done, "{guide:#?}");
}

#[tokio::test]
async fn a_business_that_said_it_has_contract_prices_is_offered_the_guide_until_connected() {
    use shipdesk_core::carriers::GuideOffer;
    let h = Harness::new(Browser::Consent(demo_user()));
    let conns = h.desk.connections();
    let mut events = conns.subscribe();
    // First use: no account, never asked.
    let first = conns.connection_snapshot().unwrap();
    assert_eq!(first.guide_offer, GuideOffer::AskAboutContract);
    assert_eq!(first.contract_prices_said, None);

    conns.say_contract_prices(true).unwrap();
    let said = events
        .try_recv()
        .expect("answering is a change every window hears");
    assert_eq!(said.contract_prices_said, Some(true));
    assert_eq!(said.guide_offer, GuideOffer::ConnectForContract);
    // The answer is kept with the desk's data, and the guide shows it.
    assert_eq!(conns.contract_prices_said().unwrap(), Some(true));
    let guide = conns.business_onboarding(None).await.unwrap();
    assert_eq!(guide.contract_prices_said, Some(true));

    // Linking a business account ends the offer; disconnecting it brings it back.
    let id = h.signed_in(None).await;
    assert_eq!(
        conns.connection_snapshot().unwrap().guide_offer,
        GuideOffer::None
    );
    conns.disconnect(id).await.unwrap();
    assert_eq!(
        conns.connection_snapshot().unwrap().guide_offer,
        GuideOffer::ConnectForContract
    );

    // "No": nothing is offered any more.
    conns.say_contract_prices(false).unwrap();
    let snapshot = conns.connection_snapshot().unwrap();
    assert_eq!(snapshot.guide_offer, GuideOffer::None);
    assert_eq!(snapshot.contract_prices_said, Some(false));
}
