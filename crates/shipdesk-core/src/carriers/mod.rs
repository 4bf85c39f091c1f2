//! USPS accounts and their connection lifecycle (docs/connection.md).
//!
//! [`Connections`] is the one place that knows how to reach USPS for an account: it keeps the
//! accounts (an [`AccountStore`], no secrets), their secrets (the [`SecretStore`] port: OS keyring, or memory
//! when the user chooses), one cached [`usps::UspsAccount`] per account (so the access-token cache
//! and single-flight renewal work across calls), and the per-account [`ConnectionState`].
//!
//! Every USPS call in the app goes through the same two doors:
//! ```ignore
//! let session = desk.connections().session(account_id).await?;
//! match session.create_label(..).await {
//!     Ok(x) => desk.connections().report_success(account_id),
//!     Err(e) => return Err(desk.connections().report_failure(account_id, &e)),
//! }
//! ```
//! `report_failure` classifies (see `classify.rs`), persists the new state, and broadcasts a
//! [`ConnectionSnapshot`] to [`Connections::subscribe`]rs; the app emits each as the
//! `usps://connection` event. Core owns the state and "Remind Me Later" (`snooze.rs`): every
//! change, snoozing included, makes a new snapshot, and a window that opens reads the current one
//! ([`Connections::connection_snapshot`]), so the UI only renders what core says.
//!
//! Connecting lives in submodules: `sign_in` (COP consent through a one-shot loopback listener),
//! `own_app` (client credentials), `sandbox` (the [`SandboxHost`] port and the demo account),
//! `doctor` (the Check connection checklist).

mod callback;
mod classify;
mod contract;
mod doctor;
pub mod endicia;
mod guide_offer;
mod keyring_store;
mod listener;
mod model;
mod onboarding;
mod own_app;
pub mod platform_apps;
mod postage_router;
mod records;
mod sandbox;
mod secrets;
mod session;
mod sign_in;
mod snooze;
mod usps_postage;
mod validate;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::UtcOffset;
use time::format_description::well_known::Rfc3339;
use tokio::sync::broadcast;

pub use callback::CALLBACK_PATH;
pub use doctor::{CheckStatus, CheckStep, ConnectionCheck};
pub use guide_offer::GuideOffer;
pub use keyring_store::{KEYRING_SERVICE, KeyringSecretStore};
pub use model::{
    AccountConnection, AccountFields, AccountId, ConnectOutcome, ConnectionMode,
    ConnectionSnapshot, ConnectionState, ContractSource, EndiciaAttention, UspsAccountRecord,
};
pub use onboarding::{
    OnboardingAction, OnboardingGuide, OnboardingStatus, OnboardingStep, OnboardingStepKey,
};
pub use own_app::DisconnectOutcome;
pub use own_app::OwnAppRequest;
pub(crate) use postage_router::PostageRouter;
pub use records::{
    AccountStore, Identifier, NewAccount, nickname_taken, no_such_account,
    open_purchases_block_removal, open_purchases_keep_identifiers,
};
pub use sandbox::{RunningEndiciaSandbox, RunningSandbox, SandboxHost, sandbox_unavailable};
pub use sign_in::{SignInHandle, SignInRequest};
pub use validate::normalize as normalize_fields;

use crate::environment::Environment;
use crate::error::{AppError, AppResult};
use crate::paths::DataDir;
use crate::ports::{Clock, MemorySecretStore, Opener, SecretStore};
use crate::settings::SettingsStore;

use secrets::{SecretKeys, SecretsHandle};
use snooze::PromptSnoozes;

