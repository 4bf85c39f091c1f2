//! The single classifier every USPS answer goes through (docs/usps.md#errors).
//!
//! [`classify_response`] is a pure function of the HTTP status, headers, body, the
//! [`Operation`] and one fact about the token used (whether its claims grant the API's scope), so
//! the whole matrix is unit-tested without a server. [`classify_transport`] does the same for
//! answers that never arrived. The transport decides retries from the class; it never inspects
//! bodies itself.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

use crate::error::{ReconnectReason, Rejection, RejectionDetail, UspsError};
use crate::operation::{Operation, RetrySafety};

/// Whether the access token used for the call claims the scope of the called API.
/// `Unknown` when the token's claims could not be read (opaque token).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeGrant {
    Granted,
    Missing,
    Unknown,
}

/// Turn a non-success HTTP answer into the error class for `operation`.
pub fn classify_response(
    operation: Operation,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    scope: ScopeGrant,
) -> UspsError {
    let parsed = ParsedError::from_body(status, body);
    let retry_after = retry_after(headers);

    if status == 429 {
        return UspsError::QuotaExceeded {
            retry_after,
            message: parsed.rejection.message,
        };
    }
    if status >= 500 || status == 408 {
        return UspsError::Transient {
            status: Some(status),
            retry_after,
            message: non_empty(parsed.rejection.message, "server error"),
        };
    }
    match operation {
        Operation::Token => classify_token_error(status, parsed),
        Operation::Revoke => UspsError::Rejected(parsed.rejection),
        _ => classify_resource_error(operation, status, parsed, scope),
    }
}

fn classify_token_error(status: u16, parsed: ParsedError) -> UspsError {
    let code = parsed.oauth_error.as_deref().unwrap_or("");
    let description = parsed.rejection.message.to_ascii_lowercase();
    let message = non_empty(parsed.rejection.message.clone(), code);
    let reason = match code {
        "invalid_grant" | "invalid_refresh_token" => Some(ReconnectReason::RefreshTokenInvalid),
        "invalid_client" | "unauthorized_client" => Some(ReconnectReason::InvalidClient),
        "invalid_request"
            if parsed.refresh_token_status.is_some() || description.contains("refresh") =>
        {
            Some(ReconnectReason::RefreshTokenInvalid)
        }
        "invalid_request"
            if description.contains("authorization code")
                || description.contains("authorizaton code") =>
        {
            Some(ReconnectReason::AuthorizationCodeInvalid)
        }
        _ if status == 401 => Some(ReconnectReason::InvalidClient),
        _ => None,
    };
    match reason {
        Some(reason) => UspsError::ReconnectRequired { reason, message },
        None => UspsError::Rejected(parsed.rejection),
    }
}

fn classify_resource_error(
    operation: Operation,
    status: u16,
    parsed: ParsedError,
    scope: ScopeGrant,
) -> UspsError {
    let message = parsed.rejection.message.clone();
    match status {
        401 => {
            let says_scope = parsed.rejection.details.iter().any(|d| {
                d.title.as_deref() == Some("insufficient_scope")
                    || d.code.as_deref() == Some("insufficient_scope")
            });
            if scope == ScopeGrant::Missing || says_scope {
                UspsError::NotEntitled {
                    missing: operation.api().name().to_owned(),
                    message,
                }
            } else {
                UspsError::ReconnectRequired {
                    reason: ReconnectReason::TokenRejected,
                    message: non_empty(message, "access token refused"),
                }
            }
        }
        403 => UspsError::AccountNotAuthorized {
            message: non_empty(message, "access denied"),
        },
        _ => UspsError::Rejected(parsed.rejection),
    }
}

/// How a request failed without an HTTP answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportFailure {
    /// Connecting failed: the request never left this machine.
    NotSent,
    /// Timeout or connection dropped after the request was written: it may have been applied.
    MaybeApplied,
}

impl TransportFailure {
    pub(crate) fn of(error: &reqwest::Error) -> Self {
        if error.is_connect() || error.is_builder() {
            TransportFailure::NotSent
        } else {
            TransportFailure::MaybeApplied
        }
    }
}

/// The error for a request that got no answer after the retries the operation allows.
/// `maybe_applied` is true if any attempt (not just the last) may have reached USPS.
pub fn classify_transport(
    operation: Operation,
    failure: TransportFailure,
    maybe_applied: bool,
    message: String,
) -> UspsError {
    let might_have_changed_state = operation.retry_safety() != RetrySafety::Safe
        && (maybe_applied || failure == TransportFailure::MaybeApplied);
    if might_have_changed_state {
        UspsError::OutcomeUnknown { operation, message }
    } else {
        UspsError::Transient {
            status: None,
            retry_after: None,
            message,
        }
    }
}

/// After retries ran out on a transient answer: a mutation some earlier attempt of which may have
/// been applied is reported as outcome-unknown rather than merely unavailable.
pub fn escalate_after_retries(
    operation: Operation,
    error: UspsError,
    maybe_applied: bool,
) -> UspsError {
    match error {
        UspsError::Transient { message, .. }
            if maybe_applied && operation.retry_safety() != RetrySafety::Safe =>
        {
            UspsError::OutcomeUnknown { operation, message }
        }
        other => other,
    }
}

/// `Retry-After` as delta-seconds (USPS) or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = raw.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let format = time::format_description::well_known::Rfc2822;
    let when = time::OffsetDateTime::parse(raw, &format).ok()?;
    let delta = when - time::OffsetDateTime::now_utc();
    Some(Duration::from_secs(delta.whole_seconds().max(0) as u64))
}

fn non_empty(text: String, fallback: &str) -> String {
    if text.trim().is_empty() {
        fallback.to_owned()
    } else {
        text
    }
}

/// An error body in either USPS shape: the API envelope or an RFC 6749 OAuth error.
struct ParsedError {
    rejection: Rejection,
    oauth_error: Option<String>,
    refresh_token_status: Option<String>,
}

impl ParsedError {
    fn from_body(status: u16, body: &[u8]) -> Self {
        let mut parsed = ParsedError {
            rejection: Rejection {
                status,
                message: String::new(),
                details: Vec::new(),
            },
            oauth_error: None,
            refresh_token_status: None,
        };
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return parsed;
        };
        match value.get("error") {
            Some(Value::String(code)) => {
                // RFC 6749 body. Only the code and description are kept: such bodies may also
                // echo a `refresh_token`, which must never reach a message.
                parsed.oauth_error = Some(code.clone());
                parsed.rejection.message = text(&value, "error_description").unwrap_or_default();
                parsed.refresh_token_status = text(&value, "refresh_token_status");
                parsed.rejection.details.push(RejectionDetail {
                    code: Some(code.clone()),
                    ..Default::default()
                });
            }
            Some(envelope @ Value::Object(_)) => {
                parsed.rejection.message = text(envelope, "message").unwrap_or_default();
                if let Some(Value::Array(items)) = envelope.get("errors") {
                    parsed.rejection.details = items.iter().map(detail_of).collect();
                }
            }
            _ => {}
        }
        parsed
    }
}

fn detail_of(item: &Value) -> RejectionDetail {
    let field = match item.get("source") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(source @ Value::Object(_)) => {
            text(source, "parameter").or_else(|| text(source, "pointer"))
        }
        _ => None,
    };
    RejectionDetail {
        code: text(item, "code"),
        title: text(item, "title"),
        detail: text(item, "detail"),
        field,
    }
}

/// A string field, also accepting numbers (codes sometimes arrive unquoted).
fn text(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
