//! The path the app and the CLI take: `Desk` → `desk.shipping()` → `Connections` → the
//! in-process Sandbox simulator with its demo account. Faults are injected through the
//! simulator's `/__sim` controls; the connection state must follow the shipping calls.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use rust_decimal::Decimal;
use serde_json::{Value, json};
use shipdesk_core::carriers::ConnectionsConfig;
use shipdesk_core::error::AppResult;
use shipdesk_core::orders::{Address, LineItem, OrderInput};
use shipdesk_core::ports::url_like::HttpUrl;
use shipdesk_core::ports::{MemorySecretStore, Opener};
use shipdesk_core::shipping::{BatchInput, BatchOptions, ShipFromInput};
use shipdesk_core::{DataDir, Desk, ErrorCode};

use crate::harness::Rig;

/// The demo account signs in by itself; nothing may open a browser here.
struct NoBrowser;

impl Opener for NoBrowser {
    fn open(&self, url: &HttpUrl) -> AppResult<()> {
        panic!("unexpected browser launch: {}", url.as_str());
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn sim(desk: &Desk, method: reqwest::Method, path: &str, body: Value) -> Value {
    let base = desk.connections().sandbox_base_url().await.unwrap();
    reqwest::Client::new()
        .request(method, base.join(&format!("__sim/{path}")).unwrap())
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn sandbox_desk_buys_exactly_once_and_a_revoked_consent_asks_for_reconnect() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::builder(DataDir::at(dir.path()))
        .secrets(Arc::new(MemorySecretStore::default()))
        .opener(Arc::new(NoBrowser))
        .usps(ConnectionsConfig {
            redirect_port: free_port(),
            ..Default::default()
        })
        .sandbox(shipdesk_sandbox::UspsSimSandbox::host())
        .build()
        .unwrap();
    let shipping = desk.shipping();
    shipping
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
        .unwrap();
    let orders: Vec<i64> = (0..4)
        .map(|i| {
            desk.orders()
                .create(OrderInput {
                    order_number: format!("S{i}"),
                    ship_to: Address {
                        name: format!("Customer Number{i}"),
                        street1: "2516 W North Ave".into(),
                        city: "Chicago".into(),
                        state: "IL".into(),
                        zip5: "60647".into(),
                        country: "US".into(),
                        ..Default::default()
                    },
                    items: vec![LineItem {
                        sku: None,
                        title: "Widget".into(),
                        quantity: 1,
                        unit_price: None,
                        weight_oz: Some(Decimal::from(12)),
                        hs_tariff: None,
                        origin_country: None,
                        currency: None,
                    }],
                    ..Default::default()
                })
                .unwrap()
                .id
        })
        .collect();
    // The harness's request shape, without its simulator.
    let request = |order_id| {
        let mut r = Rig::request_shape(order_id);
        r.package.weight_oz = Decimal::from(12);
        r
    };

    sim(
        &desk,
        reqwest::Method::POST,
        "drop-label-response",
        json!({"count": 1}),
    )
    .await;
    let batch = BatchInput {
        order_ids: vec![orders[0], orders[1]],
        service: Some(request(orders[0]).rate),
        ..Default::default()
    };
    let report = shipping
        .buy_orders(
            &batch,
            &BatchOptions::default(),
            &|_| {},
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 2, "{report:#?}");
    assert!(report.bought.iter().all(|s| s.sample));

    // USPS consent revoked: the purchase stops with RECONNECT and the account says so.
    sim(&desk, reqwest::Method::POST, "revoke-consent", json!({})).await;
    let err = shipping.buy_label(request(orders[2])).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UspsReconnectRequired, "{err:?}");
    let account = desk.connections().default_account().unwrap();
    assert!(account.state.needs_reconnect(), "{:?}", account.state);
    assert_eq!(shipping.unfinished_purchases().unwrap(), 1);

    // Ledger == stored labels.
    let ledger = sim(&desk, reqwest::Method::GET, "ledger", json!({})).await;
    let mut charged: Vec<String> = ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "charged")
        .map(|e| e["tracking_number"].as_str().unwrap().to_owned())
        .collect();
    charged.sort();
    let mut stored: Vec<String> = report
        .bought
        .iter()
        .map(|s| s.tracking_number.clone())
        .collect();
    stored.sort();
    assert_eq!(charged, stored);
}
