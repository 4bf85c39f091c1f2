//! The shipping commands through tauri's mock IPC: argument names as the UI sends them
//! (camelCase), results as JSON, the error contract, and `batch://progress` events. USPS is the
//! Sandbox demo account a fresh desk gets (the in-process simulator).

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use shipdesk_core::shipping::{Package, RateQuote, recommended_service};
use tauri::Listener;

use super::{TestApp, address};

pub(super) fn ship_from_input(nickname: &str) -> Value {
    let mut shop = address(
        "John Smith",
        "4120 Bingham Ave",
        "Saint Louis",
        "MO",
        "63116",
    );
    // A carrier pickup needs a way to reach the shop.
    shop["email"] = json!("john@example.com");
    json!({"input": {"nickname": nickname, "address": shop}})
}

/// An order to an address the simulator confirms; its id.
pub(super) fn order_to_chicago(t: &TestApp, number: &str) -> Value {
    let input = json!({
        "order_number": number,
        "ship_to": address("Bo Chan", "2516 w north avenue", "Chicago", "IL", "60647"),
        "items": [{"sku": "MUG", "title": "Mug", "quantity": 1, "unit_price": "18.00",
                   "weight_oz": "20"}],
        "tags": [],
        "notes": null
    });
    t.ok("orders_create", json!({"input": input}))["id"].clone()
}

fn package() -> Value {
    json!({"weight_oz": "20", "dimensions": {"length_in": "10", "width_in": "8", "height_in": "4"}})
}

pub(super) fn purchase(order_id: &Value, rate: &Value) -> Value {
    json!({
        "order_id": order_id,
        "rate": rate,
        "package": package(),
        "ship_to": {"choice": "as_entered"},
        "ignore_bad_address": false,
        "allow_additional_label": false
    })
}

pub(super) fn ground_advantage() -> Value {
    json!({"mail_class": "USPS_GROUND_ADVANTAGE", "rate_indicator": "SP",
           "processing_category": "MACHINABLE"})
}

/// Buys a Ground Advantage label for a new order; the shipment.
pub(super) fn bought_label(t: &TestApp, number: &str) -> Value {
    let order = order_to_chicago(t, number);
    t.ok(
        "label_buy",
        json!({"request": purchase(&order, &ground_advantage())}),
    )["shipment"]
        .clone()
}

fn read_pdf(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn ship_from_addresses_and_the_label_layout_round_trip() {
    let t = TestApp::new();
    assert_eq!(t.ok("ship_from_list", json!({})), json!([]));
    let shop = t.ok("ship_from_add", ship_from_input("Shop"));
    assert_eq!(shop["nickname"], "Shop");
    assert_eq!(
        shop["is_default"], true,
        "the first address becomes the default"
    );
    let warehouse = t.ok("ship_from_add", ship_from_input("Warehouse"));
    assert_eq!(warehouse["is_default"], false);
    assert_eq!(
        t.ok("ship_from_set_default", json!({"id": warehouse["id"]})),
        Value::Null
    );
    let listed = t.ok("ship_from_list", json!({}));
    let defaults: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["is_default"] == true)
        .map(|a| &a["nickname"])
        .collect();
    assert_eq!(defaults, [&json!("Warehouse")], "{listed}");
    assert_eq!(
        t.err("ship_from_set_default", json!({"id": 999}))["code"],
        "NOT_FOUND"
    );

    assert_eq!(t.ok("label_layout_get", json!({})), "4x6");
    assert_eq!(
        t.ok("label_layout_set", json!({"layout": "letter"})),
        Value::Null
    );
    assert_eq!(t.ok("label_layout_get", json!({})), "letter");
    assert_eq!(t.ok("shipments_list", json!({"query": {}})), json!([]));
}

