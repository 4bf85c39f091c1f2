//! A desk on a temporary data directory, a USPS simulator on a free loopback port, and the demo
//! business connected to it as a real account ("use my own USPS API app" with the simulator's
//! app): the shipping service runs exactly as in the app — through the desk's composition root,
//! the connection service, its classifier and its state — and the simulator's charge ledger can be
//! compared with what the app stored.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::{Value, json};
use shipdesk_core::carriers::{AccountFields, ConnectionsConfig, OwnAppRequest};
use shipdesk_core::error::{AppError, AppResult, ErrorCode};
use shipdesk_core::orders::{Address, LineItem, OrderInput};
use shipdesk_core::ports::{MemorySecretStore, SecretStore, SystemClock};
use shipdesk_core::shipping::{
    BatchInput, Dimensions, MAX_SHIPMENT_PAGE, Package, Printer, PurchaseJournal, PurchaseObserver,
    PurchaseRequest, RateChoice, ShipFromInput, ShipToChoice, Shipment, ShipmentQuery,
    ShipmentStatus, ShipmentStore, ShippingService,
};
use shipdesk_core::{DataDir, Desk, Environment, Store};
use usps::models::AccountIdentity;
use usps::{ClientConfig, PaceClock, RetryPolicy};
use usps_sim::{LedgerKind, Scenario, SimConfig, SimHandle};

pub const ACCOUNT_ID: i64 = 1;

pub fn identity() -> AccountIdentity {
    AccountIdentity {
        crid: "56982563".into(),
        mid: "902345671".into(),
        manifest_mid: "902345672".into(),
        eps_account: "1000012345".into(),
    }
}

/// Records what would have gone to `lp`.
#[derive(Default)]
pub struct FakePrinter {
    pub jobs: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Printer for FakePrinter {
    fn print_pdf(&self, pdf: &[u8], job_name: &str, _printer: Option<&str>) -> AppResult<()> {
        self.jobs
            .lock()
            .unwrap()
            .push((job_name.to_owned(), pdf.to_vec()));
        Ok(())
    }
}

/// Secrets in memory, with a switch that makes the store unavailable, as a locked or missing
/// keyring is.
#[derive(Default)]
pub struct SwitchableSecrets {
    inner: MemorySecretStore,
    pub unavailable: AtomicBool,
}

impl SwitchableSecrets {
    fn check(&self) -> AppResult<()> {
        if self.unavailable.load(Ordering::SeqCst) {
            return Err(AppError::new(
                ErrorCode::SecretStoreUnavailable,
                "No system keyring is available",
            ));
        }
        Ok(())
    }
}

impl SecretStore for SwitchableSecrets {
    fn set(&self, key: &str, secret: &str) -> AppResult<()> {
        self.check()?;
        self.inner.set(key, secret)
    }
    fn get(&self, key: &str) -> AppResult<Option<String>> {
        self.check()?;
        self.inner.get(key)
    }
    fn delete(&self, key: &str) -> AppResult<()> {
        self.check()?;
        self.inner.delete(key)
    }
}

pub struct Rig {
    pub sim: SimHandle,
    pub http: reqwest::Client,
    pub desk: Desk,
    pub store: Arc<Store>,
    pub shipping: Arc<ShippingService>,
    pub printer: Arc<FakePrinter>,
    pub secrets: Arc<SwitchableSecrets>,
    options: RigOptions,
    dir: tempfile::TempDir,
}

#[derive(Clone)]
pub struct RigOptions {
    pub quota_per_hour: u32,
    pub request_timeout: Duration,
    /// Attempts per USPS call inside the client (its own retries).
    pub max_attempts: u32,
    /// Told of each purchase step of the rig's first desk (not of restarted ones).
    pub observer: Option<Arc<dyn PurchaseObserver>>,
    /// The simulator's businesses and apps; the demo scenario when absent.
    pub scenario: Option<Scenario>,
    /// The clock USPS calls are paced in; the wall clock when absent.
    pub pace_clock: Option<Arc<SimulatedHours>>,
}

/// A clock that moves only when the pacer waits: each wait moves it, and the simulator's
/// quota windows, ahead at once. Hours of pacing run in no time.
#[derive(Debug, Default)]
pub struct SimulatedHours {
    elapsed_ms: std::sync::atomic::AtomicU64,
    sim: std::sync::OnceLock<usps_sim::QuotaClock>,
}

impl SimulatedHours {
    pub fn elapsed(&self) -> Duration {
        Duration::from_millis(self.elapsed_ms.load(Ordering::SeqCst))
    }
}

impl PaceClock for SimulatedHours {
    fn elapsed(&self) -> Duration {
        SimulatedHours::elapsed(self)
    }

