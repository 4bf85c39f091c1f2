//! "Sign in with USPS" (and Reconnect, Settings › Edit › Login): the system browser opens the
//! Customer Onboarding Portal consent page; USPS sends the browser back to our one-shot loopback
//! listener with `code` and `state`; the code is exchanged, the refresh token stored, the
//! account prefilled from the token's claims and marked Connected.
//!
//! Two steps so the UI can show the address (with a Copy button) while waiting:
//! [`Connections::begin_sign_in`] binds the listener, opens the browser and returns at once;
//! [`Connections::finish_sign_in`] waits for the callback (or the timeout).

use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use ts_rs::TS;
use usps::ConsentRequest;

use super::callback::{CALLBACK_PATH, browser_page, code_from_query, redirect_uri};
use super::listener;
use super::model::{
    AccountFields, AccountId, ConnectOutcome, ConnectionMode, ConnectionState, UspsAccountRecord,
};
use super::records::NewAccount;
use super::secrets::SecretKind;
use super::{Connections, validate};
use crate::environment::Environment;
use crate::error::{AppError, AppResult, ErrorDetails};
use crate::ports::url_like::HttpUrl;

pub(crate) const PLATFORM_NAME: &str = "Shipdesk";

pub(crate) fn random_state() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// What to sign in for: an existing account (reconnect) or a new one.
#[derive(Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignInRequest {
    /// Reconnect this account; `None` adds a new one.
    #[ts(type = "number | null")]
    pub account: Option<AccountId>,
    /// For a new account (ignored on reconnect).
    pub environment: Option<Environment>,
    pub base_url: Option<String>,
    #[serde(default)]
    pub fields: AccountFields,
    /// Loopback port; default from the configuration (must be registered with USPS).
    pub port: Option<u16>,
    /// A platform app other than the configured one (client id; its secret in `client_secret`).
    pub client_id: Option<String>,
    #[serde(skip_serializing)]
    #[ts(skip)]
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRequest")
            .field("account", &self.account)
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("port", &self.port)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}

/// A sign-in in progress. `url` is the consent page (show it with a Copy button).
pub struct SignInHandle {
    pub url: String,
    pub state: String,
    pub redirect_uri: String,
    /// Whether the system browser accepted the URL.
    pub browser_opened: bool,
    pub account: Option<AccountId>,
    listener: Mutex<Option<TcpListener>>,
    target: Target,
}

impl std::fmt::Debug for SignInHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInHandle")
            .field("url", &self.url)
            .field("redirect_uri", &self.redirect_uri)
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

/// Everything finish needs to create or update the account.
#[derive(Debug, Clone)]
struct Target {
    existing: Option<UspsAccountRecord>,
    environment: Environment,
    base_url: Option<String>,
    fields: AccountFields,
    client_id: String,
    /// Only when the user supplied the app secret (not the configured platform app).
    supplied_secret: Option<String>,
}

impl Connections {
    /// Binds the loopback listener, opens the consent page in the system browser, and returns
    /// the address and state. Call [`Connections::finish_sign_in`] next.
    pub async fn begin_sign_in(&self, request: SignInRequest) -> AppResult<SignInHandle> {
        self.begin(request, true).await
    }

    /// Like [`Connections::begin_sign_in`] but leaves opening the address to the caller (a
    /// headless terminal, a user who wants another browser).
    pub async fn begin_sign_in_without_browser(
        &self,
        request: SignInRequest,
    ) -> AppResult<SignInHandle> {
        self.begin(request, false).await
    }

