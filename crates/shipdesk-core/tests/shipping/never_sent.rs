//! A purchase whose intent was committed but which never left the app (the app stopped in
//! between) charged nothing: a start-up closes it instead of buying it, a new Buy replaces it
//! with what the user asks for now, and a process holding a stale copy of it cannot send it.

use rust_decimal::Decimal;
use shipdesk_core::orders::Address;
use shipdesk_core::postage::{LabelOrder, PostageProvider};
use shipdesk_core::shipping::{Attempt, Intent, Lease, NewAttempt, PurchaseJournal, RateChoice};

use crate::harness::{ACCOUNT_ID, Rig, package};

/// Commits an intent for `order` exactly as a purchase does, and stops there, as if the app had
/// been killed before marking it sent.
fn intent_left_behind(rig: &Rig, order: i64, mail_class: &str) -> Attempt {
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
                customs: None,
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
        Intent::Created(a) => a,
        other => panic!("a fresh intent expected: {other:?}"),
    }
}

fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

#[tokio::test]
async fn start_up_closes_a_purchase_that_never_left_the_app() {
    let mut rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let attempt = intent_left_behind(&rig, order, "USPS_GROUND_ADVANTAGE").id;
    assert_eq!(rig.open_attempts(), 1);

    rig.crash_and_restart();
    let report = rig.shipping.reconcile_unfinished().await.unwrap();
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
async fn a_stale_copy_of_a_purchase_cannot_be_sent_or_closed() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let stale = intent_left_behind(&rig, order, "USPS_GROUND_ADVANTAGE");
    // The purchase is sent once; a copy read before that still says "sent 0 times".
    let sent = rig.store.mark_sent(&stale, "t1").unwrap();
    assert_eq!(sent.sends, 1);
    // The stale copy's compare-and-set matches nothing: an error, so it must not send, and it
    // cannot close or annotate what was sent.
    let reason = shipdesk_core::AppError::new(shipdesk_core::ErrorCode::Cancelled, "test");
    for refused in [
        rig.store.mark_sent(&stale, "t2").map(|_| ()),
        rig.store.close_failed(&stale, &reason, "t2"),
        rig.store.note_open_error(&stale, &reason, "t2"),
    ] {
        assert_eq!(
            refused.unwrap_err().code,
            shipdesk_core::ErrorCode::Conflict
        );
    }
    // The copy with the count the journal holds moves on.
    assert_eq!(rig.store.mark_sent(&sent, "t3").unwrap().sends, 2);
    assert_eq!(rig.open_attempts(), 1);
}

#[tokio::test]
async fn another_live_process_cannot_touch_a_purchase_it_does_not_own() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let attempt = intent_left_behind(&rig, order, "USPS_GROUND_ADVANTAGE");
    let sent = rig.store.mark_sent(&attempt, "t1").unwrap();

    // A second Shipdesk on the same data directory while the first is alive and owns it.
    let second = rig.restart();
    let journal: &dyn PurchaseJournal = second.store().as_ref();
    assert!(matches!(
        journal.take_lease(sent.id).unwrap(),
        Lease::HeldElsewhere
    ));
    let reason = shipdesk_core::AppError::new(shipdesk_core::ErrorCode::Cancelled, "test");
    assert_eq!(
        journal.close_failed(&sent, &reason, "t2").unwrap_err().code,
        shipdesk_core::ErrorCode::Conflict,
        "without the lease nothing changes"
    );
    let report = second.shipping().reconcile_unfinished().await.unwrap();
    assert_eq!(report.in_progress_elsewhere, [sent.id], "{report:?}");
    assert!(report.failed_attempts.is_empty() && report.recovered.is_empty());
    let listed = second.shipping().purchases_to_check().unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].in_progress, "{listed:?}");
    let err = second
        .shipping()
        .discard_purchase(sent.id)
        .await
        .unwrap_err();
    assert_eq!(err.code, shipdesk_core::ErrorCode::Conflict, "{err:?}");
    assert_eq!(rig.open_attempts(), 1);
    assert!(rig.charged().is_empty(), "nothing went to USPS");
}

#[tokio::test]
async fn a_lease_left_by_a_killed_process_is_taken_over_at_once() {
    let mut rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let attempt = intent_left_behind(&rig, order, "USPS_GROUND_ADVANTAGE");
    rig.store.mark_sent(&attempt, "t1").unwrap();
    rig.crash_and_restart();
    let listed = rig.shipping.purchases_to_check().unwrap();
    assert!(!listed[0].in_progress, "its owner is gone: {listed:?}");
    assert!(matches!(
        rig.store.take_lease(attempt.id).unwrap(),
        Lease::Taken(a) if a.sends == 1
    ));
}

#[tokio::test]
async fn an_expired_lease_of_a_live_process_can_be_taken() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let attempt = intent_left_behind(&rig, order, "USPS_GROUND_ADVANTAGE");
    rig.alter_database(
        "UPDATE purchase_attempts SET lease_until = unixepoch() - 1 WHERE id = ?1",
        [attempt.id],
    );
    let second = rig.restart();
    assert!(matches!(
        second.store().take_lease(attempt.id).unwrap(),
        Lease::Taken(_)
    ));
    // The first process lost it: its next step is refused.
    assert_eq!(
        rig.store.mark_sent(&attempt, "t2").unwrap_err().code,
        shipdesk_core::ErrorCode::Conflict
    );
}
