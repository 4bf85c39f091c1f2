//! The fault matrix of label purchases against the simulator. After each case: the simulator's
//! ledger of charged labels equals the labels the app stored, no order has two labels, and
//! nothing charged is missing (`Rig::assert_exactly_once`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use serde_json::json;
use shipdesk_core::orders::{Address, LineItem, OrderInput};
use shipdesk_core::shipping::{BatchAddresses, BatchInput, BatchOptions, BatchProgress};
use shipdesk_core::{ErrorCode, ErrorDetails};

use crate::harness::{Rig, RigOptions};

fn quiet(_: BatchProgress) {}

#[tokio::test]
async fn dropped_connection_after_commit_gets_the_same_label_back() {
    let rig = Rig::start().await;
    let orders = rig.orders(6);
    rig.control("drop-label-response", json!({"count": 3}))
        .await;
    let report = rig
        .shipping
        .buy_orders(
            &rig.batch(&orders),
            &BatchOptions::default(),
            &quiet,
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 6, "{report:#?}");
    assert_eq!(rig.open_attempts(), 0);
    rig.assert_exactly_once();
    assert_eq!(rig.charged().len(), 6);
}

#[tokio::test]
async fn server_errors_retry_with_the_same_key_and_never_charge_twice() {
    let rig = Rig::start().await;
    let orders = rig.orders(2);
    // A short 503 burst is absorbed by the client's retries.
    rig.control(
        "fail",
        json!({"target": "labels", "status": 503, "count": 2}),
    )
    .await;
    rig.shipping
        .buy_label(rig.request(orders[0]))
        .await
        .unwrap();

    // A long 500 outage leaves the attempt open with its key...
    rig.control(
        "fail",
        json!({"target": "labels", "status": 500, "count": 50}),
    )
    .await;
    let err = rig
        .shipping
        .buy_label(rig.request(orders[1]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.code,
            ErrorCode::PurchaseOutcomeUnknown | ErrorCode::UspsUnavailable
        ),
        "{err:?}"
    );
    assert!(
        matches!(err.details.as_deref(), Some(ErrorDetails::Purchase { order_id, .. }) if *order_id == orders[1]),
        "{err:?}"
    );
    assert_eq!(rig.open_attempts(), 1);
    // ...and the next Buy finishes that same attempt once USPS is back.
    rig.clear_faults().await;
    let done = rig
        .shipping
        .buy_label(rig.request(orders[1]))
        .await
        .unwrap();
    assert!(done.resumed_earlier_attempt);
    assert_eq!(rig.open_attempts(), 0);
    rig.assert_exactly_once();
}

#[tokio::test]
async fn a_timed_out_purchase_is_reconciled_with_its_own_key() {
    let rig = Rig::start_with(RigOptions {
        request_timeout: Duration::from_millis(700),
        ..Default::default()
    })
    .await;
    let orders = rig.orders(2);
    // Warm up tokens so only the label call is slow.
    rig.shipping
        .buy_label(rig.request(orders[0]))
        .await
        .unwrap();
    rig.control("latency", json!({"target": "labels", "millis": 1500}))
        .await;
    let err = rig
        .shipping
        .buy_label(rig.request(orders[1]))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::PurchaseOutcomeUnknown, "{err:?}");
    assert_eq!(rig.open_attempts(), 1);
    assert!(rig.charged().len() <= 2);

    rig.clear_faults().await;
    let report = rig.shipping.reconcile_unfinished().await.unwrap();
    assert_eq!(report.recovered.len(), 1, "{report:?}");
    assert!(report.still_open.is_empty());
    assert_eq!(report.recovered[0].order_id, orders[1]);
    assert_eq!(rig.open_attempts(), 0);
    rig.assert_exactly_once();
    assert_eq!(rig.charged().len(), 2);
}

#[tokio::test]
async fn a_batch_waits_out_429_and_finishes_everything() {
    let rig = Rig::start().await;
    let orders = rig.orders(8);
    rig.control(
        "fail",
        json!({"target": "POST /labels/v3/label", "status": 429, "count": 3, "retry_after": 1}),
    )
    .await;
    let waited = AtomicU32::new(0);
    let seen_message = std::sync::Mutex::new(String::new());
    let progress = |p: BatchProgress| {
        if p.waiting_for_quota_secs.is_some() {
            waited.fetch_add(1, Ordering::Relaxed);
        }
        *seen_message.lock().unwrap() = p.message.clone();
    };
    let started = Instant::now();
    let report = rig
        .shipping
        .buy_orders(
            &rig.batch(&orders),
            &BatchOptions::default(),
            &progress,
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 8, "{report:#?}");
    assert!(report.connection_problems.is_empty() && report.stopped_because.is_none());
    assert!(waited.load(Ordering::Relaxed) >= 1);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(*seen_message.lock().unwrap(), "8 of 8");
    rig.assert_exactly_once();
}

