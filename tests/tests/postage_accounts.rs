//! Settings › Postage accounts › Endicia in the real app, against the Sandbox's Endicia
//! simulator: the login form (pass phrase hidden, then shown) → Login with the demo account →
//! Postage details with the balance → Buy Postage $50 → the balance is $50 higher and the
//! server's response is shown → "Pay for labels from this account" → one order shipped, its
//! rates and label paid from Endicia → the balance is lower by the label's postage → the label
//! voided: Endicia's refund shown and listed → Change Pass Phrase to the current one → Endicia's
//! "not one of the last four" rule shown beside the field. A screenshot of each state.

use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use shipdesk_e2e::steps::{add_ship_from, fixtures, import_shopify_sample};
use shipdesk_e2e::{App, launch};

/// The balance Postage details shows, read as the digits of the locale's money format.
async fn balance_shown(app: &App) -> Decimal {
    let text = app
        .find("[data-testid=postage-details] [data-field=balance]")
        .await
        .text()
        .await
        .unwrap();
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("balance {text:?}"))
}

/// Opens Settings › Postage accounts and waits for the logged-in account's details.
async fn postage_details(app: &App) {
    app.click("nav a[data-nav='settings']").await;
    app.click("[data-tab=postage]").await;
    app.find("[data-testid=postage-details] [data-field=balance]")
        .await;
}

#[tokio::test]
async fn logs_in_to_endicia_buys_postage_and_shows_a_pass_phrase_rule_inline() {
    let name = "logs_in_to_endicia_buys_postage_and_shows_a_pass_phrase_rule_inline";
    let Some(fixtures) = fixtures() else {
        return;
    };
    let Some(app) = launch(name).await else {
        return;
    };
    import_shopify_sample(&app, &fixtures).await;
    app.click("nav a[data-nav='settings']").await;
    app.click("[data-tab=postage]").await;
    let demo = app
        .wait_for_text("[data-testid=endicia-sandbox-demo]", "2500123")
        .await;
    assert!(demo.contains("Shipdesk demo 2026"), "{demo}");
    app.find("[data-testid=endicia-login] input[data-field=account_number]")
        .await
        .send_keys("2500123")
        .await
        .unwrap();
    let pass = app
        .find("[data-testid=endicia-login] input[data-field=pass_phrase]")
        .await;
    assert_eq!(
        pass.attr("type").await.unwrap().as_deref(),
        Some("password")
    );
    pass.send_keys("Shipdesk demo 2026").await.unwrap();
    app.click("[data-field=show-pass-phrase]").await;
    assert_eq!(pass.attr("type").await.unwrap().as_deref(), Some("text"));
    app.screenshot("login");
    app.click("[data-action=endicia-login]").await;

    // Amounts as the user's locale writes them ("$100.00", "$ 100.00", "US$100.00").
    app.wait_for_text(
        "[data-testid=postage-details] [data-field=balance]",
        "100.00",
    )
    .await;
    app.wait_for_text(
        "[data-testid=postage-details] [data-field=status]",
        "Active",
    )
    .await;
    app.find("[data-testid=postage-details] input[data-field=amount]")
        .await
        .send_keys("50")
        .await
        .unwrap();
    app.click("[data-action=buy-postage]").await;
    app.wait_for_text(
        "[data-testid=server-response]",
        "The balance is now $150.00",
    )
    .await;
    app.wait_for_text(
        "[data-testid=postage-details] [data-field=balance]",
        "150.00",
    )
    .await;
    app.wait_for_text(
        "[data-testid=postage-purchases] tr[data-state=done]",
        "50.00",
    )
    .await;
    app.screenshot("bought");

    // Labels are paid from this account from now on.
    app.click("[data-testid=postage-details] [data-field=pays-labels]")
        .await;
    app.wait_for_text("[data-testid=postage-details]", "paid from this balance")
        .await;
    let before = balance_shown(&app).await;

    // Ship #2001: its rates and its label come from Endicia.
    app.click("nav a[data-nav='orders']").await;
    app.click("input[aria-label='Select order #2001']").await;
    app.click("[data-action=ship]").await;
    app.wait_for_text("#ship-title", "Ship order #2001").await;
    add_ship_from(&app).await;
    app.find("[aria-label='Weight, pounds']")
        .await
        .send_keys("1")
        .await
        .unwrap();
    app.wait_for_text("[data-testid=paid-from]", "Endicia 2500123")
        .await;
    app.find("[data-testid=rates] input[type=radio]:checked")
        .await;
    app.click("[data-action=buy-label]").await;
    app.wait_for_text("[data-testid=bought]", "Label bought")
        .await;
    app.screenshot("label-paid-from-endicia");
    app.click("[data-action=close-ship]").await;

    // The balance is lower by the label's postage.
    app.click("nav a[data-nav='shipments']").await;
    let row = app
        .wait_for_text("tr[data-order='#2001']", "Label created")
        .await;
    postage_details(&app).await;
    let start = Instant::now();
    let after = loop {
        let now = balance_shown(&app).await;
        if now < before {
            break now;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the balance stayed {now}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let spent = before - after;
    assert!(
        row.contains(&spent.to_string()),
        "the shipment's postage {spent} is what the balance went down by: {row}"
    );
    app.screenshot("balance-after-label");

    // Void: a refund at Endicia, listed on the label.
    app.click("nav a[data-nav='shipments']").await;
    app.click("tr[data-order='#2001'] td:nth-child(2)").await;
    app.find("[data-testid=shipment-drawer] [data-testid=label-preview] img")
        .await;
    app.click("[data-action=void]").await;
    app.click("[data-action=confirm-void]").await;
    app.wait_for_text("[data-testid=void-result]", "Refund approved by Endicia")
        .await;
    app.wait_for_text("tr[data-order='#2001']", "Refund requested")
        .await;
    app.screenshot("refund");
    app.click("[data-testid=shipment-drawer] button[aria-label='Close label details']")
        .await;
    postage_details(&app).await;

    // Endicia's own rule: the new pass phrase may not be one of the last four.
    app.click("[data-testid=postage-details] [data-action=endicia-change-pass-phrase]")
        .await;
    for field in ["new_pass_phrase", "confirm_pass_phrase"] {
        app.find(&format!(
            "[data-testid=endicia-change-pass-phrase] input[data-field={field}]"
        ))
        .await
        .send_keys("Shipdesk demo 2026")
        .await
        .unwrap();
    }
    app.click("[data-action=endicia-change]").await;
    app.wait_for_text(
        "[data-testid=endicia-change-pass-phrase] .field-error",
        "not one of the last four",
    )
    .await;
    let invalid = app
        .find("[data-testid=endicia-change-pass-phrase] input[data-field=new_pass_phrase]")
        .await
        .attr("aria-invalid")
        .await
        .unwrap();
    assert_eq!(invalid.as_deref(), Some("true"));
    app.screenshot("pass-phrase-rule");
    app.close().await;
}
