//! The USPS account as the app shows and stores it, and its connection state.
//!
//! Everything here crosses IPC (serde + ts-rs) and none of it is secret: client secrets and
//! refresh tokens never appear in these types, so they cannot leak into SQLite, logs or the UI.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::environment::Environment;

/// Row id of a USPS account.
pub type AccountId = i64;

/// How an account obtains USPS tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ConnectionMode {
    /// "Sign in with USPS": the business consents in the Customer Onboarding Portal and the app
    /// keeps a refresh token. `client_id` is the platform app the consent was given to.
    SignIn { client_id: String },
    /// "Use my own USPS API app": the business's own client id and secret (client credentials).
    OwnApp { client_id: String },
}

impl ConnectionMode {
    pub fn client_id(&self) -> &str {
        match self {
            ConnectionMode::SignIn { client_id } | ConnectionMode::OwnApp { client_id } => {
                client_id
            }
        }
    }

    pub fn is_sign_in(&self) -> bool {
        matches!(self, ConnectionMode::SignIn { .. })
    }
}

/// Per-account connection state (docs/connection.md#states). Driven only by the classifier of
/// failed calls ([`super::Connections::report_failure`]), successful calls, sign-in and
/// disconnect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum ConnectionState {
    Connected,
    /// The grant is dead (refresh token expired or revoked, credentials refused): the user must
    /// sign in again. The UI shows Reconnect / Remind Me Later and the banner.
    NeedsReconnect {
        reason: String,
    },
    /// A product or a Customer Onboarding Portal link is missing: signing in again will not help,
    /// so no reconnect prompt; `fix` says what to do, in the user's words.
    NotEntitled {
        missing: Vec<String>,
        fix: String,
    },
    /// Never connected, or disconnected by the user: no secrets are stored.
    Disconnected,
}

impl ConnectionState {
    pub fn needs_reconnect(&self) -> bool {
        matches!(self, ConnectionState::NeedsReconnect { .. })
    }

    pub fn label(&self) -> &'static str {
        match self {
            ConnectionState::Connected => "Connected",
            ConnectionState::NeedsReconnect { .. } => "Needs reconnect",
            ConnectionState::NotEntitled { .. } => "Not entitled",
            ConnectionState::Disconnected => "Disconnected",
        }
    }
}

/// One USPS account as stored (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UspsAccountRecord {
    #[ts(type = "number")]
    pub id: AccountId,
    pub nickname: String,
    pub environment: Environment,
    /// A custom host instead of the environment's own (a local simulator, a test proxy).
    pub base_url: Option<String>,
    pub crid: Option<String>,
    /// Master MID.
    pub mid: Option<String>,
    /// Label MID (the MID manifests are made under).
    pub manifest_mid: Option<String>,
    pub eps_account: Option<String>,
    pub mode: ConnectionMode,
    pub is_default: bool,
    /// The demo account a fresh data directory starts with (Sandbox only).
    pub is_sandbox_demo: bool,
    pub state: ConnectionState,
    /// RFC 3339, when a USPS call last succeeded for this account.
    pub last_verified_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Whether the account holds a contract (NSA) with USPS: its labels are then bought with a
    /// `RATE_HOLDER` role and charged its contract prices, and "You pay" shows them.
    pub has_contract: bool,
    /// Who said whether it holds one; `None` until USPS or the user has.
    pub contract_source: Option<ContractSource>,
    /// The calls an hour USPS allows the account's app per API, when USPS raised it; `None`:
    /// the default product's 60. Long batches are paced to it.
    pub calls_per_hour: Option<u32>,
}

/// Where an account's "holds a contract" came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContractSource {
    /// From USPS: the token's `contracts` claim, or a contract price search that answered
    /// contract prices (or only published ones). USPS's word replaces an earlier detection, but
    /// never what the user entered.
    Detected,
    /// The user said so (Edit account, `carriers add --contract`).
    Entered,
}

impl UspsAccountRecord {
    /// The identity Payments and Labels need, when all four identifiers are set.
    pub fn identity(&self) -> Option<usps::models::AccountIdentity> {
        Some(usps::models::AccountIdentity {
            crid: self.crid.clone()?,
            mid: self.mid.clone()?,
            manifest_mid: self.manifest_mid.clone()?,
            eps_account: self.eps_account.clone()?,
        })
    }

