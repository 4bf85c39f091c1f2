//! Batch purchase benchmark: 500 labels (each order's address checked, then its label bought
//! through the real purchase journal) against the USPS simulator with 150 ms of added latency on
//! every call, then the 500 labels rendered into one PDF; then 100 labels under USPS's default
//! allowance of 60 calls an hour on a simulated clock (what the preview said up front, what it
//! took, how many calls USPS refused). Prints `key=value` figures for `cargo xtask bench`.
//!
//! `cargo run --release -p shipdesk-core --example batch_bench [-- LABELS [CONCURRENCY [LATENCY_MS]]]`

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use shipdesk_core::carriers::{AccountFields, ConnectionsConfig, OwnAppRequest};
use shipdesk_core::orders::{Address, LineItem, OrderInput};
use shipdesk_core::ports::MemorySecretStore;
use shipdesk_core::shipping::{
    BatchInput, BatchOptions, Dimensions, LabelLayout, LpPrinter, RateChoice, ShipFromInput,
};
use shipdesk_core::{DataDir, Desk, Environment};
use usps::{ClientConfig, PaceClock, WallClock};

/// The simulator's hourly allowance and the account's: high, so the batch measures latency only.
const QUOTA: u32 = 1_000_000;

fn arg(i: usize, default: u64) -> u64 {
    std::env::args()
        .nth(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn address(name: &str, street: &str, city: &str, state: &str, zip: &str) -> Address {
    Address {
        name: name.into(),
        street1: street.into(),
        city: city.into(),
        state: state.into(),
        zip5: zip.into(),
        country: "US".into(),
        ..Default::default()
    }
}

/// A clock that moves only when the pacer waits, moving the simulator's quota windows with it:
/// an hour of USPS's allowance passes in no time.
#[derive(Debug, Default)]
struct SimulatedHours {
    elapsed_ms: AtomicU64,
    sim: std::sync::OnceLock<usps_sim::QuotaClock>,
}

impl PaceClock for SimulatedHours {
    fn elapsed(&self) -> Duration {
        Duration::from_millis(self.elapsed_ms.load(Ordering::SeqCst))
    }

    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.elapsed_ms
            .fetch_add(wait.as_millis() as u64, Ordering::SeqCst);
        if let Some(sim) = self.sim.get() {
            sim.advance(wait);
        }
        Box::pin(std::future::ready(()))
    }
}

/// The app's own composition: a desk whose account is the simulator's demo business, allowed
/// `quota` calls an hour, with `labels` orders of 20 oz to four addresses.
async fn desk_with_orders(
    sim: &usps_sim::SimHandle,
    quota: u32,
    pace_clock: Arc<dyn PaceClock>,
    labels: usize,
) -> (tempfile::TempDir, Desk, Vec<i64>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = Desk::builder(DataDir::at(dir.path()))
        .secrets(Arc::new(MemorySecretStore::default()))
        .printer(Arc::new(LpPrinter))
        .usps(ConnectionsConfig {
            sandbox_demo_account: false,
            usps_client: ClientConfig {
                pace_clock,
                ..ClientConfig::default()
            },
            ..ConnectionsConfig::default()
        })
        .build()
        .expect("desk");
    desk.connections()
        .connect_own_app(OwnAppRequest {
            account: None,
            environment: Some(Environment::Sandbox),
            base_url: Some(sim.base_url().to_string()),
            fields: AccountFields {
                nickname: Some("Bench".into()),
                crid: Some("56982563".into()),
                mid: Some("902345671".into()),
                manifest_mid: Some("902345672".into()),
                eps_account: Some("1000012345".into()),
                has_contract: None,
                calls_per_hour: Some(quota),
            },
            client_id: "shipdesk-sandbox".into(),
            client_secret: "shipdesk-sandbox-secret".into(),
        })
        .await
        .expect("demo business connects");
    desk.shipping()
        .add_ship_from(ShipFromInput {
            nickname: "Shop".into(),
            address: address(
                "John Smith",
                "4120 Bingham Ave",
                "Saint Louis",
                "MO",
                "63116",
            ),
            is_default: true,
        })
        .expect("ship-from");
    let orders = desk.orders();
    let places = [
        ("1100 Wyoming St", "Saint Louis", "MO", "63118"),
        ("3120 M St NW", "Washington", "DC", "20007"),
        ("2516 W North Ave", "Chicago", "IL", "60647"),
        ("500 Congress Ave", "Austin", "TX", "78701"),
    ];
    let order_ids: Vec<i64> = (0..labels)
        .map(|i| {
            let (street, city, state, zip) = places[i % places.len()];
            orders
                .create(OrderInput {
                    order_number: format!("B{}", i + 1),
                    ship_to: address(&format!("Customer Number{i}"), street, city, state, zip),
                    items: vec![LineItem {
                        sku: Some(format!("SKU-{i}")),
                        title: "Widget".into(),
                        quantity: 1,
                        unit_price: None,
                        weight_oz: Some(Decimal::from(20)),
                        hs_tariff: None,
                        origin_country: None,
                        currency: None,
                    }],
                    ..Default::default()
                })
                .expect("order")
                .id
        })
        .collect();
    (dir, desk, order_ids)
}

fn ground_advantage(order_ids: Vec<i64>) -> BatchInput {
    BatchInput {
        order_ids,
        service: Some(RateChoice::single_piece("USPS_GROUND_ADVANTAGE")),
        dimensions: Some(Dimensions {
            length_in: Decimal::from(10),
            width_in: Decimal::from(8),
            height_in: Decimal::from(4),
        }),
        ..Default::default()
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let labels = arg(1, 500) as usize;
    let concurrency = arg(2, 4) as u32;
    let latency_ms = arg(3, 150);

    let scenario = usps_sim::Scenario::demo().with_quota_per_hour(QUOTA);
    let sim = usps_sim::start(usps_sim::SimConfig::new(scenario))
        .await
        .expect("simulator");
    let http = reqwest::Client::new();
    http.post(sim.base_url().join("__sim/latency").unwrap())
        .json(&serde_json::json!({"target": "*", "millis": latency_ms}))
        .send()
        .await
        .expect("latency control");
    let (_dir, desk, order_ids) =
        desk_with_orders(&sim, QUOTA, Arc::new(WallClock::default()), labels).await;
    let shipping = desk.shipping().clone();
    let batch = ground_advantage(order_ids);

    let calls_before: u64 = sim.calls().values().sum();
    let started = Instant::now();
    let report = shipping
        .buy_orders(
            &batch,
            &BatchOptions {
                concurrency,
                ..Default::default()
            },
            &|_| {},
            &AtomicBool::new(false),
        )
        .await
        .expect("the batch runs");
    let seconds = started.elapsed().as_secs_f64();
    let calls = sim.calls().values().sum::<u64>() - calls_before;
    assert_eq!(
        report.bought.len(),
        labels,
        "every label bought: {report:?}"
    );

    let ids: Vec<i64> = report.bought.iter().map(|s| s.id).collect();
    let render_started = Instant::now();
    let docs = shipping
        .label_documents(&ids, Some(LabelLayout::FourBySix))
        .expect("render");
    let render_seconds = render_started.elapsed().as_secs_f64();
    let pdf_bytes: usize = docs.iter().map(|d| d.pdf.len()).sum();

    // Two calls in a row per label: the address check, then the label.
    let bound =
        labels as f64 * 2.0 * Duration::from_millis(latency_ms).as_secs_f64() / concurrency as f64;
    println!(
        "labels={labels} seconds={seconds:.2} latency_bound_seconds={bound:.2} concurrency={concurrency} \
         latency_ms={latency_ms} usps_calls={calls} calls_per_label={:.3} render_{labels}_seconds={render_seconds:.2} \
         pdf_bytes={pdf_bytes}",
        calls as f64 / labels as f64
    );
    let ratio = seconds / bound;
    println!(
        "batch_ratio_vs_latency_bound={ratio:.2} batch_ratio_target=1.1 batch_ratio_meets={}",
        if ratio <= 1.1 { "yes" } else { "no" }
    );
    drop(desk);
    sim.shutdown().await;
    paced_batch().await;
}

/// 100 labels under USPS's default allowance (60 calls an hour per API) on a simulated clock:
/// what the preview said, how long the batch took, and how many calls USPS refused.
async fn paced_batch() {
    const ORDERS: usize = 100;
    let allowance = usps::USPS_DEFAULT_CALLS_PER_HOUR;
    let scenario = usps_sim::Scenario::demo().with_quota_per_hour(allowance);
    let sim = usps_sim::start(usps_sim::SimConfig::new(scenario))
        .await
        .expect("simulator");
    let clock = Arc::new(SimulatedHours::default());
    let _ = clock.sim.set(sim.quota_clock());
    let (_dir, desk, order_ids) = desk_with_orders(&sim, allowance, clock.clone(), ORDERS).await;
    let batch = ground_advantage(order_ids);
    let said = desk
        .shipping()
        .preview_batch(&batch)
        .await
        .expect("preview")
        .duration;
    let sent = |sim: &usps_sim::SimHandle| {
        let calls = sim.calls();
        calls.get("addresses").copied().unwrap_or(0) + calls.get("labels").copied().unwrap_or(0)
    };
    let before = sent(&sim);
    let report = desk
        .shipping()
        .buy_orders(
            &batch,
            &BatchOptions::default(),
            &|_| {},
            &AtomicBool::new(false),
        )
        .await
        .expect("the paced batch runs");
    drop(desk);
    let took = clock.elapsed().as_secs();
    let refused = (sent(&sim) - before).saturating_sub(2 * ORDERS as u64);
    println!(
        "paced_orders={ORDERS} paced_calls_per_hour={allowance} paced_bought={} \
         paced_estimate_seconds={} paced_simulated_seconds={took} paced_refused_calls={refused}",
        report.bought.len(),
        said.seconds
    );
    println!(
        "paced_said_up_front={} paced_within_estimate={}",
        if said.allowance_wait_seconds > 0 {
            "yes"
        } else {
            "no"
        },
        if took <= said.seconds { "yes" } else { "no" }
    );
    sim.shutdown().await;
}
