//! Voids are journaled like purchases: a void USPS carried out whose local record failed stays
//! open (the label is not printed) until the next void of the label, or start-up, finishes it
//! with USPS's "already canceled"; two voids of one label at once are one void; a void that never
//! left is closed at start-up, not sent; a canceled label is never printed, saved or downloaded
//! as postage, and does not block a new label for its order.

use std::path::Path;

use serde_json::json;
use shipdesk_core::error::VoidRefusal;
use shipdesk_core::orders::OrderStatus;
use shipdesk_core::shipping::{Shipment, ShipmentStatus, ShippingService, VoidIntent, VoidJournal};
use shipdesk_core::{AppError, ErrorCode, ErrorDetails, Store};
use usps_sim::LedgerKind;

use crate::harness::Rig;

/// Makes storing a void's result fail the way a full disk or a broken database does, after USPS
/// has answered.
const REFUSE_VOID_RESULT: &str = "CREATE TRIGGER refuse_void_result BEFORE UPDATE OF status
    ON shipments WHEN NEW.status IN ('voided','refund_requested')
    BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END";

/// How many times the simulator's ledger records the label canceled (or refunded).
fn voids_at_usps(rig: &Rig, tracking_number: &str) -> usize {
    rig.sim
        .ledger()
        .iter()
        .filter(|e| {
            e.tracking_number == tracking_number
                && matches!(e.kind, LedgerKind::Canceled | LedgerKind::RefundRequested)
        })
        .count()
}

fn assert_in_progress(result: Result<impl std::fmt::Debug, AppError>) {
    let err = result.expect_err("a second void of the label at once");
    assert_eq!(err.code, ErrorCode::Conflict, "{err:?}");
    assert!(
        matches!(
            err.details.as_deref(),
            Some(ErrorDetails::NotVoidable {
                reason: VoidRefusal::InProgress,
                ..
            })
        ),
        "{err:?}"
    );
}

/// Every way the app and the CLI hand out a label document refuses this label with a CONFLICT
/// naming it and what happened to it.
async fn assert_not_postage(service: &ShippingService, s: &Shipment, says: &str) {
    let save_to = std::env::temp_dir().join(format!("void-journal-{}.pdf", s.tracking_number));
    let refusals = [
        ("print", service.print_labels(&[s.id], None, None).err()),
        (
            "save",
            service
                .save_labels_pdf(&[s.id], None, Path::new(&save_to))
                .err(),
        ),
        ("download", service.download_label_again(s.id).await.err()),
        ("original", service.label_original(s.id).err()),
        ("preview", service.label_preview(s.id).err()),
    ];
    for (path, refusal) in refusals {
        let err = refusal.unwrap_or_else(|| panic!("{path}: the label was handed out"));
        assert_eq!(err.code, ErrorCode::Conflict, "{path}: {err:?}");
        assert!(
            err.message.contains(&s.tracking_number) && err.message.contains(says),
            "{path}: {}",
            err.message
        );
    }
    assert!(!save_to.exists(), "nothing was saved");
}

#[tokio::test]
async fn a_void_usps_carried_out_but_not_recorded_is_finished_by_the_next_void() {
    let rig = Rig::start().await;
    let s = rig.one_label().await;
    rig.alter_database(REFUSE_VOID_RESULT, []);

    let err = rig.shipping.void_label(s.id).await.unwrap_err();
    assert!(err.message.contains("could not record"), "{err:?}");
    assert_eq!(
        voids_at_usps(&rig, &s.tracking_number),
        1,
        "USPS canceled it"
    );
    // The label is not shown as valid: its void is open, and it is not printed any more.
    let open = rig.shipping.shipment(s.id).unwrap();
    assert_eq!(open.status, ShipmentStatus::LabelCreated);
    assert!(open.void_pending);
    assert_eq!(rig.store.open_voids().unwrap().len(), 1);
    assert_not_postage(&rig.shipping, &open, "being voided").await;
    assert!(rig.printer.jobs.lock().unwrap().is_empty());

    // The database works again: voiding once more meets USPS's "already canceled" (160186),
    // which finishes the same void.
    rig.alter_database("DROP TRIGGER refuse_void_result", []);
    let done = rig.shipping.void_label(s.id).await.unwrap();
    assert_eq!(done.shipment.status, ShipmentStatus::Voided);
    assert!(!done.shipment.void_pending);
    assert_eq!(done.usps_status, "CANCELED");
    assert_eq!(
        voids_at_usps(&rig, &s.tracking_number),
        1,
        "voided exactly once"
    );
    assert!(rig.store.open_voids().unwrap().is_empty());
    assert_eq!(
        rig.desk.orders().get(s.order_id).unwrap().status,
        OrderStatus::AwaitingShipment
    );
    rig.assert_exactly_once();
    let again = rig.shipping.void_label(s.id).await.unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
}

