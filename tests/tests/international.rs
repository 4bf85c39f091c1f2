//! An order abroad in the real app, Sandbox mode: import a Shopify export with two orders to
//! Canada → Ship the first: the Ship dialog shows the customs declaration filled in from its
//! items, the missing HS number, origin and weight beside their inputs → fill them in → rates
//! abroad → buy → Ship the second: its first item comes filled in from the first label's saved
//! SKU data, its new item's HS number missing inline → buy → the label PDF printed carries the
//! customs declaration → void it in Shipments.

use std::path::Path;
use std::time::{Duration, Instant};

use shipdesk_e2e::steps::{add_ship_from, fake_printer, wait_until_gone};
use shipdesk_e2e::{App, launch};

const EXPORT: &str = "Name,Email,Financial Status,Fulfillment Status,Currency,Subtotal,Shipping,\
Total,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,\
Lineitem requires shipping,Shipping Name,Shipping Address1,Shipping Address2,Shipping Company,\
Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Cancelled at,Id,Tags
#4001,amelie@example.ca,paid,unfulfilled,USD,25.00,9.00,34.00,International,2026-11-10 09:00:00 -0600,\
2,Hand Cream,12.50,HC-1,true,Amelie Tremblay,24 Sussex Dr,,,Ottawa,K1M 1M4,ON,CA,+1 613 555 0123,,,7770001,
#4002,luc@example.ca,paid,unfulfilled,USD,16.50,9.00,25.50,International,2026-11-11 09:00:00 -0600,\
1,Hand Cream,12.50,HC-1,true,Luc Gagnon,1 Rue des Carrieres,,,Montreal,H2X 1Y4,QC,CA,,,,7770002,
#4002,,,,,,,,,,1,Lip Balm,4.00,LB-2,true,,,,,,,,,,,,,
";

