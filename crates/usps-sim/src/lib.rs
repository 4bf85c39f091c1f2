//! `usps-sim`: a faithful local simulator of the USPS v3 REST APIs.
//!
//! The app talks to production, TEM or this simulator through the same client code, so the
//! simulator answers with the same paths, field names, status codes, error envelopes and label
//! media types as USPS (see `docs/usps.md`). It also plays the USPS Customer
//! Onboarding Portal consent pages, signs RS256 tokens tied to a business, keeps a charge ledger,
//! and offers `/__sim/*` controls so tests can provoke every failure a real account can meet.
//!
//! ```no_run
//! # async fn demo() -> Result<(), usps_sim::SimError> {
//! let sim = usps_sim::start(usps_sim::SimConfig::new(usps_sim::Scenario::demo())).await?;
//! println!("USPS simulator at {}", sim.base_url());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

mod api;
mod auth;
mod controls;
pub mod errors;
pub mod faults;
mod front;
mod ids;
mod panics;
mod pdf;
mod pricing;
mod request_head;
mod router;
pub mod rules;
pub mod scenario;
mod server;
mod shared_file;
pub mod state;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

pub use panics::PanicPolicy;
pub use request_head::HttpLimits;
pub use scenario::{
    App, CONTRACT_USER, Contract, PaymentAccountStatus, Quotas, Scenario, ScenarioError, User,
};
pub use state::records::{LabelRecord, LabelStatus, LedgerEntry, LedgerKind};

use auth::jwt::Keys;
use state::SimState;

/// How to run a simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub scenario: Scenario,
    /// `127.0.0.1:0` picks a free port (tests).
    pub bind: SocketAddr,
    /// Keeps consents, tokens, labels, the ledger, SCAN forms and pickups across restarts.
    pub state_file: Option<PathBuf>,
    /// Request size and time limits (docs/usps.md#http-limits); tests shorten the timeouts.
    pub limits: HttpLimits,
    /// Whether a request that panicked makes dropping the handle panic (tests) or is only
    /// logged (an embedding app).
    pub panics: PanicPolicy,
}

