//! Settings › Postage accounts › Endicia in the real app, against the Sandbox's Endicia
//! simulator: the login form (pass phrase hidden, then shown) → Login with the demo account →
//! Postage details with the balance → Buy Postage $50 → the balance is $50 higher and the
//! server's response is shown → Change Pass Phrase to the current one → Endicia's "not one of
//! the last four" rule shown beside the field. A screenshot of each state.

use shipdesk_e2e::launch;

#[tokio::test]
async fn logs_in_to_endicia_buys_postage_and_shows_a_pass_phrase_rule_inline() {
    let name = "logs_in_to_endicia_buys_postage_and_shows_a_pass_phrase_rule_inline";
    let Some(app) = launch(name).await else {
        return;
    };
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
