//! Orders in the real app: the sample exports in `../shared/fixtures/orders` go in through the
//! import dialog (one recognized as Shopify, one mapped column by column), then search finds them.

use fantoccini::Locator;
use shipdesk_e2e::launch;
use shipdesk_e2e::steps::{fixtures, import_shopify_sample};

#[tokio::test]
async fn imports_the_sample_exports_and_finds_an_order_by_search() {
    let Some(fixtures) = fixtures() else { return };
    let Some(app) = launch("imports_the_sample_exports_and_finds_an_order_by_search").await else {
        return;
    };
    // A Shopify export is recognized without any mapping.
    import_shopify_sample(&app, &fixtures).await;

    // A hand-made spreadsheet needs its columns mapped once.
    app.click("[data-action=import]").await;
    app.answer_dialog(&fixtures.join("generic_sample.csv"));
    app.click("[data-action=choose-file]").await;
    app.wait_for_text("[data-testid=import-preview]", "map the columns")
        .await;
    for (field, column) in [
        ("order_number", "Order ID"),
        ("name", "Ship To"),
        ("street1", "Street"),
        ("street2", "Street 2"),
        ("city", "City"),
        ("state", "State"),
        ("zip", "ZIP"),
        ("weight", "Weight (lb)"),
        ("item_title", "Contents"),
    ] {
        app.find(&format!("select[data-map={field}]"))
            .await
            .select_by_value(column)
            .await
            .unwrap_or_else(|e| panic!("mapping {field} to {column}: {e}"));
    }
    app.click("[data-action=start-import]").await;
    app.wait_for_text("[data-testid=import-summary]", "3 new")
        .await;
    app.click("[data-action=close-import]").await;
    app.wait_for_text("[data-testid=orders-count]", "6 orders")
        .await;

    // Search as you type finds an order by the recipient's name and by an item's SKU.
    let search = app.find("[data-testid=orders-search]").await;
    search.send_keys("Tanaka").await.unwrap();
    app.wait_for_text("[data-testid=orders-count]", "1 order")
        .await;
    app.find("[data-order='G-102']").await;
    search.clear().await.unwrap();
    search.send_keys("LB-1").await.unwrap();
    app.wait_for_text("[data-testid=orders-count]", "1 order")
        .await;
    let row = app.find("[data-order='#2001']").await;
    row.click().await.unwrap();
    app.client
        .find(Locator::Css("[data-order='#2001']"))
        .await
        .unwrap();
    app.screenshot("orders-found");
    app.close().await;
}
