//! Sending one logical call: attempts, backoff, call counting, and handing every failure to the
//! classifier. One `reqwest::Client` (connection pool, TLS) serves every account.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};

use crate::classify::{
    ScopeGrant, TransportFailure, classify_response, classify_transport, escalate_after_retries,
};
use crate::error::UspsError;
use crate::operation::{API_COUNT, Api, Operation, RetrySafety};
use crate::pacing::Pacer;

/// How long an API stays closed after a 429 that does not say when to come back.
const QUOTA_PAUSE_WITHOUT_RETRY_AFTER: Duration = Duration::from_secs(60);

/// How transient failures are retried. Only operations whose [`RetrySafety`] allows it are
/// retried after the request may have reached USPS; a connection that never opened is always
/// retried.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Total attempts including the first.
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// A 503 `Retry-After` longer than this ends the retries instead of blocking the caller.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(4),
            max_retry_after: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    fn backoff(&self, retry_number: u32) -> Duration {
        let factor = 1u32 << retry_number.min(16);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// Requests sent per API family (every attempt counts, as USPS meters attempts).
#[derive(Debug, Default)]
pub(crate) struct CallCounters([AtomicU64; API_COUNT]);

impl CallCounters {
    fn record(&self, api: Api) {
        self.0[api.index()].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> CallCounts {
        CallCounts(Api::ALL.map(|api| (api, self.0[api.index()].load(Ordering::Relaxed))))
    }
}

/// A snapshot of [`crate::UspsClient::call_counts`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallCounts([(Api, u64); API_COUNT]);

impl CallCounts {
    pub fn get(&self, api: Api) -> u64 {
        self.0
            .iter()
            .find(|(a, _)| *a == api)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.0.iter().map(|(_, n)| n).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Api, u64)> + '_ {
        self.0.iter().copied()
    }

    /// Calls made since `earlier`.
    pub fn since(&self, earlier: &CallCounts) -> CallCounts {
        CallCounts(
            self.0
                .map(|(api, n)| (api, n.saturating_sub(earlier.get(api)))),
        )
    }
}

/// A success answer, body fully read: what the readers in [`crate::decode`] take.
#[derive(Debug)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl RawResponse {
    pub(crate) fn content_type(&self) -> &str {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// The body as the JSON model `T`, or [`UspsError::Decode`] naming `operation`.
    pub fn json<T: serde::de::DeserializeOwned>(
        &self,
        operation: Operation,
    ) -> Result<T, UspsError> {
        serde_json::from_slice(&self.body).map_err(|e| UspsError::Decode {
            operation,
            message: e.to_string(),
        })
    }
}

pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) retry: RetryPolicy,
    pub(crate) counters: CallCounters,
    pub(crate) pacer: Pacer,
}

impl Transport {
    /// Send `request` (cloned per attempt) and return the success answer or the classified error.
    /// With `paced_as` (the app's client id) each attempt first waits for the app's hourly
    /// allowance of the operation's API.
    pub(crate) async fn send(
        &self,
        operation: Operation,
        scope: ScopeGrant,
        request: RequestBuilder,
        paced_as: Option<&str>,
    ) -> Result<RawResponse, UspsError> {
        let safety = operation.retry_safety();
        let mut maybe_applied = false;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let last_attempt = attempt >= self.retry.max_attempts.max(1);
            let Some(this_try) = request.try_clone() else {
                return Err(UspsError::Config(format!(
                    "{operation} request body cannot be repeated"
                )));
            };
            if let Some(client_id) = paced_as {
                self.pacer.admit(client_id, operation.api()).await;
            }
            self.counters.record(operation.api());
            let outcome = match this_try.send().await {
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    match response.bytes().await {
                        Ok(body) => Ok(RawResponse {
                            status,
                            headers,
                            body,
                        }),
                        Err(error) => Err((TransportFailure::MaybeApplied, error.to_string())),
                    }
                }
                Err(error) => Err((TransportFailure::of(&error), describe(&error))),
            };
            match outcome {
                Ok(answer) if answer.status.is_success() => return Ok(answer),
                Ok(answer) => {
                    let status = answer.status.as_u16();
                    let error =
                        classify_response(operation, status, &answer.headers, &answer.body, scope);
                    if let (Some(client_id), UspsError::QuotaExceeded { retry_after, .. }) =
                        (paced_as, &error)
                    {
                        let closed = retry_after.unwrap_or(QUOTA_PAUSE_WITHOUT_RETRY_AFTER);
                        self.pacer.refused(client_id, operation.api(), closed);
                    }
                    let UspsError::Transient { retry_after, .. } = &error else {
                        return Err(error);
                    };
                    // A 5xx other than 503 may come after the work was done.
                    maybe_applied |= status != 503;
                    let wait = retry_after.unwrap_or_else(|| self.retry.backoff(attempt - 1));
                    let allowed =
                        safety != RetrySafety::Unsafe && wait <= self.retry.max_retry_after;
                    if last_attempt || !allowed {
                        return Err(escalate_after_retries(operation, error, maybe_applied));
                    }
                    tracing::debug!(%operation, status, attempt, "USPS transient answer; retrying");
                    tokio::time::sleep(wait).await;
                }
                Err((failure, message)) => {
                    let allowed =
                        failure == TransportFailure::NotSent || safety != RetrySafety::Unsafe;
                    maybe_applied |= failure == TransportFailure::MaybeApplied;
                    if last_attempt || !allowed {
                        return Err(classify_transport(
                            operation,
                            failure,
                            maybe_applied,
                            message,
                        ));
                    }
                    tracing::debug!(%operation, attempt, %message, "USPS request failed; retrying");
                    tokio::time::sleep(self.retry.backoff(attempt - 1)).await;
                }
            }
        }
    }
}

/// reqwest's message without the URL, which could carry query parameters worth keeping private.
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    };
    let mut source = std::error::Error::source(error);
    let mut detail = String::new();
    while let Some(inner) = source {
        detail = inner.to_string();
        source = inner.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    }
}
