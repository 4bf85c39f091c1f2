//! `endicia-sim`: a local simulator of the Endicia Label Server (ELS) XML-over-HTTP API.
//!
//! The app's Sandbox mode and every test talk to it exactly as they would talk to
//! `…/LabelService/EwsLabelService.asmx`: form-encoded request XML in, `text/xml` answers in the
//! `www.envmgr.com/LabelService` namespace out, business errors in-band (`Status`, an
//! `ErrorMessage` ending in "Error encountered (Log ID: n)"), never as HTTP errors.
//!
//! Simulated: account status, postage purchase with the purchase and balance limits, pass-phrase
//! change with the reuse rule, lock-out after five wrong pass phrases and its recovery through
//! the challenge question, labels (sample and live, with a deterministic price list of our
//! own), rate quotes, refunds and SCAN forms, plus fault injection (`/__sim/...`).
//!
//! Where the sources are silent the simulator takes the stricter reading, and says so at the
//! spot in the code. The main ones:
//! - a balance ceiling breach is refused with 12119 (its real code is unknown);
//! - "not one of the last four pass phrases" counts the current one plus the three before it;
//! - a correct pass phrase resets the bad-attempt counter; a suspended account answers 2012
//!   before its pass phrase is even checked;
//! - tokens last until the pass phrase changes;
//! - an unknown method or missing form field is answered with a plain-text HTTP 404 / 500;
//! - `PartnerCustomerID` and `PartnerTransactionID` are required on labels;
//! - international mail classes are answered 404 (no international rates here).
//!
//! ```no_run
//! # async fn demo() -> Result<(), endicia_sim::SimError> {
//! let sim = endicia_sim::start(endicia_sim::EndiciaSimConfig::sandbox()).await?;
//! println!("ELS at {}", sim.service_url()); // …/LabelService/EwsLabelService.asmx/
//! sim.faults().fail_next("BuyPostageXML", 12133);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

mod accounts;
mod auth;
mod faults;
mod images;
mod labels;
mod money;
mod pricing;
mod rates;
mod refunds;
mod scan;
mod server;
mod shared_file;
mod state;
mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rust_decimal::Decimal;

pub use faults::Faults;
pub use state::{AccountSnapshot, AccountStatus, LedgerEntry, LedgerKind};

use state::Durable;

pub const DEMO_ACCOUNT_ID: &str = "2500123";
pub const DEMO_PASS_PHRASE: &str = "Shipdesk demo 2026";
pub const DEMO_EMAIL: &str = "demo@shipdesk.example";
pub const DEMO_CHALLENGE_QUESTION: &str = "Name of your first pet?";
pub const DEMO_CHALLENGE_ANSWER: &str = "Rex";
/// The second demo account, still on its temporary pass phrase.
pub const DEMO_TEMP_ACCOUNT_ID: &str = "2500124";
pub const DEMO_TEMP_PASS_PHRASE: &str = "temporary-1";

/// One Endicia account in the simulator.
#[derive(Debug, Clone, PartialEq)]
pub struct SimAccount {
    /// 6–7 digits.
    pub account_id: String,
    pub pass_phrase: String,
    /// True → every call but ChangePassPhrase fails 2011.
    pub temporary: bool,
    pub email: String,
    pub challenge_question: String,
    /// Compared case-insensitively, trimmed.
    pub challenge_answer: String,
    /// PostageBalance.
    pub balance: Decimal,
    /// AscendingBalance (postage printed to date).
    pub ascending: Decimal,
    /// Per-purchase limit (new accounts: 500).
    pub max_purchase: Decimal,
    /// Balance ceiling (new accounts: 500).
    pub max_balance: Decimal,
}

/// How to run a simulator.
#[derive(Debug, Clone)]
pub struct EndiciaSimConfig {
    /// `127.0.0.1:0` picks a free port.
    pub bind: SocketAddr,
    pub accounts: Vec<SimAccount>,
    /// Keeps accounts, ledger, labels, refunds and SCAN forms across restarts (JSON). When the
    /// file exists its accounts win over `accounts`; configured accounts it lacks are added.
    pub state_file: Option<PathBuf>,
}

impl EndiciaSimConfig {
    /// Loopback on a free port, the two demo accounts, no state file.
    pub fn sandbox() -> Self {
        EndiciaSimConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            accounts: vec![demo_account(), demo_temporary_account()],
            state_file: None,
        }
    }
}

/// The demo account: balance 100.00, limits 500 per purchase and 1000 balance.
pub fn demo_account() -> SimAccount {
    SimAccount {
        account_id: DEMO_ACCOUNT_ID.into(),
        pass_phrase: DEMO_PASS_PHRASE.into(),
        temporary: false,
        email: DEMO_EMAIL.into(),
        challenge_question: DEMO_CHALLENGE_QUESTION.into(),
        challenge_answer: DEMO_CHALLENGE_ANSWER.into(),
        balance: Decimal::new(10000, 2),
        ascending: Decimal::ZERO,
        max_purchase: Decimal::from(500),
        max_balance: Decimal::from(1000),
    }
}

