//! `POST /oauth2/v3/token` (client_credentials, authorization_code, refresh_token) and
//! `POST /oauth2/v3/revoke`, with USPS's response fields, lifetimes and RFC 6749 error bodies
//! (docs/usps.md#oauth, docs/usps.md#errors). Bodies may be JSON or form-encoded.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::Shared;
use crate::auth::jwt::AccessClaims;
use crate::errors::OAuthError;
use crate::ids::{now_ms, random_token, seeded};
use crate::scenario::App;
use crate::state::SimState;
use crate::state::records::{AccessRecord, Business, RefreshRecord, RefreshState};

pub const ACCESS_LIFETIME_MS: u64 = 8 * 3600 * 1000;
pub const REFRESH_LIFETIME_MS: u64 = 7 * 24 * 3600 * 1000;
const CODE_ERROR: &str = "Authorizaton Code Error: either the authorization code has expired, is invalid, or the redirect_uri is not registered.";
const REFRESH_INVALID: &str = "Invalid Refresh Token: Check the value of the refresh token. It may be missing, have expired or have been revoked.";

/// Reads a JSON or form body into string parameters (JSON numbers become their text).
pub fn parse_params(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<HashMap<String, String>, OAuthError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("json"));
    if is_json {
        let value: Value = serde_json::from_slice(body)
            .map_err(|_| OAuthError::invalid_request("The request body is not valid JSON."))?;
        let obj = value.as_object().ok_or_else(|| {
            OAuthError::invalid_request("The request body must be a JSON object.")
        })?;
        Ok(obj
            .iter()
            .filter_map(|(k, v)| match v {
                Value::String(s) => Some((k.clone(), s.clone())),
                Value::Null => None,
                other => Some((k.clone(), other.to_string())),
            })
            .collect())
    } else {
        Ok(url::form_urlencoded::parse(body).into_owned().collect())
    }
}

/// Client credentials from the body, or else from `Authorization: Basic`.
fn client_credentials(
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Option<(String, String)> {
    if let (Some(id), Some(secret)) = (params.get("client_id"), params.get("client_secret")) {
        return Some((id.clone(), secret.clone()));
    }
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, b64) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Looks the client up and checks its secret.
fn authenticate(st: &SimState, creds: Option<(String, String)>) -> Result<App, OAuthError> {
    let (id, secret) = creds.ok_or_else(OAuthError::unknown_client)?;
    let app = st
        .scenario
        .app(&id)
        .cloned()
        .ok_or_else(OAuthError::unknown_client)?;
    if app.client_secret != secret {
        return Err(OAuthError::bad_secret());
    }
    Ok(app)
}

pub async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    match issue(&shared, &headers, &body) {
        Ok(v) => (StatusCode::OK, axum::Json(v)).into_response(),
        Err(e) => e.into_response(),
    }
}

