//! The USPS connection breaking and coming back, in the real app. The Sandbox
//! simulator invalidates the refresh token → the user asks for rates (Ship on an order) → the
//! Reconnect prompt appears → Remind Me Later → the banner stays on every page → Settings ›
//! Carrier Settings › USPS › Edit › Login → the consent pages are completed in a real headless
//! Chromium → the app shows the account connected and rates load again. Then the prompt's own
//! path: the login breaks again → rates → prompt → Reconnect (Chromium) → Retry → rates load.
//! Last, Settings › Add account › Sign in with USPS adds a second account, prefilled from the token.
//!
//! The app is started with `SHIPDESK_OPENER_LOG` (and a free `SHIPDESK_USPS_REDIRECT_PORT`), so
//! instead of launching the system browser it appends the consent address to a file this test
//! reads and opens in Chromium. The simulator's address (for its `/__sim` controls) is the one
//! Carrier Settings shows for Sandbox accounts.

use std::time::Duration;

use fantoccini::Locator;
use shipdesk_e2e::App;
use shipdesk_e2e::sign_in::{SignInSetup, complete_sign_in, opened_count};
use shipdesk_e2e::steps::{
    add_ship_from, fixtures, import_shopify_sample, sandbox_url, ship_order, sim_control,
    wait_until_gone,
};

/// Escape closes the Ship dialog (its Close button can sit under a scrollbar in a small window).
async fn close_ship_dialog(app: &App) {
    app.find("[data-testid=ship-dialog]")
        .await
        .send_keys(&fantoccini::key::Key::Escape.to_string())
        .await
        .unwrap();
    wait_until_gone(app, "[data-testid=ship-dialog]").await;
}

/// USPS stops accepting the saved refresh token (and the access token it issued).
fn break_the_login(sim: &str) {
    sim_control(sim, "/__sim/invalidate-refresh-tokens");
    sim_control(sim, "/__sim/expire-access-tokens");
}

