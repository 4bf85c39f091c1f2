//! The purchase journal's fault matrix applied to "Buy Postage": every fault Endicia or the
//! network can produce on a purchase (a refusal of each kind, a busy or unavailable service, a
//! replay refusal, an answer lost after Endicia applied the purchase, a slow answer) × whether
//! the process carried on or died and started again before the purchase was settled. After
//! each, once the account's registers can tell: nothing is left open, the simulator's ledger
//! equals the purchases the journal records as bought, the balance is the opening balance plus
//! those, and the next purchase goes through once.

mod endicia_common;

use std::sync::Arc;

use endicia_common::*;
use rust_decimal::Decimal;
use serde_json::json;
use shipdesk_core::Desk;
use shipdesk_core::carriers::endicia::{RecreditJournal, RecreditState};
use time::Duration;

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
            let mut desk = sandbox_desk(dir.path(), clock.clone(), true);
            let opening = login(&desk).await;
            match fault {
                Fault::None => {}
                Fault::Refused(code) => {
                    sim(
                        &desk,
                        "fail-next",
                        Some(json!({"method": "BuyPostageXML", "code": code})),
                    )
                    .await;
                }
                Fault::AnswerLost => {
                    sim(
                        &desk,
                        "drop-answer",
                        Some(json!({"method": "BuyPostageXML"})),
                    )
                    .await;
                }
                Fault::Slow => {
                    sim(
                        &desk,
                        "delay-next",
                        Some(json!({"method": "BuyPostageXML", "millis": 300})),
                    )
                    .await;
                }
            }
            let first = desk.endicia().buy_postage("25").await;
            match fault {
                Fault::Refused(_) => assert!(first.is_err(), "{case}: {first:?}"),
                _ => assert!(first.is_ok(), "{case}: {first:?}"),
            }
            if restart {
                drop(desk);
                desk = sandbox_desk(dir.path(), clock.clone(), true);
                login(&desk).await;
            }
            clock.advance(Duration::minutes(3));
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
