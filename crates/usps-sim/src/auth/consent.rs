//! The COP consent flow a business goes through to let a platform act for it
//! (`/cop-navigator?wf=apis_merchant_user&client_id&state&redirect_uri&platform&reauth=true`):
//! sign in → optional MFA code → tick the terms and **Authorize & Continue** → success page →
//! back to the exact registered redirect URI with `code` and `state` (docs/usps.md#consent).
//!
//! Flow progress lives server-side under a random `flow` id carried in a hidden field, so the
//! pages work without cookies.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::collections::HashMap;
use std::sync::Arc;

use super::html;
use crate::Shared;
use crate::ids::{now_ms, random_token};
use crate::state::SimState;
use crate::state::records::{CodeRecord, Consent, ConsentFlow, FlowStage};

const FLOW_TTL_MS: u64 = 30 * 60 * 1000;
const CODE_TTL_MS: u64 = 10 * 60 * 1000;

type Params = HashMap<String, String>;

fn problem(status: StatusCode, title: &str, message: &str) -> Response {
    (status, Html(html::problem(title, message))).into_response()
}

fn expired() -> Response {
    problem(
        StatusCode::BAD_REQUEST,
        "Session expired",
        "Your session has expired. Go back to the application and start again.",
    )
}

/// Entry point the platform sends the user's browser to.
pub async fn start(State(shared): State<Arc<Shared>>, Query(q): Query<Params>) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    if get("wf") != "apis_merchant_user" {
        return problem(
            StatusCode::BAD_REQUEST,
            "Unsupported workflow",
            "The requested workflow (wf) is not available.",
        );
    }
    let mut st = shared.lock();
    let Some(app) = st.scenario.app(get("client_id")).cloned() else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Unknown application",
            "The application requesting access (client_id) is not registered with USPS.",
        );
    };
    let redirect_uri = get("redirect_uri");
    if !app.redirect_uris.iter().any(|u| u == redirect_uri) {
        return problem(
            StatusCode::BAD_REQUEST,
            "Invalid redirect",
            "The redirect_uri is invalid. It must exactly match a Callback URL registered for this application.",
        );
    }
    let platform = match get("platform") {
        "" => app.platform.clone(),
        p => p.to_string(),
    };
    let now = now_ms();
    st.flows.retain(|_, f| now - f.created_ms < FLOW_TTL_MS);
    let flow = random_token(24);
    st.flows.insert(
        flow.clone(),
        ConsentFlow {
            client_id: app.client_id,
            redirect_uri: redirect_uri.to_string(),
            state: get("state").to_string(),
            platform: platform.clone(),
            stage: FlowStage::SignIn,
            created_ms: now,
        },
    );
    Html(html::sign_in(&flow, &platform, "", None)).into_response()
}

fn live_flow<'a>(st: &'a mut SimState, form: &Params) -> Option<(String, &'a mut ConsentFlow)> {
    let id = form.get("flow")?.clone();
    let flow = st.flows.get_mut(&id)?;
    (now_ms() - flow.created_ms < FLOW_TTL_MS).then_some((id, flow))
}

pub async fn sign_in(State(shared): State<Arc<Shared>>, Form(form): Form<Params>) -> Response {
    let mut st = shared.lock();
    let username = form.get("username").cloned().unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let user = st.scenario.user(&username).cloned();
    let Some((id, flow)) = live_flow(&mut st, &form) else {
        return expired();
    };
    if flow.stage != FlowStage::SignIn {
        return expired();
    }
    let Some(user) = user.filter(|u| u.password == password) else {
        let page = html::sign_in(
            &id,
            &flow.platform,
            &username,
            Some("The username or password you entered is incorrect. Please try again."),
        );
        return (StatusCode::UNAUTHORIZED, Html(page)).into_response();
    };
    if user.mfa_code.is_some() {
        flow.stage = FlowStage::Mfa { username };
        return Html(html::mfa(&id, None)).into_response();
    }
    flow.stage = FlowStage::Consent {
        username: username.clone(),
    };
    Html(html::consent(&id, &flow.platform, &username, None)).into_response()
}

