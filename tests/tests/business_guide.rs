//! "Connect your USPS business account" in the real app, at each of its states: the Sandbox demo
//! business fully connected (three steps done); its payment account made pending at the
//! simulator (step 2 "Pending at USPS", its button opens the USPS business portal in the
//! browser); and no account at all (the guide opens by itself at step 1). Then the business
//! says it has contract prices: a banner offers the guide on every page until its account is
//! signed in. A screenshot of each.

use std::time::Duration;

use shipdesk_e2e::App;
use shipdesk_e2e::sign_in::{SignInSetup, complete_sign_in_as, opened_count};
use shipdesk_e2e::steps::{sandbox_url, sim_control_with, wait_until_gone};

async fn step_status(app: &App, key: &str, status: &str) {
    app.find(&format!(
        "[data-testid=business-guide] li[data-step={key}][data-status={status}]"
    ))
    .await;
}

async fn show_guide(app: &App, label: &str) {
    app.client
        .execute(
            "document.querySelector('[data-testid=business-guide]').scrollIntoView({block: 'start'});",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.screenshot(label);
}

#[tokio::test]
async fn the_guide_shows_each_step_as_usps_sees_it() {
    let name = "the_guide_shows_each_step_as_usps_sees_it";
    let setup = SignInSetup::new();
    let Some(app) = setup.launch(name).await else {
        return;
    };
    let sim = sandbox_url(&app).await;

    // Connected: closed until asked, then three steps done.
    app.click("[data-testid=business-guide] summary").await;
    for key in ["business_account", "payment_account", "link"] {
        step_status(&app, key, "done").await;
    }
    app.wait_for_text("[data-testid=guide-contract]", "Contract prices (NSA): no")
        .await;
    show_guide(&app, "all-done").await;

    // The payment account goes back to pending at USPS.
    sim_control_with(
        &sim,
        "/__sim/payment-account",
        r#"{"account_number":"1000012345","status":"pending"}"#,
    );
    app.click("[data-action=guide-check]").await;
    step_status(&app, "payment_account", "pending").await;
    app.wait_for_text(
        "[data-testid=business-guide] li[data-step=payment_account]",
        "Pending at USPS",
    )
    .await;
    show_guide(&app, "payment-pending").await;
    app.click("li[data-step=payment_account] [data-action=open-business-portal]")
        .await;
    let start = std::time::Instant::now();
    loop {
        let opened = std::fs::read_to_string(&setup.opener_log).unwrap_or_default();
        if opened.contains("https://gateway.usps.com/") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the business portal was never opened: {opened}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sim_control_with(
        &sim,
        "/__sim/payment-account",
        r#"{"account_number":"1000012345","status":"active"}"#,
    );

    // No account at all: the guide opens by itself at step 1.
    app.click("tr[data-account='Sandbox demo'] [data-action=edit-account]")
        .await;
    app.click("[data-action=remove-account]").await;
    app.click("[data-action=confirm-remove]").await;
    wait_until_gone(&app, "tr[data-account='Sandbox demo']").await;
    step_status(&app, "business_account", "to_do").await;
    step_status(&app, "link", "to_do").await;
    app.find("li[data-step=link] [data-action=guide-sign-in]")
        .await;
    show_guide(&app, "no-account").await;

    // "I have contract prices": a banner offers the guide from every page until an account is
    // connected.
    app.click("[data-field=have-contract-prices]").await;
    app.wait_for_text("[data-testid=guide-offer-banner]", "contract prices")
        .await;
    app.click("[data-nav=orders]").await;
    app.find("[data-testid=guide-offer-banner]").await;
    app.screenshot("contract-banner");
    app.click("[data-action=open-business-guide]").await;
    app.find("[data-testid=business-guide][open] li[data-step=link] [data-action=guide-sign-in]")
        .await;
    app.click("li[data-step=link] [data-action=guide-sign-in]")
        .await;
    app.find("[data-testid=add-account] input[data-field=nickname]")
        .await
        .send_keys("NSA shop")
        .await
        .unwrap();
    let before = opened_count(&setup.opener_log);
    app.click("[data-action=sign-in-with-usps]").await;
    complete_sign_in_as(&app, &setup.opener_log, before, "nsa").await;
    app.wait_for_text("[data-testid=account-connected]", "NSA shop is connected")
        .await;
    wait_until_gone(&app, "[data-testid=guide-offer-banner]").await;
    app.close().await;
}