    fn sleep(
        &self,
        wait: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        self.elapsed_ms
            .fetch_add(wait.as_millis() as u64, Ordering::SeqCst);
        if let Some(sim) = self.sim.get() {
            sim.advance(wait);
        }
        Box::pin(std::future::ready(()))
    }
}

impl Default for RigOptions {
    fn default() -> Self {
        Self {
            quota_per_hour: 100_000,
            request_timeout: Duration::from_secs(5),
            max_attempts: 3,
            observer: None,
            scenario: None,
            pace_clock: None,
        }
    }
}

impl Rig {
    pub async fn start() -> Rig {
        Rig::start_with(RigOptions::default()).await
    }

    pub async fn start_with(options: RigOptions) -> Rig {
        let scenario = options
            .scenario
            .clone()
            .unwrap_or_else(Scenario::demo)
            .with_quota_per_hour(options.quota_per_hour);
        let sim = usps_sim::start(SimConfig::new(scenario))
            .await
            .expect("sim");
        if let Some(clock) = &options.pace_clock {
            let _ = clock.sim.set(sim.quota_clock());
        }
        let dir = tempfile::tempdir().unwrap();
        let printer = Arc::new(FakePrinter::default());
        let secrets = Arc::new(SwitchableSecrets::default());
        let desk = open_desk(
            dir.path(),
            &options,
            &secrets,
            &printer,
            options.observer.clone(),
        );
        let id = identity();
        // Set-up is not under test: on a loaded machine (the fault matrix runs many rigs at once)
        // the first connection may outlast the short request timeout, so it is tried again.
        let mut tries = 0;
        loop {
            tries += 1;
            let connected = desk
                .connections()
                .connect_own_app(OwnAppRequest {
                    account: None,
                    environment: Some(Environment::Sandbox),
                    base_url: Some(sim.base_url().to_string()),
                    fields: AccountFields {
                        nickname: Some("Demo".into()),
                        crid: Some(id.crid.clone()),
                        mid: Some(id.mid.clone()),
                        manifest_mid: Some(id.manifest_mid.clone()),
                        eps_account: Some(id.eps_account.clone()),
                        has_contract: None,
                        calls_per_hour: Some(options.quota_per_hour),
                    },
                    client_id: "shipdesk-sandbox".into(),
                    client_secret: "shipdesk-sandbox-secret".into(),
                })
                .await;
            match connected {
                Ok(_) => break,
                Err(e) if tries < 5 && e.code == ErrorCode::UspsUnavailable => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("the demo business connects: {e:?}"),
            }
        }
        let shipping = desk.shipping().clone();
        shipping
            .add_ship_from(ShipFromInput {
                nickname: "Shop".into(),
                address: Address {
                    name: "John Smith".into(),
                    company: Some("Bingham Goods".into()),
                    street1: "4120 Bingham Ave".into(),
                    city: "Saint Louis".into(),
                    state: "MO".into(),
                    zip5: "63116".into(),
                    country: "US".into(),
                    email: Some("john@example.com".into()),
                    ..Default::default()
                },
                is_default: true,
            })
            .unwrap();
        Rig {
            sim,
            http: reqwest::Client::new(),
            store: desk.store().clone(),
            desk,
            shipping,
            printer,
            secrets,
            options,
            dir,
        }
    }

    /// Creates `n` orders to a handful of real-looking addresses; returns their ids.
    pub fn orders(&self, n: usize) -> Vec<i64> {
        let svc = self.desk.orders();
        let places = [
            ("1100 Wyoming St", "Saint Louis", "MO", "63118"),
            ("3120 M St NW", "Washington", "DC", "20007"),
            ("2516 W North Ave", "Chicago", "IL", "60647"),
            ("350 5th Ave", "New York", "NY", "10118"),
            ("1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043"),
        ];
        let existing = svc
            .list(&Default::default())
            .map(|p| p.total as usize)
            .unwrap_or(0);
        (0..n)
            .map(|i| {
                let (street, city, state, zip) = places[i % places.len()];
                let number = format!("T{}", existing + i + 1);
                svc.create(OrderInput {
                    order_number: number,
                    ship_to: Address {
                        name: format!("Customer Number{}", i + 1),
                        street1: street.into(),
                        city: city.into(),
                        state: state.into(),
                        zip5: zip.into(),
                        country: "US".into(),
                        ..Default::default()
                    },
                    items: vec![LineItem {
                        sku: Some(format!("SKU-{i}")),
                        title: "Widget".into(),
                        quantity: 1,
                        unit_price: Some(Decimal::from(12)),
                        weight_oz: Some(Decimal::from(20)),
                        hs_tariff: None,
                        origin_country: None,
                        currency: None,
                    }],
                    ..Default::default()
                })
                .unwrap()
                .id
            })
            .collect()
    }

