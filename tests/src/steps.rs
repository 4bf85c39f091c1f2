//! Steps several end-to-end tests share: the sample orders, importing the Shopify sample through
//! the import dialog, adding a ship-from address in the Ship dialog, opening the Ship dialog for
//! one order, and breaking the Sandbox's USPS login through the simulator's controls.

use std::path::{Path, PathBuf};

use crate::App;

#[path = "../../xtask/src/shared_dir.rs"]
mod shared_dir;

/// `../shared/fixtures/orders`, or None (after saying the test is skipped) where it is absent;
/// under `cargo xtask test` an absent folder fails the test.
pub fn fixtures() -> Option<PathBuf> {
    shared_dir::shared_path("fixtures/orders")
}

/// Imports `shopify_sample.csv` into an empty data directory: 3 orders, none skipped.
pub async fn import_shopify_sample(app: &App, fixtures: &Path) {
    app.wait_for_text("[data-page=orders]", "No orders yet")
        .await;
    app.click("[data-action=import]").await;
    // The app reads only a file picked in its dialog; picking one previews it.
    app.answer_dialog(&fixtures.join("shopify_sample.csv"));
    app.click("[data-action=choose-file]").await;
    app.wait_for_text("[data-testid=detected-format]", "Shopify orders export")
        .await;
    app.click("[data-action=start-import]").await;
    let summary = app
        .wait_for_text("[data-testid=import-summary]", "3 new")
        .await;
    assert!(summary.contains("0 skipped"), "{summary}");
    app.click("[data-action=close-import]").await;
    app.wait_for_text("[data-testid=orders-count]", "3 orders")
        .await;
}

/// Fills and saves the ship-from form the Ship dialog shows when none is saved yet.
pub async fn add_ship_from(app: &App) {
    app.find("[data-testid=ship-from-form]").await;
    for (field, value) in [
        ("nickname", "Shop"),
        ("name", "Desk Goods"),
        ("street1", "1100 Congress Ave"),
        ("city", "Austin"),
        ("state", "TX"),
        ("zip", "78701"),
        ("phone", "512-555-0100"),
    ] {
        app.find(&format!(
            "[data-testid=ship-from-form] input[data-field={field}]"
        ))
        .await
        .send_keys(value)
        .await
        .unwrap();
    }
    // USPS sends pickup notices to the ship-from's email.
    let email = ["desk", "example.com"].join("@");
    app.find("[data-testid=ship-from-form] input[data-field=email]")
        .await
        .send_keys(&email)
        .await
        .unwrap();
    app.click("[data-action=save-ship-from]").await;
    app.find("select[data-testid=ship-from]").await;
}

/// Waits (up to 20 s) until nothing matches `css`.
pub async fn wait_until_gone(app: &App, css: &str) {
    let start = std::time::Instant::now();
    while app.client.find(fantoccini::Locator::Css(css)).await.is_ok() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "`{css}` never went away"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Opens the Ship dialog for one order of the Orders page (only that one selected) and gives the
/// package a weight of 1 lb: the samples carry no weights, and the dialog fetches no rates without
/// one.
pub async fn ship_order(app: &App, order: &str) {
    app.click("nav a[data-nav='orders']").await;
    app.find("[data-testid=orders-count]").await;
    let checked = app
        .client
        .find_all(fantoccini::Locator::Css(
            "input[aria-label^='Select order #']:checked",
        ))
        .await
        .unwrap_or_default();
    for box_ in checked {
        box_.click().await.unwrap();
    }
    app.click(&format!("input[aria-label='Select order {order}']"))
        .await;
    app.wait_for_text(".selection-bar", "1 selected").await;
    app.click("[data-action=ship]").await;
    app.find("[data-testid=ship-dialog]").await;
    // The dialog may still be settling its package (presets loading) when it first shows: type
    // again until the weight stays.
    let start = std::time::Instant::now();
    loop {
        let pounds = app.find("[aria-label='Weight, pounds']").await;
        if pounds.prop("value").await.unwrap().as_deref() != Some("1") {
            pounds.clear().await.unwrap();
            pounds.send_keys("1").await.unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let now = app.find("[aria-label='Weight, pounds']").await;
        if now.prop("value").await.unwrap().as_deref() == Some("1") {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "the package weight never stayed typed"
        );
    }
}

/// The Sandbox simulator stops accepting the saved USPS login (its refresh token and the access
/// token it issued), as USPS does when an authorization is revoked. The simulator's address is
/// the one Settings shows; this leaves the app on the Settings page.
pub async fn break_the_sandbox_login(app: &App) {
    let sim = sandbox_url(app).await;
    sim_control(&sim, "/__sim/invalidate-refresh-tokens");
    sim_control(&sim, "/__sim/expire-access-tokens");
}

/// The Sandbox simulator's address, as Settings › Carrier Settings shows it (for its `/__sim`
/// controls); this leaves the app on the Settings page.
pub async fn sandbox_url(app: &App) -> String {
    app.click("nav a[data-nav='settings']").await;
    let sim = app
        .find("[data-field=sandbox-url]")
        .await
        .text()
        .await
        .unwrap();
    assert!(sim.starts_with("http://127.0.0.1:"), "{sim}");
    sim
}

/// POSTs `{}` to one of the simulator's `/__sim` controls (plain HTTP on 127.0.0.1; a raw
/// request keeps a second TLS stack out of this crate).
pub fn sim_control(base: &str, path: &str) {
    sim_control_with(base, path, "{}");
}

/// POSTs the JSON `body` to one of the simulator's `/__sim` controls.
pub fn sim_control_with(base: &str, path: &str, body: &str) {
    let answer = sim_request(base, "POST", path, body);
    assert!(answer.starts_with("HTTP/1.1 2"), "POST {path}: {answer}");
}

/// GETs one of the simulator's `/__sim` reports (the ledger, say) as JSON.
pub fn sim_report(base: &str, path: &str) -> serde_json::Value {
    let answer = sim_request(base, "GET", path, "");
    assert!(answer.starts_with("HTTP/1.1 2"), "GET {path}: {answer}");
    let (_, body) = answer
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("GET {path}: no body in {answer}"));
    serde_json::from_str(body).unwrap_or_else(|e| panic!("GET {path}: {e} in {body}"))
}

fn sim_request(base: &str, method: &str, path: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let authority = base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut stream = std::net::TcpStream::connect(&authority)
        .unwrap_or_else(|e| panic!("connecting to the simulator at {authority}: {e}"));
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// A print command that files each print job as `<dir>/<job>.pdf` (the app runs it instead of
/// `lp` when `SHIPDESK_PRINT_COMMAND` names it).
pub fn fake_printer(dir: &Path) -> PathBuf {
    let script = dir.join("print.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ncat > '{}'/\"$1\".pdf\n", dir.display()),
    )
    .expect("the print script is written");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("the print script is executable");
    script
}
