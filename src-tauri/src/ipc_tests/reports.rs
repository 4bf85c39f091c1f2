//! Reports over IPC: this month by default, a range the UI asks for, the error contract for a
//! range that is not one, and the CSV saved only to a file picked in the Save dialog.

use serde_json::json;

use super::TestApp;
use super::shipping::{bought_label, ship_from_input};

#[test]
fn the_report_adds_up_this_months_labels_and_saves_them_as_csv_where_the_user_picked() {
    let t = TestApp::new();
    t.ok("ship_from_add", ship_from_input("Shop"));
    let first = bought_label(&t, "#8001");
    let second = bought_label(&t, "#8002");
    t.ok("label_void", json!({"shipmentId": second["id"]}));

    let report = t.ok("reports_get", json!({"query": null}));
    assert_eq!(report["period"], "day");
    assert_eq!(report["totals"]["labels"], 1, "{report}");
    assert_eq!(report["totals"]["postage"], first["postage"]);
    assert_eq!(report["totals"]["voided"], 1);
    assert_eq!(report["voids"][0]["state"], "canceled");
    assert_eq!(report["voids"][0]["order_number"], "#8002");
    let query = json!({"from": report["from"], "to": report["to"], "period": "week"});
    let weeks = t.ok("reports_get", json!({ "query": query }));
    assert_eq!(weeks["totals"], report["totals"]);
    assert!(
        weeks["spend"][0]["label"]
            .as_str()
            .unwrap()
            .starts_with("Week of")
    );

    let backwards = t.err(
        "reports_get",
        json!({"query": {"from": "2026-12-02", "to": "2026-12-01", "period": "day"}}),
    );
    assert_eq!(backwards["code"], "VALIDATION");
    assert_eq!(backwards["details"]["kind"], "fields");
    assert!(
        backwards["details"]["fields"]["to"].is_string(),
        "{backwards}"
    );

    // Saving: refused to a path not picked, written to the one picked (with .csv appended).
    let unpicked = t.path("labels.csv");
    let refused = t.err(
        "reports_save_csv",
        json!({"query": query, "path": unpicked}),
    );
    assert_eq!(refused["code"], "VALIDATION");
    assert!(!std::path::Path::new(&unpicked).exists());
    t.answer_dialog(&t.path("november"));
    let picked = t.ok(
        "reports_pick_csv_path",
        json!({"defaultName": "labels.csv"}),
    );
    assert_eq!(picked, json!(t.path("november.csv")));
    t.ok("reports_save_csv", json!({"query": query, "path": picked}));
    let csv = std::fs::read_to_string(t.path("november.csv")).unwrap();
    assert!(csv.starts_with("Bought at (UTC),Order,"), "{csv}");
    assert!(csv.contains(first["tracking_number"].as_str().unwrap()));
    assert!(csv.contains("Voided (not charged)"), "{csv}");
    let as_pdf = t.err(
        "reports_save_csv",
        json!({"query": query, "path": t.path("report.pdf")}),
    );
    assert!(
        as_pdf["message"].as_str().unwrap().contains(".csv"),
        "{as_pdf}"
    );
}