/// The redirect port registered for Shipdesk's USPS app (USPS matches redirect URIs exactly).
pub const DEFAULT_REDIRECT_PORT: u16 = 8765;
/// How long the sign-in listener waits for the browser to come back.
pub const DEFAULT_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// A platform USPS app that "Sign in with USPS" consents to, for one environment. TEM's and
/// Production's are configuration ([`platform_apps`]); Sandbox's comes from the [`SandboxHost`].
#[derive(Clone)]
pub struct PlatformApp {
    pub environment: Environment,
    pub client_id: String,
    pub client_secret: String,
    /// The port of the loopback redirect URI registered for this app; `None`: the configured
    /// [`ConnectionsConfig::redirect_port`].
    pub redirect_port: Option<u16>,
}

impl std::fmt::Debug for PlatformApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformApp")
            .field("environment", &self.environment)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("redirect_port", &self.redirect_port)
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct ConnectionsConfig {
    /// Port of the loopback redirect `http://127.0.0.1:<port>/usps/callback`.
    pub redirect_port: u16,
    pub sign_in_timeout: Duration,
    pub usps_client: usps::ClientConfig,
    /// Platform apps for Sign in with USPS outside Sandbox given by the program; each wins over
    /// the configured one ([`platform_apps`]) for its environment.
    pub platform_apps: Vec<PlatformApp>,
    /// The user's UTC offset, for "Remind Me Later" (until the end of the local day).
    pub local_offset: UtcOffset,
    /// Whether a fresh data directory gets the connected Sandbox demo account.
    pub sandbox_demo_account: bool,
}

impl Default for ConnectionsConfig {
    fn default() -> Self {
        Self {
            redirect_port: DEFAULT_REDIRECT_PORT,
            sign_in_timeout: DEFAULT_SIGN_IN_TIMEOUT,
            usps_client: usps::ClientConfig::default(),
            platform_apps: Vec::new(),
            local_offset: UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC),
            sandbox_demo_account: true,
        }
    }
}

/// The ports `Connections` talks to the outside world through.
#[derive(Clone)]
pub struct ConnectionPorts {
    pub secrets: Arc<dyn SecretStore>,
    pub opener: Arc<dyn Opener>,
    pub clock: Arc<dyn Clock>,
    /// The USPS simulator Sandbox accounts use; without one they fail with
    /// [`sandbox_unavailable`].
    pub sandbox: Option<Arc<dyn SandboxHost>>,
}

/// USPS accounts, their secrets, sessions and connection states for one data directory.
pub struct Connections {
    accounts: Arc<dyn AccountStore>,
    settings: Arc<dyn SettingsStore>,
    data_dir: DataDir,
    config: ConnectionsConfig,
    secrets: SecretsHandle,
    secrets_in_memory: std::sync::atomic::AtomicBool,
    keys: SecretKeys,
    opener: Arc<dyn Opener>,
    clock: Arc<dyn Clock>,
    sessions: session::SessionCache,
    sandbox: sandbox::SandboxSlot,
    /// TEM's and Production's platform apps as configured, or why there is none.
    platform_setup: platform_apps::PlatformAppSetup,
    events: broadcast::Sender<ConnectionSnapshot>,
    /// The last snapshot's revision; held while a snapshot is made, so revisions follow the
    /// order of what they show.
    snapshot_revision: Mutex<u64>,
    snoozes: PromptSnoozes,
    /// Last 429 per account (when, Retry-After) for the connection doctor.
    quota_hits: Mutex<HashMap<AccountId, (time::OffsetDateTime, Option<Duration>)>>,
    /// Classes the last contract price search found no contract price for, per account.
    contract_gaps: contract::ContractGaps,
    /// The Endicia account that pays for labels and must be logged in to again, and why.
    endicia_login_lost: Mutex<Option<(AccountId, String, String)>>,
}

