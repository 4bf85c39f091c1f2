//! Sandbox mode: USPS played by a simulator on 127.0.0.1, started lazily once per `Connections`
//! for the desk's data directory (its state under `<data dir>/sandbox/`, so consents and labels
//! survive restarts) with the app's loopback redirect URI registered. A fresh data directory gets
//! a connected demo account so a new user can buy SAMPLE labels at once.
//!
//! Core does not know which simulator that is: the binary hands the desk a [`SandboxHost`] (the
//! `shipdesk-sandbox` crate runs `usps-sim` in-process). A desk built without one opens and works
//! with TEM and Production accounts; its Sandbox accounts fail with [`sandbox_unavailable`]. The
//! demo account's consent comes from the host's own API, and its authorization code is exchanged
//! through the same `usps` client code path as after a person signs in.

use std::path::PathBuf;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use usps::UspsAccount;

use super::model::{AccountFields, ConnectionMode, ConnectionState, UspsAccountRecord};
use super::records::NewAccount;
use super::secrets::SecretKind;
use super::{Connections, PlatformApp, callback};
use crate::environment::Environment;
use crate::error::{AppError, AppResult, ErrorCode};

const DEMO_SEEDED_SETTING: &str = "usps_sandbox_demo_seeded";
const DEMO_NICKNAME: &str = "Sandbox demo";

/// A USPS simulator this build can run for Sandbox accounts, and the demo business it knows.
pub trait SandboxHost: Send + Sync {
    /// Starts a simulator that keeps its state in `state_dir` (created if missing, reloaded if
    /// present) and accepts `redirect_uri` as a registered redirect for the platform app.
    fn start(
        &self,
        state_dir: PathBuf,
        redirect_uri: String,
    ) -> BoxFuture<'static, AppResult<Arc<dyn RunningSandbox>>>;

    /// The app "Sign in with USPS" consents to in Sandbox (its `environment` is ignored).
    fn platform_app(&self) -> PlatformApp;

    /// The demo business's CRID, MIDs and EPS account, for the demo account (no nickname).
    fn demo_business(&self) -> AccountFields;

    /// Starts an Endicia Label Server simulator that keeps its state in `state_dir`: Sandbox
    /// mode's prepaid postage accounts.
    fn start_endicia(
        &self,
        state_dir: PathBuf,
    ) -> BoxFuture<'static, AppResult<Arc<dyn RunningEndiciaSandbox>>>;

    /// The demo Endicia account's login and unlock answers, shown in Settings for Sandbox users.
    fn endicia_demo_login(&self) -> super::endicia::SandboxDemo;
}

/// One started Endicia simulator; dropping the last handle stops it.
pub trait RunningEndiciaSandbox: Send + Sync {
    /// The service root (`…/EwsLabelService.asmx/`), in place of Endicia's.
    fn service_url(&self) -> url::Url;
}

/// One started simulator; dropping the last handle stops it.
pub trait RunningSandbox: Send + Sync {
    /// Where the simulator answers, in place of `https://apis.usps.com/`.
    fn base_url(&self) -> url::Url;

    /// The demo business consents to `client_id` for `redirect_uri` through the simulator's own
    /// API (no consent pages): the one-time authorization code to exchange for tokens.
    fn demo_authorization_code(&self, client_id: &str, redirect_uri: &str) -> AppResult<String>;
}

/// The error a Sandbox account meets in a build whose desk has no [`SandboxHost`].
pub fn sandbox_unavailable() -> AppError {
    AppError::new(
        ErrorCode::UspsUnavailable,
        "The USPS Sandbox is not available in this build of Shipdesk. Use a TEM or Production \
         USPS account.",
    )
}

/// The host a desk was given, and its simulator once started.
pub(crate) struct SandboxSlot {
    host: Option<Arc<dyn SandboxHost>>,
    running: tokio::sync::OnceCell<Arc<dyn RunningSandbox>>,
    endicia: tokio::sync::OnceCell<Arc<dyn RunningEndiciaSandbox>>,
}

impl SandboxSlot {
    pub(crate) fn new(host: Option<Arc<dyn SandboxHost>>) -> Self {
        Self {
            host,
            running: tokio::sync::OnceCell::new(),
            endicia: tokio::sync::OnceCell::new(),
        }
    }

    fn host(&self) -> AppResult<&Arc<dyn SandboxHost>> {
        self.host.as_ref().ok_or_else(sandbox_unavailable)
    }