#[tokio::test]
async fn start_up_finishes_a_void_whose_record_failed() {
    let mut rig = Rig::start().await;
    let s = rig.one_label().await;
    // Both the result and the note of why the void is open fail: the void stays leased to the
    // process that sent it.
    rig.alter_database(
        "CREATE TRIGGER refuse_after_send BEFORE UPDATE ON void_attempts WHEN OLD.state = 'sent'
         BEGIN SELECT RAISE(ABORT, 'database is locked'); END",
        [],
    );
    rig.shipping.void_label(s.id).await.unwrap_err();
    assert_eq!(voids_at_usps(&rig, &s.tracking_number), 1);
    assert!(rig.shipping.shipment(s.id).unwrap().void_pending);
    rig.alter_database("DROP TRIGGER refuse_after_send", []);

    // A second Shipdesk running beside it leaves the void to its live owner.
    let beside = rig.restarted_service().reconcile_voids().await.unwrap();
    assert_eq!(beside.in_progress_elsewhere.len(), 1, "{beside:?}");
    assert!(rig.shipping.shipment(s.id).unwrap().void_pending);

    // The app is killed and starts again: start-up reconciliation re-sends the void, USPS says
    // "already canceled", and the label is voided — once.
    rig.crash_and_restart();
    rig.shipping.reconcile_unfinished().await.unwrap();
    let voided = rig.shipping.shipment(s.id).unwrap();
    assert_eq!(voided.status, ShipmentStatus::Voided);
    assert!(!voided.void_pending);
    assert_eq!(voids_at_usps(&rig, &s.tracking_number), 1);
    assert!(rig.store.open_voids().unwrap().is_empty());
    assert_eq!(
        rig.desk.orders().get(s.order_id).unwrap().status,
        OrderStatus::AwaitingShipment
    );
    rig.assert_exactly_once();
}

#[tokio::test]
async fn a_refund_request_whose_record_failed_is_finished_by_the_next_void() {
    let rig = Rig::start().await;
    let s = rig.one_label().await;
    rig.control("manifest", json!({"tracking_numbers": [s.tracking_number]}))
        .await;
    rig.alter_database(REFUSE_VOID_RESULT, []);
    let err = rig.shipping.void_label(s.id).await.unwrap_err();
    assert!(err.message.contains("refund request"), "{err:?}");
    rig.alter_database("DROP TRIGGER refuse_void_result", []);

    // USPS refuses a second refund request the same day: that settles the void as refunded.
    let done = rig.shipping.void_label(s.id).await.unwrap();
    assert_eq!(done.shipment.status, ShipmentStatus::RefundRequested);
    assert_eq!(voids_at_usps(&rig, &s.tracking_number), 1);
    assert_not_postage(&rig.shipping, &done.shipment, "refund requested").await;
    // The order can be shipped with a new label.
    rig.shipping
        .buy_label(rig.request(s.order_id))
        .await
        .unwrap();
}

#[tokio::test]
async fn two_voids_of_one_label_at_once_are_one_void() {
    let rig = Rig::start().await;
    let s = rig.one_label().await;
    let t = rig.one_label().await;
    let cancel = |s: &Shipment| format!("DELETE /labels/v3/label/{}", s.tracking_number);
    for label in [&s, &t] {
        rig.control("latency", json!({"target": cancel(label), "millis": 500}))
            .await;
    }

    // In one app: the second finds the label's void in flight.
    let (first, second) =
        tokio::join!(rig.shipping.void_label(s.id), rig.shipping.void_label(s.id));
    let (done, refused) = if first.is_ok() {
        (first, second)
    } else {
        (second, first)
    };
    assert_eq!(done.unwrap().shipment.status, ShipmentStatus::Voided);
    assert_in_progress(refused);
    assert_eq!(voids_at_usps(&rig, &s.tracking_number), 1);

    // In two processes on one data directory: the void is leased to the one sending it.
    let other = rig.restarted_service();
    let (first, second) = tokio::join!(rig.shipping.void_label(t.id), other.void_label(t.id));
    let (done, refused) = if first.is_ok() {
        (first, second)
    } else {
        (second, first)
    };
    assert_eq!(done.unwrap().shipment.status, ShipmentStatus::Voided);
    assert_in_progress(refused);
    assert_eq!(voids_at_usps(&rig, &t.tracking_number), 1);
    rig.assert_exactly_once();
}

