//! The one error type every call returns.
//!
//! The variants are the classes of docs/usps.md#errors, so callers branch on the variant (or on
//! [`UspsError::class`] / [`UspsError::code`]) and never on message text. How a response becomes
//! one of these is decided in [`crate::classify`], a pure function over status, headers, body and
//! the [`Operation`]. Messages carry USPS's human text and never a token or secret.

use std::time::Duration;

use crate::operation::Operation;

#[derive(Debug, thiserror::Error)]
pub enum UspsError {
    /// The stored grant is dead: the user must sign in again (or re-enter app credentials).
    #[error("USPS authorization must be renewed ({reason:?}): {message}")]
    ReconnectRequired {
        reason: ReconnectReason,
        message: String,
    },

    /// The token is valid but lacks the API product (scope); signing in again will not help.
    #[error("the USPS app is not entitled to the {missing} API: {message}")]
    NotEntitled { missing: String, message: String },

    /// 403: the CRID/MID/EPS account/contract used is not tied to this token (COP linking).
    #[error("the USPS account is not authorized for this request: {message}")]
    AccountNotAuthorized { message: String },

    /// 429: wait for `retry_after` (seconds from the `Retry-After` header when USPS sent one).
    #[error("USPS quota exceeded; retry after {retry_after:?}")]
    QuotaExceeded {
        retry_after: Option<Duration>,
        message: String,
    },

    /// USPS refused the request (400, 404, 409, ...): its codes and field paths are kept.
    #[error("USPS rejected the request: {0}")]
    Rejected(Rejection),

    /// 5xx, timeouts, connection failures; already retried where that was safe.
    #[error("USPS is temporarily unavailable: {message}")]
    Transient {
        status: Option<u16>,
        retry_after: Option<Duration>,
        message: String,
    },

    /// A state-changing request may have been applied but its answer never arrived. For a label,
    /// retry later with the same idempotency key; never buy again with a new key.
    #[error("the outcome of {operation} is unknown: {message}")]
    OutcomeUnknown {
        operation: Operation,
        message: String,
    },

    /// The client was set up wrongly (bad URL, missing account identity, ...).
    #[error("USPS client configuration: {0}")]
    Config(String),

    /// USPS answered success but the body was not what the spec promises.
    #[error("could not decode the USPS {operation} response: {message}")]
    Decode {
        operation: Operation,
        message: String,
    },

    /// The app's refresh-token store failed; the new token could not be kept.
    #[error("the refresh token store failed: {0}")]
    TokenStore(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReconnectReason {
    /// `invalid_grant`, `invalid_refresh_token`, expired/revoked/unknown refresh token.
    RefreshTokenInvalid,
    /// The authorization code was expired, used, or bound to another redirect URI.
    AuthorizationCodeInvalid,
    /// Client id or secret refused (`invalid_client`, `unauthorized_client`).
    InvalidClient,
    /// A freshly issued access token was still refused with 401.
    TokenRejected,
    /// An authorization-code account has no refresh token stored.
    NoRefreshToken,
}

/// Data-free mirror of the variants, for matching and for tables in tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    ReconnectRequired,
    NotEntitled,
    AccountNotAuthorized,
    QuotaExceeded,
    Rejected,
    Transient,
    OutcomeUnknown,
    Config,
    Decode,
    TokenStore,
}

impl UspsError {
    pub fn class(&self) -> ErrorClass {
        match self {
            UspsError::ReconnectRequired { .. } => ErrorClass::ReconnectRequired,
            UspsError::NotEntitled { .. } => ErrorClass::NotEntitled,
            UspsError::AccountNotAuthorized { .. } => ErrorClass::AccountNotAuthorized,
            UspsError::QuotaExceeded { .. } => ErrorClass::QuotaExceeded,
            UspsError::Rejected(_) => ErrorClass::Rejected,
            UspsError::Transient { .. } => ErrorClass::Transient,
            UspsError::OutcomeUnknown { .. } => ErrorClass::OutcomeUnknown,
            UspsError::Config(_) => ErrorClass::Config,
            UspsError::Decode { .. } => ErrorClass::Decode,
            UspsError::TokenStore(_) => ErrorClass::TokenStore,
        }
    }

    /// The `AppError` code (shipdesk-core's IPC error contract) this error maps to.
    pub fn code(&self) -> &'static str {
        match self.class() {
            ErrorClass::ReconnectRequired => "USPS_RECONNECT_REQUIRED",
            ErrorClass::NotEntitled => "USPS_NOT_ENTITLED",
            ErrorClass::AccountNotAuthorized => "USPS_ACCOUNT_NOT_AUTHORIZED",
            ErrorClass::QuotaExceeded => "USPS_QUOTA_EXCEEDED",
            ErrorClass::Rejected => "USPS_REJECTED",
            ErrorClass::Transient => "USPS_UNAVAILABLE",
            ErrorClass::OutcomeUnknown => "PURCHASE_OUTCOME_UNKNOWN",
            ErrorClass::TokenStore => "SECRET_STORE_UNAVAILABLE",
            ErrorClass::Config | ErrorClass::Decode => "INTERNAL",
        }
    }

    pub fn is_retryable_later(&self) -> bool {
        matches!(
            self.class(),
            ErrorClass::Transient | ErrorClass::QuotaExceeded | ErrorClass::OutcomeUnknown
        )
    }
}

/// A USPS refusal with everything needed to show the user what to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub status: u16,
    /// `error.message` of the envelope, or `error_description` of an OAuth error.
    pub message: String,
    /// `errors[]` of the envelope, in order.
    pub details: Vec<RejectionDetail>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RejectionDetail {
    /// USPS message code such as `160017` (or the OAuth `error` string).
    pub code: Option<String>,
    pub title: Option<String>,
    pub detail: Option<String>,
    /// `source.parameter` (or a string `source`), e.g. `packageDescription/packageOptions`.
    pub field: Option<String>,
}

impl Rejection {
    pub fn codes(&self) -> Vec<&str> {
        self.details
            .iter()
            .filter_map(|d| d.code.as_deref())
            .collect()
    }

    pub fn fields(&self) -> Vec<&str> {
        self.details
            .iter()
            .filter_map(|d| d.field.as_deref())
            .collect()
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if !self.message.is_empty() {
            write!(f, " {}", self.message)?;
        }
        for d in &self.details {
            let text = d.detail.as_deref().or(d.title.as_deref()).unwrap_or("");
            match (&d.code, &d.field) {
                (Some(code), Some(field)) => write!(f, "; [{code}] {field}: {text}")?,
                (Some(code), None) => write!(f, "; [{code}] {text}")?,
                (None, Some(field)) => write!(f, "; {field}: {text}")?,
                (None, None) => write!(f, "; {text}")?,
            }
        }
        Ok(())
    }
}