    /// The Sandbox platform app, when this desk has a host.
    pub(crate) fn platform_app(&self) -> Option<PlatformApp> {
        self.host.as_ref().map(|host| PlatformApp {
            environment: Environment::Sandbox,
            ..host.platform_app()
        })
    }
}

impl Connections {
    /// The running Sandbox simulator's base URL (starting it on first use). Tests reach its
    /// `/__sim` controls through this.
    pub async fn sandbox_base_url(&self) -> AppResult<url::Url> {
        Ok(self.running_sandbox().await?.base_url())
    }

    /// The Endicia simulator's service URL (starting it on first use), its state beside the
    /// USPS simulator's.
    pub async fn endicia_sandbox_url(&self) -> AppResult<url::Url> {
        let host = self.sandbox.host()?;
        let running = self
            .sandbox
            .endicia
            .get_or_try_init(|| async {
                let sandbox = host.start_endicia(self.data_dir.root().join("sandbox")).await?;
                tracing::info!(service = %sandbox.service_url(), "Endicia Sandbox simulator started");
                Ok::<_, AppError>(sandbox)
            })
            .await?;
        Ok(running.service_url())
    }

    /// The Sandbox's demo Endicia login, when this desk has a Sandbox.
    pub fn endicia_demo_login(&self) -> Option<super::endicia::SandboxDemo> {
        self.sandbox.host.as_ref().map(|h| h.endicia_demo_login())
    }

    async fn running_sandbox(&self) -> AppResult<&Arc<dyn RunningSandbox>> {
        let host = self.sandbox.host()?;
        self.sandbox
            .running
            .get_or_try_init(|| async {
                let sandbox = host
                    .start(
                        self.data_dir.root().join("sandbox"),
                        callback::redirect_uri(self.config.redirect_port),
                    )
                    .await?;
                tracing::info!(base = %sandbox.base_url(), "USPS Sandbox simulator started");
                Ok(sandbox)
            })
            .await
    }

    /// On a fresh data directory (no account ever added), adds the connected Sandbox demo
    /// account and returns it. Its USPS consent is completed on first use of its session.
    /// Idempotent; does nothing once any account existed, when disabled in the config, or when
    /// the desk has no Sandbox (a later desk with one still seeds it).
    pub fn ensure_sandbox_demo_account(&self) -> AppResult<Option<UspsAccountRecord>> {
        let Some(host) = self.sandbox.host.as_ref() else {
            return Ok(None);
        };
        if !self.config.sandbox_demo_account
            || self.settings.setting(DEMO_SEEDED_SETTING)?.is_some()
        {
            return Ok(None);
        }
        // Only while the desk is in Sandbox (the default until the user picks TEM/Production).
        if Environment::of_desk(self.settings.as_ref()).ok() != Some(Environment::Sandbox) {
            return Ok(None);
        }
        self.settings
            .set_setting(DEMO_SEEDED_SETTING, &self.now())?;
        if !self.accounts.list()?.is_empty() {
            return Ok(None);
        }
        let business = host.demo_business();
        let id = self.accounts.insert(
            &NewAccount {
                nickname: DEMO_NICKNAME.into(),
                environment: Environment::Sandbox,
                base_url: None,
                fields: AccountFields {
                    nickname: None,
                    ..business
                },
                mode: ConnectionMode::SignIn {
                    client_id: host.platform_app().client_id,
                },
                is_sandbox_demo: true,
                state: ConnectionState::Connected,
            },
            &self.now(),
        )?;
        self.account(id).map(Some)
    }
}

/// For the demo account only: when no refresh token is stored yet (first use, or the session
/// was kept in memory only), the simulator issues the demo business's authorization code and
/// the session exchanges it, as after a real sign-in.
pub(crate) async fn connect_demo_if_needed(
    conns: &Connections,
    record: &UspsAccountRecord,
    session: &UspsAccount,
) -> AppResult<()> {
    let key = conns.keys.key(record.id, SecretKind::RefreshToken);
    if conns.secrets.get(key).await?.is_some() {
        return Ok(());
    }
    let redirect_uri = callback::redirect_uri(conns.config.redirect_port);
    let code = conns
        .running_sandbox()
        .await?
        .demo_authorization_code(record.mode.client_id(), &redirect_uri)?;
    session
        .connect_with_code(&code, &redirect_uri)
        .await
        .map_err(|e| conns.report_failure(record.id, &e))?;
    Ok(())
}
