//! The app shell: the window opens, every navigation entry shows its page, and a Rust command
//! round trip works (Settings › About reads the doctor report from the core).

use shipdesk_e2e::launch;

#[tokio::test]
async fn window_opens_on_orders() {
    let Some(app) = launch("window_opens_on_orders").await else {
        return;
    };
    assert_eq!(app.client.title().await.unwrap(), "Shipdesk");
    app.wait_for_text("main h1", "Orders").await;
    app.wait_for_text("[data-page=orders]", "No orders yet")
        .await;
    app.close().await;
}

#[tokio::test]
async fn every_navigation_entry_shows_its_page() {
    let Some(app) = launch("every_navigation_entry_shows_its_page").await else {
        return;
    };
    for (nav, heading) in [
        ("shipments", "Shipments"),
        ("end-of-day", "End of Day"),
        ("settings", "Settings"),
        ("orders", "Orders"),
    ] {
        app.click(&format!("nav a[data-nav='{nav}']")).await;
        app.wait_for_text("main h1", heading).await;
        let current = app
            .find(&format!("nav a[data-nav='{nav}']"))
            .await
            .attr("aria-current")
            .await
            .unwrap();
        assert_eq!(current.as_deref(), Some("page"), "{nav} is marked current");
    }
    app.click("nav a[data-nav='settings']").await;
    app.wait_for_text("[role=tab][aria-selected=true]", "Carrier Settings")
        .await;
    app.close().await;
}

#[tokio::test]
async fn a_rust_command_round_trip_reads_the_data_directory() {
    let Some(app) = launch("a_rust_command_round_trip_reads_the_data_directory").await else {
        return;
    };
    app.click("nav a[data-nav='settings']").await;
    app.click("[data-tab=about]").await;
    let expected = app.data_dir.path().display().to_string();
    app.wait_for_text("[data-field=data-dir]", &expected).await;
    app.wait_for_text("[data-field=environment]", "sandbox")
        .await;
    app.close().await;
}
