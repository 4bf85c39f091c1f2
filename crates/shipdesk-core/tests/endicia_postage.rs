//! The Endicia postage account through the desk, against the Sandbox's Endicia simulator: log
//! in (remembered only in the secret store), and "Buy Postage" exactly once under every fault —
//! a refusal, a busy account, an answer lost after Endicia applied it, two clicks at once — with
//! the simulator's ledger equal to the purchases the journal records as bought.

mod carriers_common;
mod endicia_common;

use carriers_common::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use shipdesk_core::ErrorCode;
use shipdesk_core::carriers::endicia::{Login, RecreditState};

use endicia_common::{DEMO, DEMO_PASS};

impl Harness {
    /// POST (or GET, with no body) an Endicia simulator control.
    async fn endicia_sim(&self, path: &str, body: Option<Value>) -> Value {
        endicia_common::sim(&self.desk, path, body).await
    }

    /// The simulator's postage purchases for the demo account, as amounts, in order.
    async fn recredits_at_endicia(&self) -> Vec<Decimal> {
        endicia_common::ledger(&self.desk, "Purchase")
            .await
            .iter()
            .map(|e| e["amount"].as_str().unwrap().parse().unwrap())
            .collect()
    }
}

async fn logged_in() -> Harness {
    let h = Harness::new(Browser::Idle);
    let account = h
        .desk
        .endicia()
        .login(Login {
            account_number: DEMO.into(),
            pass_phrase: Some(DEMO_PASS.into()),
            remember: false,
        })
        .await
        .unwrap();
    assert_eq!(account.balance, Decimal::new(10000, 2));
    h
}

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

#[tokio::test]
async fn every_purchase_endicia_applied_is_recorded_once_and_nothing_else() {
    let h = logged_in().await;
    let endicia = h.desk.endicia();

    let bought = endicia.buy_postage("50").await.unwrap();
    assert_eq!(bought.purchase.state, RecreditState::Done);
    assert_eq!(bought.account.balance, d(150));

    // Refused by Endicia: recorded as refused, nothing bought.
    let refused = endicia.buy_postage("1000").await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Validation, "{refused:?}");

    // Busy: refused, nothing bought.
    h.endicia_sim(
        "fail-next",
        Some(json!({"method": "BuyPostageXML", "code": 12133})),
    )
    .await;
    let busy = endicia.buy_postage("20").await.unwrap_err();
    assert_eq!(busy.code, ErrorCode::EndiciaUnavailable, "{busy:?}");

    // Applied, then the answer lost: settled from the registers, never sent again.
    h.endicia_sim("drop-answer", Some(json!({"method": "BuyPostageXML"})))
        .await;
    let lost = endicia.buy_postage("25").await.unwrap();
    assert_eq!(lost.purchase.state, RecreditState::Done);
    assert_eq!(lost.account.balance, d(175), "{lost:?}");
    assert!(lost.message.contains("answer was lost"), "{}", lost.message);

    // Two clicks at once: one purchase.
    // The first purchase is still on its way when the second click comes.
    h.endicia_sim(
        "delay-next",
        Some(json!({"method": "BuyPostageXML", "millis": 700})),
    )
    .await;
    let (a, b) = tokio::join!(endicia.buy_postage("10"), endicia.buy_postage("10"));
    assert!(
        a.is_ok() != b.is_ok(),
        "exactly one of two clicks buys: {a:?} {b:?}"
    );
    let conflict = a.err().or(b.err()).unwrap();
    assert_eq!(conflict.code, ErrorCode::Conflict, "{conflict:?}");

    let account = endicia.account().await.unwrap();
    assert_eq!(account.balance, d(185));
    let recorded: Vec<Decimal> = account
        .purchases
        .iter()
        .rev()
        .filter(|p| p.state == RecreditState::Done)
        .map(|p| p.amount)
        .collect();
    assert_eq!(recorded, [d(50), d(25), d(10)]);
    assert_eq!(
        h.recredits_at_endicia().await,
        recorded,
        "the ledger agrees"
    );
}

#[tokio::test]
async fn the_remembered_login_lives_in_the_secret_store_and_forgetting_deletes_it() {
    let h = Harness::new(Browser::Idle);
    let endicia = h.desk.endicia();
    endicia
        .login(Login {
            account_number: DEMO.into(),
            pass_phrase: Some(DEMO_PASS.into()),
            remember: true,
        })
        .await
        .unwrap();
    assert_eq!(h.secrets.find("/pass-phrase").as_deref(), Some(DEMO_PASS));
    assert_eq!(h.secrets.find("/account-number").as_deref(), Some(DEMO));
    let remembered = endicia.remembered().await.unwrap();
    assert_eq!(remembered.account_number.as_deref(), Some(DEMO));
    assert!(remembered.pass_phrase_remembered);
    // Not in the database.
    assert!(!contains(&h.database_bytes(), DEMO_PASS));
    endicia.logout().await;
    assert_eq!(endicia.login_remembered().await.unwrap().balance, d(100));

    // A wrong pass phrase: login required, and nothing remembered changes.
    let wrong = endicia
        .login(Login {
            account_number: DEMO.into(),
            pass_phrase: Some("not the pass phrase".into()),
            remember: true,
        })
        .await
        .unwrap_err();
    assert_eq!(wrong.code, ErrorCode::EndiciaLoginRequired, "{wrong:?}");

    endicia.forget().unwrap();
    assert!(endicia.remembered().await.unwrap().account_number.is_none());
}