    async fn begin(&self, request: SignInRequest, open_browser: bool) -> AppResult<SignInHandle> {
        let existing = request.account.map(|id| self.account(id)).transpose()?;
        let fields = validate::normalize(&request.fields)?;
        let environment = existing
            .as_ref()
            .map(|r| r.environment)
            .or(request.environment)
            .unwrap_or_default();
        let base_url = match &existing {
            Some(r) => r.base_url.clone(),
            None => request.base_url.clone().filter(|u| !u.trim().is_empty()),
        };
        if let Some(url) = &base_url {
            super::validate::parse_base_url(url)?;
        }
        let (client_id, supplied_secret) = match (&request.client_id, &request.client_secret) {
            (Some(id), Some(secret)) if !id.trim().is_empty() && !secret.is_empty() => {
                (id.trim().to_owned(), Some(secret.clone()))
            }
            _ if existing.as_ref().is_some_and(|r| r.mode.is_sign_in()) => {
                // Reconnect with the app the account already uses (its secret is stored
                // or it is the configured platform app).
                let record = existing.as_ref().expect("checked");
                (record.mode.client_id().to_owned(), None)
            }
            _ => {
                let app = self
                    .platform_app(environment)
                    .ok_or_else(|| self.platform_app_missing(environment))?;
                (app.client_id, None)
            }
        };
        // The platform app's own registered redirect port, unless the caller chose one.
        let platform_port = self
            .platform_app(environment)
            .filter(|app| supplied_secret.is_none() && app.client_id == client_id)
            .and_then(|app| app.redirect_port);
        let port = request
            .port
            .or(platform_port)
            .unwrap_or(self.config.redirect_port);
        if environment == Environment::Sandbox
            && base_url.is_none()
            && port != self.config.redirect_port
        {
            return Err(AppError::validation(format!(
                "In Sandbox the USPS sign-in comes back on port {} (the one the simulator has on \
                 file); leave the port as it is.",
                self.config.redirect_port
            ))
            .with_details(ErrorDetails::fields([(
                "port",
                "Sandbox uses the configured port",
            )])));
        }
        let listener = listener::bind(port).await?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
        let redirect_uri = redirect_uri(port);
        let probe = UspsAccountRecord::draft(
            environment,
            base_url.clone(),
            ConnectionMode::SignIn {
                client_id: client_id.clone(),
            },
            &fields,
        );
        let client = self.client_for(&probe).await?;
        let state = random_state();
        let url = client
            .consent_url(&ConsentRequest {
                client_id: client_id.clone(),
                state: state.clone(),
                redirect_uri: redirect_uri.clone(),
                platform: PLATFORM_NAME.into(),
            })
            .to_string();
        let browser_opened = open_browser
            && match HttpUrl::parse(&url).and_then(|u| self.opener.open(&u)) {
                Ok(()) => true,
                Err(e) => {
                    tracing::warn!(
                        "could not open the browser for the USPS sign-in: {}",
                        e.message
                    );
                    false
                }
            };
        Ok(SignInHandle {
            url,
            state,
            redirect_uri,
            browser_opened,
            account: existing.as_ref().map(|r| r.id),
            listener: Mutex::new(Some(listener)),
            target: Target {
                existing,
                environment,
                base_url,
                fields,
                client_id,
                supplied_secret,
            },
        })
    }

    /// Sign in with USPS needs a platform app for `environment` and none is configured: why (the
    /// configuration's own words, naming the file and the fix) and the way that always works.
    fn platform_app_missing(&self, environment: Environment) -> AppError {
        let why = self
            .platform_setup
            .status(environment)
            .and_then(|s| s.problem.clone())
            .unwrap_or_else(|| "no USPS platform app is configured for it.".into());
        AppError::validation(format!(
            "Sign in with USPS is not set up for {} in this copy of Shipdesk: {why} Use your own \
             USPS app's credentials instead.",
            environment.label()
        ))
    }

    /// Waits for USPS to send the browser back, then exchanges the code, stores the refresh
    /// token, prefills CRID/MIDs/EPS from the token and marks the account Connected.
    pub async fn finish_sign_in(&self, handle: &SignInHandle) -> AppResult<ConnectOutcome> {
        self.finish_sign_in_within(handle, None).await
    }

