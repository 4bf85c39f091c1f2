//! Resource-server checks every USPS API call goes through (docs/usps.md#products-and-scopes,
//! docs/usps.md#quotas): a missing, malformed or unknown token → 401 `invalid_token`; an expired
//! one → 401; a token (or app) without the API's product → 401 with an empty error list; over the
//! hourly quota → 429 with `Retry-After`. Business checks (403) come later, per endpoint, via
//! [`Caller`].

use axum::http::HeaderMap;
use std::collections::BTreeSet;

use crate::Shared;
use crate::api::Api;
use crate::errors::ApiError;
use crate::ids::now_ms;
use crate::state::QuotaWindow;
use crate::state::records::Business;

const HOUR_MS: u64 = 3_600_000;

/// Who is calling, as established from the bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub client_id: String,
    pub business: Option<Business>,
}

impl Caller {
    /// The business the token is tied to, or 403 when COP linking gave it none.
    pub fn business(&self, api: Api, path: &str) -> Result<&Business, ApiError> {
        self.business
            .as_ref()
            .ok_or_else(|| ApiError::forbidden(api.version(), path))
    }
}

/// Extracts the token from `Authorization: Bearer <jwt>`.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// Authenticates the caller for `api` and spends one unit of its hourly quota.
pub fn authorize(shared: &Shared, headers: &HeaderMap, api: Api) -> Result<Caller, ApiError> {
    let version = api.version();
    let token = bearer(headers).ok_or_else(|| ApiError::malformed_token(version))?;
    let claims = shared
        .keys
        .verify(token)
        .ok_or_else(|| ApiError::malformed_token(version))?;
    let jti = claims["jti"].as_str().unwrap_or_default();
    let now = now_ms();
    let mut st = shared.lock();
    let record = st
        .durable
        .access_tokens
        .get(jti)
        .cloned()
        .ok_or_else(|| ApiError::malformed_token(version))?;
    if record.force_expired || now >= record.expires_ms {
        return Err(ApiError::expired_token(version));
    }
    if let Some(consent) = &record.consent_id {
        let revoked = st.durable.consents.get(consent).is_none_or(|c| c.revoked);
        if revoked {
            return Err(ApiError::expired_token(version));
        }
    }
    let app = st
        .scenario
        .app(&record.client_id)
        .cloned()
        .ok_or_else(|| ApiError::malformed_token(version))?;
    let app_scopes = app.scope_set();
    let opens = |set: &BTreeSet<String>| api.scopes().iter().any(|s| set.contains(*s));
    if !opens(&record.scopes) || !opens(&app_scopes) {
        return Err(ApiError::missing_product(version));
    }
    let now = shared.quota_now_ms();
    let limit = app
        .quota_per_hour
        .unwrap_or(st.scenario.quotas.default_per_hour);
    let window = st
        .quota
        .entry((record.client_id.clone(), api.name()))
        .or_insert(QuotaWindow {
            started_ms: now,
            used: 0,
        });
    if now.saturating_sub(window.started_ms) >= HOUR_MS {
        *window = QuotaWindow {
            started_ms: now,
            used: 0,
        };
    }
    if window.used >= limit {
        let wait_ms = (window.started_ms + HOUR_MS).saturating_sub(now);
        return Err(ApiError::quota_exceeded(
            version,
            wait_ms.div_ceil(1000).max(1),
        ));
    }
    window.used += 1;
    Ok(Caller {
        client_id: record.client_id,
        business: record.business,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_parsing_is_strict_about_scheme_and_emptiness() {
        let mut h = HeaderMap::new();
        assert!(bearer(&h).is_none());
        h.insert("authorization", "Bearer abc".parse().unwrap());
        assert_eq!(bearer(&h), Some("abc"));
        h.insert("authorization", "bearer  xyz ".parse().unwrap());
        assert_eq!(bearer(&h), Some("xyz"));
        h.insert("authorization", "Basic abc".parse().unwrap());
        assert!(bearer(&h).is_none());
        h.insert("authorization", "Bearer ".parse().unwrap());
        assert!(bearer(&h).is_none());
    }
}
