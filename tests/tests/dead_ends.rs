//! Where a new user got stuck, walked through in the real app at 1280×800:
//!
//! - the column mapper, for a sheet whose suggested mapping misses a required column: the
//!   missing field is marked and named, previewing an incomplete mapping keeps the form, the
//!   user maps the column, previews, saves the mapping and imports, and the orders appear; the
//!   saved mapping then reads the same sheet again;
//! - the Ship dialog after Remind Me Later: it says USPS needs to be reconnected (Get rates says
//!   it too) instead of "Asking USPS about …" forever, Escape closes it wherever focus is, and
//!   its own Reconnect starts signing in;
//! - the void confirmation in the Shipments drawer, whose buttons wrapped and were cut off.

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use shipdesk_e2e::sign_in::SignInSetup;
use shipdesk_e2e::steps::{
    add_ship_from, break_the_sandbox_login, fixtures, import_shopify_sample, ship_order,
    wait_until_gone,
};
use shipdesk_e2e::{App, launch};

/// A warehouse sheet: nothing in "State Abbr" tells Shipdesk it is the state.
const WAREHOUSE_SHEET: &str = "Order #,Recipient,Address,Town,State Abbr,Zip Code,Item\n\
W-1,Cy Diaz,3 Oak Rd,Boise,ID,83702,Soap\n\
W-1,,,,,,Towel\n\
W-2,Di Ruiz,9 Elm St,Reno,NV,89501,Candle\n\
W-3,Al Noor,12 Pine Ave,Salem,OR,97301,Mug\n";

async fn is_enabled(app: &App, css: &str) -> bool {
    app.find(css).await.is_enabled().await.unwrap()
}

/// Presses Escape wherever focus is (the body, when the focused button went away).
async fn press_escape(app: &App) {
    let escape: char = Key::Escape.into();
    let keys = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value: escape })
        .then(KeyAction::Up { value: escape });
    app.client.perform_actions(keys).await.unwrap();
}

