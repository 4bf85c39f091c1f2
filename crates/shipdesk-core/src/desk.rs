//! `Desk`: one opened Shipdesk data directory and the services over it — the composition root.
//!
//! [`DeskBuilder`] is the only place services are constructed: it takes every port (clock, URL
//! opener, secret store, printer, the desk's UTC offset, the USPS connection settings) and wires
//! exactly one of each service. The desktop app holds one `Desk` for its lifetime, the CLI one
//! per command; both call the same methods, so a feature works the same in both.

use std::sync::Arc;

use time::UtcOffset;

use crate::carriers::PostageRouter;
use crate::carriers::endicia::EndiciaAccounts;
use crate::carriers::platform_apps::{self, PlatformAppSources};
use crate::carriers::{
    ConnectionPorts, Connections, ConnectionsConfig, KeyringSecretStore, SandboxHost,
};
use crate::doctor::{self, DoctorReport};
use crate::environment::Environment;
use crate::error::AppResult;
use crate::orders::OrdersService;
use crate::paths::DataDir;
use crate::ports::{Clock, Opener, SecretStore, SystemClock, SystemOpener};
use crate::reports::ReportsService;
use crate::shipping::{LogPurchaseSteps, LpPrinter, Printer, PurchaseObserver, ShippingService};
use crate::store::Store;

#[derive(Clone)]
pub struct Desk {
    data_dir: DataDir,
    store: Arc<Store>,
    connections: Arc<Connections>,
    orders: Arc<OrdersService>,
    /// One per desk: it holds the rate cache and the in-flight purchase guard.
    shipping: Arc<ShippingService>,
    /// The Endicia postage account and its session login.
    endicia: Arc<EndiciaAccounts>,
    reports: Arc<ReportsService>,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

/// Every port a desk talks to the outside world through. Anything not given is the real thing:
/// the OS keyring, the system browser, the wall clock, `lp`, the OS's UTC offset — except the
/// Sandbox, which only a binary that ships a simulator can give ([`DeskBuilder::sandbox`]).
#[must_use]
pub struct DeskBuilder {
    data_dir: DataDir,
    secrets: Option<Arc<dyn SecretStore>>,
    opener: Option<Arc<dyn Opener>>,
    clock: Option<Arc<dyn Clock>>,
    printer: Option<Arc<dyn Printer>>,
    local_offset: Option<UtcOffset>,
    usps: ConnectionsConfig,
    sandbox: Option<Arc<dyn SandboxHost>>,
    purchase_observer: Option<Arc<dyn PurchaseObserver>>,
    platform_app_sources: Option<PlatformAppSources>,
}

impl DeskBuilder {
    pub fn secrets(mut self, secrets: Arc<dyn SecretStore>) -> Self {
        self.secrets = Some(secrets);
        self
    }

    pub fn opener(mut self, opener: Arc<dyn Opener>) -> Self {
        self.opener = Some(opener);
        self
    }

    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    pub fn printer(mut self, printer: Arc<dyn Printer>) -> Self {
        self.printer = Some(printer);
        self
    }

    /// Where the desk is, for "today" (ship dates, End of Day) and "Remind Me Later" (until the
    /// end of the local day). Binaries read it once at start-up, before threads run: the OS
    /// offset cannot be read safely afterwards.
    pub fn local_offset(mut self, offset: UtcOffset) -> Self {
        self.local_offset = Some(offset);
        self
    }

    /// USPS connection settings: redirect port, client timeouts, platform apps, Sandbox demo.
    /// An offset set with [`Self::local_offset`] wins over the one inside `config`.
    pub fn usps(mut self, config: ConnectionsConfig) -> Self {
        self.usps = config;
        self
    }

    /// The USPS simulator Sandbox accounts run against (`shipdesk-sandbox`). Without it the desk
    /// opens, gets no demo account, and Sandbox accounts fail with "not available in this build".
    pub fn sandbox(mut self, host: Arc<dyn SandboxHost>) -> Self {
        self.sandbox = Some(host);
        self
    }

    /// Where TEM's and Production's platform apps for Sign in with USPS are configured
    /// (default: [`PlatformAppSources::standard`], the data directory's file, the system-wide
    /// one, then what this build carries).
    pub fn platform_app_sources(mut self, sources: PlatformAppSources) -> Self {
        self.platform_app_sources = Some(sources);
        self
    }