#[tokio::test]
async fn a_void_that_never_left_is_closed_at_start_up_not_sent() {
    let mut rig = Rig::start().await;
    let s = rig.one_label().await;
    // A process journals the void's intent and is killed before sending it.
    let path = rig.store.path().unwrap().to_path_buf();
    {
        let killed = Store::open_file(&path).unwrap();
        assert!(matches!(
            killed
                .record_void_intent(s.id, "2026-11-30T00:00:00Z")
                .unwrap(),
            VoidIntent::Created(_)
        ));
    }
    rig.crash_and_restart();
    let cancels_before = rig.sim_calls("labels");

    let report = rig.shipping.reconcile_voids().await.unwrap();
    assert_eq!(report.closed_unsent.len(), 1, "{report:?}");
    assert!(report.finished.is_empty(), "{report:?}");
    assert_eq!(rig.sim_calls("labels"), cancels_before, "nothing was sent");
    assert_eq!(voids_at_usps(&rig, &s.tracking_number), 0);
    // The label is as it was: valid, printable, its order shipped.
    let kept = rig.shipping.shipment(s.id).unwrap();
    assert_eq!(kept.status, ShipmentStatus::LabelCreated);
    assert!(!kept.void_pending);
    assert_eq!(rig.shipping.print_labels(&[s.id], None, None).unwrap(), 1);
    rig.assert_exactly_once();
}

#[tokio::test]
async fn a_void_usps_refuses_outright_is_closed_and_one_without_an_answer_stays_open() {
    let rig = Rig::start().await;
    let s = rig.one_label().await;
    let cancel = format!("DELETE /labels/v3/label/{}", s.tracking_number);

    // A refusal of the first send: nothing changed at USPS, the label stays valid.
    rig.control("fail", json!({"target": cancel, "status": 400, "count": 1}))
        .await;
    let refused = rig.shipping.void_label(s.id).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::UspsRejected, "{refused:?}");
    assert!(!rig.shipping.shipment(s.id).unwrap().void_pending);
    assert!(rig.store.open_voids().unwrap().is_empty());

    // USPS not answering: the void may have happened, so it stays open.
    rig.control(
        "fail",
        json!({"target": cancel, "status": 503, "count": 50}),
    )
    .await;
    let unknown = rig.shipping.void_label(s.id).await.unwrap_err();
    assert_ne!(unknown.code, ErrorCode::UspsRejected, "{unknown:?}");
    assert!(rig.shipping.shipment(s.id).unwrap().void_pending);
    assert_eq!(voids_at_usps(&rig, &s.tracking_number), 0);

    rig.clear_faults().await;
    let done = rig.shipping.void_label(s.id).await.unwrap();
    assert_eq!(done.shipment.status, ShipmentStatus::Voided);
    assert_eq!(voids_at_usps(&rig, &s.tracking_number), 1);
    rig.assert_exactly_once();
}

#[tokio::test]
async fn a_voided_label_is_not_postage_and_does_not_block_a_new_label() {
    let rig = Rig::start().await;
    let s = rig.one_label().await;
    let voided = rig.shipping.void_label(s.id).await.unwrap().shipment;
    assert_not_postage(&rig.shipping, &voided, "was voided").await;
    assert!(rig.printer.jobs.lock().unwrap().is_empty());
    // Printing it among other labels prints none of them.
    let other = rig.one_label().await;
    let err = rig
        .shipping
        .print_labels(&[other.id, voided.id], None, None)
        .unwrap_err();
    assert!(err.message.contains(&voided.tracking_number), "{err:?}");
    assert!(rig.printer.jobs.lock().unwrap().is_empty());

    let again = rig
        .shipping
        .buy_label(rig.request(s.order_id))
        .await
        .unwrap()
        .shipment;
    assert_ne!(again.tracking_number, s.tracking_number);
    assert_eq!(
        rig.shipping.print_labels(&[again.id], None, None).unwrap(),
        1
    );
    rig.assert_exactly_once();
}
