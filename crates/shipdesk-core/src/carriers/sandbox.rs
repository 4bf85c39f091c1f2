//! Sandbox mode (DESIGN §7): the USPS simulator runs in-process on 127.0.0.1, started lazily once
//! per `Connections`, seeded with the demo business plus the app's loopback redirect URI, and
//! keeping its state in `<data dir>/sandbox/usps-sim.json` so consents and labels survive
//! restarts. A fresh data directory gets a connected demo account so a new user can buy SAMPLE
//! labels at once: its consent is given by the demo user on the simulator's own pages, driven
//! here exactly as a browser would (the sign-in is shown on screen in the app).

use usps::{ConsentRequest, UspsAccount};

use super::model::{AccountFields, ConnectionMode, ConnectionState, UspsAccountRecord};
use super::records::{self, NewAccount};
use super::secrets::SecretKind;
use super::{Connections, PlatformApp, callback, sign_in};
use crate::environment::Environment;
use crate::error::{AppError, AppResult, ErrorCode};

pub const SANDBOX_DEMO_USERNAME: &str = "demo";
pub const SANDBOX_DEMO_PASSWORD: &str = "shipdesk-demo";
const SANDBOX_CLIENT_ID: &str = "shipdesk-sandbox";
const DEMO_SEEDED_SETTING: &str = "usps_sandbox_demo_seeded";
const DEMO_NICKNAME: &str = "Sandbox demo";
/// The desk-wide environment choice (see `Desk::environment`).
const ENVIRONMENT_SETTING: &str = "environment";

pub(crate) struct SandboxSim {
    handle: usps_sim::SimHandle,
}

/// The simulator's platform app (the same one `Scenario::demo()` registers).
pub(crate) fn sandbox_platform_app() -> PlatformApp {
    let scenario = usps_sim::Scenario::demo();
    let app = scenario
        .app(SANDBOX_CLIENT_ID)
        .expect("the demo scenario has the sandbox app");
    PlatformApp {
        environment: Environment::Sandbox,
        client_id: app.client_id.clone(),
        client_secret: app.client_secret.clone(),
    }
}

