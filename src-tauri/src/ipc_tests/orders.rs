//! The orders commands through tauri's mock IPC: the order form, tags, archive, search, and
//! importing a file (recognized or with a saved column mapping) with `import://progress` events.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tauri::Listener;

use super::{TestApp, address};

fn order_input(number: &str) -> Value {
    json!({
        "order_number": number,
        "ship_to": address("Ada Park", "1100 Wyoming St", "Saint Louis", "MO", "63118"),
        "items": [{"sku": "HC-1", "title": "Hand Cream", "quantity": 2, "unit_price": "12.00",
                   "weight_oz": "4"}],
        "tags": [],
        "notes": null
    })
}

#[test]
fn an_order_is_created_read_edited_tagged_and_archived() {
    let t = TestApp::new();
    let created = t.ok("orders_create", json!({"input": order_input("#1001")}));
    assert_eq!(created["order_number"], "#1001");
    assert_eq!(created["status"], "awaiting_shipment");
    assert_eq!(created["source"]["kind"], "manual", "{created}");
    assert_eq!(created["items"][0]["unit_price"], "12.00");
    let id = created["id"].clone();
    assert_eq!(t.ok("orders_get", json!({"id": id})), created);
    // A scanner types the number without the `#`, then Enter.
    let scanned = t.ok("orders_scan", json!({"code": "1001\r\n"}));
    assert_eq!(scanned["order"]["id"], id, "{scanned}");
    assert_eq!(scanned["refusal"], serde_json::Value::Null);
    assert_eq!(
        t.err("orders_scan", json!({"code": "4242"}))["code"],
        "NOT_FOUND"
    );

    let mut edited = order_input("#1001");
    edited["notes"] = json!("Leave at the back door");
    let updated = t.ok("orders_update", json!({"id": id, "input": edited}));
    assert_eq!(updated["notes"], "Leave at the back door");
    assert_eq!(updated["id"], id);

    let tagged = t.ok(
        "orders_set_tags",
        json!({"ids": [id], "add": ["gift", "rush"], "remove": []}),
    );
    assert_eq!(tagged, Value::Null);
    t.ok(
        "orders_set_tags",
        json!({"ids": [id], "add": [], "remove": ["rush"]}),
    );
    assert_eq!(t.ok("orders_tags", json!({})), json!(["gift"]));
    assert_eq!(
        t.ok("orders_get", json!({"id": id}))["tags"],
        json!(["gift"])
    );

    let page = t.ok("orders_list", json!({"query": {"search": "ada"}}));
    assert_eq!(page["total"], 1);
    assert_eq!(page["orders"][0]["id"], id);
    assert_eq!(
        t.ok("orders_list", json!({"query": {"search": "nobody"}}))["total"],
        0
    );

    assert_eq!(
        t.ok("orders_archive", json!({"ids": [id], "archived": true})),
        1
    );
    assert_eq!(t.ok("orders_list", json!({"query": {}}))["total"], 0);
    let archived = t.ok("orders_list", json!({"query": {"archived": "archived"}}));
    assert_eq!(archived["orders"][0]["archived"], true);
}

#[test]
fn orders_errors_reach_the_ui_as_the_error_contract() {
    let t = TestApp::new();
    let err = t.err("orders_create", json!({"input": order_input("  ")}));
    assert_eq!(err["code"], "VALIDATION", "{err}");
    assert_eq!(err["details"]["kind"], "order_problems", "{err}");
    assert_eq!(
        err["details"]["problems"][0]["field"], "order_number",
        "{err}"
    );
    let missing = t.err("orders_get", json!({"id": 999}));
    assert_eq!(missing["code"], "NOT_FOUND", "{missing}");
    assert_eq!(
        t.err(
            "orders_update",
            json!({"id": 999, "input": order_input("#9")})
        )["code"],
        "NOT_FOUND"
    );
}

const SHOPIFY: &str = "Name,Lineitem name,Lineitem quantity,Shipping Name,Shipping Address1,\
Shipping City,Shipping Province,Shipping Zip\n\
#1,Mug,1,Ann Lee,1 Main St,Austin,TX,78701\n\
#1,Plate,2,,,,,\n\
#2,Cup,1,Bo Chan,2 Elm St,Reno,NV,89501\n";

#[test]
fn a_recognized_file_is_previewed_then_imported_with_progress_events() {
    let t = TestApp::new();
    std::fs::write(t.path("orders_export.csv"), SHOPIFY).unwrap();
    let path = t.pick_order_file("orders_export.csv");
    let preview = t.ok(
        "orders_import_preview",
        json!({"path": path, "mapping": null}),
    );
    assert_eq!(preview["detected_format"], "shopify");
    assert_eq!(preview["needs_mapping"], false);
    assert_eq!(preview["first_rows"].as_array().unwrap().len(), 3);
    let numbers: Vec<&Value> = preview["mapped_preview"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["order_number"])
        .collect();
    assert_eq!(numbers, [&json!("#1"), &json!("#2")], "{preview}");

    let events: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = events.clone();
    t.app.listen_any("import://progress", move |e| {
        sink.lock()
            .unwrap()
            .push(serde_json::from_str(e.payload()).unwrap());
    });
    // Cancelling with nothing running leaves no stale flag behind for the next import.
    assert_eq!(t.ok("orders_import_cancel", json!({})), Value::Null);
    let summary = t.ok("orders_import", json!({"path": path, "options": {}}));
    assert_eq!(summary["format"], "shopify");
    assert_eq!(summary["rows"], 3);
    assert_eq!(summary["new"], 2, "{summary}");
    assert_eq!(summary["invalid"], 0);
    let last = events.lock().unwrap().last().cloned().expect("progress");
    assert_eq!(last["rows_done"], last["rows_total_estimate"], "{last}");

    let again = t.ok("orders_import", json!({"path": path, "options": {}}));
    assert_eq!(
        (again["new"].clone(), again["unchanged"].clone()),
        (json!(0), json!(2))
    );
    let page = t.ok("orders_list", json!({"query": {"search": "mug"}}));
    assert_eq!(page["orders"][0]["items"].as_array().unwrap().len(), 2);
}