    /// A new order with a label bought for it.
    pub async fn one_label(&self) -> Shipment {
        let order = self.orders(1)[0];
        self.shipping
            .buy_label(self.request(order))
            .await
            .expect("the label is bought")
            .shipment
    }

    /// A batch of `orders` bought as `request_shape` buys one: Ground Advantage from the default
    /// ship-from address, each order at its own weight (`orders` makes 20 oz orders) in the
    /// 10x8x4 box, each address checked.
    pub fn batch(&self, orders: &[i64]) -> BatchInput {
        BatchInput {
            order_ids: orders.to_vec(),
            service: Some(RateChoice::single_piece("USPS_GROUND_ADVANTAGE")),
            ..Default::default()
        }
    }

    pub fn request(&self, order_id: i64) -> PurchaseRequest {
        Rig::request_shape(order_id)
    }

    /// An order to Ottawa whose items carry everything customs asks (HS number, origin), as an
    /// export with customs columns gives them.
    pub fn order_abroad(&self) -> i64 {
        self.desk
            .orders()
            .create(OrderInput {
                order_number: "CA1".into(),
                ship_to: Address {
                    name: "Amelie Tremblay".into(),
                    street1: "24 Sussex Dr".into(),
                    city: "Ottawa".into(),
                    state: "ON".into(),
                    zip5: "K1M 1M4".into(),
                    country: "CA".into(),
                    ..Default::default()
                },
                items: vec![LineItem {
                    sku: Some("HC-1".into()),
                    title: "Hand Cream".into(),
                    quantity: 2,
                    unit_price: Some(Decimal::new(1250, 2)),
                    weight_oz: Some(Decimal::from(6)),
                    hs_tariff: Some("330499".into()),
                    origin_country: Some("US".into()),
                    currency: None,
                }],
                ..Default::default()
            })
            .unwrap()
            .id
    }

    /// Priority Mail International for `order_id`, 20 oz in the 10x8x4 box, with the customs
    /// form its items fill in.
    pub fn request_abroad(&self, order_id: i64) -> PurchaseRequest {
        let draft = self.shipping.customs_draft(order_id).unwrap();
        assert!(draft.missing.is_empty(), "{:?}", draft.missing);
        PurchaseRequest {
            rate: RateChoice::single_piece("PRIORITY_MAIL_INTERNATIONAL"),
            customs: Some(draft.declaration),
            ..Rig::request_shape(order_id)
        }
    }

    /// Ground Advantage, 20 oz in a 10x8x4 box, from the default ship-from address.
    pub fn request_shape(order_id: i64) -> PurchaseRequest {
        PurchaseRequest {
            order_id,
            account_id: None,
            rate: RateChoice::single_piece("USPS_GROUND_ADVANTAGE"),
            package: package(),
            ship_from_id: None,
            ship_date: None,
            ship_to: ShipToChoice::AsEntered,
            ignore_bad_address: false,
            allow_additional_label: false,
            customs: None,
        }
    }

