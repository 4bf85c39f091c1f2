//! The fault matrix: a purchase is paused at each journal step, something goes wrong there, and
//! USPS misbehaves in one of several ways; then everything restarts and settles. Whatever the
//! combination, the simulator's ledger must equal the stored labels (no charge without a label,
//! never two labels for the order) and the order must be shipped, buyable (and then bought
//! exactly once), or listed under Purchases to check.
//!
//! Pauses are deterministic: the desk's purchase observer parks the purchase at a journal step,
//! and the simulator holds the request once it has arrived ("on the wire": sent, not answered,
//! nothing made at USPS yet), until the test has done its damage, so nothing here sleeps to hit
//! a window. Each combination runs
//! on its own simulator and data directory; one test per kind of fault runs its combinations
//! concurrently and prints how many it ran and how long they took.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use shipdesk_core::error::ErrorCode;
use shipdesk_core::orders::OrderStatus;
use shipdesk_core::shipping::{Attempt, PurchaseObserver, PurchaseStep, ShipmentStore, StepFuture};
use tokio::sync::{Notify, Semaphore};
use usps_sim::LabelHold;

use crate::harness::{ACCOUNT_ID, Rig, RigOptions};

/// What goes wrong while the purchase is parked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// The process is killed (SIGKILL: nothing tidied up) and the app started again.
    Killed,
    /// A second Shipdesk on the same data directory reconciles and tries to buy the order.
    SecondProcess,
    /// The user (in a second window) tries to remove the paying account.
    AccountRemoved,
    /// Another program holds the database's write lock for 10 s, longer than the busy timeout.
    DatabaseLocked,
    /// Every write to the journal and the labels fails, as on a full disk.
    WritesFail,
}

/// How USPS answers the purchase's first send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Usps {
    Normal,
    /// 503 Service Unavailable.
    ServerError,
    /// No answer before the client gives up.
    Timeout,
    /// The label is made and charged, then the connection drops without an answer.
    DropAfterCommit,
    /// 409: a request with this key is in progress.
    InProgress,
    /// The first send's answer is lost after USPS charged it; the repeat is refused with a 400
    /// (a mailing date now in the past, say) — which says nothing about the first send.
    RefusedOnRepeat,
}

/// Where the package goes: a domestic label, or a label abroad with its customs form (another
/// USPS API, the same journal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destination {
    Home,
    Abroad,
}

impl Destination {
    /// The simulator's name for the labels API the purchase goes to.
    fn labels_api(self) -> &'static str {
        match self {
            Destination::Home => "labels",
            Destination::Abroad => "international-labels",
        }
    }
}

/// Where the purchase is parked when the fault strikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Journal(PurchaseStep),
    /// The request has reached USPS, which has not made the label yet.
    OnTheWire,
}

const STEPS: [Step; 5] = [
    Step::Journal(PurchaseStep::IntentCommitted),
    Step::Journal(PurchaseStep::SentCommitted),
    Step::OnTheWire,
    Step::Journal(PurchaseStep::AnswerReceived),
    Step::Journal(PurchaseStep::LabelCommitted),
];

/// The journal steps (the simulator holds only domestic label requests on the wire).
const JOURNAL_STEPS: [Step; 4] = [
    Step::Journal(PurchaseStep::IntentCommitted),
    Step::Journal(PurchaseStep::SentCommitted),
    Step::Journal(PurchaseStep::AnswerReceived),
    Step::Journal(PurchaseStep::LabelCommitted),
];

const USPS: [Usps; 6] = [
    Usps::Normal,
    Usps::ServerError,
    Usps::Timeout,
    Usps::DropAfterCommit,
    Usps::InProgress,
    Usps::RefusedOnRepeat,
];

/// Parks the first purchase that reaches `step` until released.
struct PauseAt {
    step: PurchaseStep,
    parked: Notify,
    release: Notify,
    hit: AtomicBool,
}

impl PurchaseObserver for PauseAt {
    fn reached<'a>(&'a self, step: PurchaseStep, _: &'a Attempt) -> StepFuture<'a> {
        Box::pin(async move {
            if step == self.step && !self.hit.swap(true, Ordering::SeqCst) {
                self.parked.notify_one();
                self.release.notified().await;
            }
        })
    }
}

/// The purchase's parking place: a journal step (the observer) or the simulator's hold.
enum Parking {
    Journal(Arc<PauseAt>),
    Wire(Arc<LabelHold>),
}

impl Parking {
    async fn reached(&self) {
        match self {
            Parking::Journal(pause) => pause.parked.notified().await,
            Parking::Wire(hold) => hold.arrived().await,
        }
    }

    /// Lets the parked purchase (or request) go on; harmless when nothing is parked.
    fn release(&self) {
        match self {
            Parking::Journal(pause) => pause.release.notify_one(),
            Parking::Wire(hold) => hold.release(),
        }
    }
}

