//! Contract (NSA) prices in the real app: Settings › Add account › Sign in with USPS as the
//! Sandbox business that holds a contract (`nsa`) → Carrier Settings says it holds one → made
//! the default, the Ship dialog's "You pay" is its contract price (below the commercial one) →
//! Buy → the label costs exactly that, and the simulator's ledger charged that to its CRID. The
//! demo business, without a contract, is covered by the shipping test (commercial prices).

use fantoccini::Locator;
use shipdesk_e2e::sign_in::{SignInSetup, complete_sign_in_as, opened_count};
use shipdesk_e2e::steps::{
    add_ship_from, fixtures, import_shopify_sample, sandbox_url, ship_order, sim_report,
};

const NSA_CRID: &str = "56982588";

#[tokio::test]
async fn a_contract_account_pays_its_contract_price_and_is_charged_exactly_that() {
    let name = "a_contract_account_pays_its_contract_price_and_is_charged_exactly_that";
    let Some(fixtures) = fixtures() else { return };
    let setup = SignInSetup::new();
    let opener_log = &setup.opener_log;
    let Some(app) = setup.launch(name).await else {
        return;
    };
    import_shopify_sample(&app, &fixtures).await;

    // Add the business that holds a contract, by signing in as it.
    let sim = sandbox_url(&app).await;
    app.click("[data-action=add-account]").await;
    app.find("[data-testid=add-account] input[data-field=nickname]")
        .await
        .send_keys("NSA shop")
        .await
        .unwrap();
    let before = opened_count(opener_log);
    app.click("[data-action=sign-in-with-usps]").await;
    complete_sign_in_as(&app, opener_log, before, "nsa").await;
    app.wait_for_text("[data-testid=account-connected]", "NSA shop is connected")
        .await;
    app.click("[data-action=done]").await;
    app.wait_for_text(
        "tr[data-account='NSA shop'] [data-field=contract]",
        "Yes (USPS shows it)",
    )
    .await;
    app.screenshot("contract-account");
    app.click("tr[data-account='NSA shop'] [data-action=make-default]")
        .await;
    app.wait_for_text("tr[data-account='NSA shop']", "Default")
        .await;

    // Rates: "You pay" is the contract price.
    ship_order(&app, "#2001").await;
    add_ship_from(&app).await;
    app.find("[data-testid=rates] input[type=radio]:checked")
        .await;
    app.click("[data-action=price-details]").await;
    app.wait_for_text(
        "[data-testid=contract-reference]",
        "This account holds a contract",
    )
    .await;
    // The chosen row's prices: retail, commercial, contract, you pay.
    let row = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=rates] tr[aria-selected=true] td.num')]
               .map((td) => td.textContent.replace('*', '').trim());",
            vec![],
        )
        .await
        .unwrap();
    // WebDriver's element text has plain spaces where textContent keeps the formatter's
    // no-break spaces.
    let prices: Vec<String> = serde_json::from_value::<Vec<String>>(row.clone())
        .unwrap()
        .into_iter()
        .map(|p| p.replace('\u{a0}', " "))
        .collect();
    assert_eq!(prices.len(), 4, "{row}");
    assert_eq!(prices[2], prices[3], "You pay is the contract price: {row}");
    let money = |s: &str| {
        let digits: String = s
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        digits
            .parse::<f64>()
            .unwrap_or_else(|e| panic!("{s:?} is not a price ({e}): {prices:?}"))
    };
    assert!(
        money(&prices[3]) < money(&prices[1]),
        "below commercial: {row}"
    );
    app.client
        .execute(
            "document.querySelector('[data-testid=rates]').scrollIntoView({block: 'start'});",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    app.screenshot("contract-rates");

    app.click("[data-action=buy-label]").await;
    let bought = app
        .wait_for_text("[data-testid=bought]", "Label bought")
        .await;
    assert!(
        bought.contains(&prices[3]),
        "the label costs what You pay said ({}): {bought}",
        prices[3]
    );
    let ledger = sim_report(&sim, "/__sim/ledger");
    let charged: Vec<&serde_json::Value> = ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "charged")
        .collect();
    assert_eq!(charged.len(), 1, "{ledger}");
    assert_eq!(charged[0]["crid"], NSA_CRID, "{ledger}");
    assert_eq!(
        charged[0]["amount"].as_f64().unwrap(),
        money(&prices[3]),
        "{ledger}"
    );
    assert!(
        app.client
            .find(Locator::Css("[data-testid=usps-banner]"))
            .await
            .is_err()
    );
    app.close().await;
}
