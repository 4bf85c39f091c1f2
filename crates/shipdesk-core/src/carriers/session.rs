//! Ready USPS sessions: one cached [`usps::UspsAccount`] per account, so its access-token cache,
//! single-flight renewal and payment-token cache survive between calls; one [`usps::UspsClient`]
//! per host, so accounts share a connection pool and call counters.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use usps::{AccountConfig, AppCredentials, GrantKind, UspsAccount, UspsClient};

use super::model::{AccountId, ConnectionMode, ConnectionState, UspsAccountRecord};
use super::secrets::{AccountTokenStore, SecretKind};
use super::{Connections, classify, sandbox, validate};
use crate::environment::Environment;
use crate::error::{AppError, AppResult};

/// What a cached session was built from; any difference means it must be rebuilt.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SessionKey {
    host: String,
    mode: ConnectionMode,
    identity: Option<(String, String, String, String)>,
}

#[derive(Default)]
pub(crate) struct SessionCache {
    sessions: Mutex<HashMap<AccountId, (SessionKey, UspsAccount)>>,
    clients: Mutex<HashMap<String, UspsClient>>,
    building: tokio::sync::Mutex<()>,
}

impl SessionCache {
    fn cached(&self, account: AccountId, key: &SessionKey) -> Option<UspsAccount> {
        self.lock_sessions()
            .get(&account)
            .filter(|(cached_key, _)| cached_key == key)
            .map(|(_, session)| session.clone())
    }

    pub(crate) fn evict(&self, account: AccountId) {
        self.lock_sessions().remove(&account);
    }

    pub(crate) fn clear(&self) {
        self.lock_sessions().clear();
    }

    /// Caches a session built by a sign-in (it already holds the fresh tokens).
    pub(crate) fn adopt(&self, record: &UspsAccountRecord, session: UspsAccount) {
        let key = SessionKey {
            host: session.client().environment().api_base().to_string(),
            mode: record.mode.clone(),
            identity: identity_key(record),
        };
        self.lock_sessions().insert(record.id, (key, session));
    }

    fn lock_sessions(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<AccountId, (SessionKey, UspsAccount)>> {
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn identity_key(record: &UspsAccountRecord) -> Option<(String, String, String, String)> {
    record
        .identity()
        .map(|i| (i.crid, i.mid, i.manifest_mid, i.eps_account))
}

impl Connections {
    /// A ready USPS session for the account: bound to its environment (Sandbox ⇒ the in-process
    /// simulator), credentials and refresh-token store. Cached per account.
    pub async fn session(&self, account: AccountId) -> AppResult<UspsAccount> {
        let record = self.account(account)?;
        if record.state == ConnectionState::Disconnected {
            return Err(classify::disconnected(&record));
        }
        let client = self.client_for(&record).await?;
        let key = SessionKey {
            host: client.environment().api_base().to_string(),
            mode: record.mode.clone(),
            identity: identity_key(&record),
        };
        if let Some(session) = self.sessions.cached(account, &key) {
            return Ok(session);
        }
        // One build at a time, so concurrent first calls share one session (and one token
        // cache) instead of each renewing with the same refresh token.
        let _building = self.sessions.building.lock().await;
        if let Some(session) = self.sessions.cached(account, &key) {
            return Ok(session);
        }
        let session = self.build_session(&record, &client).await?;
        if record.is_sandbox_demo && record.state == ConnectionState::Connected {
            sandbox::connect_demo_if_needed(self, &record, &session).await?;
        }
        self.sessions
            .lock_sessions()
            .insert(account, (key, session.clone()));
        Ok(session)
    }

    /// A session built fresh (not cached): used by sign-in before the account is connected.
    pub(crate) async fn build_session(
        &self,
        record: &UspsAccountRecord,
        client: &UspsClient,
    ) -> AppResult<UspsAccount> {
        let credentials = self.credentials_for(record).await?;
        let grant = match record.mode {
            ConnectionMode::SignIn { .. } => GrantKind::AuthorizationCode,
            ConnectionMode::OwnApp { .. } => GrantKind::ClientCredentials { scope: None },
        };
        let token_store = Arc::new(AccountTokenStore {
            secrets: self.secrets.clone(),
            key: self.keys.key(record.id, SecretKind::RefreshToken),
        });
        Ok(client.account(
            AccountConfig {
                credentials,
                grant,
                identity: record.identity(),
                allowance: record.allowance(),
            },
            token_store,
        ))
    }

    /// The app credentials an account uses: its stored client secret, else (Sign in) the
    /// platform app registered for its environment.
    pub(crate) async fn credentials_for(
        &self,
        record: &UspsAccountRecord,
    ) -> AppResult<AppCredentials> {
        let client_id = record.mode.client_id().to_owned();
        let stored = self
            .secrets
            .get(self.keys.key(record.id, SecretKind::ClientSecret))
            .await?;
        if let Some(secret) = stored {
            return Ok(AppCredentials::new(client_id, secret));
        }
        if record.mode.is_sign_in()
            && let Some(app) = self.platform_app(record.environment)
            && app.client_id == client_id
        {
            return Ok(AppCredentials::new(client_id, app.client_secret));
        }
        // Without its secret the account cannot reach USPS until the user enters it again or
        // signs in again: that is a reconnect, shown as one (prompt and banner).
        let reason = "Its USPS client secret is not saved on this computer.".to_owned();
        let record =
            match self.change_state(record, ConnectionState::NeedsReconnect { reason }, None) {
                Ok(updated) => updated,
                Err(e) => {
                    tracing::error!(
                        account = record.id,
                        "could not save the USPS connection state: {e}"
                    );
                    record.clone()
                }
            };
        Err(classify::secret_missing(
            &record,
            self.prompt_snoozed(record.id),
        ))
    }

    /// The platform app Sign in with USPS consents to in `environment`: the one the program
    /// gave, else the configured one (`platform_apps`), else (Sandbox only) the Sandbox host's.
    pub(crate) fn platform_app(&self, environment: Environment) -> Option<super::PlatformApp> {
        self.config
            .platform_apps
            .iter()
            .chain(&self.platform_setup.apps)
            .find(|a| a.environment == environment)
            .cloned()
            .or_else(|| {
                (environment == Environment::Sandbox)
                    .then(|| self.sandbox.platform_app())
                    .flatten()
            })
    }

    /// The shared client for the account's host (starting the Sandbox simulator if needed).
    pub(crate) async fn client_for(&self, record: &UspsAccountRecord) -> AppResult<UspsClient> {
        let environment = match (&record.base_url, record.environment) {
            (Some(url), _) => usps::Environment::sandbox(validate::parse_base_url(url)?),
            (None, Environment::Sandbox) => {
                usps::Environment::sandbox(self.sandbox_base_url().await?)
            }
            (None, Environment::Tem) => usps::Environment::Tem,
            (None, Environment::Production) => usps::Environment::Production,
        };
        let host = environment.api_base().to_string();
        let mut clients = self
            .sessions
            .clients
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(client) = clients.get(&host) {
            return Ok(client.clone());
        }
        let client = UspsClient::with_config(environment, self.config.usps_client.clone())
            .map_err(|e| AppError::internal("Could not set up the USPS client", &e))?;
        clients.insert(host, client.clone());
        Ok(client)
    }
}