#[test]
fn ship_from_addresses_are_edited_and_removed_an_address_in_use_archived() {
    let t = TestApp::new();
    let shop = t.ok("ship_from_add", ship_from_input("Shop"));
    let mut edited = ship_from_input("Front desk");
    edited["input"]["address"]["street1"] = json!("1100 Wyoming St");
    edited["id"] = shop["id"].clone();
    let saved = t.ok("ship_from_update", edited.clone());
    assert_eq!(saved["nickname"], "Front desk");
    assert_eq!(saved["address"]["street1"], "1100 Wyoming St");
    assert_eq!(saved["is_default"], true);
    // Problems come back named at their fields.
    edited["input"]["address"]["zip5"] = json!("123");
    let refused = t.err("ship_from_update", edited);
    assert_eq!(refused["code"], "VALIDATION");
    assert_eq!(
        refused["details"]["problems"][0]["field"], "ship_from.zip5",
        "{refused}"
    );

    // A label was bought from it: removing archives it; an unused one is deleted.
    bought_label(&t, "R-1");
    let spare = t.ok("ship_from_add", ship_from_input("Spare"));
    assert_eq!(
        t.ok("ship_from_remove", json!({"id": spare["id"]})),
        "deleted"
    );
    assert_eq!(
        t.ok("ship_from_remove", json!({"id": shop["id"]})),
        "archived"
    );
    assert_eq!(t.ok("ship_from_list", json!({})), json!([]));
    let shipments = t.ok("shipments_list", json!({"query": {}}));
    assert_eq!(shipments[0]["ship_from"]["street1"], "1100 Wyoming St");
    assert_eq!(
        t.err("ship_from_remove", json!({"id": shop["id"]}))["code"],
        "NOT_FOUND"
    );
}

#[test]
fn package_presets_are_edited_one_is_the_default_and_they_are_deleted() {
    let t = TestApp::new();
    let box_input = |name: &str, height: &str, default: Option<bool>| {
        json!({"name": name,
            "dimensions": {"length_in": "10", "width_in": "8", "height_in": height},
            "weight_oz": null, "is_default": default})
    };
    let mug = t.ok(
        "package_preset_add",
        json!({"input": box_input("Mug box", "4", None)}),
    );
    assert_eq!(mug["is_default"], true, "the first preset is the default");
    let tall = t.ok(
        "package_preset_add",
        json!({"input": box_input("Tall box", "12", None)}),
    );
    assert_eq!(tall["is_default"], false);
    assert_eq!(
        t.ok("package_preset_set_default", json!({"id": tall["id"]})),
        Value::Null
    );
    let listed = t.ok("package_presets_list", json!({}));
    assert_eq!(listed[0]["name"], "Tall box", "the default is listed first");
    assert_eq!(listed[0]["is_default"], true);

    let renamed = t.ok(
        "package_preset_update",
        json!({"id": mug["id"], "input": box_input("Mug mailer", "5", None)}),
    );
    assert_eq!(renamed["name"], "Mug mailer");
    assert_eq!(renamed["dimensions"]["height_in"], "5");
    let clash = t.err(
        "package_preset_update",
        json!({"id": mug["id"], "input": box_input("TALL BOX", "5", None)}),
    );
    assert_eq!(clash["code"], "CONFLICT");
    let flat = t.err(
        "package_preset_update",
        json!({"id": mug["id"], "input": box_input("Mug mailer", "0", None)}),
    );
    assert_eq!(
        flat["details"],
        json!({"kind": "fields", "fields": {"dimensions.height_in":
            "The package height must be more than 0 and at most 108 inches"}})
    );

    assert_eq!(
        t.ok("package_preset_delete", json!({"id": tall["id"]})),
        Value::Null
    );
    let left = t.ok("package_presets_list", json!({}));
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(
        left[0]["is_default"], true,
        "the default moves to what is left"
    );
    assert_eq!(
        t.err("package_preset_delete", json!({"id": tall["id"]}))["code"],
        "NOT_FOUND"
    );
}

#[test]
fn package_presets_are_saved_and_listed() {
    let t = TestApp::new();
    assert_eq!(t.ok("package_presets_list", json!({})), json!([]));
    let preset = json!({"input": {"name": "Mug box",
        "dimensions": {"length_in": "10", "width_in": "8", "height_in": "4"},
        "weight_oz": "20"}});
    let saved = t.ok("package_preset_add", preset);
    assert_eq!(saved["name"], "Mug box");
    assert_eq!(saved["dimensions"]["height_in"], "4");
    assert_eq!(saved["weight_oz"], "20");
    assert_eq!(t.ok("package_presets_list", json!({})), json!([saved]));
    let flat = json!({"input": {"name": "Flat",
        "dimensions": {"length_in": "10", "width_in": "8", "height_in": "0"},
        "weight_oz": null}});
    assert_eq!(t.err("package_preset_add", flat)["code"], "VALIDATION");
}