impl std::fmt::Debug for Connections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connections")
            .field("data_dir", &self.data_dir)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Connections {
    /// Over a storage backend that keeps both accounts and settings (the SQLite store does).
    pub fn new(
        store: Arc<impl AccountStore + SettingsStore + 'static>,
        data_dir: DataDir,
        ports: ConnectionPorts,
        config: ConnectionsConfig,
    ) -> AppResult<Self> {
        let keys = SecretKeys::load(store.as_ref())?;
        let (events, _) = broadcast::channel(64);
        Ok(Self {
            accounts: store.clone(),
            settings: store,
            data_dir,
            snoozes: PromptSnoozes::new(config.local_offset),
            config,
            secrets: SecretsHandle::new(ports.secrets),
            secrets_in_memory: std::sync::atomic::AtomicBool::new(false),
            keys,
            opener: ports.opener,
            clock: ports.clock,
            sessions: session::SessionCache::default(),
            sandbox: sandbox::SandboxSlot::new(ports.sandbox),
            platform_setup: platform_apps::PlatformAppSetup::default(),
            events,
            snapshot_revision: Mutex::new(0),
            quota_hits: Mutex::new(HashMap::new()),
            contract_gaps: contract::ContractGaps::default(),
            endicia_login_lost: Mutex::new(None),
        })
    }

    pub fn config(&self) -> &ConnectionsConfig {
        &self.config
    }

    /// Takes the platform apps read from the configuration ([`platform_apps::load`]); an app
    /// the program gave in [`ConnectionsConfig::platform_apps`] wins for its environment.
    pub(crate) fn set_platform_setup(&mut self, mut setup: platform_apps::PlatformAppSetup) {
        for app in &self.config.platform_apps {
            setup.put_program_app(app);
        }
        self.platform_setup = setup;
    }

    /// Whether Sign in with USPS is offered on TEM and Production, with which app (never its
    /// secret), or why not: for `shipdesk doctor`, About and Add account.
    pub fn platform_app_statuses(&self) -> Vec<platform_apps::PlatformAppStatus> {
        self.platform_setup.statuses.clone()
    }

    /// The secret store accounts use now (keyring, or memory only), and the key of an entry of
    /// the remembered Endicia login.
    pub(crate) fn endicia_secret(&self, what: &str) -> (Arc<dyn SecretStore>, String) {
        (self.secrets.current(), self.keys.endicia_key(what))
    }

    pub(crate) fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub(crate) fn settings(&self) -> &Arc<dyn SettingsStore> {
        &self.settings
    }

    fn now(&self) -> String {
        self.clock
            .now()
            .format(&Rfc3339)
            .unwrap_or_else(|_| self.clock.now().unix_timestamp().to_string())
    }

    // ---- accounts ------------------------------------------------------------------------

    pub fn account(&self, id: AccountId) -> AppResult<UspsAccountRecord> {
        self.accounts.get(id)
    }

    /// By id or nickname (the CLI's `ACCOUNT` argument).
    pub fn find_account(&self, id_or_nickname: &str) -> AppResult<UspsAccountRecord> {
        self.accounts.find(id_or_nickname)
    }

    /// Every account, the default first.
    pub fn list_accounts(&self) -> AppResult<Vec<UspsAccountRecord>> {
        self.accounts.list()
    }

    /// The default account, or a VALIDATION error that says where to add one.
    pub fn default_account(&self) -> AppResult<UspsAccountRecord> {
        self.accounts.default_account()?.ok_or_else(|| {
            AppError::validation("Add a USPS account in Settings › Carrier Settings first")
        })
    }

    pub fn set_default_account(&self, id: AccountId) -> AppResult<UspsAccountRecord> {
        self.accounts.set_default(id, &self.now())?;
        self.broadcast_snapshot();
        self.account(id)
    }

    /// Edits nickname / CRID / MIDs / EPS account (validated, one message per field). `None`
    /// leaves a field as it is; an empty string clears an identifier (a nickname stays).
    pub fn update_account(
        &self,
        id: AccountId,
        fields: &AccountFields,
    ) -> AppResult<UspsAccountRecord> {
        let clean = validate::normalize(fields)?;
        let blank = |v: &Option<String>| v.as_deref().is_some_and(|s| s.trim().is_empty());
        let cleared: Vec<records::Identifier> = [
            (records::Identifier::Crid, &fields.crid),
            (records::Identifier::Mid, &fields.mid),
            (records::Identifier::ManifestMid, &fields.manifest_mid),
            (records::Identifier::EpsAccount, &fields.eps_account),
        ]
        .into_iter()
        .filter(|(_, value)| blank(value))
        .map(|(which, _)| which)
        .collect();
        let updated = self
            .accounts
            .update_fields(id, &clean, &cleared, &self.now())?;
        self.sessions.evict(id);
        self.broadcast_snapshot();
        Ok(updated)
    }

    // ---- secrets ---------------------------------------------------------------------------

    /// "Keep this session in memory only": from now on secrets live in memory and are gone when
    /// the app exits. Cached sessions are dropped so they pick up the new store.
    pub fn use_memory_secret_store(&self) {
        self.secrets.replace(Arc::new(MemorySecretStore::default()));
        self.secrets_in_memory
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.sessions.clear();
    }

    pub fn secrets_in_memory_only(&self) -> bool {
        self.secrets_in_memory
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    // ---- state -----------------------------------------------------------------------------

    /// A [`ConnectionSnapshot`] after every change (the app emits them as `usps://connection`).
    pub fn subscribe(&self) -> broadcast::Receiver<ConnectionSnapshot> {
        self.events.subscribe()
    }

    /// Every account's connection now: what a window shows when it opens, before any change
    /// is broadcast.
    pub fn connection_snapshot(&self) -> AppResult<ConnectionSnapshot> {
        let mut revision = self
            .snapshot_revision
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let records = self.list_accounts()?;
        let contract_prices_said = self.contract_prices_said()?;
        let guide_offer = guide_offer::offer(contract_prices_said, &records);
        let accounts = records
            .into_iter()
            .map(|a| AccountConnection {
                prompt: classify::prompt_now(&a.state, self.prompt_snoozed(a.id)),
                account_id: a.id,
                nickname: a.nickname,
                state: a.state,
            })
            .collect();
        let endicia = self
            .endicia_login_lost
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .map(|(account_id, account_number, reason)| EndiciaAttention {
                prompt: !self.prompt_snoozed(account_id),
                account_id,
                account_number,
                reason,
            });
        *revision += 1;
        Ok(ConnectionSnapshot {
            revision: *revision,
            accounts,
            contract_prices_said,
            guide_offer,
            endicia,
        })
    }

    /// The Endicia account that pays for labels lost its login: every window shows the banner
    /// and, unless snoozed, the "log in again" prompt.
    pub(crate) fn endicia_login_lost(&self, account: AccountId, number: &str, reason: &str) {
        let next = Some((account, number.to_owned(), reason.to_owned()));
        let mut lost = self
            .endicia_login_lost
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if *lost != next {
            *lost = next;
            drop(lost);
            self.broadcast_snapshot();
        }
    }

    /// Endicia account `number` is logged in again (or no longer pays for labels).
    pub(crate) fn endicia_login_back(&self, number: Option<&str>) {
        let mut lost = self
            .endicia_login_lost
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let Some((account, lost_number, _)) = lost.as_ref() else {
            return;
        };
        if number.is_none_or(|n| n == lost_number) {
            self.snoozes.clear(*account);
            *lost = None;
            drop(lost);
            self.broadcast_snapshot();
        }
    }

    /// "Remind Me Later" for the Endicia prompt: hidden until the end of the local day; the
    /// banner stays. Returns when the snooze ends (RFC 3339), or `None` when nothing asks.
    pub fn snooze_endicia_prompt(&self) -> Option<String> {
        let account = self
            .endicia_login_lost
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|(id, _, _)| *id)?;
        let until = self.snoozes.snooze(account, self.clock.now());
        self.broadcast_snapshot();
        Some(until.format(&Rfc3339).unwrap_or_default())
    }

    /// Tells subscribers about a change (nothing to do without any: the CLI has none).
    fn broadcast_snapshot(&self) {
        if self.events.receiver_count() == 0 {
            return;
        }
        match self.connection_snapshot() {
            // A send fails only when the last subscriber left meanwhile.
            Ok(snapshot) => drop(self.events.send(snapshot)),
            Err(e) => tracing::error!("could not read the USPS accounts for the UI: {e}"),
        }
    }

    /// EVERY failed USPS call passes through here: classifies the error
    /// (docs/connection.md#classifier), updates and persists the account's state, broadcasts
    /// the new snapshot, and returns the error to show (its details point at the account as the
    /// snapshot shows it).
    pub fn report_failure(&self, account: AccountId, error: &usps::UspsError) -> AppError {
        let record = match self.account(account) {
            Ok(record) => record,
            Err(e) => return e,
        };
        let verdict = classify::classify(&record, error, self.prompt_snoozed(account));
        // The user reads USPS's sentences; the log keeps the status, codes and field paths.
        if let usps::UspsError::Rejected(rejection) = error {
            tracing::warn!(account, "USPS refused a request: {rejection}");
        }
        if let Some(wait) = verdict.quota_wait {
            self.quota_hits
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(account, (self.clock.now(), wait));
        }
        if verdict.state != record.state {
            if verdict.state.needs_reconnect()
                || matches!(verdict.state, ConnectionState::NotEntitled { .. })
            {
                // The session's tokens are dead or useless; the next call builds a fresh one.
                self.sessions.evict(account);
            }
            if let Err(e) = self.change_state(&record, verdict.state, None) {
                tracing::error!(account, "could not save the USPS connection state: {e}");
            }
        }
        verdict.error
    }

    /// A successful call: marks a NeedsReconnect account Connected and stamps last verified.
    pub fn report_success(&self, account: AccountId) {
        let Ok(record) = self.account(account) else {
            return;
        };
        let next = classify::state_after_success(&record.state);
        if next == record.state && self.verified_recently(&record) {
            // Nothing new to record; spares a database write on every USPS call.
            return;
        }
        let now = self.now();
        if let Err(e) = self.change_state(&record, next, Some(&now)) {
            tracing::error!(account, "could not save the USPS connection state: {e}");
        }
    }

    fn verified_recently(&self, record: &UspsAccountRecord) -> bool {
        record
            .last_verified_at
            .as_deref()
            .and_then(|at| time::OffsetDateTime::parse(at, &Rfc3339).ok())
            .is_some_and(|at| (self.clock.now() - at).abs() < time::Duration::minutes(1))
    }

    /// Persists `next` (and `verified_at`) and broadcasts when the state changed. Leaving
    /// `NeedsReconnect` ends "Remind Me Later": the next problem prompts again.
    fn change_state(
        &self,
        record: &UspsAccountRecord,
        next: ConnectionState,
        verified_at: Option<&str>,
    ) -> AppResult<UspsAccountRecord> {
        let updated = self
            .accounts
            .set_state(record.id, &next, verified_at, &self.now())?;
        if updated.state != record.state {
            if !updated.state.needs_reconnect() {
                self.snoozes.clear(record.id);
            }
            self.broadcast_snapshot();
        }
        Ok(updated)
    }

    /// "Remind Me Later": hides the Reconnect prompt until the end of the local day (or the next
    /// app start) and broadcasts the snapshot that says so. The banner stays. Returns when the
    /// snooze ends (RFC 3339).
    pub fn snooze_reconnect_prompt(&self, account: AccountId) -> AppResult<String> {
        self.account(account)?;
        let until = self.snoozes.snooze(account, self.clock.now());
        self.broadcast_snapshot();
        Ok(until.format(&Rfc3339).unwrap_or_default())
    }

    pub fn prompt_snoozed(&self, account: AccountId) -> bool {
        self.snoozes.is_snoozed(account, self.clock.now())
    }
}