#[tokio::test]
async fn reconnect_needed_mid_batch_stops_it_and_retry_finishes_without_duplicates() {
    let rig = Arc::new(Rig::start().await);
    let orders = rig.orders(12);
    rig.control("latency", json!({"target": "labels", "millis": 80}))
        .await;
    let trigger = Arc::new(tokio::sync::Notify::new());
    let fired = AtomicBool::new(false);
    let progress = |p: BatchProgress| {
        if p.bought >= 3 && !fired.swap(true, Ordering::SeqCst) {
            trigger.notify_one();
        }
    };
    let breaker = {
        let rig = rig.clone();
        let trigger = trigger.clone();
        tokio::spawn(async move {
            trigger.notified().await;
            rig.control(
                "fail",
                json!({"target": "labels", "status": 401, "count": 10_000}),
            )
            .await;
        })
    };
    let options = BatchOptions {
        concurrency: 2,
        ..Default::default()
    };
    let report = rig
        .shipping
        .buy_orders(
            &rig.batch(&orders),
            &options,
            &progress,
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    breaker.await.unwrap();
    let reason = report.stopped_because.clone().expect("the batch stopped");
    assert!(
        matches!(
            reason.code,
            ErrorCode::UspsReconnectRequired | ErrorCode::UspsNotEntitled
        ),
        "{reason:?}"
    );
    assert!(
        report.bought.len() >= 3 && report.bought.len() < 12,
        "{}",
        report.bought.len()
    );
    assert!(!report.not_started.is_empty());
    assert_eq!(
        report.bought.len() + report.connection_problems.len() + report.not_started.len(),
        12
    );
    rig.assert_exactly_once();

    // "Reconnect", then Retry failed.
    rig.clear_faults().await;
    let retry = rig
        .shipping
        .retry_batch(&report, &options, &quiet, &AtomicBool::new(false))
        .await
        .unwrap();
    assert_eq!(retry.bought.len() + report.bought.len(), 12, "{retry:#?}");
    assert_eq!(rig.open_attempts(), 0);
    rig.assert_exactly_once();
}

#[tokio::test]
async fn cancelling_a_batch_stops_new_purchases_and_records_those_in_flight() {
    let rig = Rig::start().await;
    let orders = rig.orders(10);
    rig.control("latency", json!({"target": "labels", "millis": 150}))
        .await;
    let cancel = AtomicBool::new(false);
    let progress = |p: BatchProgress| {
        if p.done >= 2 {
            cancel.store(true, Ordering::SeqCst);
        }
    };
    let options = BatchOptions {
        concurrency: 2,
        ..Default::default()
    };
    let report = rig
        .shipping
        .buy_orders(&rig.batch(&orders), &options, &progress, &cancel)
        .await
        .unwrap();
    assert!(report.cancelled);
    assert!(
        report.bought.len() >= 2 && report.bought.len() <= 4,
        "{}",
        report.bought.len()
    );
    assert_eq!(report.bought.len() + report.not_started.len(), 10);
    assert_eq!(rig.open_attempts(), 0);
    rig.assert_exactly_once();
}

#[tokio::test]
async fn usps_rejections_close_the_attempt_and_are_reported_apart() {
    let rig = Rig::start().await;
    let fine = rig.orders(1)[0];
    let order = |number: &str, ship_to: Address, weight_oz: i64| {
        rig.desk
            .orders()
            .create(OrderInput {
                order_number: number.into(),
                ship_to,
                items: vec![LineItem {
                    sku: None,
                    title: "Widget".into(),
                    quantity: 1,
                    unit_price: None,
                    weight_oz: Some(Decimal::from(weight_oz)),
                    hs_tariff: None,
                    origin_country: None,
                    currency: None,
                }],
                ..Default::default()
            })
            .unwrap()
            .id
    };
    // USPS refuses one label (its 400); Shipdesk itself holds a military address, whose label
    // needs a customs form, and refuses 75 lb.
    let refused = order("REFUSED1", rig.desk.orders().get(fine).unwrap().ship_to, 20);
    let military = order(
        "APO1",
        Address {
            name: "Sgt Lee".into(),
            street1: "Unit 2050 Box 4190".into(),
            city: "APO".into(),
            state: "AE".into(),
            zip5: "09012".into(),
            country: "US".into(),
            ..Default::default()
        },
        20,
    );
    let too_heavy = order(
        "HEAVY1",
        rig.desk.orders().get(fine).unwrap().ship_to,
        75 * 16,
    );
    let input = BatchInput {
        addresses: BatchAddresses::AsEntered,
        ..rig.batch(&[fine, refused, military, too_heavy])
    };
    // One at a time, so the second label request is the refused order's.
    rig.control(
        "fail",
        json!({"target": "labels", "status": 400, "skip": 1, "count": 1}),
    )
    .await;
    let report = rig
        .shipping
        .buy_orders(
            &input,
            &BatchOptions {
                concurrency: 1,
                ..BatchOptions::default()
            },
            &quiet,
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 1, "{report:#?}");
    assert_eq!(report.usps_rejections.len(), 1, "{report:#?}");
    assert_eq!(report.usps_rejections[0].order_id, refused);
    assert_eq!(
        report.usps_rejections[0].error.code,
        ErrorCode::UspsRejected
    );
    let mut held: Vec<i64> = report
        .validation_problems
        .iter()
        .map(|p| p.order_id)
        .collect();
    held.sort();
    assert_eq!(held, vec![military, too_heavy]);
    let apo = report
        .validation_problems
        .iter()
        .find(|p| p.order_id == military)
        .unwrap();
    assert!(
        apo.error.message.contains("customs form"),
        "{}",
        apo.error.message
    );
    assert_eq!(rig.open_attempts(), 0);
    let retry = report.retry_input();
    assert_eq!(retry.order_ids.len(), 3);
    assert_eq!(
        retry.addresses,
        BatchAddresses::AsEntered,
        "the same batch again"
    );
    rig.assert_exactly_once();
}

#[tokio::test]
async fn a_label_charged_but_never_answered_is_recovered_after_a_restart() {
    // One try per call, so the client does not recover the answer by itself.
    let rig = Rig::start_with(RigOptions {
        max_attempts: 1,
        ..Default::default()
    })
    .await;
    let order = rig.orders(1)[0];
    // USPS commits the label, then the connection drops: the app never sees an answer.
    rig.control("drop-label-response", json!({"count": 1}))
        .await;
    let err = rig
        .shipping
        .buy_label(rig.request(order))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::PurchaseOutcomeUnknown, "{err:?}");
    assert_eq!(rig.charged().len(), 1);
    assert!(rig.stored().is_empty());
    assert_eq!(rig.open_attempts(), 1);

    // "Restart": a new service over the same database reconciles at start-up.
    let restarted = rig.restarted_service();
    assert_eq!(restarted.unfinished_purchases().unwrap(), 1);
    let report = restarted.reconcile_unfinished().await.unwrap();
    assert_eq!(report.recovered.len(), 1);
    assert_eq!(rig.open_attempts(), 0);
    rig.assert_exactly_once();
    // The recovered label is the one USPS charged for.
    assert!(rig.charged().contains(&report.recovered[0].tracking_number));
}

