//! File access from the page only through paths the user picked in the app's dialogs in this
//! session (`crate::picked_paths`): commands refuse any other path before touching the file.

use std::path::Path;

use serde_json::{Value, json};

use super::TestApp;
use super::shipping::{order_to_chicago, ship_from_input};

const ORDERS: &str = "Name,Lineitem name,Lineitem quantity,Shipping Name,Shipping Address1,\
Shipping City,Shipping Province,Shipping Zip\n\
#1,Mug,1,Ann Lee,1 Main St,Austin,TX,78701\n";

fn assert_refused(t: &TestApp, command: &str, args: Value, says: &str) {
    let refused = t.err(command, args);
    assert_eq!(refused["code"], "VALIDATION", "{command}: {refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains(says), "{command}: {message}");
}

#[test]
fn a_path_not_picked_is_neither_read_nor_written() {
    let t = TestApp::new();
    t.ok("ship_from_add", ship_from_input("Shop"));
    let order = order_to_chicago(&t, "#7001");
    let orders = t.path("orders.csv");
    std::fs::write(&orders, ORDERS).unwrap();

    for (command, args) in [
        (
            "orders_import_preview",
            json!({"path": orders, "mapping": null}),
        ),
        ("orders_import", json!({"path": orders, "options": {}})),
    ] {
        assert_refused(&t, command, args, "Choose file");
    }
    assert_eq!(t.ok("orders_list", json!({"query": {}}))["total"], 1);

    let target = t.path("out.pdf");
    for (command, args) in [
        (
            "labels_save_pdf",
            json!({"shipmentIds": [1], "layout": null, "path": target}),
        ),
        (
            "packing_slips_save_pdf",
            json!({"orderIds": [order], "shipFromId": null, "path": target}),
        ),
        ("scan_form_save_pdf", json!({"id": 1, "path": target})),
    ] {
        assert_refused(&t, command, args, "Save dialog");
    }
    assert!(!Path::new(&target).exists());

    // A pick is for one use: a file picked to import is not one to overwrite, and the other
    // way round.
    std::fs::write(t.path("picked-to-import.pdf"), ORDERS).unwrap();
    let picked_to_import = t.pick_order_file("picked-to-import.pdf");
    assert_refused(
        &t,
        "packing_slips_save_pdf",
        json!({"orderIds": [order], "shipFromId": null, "path": picked_to_import}),
        "Save dialog",
    );
    assert_eq!(
        std::fs::read_to_string(&picked_to_import).unwrap(),
        ORDERS,
        "untouched"
    );
    let picked_to_save = t.pick_pdf_path("picked-to-save.pdf");
    std::fs::write(&picked_to_save, ORDERS).unwrap();
    assert_refused(
        &t,
        "orders_import_preview",
        json!({"path": picked_to_save, "mapping": null}),
        "Choose file",
    );
}

#[test]
fn a_picked_file_is_imported_and_a_picked_save_path_becomes_a_pdf() {
    let t = TestApp::new();
    std::fs::write(t.path("orders.csv"), ORDERS).unwrap();
    let picked = t.pick_order_file("orders.csv");
    let preview = t.ok(
        "orders_import_preview",
        json!({"path": picked, "mapping": null}),
    );
    assert_eq!(preview["detected_format"], "shopify", "{preview}");
    let summary = t.ok("orders_import", json!({"path": picked, "options": {}}));
    assert_eq!(summary["new"], 1, "{summary}");

    // A cancelled dialog answers null and makes nothing readable.
    t.answer_dialog("");
    assert_eq!(t.ok("orders_import_pick_file", json!({})), Value::Null);
    t.answer_dialog("");
    assert_eq!(
        t.ok("pdf_pick_save_path", json!({"defaultName": "slips.pdf"})),
        Value::Null
    );

    // The user typed a name without .pdf: the app appends it, and only that name is writable.
    t.ok("ship_from_add", ship_from_input("Shop"));
    let order = order_to_chicago(&t, "#7002");
    t.answer_dialog(&t.path("slips"));
    let picked = t.ok("pdf_pick_save_path", json!({"defaultName": "slips.pdf"}));
    assert_eq!(picked, json!(t.path("slips.pdf")));
    assert_eq!(
        t.ok(
            "packing_slips_save_pdf",
            json!({"orderIds": [order], "shipFromId": null, "path": picked})
        ),
        Value::Null
    );
    let written = std::fs::read(t.path("slips.pdf")).unwrap();
    assert!(written.starts_with(b"%PDF"));
    assert_refused(
        &t,
        "packing_slips_save_pdf",
        json!({"orderIds": [order], "shipFromId": null, "path": t.path("slips")}),
        ".pdf",
    );
    assert!(!Path::new(&t.path("slips")).exists());
}
