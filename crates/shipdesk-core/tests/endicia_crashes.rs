//! A postage purchase interrupted by a crash, settled when Shipdesk starts again: a purchase
//! recorded but never sent is closed at once; one marked sent whose answer never came is held
//! (never sent again, no new purchase) until the account's registers can tell, then closed as
//! not applied — or as bought when Endicia had applied it. And two processes on one data
//! directory (the app and a CLI command, each with its own desk and Sandbox simulator) buy
//! once for two clicks. The simulator's ledger always agrees with the purchases recorded as
//! bought.

mod endicia_common;

use std::sync::Arc;

use endicia_common::*;
use rust_decimal::Decimal;
use shipdesk_core::carriers::endicia::{RecreditJournal, RecreditState};
use shipdesk_core::ports::Clock;
use shipdesk_core::{Desk, ErrorCode};
use time::Duration;

/// A desk over `dir`, as a process of its own.
fn desk(dir: &std::path::Path, clock: Arc<MovableClock>) -> Desk {
    sandbox_desk(dir, clock, true)
}

fn now_text(clock: &MovableClock) -> String {
    clock
        .now()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

#[tokio::test]
async fn purchases_a_crash_left_open_are_settled_and_never_sent_twice() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(MovableClock::default());
    let desk = desk(dir.path(), clock.clone());
    let before = login(&desk).await;
    assert_eq!(before, Decimal::from(100));
    let store = desk.store().clone();

    // Crashed after recording, before sending: closed as soon as the account is read.
    let intent = store
        .record_recredit(
            DEMO,
            Decimal::from(40),
            "crash-1",
            before,
            &now_text(&clock),
        )
        .unwrap();
    let account = desk.endicia().account().await.unwrap();
    assert!(account.open_purchase.is_none());
    assert_eq!(
        store.recredit(intent.id).unwrap().state,
        RecreditState::NotApplied
    );

    // Crashed after marking it sent: held until the registers can tell.
    let sent = store
        .record_recredit(
            DEMO,
            Decimal::from(30),
            "crash-2",
            before,
            &now_text(&clock),
        )
        .unwrap();
    store
        .mark_recredit_sent(sent.id, &now_text(&clock))
        .unwrap();
    let account = desk.endicia().account().await.unwrap();
    let open = account.open_purchase.expect("still open");
    assert_eq!(open.id, sent.id);
    assert!(open.message.unwrap().contains("never sent twice"));
    let blocked = desk.endicia().buy_postage("20").await.unwrap_err();
    assert_eq!(blocked.code, ErrorCode::Conflict, "{blocked:?}");

    // Two minutes on, Endicia's registers still show no such purchase: not applied.
    clock.advance(Duration::minutes(3));
    let settled = desk.endicia().check_purchase_again(sent.id).await.unwrap();
    assert_eq!(settled.state, RecreditState::NotApplied);

    // Restarted (a new desk on the same data): a purchase Endicia applied is found bought.
    let bought = desk.endicia().buy_postage("20").await.unwrap();
    assert_eq!(bought.account.balance, Decimal::from(120));
    drop(desk);
    let again = self::desk(dir.path(), clock.clone());
    login(&again).await;
    let purchases = again.endicia().account().await.unwrap().purchases;
    let bought: Vec<Decimal> = purchases
        .iter()
        .filter(|p| p.state == RecreditState::Done)
        .map(|p| p.amount)
        .collect();
    assert_eq!(bought, [Decimal::from(20)]);
}

fn bought(desk: &Desk) -> Vec<Decimal> {
    let mut amounts: Vec<Decimal> = desk
        .store()
        .recredits(DEMO, 100)
        .unwrap()
        .into_iter()
        .rev()
        .filter(|p| p.state == RecreditState::Done)
        .map(|p| p.amount)
        .collect();
    amounts.sort();
    amounts
}

#[tokio::test]
async fn killed_after_the_request_left_the_purchase_is_found_bought_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(MovableClock::default());
    let desk = desk(dir.path(), clock.clone());
    let before = login(&desk).await;
    let store = desk.store().clone();
    // The process recorded and sent the purchase, Endicia applied it, and the process died
    // before the answer was written down.
    let sent = store
        .record_recredit(
            DEMO,
            Decimal::from(45),
            "killed-1",
            before,
            &now_text(&clock),
        )
        .unwrap();
    store
        .mark_recredit_sent(sent.id, &now_text(&clock))
        .unwrap();
    let client = endicia::EndiciaClient::new(endicia::ClientConfig {
        service_url: desk.connections().endicia_sandbox_url().await.unwrap(),
        requester_id: "lxxx".into(),
        timeout: std::time::Duration::from_secs(10),
    })
    .unwrap();
    let credentials = endicia::Credentials {
        account_id: DEMO.into(),
        pass_phrase: endicia::Secret::new("Shipdesk demo 2026"),
    };
    client
        .buy_postage(&credentials, Decimal::from(45), &sent.request_id)
        .await
        .unwrap();
    drop(desk);

    let again = self::desk(dir.path(), clock);
    assert_eq!(login(&again).await, Decimal::from(145));
    assert_eq!(store.recredit(sent.id).unwrap().state, RecreditState::Done);
    assert_eq!(bought(&again), purchases_at_endicia(&again).await);
}

#[tokio::test]
async fn two_processes_on_one_data_directory_buy_once_for_two_clicks() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(MovableClock::default());
    // Each desk has its own database connections, secret store and Sandbox simulator, as the
    // app and a CLI command do; they share the data directory and the simulator's state file.
    let app = desk(dir.path(), clock.clone());
    let cli = self::desk(dir.path(), clock);
    login(&app).await;
    login(&cli).await;
    // The first purchase is still on its way when the second click comes, whichever it is.
    for desk in [&app, &cli] {
        let service = desk.connections().endicia_sandbox_url().await.unwrap();
        reqwest::Client::new()
            .post(service.join("/__sim/delay-next").unwrap())
            .json(&serde_json::json!({"method": "BuyPostageXML", "millis": 700}))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
    }
    let (a, b) = tokio::join!(
        app.endicia().buy_postage("30"),
        cli.endicia().buy_postage("30")
    );
    let results = [a.is_ok(), b.is_ok()];
    assert_eq!(results.iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
    let refused = a.err().or(b.err()).unwrap();
    assert_eq!(refused.code, ErrorCode::Conflict, "{refused:?}");
    // Each sees the one purchase, and Endicia holds exactly that.
    assert_eq!(
        app.endicia().account().await.unwrap().balance,
        Decimal::from(130)
    );
    assert_eq!(
        cli.endicia().account().await.unwrap().balance,
        Decimal::from(130)
    );
    assert_eq!(bought(&cli), [Decimal::from(30)]);
    assert_eq!(purchases_at_endicia(&app).await, bought(&app));
}