#[tokio::test]
async fn discarding_an_unfinished_purchase_cancels_what_usps_made_and_frees_the_order() {
    let rig = Rig::start_with(RigOptions {
        max_attempts: 1,
        ..Default::default()
    })
    .await;
    let orders = rig.orders(2);
    // A: USPS made the label but the answer was lost.
    rig.control("drop-label-response", json!({"count": 1}))
        .await;
    rig.shipping
        .buy_label(rig.request(orders[0]))
        .await
        .unwrap_err();
    // B: USPS never made one (server errors).
    rig.control(
        "fail",
        json!({"target": "POST /labels/v3/label", "status": 500, "count": 1}),
    )
    .await;
    rig.shipping
        .buy_label(rig.request(orders[1]))
        .await
        .unwrap_err();
    assert_eq!(rig.open_attempts(), 2);

    let a = rig
        .shipping
        .discard_unfinished_purchase(orders[0])
        .await
        .unwrap();
    assert!(a.canceled_label.is_some(), "{a:?}");
    let b = rig
        .shipping
        .discard_unfinished_purchase(orders[1])
        .await
        .unwrap();
    assert_eq!(b.canceled_label, None, "{b:?}");
    assert_eq!(rig.open_attempts(), 0);
    assert!(
        rig.charged().is_empty(),
        "the lost label was canceled at USPS"
    );
    let nothing = rig
        .shipping
        .discard_unfinished_purchase(orders[0])
        .await
        .unwrap_err();
    assert_eq!(nothing.code, ErrorCode::NotFound);

    // The user buys differently now, with fresh attempts.
    for &o in &orders {
        let mut r = rig.request(o);
        r.rate = shipdesk_core::shipping::RateChoice::single_piece("PRIORITY_MAIL");
        let bought = rig.shipping.buy_label(r).await.unwrap();
        assert!(!bought.resumed_earlier_attempt);
        assert_eq!(bought.shipment.mail_class, "PRIORITY_MAIL");
    }
    rig.assert_exactly_once();
}
