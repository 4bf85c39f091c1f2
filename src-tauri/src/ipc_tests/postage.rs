//! The Endicia postage account commands through tauri's mock IPC, against the Sandbox's Endicia
//! simulator: the demo login shown, log in (remembered or not), postage details, buying postage
//! (and the field error for an amount Endicia refuses), a purchase checked again, a pass phrase
//! change with a rule violation, the challenge question, unlock, log out and forget.

use serde_json::{Value, json};

use super::TestApp;

fn login(t: &TestApp, pass_phrase: &str, remember: bool) -> Value {
    t.ok(
        "postage_endicia_login",
        json!({"login": {"account_number": "2500123", "pass_phrase": pass_phrase, "remember": remember}}),
    )
}

#[test]
fn a_sandbox_desk_logs_in_to_endicia_buys_postage_and_changes_the_pass_phrase() {
    let t = TestApp::new();
    let remembered = t.ok("postage_endicia_remembered", json!({}));
    assert_eq!(remembered["account_number"], Value::Null, "{remembered}");
    assert_eq!(remembered["sandbox_demo"]["account_number"], "2500123");
    let demo_pass = remembered["sandbox_demo"]["pass_phrase"]
        .as_str()
        .unwrap()
        .to_owned();

    // Not logged in yet.
    let err = t.err("postage_endicia_account", json!({}));
    assert_eq!(err["code"], "ENDICIA_LOGIN_REQUIRED", "{err}");

    let account = login(&t, &demo_pass, true);
    assert_eq!(account["balance"], "100.00", "{account}");
    assert_eq!(account["status"], "Active");
    let remembered = t.ok("postage_endicia_remembered", json!({}));
    assert_eq!(remembered["account_number"], "2500123");
    assert_eq!(remembered["pass_phrase_remembered"], true);

    let bought = t.ok("postage_endicia_buy", json!({"amount": "$50"}));
    assert_eq!(bought["account"]["balance"], "150.00", "{bought}");
    assert_eq!(bought["purchase"]["state"], "done");
    let too_low = t.err("postage_endicia_buy", json!({"amount": "5"}));
    assert_eq!(too_low["code"], "VALIDATION", "{too_low}");
    assert!(
        too_low["details"]["fields"]["amount"].is_string(),
        "{too_low}"
    );
    let checked = t.ok(
        "postage_endicia_check_purchase",
        json!({"id": bought["purchase"]["id"]}),
    );
    assert_eq!(checked["state"], "done");

    // A pass phrase that is too short is refused beside its field.
    let short = t.err(
        "postage_endicia_change_pass_phrase",
        json!({"change": {"new_pass_phrase": "abc"}}),
    );
    assert!(
        short["details"]["fields"]["new_pass_phrase"].is_string(),
        "{short}"
    );
    t.ok(
        "postage_endicia_change_pass_phrase",
        json!({"change": {"new_pass_phrase": "A new pass phrase 1"}}),
    );
    t.ok("postage_endicia_logout", json!({}));
    // The remembered pass phrase is the new one: an empty field logs in with it.
    let again = t.ok(
        "postage_endicia_login",
        json!({"login": {"account_number": "2500123", "remember": true}}),
    );
    assert_eq!(again["balance"], "150.00", "{again}");

    let question = t.err(
        "postage_endicia_challenge_question",
        json!({"accountNumber": "2500123", "email": "wrong@example.com"}),
    );
    assert!(
        question["details"]["fields"]["email"].is_string(),
        "{question}"
    );
    let unlock = t.err(
        "postage_endicia_unlock",
        json!({"unlock": {"account_number": "2500123", "challenge_answer": "Rex", "new_pass_phrase": "x"}}),
    );
    assert_eq!(unlock["code"], "VALIDATION", "{unlock}");

    t.ok("postage_endicia_forget", json!({}));
    let forgotten = t.ok("postage_endicia_remembered", json!({}));
    assert_eq!(forgotten["account_number"], Value::Null, "{forgotten}");
}