const SHEET: &str = "Order,Customer,Street,Town,St,Postcode,Item\n\
W-1,Cy Diaz,3 Oak Rd,Boise,ID,83702,Soap\n";

#[test]
fn a_saved_column_mapping_is_listed_used_and_deleted() {
    let t = TestApp::new();
    std::fs::write(t.path("warehouse.csv"), SHEET).unwrap();
    let path = t.pick_order_file("warehouse.csv");
    let unknown = t.ok(
        "orders_import_preview",
        json!({"path": path, "mapping": null}),
    );
    assert_eq!(unknown["needs_mapping"], true, "{unknown}");

    let mapping = json!({"name": "Warehouse sheet", "columns": {
        "order_number": "Order", "name": "Customer", "street1": "Street", "city": "Town",
        "state": "St", "zip": "Postcode", "item_title": "Item"}});
    assert_eq!(
        t.ok("mapping_save", json!({"mapping": mapping})),
        Value::Null
    );
    let saved = t.ok("mappings_list", json!({}));
    assert_eq!(saved.as_array().unwrap().len(), 1, "{saved}");
    assert_eq!(saved[0]["name"], "Warehouse sheet");
    assert_eq!(saved[0]["columns"]["zip"], "Postcode");

    let mapped = t.ok(
        "orders_import_preview",
        json!({"path": path, "mapping": saved[0]}),
    );
    assert_eq!(
        mapped["mapped_preview"][0]["order_number"], "W-1",
        "{mapped}"
    );
    let summary = t.ok(
        "orders_import",
        json!({"path": path, "options": {"mapping": "Warehouse sheet"}}),
    );
    assert_eq!(summary["mapping"], "Warehouse sheet");
    assert_eq!(summary["new"], 1, "{summary}");

    assert_eq!(
        t.ok("mapping_delete", json!({"name": "Warehouse sheet"})),
        Value::Null
    );
    assert_eq!(t.ok("mappings_list", json!({})), json!([]));
    assert_eq!(
        t.err("mapping_delete", json!({"name": "Warehouse sheet"}))["code"],
        "NOT_FOUND"
    );
}

/// A sheet whose suggested mapping misses a required column: nothing says "State Abbr" is the
/// state.
const WAREHOUSE: &str = "Order #,Recipient,Address,Town,State Abbr,Zip Code,Item\n\
W-1,Cy Diaz,3 Oak Rd,Boise,ID,83702,Soap\n\
W-2,Di Ruiz,9 Elm St,Reno,NV,89501,Candle\n";

/// As the import dialog does it: the preview of the suggestion answers with what is missing
/// (the file stays on screen to map), an import with it is refused for the same reason, and
/// once the column is chosen the one mapping object the preview read is the one the import
/// reads, and they agree.
#[test]
fn the_mapping_previewed_is_the_mapping_imported() {
    let t = TestApp::new();
    std::fs::write(t.path("warehouse.csv"), WAREHOUSE).unwrap();
    let path = t.pick_order_file("warehouse.csv");
    let first = t.ok(
        "orders_import_preview",
        json!({"path": path, "mapping": null}),
    );
    assert_eq!(first["needs_mapping"], true, "{first}");
    assert_eq!(first["unmapped_required"], json!(["state"]), "{first}");
    let mut mapping = first["suggested_mapping"].clone();
    assert_eq!(mapping["name"], "", "{mapping}");

    let incomplete = t.ok(
        "orders_import_preview",
        json!({"path": path, "mapping": mapping}),
    );
    assert_eq!(incomplete["headers"], first["headers"]);
    assert_eq!(incomplete["mapped_preview"], json!([]));
    assert_eq!(
        incomplete["mapping_problems"],
        json!(["choose the column with the state"])
    );
    let refused = t.err(
        "orders_import",
        json!({"path": path, "options": {"column_mapping": mapping}}),
    );
    assert_eq!(refused["code"], "VALIDATION", "{refused}");
    assert_eq!(refused["details"]["kind"], "mapping_problems", "{refused}");
    assert_eq!(
        refused["details"]["problems"],
        incomplete["mapping_problems"]
    );

    mapping["columns"]["state"] = json!("State Abbr");
    let preview = t.ok(
        "orders_import_preview",
        json!({"path": path, "mapping": mapping}),
    );
    assert_eq!(preview["mapping_problems"], json!([]), "{preview}");
    let previewed = preview["mapped_preview"].as_array().unwrap().clone();
    assert_eq!(previewed.len(), 2, "{preview}");
    let summary = t.ok(
        "orders_import",
        json!({"path": path, "options": {"column_mapping": mapping}}),
    );
    assert_eq!(summary["new"], 2, "{summary}");
    assert_eq!(summary["format"], "unknown");
    assert_eq!(
        summary["mapping"],
        Value::Null,
        "an unsaved mapping has no name"
    );
    let page = t.ok("orders_list", json!({"query": {}}));
    for shown in &previewed {
        let stored = page["orders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["order_number"] == shown["order_number"])
            .unwrap_or_else(|| panic!("{} was previewed, not imported", shown["order_number"]));
        assert_eq!(stored["ship_to"], shown["ship_to"]);
        assert_eq!(stored["items"], shown["items"]);
    }
}