fn issue(shared: &Shared, headers: &HeaderMap, body: &[u8]) -> Result<Value, OAuthError> {
    let params = parse_params(headers, body)?;
    let mut st = shared.lock();
    let app = authenticate(&st, client_credentials(headers, &params))?;
    let scope = params.get("scope").map(String::as_str);
    let response = match params.get("grant_type").map(String::as_str) {
        None | Some("") => return Err(OAuthError::invalid_request("grant_type is required.")),
        Some("client_credentials") => {
            let owner = app
                .owner
                .as_deref()
                .and_then(|u| st.scenario.user(u))
                .cloned();
            let business = owner.as_ref().and_then(Business::of);
            let subject = owner
                .as_ref()
                .map_or(app.client_id.as_str(), |u| u.username.as_str());
            let subject = subject.to_string();
            access_response(shared, &mut st, &app, &subject, None, business, scope)
        }
        Some("authorization_code") => {
            let code = params.get("code").cloned().unwrap_or_default();
            let redirect = params.get("redirect_uri").cloned().unwrap_or_default();
            let now = now_ms();
            let valid = st.codes.get(&code).is_some_and(|c| {
                !c.used
                    && c.expires_ms > now
                    && c.client_id == app.client_id
                    && c.redirect_uri == redirect
            }) && app.redirect_uris.contains(&redirect);
            if !valid {
                return Err(OAuthError::invalid_request(CODE_ERROR));
            }
            let record = st.codes.get_mut(&code).expect("checked above");
            record.used = true;
            let (username, consent_id) = (record.username.clone(), record.consent_id.clone());
            let business = st.scenario.user(&username).and_then(Business::of);
            let mut resp = access_response(
                shared,
                &mut st,
                &app,
                &username,
                Some(&consent_id),
                business,
                scope,
            );
            add_refresh(&mut st, &mut resp, &app, &username, &consent_id, 0);
            resp
        }
        Some("refresh_token") => {
            let presented = params.get("refresh_token").cloned().unwrap_or_default();
            let old = check_refresh(&st, &app, &presented)?;
            let now = now_ms();
            let grace = st.rotation_grace_ms;
            if let Some(r) = st.durable.refresh_tokens.get_mut(&presented)
                && r.state == RefreshState::Active
            {
                r.state = RefreshState::Rotated {
                    grace_until_ms: now + grace,
                };
            }
            let business = st.scenario.user(&old.username).and_then(Business::of);
            let mut resp = access_response(
                shared,
                &mut st,
                &app,
                &old.username,
                Some(&old.consent_id),
                business,
                scope,
            );
            add_refresh(
                &mut st,
                &mut resp,
                &app,
                &old.username,
                &old.consent_id,
                old.refresh_count + 1,
            );
            resp
        }
        Some(_) => {
            return Err(OAuthError::new(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
            ));
        }
    };
    shared.persist(&st);
    Ok(response)
}

/// Decides whether a presented refresh token may be used.
fn check_refresh(st: &SimState, app: &App, presented: &str) -> Result<RefreshRecord, OAuthError> {
    let not_found = || {
        OAuthError::invalid_request(REFRESH_INVALID)
            .with("refresh_token", json!(presented))
            .with("refresh_token_status", json!("Not Found"))
    };
    let record = st
        .durable
        .refresh_tokens
        .get(presented)
        .filter(|r| r.client_id == app.client_id)
        .cloned()
        .ok_or_else(not_found)?;
    let consent_live = st
        .durable
        .consents
        .get(&record.consent_id)
        .is_some_and(|c| !c.revoked);
    let now = now_ms();
    match record.state {
        RefreshState::Revoked => return Err(not_found()),
        RefreshState::Rotated { grace_until_ms } if now >= grace_until_ms => {
            return Err(not_found());
        }
        RefreshState::Invalidated => {
            return Err(OAuthError::new(
                StatusCode::BAD_REQUEST,
                "invalid_refresh_token",
                "Invalid Refresh Token: the refresh token is no longer valid.",
            )
            .with("refresh_token_status", json!("Unknown")));
        }
        _ => {}
    }
    if !consent_live {
        return Err(not_found());
    }
    if now >= record.expires_ms {
        return Err(OAuthError::invalid_request(
            "refresh_token_expired: Check the value of the refresh token. It may be missing, have expired or have been revoked.",
        )
        .with("refresh_token", json!(presented))
        .with("refresh_token_status", json!("expired")));
    }
    Ok(record)
}

