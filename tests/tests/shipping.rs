//! Shipping in the real app, Sandbox mode (the in-process USPS simulator with the demo account
//! a fresh data directory gets): import the sample Shopify export → ship one order through the
//! address check (it asks first: the order came in fulfilled) → ship two orders as a batch → see
//! both label previews and print them (through `SHIPDESK_PRINT_COMMAND`, never a real
//! printer) → void one in Shipments → create the End of Day SCAN form for the others → check,
//! schedule and cancel a carrier pickup.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::Locator;
use shipdesk_e2e::steps::{add_ship_from, fake_printer, fixtures, import_shopify_sample};
use shipdesk_e2e::{App, launch};

fn printed_pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    pdfs
}

async fn wait_for_pdfs(dir: &Path, count: usize) -> Vec<PathBuf> {
    let start = Instant::now();
    loop {
        let pdfs = printed_pdfs(dir);
        if pdfs.len() >= count {
            return pdfs;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "expected {count} printed PDFs in {}, found {pdfs:?}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn ships_two_orders_previews_voids_one_and_closes_the_day() {
    let Some(fixtures) = fixtures() else { return };
    let print_dir = tempfile::tempdir().unwrap();
    // This file holds one test, so nothing else reads the environment while it changes; the
    // app inherits it through tauri-driver and WebKitWebDriver.
    unsafe { std::env::set_var("SHIPDESK_PRINT_COMMAND", fake_printer(print_dir.path())) };
    let Some(app) = launch("ships_two_orders_previews_voids_one_and_closes_the_day").await else {
        return;
    };
    import_shopify_sample(&app, &fixtures).await;

    // One order first. #2003 came in already fulfilled, so Shipdesk asks before a label.
    app.click("input[aria-label='Select order #2003']").await;
    app.click("[data-action=ship]").await;
    app.wait_for_text("#ship-title", "Ship order #2003").await;
    add_ship_from(&app).await;
    // The sample export carries no weights: no rates until one is typed.
    app.find("[data-testid=no-weight]").await;
    app.find("[aria-label='Weight, pounds']")
        .await
        .send_keys("1")
        .await
        .unwrap();
    // The Sandbox standardizes the address and cannot confirm a suite at a large building.
    let check = app
        .wait_for_text("[data-testid=address-check]", "AMPHITHEATRE PKWY")
        .await;
    assert!(check.contains("could not confirm the apartment"), "{check}");
    app.find("[data-testid=address-check] mark[data-diff=zip4]")
        .await;
    app.find("input[data-choice=standardized]:checked").await;
    app.find("[data-testid=rates] input[type=radio]:checked")
        .await;
    app.find("[data-testid=already-labelled]").await;
    let buy = app.find("[data-action=buy-label]").await;
    assert!(
        !buy.is_enabled().await.unwrap(),
        "Buy waits for the explicit yes"
    );
    app.click("[data-testid=confirm-another]").await;
    app.click("[data-action=buy-label]").await;
    app.wait_for_text("[data-testid=bought]", "Label bought")
        .await;
    wait_for_previews(&app, 1).await;
    app.screenshot("single-order");
    app.click("[data-action=close-ship]").await;
    app.click("input[aria-label='Select order #2003']").await;

    // Then #2001 and #2002 together.
    app.click("input[aria-label='Select order #2001']").await;
    app.click("input[aria-label='Select order #2002']").await;
    app.wait_for_text(".selection-bar", "2 selected").await;
    app.click("[data-action=ship]").await;
    app.wait_for_text("#ship-title", "Ship 2 orders").await;
    app.find("select[data-testid=ship-from]").await;

    // The sample export carries no weights: nothing is guessed, both are held back until a
    // weight is typed for orders without one.
    app.wait_for_text("[data-testid=without-weight]", "2 orders have no weight")
        .await;
    app.find("[data-testid=weight-lb]")
        .await
        .send_keys("1")
        .await
        .unwrap();
    app.click("[data-action=get-rates]").await;
    app.wait_for_text(
        "[data-testid=uses-typed-weight]",
        "2 orders have no weight of their own",
    )
    .await;
    // Rates for both come from the Sandbox; each order gets its recommended service.
    app.find("select[data-testid=batch-service]").await;
    app.wait_for_text("[data-testid=batch-rates]", "#2002")
        .await;
    app.click("[data-action=buy-batch]").await;
    let report = app
        .wait_for_text("[data-testid=batch-report]", "2 of 2 labels bought")
        .await;
    assert!(!report.contains("Validation problems"), "{report}");
    assert!(!report.contains("Needs attention"), "{report}");

    // Both previews are drawn (SAMPLE labels from the Sandbox).
    let previews = wait_for_previews(&app, 2).await;
    assert_eq!(previews.len(), 2);
    app.screenshot("label-preview");

    app.click("[data-action=print-labels]").await;
    app.wait_for_text("[data-testid=print-status]", "Sent to the printer")
        .await;
    let pdfs = wait_for_pdfs(print_dir.path(), 1).await;
    let first = std::fs::read(&pdfs[0]).unwrap();
    assert!(first.starts_with(b"%PDF"), "{} is a PDF", pdfs[0].display());
    app.click("[data-action=close-ship]").await;

    // Shipments: both labels; void the one for #2001.
    app.click("nav a[data-nav='shipments']").await;
    app.wait_for_text("[data-testid=shipments-count]", "3 labels")
        .await;
    let row = app.wait_for_text("tr[data-order='#2001']", "Printed").await;
    assert!(row.contains("Label created"), "{row}");
    // WebKitWebDriver clicks cells, not rows.
    app.click("tr[data-order='#2001'] td:nth-child(2)").await;
    app.find("[data-testid=shipment-drawer] [data-testid=label-preview] img")
        .await;
    app.click("[data-action=void]").await;
    app.click("[data-action=confirm-void]").await;
    let result = app
        .wait_for_text("[data-testid=void-result]", "Canceled")
        .await;
    assert!(result.contains("not charged"), "{result}");
    app.wait_for_text("tr[data-order='#2001']", "Voided").await;
    app.screenshot("voided");
    app.click("[data-testid=shipment-drawer] button[aria-label='Close label details']")
        .await;

    // End of Day: the labels of #2002 and #2003 go on the SCAN form, not the voided one.
    app.click("nav a[data-nav='end-of-day']").await;
    app.wait_for_text("[data-testid=eod-group]", "2 labels not on a SCAN form")
        .await;
    app.click("[data-action=create-scan-form]").await;
    let created = app
        .wait_for_text("[data-testid=scan-form-created]", "SCAN form")
        .await;
    assert!(created.contains("2 labels"), "{created}");
    app.wait_for_text("[data-testid=scan-forms]", "2").await;
    app.click("[data-testid=scan-form-created] [data-action=print-scan-form]")
        .await;
    let pdfs = wait_for_pdfs(print_dir.path(), 2).await;
    assert!(
        pdfs.iter().any(|p| p
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("scan-form")),
        "the SCAN form went to the printer: {pdfs:?}"
    );
    app.screenshot("end-of-day");

    // Carrier pickup: prefilled from today's labels, scheduled, then cancelled (no edits).
    app.click("[data-action=pickup-eligibility]").await;
    app.wait_for_text("[data-testid=pickup-eligibility]", "USPS picks up")
        .await;
    let schedule = app
        .wait_for_text("[data-action=schedule-pickup]", "2 packages")
        .await;
    assert!(schedule.contains("Schedule pickup"), "{schedule}");
    app.click("[data-action=schedule-pickup]").await;
    app.wait_for_text("[data-testid=pickups]", "Scheduled")
        .await;
    app.click("[data-testid=pickups] [data-action=cancel-pickup]")
        .await;
    app.wait_for_text("[data-testid=pickups]", "Canceled").await;
    app.close().await;
}

async fn wait_for_previews(app: &App, count: usize) -> Vec<fantoccini::elements::Element> {
    let start = Instant::now();
    loop {
        let imgs = app
            .client
            .find_all(Locator::Css("[data-testid=label-previews] img"))
            .await
            .unwrap_or_default();
        if imgs.len() >= count {
            return imgs;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "expected {count} label previews, saw {}",
            imgs.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
