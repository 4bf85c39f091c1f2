//! [`UspsAccount`]: one USPS business connection (one set of app credentials and one grant).
//! Every resource call goes through [`UspsAccount::send_authorized`], which attaches the cached
//! access token (and, for label calls, the cached payment authorization token), and on a 401
//! renews the access token once (then, for label calls, the payment token once) and repeats
//! the call before classifying the answer.
//!
//! Payment authorization tokens are cached per set of roles: a token whose roles name a
//! `RATE_HOLDER` buys labels at contract prices, one without at published prices, so a label
//! is always sent with the token of the pricing it was quoted at.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::RequestBuilder;
use reqwest::header::AUTHORIZATION;

use crate::auth::oauth::AppCredentials;
use crate::auth::store::RefreshTokenStore;
use crate::auth::tokens::{AccessToken, GrantKind, TokenManager};
use crate::client::UspsClient;
use crate::error::UspsError;
use crate::models::{AccountIdentity, PaymentAuthorizationRequest, Pricing};
use crate::operation::{Api, Operation};
use crate::pacing::{Allowance, Forecast};
use crate::secret::Secret;
use crate::transport::RawResponse;

/// The Payments spec gives payment authorization tokens 8 hours.
const PAYMENT_TOKEN_LIFETIME: Duration = Duration::from_secs(8 * 3600);
const PAYMENT_TOKEN_EARLY_RENEWAL: Duration = Duration::from_secs(300);

#[derive(Clone, Debug)]
pub struct AccountConfig {
    pub credentials: AppCredentials,
    pub grant: GrantKind,
    /// Needed for payments and labels; address and price calls work without it.
    pub identity: Option<AccountIdentity>,
    /// The hourly call allowance USPS gave the app (its default product's, unless raised).
    pub allowance: Allowance,
}

#[derive(Clone)]
pub struct UspsAccount {
    pub(crate) inner: Arc<AccountInner>,
}

pub(crate) struct AccountInner {
    pub(crate) client: UspsClient,
    pub(crate) identity: Option<AccountIdentity>,
    pub(crate) tokens: TokenManager,
    /// Payment authorization tokens by the roles they were issued for.
    pub(crate) payment: tokio::sync::Mutex<HashMap<PaymentAuthorizationRequest, PaymentToken>>,
}

pub(crate) struct PaymentToken {
    pub(crate) secret: Secret,
    pub(crate) renew_at: Instant,
}

impl std::fmt::Debug for UspsAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UspsAccount")
            .field("client_id", &self.inner.tokens.credentials().client_id)
            .field("identity", &self.inner.identity)
            .finish_non_exhaustive()
    }
}

impl UspsClient {
    /// An account bound to this client's environment and connection pool.
    pub fn account(&self, config: AccountConfig, store: Arc<dyn RefreshTokenStore>) -> UspsAccount {
        self.pacer()
            .set_allowance(&config.credentials.client_id, config.allowance);
        UspsAccount {
            inner: Arc::new(AccountInner {
                client: self.clone(),
                identity: config.identity,
                tokens: TokenManager::new(config.credentials, config.grant, store),
                payment: tokio::sync::Mutex::new(HashMap::new()),
            }),
        }
    }
}

impl UspsAccount {
    pub fn client(&self) -> &UspsClient {
        &self.inner.client
    }

    pub fn identity(&self) -> Option<&AccountIdentity> {
        self.inner.identity.as_ref()
    }

    /// How long until every call of `needs` may have left within the app's hourly allowance.
    pub fn forecast(&self, needs: &[(Api, u32)]) -> Forecast {
        self.inner
            .client
            .pacer()
            .forecast(&self.inner.tokens.credentials().client_id, needs)
    }

    /// A usable access token (cached, or renewed once for all concurrent callers).
    pub async fn access_token(&self) -> Result<Arc<AccessToken>, UspsError> {
        self.inner.tokens.current(&self.inner.client).await
    }

    /// Finish "Sign in with USPS": exchange the code from the COP redirect, store the refresh
    /// token, cache the access token. The returned token's claims can prefill the identity.
    pub async fn connect_with_code(
        &self,
        code: &str,
        redirect_uri: &str,
    ) -> Result<Arc<AccessToken>, UspsError> {
        let token = self
            .inner
            .tokens
            .connect_with_code(&self.inner.client, code, redirect_uri)
            .await?;
        self.inner.payment.lock().await.clear();
        Ok(token)
    }