    pub async fn control(&self, path: &str, body: Value) -> Value {
        let url = self.sim.base_url().join(&format!("__sim/{path}")).unwrap();
        let response = self.http.post(url).json(&body).send().await.unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    pub async fn clear_faults(&self) {
        let url = self.sim.base_url().join("__sim/faults").unwrap();
        self.http.delete(url).send().await.unwrap();
    }

    /// Tracking numbers the simulator charged and did not void.
    pub fn charged(&self) -> BTreeSet<String> {
        let mut charged = BTreeSet::new();
        for e in self.sim.ledger() {
            match e.kind {
                LedgerKind::Charged => {
                    charged.insert(e.tracking_number.clone());
                }
                LedgerKind::Canceled => {
                    charged.remove(&e.tracking_number);
                }
                _ => {}
            }
        }
        charged
    }

    /// Tracking numbers of the labels the app stored and did not void, with their orders.
    pub fn stored(&self) -> BTreeMap<String, i64> {
        let mut stored = BTreeMap::new();
        for offset in (0..).step_by(MAX_SHIPMENT_PAGE as usize) {
            let page = ShipmentStore::shipments(
                &*self.store,
                &ShipmentQuery {
                    offset: Some(offset),
                    limit: Some(MAX_SHIPMENT_PAGE),
                    ..Default::default()
                },
            )
            .unwrap();
            if page.is_empty() {
                break;
            }
            for s in page {
                if s.status != ShipmentStatus::Voided {
                    stored.insert(s.tracking_number, s.order_id);
                }
            }
        }
        stored
    }

    /// The purchase journal's invariant (docs/connection.md#purchase-journal): what USPS charged
    /// is exactly what the app stored, and no order has two labels.
    pub fn assert_exactly_once(&self) {
        let charged = self.charged();
        let stored = self.stored();
        let stored_numbers: BTreeSet<String> = stored.keys().cloned().collect();
        assert_eq!(charged, stored_numbers, "ledger vs stored labels");
        let mut per_order: BTreeMap<i64, u32> = BTreeMap::new();
        for order in stored.values() {
            *per_order.entry(*order).or_default() += 1;
        }
        let doubled: Vec<_> = per_order.iter().filter(|(_, n)| **n > 1).collect();
        assert!(doubled.is_empty(), "orders with two labels: {doubled:?}");
    }

    /// Purchase attempts in the journal that are still open (`intent` or `sent`).
    pub fn open_attempts(&self) -> usize {
        self.store.unfinished().unwrap().len()
    }

    /// Changes the desk's database behind the app's back, through a connection of its own, as
    /// another program (or a damaged disk) would; the app sees it once committed.
    pub fn alter_database(&self, sql: &str, params: impl rusqlite::Params) {
        let conn = rusqlite::Connection::open(DataDir::at(self.dir.path()).database_path())
            .expect("the desk's database opens");
        conn.busy_timeout(Duration::from_secs(5)).unwrap();
        conn.execute(sql, params).expect("the change applies");
    }

    /// The app started again on the same data directory (same keyring, same simulator): a new
    /// desk with fresh sessions, rate cache and in-flight guard.
    pub fn restart(&self) -> Desk {
        open_desk(
            self.dir.path(),
            &self.options,
            &self.secrets,
            &self.printer,
            None,
        )
    }

    /// The app killed (SIGKILL: nothing tidied up, its leases left behind) and started again on
    /// the same data directory: `desk`, `store` and `shipping` become the new process's.
    pub fn crash_and_restart(&mut self) {
        let desk = self.restart();
        self.store = desk.store().clone();
        self.shipping = desk.shipping().clone();
        // Dropping the last handles on the old store closes it, as the kernel would.
        self.desk = desk;
    }

    /// The shipping service of a second app running beside this one on the same data
    /// directory (or of this app restarted, when this one left nothing leased).
    pub fn restarted_service(&self) -> Arc<ShippingService> {
        self.restart().shipping().clone()
    }

    /// The shipping service of a restarted app after the user set the account's EPS account
    /// (`None` clears it).
    pub fn service_pricing_against(&self, eps_account: Option<String>) -> Arc<ShippingService> {
        self.desk
            .connections()
            .update_account(
                ACCOUNT_ID,
                &AccountFields {
                    eps_account: Some(eps_account.unwrap_or_default()),
                    ..Default::default()
                },
            )
            .expect("EPS account saved");
        self.restarted_service()
    }

    pub fn sim_calls(&self, api: &str) -> u64 {
        self.sim.calls().get(api).copied().unwrap_or(0)
    }
}

pub fn package() -> Package {
    Package {
        weight_oz: Decimal::from(20),
        dimensions: Dimensions {
            length_in: Decimal::from(10),
            width_in: Decimal::from(8),
            height_in: Decimal::from(4),
        },
    }
}

pub fn json_of<T: serde::Serialize>(v: &T) -> Value {
    json!(v)
}

fn open_desk(
    dir: &std::path::Path,
    options: &RigOptions,
    secrets: &Arc<SwitchableSecrets>,
    printer: &Arc<FakePrinter>,
    observer: Option<Arc<dyn PurchaseObserver>>,
) -> Desk {
    let builder = match observer {
        Some(observer) => Desk::builder(DataDir::at(dir)).purchase_observer(observer),
        None => Desk::builder(DataDir::at(dir)),
    };
    builder
        .secrets(secrets.clone())
        .printer(printer.clone())
        .clock(Arc::new(SystemClock))
        .usps(ConnectionsConfig {
            sandbox_demo_account: false,
            usps_client: ClientConfig {
                request_timeout: options.request_timeout,
                retry: RetryPolicy {
                    max_attempts: options.max_attempts,
                    initial_backoff: Duration::from_millis(10),
                    max_backoff: Duration::from_millis(50),
                    max_retry_after: Duration::from_secs(2),
                },
                pace_clock: match &options.pace_clock {
                    Some(clock) => clock.clone(),
                    None => Arc::new(usps::WallClock::default()),
                },
                ..ClientConfig::default()
            },
            ..ConnectionsConfig::default()
        })
        .build()
        .expect("desk opens")
}
