//! Per-account access-token cache with single-flight renewal.
//!
//! A cached token is served until shortly before it expires. When it must be renewed, the first
//! caller takes the account's renewal lock and makes the one token request; concurrent callers
//! wait on the same lock and then find the new token in the cache. The lock also guards the
//! in-memory refresh token, so two renewals can never race with the same refresh token.
//! A rotated refresh token is written to the app's store before the new access token is cached
//! or returned.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::auth::claims::{TokenClaims, decode_claims};
use crate::auth::oauth::{AppCredentials, TokenResponse};
use crate::auth::store::RefreshTokenStore;
use crate::classify::ScopeGrant;
use crate::client::UspsClient;
use crate::error::{ReconnectReason, UspsError};
use crate::operation::Api;
use crate::secret::Secret;

/// USPS's documented lifetime, used when a response omits `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(28_799);
const MAX_EARLY_RENEWAL: Duration = Duration::from_secs(300);
/// The longest lifetime an answer is believed: USPS grants 8 hours, and a broken answer
/// (`"expires_in": "18446744073709551615"`) must neither keep a token past a day nor overflow
/// the renewal time.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// How an account obtains access tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrantKind {
    /// "Use my own USPS API app": client id + secret, no refresh token.
    ClientCredentials { scope: Option<String> },
    /// "Sign in with USPS": COP consent, then refresh tokens from the store.
    AuthorizationCode,
}

/// A usable access token and what we know about it.
pub struct AccessToken {
    secret: Secret,
    renew_at: Instant,
    pub lifetime: Duration,
    /// Decoded (not verified) JWT claims; `None` for an opaque token.
    pub claims: Option<TokenClaims>,
    /// Scopes from the token response (or the claims when the response had none).
    pub scopes: Vec<String>,
    /// `api_products` of the token response, e.g. `["Shipping Suite"]`.
    pub products: Vec<String>,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &self.secret)
            .field("lifetime", &self.lifetime)
            .field("scopes", &self.scopes)
            .field("products", &self.products)
            .finish_non_exhaustive()
    }
}

impl AccessToken {
    /// The token a token answer grants, due for renewal a little before it expires.
    pub fn from_response(response: &TokenResponse, now: Instant) -> Self {
        let lifetime = response
            .expires_in
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_LIFETIME)
            .min(MAX_LIFETIME);
        let early = (lifetime / 10).min(MAX_EARLY_RENEWAL);
        let claims = decode_claims(response.access_token.expose()).ok();
        let mut scopes = response.scopes();
        if scopes.is_empty() {
            scopes = claims
                .as_ref()
                .map(|c| c.scopes.clone())
                .unwrap_or_default();
        }
        Self {
            secret: response.access_token.clone(),
            renew_at: now + lifetime.saturating_sub(early),
            lifetime,
            claims,
            scopes,
            products: response.products(),
        }
    }

    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    pub fn is_usable_at(&self, now: Instant) -> bool {
        now < self.renew_at
    }

    /// Whether this token's scopes grant `api` (`Unknown` if the token told us no scopes).
    pub fn scope_grant(&self, api: Api) -> ScopeGrant {
        if self.scopes.is_empty() {
            ScopeGrant::Unknown
        } else if api.scopes().is_empty()
            || api
                .scopes()
                .iter()
                .any(|s| self.scopes.iter().any(|have| have == s))
        {
            ScopeGrant::Granted
        } else {
            ScopeGrant::Missing
        }
    }
}

pub(crate) struct TokenManager {
    credentials: AppCredentials,
    grant: GrantKind,
    store: Arc<dyn RefreshTokenStore>,
    cached: Mutex<Option<Arc<AccessToken>>>,
    /// The renewal lock; holds the refresh token once loaded from the store.
    renewal: tokio::sync::Mutex<Option<Secret>>,
}

impl TokenManager {
    pub(crate) fn new(
        credentials: AppCredentials,
        grant: GrantKind,
        store: Arc<dyn RefreshTokenStore>,
    ) -> Self {
        Self {
            credentials,
            grant,
            store,
            cached: Mutex::new(None),
            renewal: tokio::sync::Mutex::new(None),
        }
    }

    pub(crate) fn credentials(&self) -> &AppCredentials {
        &self.credentials
    }

    fn cached_usable(&self) -> Option<Arc<AccessToken>> {
        let cached = self.cached.lock().expect("not poisoned");
        cached
            .as_ref()
            .filter(|t| t.is_usable_at(Instant::now()))
            .cloned()
    }

    /// A usable access token, renewing it (once, for all concurrent callers) when needed.
    pub(crate) async fn current(&self, client: &UspsClient) -> Result<Arc<AccessToken>, UspsError> {
        if let Some(token) = self.cached_usable() {
            return Ok(token);
        }
        let mut refresh_slot = self.renewal.lock().await;
        if let Some(token) = self.cached_usable() {
            return Ok(token);
        }
        let response = match &self.grant {
            GrantKind::ClientCredentials { scope } => {
                client
                    .client_credentials_token(&self.credentials, scope.as_deref())
                    .await?
            }
            GrantKind::AuthorizationCode => {
                let refresh_token = match refresh_slot.clone() {
                    Some(token) => token,
                    None => self.load_refresh_token().await?,
                };
                match client.refresh(&self.credentials, &refresh_token).await {
                    Ok(response) => response,
                    Err(error @ UspsError::ReconnectRequired { .. }) => {
                        // Another process sharing the store (the CLI beside the app) may have
                        // rotated the token since it was read: a newer stored one is tried once
                        // before the grant is declared dead.
                        *refresh_slot = None;
                        let stored = self.load_refresh_token().await.ok();
                        let Some(newer) = stored.filter(|t| *t != refresh_token) else {
                            return Err(error);
                        };
                        let response = client.refresh(&self.credentials, &newer).await?;
                        *refresh_slot = Some(newer);
                        response
                    }
                    Err(error) => {
                        // Re-read the store next time: the app may have reconnected meanwhile.
                        *refresh_slot = None;
                        return Err(error);
                    }
                }
            }
        };
        self.adopt(response, &mut refresh_slot).await
    }

