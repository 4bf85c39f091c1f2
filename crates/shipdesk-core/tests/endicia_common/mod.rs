//! What the Endicia tests share: the demo account, a wall clock the test moves forward, a
//! Sandbox desk over a data directory (a second desk on the same directory is a second process),
//! the login, and the Endicia simulator's controls and ledger.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use rust_decimal::Decimal;
use serde_json::Value;
use shipdesk_core::carriers::endicia::Login;
use shipdesk_core::ports::{Clock, MemorySecretStore};
use shipdesk_core::{DataDir, Desk};
use time::{Duration, OffsetDateTime};

pub const DEMO: &str = "2500123";
pub const DEMO_PASS: &str = "Shipdesk demo 2026";

/// The wall clock, moved forward by the test.
#[derive(Default)]
pub struct MovableClock(Mutex<Duration>);

impl MovableClock {
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for MovableClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + *self.0.lock().unwrap()
    }
}

/// A Sandbox desk over `dir` (its demo USPS account only when `usps_demo`).
pub fn sandbox_desk(dir: &std::path::Path, clock: Arc<MovableClock>, usps_demo: bool) -> Desk {
    Desk::builder(DataDir::at(dir))
        .secrets(Arc::new(MemorySecretStore::default()))
        .clock(clock)
        .usps(shipdesk_core::carriers::ConnectionsConfig {
            sandbox_demo_account: usps_demo,
            ..Default::default()
        })
        .sandbox(shipdesk_sandbox::UspsSimSandbox::host())
        .build()
        .unwrap()
}

/// Logs in to the demo account for the session; its balance.
pub async fn login(desk: &Desk) -> Decimal {
    desk.endicia()
        .login(Login {
            account_number: DEMO.into(),
            pass_phrase: Some(DEMO_PASS.into()),
            remember: false,
        })
        .await
        .unwrap()
        .balance
}

/// POSTs (or GETs, without a body) a control of the desk's Endicia simulator.
pub async fn sim(desk: &Desk, path: &str, body: Option<Value>) -> Value {
    let service = desk.connections().endicia_sandbox_url().await.unwrap();
    let url = service.join(&format!("/__sim/{path}")).unwrap();
    let client = reqwest::Client::new();
    let request = match body {
        Some(body) => client.post(url).json(&body),
        None => client.get(url),
    };
    let answer = request.send().await.unwrap();
    assert!(answer.status().is_success(), "{path}: {}", answer.status());
    answer.json().await.unwrap_or(Value::Null)
}

/// The simulator's ledger entries of `kind` (`Purchase`, `Label`, `RefundCredit`) for the demo
/// account, in order.
pub async fn ledger(desk: &Desk, kind: &str) -> Vec<Value> {
    sim(desk, "ledger", None)
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["account_id"] == DEMO && e["kind"] == kind)
        .cloned()
        .collect()
}

/// The postage purchases Endicia applied to the demo account, smallest first.
pub async fn purchases_at_endicia(desk: &Desk) -> Vec<Decimal> {
    let mut amounts: Vec<Decimal> = ledger(desk, "Purchase")
        .await
        .iter()
        .map(|e| e["amount"].as_str().unwrap().parse().unwrap())
        .collect();
    amounts.sort();
    amounts
}
