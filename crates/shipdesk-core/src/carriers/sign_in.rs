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

use super::listener::{self, CallbackQuery};
use super::model::{
    AccountFields, AccountId, ConnectOutcome, ConnectionMode, ConnectionState, UspsAccountRecord,
};
use super::records::{self, NewAccount};
use super::secrets::SecretKind;
use super::{Connections, validate};
use crate::environment::Environment;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::ports::url_like::HttpUrl;

pub const CALLBACK_PATH: &str = "/usps/callback";
pub(crate) const PLATFORM_NAME: &str = "Shipdesk";

pub(crate) fn redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}{CALLBACK_PATH}")
}

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
            super::session::parse_base_url(url)?;
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
                let app = self.platform_app(environment).ok_or_else(|| {
                    AppError::validation(format!(
                        "Sign in with USPS is not set up for {} in this build (Shipdesk's USPS \
                             app credentials are missing). Use your own USPS API app instead.",
                        environment.label()
                    ))
                })?;
                (app.client_id, None)
            }
        };
        let port = request.port.unwrap_or(self.config.redirect_port);
        if environment == Environment::Sandbox
            && base_url.is_none()
            && port != self.config.redirect_port
        {
            return Err(AppError::validation(format!(
                "In Sandbox the USPS sign-in comes back on port {} (the one the simulator has on \
                 file); leave the port as it is.",
                self.config.redirect_port
            ))
            .with_details(
                serde_json::json!({"fields": {"port": "Sandbox uses the configured port"}}),
            ));
        }
        let listener = listener::bind(port).await?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
        let redirect_uri = redirect_uri(port);
        let probe = UspsAccountRecord {
            environment,
            base_url: base_url.clone(),
            ..placeholder_record()
        };
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
                    records::set_mode(&self.store, existing.id, &mode, &self.now())?;
                }
                (self.account(existing.id)?, false)
            }
            None => {
                let nickname = target
                    .fields
                    .nickname
                    .clone()
                    .unwrap_or_else(|| self.unused_nickname("USPS"));
                let id = records::insert(
                    &self.store,
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
                records::delete(&self.store, record.id).ok();
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
            Err(e) => return Err(super::classify::classify(record, &e).error),
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

/// Used only to resolve a client for a host before the account exists.
fn placeholder_record() -> UspsAccountRecord {
    UspsAccountRecord {
        id: 0,
        nickname: String::new(),
        environment: Environment::Sandbox,
        base_url: None,
        crid: None,
        mid: None,
        manifest_mid: None,
        eps_account: None,
        mode: ConnectionMode::SignIn {
            client_id: String::new(),
        },
        is_default: false,
        is_sandbox_demo: false,
        state: ConnectionState::Disconnected,
        last_verified_at: None,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

/// The code from a callback URL (used by the Sandbox demo consent, which has no listener).
pub(crate) fn code_from_callback(url: &url::Url, expected_state: &str) -> AppResult<String> {
    let query: CallbackQuery = url.query_pairs().into_owned().collect();
    code_from_query(&query, expected_state)
}

fn param<'a>(query: &'a CallbackQuery, name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Checks `state` first (an answer to someone else's request is refused whatever it says), then
/// USPS's `error`, then takes the code.
pub(crate) fn code_from_query(query: &CallbackQuery, expected_state: &str) -> AppResult<String> {
    match param(query, "state") {
        Some(state) if state == expected_state => {}
        Some(_) => {
            return Err(AppError::validation(
                "The USPS sign-in answer did not belong to this sign-in (its state did not match), \
                 so it was refused. Start the sign-in again.",
            ));
        }
        None => {
            return Err(AppError::validation(
                "The USPS sign-in answer carried no state, so it was refused. Start the sign-in again.",
            ));
        }
    }
    if let Some(error) = param(query, "error") {
        if error == "access_denied" {
            return Err(AppError::new(
                ErrorCode::Cancelled,
                "Access was not granted at USPS (the consent was cancelled). Nothing was changed; \
                 sign in again when you are ready.",
            ));
        }
        let description = param(query, "error_description").unwrap_or("");
        return Err(AppError::validation(format!(
            "USPS did not complete the sign-in ({error}{}{description}). Start it again.",
            if description.is_empty() { "" } else { ": " }
        )));
    }
    match param(query, "code") {
        Some(code) if !code.is_empty() => Ok(code.to_owned()),
        _ => Err(AppError::validation(
            "USPS sent the browser back without an authorization code. Start the sign-in again.",
        )),
    }
}

/// The small page the browser shows after the redirect.
fn browser_page(query: &CallbackQuery, expected_state: &str) -> (u16, String) {
    let (status, title, text) = match code_from_query(query, expected_state) {
        Ok(_) => (
            200,
            "Signed in to USPS",
            "You can close this tab and return to Shipdesk.".to_owned(),
        ),
        Err(e) => (
            400,
            "USPS sign-in not completed",
            format!(
                "{} You can close this tab and return to Shipdesk.",
                e.message
            ),
        ),
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font:16px system-ui,sans-serif;margin:4rem auto;max-width:34rem;\
         color:#1b1b1b}}</style></head><body><h1>{title}</h1><p id=\"message\">{}</p></body></html>",
        html_escape(&text)
    );
    (status, body)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> CallbackQuery {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn state_is_checked_before_anything_else() {
        let wrong = code_from_query(&q(&[("code", "c"), ("state", "other")]), "mine").unwrap_err();
        assert_eq!(wrong.code, ErrorCode::Validation);
        assert!(wrong.message.contains("did not match"));
        let missing = code_from_query(&q(&[("code", "c")]), "mine").unwrap_err();
        assert!(missing.message.contains("no state"));
        // A forged "access_denied" with the wrong state is still a state error.
        let forged = code_from_query(&q(&[("error", "access_denied"), ("state", "x")]), "mine");
        assert_eq!(forged.unwrap_err().code, ErrorCode::Validation);
    }

    #[test]
    fn denied_and_other_errors() {
        let denied =
            code_from_query(&q(&[("error", "access_denied"), ("state", "s")]), "s").unwrap_err();
        assert_eq!(denied.code, ErrorCode::Cancelled);
        let other = code_from_query(
            &q(&[
                ("error", "server_error"),
                ("error_description", "down"),
                ("state", "s"),
            ]),
            "s",
        )
        .unwrap_err();
        assert!(other.message.contains("server_error: down"));
        let no_code = code_from_query(&q(&[("state", "s")]), "s").unwrap_err();
        assert!(no_code.message.contains("without an authorization code"));
        assert_eq!(
            code_from_query(&q(&[("code", "abc"), ("state", "s")]), "s").unwrap(),
            "abc"
        );
    }

    #[test]
    fn browser_page_says_to_return_and_escapes() {
        let (status, page) = browser_page(&q(&[("code", "c"), ("state", "s")]), "s");
        assert_eq!(status, 200);
        assert!(page.contains("You can close this tab and return to Shipdesk"));
        let (status, page) = browser_page(&q(&[("error", "<b>"), ("state", "s")]), "s");
        assert_eq!(status, 400);
        assert!(page.contains("&lt;b&gt;") && !page.contains("<b>"));
    }

    #[test]
    fn states_are_unguessable_and_distinct() {
        let a = random_state();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_state());
    }
}