    /// [`Connections::finish_sign_in`] with another wait than the configured one.
    pub async fn finish_sign_in_within(
        &self,
        handle: &SignInHandle,
        timeout: Option<std::time::Duration>,
    ) -> AppResult<ConnectOutcome> {
        let listener = handle
            .listener
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or_else(|| AppError::conflict("This sign-in has already finished"))?;
        let state = handle.state.clone();
        let wait = timeout.unwrap_or(self.config.sign_in_timeout);
        let query =
            listener::accept_callback(listener, CALLBACK_PATH, wait, |q| browser_page(q, &state))
                .await?;
        let code = code_from_query(&query, &handle.state)?;
        self.complete_sign_in(handle, &code).await
    }

    async fn complete_sign_in(
        &self,
        handle: &SignInHandle,
        code: &str,
    ) -> AppResult<ConnectOutcome> {
        let target = &handle.target;
        let mode = ConnectionMode::SignIn {
            client_id: target.client_id.clone(),
        };
        let (record, created) = match &target.existing {
            Some(existing) => {
                if existing.mode != mode {
                    self.accounts.set_mode(existing.id, &mode, &self.now())?;
                }
                (self.account(existing.id)?, false)
            }
            None => {
                let nickname = target
                    .fields
                    .nickname
                    .clone()
                    .unwrap_or_else(|| self.unused_nickname("USPS"));
                let id = self.accounts.insert(
                    &NewAccount {
                        nickname,
                        environment: target.environment,
                        base_url: target.base_url.clone(),
                        fields: target.fields.clone(),
                        mode: mode.clone(),
                        is_sandbox_demo: false,
                        state: ConnectionState::Disconnected,
                    },
                    &self.now(),
                )?;
                // Ids were reused before schema 7: a removal that could not reach the keyring
                // may have left secrets under this id. A new account starts with none.
                self.forget_secrets(id).await.ok();
                (self.account(id)?, true)
            }
        };
        let result = self
            .exchange_and_connect(&record, target, code, &handle.redirect_uri)
            .await;
        match result {
            Ok(mut outcome) => {
                if !created {
                    outcome.warnings.push(other_systems_warning());
                }
                Ok(outcome)
            }
            Err(e) if created => {
                // Leave no half-made account behind.
                self.forget_secrets(record.id).await.ok();
                self.accounts.remove(record.id, &self.now()).ok();
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    async fn exchange_and_connect(
        &self,
        record: &UspsAccountRecord,
        target: &Target,
        code: &str,
        redirect_uri: &str,
    ) -> AppResult<ConnectOutcome> {
        let secret = target.supplied_secret.clone();
        if let Some(secret) = secret {
            self.secrets
                .set(self.keys.key(record.id, SecretKind::ClientSecret), secret)
                .await?;
        }
        let client = self.client_for(record).await?;
        let session = self.build_session(record, &client).await?;
        let token = match session.connect_with_code(code, redirect_uri).await {
            Ok(token) => token,
            Err(e) if target.existing.is_some() => return Err(self.report_failure(record.id, &e)),
            Err(e) => return Err(super::classify::classify(record, &e, false).error),
        };
        let (record, warnings) = self.adopt_token_claims(record, token.claims.as_ref())?;
        self.mark_connected(&record, session)
            .map(|account| ConnectOutcome { account, warnings })
    }

    /// A nickname like "USPS 2" that no account uses yet.
    pub(crate) fn unused_nickname(&self, base: &str) -> String {
        let taken: Vec<String> = self
            .list_accounts()
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.nickname.to_lowercase())
            .collect();
        (1..)
            .map(|n| {
                if n == 1 {
                    base.to_owned()
                } else {
                    format!("{base} {n}")
                }
            })
            .find(|name| !taken.contains(&name.to_lowercase()))
            .expect("an unused nickname exists")
    }
}

pub(crate) fn other_systems_warning() -> String {
    "If other systems (another Shipdesk, a shop plugin) use the same USPS login or app, update \
     their connection too: USPS may stop accepting what they have saved."
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_unguessable_and_distinct() {
        let a = random_state();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_state());
    }
}
