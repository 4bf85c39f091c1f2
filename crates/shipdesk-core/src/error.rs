//! The one error that crosses the IPC boundary and the CLI's `--json` output.
//!
//! The UI branches on [`ErrorCode`], never on the message, so codes are few and stable and their
//! JSON spelling is pinned by a test. An `Internal` error never carries SQL, tokens or stack
//! traces in its message: the detail goes to the log, the user gets a sentence.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum ErrorCode {
    /// The input is wrong; `details` names the field(s).
    Validation,
    NotFound,
    /// The action conflicts with the current state (e.g. order already shipped).
    Conflict,
    /// USPS authorization expired or was revoked: the user must sign in again.
    UspsReconnectRequired,
    /// The USPS app or token lacks a product (e.g. Labels): signing in again will not help.
    UspsNotEntitled,
    /// The token is not linked to this CRID / MID / EPS account in the Customer Onboarding Portal.
    UspsAccountNotAuthorized,
    UspsQuotaExceeded,
    /// USPS rejected the request's content; `details` carries USPS's codes and field paths.
    UspsRejected,
    UspsUnavailable,
    /// A label request was sent but no answer arrived; it will be reconciled, never re-bought blindly.
    PurchaseOutcomeUnknown,
    SecretStoreUnavailable,
    /// The database was written by a newer Shipdesk.
    DatabaseTooNew,
    Cancelled,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[ts(optional, type = "unknown")]
    pub details: Option<serde_json::Value>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: None,
        }
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }

    /// An unexpected failure. The cause is logged; the user sees only `what_failed`.
    pub fn internal(what_failed: &str, cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(%cause, "{what_failed}");
        Self::new(
            ErrorCode::Internal,
            format!("{what_failed}. See the log for details."),
        )
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        AppError::internal("The local database could not complete the request", &e)
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_shape_is_pinned() {
        let e = AppError::validation("line 4: ZIP is missing")
            .with_details(json!({"line": 4, "field": "zip"}));
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"code": "VALIDATION", "message": "line 4: ZIP is missing",
                   "details": {"line": 4, "field": "zip"}})
        );
        let bare = AppError::new(ErrorCode::UspsReconnectRequired, "Sign in to USPS again");
        assert_eq!(
            serde_json::to_string(&bare).unwrap(),
            r#"{"code":"USPS_RECONNECT_REQUIRED","message":"Sign in to USPS again"}"#
        );
    }

    #[test]
    fn every_code_has_its_documented_spelling() {
        let spelled: Vec<String> = [
            ErrorCode::Validation,
            ErrorCode::NotFound,
            ErrorCode::Conflict,
            ErrorCode::UspsReconnectRequired,
            ErrorCode::UspsNotEntitled,
            ErrorCode::UspsAccountNotAuthorized,
            ErrorCode::UspsQuotaExceeded,
            ErrorCode::UspsRejected,
            ErrorCode::UspsUnavailable,
            ErrorCode::PurchaseOutcomeUnknown,
            ErrorCode::SecretStoreUnavailable,
            ErrorCode::DatabaseTooNew,
            ErrorCode::Cancelled,
            ErrorCode::Internal,
        ]
        .iter()
        .map(|c| {
            serde_json::to_value(c)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
        assert_eq!(
            spelled,
            [
                "VALIDATION",
                "NOT_FOUND",
                "CONFLICT",
                "USPS_RECONNECT_REQUIRED",
                "USPS_NOT_ENTITLED",
                "USPS_ACCOUNT_NOT_AUTHORIZED",
                "USPS_QUOTA_EXCEEDED",
                "USPS_REJECTED",
                "USPS_UNAVAILABLE",
                "PURCHASE_OUTCOME_UNKNOWN",
                "SECRET_STORE_UNAVAILABLE",
                "DATABASE_TOO_NEW",
                "CANCELLED",
                "INTERNAL"
            ]
        );
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let e = AppError::internal("Could not save the order", &"SELECT * FROM secret_table");
        assert_eq!(e.code, ErrorCode::Internal);
        assert!(!e.message.contains("SELECT"));
    }

    #[test]
    fn round_trips_from_json() {
        let e: AppError =
            serde_json::from_str(r#"{"code":"NOT_FOUND","message":"No order #12"}"#).unwrap();
        assert_eq!(e, AppError::not_found("No order #12"));
    }
}
