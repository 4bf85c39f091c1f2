//! [`UspsClient`]: one per environment, cheap to clone, shared by every account.
//! It owns the HTTP connection pool, the retry policy and the call counters, and makes the
//! OAuth calls that need no account state (token grants, revoke, the consent URL).

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderValue};
use url::Url;

use crate::auth::oauth::{
    AppCredentials, ConsentRequest, GrantRequest, TokenResponse, consent_url,
};
use crate::classify::ScopeGrant;
use crate::environment::Environment;
use crate::error::UspsError;
use crate::operation::Operation;
use crate::pacing::{PaceClock, Pacer, WallClock};
use crate::secret::Secret;
use crate::transport::{CallCounters, CallCounts, RawResponse, RetryPolicy, Transport};

#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Whole-request limit; a label answer slower than this counts as lost (and is retried).
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    pub retry: RetryPolicy,
    pub user_agent: String,
    /// The time the hourly call allowance is kept in (a simulated one in tests).
    pub pace_clock: Arc<dyn PaceClock>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            user_agent: concat!("shipdesk-usps/", env!("CARGO_PKG_VERSION")).to_owned(),
            pace_clock: Arc::new(WallClock::default()),
        }
    }
}

#[derive(Clone)]
pub struct UspsClient {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) environment: Environment,
    pub(crate) api_base: Url,
    pub(crate) transport: Transport,
}

impl std::fmt::Debug for UspsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UspsClient")
            .field("environment", &self.inner.environment)
            .finish_non_exhaustive()
    }
}

impl UspsClient {
    pub fn new(environment: Environment) -> Result<Self, UspsError> {
        Self::with_config(environment, ClientConfig::default())
    }

    pub fn with_config(environment: Environment, config: ClientConfig) -> Result<Self, UspsError> {
        let http = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent)
            .build()
            .map_err(|e| UspsError::Config(format!("HTTP client: {e}")))?;
        let api_base = environment.api_base();
        let transport = Transport {
            http,
            retry: config.retry,
            counters: CallCounters::default(),
            pacer: Pacer::new(config.pace_clock),
        };
        Ok(Self {
            inner: Arc::new(ClientInner {
                environment,
                api_base,
                transport,
            }),
        })
    }

    pub fn environment(&self) -> &Environment {
        &self.inner.environment
    }

    /// Requests sent so far, per API family (each retry counts).
    pub fn call_counts(&self) -> CallCounts {
        self.inner.transport.counters.snapshot()
    }

    /// Each app's calls of the past hour, against its hourly allowance.
    pub fn pacer(&self) -> &Pacer {
        &self.inner.transport.pacer
    }

    /// The COP link to open in the system browser.
    pub fn consent_url(&self, request: &ConsentRequest) -> Url {
        consent_url(&self.inner.environment, request)
    }

    /// `grant_type=client_credentials` (no refresh token comes back).
    pub async fn client_credentials_token(
        &self,
        credentials: &AppCredentials,
        scope: Option<&str>,
    ) -> Result<TokenResponse, UspsError> {
        self.token(credentials, GrantRequest::ClientCredentials { scope })
            .await
    }

    /// `grant_type=authorization_code`: exchange the code COP sent to `redirect_uri`.
    pub async fn exchange_code(
        &self,
        credentials: &AppCredentials,
        code: &str,
        redirect_uri: &str,
    ) -> Result<TokenResponse, UspsError> {
        self.token(
            credentials,
            GrantRequest::AuthorizationCode { code, redirect_uri },
        )
        .await
    }

    /// `grant_type=refresh_token`. The answer may carry a rotated refresh token.
    pub async fn refresh(
        &self,
        credentials: &AppCredentials,
        refresh_token: &Secret,
    ) -> Result<TokenResponse, UspsError> {
        self.token(credentials, GrantRequest::RefreshToken { refresh_token })
            .await
    }

    /// RFC 7009 revoke of a refresh token (USPS revokes only refresh tokens), HTTP Basic auth.
    pub async fn revoke_refresh_token(
        &self,
        credentials: &AppCredentials,
        refresh_token: &Secret,
    ) -> Result<(), UspsError> {
        let request = self
            .inner
            .transport
            .http
            .post(self.endpoint(&["oauth2", "v3", "revoke"]))
            .basic_auth(
                &credentials.client_id,
                Some(credentials.client_secret.expose()),
            )
            .form(&[
                ("token", refresh_token.expose()),
                ("token_type_hint", "refresh_token"),
            ]);
        self.send(Operation::Revoke, ScopeGrant::Unknown, request)
            .await
            .map(|_| ())
    }

    async fn token(
        &self,
        credentials: &AppCredentials,
        grant: GrantRequest<'_>,
    ) -> Result<TokenResponse, UspsError> {
        let request = self
            .inner
            .transport
            .http
            .post(self.endpoint(&["oauth2", "v3", "token"]))
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .form(&grant.form(credentials));
        let answer = self
            .send(Operation::Token, ScopeGrant::Unknown, request)
            .await?;
        answer.json(Operation::Token)
    }

    pub(crate) async fn send(
        &self,
        operation: Operation,
        scope: ScopeGrant,
        request: reqwest::RequestBuilder,
    ) -> Result<RawResponse, UspsError> {
        self.inner
            .transport
            .send(operation, scope, request, None)
            .await
    }

    /// [`Self::send`] within the hourly allowance of the app `client_id`.
    pub(crate) async fn send_paced(
        &self,
        operation: Operation,
        scope: ScopeGrant,
        request: reqwest::RequestBuilder,
        client_id: &str,
    ) -> Result<RawResponse, UspsError> {
        self.inner
            .transport
            .send(operation, scope, request, Some(client_id))
            .await
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.transport.http
    }

    /// `api_base` + path segments, each percent-encoded, so a tracking or confirmation number
    /// can never change the path.
    pub(crate) fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.api_base.clone();
        {
            let mut path = url.path_segments_mut().expect("http(s) base URL");
            path.pop_if_empty();
            path.extend(segments);
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_escape_identifiers() {
        let client = UspsClient::new(Environment::sandbox(
            Url::parse("http://127.0.0.1:9/base").unwrap(),
        ))
        .unwrap();
        let url = client.endpoint(&["labels", "v3", "label", "92055/../x?y"]);
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/base/labels/v3/label/92055%2F..%2Fx%3Fy"
        );
        let prod = UspsClient::new(Environment::Production).unwrap();
        assert_eq!(
            prod.endpoint(&["oauth2", "v3", "token"]).as_str(),
            "https://apis.usps.com/oauth2/v3/token"
        );
    }
}
