//! A stand-in for a person at a browser on the simulator's consent pages: sign in, optional MFA
//! code, tick the terms, Authorize & Continue (or Cancel), and read where USPS sends the browser
//! back. For tests of "Sign in with USPS" that have no browser; the app itself never reads these
//! pages (the user completes them in their browser, and the demo account consents through the
//! simulator's API).

use shipdesk_core::error::AppResult;
use shipdesk_core::{AppError, ErrorCode};

use crate::{DEMO_PASSWORD, DEMO_USERNAME};

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
    /// The demo business signing in, agreeing and authorizing.
    pub fn demo() -> Self {
        Self {
            username: DEMO_USERNAME.into(),
            password: DEMO_PASSWORD.into(),
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
