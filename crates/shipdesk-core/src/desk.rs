//! `Desk`: one opened Shipdesk data directory and the services over it. The desktop app holds
//! one for its lifetime, the CLI one per command; both call the same methods, so a feature
//! works the same in both.

use std::sync::Arc;

use crate::carriers::{ConnectionPorts, Connections, ConnectionsConfig, KeyringSecretStore};
use crate::doctor::{self, DoctorReport};
use crate::environment::Environment;
use crate::error::AppResult;
use crate::orders::OrdersService;
use crate::paths::DataDir;
use crate::ports::{Clock, SystemClock, SystemOpener};
use crate::shipping::{LpPrinter, ShippingService};
use crate::store::Store;

const ENVIRONMENT_SETTING: &str = "environment";

#[derive(Clone)]
pub struct Desk {
    data_dir: DataDir,
    store: Arc<Store>,
    connections: Arc<Connections>,
    clock: Arc<dyn Clock>,
    /// One per desk: it holds the rate cache and the in-flight purchase guard.
    shipping: Arc<ShippingService>,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl Desk {
    /// Opens (creating and migrating if needed) the data directory, with the real outside world:
    /// the OS keyring for secrets, the system browser, the wall clock.
    pub fn open(data_dir: DataDir) -> AppResult<Self> {
        let ports = ConnectionPorts {
            secrets: Arc::new(KeyringSecretStore::default()),
            opener: Arc::new(SystemOpener),
            clock: Arc::new(SystemClock),
        };
        Self::open_with(data_dir, ports, ConnectionsConfig::default())
    }

    /// Opens with explicit ports and USPS connection settings (tests, the app's setup).
    pub fn open_with(
        data_dir: DataDir,
        ports: ConnectionPorts,
        config: ConnectionsConfig,
    ) -> AppResult<Self> {
        let store = Arc::new(Store::open(&data_dir)?);
        let clock = ports.clock.clone();
        let connections = Arc::new(Connections::new(
            store.clone(),
            data_dir.clone(),
            ports,
            config,
        )?);
        // A fresh data directory in Sandbox gets the connected demo account (DESIGN §7).
        connections.ensure_sandbox_demo_account()?;
        let shipping = Arc::new(
            ShippingService::new(
                store.clone(),
                connections.clone(),
                clock.clone(),
                Arc::new(LpPrinter),
            )
            .with_local_offset(connections.config().local_offset),
        );
        Ok(Self {
            data_dir,
            store,
            connections,
            clock,
            shipping,
        })
    }

    /// Orders: import, search, create, edit, archive.
    pub fn orders(&self) -> OrdersService<'_> {
        OrdersService::new(&self.store, self.clock.as_ref())
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
        match self.store.setting(ENVIRONMENT_SETTING)? {
            Some(s) => s.parse(),
            None => Ok(Environment::default()),
        }
    }

    pub fn doctor(&self) -> AppResult<DoctorReport> {
        doctor::report(&self.data_dir, &self.store, self.environment()?)
    }
}