#[test]
fn shipping_errors_reach_the_ui_as_the_error_contract() {
    let t = TestApp::new();
    assert_eq!(
        t.err("shipment_get", json!({"id": 999})),
        json!({"code": "NOT_FOUND", "message": "There is no shipment 999"})
    );
    assert_eq!(
        t.err("label_void", json!({"shipmentId": 999}))["code"],
        "NOT_FOUND"
    );
    let missing = t.err("shipments_list", json!({}));
    assert!(
        missing.as_str().is_some_and(|m| m.contains("query")),
        "a missing argument is refused by tauri before core: {missing}"
    );
    let bad_layout = t.err("label_layout_set", json!({"layout": "a4"}));
    assert!(
        bad_layout.as_str().is_some_and(|m| m.contains("layout")),
        "an unknown layout never reaches core: {bad_layout}"
    );
}

#[test]
fn the_address_check_and_rates_come_from_usps_with_the_recommended_service() {
    let t = TestApp::new();
    t.ok("ship_from_add", ship_from_input("Shop"));
    let order = order_to_chicago(&t, "#2001");

    let check = t.ok(
        "address_check_order",
        json!({"orderId": order, "accountId": null}),
    );
    assert_eq!(check["deliverable"], "yes", "{check}");
    assert_eq!(check["standardized"]["street1"], "2516 W N AVE");
    assert_eq!(check["as_entered"]["street1"], "2516 w north avenue");

    let answer = t.ok(
        "rates_for_order",
        json!({"orderId": order, "package": package(), "shipFromId": null, "shipTo": null,
               "accountId": null}),
    );
    assert_eq!(answer["origin_zip"], "63116");
    assert_eq!(answer["destination_zip"], "60647");
    let quotes: Vec<RateQuote> = serde_json::from_value(answer["quotes"].clone()).unwrap();
    assert!(quotes.len() > 1, "{answer}");
    let package: Package = serde_json::from_value(package()).unwrap();
    let recommended = recommended_service(&quotes, &package).expect("a safe default");
    assert_eq!(answer["recommended"], json!(recommended));
    assert!(
        ["USPS_GROUND_ADVANTAGE", "PRIORITY_MAIL"].contains(&recommended.mail_class.as_str()),
        "{recommended:?}"
    );

    let view = t.ok(
        "rates_for_orders",
        json!({"orderIds": [order], "package": null, "shipFromId": null, "accountId": null}),
    );
    let row = &view[0];
    assert_eq!(view.as_array().unwrap().len(), 1);
    assert_eq!(row["order_number"], "#2001");
    assert_eq!(row["error"], Value::Null);
    assert_eq!(
        row["package"]["weight_oz"], "20",
        "the order's own items: {row}"
    );
    assert!(row["rates"]["recommended"].is_object(), "{row}");

    let unknown = t.err(
        "rates_for_order",
        json!({"orderId": 999, "package": null, "shipFromId": null, "shipTo": null,
               "accountId": null}),
    );
    assert_eq!(unknown["code"], "NOT_FOUND");
}

