//! A postage purchase interrupted by a crash, settled when Shipdesk starts again: a purchase
//! recorded but never sent is closed at once; one marked sent whose answer never came is held
//! (never sent again, no new purchase) until the account's registers can tell, then closed as
//! not applied — or as bought when Endicia had applied it. The simulator's ledger always agrees
//! with the purchases recorded as bought.

use std::sync::{Arc, Mutex};

use rust_decimal::Decimal;
use shipdesk_core::carriers::endicia::{Login, RecreditJournal, RecreditState};
use shipdesk_core::ports::{Clock, MemorySecretStore};
use shipdesk_core::{DataDir, Desk, ErrorCode};
use time::{Duration, OffsetDateTime};

const DEMO: &str = "2500123";

/// The wall clock, moved forward by the test.
#[derive(Default)]
struct MovableClock(Mutex<Duration>);

impl MovableClock {
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for MovableClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + *self.0.lock().unwrap()
    }
}

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