async fn arm(rig: &Rig, usps: Usps, dest: Destination) {
    let labels = dest.labels_api();
    match usps {
        Usps::Normal => {}
        Usps::ServerError => {
            rig.control("fail", json!({"target": labels, "status": 503}))
                .await;
        }
        Usps::Timeout => {
            rig.control("latency", json!({"target": labels, "millis": 4000}))
                .await;
        }
        Usps::DropAfterCommit => {
            rig.control("drop-label-response", json!({"count": 1}))
                .await;
        }
        Usps::InProgress => {
            rig.control("fail", json!({"target": labels, "status": 409}))
                .await;
        }
        Usps::RefusedOnRepeat => {
            rig.control("drop-label-response", json!({"count": 1}))
                .await;
            rig.control(
                "fail",
                json!({"target": labels, "status": 400, "skip": 1, "count": 1}),
            )
            .await;
        }
    }
}

/// One combination, start to settled; panics with the combination's name on a violation.
async fn run_case(step: Step, fault: Fault, usps: Usps, dest: Destination) {
    let case = format!("{step:?} × {fault:?} × {usps:?} × {dest:?}");
    let pause = match step {
        Step::Journal(at) => Some(Arc::new(PauseAt {
            step: at,
            parked: Notify::new(),
            release: Notify::new(),
            hit: AtomicBool::new(false),
        })),
        Step::OnTheWire => None,
    };
    let mut rig = Rig::start_with(RigOptions {
        request_timeout: Duration::from_secs(3),
        max_attempts: 1,
        observer: pause.clone().map(|p| p as Arc<dyn PurchaseObserver>),
        ..RigOptions::default()
    })
    .await;
    let order = match dest {
        Destination::Home => rig.orders(1)[0],
        Destination::Abroad => rig.order_abroad(),
    };
    let request_for = |rig: &Rig| match dest {
        Destination::Home => rig.request(order),
        Destination::Abroad => rig.request_abroad(order),
    };
    arm(&rig, usps, dest).await;
    let parking = Arc::new(match pause {
        Some(pause) => Parking::Journal(pause),
        None => Parking::Wire(rig.sim.hold_next_label()),
    });

    let shipping = rig.shipping.clone();
    let request = request_for(&rig);
    let mut purchase = tokio::spawn(async move { shipping.buy_label(request).await });
    let parked = tokio::select! {
        _ = parking.reached() => true,
        _ = &mut purchase => false,
    };
    // With USPS well, every purchase passes every step: the fault must strike where intended.
    assert!(
        parked || usps != Usps::Normal,
        "{case}: the purchase never reached its step"
    );
    if !parked {
        // Never reached (USPS answered first, or the client gave up): nothing stays held.
        parking.release();
    }
    // Lets a parked purchase go on and waits for its end (which may be an error: the fault).
    let finish = |purchase: tokio::task::JoinHandle<_>| {
        let parking = parking.clone();
        async move {
            if parked {
                parking.release();
                let _ = purchase.await;
            }
        }
    };

    match fault {
        Fault::Killed => {
            purchase.abort();
            if parked {
                let _ = purchase.await;
            }
            // A request already at USPS goes on there without anyone to hear the answer.
            parking.release();
            rig.crash_and_restart();
        }
        Fault::SecondProcess => {
            let second = rig.restart();
            let report = second.shipping().reconcile_unfinished().await.unwrap();
            if parked {
                assert!(
                    report.recovered.is_empty() && report.failed_attempts.is_empty(),
                    "{case}: the second process touched a live purchase: {report:?}"
                );
            }
            let again = second.shipping().buy_label(request_for(&rig)).await;
            if parked {
                let err = again.expect_err(&format!("{case}: a second purchase went through"));
                assert_eq!(err.code, ErrorCode::Conflict, "{case}: {err:?}");
            } else if let Ok(bought) = again {
                // Finishing the first purchase (its key's label) is fine; a new one is not.
                assert!(
                    bought.resumed_earlier_attempt,
                    "{case}: a second label was bought: {bought:?}"
                );
            }
            drop(second);
            finish(purchase).await;
        }
        Fault::AccountRemoved => {
            let second = rig.restart();
            let open = second
                .shipping()
                .purchases_to_check()
                .unwrap()
                .iter()
                .any(|p| p.order_id == order);
            let removed = second.connections().remove_account(ACCOUNT_ID).await;
            if open {
                let err = removed
                    .as_ref()
                    .expect_err(&format!("{case}: removed with a purchase open"));
                assert_eq!(err.code, ErrorCode::Conflict, "{case}: {err:?}");
            }
            drop(second);
            finish(purchase).await;
            if removed.is_ok() {
                // Nothing was open; the label (if any) is kept with the removed account. The
                // rest of the matrix needs an account, so this combination ends here.
                rig.assert_exactly_once();
                return;
            }
        }
        Fault::DatabaseLocked => {
            let path = rig.desk.data_dir().database_path();
            let (locked_tx, locked_rx) = tokio::sync::oneshot::channel();
            let holder = std::thread::spawn(move || {
                let conn = rusqlite::Connection::open(path).unwrap();
                conn.execute_batch("BEGIN IMMEDIATE").unwrap();
                locked_tx.send(()).unwrap();
                std::thread::sleep(Duration::from_secs(10));
                conn.execute_batch("ROLLBACK").unwrap();
            });
            locked_rx.await.unwrap();
            finish(purchase).await;
            holder.join().unwrap();
        }
        Fault::WritesFail => {
            rig.alter_database(
                "CREATE TRIGGER disk_full_attempts BEFORE UPDATE ON purchase_attempts
                 BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END",
                [],
            );
            rig.alter_database(
                "CREATE TRIGGER disk_full_labels BEFORE INSERT ON shipments
                 BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END",
                [],
            );
            finish(purchase).await;
            rig.alter_database("DROP TRIGGER disk_full_attempts", []);
            rig.alter_database("DROP TRIGGER disk_full_labels", []);
        }
    }

    // Everything restarts while USPS still misbehaves (a repeat may be refused: that must not
    // close a purchase an earlier send may have paid for) ...
    rig.crash_and_restart();
    rig.shipping.reconcile_unfinished().await.unwrap();
    // ... and again once USPS is well.
    rig.clear_faults().await;
    rig.crash_and_restart();
    let report = rig.shipping.reconcile_unfinished().await.unwrap();
    assert!(
        report.still_open.is_empty() && report.in_progress_elsewhere.is_empty(),
        "{case}: not settled with USPS well and nothing running: {report:?}"
    );
    rig.assert_exactly_once();

    let status = rig.desk.orders().get(order).unwrap().status;
    let labelled = ShipmentStore::active_label(&*rig.store, order).unwrap();
    match (status, labelled) {
        (OrderStatus::Shipped, Some(_)) => {}
        (OrderStatus::AwaitingShipment, None) => {
            assert!(
                rig.shipping.purchases_to_check().unwrap().is_empty(),
                "{case}"
            );
            // Buyable means bought once, now.
            rig.shipping
                .buy_label(request_for(&rig))
                .await
                .unwrap_or_else(|e| panic!("{case}: buying again failed: {e:?}"));
            rig.assert_exactly_once();
        }
        other => panic!("{case}: order left as {other:?}"),
    }
}