    /// Drop cached access and payment tokens (e.g. after the user reconnected elsewhere).
    pub async fn forget_cached_tokens(&self) {
        self.inner.tokens.clear();
        self.inner.payment.lock().await.clear();
    }

    pub(crate) fn require_identity(&self) -> Result<&AccountIdentity, UspsError> {
        self.inner.identity.as_ref().ok_or_else(|| {
            UspsError::Config("this call needs the account's CRID, MIDs and EPS account".into())
        })
    }

    /// Send a resource call with the account's tokens; `build` gets the payment authorization
    /// token for label calls (`None` otherwise) and returns the request without auth.
    pub(crate) async fn send_authorized<F>(
        &self,
        operation: Operation,
        build: F,
    ) -> Result<RawResponse, UspsError>
    where
        F: Fn(Option<&Secret>) -> RequestBuilder,
    {
        self.send_authorized_priced(operation, Pricing::Published, build)
            .await
    }

    /// [`Self::send_authorized`] with the payment authorization token of `pricing`.
    pub(crate) async fn send_authorized_priced<F>(
        &self,
        operation: Operation,
        pricing: Pricing,
        build: F,
    ) -> Result<RawResponse, UspsError>
    where
        F: Fn(Option<&Secret>) -> RequestBuilder,
    {
        let mut renewed_access = false;
        let mut renewed_payment = false;
        loop {
            let token = self.access_token().await?;
            let payment = if operation.needs_payment_token() {
                Some(self.payment_token(pricing).await?)
            } else {
                None
            };
            let request = build(payment.as_ref())
                .header(AUTHORIZATION, format!("Bearer {}", token.secret().expose()));
            let result = self
                .inner
                .client
                .send_paced(
                    operation,
                    token.scope_grant(operation.api()),
                    request,
                    &self.inner.tokens.credentials().client_id,
                )
                .await;
            match result {
                // A 401: the access token may have expired or been revoked server-side. Renew
                // it once and repeat (a 401 means nothing was done, so any call may repeat).
                Err(UspsError::ReconnectRequired { .. } | UspsError::NotEntitled { .. })
                    if !renewed_access =>
                {
                    renewed_access = true;
                    self.inner.tokens.invalidate(&token);
                    tracing::debug!(%operation, "USPS refused the access token; renewing once");
                }
                // Still refused with a fresh access token that holds the scope: on a label
                // call that points at the payment authorization token.
                Err(UspsError::ReconnectRequired { .. })
                    if payment.is_some() && !renewed_payment =>
                {
                    renewed_payment = true;
                    self.inner.payment.lock().await.clear();
                    tracing::debug!(%operation, "USPS refused the payment token; renewing once");
                }
                other => return other,
            }
        }
    }

    /// The cached payment authorization token for `pricing`'s roles, fetched once per 8 hours
    /// per account and set of roles.
    pub(crate) fn payment_token(
        &self,
        pricing: Pricing,
    ) -> Pin<Box<dyn Future<Output = Result<Secret, UspsError>> + Send + '_>> {
        Box::pin(async move {
            let roles = PaymentAuthorizationRequest::for_pricing(self.require_identity()?, pricing);
            let mut cache = self.inner.payment.lock().await;
            if let Some(cached) = cache.get(&roles).filter(|p| Instant::now() < p.renew_at) {
                return Ok(cached.secret.clone());
            }
            let fresh = self.authorize_payment_with(&roles).await?;
            let secret = fresh.payment_authorization_token.clone();
            let lifetime = payment_token_lifetime(&secret);
            cache.insert(
                roles,
                PaymentToken {
                    secret: secret.clone(),
                    renew_at: Instant::now() + lifetime.saturating_sub(PAYMENT_TOKEN_EARLY_RENEWAL),
                },
            );
            Ok(secret)
        })
    }
}

/// The token's own `exp` when it is a readable JWT, else the documented 8 hours.
fn payment_token_lifetime(token: &Secret) -> Duration {
    crate::auth::claims::decode_claims(token.expose())
        .ok()
        .and_then(|c| c.expires_at)
        .map(|exp| {
            let left = exp - time::OffsetDateTime::now_utc();
            Duration::from_secs(left.whole_seconds().max(0) as u64)
        })
        .filter(|d| !d.is_zero())
        .map(|d| d.min(PAYMENT_TOKEN_LIFETIME))
        .unwrap_or(PAYMENT_TOKEN_LIFETIME)
}