#[test]
fn a_bought_label_is_previewed_printed_saved_tracked_and_voided() {
    let t = TestApp::new();
    t.ok("ship_from_add", ship_from_input("Shop"));
    let order = order_to_chicago(&t, "#3001");
    let outcome = t.ok(
        "label_buy",
        json!({"request": purchase(&order, &ground_advantage())}),
    );
    assert_eq!(outcome["resumed_earlier_attempt"], false);
    let shipment = &outcome["shipment"];
    let id = shipment["id"].clone();
    assert_eq!(shipment["order_id"], order);
    assert_eq!(shipment["mail_class"], "USPS_GROUND_ADVANTAGE");
    assert_eq!(shipment["status"], "label_created");
    assert_eq!(shipment["tracking_number"].as_str().unwrap().len(), 22);
    assert_eq!(
        t.ok("orders_get", json!({"id": order}))["status"],
        "shipped"
    );
    assert_eq!(t.ok("shipment_get", json!({"id": id})), *shipment);
    let again = t.err(
        "label_buy",
        json!({"request": purchase(&order, &ground_advantage())}),
    );
    assert_eq!(again["code"], "CONFLICT", "one label per order: {again}");

    let preview = t.ok("label_preview", json!({"shipmentId": id}));
    assert_eq!(
        preview["kind"], "svg",
        "a Sandbox sample is drawn: {preview}"
    );
    assert!(preview["svg"].as_str().unwrap().contains("<svg"));
    let fetched = t.ok("label_download_again", json!({"shipmentId": id}));
    assert_eq!(fetched["id"], id, "{fetched}");
    assert_eq!(fetched["status"], "label_created");

    assert_eq!(
        t.ok("labels_print", json!({"shipmentIds": [id], "layout": null})),
        1
    );
    assert_eq!(t.printer.job_names().len(), 1);
    assert!(t.printer.all_pdfs());
    assert_eq!(t.ok("shipment_get", json!({"id": id}))["printed"], true);

    let path = t.pick_pdf_path("labels.pdf");
    let written = t.ok(
        "labels_save_pdf",
        json!({"shipmentIds": [id], "layout": "letter", "path": path}),
    );
    assert_eq!(written, json!([path]));
    assert!(read_pdf(&path).starts_with(b"%PDF"));

    let tracked = t.ok("tracking_refresh", json!({"shipmentIds": [id]}));
    assert_eq!(tracked[0]["id"], id);
    assert_eq!(tracked[0]["status"], "label_created");
    assert!(tracked[0]["tracking_checked_at"].is_string(), "{tracked}");

    let voided = t.ok("label_void", json!({"shipmentId": id}));
    assert_eq!(voided["usps_status"], "CANCELED", "{voided}");
    assert_eq!(voided["shipment"]["status"], "voided");
    let listed = t.ok("shipments_list", json!({"query": {"status": "voided"}}));
    assert_eq!(listed[0]["id"], id);
    // A voided label is not postage: no command hands it out again.
    let tracking = shipment["tracking_number"].as_str().unwrap();
    let voided_path = t.pick_pdf_path("voided.pdf");
    for (command, args) in [
        ("labels_print", json!({"shipmentIds": [id], "layout": null})),
        (
            "labels_save_pdf",
            json!({"shipmentIds": [id], "layout": null, "path": voided_path}),
        ),
        ("label_download_again", json!({"shipmentId": id})),
        ("label_preview", json!({"shipmentId": id})),
    ] {
        let refused = t.err(command, args);
        assert_eq!(refused["code"], "CONFLICT", "{command}: {refused}");
        let message = refused["message"].as_str().unwrap();
        assert!(
            message.contains(tracking) && message.contains("was voided"),
            "{command}: {message}"
        );
    }
    assert_eq!(t.printer.job_names().len(), 1, "nothing more printed");
}

#[test]
fn packing_slips_are_printed_and_saved_as_pdf() {
    let t = TestApp::new();
    t.ok("ship_from_add", ship_from_input("Shop"));
    let a = order_to_chicago(&t, "#4001");
    let b = order_to_chicago(&t, "#4002");
    assert_eq!(
        t.ok(
            "packing_slips_print",
            json!({"orderIds": [a, b], "shipFromId": null})
        ),
        Value::Null
    );
    assert_eq!(t.printer.job_names(), ["packing-slips"]);
    assert!(t.printer.all_pdfs());

    let path = t.pick_pdf_path("slips.pdf");
    assert_eq!(
        t.ok(
            "packing_slips_save_pdf",
            json!({"orderIds": [a, b], "shipFromId": null, "path": path})
        ),
        Value::Null
    );
    assert!(read_pdf(&path).starts_with(b"%PDF"));
    let not_pdf = t.err(
        "packing_slips_save_pdf",
        json!({"orderIds": [a], "shipFromId": null, "path": t.path("slips.txt")}),
    );
    assert_eq!(not_pdf["code"], "VALIDATION", "{not_pdf}");
    assert!(!t.dir.path().join("slips.txt").exists());
}