    /// An unsaved account (id 0), e.g. to reach its host before the row exists.
    pub(crate) fn draft(
        environment: Environment,
        base_url: Option<String>,
        mode: ConnectionMode,
        fields: &AccountFields,
    ) -> Self {
        Self {
            id: 0,
            nickname: fields.nickname.clone().unwrap_or_default(),
            environment,
            base_url,
            crid: fields.crid.clone(),
            mid: fields.mid.clone(),
            manifest_mid: fields.manifest_mid.clone(),
            eps_account: fields.eps_account.clone(),
            mode,
            is_default: false,
            is_sandbox_demo: false,
            state: ConnectionState::Disconnected,
            last_verified_at: None,
            created_at: String::new(),
            updated_at: String::new(),
            has_contract: fields.has_contract.unwrap_or(false),
            contract_source: fields.has_contract.map(|_| ContractSource::Entered),
            calls_per_hour: fields.calls_per_hour,
        }
    }

    /// Which host this account talks to, for people ("Sandbox", "Production", or the URL).
    pub fn where_label(&self) -> String {
        match &self.base_url {
            Some(url) => format!("{} at {url}", self.environment.label()),
            None => self.environment.label().to_owned(),
        }
    }
}

/// The user-editable identifiers of an account. `None` leaves a value as it is (or empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccountFields {
    pub nickname: Option<String>,
    pub crid: Option<String>,
    pub mid: Option<String>,
    pub manifest_mid: Option<String>,
    pub eps_account: Option<String>,
    /// Whether the account holds a contract (NSA), as the user says; `None` leaves it as it is
    /// (or as USPS shows it).
    #[serde(default)]
    #[ts(optional)]
    pub has_contract: Option<bool>,
    /// The calls an hour USPS allows the account's app per API, when USPS raised it from the
    /// default product's 60; `None` leaves it as it is.
    #[serde(default)]
    #[ts(optional)]
    pub calls_per_hour: Option<u32>,
}

impl UspsAccountRecord {
    /// The hourly allowance the account's calls are paced to.
    pub fn allowance(&self) -> usps::Allowance {
        usps::Allowance::PerHour(self.allowance_per_hour())
    }

    /// Calls an hour per API: the account's own, else USPS's default.
    pub fn allowance_per_hour(&self) -> u32 {
        self.calls_per_hour
            .unwrap_or(usps::USPS_DEFAULT_CALLS_PER_HOUR)
    }
}

/// One account's connection as every window shows it: its state, and whether the Reconnect
/// prompt should show for it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccountConnection {
    #[ts(type = "number")]
    pub account_id: AccountId,
    pub nickname: String,
    pub state: ConnectionState,
    /// Whether the Reconnect prompt should show now: the account needs signing in again and
    /// "Remind Me Later" does not hold. The banner does not depend on it: it shows whenever
    /// `state` is `needs_reconnect`.
    pub prompt: bool,
}

/// Every account's connection, as core knows it now. Core makes one after each change (state,
/// Remind Me Later, an account added, renamed or removed) and broadcasts it; the app emits it
/// as the `usps://connection` event, and a window that opens asks for the current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectionSnapshot {
    /// Grows with every snapshot this process makes: a window keeps the newest it has seen, so
    /// an answer that crossed an event on the way cannot bring back an older picture.
    #[ts(type = "number")]
    pub revision: u64,
    /// The default account first.
    pub accounts: Vec<AccountConnection>,
    /// What the user answered to "Do you have USPS contract (NSA) prices?"; `None`: not asked
    /// or not answered yet.
    pub contract_prices_said: Option<bool>,
    /// Whether to ask that question, or to offer the business account guide from a banner.
    pub guide_offer: super::GuideOffer,
    /// The Endicia account that pays for labels, when it needs the user to log in again.
    pub endicia: Option<EndiciaAttention>,
}

/// "Log in to Endicia again": the Endicia account that pays for labels lost its login (its
/// pass phrase was changed elsewhere, Endicia suspended it, or the app started without a
/// remembered login), so labels cannot be bought until the user logs in. The banner shows while
/// this is set; the prompt while `prompt` is (Remind Me Later clears it until the day ends).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EndiciaAttention {
    #[ts(type = "number")]
    pub account_id: AccountId,
    pub account_number: String,
    /// What Endicia said, in the app's words.
    pub reason: String,
    pub prompt: bool,
}

impl ConnectionSnapshot {
    pub fn account(&self, id: AccountId) -> Option<&AccountConnection> {
        self.accounts.iter().find(|a| a.account_id == id)
    }
}

/// What changing an account's connection means for other systems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectOutcome {
    pub account: UspsAccountRecord,
    /// Plain-language notes to show after connecting (e.g. other systems using the same login
    /// must be updated, identifiers prefilled from the token).
    pub warnings: Vec<String>,
}