async fn run_matrix(fault: Fault) {
    run_matrix_for(fault, Destination::Home, &STEPS).await;
}

async fn run_matrix_for(fault: Fault, dest: Destination, steps: &[Step]) {
    let started = Instant::now();
    let slots = Arc::new(Semaphore::new(8));
    let mut cases = Vec::new();
    for &step in steps {
        for usps in USPS {
            let slots = slots.clone();
            cases.push(tokio::spawn(async move {
                let _slot = slots.acquire_owned().await.unwrap();
                run_case(step, fault, usps, dest).await;
            }));
        }
    }
    let count = cases.len();
    let mut failures = Vec::new();
    for case in cases {
        if let Err(e) = case.await {
            failures.push(e.to_string());
        }
    }
    // On stdout: `cargo xtask test` adds these up into its closing summary.
    let place = match dest {
        Destination::Home => "",
        Destination::Abroad => " abroad",
    };
    println!(
        "fault matrix {fault:?}{place}: {count} combinations ({} steps × {} USPS behaviours) in {:.1} s",
        steps.len(),
        USPS.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 12)]
async fn a_killed_process_never_loses_or_doubles_a_label() {
    run_matrix(Fault::Killed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 12)]
async fn a_second_process_never_touches_a_live_purchase() {
    run_matrix(Fault::SecondProcess).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 12)]
async fn an_account_with_an_open_purchase_is_not_removed() {
    run_matrix(Fault::AccountRemoved).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 12)]
async fn a_locked_database_never_loses_or_doubles_a_label() {
    run_matrix(Fault::DatabaseLocked).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 12)]
async fn failing_writes_never_lose_or_double_a_label() {
    run_matrix(Fault::WritesFail).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 12)]
async fn a_killed_process_never_loses_or_doubles_a_label_abroad() {
    run_matrix_for(Fault::Killed, Destination::Abroad, &JOURNAL_STEPS).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 12)]
async fn a_second_process_never_touches_a_live_purchase_abroad() {
    run_matrix_for(Fault::SecondProcess, Destination::Abroad, &JOURNAL_STEPS).await;
}