#[tokio::test]
async fn an_invalidated_usps_login_is_renewed_and_rates_load_again() {
    let name = "an_invalidated_usps_login_is_renewed_and_rates_load_again";
    let Some(fixtures) = fixtures() else { return };
    let setup = SignInSetup::new();
    let opener_log = &setup.opener_log;
    let Some(app) = setup.launch(name).await else {
        return;
    };
    import_shopify_sample(&app, &fixtures).await;

    // A working connection first: rates for #2001 (the demo account gets its tokens).
    ship_order(&app, "#2001").await;
    add_ship_from(&app).await;
    app.find("[data-testid=rates] tr[data-rate]").await;
    close_ship_dialog(&app).await;

    let sim = sandbox_url(&app).await;
    app.wait_for_text("[data-testid=usps-accounts]", "Connected")
        .await;
    app.screenshot("accounts");
    break_the_login(&sim);

    // The user asks for rates for #2002: the prompt appears.
    ship_order(&app, "#2002").await;
    let prompt = app
        .wait_for_text(
            "[data-testid=reconnect-prompt]",
            "Your USPS connection needs to be renewed",
        )
        .await;
    assert!(
        prompt.contains("Reconnect") && prompt.contains("Remind Me Later"),
        "{prompt}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    println!("prompt screenshot: {}", app.screenshot("prompt").display());

    // Remind Me Later: the prompt goes, the banner stays on every page.
    app.click("[data-testid=reconnect-prompt] [data-action=remind-later]")
        .await;
    wait_until_gone(&app, "[data-testid=reconnect-prompt]").await;
    app.wait_for_text("[data-testid=usps-banner]", "USPS needs to be reconnected")
        .await;
    close_ship_dialog(&app).await;
    for (nav, heading) in [
        ("shipments", "Shipments"),
        ("end-of-day", "End of Day"),
        ("orders", "Orders"),
        ("settings", "Settings"),
    ] {
        app.click(&format!("nav a[data-nav='{nav}']")).await;
        app.wait_for_text("main h1", heading).await;
        app.wait_for_text("[data-testid=usps-banner]", "USPS needs to be reconnected")
            .await;
        assert!(
            app.client
                .find(Locator::Css("[data-testid=reconnect-prompt]"))
                .await
                .is_err()
        );
        if nav == "shipments" {
            println!("banner screenshot: {}", app.screenshot("banner").display());
        }
    }

    // Settings › Carrier Settings › USPS › Edit › Login, completed in a real browser.
    app.wait_for_text("[data-testid=usps-accounts]", "Needs reconnect")
        .await;
    app.click("tr[data-account='Sandbox demo'] [data-action=edit-account]")
        .await;
    app.find("[data-testid=account-reconnect-reason]").await;
    let before = opened_count(opener_log);
    app.click("[data-action=login]").await;
    complete_sign_in(&app, opener_log, before).await;
    app.wait_for_text("[data-testid=login-connected]", "Sandbox demo is connected")
        .await;
    app.wait_for_text("[data-testid=connection-section] [data-state]", "Connected")
        .await;
    wait_until_gone(&app, "[data-testid=usps-banner]").await;
    println!(
        "connected screenshot: {}",
        app.screenshot("connected").display()
    );

    // Rates load again for #2002.
    ship_order(&app, "#2002").await;
    app.find("[data-testid=rates] tr[data-rate]").await;
    close_ship_dialog(&app).await;

    // The prompt's own path: the login breaks again, Reconnect from the prompt, then Retry.
    break_the_login(&sim);
    ship_order(&app, "#2003").await;
    app.wait_for_text(
        "[data-testid=reconnect-prompt]",
        "Your USPS connection needs to be renewed",
    )
    .await;
    let before = opened_count(opener_log);
    app.click("[data-testid=reconnect-prompt] [data-action=reconnect]")
        .await;
    complete_sign_in(&app, opener_log, before).await;
    app.wait_for_text("[data-testid=reconnect-prompt]", "USPS is connected again")
        .await;
    println!("retry screenshot: {}", app.screenshot("retry").display());
    app.click("[data-testid=reconnect-prompt] [data-action=retry]")
        .await;
    wait_until_gone(&app, "[data-testid=reconnect-prompt]").await;
    let rates = app.find("[data-testid=rates]").await.text().await.unwrap();
    assert!(
        !rates.contains("saved answer"),
        "fresh rates from USPS: {rates}"
    );
    app.find("[data-testid=rates] tr[data-rate]").await;
    assert!(
        app.client
            .find(Locator::Css("[data-testid=usps-banner]"))
            .await
            .is_err()
    );
    app.client
        .execute(
            "document.querySelector('[data-testid=rates]').scrollIntoView({block: 'center'})",
            vec![],
        )
        .await
        .unwrap();
    println!(
        "rates screenshot: {}",
        app.screenshot("rates-after-retry").display()
    );
    close_ship_dialog(&app).await;

    // Add a second account with Sign in with USPS: the identifiers come prefilled from the token.
    app.click("nav a[data-nav='settings']").await;
    app.click("[data-action=add-account]").await;
    app.find("[data-testid=add-account] input[data-field=nickname]")
        .await
        .send_keys("Back office")
        .await
        .unwrap();
    let before = opened_count(opener_log);
    app.click("[data-action=sign-in-with-usps]").await;
    complete_sign_in(&app, opener_log, before).await;
    app.wait_for_text(
        "[data-testid=account-connected]",
        "Back office is connected",
    )
    .await;
    let crid = app
        .find("[data-testid=account-connected] input[data-field=crid]")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        crid.as_deref(),
        Some("56982563"),
        "CRID prefilled from the token"
    );
    app.click("[data-action=done]").await;
    app.wait_for_text("tr[data-account='Back office']", "Connected")
        .await;
    app.close().await;
}