impl SimConfig {
    /// Loopback on a free port, no persistence, USPS's limits, panics fail on drop.
    pub fn new(scenario: Scenario) -> SimConfig {
        SimConfig {
            scenario,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            state_file: None,
            limits: HttpLimits::default(),
            panics: PanicPolicy::FailOnDrop,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Keys(#[from] auth::jwt::KeyError),
    #[error(transparent)]
    Persist(#[from] state::PersistError),
}

/// Why [`SimHandle::consent`] refused, as the consent pages would have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    #[error("no application with client_id '{0}' is registered")]
    UnknownApp(String),
    #[error("'{0}' is not a redirect URI registered for this application")]
    UnregisteredRedirect(String),
    #[error("no user '{0}'")]
    UnknownUser(String),
}

/// State shared by every handler.
pub(crate) struct Shared {
    state: Mutex<SimState>,
    pub keys: Arc<Keys>,
    pub issuer: String,
    pub state_file: Option<PathBuf>,
    /// The scenario as started, for `/__sim/reset`.
    pub original: Scenario,
    /// The state file as this simulator last read or wrote it (see `shared_file`).
    seen: Mutex<Option<shared_file::FileStamp>>,
    /// Requests that panicked (answered 500).
    pub panics: panics::PanicLog,
    /// Where the next label request waits, once it has arrived ([`SimHandle::hold_next_label`]).
    pub label_hold: Mutex<Option<Arc<LabelHold>>>,
    /// How far the hourly quota windows' clock runs ahead of the wall clock
    /// ([`SimHandle::advance_quota_clock`]).
    quota_clock_ahead_ms: std::sync::atomic::AtomicU64,
}

impl Shared {
    /// The time the hourly quota windows are counted in.
    pub(crate) fn quota_now_ms(&self) -> u64 {
        ids::now_ms()
            + self
                .quota_clock_ahead_ms
                .load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// The clock a simulator counts its hourly quota windows in ([`SimHandle::quota_clock`]).
#[derive(Clone)]
pub struct QuotaClock(Arc<Shared>);

impl QuotaClock {
    /// Moves the quota windows' clock `by` ahead of the wall clock.
    pub fn advance(&self, by: std::time::Duration) {
        self.0
            .quota_clock_ahead_ms
            .fetch_add(by.as_millis() as u64, std::sync::atomic::Ordering::SeqCst);
    }
}

impl std::fmt::Debug for QuotaClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuotaClock").finish_non_exhaustive()
    }
}

/// A label request held by the simulator after it arrived and before the label is made: the
/// point where a request is "on the wire" for the client, reached deterministically.
#[derive(Default)]
pub struct LabelHold {
    arrived: tokio::sync::Notify,
    release: tokio::sync::Notify,
}

impl LabelHold {
    /// Returns once the request is held.
    pub async fn arrived(&self) {
        self.arrived.notified().await;
    }

    /// Lets the held request go on (or the next one that arrives, if none has yet).
    pub fn release(&self) {
        self.release.notify_one();
    }

    /// Called by the labels handler: says the request is here, waits to be let go.
    pub(crate) async fn hold(&self) {
        self.arrived.notify_one();
        self.release.notified().await;
    }
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, SimState> {
        // A panic while holding the lock leaves consistent-enough data for a simulator.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes the durable state when a state file is configured.
    pub fn persist(&self, st: &SimState) {
        if let Some(path) = &self.state_file {
            match state::save(path, &st.durable) {
                Ok(()) => *self.seen() = shared_file::FileStamp::of(path),
                Err(e) => tracing::error!("usps-sim: {e}"),
            }
        }
    }

    fn seen(&self) -> MutexGuard<'_, Option<shared_file::FileStamp>> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running simulator.
pub struct SimHandle {
    base_url: url::Url,
    shared: Arc<Shared>,
    panic_policy: PanicPolicy,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SimHandle {
    /// e.g. `http://127.0.0.1:41234/` — use it wherever the client would use
    /// `https://apis.usps.com/` (and as the consent portal host).
    pub fn base_url(&self) -> url::Url {
        self.base_url.clone()
    }

    /// Every charge, cancellation and refund request so far.
    /// Holds the next label request once it has arrived, before the label is made or charged.
    pub fn hold_next_label(&self) -> Arc<LabelHold> {
        let hold = Arc::new(LabelHold::default());
        *self
            .shared
            .label_hold
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(hold.clone());
        hold
    }

    /// The clock of the hourly quota windows, to move ahead so a test sees an hour of quota
    /// pass in no time (a client pacing itself on a simulated clock moves both).
    pub fn quota_clock(&self) -> QuotaClock {
        QuotaClock(self.shared.clone())
    }

    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.shared.lock().durable.ledger.clone()
    }

    /// Labels bought so far, by tracking number.
    pub fn labels(&self) -> Vec<LabelRecord> {
        self.shared
            .lock()
            .durable
            .labels
            .values()
            .cloned()
            .collect()
    }

    /// `username` consents to `client_id` as if they had signed in on the consent pages, ticked
    /// the terms and pressed Authorize & Continue: the consent is recorded and the one-time
    /// authorization code USPS would send back to `redirect_uri` is returned. The code is then
    /// exchanged at `/oauth2/v3/token` like one from the pages. For an embedding app's demo
    /// account, which has no person to click through the pages.
    pub fn consent(
        &self,
        client_id: &str,
        username: &str,
        redirect_uri: &str,
    ) -> Result<String, ConsentError> {
        let _turn = self
            .shared
            .state_file
            .as_deref()
            .and_then(shared_file::lock_blocking);
        let mut st = self.shared.lock();
        self.shared.reload_if_changed(&mut st);
        let app = st
            .scenario
            .app(client_id)
            .ok_or_else(|| ConsentError::UnknownApp(client_id.to_owned()))?;
        if !app.redirect_uris.iter().any(|u| u == redirect_uri) {
            return Err(ConsentError::UnregisteredRedirect(redirect_uri.to_owned()));
        }
        if st.scenario.user(username).is_none() {
            return Err(ConsentError::UnknownUser(username.to_owned()));
        }
        let code = auth::consent::grant(&mut st, client_id, username, redirect_uri);
        self.shared.persist(&st);
        Ok(code)
    }

    /// Calls received per API (`oauth2`, `payments`, `labels`, ...).
    pub fn calls(&self) -> BTreeMap<String, u64> {
        self.shared.lock().calls.clone()
    }

    /// Requests that panicked so far ("METHOD /path: message"); each was answered 500.
    pub fn panics(&self) -> Vec<String> {
        self.shared.panics.list()
    }

    /// Like [`SimHandle::panics`], and forgets them: for a test that provokes a panic on
    /// purpose (`/__sim/panic`) and must not fail when the handle is dropped.
    pub fn take_panics(&self) -> Vec<String> {
        self.shared.panics.take()
    }

    /// Stops accepting connections and closes the open ones.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        let panicked = self.shared.panics.list();
        if self.panic_policy == PanicPolicy::FailOnDrop
            && !panicked.is_empty()
            && !std::thread::panicking()
        {
            panic!(
                "usps-sim: {} request(s) panicked in the simulator (each was answered 500):\n{}",
                panicked.len(),
                panicked.join("\n")
            );
        }
    }
}

/// Binds, loads persisted state if any, and serves in a background task.
pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
    config.scenario.validate()?;
    // Another process may be starting on the same file: load and first save in one turn.
    let turn = config
        .state_file
        .as_deref()
        .and_then(shared_file::lock_blocking);
    let durable = match &config.state_file {
        Some(path) => state::load(path)?,
        None => state::Durable::default(),
    };
    let keys = match &durable.signing_key_pem {
        Some(pem) => Arc::new(Keys::from_pem(pem)?),
        None => {
            let seed = config.scenario.seed;
            tokio::task::spawn_blocking(move || Keys::for_seed(seed))
                .await
                .expect("key generation task")?
        }
    };
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| SimError::Bind {
            addr: config.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| SimError::Bind {
        addr: config.bind,
        source,
    })?;
    let base_url = url::Url::parse(&format!("http://{addr}/")).expect("socket address URL");
    let mut st = SimState::new(config.scenario.clone(), durable);
    st.durable.signing_key_pem = Some(keys.private_pem.clone());
    let shared = Arc::new(Shared {
        state: Mutex::new(st),
        keys,
        issuer: format!("{base_url}realms/USPS"),
        state_file: config.state_file.clone(),
        original: config.scenario,
        seen: Mutex::new(None),
        panics: panics::PanicLog::default(),
        label_hold: Mutex::new(None),
        quota_clock_ahead_ms: std::sync::atomic::AtomicU64::new(0),
    });
    shared.persist(&shared.lock());
    drop(turn);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let app = router::build(shared.clone());
    let task = tokio::spawn(server::serve(
        listener,
        app,
        shared.clone(),
        config.limits,
        stop_rx,
    ));
    Ok(SimHandle {
        base_url,
        shared,
        panic_policy: config.panics,
        stop: Some(stop_tx),
        task: Some(task),
    })
}
