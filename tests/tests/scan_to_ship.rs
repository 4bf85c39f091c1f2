//! Scan-to-ship with the keyboard only, as a desk with a keyboard-wedge scanner works: F2 →
//! scan an order number + Enter → the Ship dialog opens with the cursor in the weight → type it →
//! Enter buys (Buy has the focus once a rate is chosen) → the label goes to the printer (a print
//! command that files each job) → the dialog closes and the scan field has the focus again →
//! an already shipped order's scan is refused loudly and buys nothing → the next order ships the
//! same way. Set-up (importing the sample, the ship-from address) uses the mouse; the scan loop
//! never does.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use shipdesk_e2e::steps::{
    add_ship_from, fake_printer, fixtures, import_shopify_sample, wait_until_gone,
};
use shipdesk_e2e::{App, launch_with_env};

async fn wait_for_printed(dir: &Path, count: usize) {
    let start = Instant::now();
    loop {
        let pdfs = std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "pdf")
            })
            .count();
        if pdfs >= count {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "expected {count} printed labels, found {pdfs}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Types `text` where the keyboard's focus is, as a scanner or a person does.
async fn type_keys(app: &App, text: &str) {
    app.client
        .active_element()
        .await
        .expect("something has the focus")
        .send_keys(text)
        .await
        .expect("the keys are typed");
}

/// What has the keyboard's focus, by its `data-testid` or `data-action`.
async fn focused(app: &App) -> String {
    let el = app.client.active_element().await.unwrap();
    for attr in ["data-testid", "data-action", "aria-label"] {
        if let Some(v) = el.attr(attr).await.unwrap() {
            return v;
        }
    }
    String::new()
}

async fn wait_for_focus(app: &App, what: &str) {
    let start = Instant::now();
    loop {
        let now = focused(app).await;
        if now == what {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the focus stayed on {now:?}, never reached {what:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One order through the scan loop: scan, weigh, Enter; the label printed.
async fn scan_and_ship(app: &App, number: &str, printed_before: usize, print_dir: &Path) {
    let enter: char = Key::Enter.into();
    type_keys(app, &format!("{number}{enter}")).await;
    app.find("[data-testid=ship-dialog]").await;
    wait_for_focus(app, "weight-lb").await;
    type_keys(app, "1").await;
    wait_for_focus(app, "buy-label").await;
    type_keys(app, &enter.to_string()).await;
    app.wait_for_text("[data-testid=scan-note]", "sent to the printer")
        .await;
    wait_until_gone(app, "[data-testid=ship-dialog]").await;
    wait_for_printed(print_dir, printed_before + 1).await;
    wait_for_focus(app, "scan-field").await;
}

#[tokio::test]
async fn scans_order_numbers_and_ships_them_with_the_keyboard_only() {
    let Some(fixtures) = fixtures() else { return };
    let print_dir = tempfile::tempdir().unwrap();
    let printer = fake_printer(print_dir.path());
    let Some(app) = launch_with_env(
        "scans_order_numbers_and_ships_them_with_the_keyboard_only",
        &[("SHIPDESK_PRINT_COMMAND", printer.as_os_str())],
    )
    .await
    else {
        return;
    };
    // Set-up: the sample orders and a ship-from address (saved from a first Ship dialog).
    import_shopify_sample(&app, &fixtures).await;
    app.click("input[aria-label='Select order #2002']").await;
    app.click("[data-action=ship]").await;
    add_ship_from(&app).await;
    app.click("[data-action=close-ship]").await;
    wait_until_gone(&app, "[data-testid=ship-dialog]").await;
    app.click("input[aria-label='Select order #2002']").await;

    // From here on, the keyboard only.
    let f2: char = Key::F2.into();
    type_keys(&app, &f2.to_string()).await;
    wait_for_focus(&app, "scan-field").await;
    scan_and_ship(&app, "2001", 0, print_dir.path()).await;
    let done = app.wait_for_text("[data-testid=scan-note]", "#2001").await;
    assert!(done.contains("bought"), "{done}");
    app.screenshot("first-scan-shipped");

    // An order that already has a label: said loudly, nothing bought, the focus stays.
    let enter: char = Key::Enter.into();
    type_keys(&app, &format!("#2003{enter}")).await;
    let refused = app
        .wait_for_text(
            "[data-testid=scan-note][data-kind=refused]",
            "already shipped",
        )
        .await;
    assert!(refused.contains("#2003"), "{refused}");
    assert_eq!(focused(&app).await, "scan-field");
    app.screenshot("already-shipped-refused");

    // The next scan continues.
    scan_and_ship(&app, "2002", 1, print_dir.path()).await;
    app.wait_for_text("[data-testid=scan-note]", "#2002").await;
    app.screenshot("second-scan-shipped");
    app.close().await;
}
