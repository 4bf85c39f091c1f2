//! Steps several end-to-end tests share: the sample orders, importing the Shopify sample through
//! the import dialog, and adding a ship-from address in the Ship dialog.

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