impl Connections {
    /// The running Sandbox simulator's base URL (starting it on first use). Tests reach its
    /// `/__sim` controls through this.
    pub async fn sandbox_base_url(&self) -> AppResult<url::Url> {
        let sim = self
            .sandbox
            .get_or_try_init(|| async {
                let dir = self.data_dir.root().join("sandbox");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| AppError::internal("Could not create the Sandbox folder", &e))?;
                let scenario = usps_sim::Scenario::demo()
                    .with_redirect_uri(sign_in::redirect_uri(self.config.redirect_port));
                let mut config = usps_sim::SimConfig::new(scenario);
                config.state_file = Some(dir.join("usps-sim.json"));
                let handle = usps_sim::start(config)
                    .await
                    .map_err(|e| AppError::internal("The USPS Sandbox could not start", &e))?;
                tracing::info!(base = %handle.base_url(), "USPS Sandbox simulator started");
                Ok::<_, AppError>(SandboxSim { handle })
            })
            .await?;
        Ok(sim.handle.base_url())
    }

    /// On a fresh data directory (no account ever added), adds the connected Sandbox demo
    /// account and returns it. Its USPS consent is completed on first use of its session.
    /// Idempotent; does nothing once any account existed or when disabled in the config.
    pub fn ensure_sandbox_demo_account(&self) -> AppResult<Option<UspsAccountRecord>> {
        if !self.config.sandbox_demo_account || self.store.setting(DEMO_SEEDED_SETTING)?.is_some() {
            return Ok(None);
        }
        // Only while the desk is in Sandbox (the default until the user picks TEM/Production).
        if let Some(env) = self.store.setting(ENVIRONMENT_SETTING)?
            && env.parse::<Environment>().ok() != Some(Environment::Sandbox)
        {
            return Ok(None);
        }
        self.store.set_setting(DEMO_SEEDED_SETTING, &self.now())?;
        if !records::list(&self.store)?.is_empty() {
            return Ok(None);
        }
        let scenario = usps_sim::Scenario::demo();
        let user = scenario
            .user(SANDBOX_DEMO_USERNAME)
            .expect("the demo scenario has the demo user");
        let id = records::insert(
            &self.store,
            &NewAccount {
                nickname: DEMO_NICKNAME.into(),
                environment: Environment::Sandbox,
                base_url: None,
                fields: AccountFields {
                    nickname: None,
                    crid: Some(user.crid.clone()),
                    mid: user.mids.first().cloned(),
                    manifest_mid: user
                        .manifest_mid
                        .clone()
                        .or_else(|| user.mids.first().cloned()),
                    eps_account: user.eps_accounts.first().cloned(),
                },
                mode: ConnectionMode::SignIn {
                    client_id: SANDBOX_CLIENT_ID.into(),
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
/// was kept in memory only), the demo user consents on the simulator's pages and the code is
/// exchanged, as after a real sign-in.
pub(crate) async fn connect_demo_if_needed(
    conns: &Connections,
    record: &UspsAccountRecord,
    session: &UspsAccount,
) -> AppResult<()> {
    let key = conns.keys.key(record.id, SecretKind::RefreshToken);
    if conns.secrets.get(key).await?.is_some() {
        return Ok(());
    }
    let redirect_uri = sign_in::redirect_uri(conns.config.redirect_port);
    let state = sign_in::random_state();
    let url = session.client().consent_url(&ConsentRequest {
        client_id: record.mode.client_id().to_owned(),
        state: state.clone(),
        redirect_uri: redirect_uri.clone(),
        platform: sign_in::PLATFORM_NAME.into(),
    });
    let choices = SandboxConsent::demo();
    let back = drive_sandbox_consent(url.as_str(), &choices).await?;
    let code = callback::code_from_callback(&back, &state)?;
    session
        .connect_with_code(&code, &redirect_uri)
        .await
        .map_err(|e| conns.report_failure(record.id, &e))?;
    Ok(())
}

/// What a person would do on the simulator's consent pages.
#[derive(Debug, Clone)]
pub struct SandboxConsent {
    pub username: String,
    pub password: String,
    pub mfa_code: Option<String>,
    /// Tick the terms checkbox.
    pub agree: bool,
    /// Press Cancel instead of Authorize & Continue.
    pub cancel: bool,
}

impl SandboxConsent {
    pub fn demo() -> Self {
        Self {
            username: SANDBOX_DEMO_USERNAME.into(),
            password: SANDBOX_DEMO_PASSWORD.into(),
            mfa_code: None,
            agree: true,
            cancel: false,
        }
    }
}

/// Follows the simulator's consent pages from `consent_url` like a browser (sign in, optional
/// MFA, terms, Authorize & Continue or Cancel) and returns where USPS sends the browser back
/// (the redirect URI with `code`/`state`, or `error=access_denied`). Pages that refuse (wrong
/// password, terms not ticked) come back as a VALIDATION error with the page's message.
pub async fn drive_sandbox_consent(
    consent_url: &str,
    choices: &SandboxConsent,
) -> AppResult<url::Url> {
    let start = url::Url::parse(consent_url)
        .map_err(|_| AppError::validation("The consent address is not a URL"))?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| AppError::internal("HTTP client", &e))?;
    let page = fetch(http.get(start.clone())).await?;
    let flow = hidden_flow(&page)?;
    let at = |path: &str| start.join(path).expect("relative path");
    let page = fetch(http.post(at("/cop-navigator/sign-in")).form(&[
        ("flow", flow.as_str()),
        ("username", choices.username.as_str()),
        ("password", choices.password.as_str()),
    ]))
    .await?;
    if page.contains("id=\"mfa-form\"") {
        let code = choices.mfa_code.clone().unwrap_or_default();
        fetch(
            http.post(at("/cop-navigator/mfa"))
                .form(&[("flow", flow.as_str()), ("mfa_code", code.as_str())]),
        )
        .await?;
    }
    let mut form = vec![("flow", flow.as_str())];
    if choices.agree {
        form.push(("agree", "on"));
    }
    form.push((
        "action",
        if choices.cancel {
            "cancel"
        } else {
            "authorize"
        },
    ));
    let answer = http
        .post(at("/cop-navigator/authorize"))
        .form(&form)
        .send()
        .await
        .map_err(|e| AppError::new(ErrorCode::UspsUnavailable, format!("Sandbox: {e}")))?;
    if !answer.status().is_redirection() {
        let body = answer.text().await.unwrap_or_default();
        return Err(page_error(&body));
    }
    let location = redirect_target(&start, &answer)?;
    if location.path() != "/cop-navigator/success" {
        return Ok(location);
    }
    let success = fetch(http.get(location)).await?;
    let href = attribute_after(&success, "id=\"go-to-platform\" href=\"")
        .ok_or_else(|| AppError::internal("Sandbox consent", &"no Go to link on the page"))?;
    url::Url::parse(&unescape(&href)).map_err(|e| AppError::internal("Sandbox consent", &e))
}

async fn fetch(request: reqwest::RequestBuilder) -> AppResult<String> {
    let answer = request
        .send()
        .await
        .map_err(|e| AppError::new(ErrorCode::UspsUnavailable, format!("Sandbox: {e}")))?;
    let ok = answer.status().is_success();
    let body = answer
        .text()
        .await
        .map_err(|e| AppError::new(ErrorCode::UspsUnavailable, format!("Sandbox: {e}")))?;
    if ok { Ok(body) } else { Err(page_error(&body)) }
}

/// The message a refusing consent page shows (its alert, or its first paragraph).
fn page_error(body: &str) -> AppError {
    let shown = attribute_after(body, "role=\"alert\">")
        .or_else(|| attribute_after(body, "<p>"))
        .unwrap_or_else(|| "the page refused".into());
    AppError::validation(format!("USPS sign-in: {}", unescape(&shown)))
}

fn redirect_target(base: &url::Url, answer: &reqwest::Response) -> AppResult<url::Url> {
    let location = answer
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AppError::internal("Sandbox consent", &"redirect without Location"))?;
    base.join(location)
        .map_err(|e| AppError::internal("Sandbox consent", &e))
}

fn hidden_flow(page: &str) -> AppResult<String> {
    attribute_after(page, "name=\"flow\" value=\"")
        .ok_or_else(|| AppError::internal("Sandbox consent", &"no sign-in form on the page"))
}

/// The text after `marker` up to the next `"` or `<`.
fn attribute_after(page: &str, marker: &str) -> Option<String> {
    let start = page.find(marker)? + marker.len();
    let rest = &page[start..];
    let end = rest.find(['"', '<']).unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