/// The new demo account still on its temporary pass phrase: balance 0, limits 500/500.
pub fn demo_temporary_account() -> SimAccount {
    SimAccount {
        account_id: DEMO_TEMP_ACCOUNT_ID.into(),
        pass_phrase: DEMO_TEMP_PASS_PHRASE.into(),
        temporary: true,
        balance: Decimal::ZERO,
        max_balance: Decimal::from(500),
        ..demo_account()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("state file {path}: {source}")]
    StateFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("state file {path} is not valid simulator state: {source}")]
    StateFormat {
        path: PathBuf,
        source: serde_json::Error,
    },
}

/// State shared by the handle and every request.
pub(crate) struct Shared {
    state: Mutex<Durable>,
    pub faults: Faults,
    state_file: Option<PathBuf>,
    /// The state file as this simulator last read or wrote it (`shared_file.rs`).
    seen: Mutex<Option<shared_file::FileStamp>>,
    log_id: AtomicU64,
}

/// A call's turn on the state: the state file's lock (when there is a file) and the state,
/// reloaded first if another process wrote it meanwhile.
pub(crate) struct Turn<'a> {
    pub state: MutexGuard<'a, Durable>,
    _file_lock: Option<std::fs::File>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, Durable> {
        // A panic while holding the lock leaves data consistent enough for a simulator.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes the state file, when there is one (a failure is logged: the simulator goes on).
    pub fn persist(&self, d: &Durable) {
        if let Some(path) = &self.state_file {
            match state::save(path, d) {
                Ok(()) => *self.seen() = shared_file::FileStamp::of(path),
                Err(e) => tracing::error!("endicia-sim: {e}"),
            }
        }
    }

    fn seen(&self) -> MutexGuard<'_, Option<shared_file::FileStamp>> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for this call's turn (blocking: call it off the async workers) and returns the
    /// state as the file holds it now.
    pub fn turn(&self) -> Turn<'_> {
        let file_lock = self
            .state_file
            .as_deref()
            .and_then(shared_file::lock_blocking);
        let mut state = self.lock();
        if let Some(path) = &self.state_file {
            let now = shared_file::FileStamp::of(path);
            if now.is_some() && now != *self.seen() {
                match state::load(path) {
                    Ok(Some(d)) => {
                        *state = d;
                        *self.seen() = now;
                    }
                    Ok(None) => {}
                    Err(e) => tracing::error!("endicia-sim: {e}"),
                }
            }
        }
        Turn {
            state,
            _file_lock: file_lock,
        }
    }

    /// The next "Log ID" of an error message.
    pub fn next_log_id(&self) -> u64 {
        self.log_id.fetch_add(1, Ordering::Relaxed)
    }

    /// The state after crediting refunds that have come due.
    fn settled(&self) -> Turn<'_> {
        let mut turn = self.turn();
        if turn.state.settle_refunds(self.faults.now()) {
            self.persist(&turn.state);
        }
        turn
    }

    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.settled().state.ledger.clone()
    }

    pub fn snapshot(&self, id: &str) -> Option<AccountSnapshot> {
        self.settled()
            .state
            .accounts
            .get(id)
            .map(AccountSnapshot::from)
    }
}

/// A running simulator.
pub struct EndiciaSimHandle {
    base_url: url::Url,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl EndiciaSimHandle {
    /// e.g. `http://127.0.0.1:41234/`.
    pub fn base_url(&self) -> url::Url {
        self.base_url.clone()
    }

    /// `{base}LabelService/EwsLabelService.asmx/`: append the method name.
    pub fn service_url(&self) -> url::Url {
        self.base_url
            .join("LabelService/EwsLabelService.asmx/")
            .expect("static relative URL")
    }

    /// Every money movement so far, oldest first.
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.shared.ledger()
    }

    pub fn account(&self, id: &str) -> Option<AccountSnapshot> {
        self.shared.snapshot(id)
    }

    pub fn faults(&self) -> &Faults {
        &self.shared.faults
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

impl Drop for EndiciaSimHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
    }
}

/// Loads the state file (if any), binds, and serves in a background task.
pub async fn start(config: EndiciaSimConfig) -> Result<EndiciaSimHandle, SimError> {
    let durable = match &config.state_file {
        Some(path) => match state::load(path)? {
            Some(mut d) => {
                d.add_missing(&config.accounts);
                d
            }
            None => Durable::fresh(&config.accounts),
        },
        None => Durable::fresh(&config.accounts),
    };
    if let Some(path) = &config.state_file {
        state::save(path, &durable)?;
    }
    let seen = config
        .state_file
        .as_deref()
        .and_then(shared_file::FileStamp::of);
    let bind_err = |source| SimError::Bind {
        addr: config.bind,
        source,
    };
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(bind_err)?;
    let addr = listener.local_addr().map_err(bind_err)?;
    let base_url = url::Url::parse(&format!("http://{addr}/")).expect("socket address URL");
    let shared = Arc::new(Shared {
        state: Mutex::new(durable),
        faults: Faults::default(),
        state_file: config.state_file,
        seen: Mutex::new(seen),
        log_id: AtomicU64::new(40_001),
    });
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let app = server::router(shared.clone());
    let task = tokio::spawn(server::serve(listener, app, stop_rx));
    Ok(EndiciaSimHandle {
        base_url,
        shared,
        stop: Some(stop_tx),
        task: Some(task),
    })
}