#[test]
fn end_of_day_makes_a_scan_form_that_prints_saves_and_locks_its_labels() {
    let t = TestApp::new();
    t.ok("ship_from_add", ship_from_input("Shop"));
    let shipment = bought_label(&t, "#5001");
    assert_eq!(t.ok("scan_forms_list", json!({})), json!([]));

    let forms = t.ok(
        "scan_forms_create",
        json!({"mailingDate": null, "accountId": null}),
    );
    let form = &forms[0];
    assert_eq!(forms.as_array().unwrap().len(), 1, "{forms}");
    assert_eq!(form["label_count"], 1);
    assert_eq!(
        form["tracking_numbers"],
        json!([shipment["tracking_number"]])
    );
    assert!(!form["manifest_number"].as_str().unwrap().is_empty());
    assert_eq!(t.ok("scan_forms_list", json!({})), forms);
    let nothing_left = t.err(
        "scan_forms_create",
        json!({"mailingDate": null, "accountId": null}),
    );
    assert_eq!(nothing_left["code"], "VALIDATION");

    assert_eq!(
        t.ok("scan_form_print", json!({"id": form["id"]})),
        Value::Null
    );
    assert_eq!(t.printer.job_names(), [format!("scan-form-{}", form["id"])]);
    assert!(t.printer.all_pdfs());
    let path = t.pick_pdf_path("scan-form.pdf");
    assert_eq!(
        t.ok(
            "scan_form_save_pdf",
            json!({"id": form["id"], "path": path})
        ),
        Value::Null
    );
    assert!(read_pdf(&path).starts_with(b"%PDF"));
    assert_eq!(
        t.err("scan_form_print", json!({"id": 999}))["code"],
        "NOT_FOUND"
    );

    let refused = t.err("label_void", json!({"shipmentId": shipment["id"]}));
    assert_eq!(refused["code"], "CONFLICT");
    assert!(
        refused["message"].as_str().unwrap().contains("SCAN form"),
        "{refused}"
    );
}

