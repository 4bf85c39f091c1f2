//! `shipdesk carriers remove` run as the real binary on an account whose label purchase is not
//! finished: refused, the order named, exit status 1, and the account still there.

use std::process::{Command, Output};

use rust_decimal::Decimal;
use serde_json::{Value, json};
use shipdesk_core::orders::{Address, LineItem, OrderInput};
use shipdesk_core::postage::{LabelOrder, PostageProvider};
use shipdesk_core::shipping::{Intent, NewAttempt, PurchaseJournal, RateChoice, ShipFromInput};

fn run(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shipdesk"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("SHIPDESK_DATA_DIR")
        .env("SHIPDESK_SECRETS", "memory")
        .output()
        .unwrap()
}

/// Order #5001 and a purchase of its label through the default account, journaled (its intent
/// committed) and not finished, as a purchase the app is making — or was making when it
/// stopped — is.
fn leave_purchase_unfinished(data: &std::path::Path) {
    let desk = shipdesk_core::Desk::builder(shipdesk_core::DataDir::at(data))
        .secrets(std::sync::Arc::new(
            shipdesk_core::ports::MemorySecretStore::default(),
        ))
        .build()
        .unwrap();
    let from = desk
        .shipping()
        .add_ship_from(ShipFromInput {
            nickname: "Shop".into(),
            address: Address {
                name: "John Smith".into(),
                street1: "4120 Bingham Ave".into(),
                city: "Saint Louis".into(),
                state: "MO".into(),
                zip5: "63116".into(),
                country: "US".into(),
                ..Default::default()
            },
            is_default: true,
        })
        .unwrap()
        .address;
    let order = desk
        .orders()
        .create(OrderInput {
            order_number: "#5001".into(),
            ship_to: Address {
                name: "Ann Customer".into(),
                street1: "500 Congress Ave".into(),
                city: "Austin".into(),
                state: "TX".into(),
                zip5: "78701".into(),
                country: "US".into(),
                ..Default::default()
            },
            items: vec![LineItem {
                sku: None,
                title: "Widget".into(),
                quantity: 1,
                unit_price: Some(Decimal::from(10)),
                weight_oz: Some(Decimal::from(20)),
                hs_tariff: None,
                origin_country: None,
                currency: None,
            }],
            ..Default::default()
        })
        .unwrap();
    let provider: &dyn PostageProvider = desk.connections().as_ref();
    let account = provider.default_account().unwrap();
    let rate = RateChoice::single_piece("USPS_GROUND_ADVANTAGE");
    let package = desk.shipping().default_package(&order).unwrap();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let payload = provider
        .label_payload(
            &account,
            &LabelOrder {
                from: &from,
                to: &order.ship_to,
                customs: None,
                package: &package,
                rate: &rate,
                mailing_date: &today,
                ignore_bad_address: false,
            },
        )
        .unwrap();
    let journal: &dyn PurchaseJournal = desk.store().as_ref();
    let intent = journal
        .record_intent(
            &NewAttempt {
                order_id: order.id,
                account_id: account.id,
                key: "0b9c4f7e-5d1a-4e8b-9a37-2c6f1e0d8b51",
                payload: &payload,
                mail_class: &rate.mail_class,
                ship_from_id: None,
                package: &package,
                address_choice: "as_entered",
                ship_to: &order.ship_to,
                additional_label: false,
            },
            "2026-11-30T00:00:00Z",
        )
        .unwrap();
    assert!(matches!(intent, Intent::Created(_)), "{intent:?}");
}

#[test]
fn remove_is_refused_while_a_purchase_is_unfinished() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A fresh data directory gets the Sandbox demo account (the default).
    assert!(run(&data, &["carriers", "list"]).status.success());
    leave_purchase_unfinished(&data);

    let out = run(&data, &["carriers", "remove", "Sandbox demo"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: 'Sandbox demo' cannot be removed yet")
            && stderr.contains("order #5001")
            && stderr.contains("Shipments › Purchases to check"),
        "{stderr}"
    );

    let out = run(&data, &["--json", "carriers", "remove", "1"]);
    assert_eq!(out.status.code(), Some(1));
    let error: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["code"], "CONFLICT", "{error}");
    assert_eq!(
        error["details"],
        json!({"kind": "account_has_open_purchases", "account_id": 1,
               "order_numbers": ["#5001"]})
    );

    let out = run(&data, &["--json", "carriers", "list"]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["nickname"], "Sandbox demo", "{list}");
}