/// Signs an access token, records it, and builds the client-application response fields.
fn access_response(
    shared: &Shared,
    st: &mut SimState,
    app: &App,
    subject: &str,
    consent_id: Option<&str>,
    business: Option<Business>,
    requested_scope: Option<&str>,
) -> Value {
    let registered = app.scope_set();
    let requested: BTreeSet<String> = requested_scope
        .unwrap_or_default()
        .split_whitespace()
        .filter(|s| registered.contains(*s))
        .map(str::to_string)
        .collect();
    let scopes = if requested.is_empty() {
        registered
    } else {
        requested
    };
    let scope = scopes.iter().cloned().collect::<Vec<_>>().join(" ");
    let now = now_ms();
    let jti = uuid::Uuid::new_v4().to_string();
    let sub_id = seeded(st.scenario.seed, subject, 1_000_000_000).to_string();
    let claims = AccessClaims {
        issuer: &shared.issuer,
        client_id: &app.client_id,
        subject: &sub_id,
        scope: &scope,
        business: business.as_ref(),
        issued_s: now / 1000,
        expires_s: now / 1000 + ACCESS_LIFETIME_MS / 1000,
        jti: &jti,
    };
    let token = shared.keys.sign(&claims.to_json());
    let is_user = consent_id.is_some() || app.owner.as_deref() == Some(subject);
    st.durable.access_tokens.retain(|_, r| r.expires_ms > now);
    st.durable.access_tokens.insert(
        jti,
        AccessRecord {
            client_id: app.client_id.clone(),
            consent_id: consent_id.map(str::to_string),
            username: is_user.then(|| subject.to_string()),
            scopes,
            business,
            issued_ms: now,
            expires_ms: now + ACCESS_LIFETIME_MS,
            force_expired: false,
        },
    );
    json!({
        "access_token": token,
        "token_type": "Bearer",
        "issued_at": now,
        "expires_in": ACCESS_LIFETIME_MS / 1000 - 1,
        "status": "approved",
        "scope": scope,
        "issuer": shared.issuer,
        "client_id": app.client_id,
        "application_name": app.application_name(),
        "api_products": app.api_products_string(),
        "public_key": shared.keys.public_key_b64(),
    })
}

/// Adds a new refresh token (ResourceOwnerTokenResponse fields).
fn add_refresh(
    st: &mut SimState,
    resp: &mut Value,
    app: &App,
    username: &str,
    consent_id: &str,
    count: u32,
) {
    let now = now_ms();
    let token = random_token(32);
    st.durable.refresh_tokens.insert(
        token.clone(),
        RefreshRecord {
            client_id: app.client_id.clone(),
            consent_id: consent_id.to_string(),
            username: username.to_string(),
            issued_ms: now,
            expires_ms: now + REFRESH_LIFETIME_MS,
            refresh_count: count,
            state: RefreshState::Active,
        },
    );
    resp["refresh_token"] = json!(token);
    resp["refresh_token_issued_at"] = json!(now);
    resp["refresh_token_status"] = json!("approved");
    resp["refresh_token_expires_in"] = json!(REFRESH_LIFETIME_MS / 1000 - 1);
    resp["refresh_count"] = json!(count);
}

/// RFC 7009 revocation; USPS only revokes refresh tokens. Unknown tokens still answer 200.
pub async fn revoke(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = match parse_params(&headers, &body) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let mut st = shared.lock();
    let app = match authenticate(&st, client_credentials(&headers, &params)) {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let Some(token) = params.get("token").filter(|t| !t.is_empty()) else {
        return OAuthError::invalid_request("token is required.").into_response();
    };
    if let Some(r) = st.durable.refresh_tokens.get_mut(token)
        && r.client_id == app.client_id
    {
        r.state = RefreshState::Revoked;
    }
    shared.persist(&st);
    StatusCode::OK.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_from_json_keep_numbers_as_text_and_forms_decode() {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        let p = parse_params(&h, br#"{"grant_type":"client_credentials","n":5,"x":null}"#).unwrap();
        assert_eq!(p["n"], "5");
        assert!(!p.contains_key("x"));
        let p = parse_params(&HeaderMap::new(), b"grant_type=refresh_token&scope=a+b").unwrap();
        assert_eq!(p["scope"], "a b");
        assert!(parse_params(&h, b"[1]").is_err());
    }

    #[test]
    fn basic_credentials_are_read_when_body_has_none() {
        let mut h = HeaderMap::new();
        let b64 = base64::engine::general_purpose::STANDARD.encode("id:se:cret");
        h.insert(
            header::AUTHORIZATION,
            format!("Basic {b64}").parse().unwrap(),
        );
        let creds = client_credentials(&h, &HashMap::new()).unwrap();
        assert_eq!(creds, ("id".to_string(), "se:cret".to_string()));
    }
}
