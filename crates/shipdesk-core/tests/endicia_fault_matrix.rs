//! The purchase journal's fault matrix applied to "Buy Postage": every fault Endicia or the
//! network can produce on a purchase (a refusal of each kind, a busy or unavailable service, a
//! replay refusal, an answer lost after Endicia applied the purchase, a slow answer) × whether
//! the process carried on or died and started again before the purchase was settled. After
//! each, once the account's registers can tell: nothing is left open, the simulator's ledger
//! equals the purchases the journal records as bought, the balance is the opening balance plus
//! those, and the next purchase goes through once.

use std::sync::{Arc, Mutex};

use rust_decimal::Decimal;
use serde_json::{Value, json};
use shipdesk_core::carriers::endicia::{Login, RecreditJournal, RecreditState};
use shipdesk_core::ports::{Clock, MemorySecretStore};
use shipdesk_core::{DataDir, Desk};
use time::{Duration, OffsetDateTime};

const DEMO: &str = "2500123";

#[derive(Default)]
struct MovableClock(Mutex<Duration>);

impl Clock for MovableClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + *self.0.lock().unwrap()
    }
}

/// What goes wrong with the purchase, as the simulator's controls set it up.
#[derive(Debug, Clone, Copy)]
enum Fault {
    None,
    /// `Status` = the code, nothing applied.
    Refused(u32),
    /// Applied, then the connection closed before the answer.
    AnswerLost,
    /// Answered after a while.
    Slow,
}

const FAULTS: [Fault; 8] = [
    Fault::None,
    Fault::Refused(12120), // the card was declined
    Fault::Refused(12128), // payment refused
    Fault::Refused(12133), // account locked by another transaction
    Fault::Refused(12130), // service unavailable
    Fault::Refused(12514), // replay detected
    Fault::AnswerLost,
    Fault::Slow,
];

fn desk(dir: &std::path::Path, clock: Arc<MovableClock>) -> Desk {
    Desk::builder(DataDir::at(dir))
        .secrets(Arc::new(MemorySecretStore::default()))
        .clock(clock)
        .sandbox(shipdesk_sandbox::UspsSimSandbox::host())
        .build()
        .unwrap()
}

async fn login(desk: &Desk) -> Decimal {
    desk.endicia()
        .login(Login {
            account_number: DEMO.into(),
            pass_phrase: Some("Shipdesk demo 2026".into()),
            remember: false,
        })
        .await
        .unwrap()
        .balance
}

async fn control(desk: &Desk, path: &str, body: Value) {
    let service = desk.connections().endicia_sandbox_url().await.unwrap();
    let answer = reqwest::Client::new()
        .post(service.join(&format!("/__sim/{path}")).unwrap())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "{path}: {}", answer.status());
}

async fn purchases_at_endicia(desk: &Desk) -> Vec<Decimal> {
    let service = desk.connections().endicia_sandbox_url().await.unwrap();
    let ledger: Value = reqwest::get(service.join("/__sim/ledger").unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut amounts: Vec<Decimal> = ledger
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["account_id"] == DEMO && e["kind"] == "Purchase")
        .map(|e| e["amount"].as_str().unwrap().parse().unwrap())
        .collect();
    amounts.sort();
    amounts
}

fn recorded_bought(desk: &Desk) -> Vec<Decimal> {
    let mut amounts: Vec<Decimal> = desk
        .store()
        .recredits(DEMO, 100)
        .unwrap()
        .into_iter()
        .filter(|p| p.state == RecreditState::Done)
        .map(|p| p.amount)
        .collect();
    amounts.sort();
    amounts
}

async fn assert_agree(desk: &Desk, opening: Decimal, case: &str) {
    let account = desk.endicia().account().await.unwrap();
    assert!(account.open_purchase.is_none(), "{case}: {account:?}");
    let bought = recorded_bought(desk);
    assert_eq!(
        bought,
        purchases_at_endicia(desk).await,
        "{case}: the ledger"
    );
    assert_eq!(
        account.balance,
        opening + bought.iter().sum::<Decimal>(),
        "{case}: the balance"
    );
}

#[tokio::test]
async fn every_fault_on_a_postage_purchase_ends_with_the_ledger_equal_to_the_journal() {
    let mut combinations = 0;
    for fault in FAULTS {
        for restart in [false, true] {
            let case = format!("{fault:?}, restarted: {restart}");
            let dir = tempfile::tempdir().unwrap();
            let clock = Arc::new(MovableClock::default());
            let mut desk = desk(dir.path(), clock.clone());
            let opening = login(&desk).await;
            match fault {
                Fault::None => {}
                Fault::Refused(code) => {
                    control(
                        &desk,
                        "fail-next",
                        json!({"method": "BuyPostageXML", "code": code}),
                    )
                    .await
                }
                Fault::AnswerLost => {
                    control(&desk, "drop-answer", json!({"method": "BuyPostageXML"})).await
                }
                Fault::Slow => {
                    control(
                        &desk,
                        "delay-next",
                        json!({"method": "BuyPostageXML", "millis": 300}),
                    )
                    .await
                }
            }
            let first = desk.endicia().buy_postage("25").await;
            match fault {
                Fault::Refused(_) => assert!(first.is_err(), "{case}: {first:?}"),
                _ => assert!(first.is_ok(), "{case}: {first:?}"),
            }
            if restart {
                drop(desk);
                desk = self::desk(dir.path(), clock.clone());
                login(&desk).await;
            }
            *clock.0.lock().unwrap() += Duration::minutes(3);
            assert_agree(&desk, opening, &case).await;

            // Nothing is stuck: the next purchase goes through, once.
            let next = desk.endicia().buy_postage("10").await.unwrap();
            assert_eq!(next.purchase.state, RecreditState::Done, "{case}");
            assert_agree(&desk, opening, &case).await;
            combinations += 1;
        }
    }
    println!("endicia purchase fault matrix: {combinations} combinations");
    assert_eq!(combinations, FAULTS.len() * 2);
}