async fn type_into(app: &App, field: &str, text: &str) {
    let css = format!("input[data-field='{field}']");
    let input = app.find(&css).await;
    app.client
        .execute(
            &format!("document.querySelector(\"{css}\").scrollIntoView({{block: 'center'}})"),
            vec![],
        )
        .await
        .unwrap();
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

/// Scrolls the element into the middle of the dialog, for the screenshot.
async fn show(app: &App, css: &str) {
    app.client
        .execute(
            &format!("document.querySelector('{css}').scrollIntoView({{block: 'center'}})"),
            vec![],
        )
        .await
        .unwrap();
}

/// Opens the Ship dialog for `order` alone with a 1 lb package.
async fn open_ship(app: &App, order: &str) {
    app.click(&format!("input[aria-label='Select order {order}']"))
        .await;
    app.wait_for_text(".selection-bar", "1 selected").await;
    app.click("[data-action=ship]").await;
    app.wait_for_text("#ship-title", &format!("Ship order {order}"))
        .await;
}

async fn set_weight(app: &App) {
    let start = Instant::now();
    loop {
        let pounds = app.find("[aria-label='Weight, pounds']").await;
        if pounds.prop("value").await.unwrap().as_deref() != Some("1") {
            pounds.clear().await.unwrap();
            pounds.send_keys("1").await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = app.find("[aria-label='Weight, pounds']").await;
        if now.prop("value").await.unwrap().as_deref() == Some("1") {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the weight never stayed"
        );
    }
}

async fn buy(app: &App) -> String {
    app.find("[data-testid=rates] input[type=radio]:checked")
        .await;
    let start = Instant::now();
    loop {
        let button = app.find("[data-action=buy-label]").await;
        if button.is_enabled().await.unwrap() {
            button.click().await.unwrap();
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "Buy never became possible"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.wait_for_text("[data-testid=bought]", "Label bought")
        .await
}

fn printed(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect()
}

#[tokio::test]
async fn an_order_to_canada_ships_with_its_customs_declaration_and_voids() {
    let print_dir = tempfile::tempdir().unwrap();
    // One test in this file: nothing else reads the environment while it changes.
    unsafe { std::env::set_var("SHIPDESK_PRINT_COMMAND", fake_printer(print_dir.path())) };
    let Some(app) = launch("an_order_to_canada_ships_with_its_customs_declaration_and_voids").await
    else {
        return;
    };
    let export = tempfile::tempdir().unwrap();
    let file = export.path().join("orders_export.csv");
    std::fs::write(&file, EXPORT).unwrap();
    app.wait_for_text("[data-page=orders]", "No orders yet")
        .await;
    app.click("[data-action=import]").await;
    app.answer_dialog(&file);
    app.click("[data-action=choose-file]").await;
    app.wait_for_text("[data-testid=detected-format]", "Shopify orders export")
        .await;
    app.click("[data-action=start-import]").await;
    app.wait_for_text("[data-testid=import-summary]", "2 new")
        .await;
    app.click("[data-action=close-import]").await;
    app.wait_for_text("[data-testid=orders-count]", "2 orders")
        .await;

    // The first order: what its items say is filled in, the rest is asked for beside its input.
    open_ship(&app, "#4001").await;
    add_ship_from(&app).await;
    set_weight(&app).await;
    let form = app
        .wait_for_text("[data-testid=customs-form]", "label for Canada")
        .await;
    assert!(!form.contains("filled in from an earlier label"), "{form}");
    app.find("[data-error-for='customs.items[0].hs_tariff']")
        .await;
    app.find("[data-error-for='customs.items[0].origin_country']")
        .await;
    app.find("[data-error-for='customs.items[0].weight_oz']")
        .await;
    app.wait_for_text(
        "[data-testid=address-check]",
        "USPS checks US addresses only",
    )
    .await;
    app.wait_for_text("[data-testid=rates]", "International")
        .await;
    show(&app, "[data-testid=customs-items]").await;
    app.screenshot("customs-form-first");
    type_into(&app, "customs.items[0].hs_tariff", "3304.99").await;
    type_into(&app, "customs.items[0].origin_country", "US").await;
    type_into(&app, "customs.items[0].weight_oz", "3").await;
    wait_until_gone(&app, "[data-error-for='customs.items[0].hs_tariff']").await;
    let bought = buy(&app).await;
    assert!(bought.contains("International"), "{bought}");
    app.click("[data-action=close-ship]").await;
    app.click("input[aria-label='Select order #4001']").await;

    // The second order: the hand cream comes filled in from the first label; the lip balm's HS
    // number, never declared before, is the one field asked for.
    open_ship(&app, "#4002").await;
    set_weight(&app).await;
    let form = app
        .wait_for_text(
            "[data-testid=customs-form]",
            "filled in from an earlier label",
        )
        .await;
    assert!(form.contains("One item was"), "{form}");
    let hs = app
        .find("input[data-field='customs.items[0].hs_tariff']")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(hs.as_deref(), Some("330499"));
    app.find("[data-error-for='customs.items[1].hs_tariff']")
        .await;
    app.wait_for_text("[data-testid=rates]", "International")
        .await;
    show(&app, "[data-testid=customs-items]").await;
    app.screenshot("customs-form-prefilled");
    type_into(&app, "customs.items[1].hs_tariff", "3304.10").await;
    type_into(&app, "customs.items[1].origin_country", "US").await;
    type_into(&app, "customs.items[1].weight_oz", "1").await;
    let bought = buy(&app).await;
    let tracking = bought
        .split_whitespace()
        .find(|w| w.trim_end_matches(',').ends_with("US") && w.len() >= 13)
        .unwrap_or_else(|| panic!("a tracking number abroad in {bought}"))
        .trim_end_matches(',')
        .to_owned();
    assert_eq!(tracking.len(), 13, "a UPU S10 number: {tracking}");
    app.click("[data-action=print-labels]").await;
    app.wait_for_text("[data-testid=print-status]", "Sent to the printer")
        .await;
    let start = Instant::now();
    while printed(print_dir.path()).is_empty() {
        assert!(start.elapsed() < Duration::from_secs(20), "nothing printed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let pdf = std::fs::read(&printed(print_dir.path())[0]).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    for declared in ["CUSTOMS DECLARATION", "Lip Balm", "330410"] {
        assert!(
            text.contains(declared),
            "{declared} is not in the printed label"
        );
    }
    std::fs::write(app.artifact("label.pdf"), &pdf).unwrap();
    app.screenshot("bought-abroad");
    app.click("[data-action=close-ship]").await;

    // Shipments: void the label abroad.
    app.click("nav a[data-nav='shipments']").await;
    app.wait_for_text("[data-testid=shipments-count]", "2 labels")
        .await;
    app.click("tr[data-order='#4002'] td:nth-child(2)").await;
    app.find("[data-testid=shipment-drawer] [data-testid=label-preview] img")
        .await;
    app.click("[data-action=void]").await;
    app.click("[data-action=confirm-void]").await;
    app.wait_for_text("[data-testid=void-result]", "Canceled")
        .await;
    app.wait_for_text("tr[data-order='#4002']", "Voided").await;
    app.screenshot("voided-abroad");
    app.close().await;
}