#[test]
fn a_pickup_is_checked_prefilled_scheduled_listed_and_cancelled() {
    let t = TestApp::new();
    t.ok("ship_from_add", ship_from_input("Shop"));
    bought_label(&t, "#6001");
    bought_label(&t, "#6002");
    let eligibility = t.ok(
        "pickup_eligibility",
        json!({"shipFromId": null, "accountId": null}),
    );
    assert_eq!(eligibility["eligible"], true, "{eligibility}");
    assert!(eligibility["address"].is_object());

    let prefill = t.ok(
        "pickup_prefill",
        json!({"shipFromId": null, "pickupDate": null, "accountId": null}),
    );
    let counted: u64 = prefill["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 2, "{prefill}");
    assert_eq!(prefill["estimated_weight_lb"], "2.5");

    let pickup = t.ok(
        "pickup_schedule",
        json!({"input": {"pickup_date": prefill["pickup_date"],
            "packages": prefill["packages"], "estimated_weight_lb": prefill["estimated_weight_lb"],
            "package_location": "front_door"}}),
    );
    assert_eq!(pickup["status"], "scheduled");
    assert_eq!(pickup["package_count"], 2);
    assert_eq!(pickup["pickup_date"], prefill["pickup_date"]);
    assert!(!pickup["confirmation_number"].as_str().unwrap().is_empty());
    assert_eq!(t.ok("pickups_list", json!({})), json!([pickup]));

    let cancelled = t.ok("pickup_cancel", json!({"id": pickup["id"]}));
    assert_eq!(cancelled["status"], "canceled");
    assert_eq!(t.ok("pickups_list", json!({}))[0]["status"], "canceled");
    assert_eq!(
        t.err("pickup_cancel", json!({"id": pickup["id"]}))["code"],
        "CONFLICT"
    );
}

#[test]
fn a_batch_is_previewed_at_each_orders_weight_and_a_retry_buys_what_was_fixed() {
    let t = TestApp::new();
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = seen.clone();
    t.app
        .listen_any(crate::commands::shipping::BATCH_PROGRESS_EVENT, move |e| {
            sink.lock()
                .unwrap()
                .push(serde_json::from_str(e.payload()).unwrap());
        });
    let weighed = order_to_chicago(&t, "#7001");
    let mut unweighed = json!({
        "order_number": "#7002",
        "ship_to": address("Al Ruiz", "500 congress avenue", "Austin", "TX", "78701"),
        "items": [{"sku": null, "title": "Soap", "quantity": 1, "unit_price": null,
                   "weight_oz": null}],
        "tags": [],
        "notes": null
    });
    let unweighed_id = t.ok("orders_create", json!({"input": unweighed}))["id"].clone();
    let input = json!({"order_ids": [weighed, unweighed_id], "service": ground_advantage()});
    // No ship-from address yet: nothing can be priced or bought.
    for command in ["labels_batch_preview", "labels_buy_batch"] {
        let error = t.err(command, json!({"input": input, "options": null}));
        assert_eq!(error["code"], "VALIDATION", "{command}: {error}");
    }
    t.ok("ship_from_add", ship_from_input("Shop"));

    let preview = t.ok("labels_batch_preview", json!({"input": input}));
    assert_eq!(preview["to_buy"], 1, "{preview}");
    assert_eq!(preview["without_weight"], 1);
    assert_eq!(preview["lines"][0]["weight"], "order");
    assert_eq!(preview["lines"][0]["package"]["weight_oz"], "20");
    assert_eq!(preview["lines"][1]["weight"], "missing");
    assert_eq!(preview["lines"][1]["blocked"]["code"], "VALIDATION");
    assert_eq!(
        preview["total"], preview["lines"][0]["quote"]["price"],
        "the total prices the order that will be bought"
    );

    let report = t.ok("labels_buy_batch", json!({"input": input, "options": null}));
    assert_eq!(report["total"], 2);
    assert_eq!(report["bought"][0]["order_id"], weighed, "{report}");
    assert_eq!(report["bought"][0]["weight_oz"], "20");
    assert_eq!(report["bought"][0]["address_choice"], "standardized");
    assert_eq!(report["needs_attention"][0]["order_id"], unweighed_id);
    assert_eq!(report["needs_attention"][0]["reason"], "no_weight");
    let last = seen.lock().unwrap().last().cloned().expect("progress");
    assert_eq!(last["done"], 2);
    assert_eq!(last["total"], 2);
    assert_eq!(last["message"], "2 of 2");

    // The order gets a weight: "Retry failed" buys it at that weight.
    unweighed["items"][0]["weight_oz"] = json!("36");
    t.ok(
        "orders_update",
        json!({"id": unweighed_id, "input": unweighed}),
    );
    let retried = t.ok(
        "labels_batch_retry",
        json!({"report": report, "options": null}),
    );
    assert_eq!(retried["total"], 1, "{retried}");
    assert_eq!(retried["bought"][0]["order_id"], unweighed_id, "{retried}");
    assert_eq!(retried["bought"][0]["weight_oz"], "36");
    assert_eq!(
        t.ok("labels_batch_cancel", json!({})),
        Value::Null,
        "cancel with nothing running is fine"
    );
}

#[test]
fn an_order_abroad_gets_its_customs_form_prefilled_and_buys_with_it() {
    let t = TestApp::new();
    t.ok("ship_from_add", ship_from_input("Shop"));
    let mut to = address("Amelie Tremblay", "24 Sussex Dr", "Ottawa", "ON", "K1M 1M4");
    to["country"] = json!("CA");
    let input = json!({
        "order_number": "#3001",
        "ship_to": to,
        "items": [{"sku": "HC-1", "title": "Hand Cream", "quantity": 2, "unit_price": "12.50",
                   "weight_oz": "6"}],
        "tags": [],
        "notes": null
    });
    let order = t.ok("orders_create", json!({"input": input}))["id"].clone();
    let draft = t.ok("customs_draft", json!({"orderId": order}));
    assert_eq!(
        draft["declaration"]["items"][0]["description"],
        "Hand Cream"
    );
    assert_eq!(draft["declaration"]["items"][0]["value_usd"], "12.50");
    assert!(
        draft["missing"]["customs.items[0].hs_tariff"].is_string(),
        "{draft}"
    );

    let pmi = json!({"mail_class": "PRIORITY_MAIL_INTERNATIONAL", "rate_indicator": "SP",
                     "processing_category": "MACHINABLE"});
    let refused = t.err("label_buy", json!({"request": purchase(&order, &pmi)}));
    assert_eq!(refused["code"], "VALIDATION", "{refused}");
    let mut customs = draft["declaration"].clone();
    customs["items"][0]["hs_tariff"] = json!("330499");
    customs["items"][0]["origin_country"] = json!("US");
    let mut request = purchase(&order, &pmi);
    request["customs"] = customs;
    let bought = t.ok("label_buy", json!({"request": request}));
    let tracking = bought["shipment"]["tracking_number"].as_str().unwrap();
    assert!(tracking.ends_with("US"), "{bought}");
}
