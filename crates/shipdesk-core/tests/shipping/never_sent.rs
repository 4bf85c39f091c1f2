//! A purchase whose intent was committed but which never left the app (the app stopped in
//! between) charged nothing: a start-up closes it instead of buying it, a new Buy replaces it
//! with what the user asks for now, and a process holding a stale copy of it cannot send it.

use rust_decimal::Decimal;
use shipdesk_core::orders::Address;
use shipdesk_core::postage::{LabelOrder, PostageProvider};
use shipdesk_core::shipping::{Intent, NewAttempt, PurchaseJournal, RateChoice};

use crate::harness::{ACCOUNT_ID, Rig, package};

/// Commits an intent for `order` exactly as a purchase does, and stops there, as if the app had
/// been killed before marking it sent.
fn intent_left_behind(rig: &Rig, order: i64, mail_class: &str) -> i64 {
    let provider: &dyn PostageProvider = rig.desk.connections().as_ref();
    let account = provider.account(ACCOUNT_ID).unwrap();
    let from = rig.shipping.ship_from(None).unwrap().address;
    let to: Address = rig.desk.orders().get(order).unwrap().ship_to;
    let rate = RateChoice::single_piece(mail_class);
    let pkg = package();
    let payload = provider
        .label_payload(
            &account,
            &LabelOrder {
                from: &from,
                to: &to,
                package: &pkg,
                rate: &rate,
                mailing_date: &today(),
                ignore_bad_address: false,
            },
        )
        .unwrap();
    let intent = rig
        .store
        .record_intent(
            &NewAttempt {
                order_id: order,
                account_id: ACCOUNT_ID,
                key: "left-behind-key",
                payload: &payload,
                mail_class,
                ship_from_id: None,
                package: &pkg,
                address_choice: "as_entered",
                ship_to: &to,
                additional_label: false,
            },
            "2026-11-30T00:00:00Z",
        )
        .unwrap();
    match intent {
        Intent::Created(a) => a.id,
        other => panic!("a fresh intent expected: {other:?}"),
    }
}

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

#[tokio::test]
async fn start_up_closes_a_purchase_that_never_left_the_app() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let attempt = intent_left_behind(&rig, order, "USPS_GROUND_ADVANTAGE");
    assert_eq!(rig.open_attempts(), 1);

    let report = rig
        .restarted_service()
        .reconcile_unfinished()
        .await
        .unwrap();
    assert_eq!(report.failed_attempts, [attempt], "{report:?}");
    assert!(
        report.recovered.is_empty(),
        "nothing may be bought: {report:?}"
    );
    assert_eq!(rig.open_attempts(), 0);
    assert!(rig.charged().is_empty(), "USPS charged nothing");
    rig.assert_exactly_once();
}

#[tokio::test]
async fn buying_again_replaces_a_never_sent_purchase_with_the_new_request() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    intent_left_behind(&rig, order, "USPS_GROUND_ADVANTAGE");

    let mut request = rig.request(order);
    request.rate = RateChoice::single_piece("PRIORITY_MAIL");
    let outcome = rig.shipping.buy_label(request).await.unwrap();
    assert!(!outcome.resumed_earlier_attempt);
    assert_eq!(
        outcome.shipment.mail_class, "PRIORITY_MAIL",
        "what was asked now"
    );
    assert!(outcome.shipment.postage > Decimal::ZERO);
    assert_eq!(rig.open_attempts(), 0);
    rig.assert_exactly_once();
}

#[tokio::test]
async fn a_stale_copy_of_a_purchase_cannot_be_sent() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let attempt = intent_left_behind(&rig, order, "USPS_GROUND_ADVANTAGE");
    // Two processes read the same open attempt (sent 0 times); the first sends it.
    assert!(rig.store.mark_sent(attempt, 0, "t1").unwrap());
    // The second still believes it was never sent: its compare-and-set fails, so it must not
    // send, and it cannot close what the first one sent.
    assert!(!rig.store.mark_sent(attempt, 0, "t2").unwrap());
    let reason = shipdesk_core::AppError::new(shipdesk_core::ErrorCode::Cancelled, "test");
    assert!(!rig.store.close_unsent(attempt, &reason, "t2").unwrap());
    // The one that sent it can send it again with the count it knows.
    assert!(rig.store.mark_sent(attempt, 1, "t3").unwrap());
    assert_eq!(rig.open_attempts(), 1);
}