pub async fn mfa(State(shared): State<Arc<Shared>>, Form(form): Form<Params>) -> Response {
    let mut st = shared.lock();
    let pending = match form.get("flow").and_then(|id| st.flows.get(id)) {
        Some(ConsentFlow {
            stage: FlowStage::Mfa { username },
            ..
        }) => username.clone(),
        _ => return expired(),
    };
    let expected = st.scenario.user(&pending).and_then(|u| u.mfa_code.clone());
    let Some((id, flow)) = live_flow(&mut st, &form) else {
        return expired();
    };
    let entered = form.get("mfa_code").map(|c| c.trim()).unwrap_or_default();
    if expected.as_deref() != Some(entered) {
        let page = html::mfa(&id, Some("The verification code is not correct."));
        return (StatusCode::UNAUTHORIZED, Html(page)).into_response();
    }
    flow.stage = FlowStage::Consent {
        username: pending.clone(),
    };
    Html(html::consent(&id, &flow.platform, &pending, None)).into_response()
}

/// Appends query parameters to a redirect URI, keeping any it already has.
fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(uri) {
        Ok(mut u) => {
            u.query_pairs_mut().extend_pairs(pairs);
            u.to_string()
        }
        Err(_) => uri.to_string(),
    }
}

pub async fn authorize(State(shared): State<Arc<Shared>>, Form(form): Form<Params>) -> Response {
    let mut guard = shared.lock();
    let st = &mut *guard;
    let Some((id, flow)) = live_flow(st, &form) else {
        return expired();
    };
    let FlowStage::Consent { username } = flow.stage.clone() else {
        return expired();
    };
    if form.get("action").map(String::as_str) == Some("cancel") {
        let target = with_query(
            &flow.redirect_uri,
            &[("error", "access_denied"), ("state", &flow.state)],
        );
        st.flows.remove(&id);
        return Redirect::to(&target).into_response();
    }
    if form.get("agree").is_none_or(|v| v.is_empty()) {
        let page = html::consent(
            &id,
            &flow.platform,
            &username,
            Some("You must agree to the USPS Terms and Conditions to continue."),
        );
        return (StatusCode::BAD_REQUEST, Html(page)).into_response();
    }
    let client_id = flow.client_id.clone();
    let redirect_uri = flow.redirect_uri.clone();
    let code = grant(st, &client_id, &username, &redirect_uri);
    if let Some(flow) = st.flows.get_mut(&id) {
        flow.stage = FlowStage::Done { code };
    }
    shared.persist(st);
    Redirect::to(&format!("/cop-navigator/success?flow={id}")).into_response()
}

/// What **Authorize & Continue** does once the user is signed in and has ticked the terms:
/// records `username`'s consent to `client_id` (keeping one that is still live) and issues a
/// one-time authorization code bound to `redirect_uri`. The caller persists.
pub(crate) fn grant(
    st: &mut SimState,
    client_id: &str,
    username: &str,
    redirect_uri: &str,
) -> String {
    let now = now_ms();
    let consent_id = match st
        .durable
        .consents
        .values()
        .find(|c| c.client_id == client_id && c.username == username && !c.revoked)
    {
        Some(c) => c.id.clone(),
        None => {
            st.durable.counters.consents += 1;
            let id = format!("consent-{}", st.durable.counters.consents);
            st.durable.consents.insert(
                id.clone(),
                Consent {
                    id: id.clone(),
                    client_id: client_id.to_owned(),
                    username: username.to_owned(),
                    granted_ms: now,
                    revoked: false,
                },
            );
            id
        }
    };
    let code = random_token(24);
    st.codes.retain(|_, c| c.expires_ms > now);
    st.codes.insert(
        code.clone(),
        CodeRecord {
            client_id: client_id.to_owned(),
            username: username.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            consent_id,
            expires_ms: now + CODE_TTL_MS,
            used: false,
        },
    );
    code
}

pub async fn success(State(shared): State<Arc<Shared>>, Query(q): Query<Params>) -> Response {
    let st = shared.lock();
    let Some(flow) = q.get("flow").and_then(|id| st.flows.get(id)) else {
        return expired();
    };
    let FlowStage::Done { code } = &flow.stage else {
        return expired();
    };
    let target = with_query(
        &flow.redirect_uri,
        &[("code", code), ("state", &flow.state)],
    );
    Html(html::success(&flow.platform, &target)).into_response()
}

#[cfg(test)]
mod tests {
    use super::with_query;

    #[test]
    fn redirect_keeps_existing_query_and_encodes_values() {
        let t = with_query(
            "http://127.0.0.1:9/cb?x=1",
            &[("code", "a b"), ("state", "s&t")],
        );
        assert_eq!(t, "http://127.0.0.1:9/cb?x=1&code=a+b&state=s%26t");
    }
}
