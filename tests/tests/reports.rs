//! The Reports page over a seeded month: labels bought and one voided through the `shipdesk`
//! command on the app's data directory (the real purchase path), then placed on days of last
//! month — their purchase time is the one thing the seed changes, with the sqlite3 shell — and
//! the page shows last month's totals, its charts and the void.

use std::process::Command;

use shipdesk_e2e::cli::{Cli, cli_binary};
use shipdesk_e2e::launch;

const TEST: &str = "the_reports_page_charts_a_seeded_month";
const LABELS: usize = 5;

#[tokio::test]
async fn the_reports_page_charts_a_seeded_month() {
    let Some(bin) = cli_binary(TEST) else { return };
    let Some(app) = launch(TEST).await else {
        return;
    };
    let cli = Cli {
        bin,
        data: app.data_dir.path().to_owned(),
    };
    cli.add_ship_from();
    cli.import_orders(LABELS);
    for n in 0..LABELS {
        let number = (3001 + n).to_string();
        let out = cli.run(&["labels", "buy", "--default-weight-oz", "16", &number]);
        assert!(
            out.status.success(),
            "buying {number}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let labels = cli.json(&["shipments", "list", "--limit", "100"]);
    let labels = labels.as_array().unwrap();
    assert_eq!(labels.len(), LABELS);
    let voided = labels[0]["tracking_number"].as_str().unwrap();
    let voided_order = labels[0]["order_number"].as_str().unwrap();
    cli.json(&["labels", "void", voided]);

    // Label n was bought on day 5n of last month, at 17:00 UTC (midday in the US).
    let seeded = Command::new("sqlite3")
        .arg("-cmd")
        .arg(".timeout 10000")
        .arg(cli.data.join("shipdesk.sqlite3"))
        .arg(
            "UPDATE shipments SET created_at = strftime('%Y-%m-%dT17:00:00Z', 'now', \
             'start of month', '-1 month', '+' || (5 * id - 1) || ' days');",
        )
        .output()
        .expect("the sqlite3 shell runs");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );

    app.click("nav a[data-nav='reports']").await;
    app.find("[data-testid=report-totals]").await;
    app.find("[data-testid=report-preset]")
        .await
        .select_by_value("last_month")
        .await
        .expect("Last month is chosen");
    let postage = app
        .wait_for_text("[data-total=postage]", &format!("{} labels", LABELS - 1))
        .await;
    assert!(postage.contains('$'), "{postage}");
    app.wait_for_text("[data-total=voided]", "1").await;
    let voids = app
        .wait_for_text("[data-testid=report-voids]", voided)
        .await;
    assert!(voids.contains(voided_order), "{voids}");
    assert!(voids.contains("Canceled"), "{voids}");
    // Each chart is drawn: its canvas has painted pixels.
    for chart in ["chart-spend", "chart-labels", "chart-services"] {
        app.find(&format!("[data-testid={chart}] canvas")).await;
        let painted = app
            .client
            .execute(
                "const c = document.querySelector(`[data-testid=${arguments[0]}] canvas`); \
                 const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
                 let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;",
                vec![serde_json::json!(chart)],
            )
            .await
            .unwrap();
        assert!(painted.as_u64().unwrap() > 100, "{chart} is blank");
    }
    let bars = app.find("[data-testid=chart-spend]").await;
    assert_eq!(
        bars.attr("data-bars").await.unwrap().as_deref(),
        Some((LABELS - 1).to_string().as_str()),
        "a bar per day with postage"
    );
    app.screenshot("reports-last-month");

    // Grouped by week: the same totals over fewer bars.
    app.find("[data-testid=report-period]")
        .await
        .select_by_value("week")
        .await
        .unwrap();
    app.find("[data-testid=report][data-period=week] [data-testid=chart-spend] canvas")
        .await;
    app.screenshot("reports-by-week");
    app.close().await;
}