    /// Exchange a COP authorization code and make the result this account's grant.
    pub(crate) async fn connect_with_code(
        &self,
        client: &UspsClient,
        code: &str,
        redirect_uri: &str,
    ) -> Result<Arc<AccessToken>, UspsError> {
        let mut refresh_slot = self.renewal.lock().await;
        let response = client
            .exchange_code(&self.credentials, code, redirect_uri)
            .await?;
        if response.refresh_token.is_none() {
            return Err(UspsError::Decode {
                operation: crate::operation::Operation::Token,
                message: "authorization code exchange returned no refresh token".into(),
            });
        }
        self.adopt(response, &mut refresh_slot).await
    }

    /// Forget `used` if it is still the cached token (another caller may have renewed already).
    pub(crate) fn invalidate(&self, used: &Arc<AccessToken>) {
        let mut cached = self.cached.lock().expect("not poisoned");
        if cached.as_ref().is_some_and(|c| Arc::ptr_eq(c, used)) {
            *cached = None;
        }
    }

    pub(crate) fn clear(&self) {
        *self.cached.lock().expect("not poisoned") = None;
    }

    async fn adopt(
        &self,
        response: TokenResponse,
        refresh_slot: &mut Option<Secret>,
    ) -> Result<Arc<AccessToken>, UspsError> {
        if let Some(new_refresh) = &response.refresh_token
            && refresh_slot.as_ref() != Some(new_refresh)
        {
            self.save_refresh_token(new_refresh.clone()).await?;
            *refresh_slot = Some(new_refresh.clone());
        }
        let token = Arc::new(AccessToken::from_response(&response, Instant::now()));
        *self.cached.lock().expect("not poisoned") = Some(token.clone());
        Ok(token)
    }

    async fn load_refresh_token(&self) -> Result<Secret, UspsError> {
        let store = self.store.clone();
        let loaded = tokio::task::spawn_blocking(move || store.load())
            .await
            .map_err(|e| UspsError::TokenStore(e.to_string()))?
            .map_err(|e| UspsError::TokenStore(e.0))?;
        loaded
            .filter(|t| !t.is_empty())
            .ok_or_else(|| UspsError::ReconnectRequired {
                reason: ReconnectReason::NoRefreshToken,
                message: "no USPS refresh token is stored for this account".into(),
            })
    }

    async fn save_refresh_token(&self, token: Secret) -> Result<(), UspsError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || store.save(&token))
            .await
            .map_err(|e| UspsError::TokenStore(e.to_string()))?
            .map_err(|e| UspsError::TokenStore(e.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(expires_in: u64, scope: &str) -> TokenResponse {
        serde_json::from_value(serde_json::json!({
            "access_token": "opaque", "token_type": "Bearer", "expires_in": expires_in.to_string(), "scope": scope
        }))
        .unwrap()
    }

    #[test]
    fn renews_shortly_before_expiry() {
        let now = Instant::now();
        let token = AccessToken::from_response(&response(28_799, "labels"), now);
        assert!(token.is_usable_at(now + Duration::from_secs(28_000)));
        assert!(!token.is_usable_at(now + Duration::from_secs(28_500)));
        let short = AccessToken::from_response(&response(60, "labels"), now);
        assert!(short.is_usable_at(now + Duration::from_secs(50)));
        assert!(!short.is_usable_at(now + Duration::from_secs(55)));
    }

    /// Found by the `usps_responses` fuzz target: `Instant + u64::MAX seconds` panicked.
    #[test]
    fn an_absurd_lifetime_is_cut_to_a_day() {
        let now = Instant::now();
        let token = AccessToken::from_response(&response(u64::MAX, "labels"), now);
        assert_eq!(token.lifetime, MAX_LIFETIME);
        assert!(token.is_usable_at(now + Duration::from_secs(23 * 60 * 60)));
        assert!(!token.is_usable_at(now + MAX_LIFETIME));
    }

    #[test]
    fn scope_grant_uses_alias_names() {
        let token = AccessToken::from_response(
            &response(100, "addresses domestic-prices pickup"),
            Instant::now(),
        );
        assert_eq!(token.scope_grant(Api::Prices), ScopeGrant::Granted);
        assert_eq!(token.scope_grant(Api::CarrierPickup), ScopeGrant::Granted);
        assert_eq!(token.scope_grant(Api::Labels), ScopeGrant::Missing);
        let unknown = AccessToken::from_response(&response(100, ""), Instant::now());
        assert_eq!(unknown.scope_grant(Api::Labels), ScopeGrant::Unknown);
        assert!(!format!("{token:?}").contains("opaque"));
    }
}