#[tokio::test]
async fn a_sheet_whose_suggestion_misses_a_required_column_is_mapped_previewed_and_imported() {
    let name = "a_sheet_whose_suggestion_misses_a_required_column_is_mapped_previewed_and_imported";
    let Some(app) = launch(name).await else {
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let sheet = scratch.path().join("warehouse.csv");
    std::fs::write(&sheet, WAREHOUSE_SHEET).unwrap();
    app.wait_for_text("[data-page=orders]", "No orders yet")
        .await;

    app.click("[data-action=import]").await;
    app.answer_dialog(&sheet);
    app.click("[data-action=choose-file]").await;
    app.wait_for_text("[data-testid=detected-format]", "Not recognized")
        .await;
    // The suggestion is on screen, the required fields are marked, the one it missed is named.
    let missing = app
        .wait_for_text("[data-testid=mapping-missing]", "Choose a column for State")
        .await;
    assert!(!missing.contains("ZIP"), "{missing}");
    let state = app.find("select[data-map=state]").await;
    assert_eq!(
        state.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    let zip = app.find("select[data-map=zip]").await;
    assert_eq!(
        zip.prop("value").await.unwrap().as_deref(),
        Some("Zip Code")
    );
    let form = app
        .find("[data-testid=mapping-form]")
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("required"), "{form}");
    assert!(!is_enabled(&app, "[data-action=start-import]").await);

    // Previewing the incomplete mapping again keeps the form and says the same.
    app.click("[data-action=preview]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.find("[data-testid=mapping-form]").await;
    app.wait_for_text("[data-testid=mapping-missing]", "State")
        .await;
    app.screenshot("state-missing");

    // The user maps the state: the preview shows the orders as they will be imported.
    state.select_by_value("State Abbr").await.unwrap();
    wait_until_gone(&app, "[data-testid=mapping-missing]").await;
    app.wait_for_text("[data-testid=import-preview]", "Boise, ID 83702")
        .await;
    assert!(is_enabled(&app, "[data-action=start-import]").await);

    // Saved by name for the next file like this one.
    app.find("input[data-field=mapping-name]")
        .await
        .send_keys("Warehouse sheet")
        .await
        .unwrap();
    app.click("[data-action=save-mapping]").await;
    app.wait_for_text("[data-testid=mapping-saved]", "Saved as “Warehouse sheet”")
        .await;
    app.screenshot("mapped");

    // What was previewed is what is imported.
    app.click("[data-action=start-import]").await;
    let summary = app
        .wait_for_text("[data-testid=import-summary]", "3 new")
        .await;
    assert!(summary.contains("0 with problems"), "{summary}");
    assert!(summary.contains("“Warehouse sheet”"), "{summary}");
    assert!(!summary.contains("unsaved"), "{summary}");
    app.click("[data-action=close-import]").await;
    app.wait_for_text("[data-testid=orders-count]", "3 orders")
        .await;
    for number in ["W-1", "W-2", "W-3"] {
        app.find(&format!("[data-order='{number}']")).await;
    }
    let row = app
        .client
        .execute(
            "return document.querySelector(\"[data-order='W-1']\").textContent",
            vec![],
        )
        .await
        .unwrap();
    let row = row.as_str().unwrap_or_default();
    assert!(
        row.contains("Cy Diaz") && row.contains("Boise, ID 83702"),
        "{row}"
    );

    // Next time the saved mapping is offered and reads the same sheet the same way.
    app.click("[data-action=import]").await;
    app.answer_dialog(&sheet);
    app.click("[data-action=choose-file]").await;
    app.find("[data-testid=mapping-form]").await;
    app.find("#saved-mapping")
        .await
        .select_by_value("Warehouse sheet")
        .await
        .unwrap();
    app.wait_for_text("[data-testid=import-preview]", "Boise, ID 83702")
        .await;
    app.click("[data-action=start-import]").await;
    app.wait_for_text("[data-testid=import-summary]", "3 unchanged")
        .await;
    app.click("[data-action=close-import]").await;
    app.close().await;
}

#[tokio::test]
async fn after_remind_me_later_the_ship_dialog_says_what_it_waits_for() {
    let name = "after_remind_me_later_the_ship_dialog_says_what_it_waits_for";
    let Some(fixtures) = fixtures() else { return };
    // Signing in opens a browser: the app writes the address to a file instead.
    let setup = SignInSetup::new();
    let opener_log = &setup.opener_log;
    let Some(app) = setup.launch(name).await else {
        return;
    };
    import_shopify_sample(&app, &fixtures).await;
    ship_order(&app, "#2001").await;
    add_ship_from(&app).await;
    app.find("[data-testid=rates] tr[data-rate]").await;
    press_escape(&app).await;
    wait_until_gone(&app, "[data-testid=ship-dialog]").await;

    break_the_sandbox_login(&app).await;
    ship_order(&app, "#2002").await;
    app.wait_for_text(
        "[data-testid=reconnect-prompt]",
        "Your USPS connection needs to be renewed",
    )
    .await;
    app.click("[data-testid=reconnect-prompt] [data-action=remind-later]")
        .await;
    wait_until_gone(&app, "[data-testid=reconnect-prompt]").await;

    // The dialog says what it waits for, with a way to do it; nothing is left "asking".
    let dialog = app
        .wait_for_text(
            "[data-testid=ship-dialog]",
            "USPS needs to be reconnected before rates can be fetched",
        )
        .await;
    assert!(
        dialog.contains("USPS needs to be reconnected before the address can be checked"),
        "{dialog}"
    );
    assert!(!dialog.contains("Asking USPS about"), "{dialog}");
    app.find("[data-testid=ship-dialog] [data-action=reconnect-usps]")
        .await;
    app.screenshot("after-remind-me-later");

    // Get rates answers the same, visibly, and the snoozed prompt stays away.
    app.click("[data-testid=ship-dialog] [data-action=get-rates]")
        .await;
    wait_until_gone(&app, "[data-testid=getting-rates]").await;
    app.wait_for_text(
        "[data-testid=ship-dialog]",
        "USPS needs to be reconnected before rates can be fetched",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        app.client
            .find(fantoccini::Locator::Css("[data-testid=reconnect-prompt]"))
            .await
            .is_err(),
        "Remind Me Later holds"
    );

    // Escape closes the dialog wherever focus went (the Get rates button went away while asking).
    press_escape(&app).await;
    wait_until_gone(&app, "[data-testid=ship-dialog]").await;

    // Another order while snoozed: no prompt, the dialog says it at once, and its Reconnect
    // starts signing in.
    ship_order(&app, "#2003").await;
    app.wait_for_text(
        "[data-testid=ship-dialog]",
        "USPS needs to be reconnected before",
    )
    .await;
    app.click("[data-testid=ship-dialog] [data-action=reconnect-usps]")
        .await;
    app.wait_for_text("[data-testid=sign-in-waiting]", "Waiting for USPS sign-in")
        .await;
    let opened = std::fs::read_to_string(opener_log).unwrap_or_default();
    assert!(
        opened.contains("http"),
        "the sign-in address was opened: {opened:?}"
    );
    app.click("[data-testid=reconnect-prompt] [data-action=remind-later]")
        .await;
    wait_until_gone(&app, "[data-testid=reconnect-prompt]").await;
    press_escape(&app).await;
    wait_until_gone(&app, "[data-testid=ship-dialog]").await;
    app.close().await;
}

#[tokio::test]
async fn the_void_confirmation_fits_the_shipment_drawer() {
    let name = "the_void_confirmation_fits_the_shipment_drawer";
    let Some(fixtures) = fixtures() else { return };
    let Some(app) = launch(name).await else {
        return;
    };
    import_shopify_sample(&app, &fixtures).await;
    ship_order(&app, "#2001").await;
    add_ship_from(&app).await;
    app.find("[data-testid=rates] input[type=radio]:checked")
        .await;
    app.click("[data-action=buy-label]").await;
    app.wait_for_text("[data-testid=bought]", "Label bought")
        .await;
    app.click("[data-action=close-ship]").await;
    wait_until_gone(&app, "[data-testid=ship-dialog]").await;

    app.click("nav a[data-nav='shipments']").await;
    app.find("tr[data-order='#2001']").await;
    // WebKitWebDriver clicks cells, not rows.
    app.click("tr[data-order='#2001'] td:nth-child(2)").await;
    app.find("[data-testid=shipment-drawer] [data-testid=label-preview] img")
        .await;
    app.click("[data-action=void]").await;
    let confirm = app.find("[data-testid=void-confirm]").await;
    let question = confirm.text().await.unwrap();
    assert!(question.contains("Void the label"), "{question}");
    let layout = app
        .client
        .execute(
            "document.querySelector('[data-testid=void-confirm]').scrollIntoView({block: 'center'});
             const drawer = document.querySelector('[data-testid=shipment-drawer]');
             const box = drawer.getBoundingClientRect();
             const buttons = [...document.querySelectorAll('[data-testid=void-confirm] button')]
               .map((b) => b.getBoundingClientRect());
             return {
               drawerScrolls: drawer.scrollWidth > drawer.clientWidth,
               buttons: buttons.length,
               oneRow: buttons.every((b) => Math.abs(b.top - buttons[0].top) < 1),
               inside: buttons.every((b) => b.left >= box.left && b.right <= box.right),
               // One line of 14 px text and its padding is about 34 px high; two lines, 53.
               oneLineEach: buttons.every((b) => b.height < 44),
               windowWidth: window.innerWidth,
             };",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.screenshot("void-confirmation");
    assert_eq!(layout["buttons"], 2, "{layout}");
    assert_eq!(layout["drawerScrolls"], false, "{layout}");
    assert_eq!(layout["oneRow"], true, "{layout}");
    assert_eq!(layout["inside"], true, "{layout}");
    assert_eq!(layout["oneLineEach"], true, "{layout}");
    app.close().await;
}