    /// Who is told of each step of every label purchase (default: the log). The fault tests
    /// pause purchases at exact steps through it.
    pub fn purchase_observer(mut self, observer: Arc<dyn PurchaseObserver>) -> Self {
        self.purchase_observer = Some(observer);
        self
    }

    /// Opens (creating and migrating if needed) the data directory and wires the services.
    pub fn build(mut self) -> AppResult<Desk> {
        if let Some(offset) = self.local_offset {
            self.usps.local_offset = offset;
        }
        let store = Arc::new(Store::open(&self.data_dir)?);
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let local_offset = self.usps.local_offset;
        let secrets = self
            .secrets
            .unwrap_or_else(|| Arc::new(KeyringSecretStore::default()));
        let platform_sources = self
            .platform_app_sources
            .unwrap_or_else(|| PlatformAppSources::standard(&self.data_dir));
        let platform_setup = platform_apps::load(&platform_sources, secrets.as_ref());
        let mut connections = Connections::new(
            store.clone(),
            self.data_dir.clone(),
            ConnectionPorts {
                secrets,
                opener: self.opener.unwrap_or_else(|| Arc::new(SystemOpener)),
                clock: clock.clone(),
                sandbox: self.sandbox,
            },
            self.usps,
        )?;
        connections.set_platform_setup(platform_setup);
        let connections = Arc::new(connections);
        // A fresh data directory in Sandbox gets the connected demo account.
        connections.ensure_sandbox_demo_account()?;
        let endicia = Arc::new(EndiciaAccounts::new(
            connections.clone(),
            store.clone(),
            store.clone(),
        ));
        let shipping = Arc::new(ShippingService::new(
            store.clone(),
            Arc::new(PostageRouter::new(connections.clone(), endicia.clone())),
            clock.clone(),
            self.printer.unwrap_or_else(|| Arc::new(LpPrinter)),
            self.purchase_observer
                .unwrap_or_else(|| Arc::new(LogPurchaseSteps)),
            local_offset,
        ));
        let reports = Arc::new(ReportsService::new(
            store.clone(),
            clock.clone(),
            local_offset,
        ));
        let orders = Arc::new(OrdersService::new(&store, clock));
        Ok(Desk {
            data_dir: self.data_dir,
            store,
            connections,
            orders,
            shipping,
            endicia,
            reports,
        })
    }
}

impl Desk {
    /// A builder over `data_dir` with the real outside world; override ports as needed.
    pub fn builder(data_dir: DataDir) -> DeskBuilder {
        DeskBuilder {
            data_dir,
            secrets: None,
            opener: None,
            clock: None,
            printer: None,
            local_offset: None,
            usps: ConnectionsConfig::default(),
            sandbox: None,
            purchase_observer: None,
            platform_app_sources: None,
        }
    }

    /// Opens the data directory with the real outside world (see [`DeskBuilder`]).
    pub fn open(data_dir: DataDir) -> AppResult<Self> {
        Self::builder(data_dir).build()
    }

    /// Orders: import, search, create, edit, archive.
    pub fn orders(&self) -> &Arc<OrdersService> {
        &self.orders
    }

    /// The Endicia prepaid postage account: login, balance, buying postage, pass phrase.
    pub fn endicia(&self) -> &Arc<EndiciaAccounts> {
        &self.endicia
    }

    /// Reports: postage spend, labels, voids and refunds over a range of days.
    pub fn reports(&self) -> &Arc<ReportsService> {
        &self.reports
    }

    /// Shipping: address check, rates, labels (exactly once), void, End of Day, pickup.
    pub fn shipping(&self) -> &Arc<ShippingService> {
        &self.shipping
    }

    /// USPS accounts, sessions and connection states.
    pub fn connections(&self) -> &Arc<Connections> {
        &self.connections
    }

    pub fn data_dir(&self) -> &DataDir {
        &self.data_dir
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The environment new USPS accounts start in; Sandbox until the user chooses otherwise.
    pub fn environment(&self) -> AppResult<Environment> {
        Environment::of_desk(self.store.as_ref())
    }

    pub fn doctor(&self) -> AppResult<DoctorReport> {
        doctor::report(
            &self.data_dir,
            &self.store,
            self.environment()?,
            self.connections.platform_app_statuses(),
        )
    }
}