#[test]
fn labels_are_paid_from_the_endicia_account_once_it_pays_for_them() {
    let t = TestApp::new();
    t.ok("ship_from_add", super::shipping::ship_from_input("Shop"));
    let demo_pass = t.ok("postage_endicia_remembered", json!({}))["sandbox_demo"]["pass_phrase"]
        .as_str()
        .unwrap()
        .to_owned();
    let account = login(&t, &demo_pass, false);
    assert_eq!(account["pays_labels"], false, "{account}");
    let paying = t.ok("postage_endicia_pay_labels", json!({"pays": true}));
    assert_eq!(paying["pays_labels"], true, "{paying}");

    // Buy postage automatically: a balance that is not an amount is refused beside its field.
    let bad = t.err(
        "postage_endicia_auto_buy",
        json!({"auto": {"below": "lots", "amount": "50"}}),
    );
    assert!(bad["details"]["fields"]["auto_below"].is_string(), "{bad}");
    let auto = t.ok(
        "postage_endicia_auto_buy",
        json!({"auto": {"below": "$20", "amount": "50"}}),
    );
    assert_eq!(auto["auto_buy"]["below"], "20", "{auto}");
    let off = t.ok("postage_endicia_auto_buy", json!({"auto": null}));
    assert_eq!(off["auto_buy"], Value::Null, "{off}");

    let order = super::shipping::order_to_chicago(&t, "#E100");
    let rates = t.ok(
        "rates_for_order",
        json!({"orderId": order, "package": null, "shipFromId": null, "shipTo": null,
               "accountId": null}),
    );
    assert_eq!(rates["paid_from"], "Endicia 2500123", "{rates}");
    let bought = t.ok(
        "label_buy",
        json!({"request": super::shipping::purchase(&order, &super::shipping::ground_advantage())}),
    );
    let postage: f64 = bought["shipment"]["postage"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let after = t.ok("postage_endicia_account", json!({}));
    let balance: f64 = after["balance"].as_str().unwrap().parse().unwrap();
    assert!((balance - (100.0 - postage)).abs() < 0.001, "{after}");

    let voided = t.ok(
        "label_void",
        json!({"shipmentId": bought["shipment"]["id"]}),
    );
    assert!(
        voided["usps_status"]
            .as_str()
            .unwrap()
            .contains("Refund approved"),
        "{voided}"
    );

    // Logged out: the next label asks every window to log in again; Remind Me Later hides the
    // prompt, not the need.
    t.ok("postage_endicia_logout", json!({}));
    let order = super::shipping::order_to_chicago(&t, "#E102");
    let lost = t.err(
        "label_buy",
        json!({"request": super::shipping::purchase(&order, &super::shipping::ground_advantage())}),
    );
    assert_eq!(lost["code"], "ENDICIA_LOGIN_REQUIRED", "{lost}");
    let snapshot = t.ok("carriers_connection_snapshot", json!({}));
    assert_eq!(
        snapshot["endicia"]["account_number"], "2500123",
        "{snapshot}"
    );
    assert_eq!(snapshot["endicia"]["prompt"], true);
    assert!(t.ok("postage_endicia_remind_later", json!({})).is_string());
    let snoozed = t.ok("carriers_connection_snapshot", json!({}));
    assert_eq!(snoozed["endicia"]["prompt"], false, "{snoozed}");
    login(&t, &demo_pass, false);
    let back = t.ok("carriers_connection_snapshot", json!({}));
    assert_eq!(back["endicia"], Value::Null, "{back}");

    // Back to the default USPS account (the Sandbox demo).
    let usps = t.ok("postage_endicia_pay_labels", json!({"pays": false}));
    assert_eq!(usps["pays_labels"], false);
    let rates = t.ok(
        "rates_for_order",
        json!({"orderId": super::shipping::order_to_chicago(&t, "#E101"), "package": null,
               "shipFromId": null, "shipTo": null, "accountId": null}),
    );
    assert_ne!(rates["paid_from"], "Endicia 2500123", "{rates}");
}
