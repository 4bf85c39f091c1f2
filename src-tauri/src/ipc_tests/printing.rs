//! Settings › Printing over IPC: the system's printers, a printer per kind of document (used
//! whenever a print names none), the error contract for a name that is not one, test pages.

use serde_json::{Value, json};

use super::TestApp;
use super::shipping::{order_to_chicago, ship_from_input};

#[test]
fn each_kind_of_document_prints_on_its_chosen_printer_and_a_test_page_shows_it() {
    let t = TestApp::new();
    let setup = t.ok("printing_setup", json!({}));
    assert_eq!(
        setup["printers"],
        json!([{"name": "Laser_Office", "is_default": true}, {"name": "Rollo_X1040", "is_default": false}])
    );
    assert_eq!(
        setup["choices"]["labels"],
        Value::Null,
        "the system default at first"
    );
    assert_eq!(setup["problem"], Value::Null);

    let saved = t.ok(
        "printing_set_choices",
        json!({"choices": {"labels": " Rollo_X1040 ", "packing_slips": "Laser_Office", "scan_forms": ""}}),
    );
    assert_eq!(
        saved,
        json!({"labels": "Rollo_X1040", "packing_slips": "Laser_Office", "scan_forms": null})
    );
    assert_eq!(t.ok("printing_setup", json!({}))["choices"], saved);

    assert_eq!(
        t.ok("printing_test_page", json!({"kind": "labels"})),
        "Rollo_X1040"
    );
    assert_eq!(
        t.ok("printing_test_page", json!({"kind": "scan_forms"})),
        Value::Null,
        "the system default printer"
    );
    // A print that names no printer goes to its kind's printer.
    t.ok("ship_from_add", ship_from_input("Shop"));
    let order = order_to_chicago(&t, "#9101");
    t.ok(
        "packing_slips_print",
        json!({"orderIds": [order], "shipFromId": null}),
    );
    assert_eq!(
        t.printer.targets(),
        [
            Some("Rollo_X1040".to_owned()),
            None,
            Some("Laser_Office".to_owned())
        ]
    );
    assert!(t.printer.all_pdfs());

    let refused = t.err(
        "printing_set_choices",
        json!({"choices": {"labels": "-o raw", "packing_slips": null, "scan_forms": null}}),
    );
    assert_eq!(refused["code"], "VALIDATION");
    assert!(
        refused["details"]["fields"]["labels"].is_string(),
        "{refused}"
    );
    assert_eq!(
        t.ok("printing_setup", json!({}))["choices"]["labels"],
        "Rollo_X1040",
        "a refused choice changes nothing"
    );
}
