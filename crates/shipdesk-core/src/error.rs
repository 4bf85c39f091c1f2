//! The one error that crosses the IPC boundary and the CLI's `--json` output.
//!
//! The UI branches on [`ErrorCode`], never on the message, so codes are few and stable and their
//! JSON spelling is pinned by a test. An `Internal` error never carries SQL, tokens or stack
//! traces in its message: the detail goes to the log, the user gets a sentence.
//!
//! What an error is about travels as [`ErrorDetails`]: one variant per kind of detail, tagged
//! by `kind`, so the UI reads typed fields instead of probing an untyped object. This module
//! names only types that do not depend on it (the connection vocabulary in `carriers/model.rs`),
//! so every area can return an `AppError` without a dependency cycle.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::carriers::AccountConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum ErrorCode {
    /// The input is wrong; `details` names the field(s) or the line.
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
    /// The Endicia postage account's login no longer works (pass phrase changed elsewhere,
    /// temporary pass phrase, suspended): log in again, or unlock the account.
    EndiciaLoginRequired,
    /// Endicia refused the request (funds, limits, the funding method); nothing was done.
    EndiciaRefused,
    /// Endicia could not be reached or failed on its side.
    EndiciaUnavailable,
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
    // Boxed: errors travel in every `Result` of the app, and the details are rarely read.
    #[ts(optional, as = "Option<ErrorDetails>")]
    pub details: Option<Box<ErrorDetails>>,
}

/// One thing wrong with one field. `field` is a stable path the UI can match on
/// (`order_number`, `ship_to.zip`, `items[0].quantity`); `message` is a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// One entry of USPS's `errors[]` in a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UspsProblem {
    /// USPS's message code, e.g. `160017`.
    pub code: Option<String>,
    /// The request field it is about, e.g. `packageDescription.packageOptions`.
    pub field: Option<String>,
    pub title: Option<String>,
    pub detail: Option<String>,
}

/// Why a label cannot be voided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VoidRefusal {
    AlreadyVoided,
    RefundRequested,
    /// USPS has scanned it: it is in the mail.
    AlreadyScanned,
    /// It is on an End of Day SCAN form; USPS does not cancel those.
    OnScanForm,
    /// A void of it is being sent right now, by this or another Shipdesk window or command.
    InProgress,
}

/// What an error is about, for the UI to act on; the [`ErrorCode`] says what went wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorDetails {
    /// A form's fields and what is wrong with each (`{crid: "CRID must …"}`); forms show each
    /// message next to its input.
    Fields { fields: BTreeMap<String, String> },
    /// An order's problems, one per field path.
    OrderProblems { problems: Vec<FieldProblem> },
    /// A column mapping that cannot read the file: what to change, one sentence each.
    MappingProblems { problems: Vec<String> },
    /// The file's columns match no known format: its headers, to build a mapping from.
    UnknownColumns { headers: Vec<String> },
    /// The line of the imported file the problem is on.
    ImportLine {
        #[ts(type = "number")]
        line: u64,
    },
    /// The loopback port a USPS sign-in could not listen on.
    PortInUse { port: u16 },
    /// A USPS call failed because of the account's connection (it must sign in again, a product
    /// or portal link is missing, it is disconnected): the account as the connection snapshot
    /// shows it after this failure, and whether this failure brings up the Reconnect prompt.
    UspsConnection(AccountConnection),
    /// USPS's hourly call limit for the app is used up.
    UspsQuota {
        #[ts(type = "number")]
        account_id: i64,
        nickname: String,
        /// How long USPS asked to wait, when it said.
        #[ts(type = "number | null")]
        retry_after_secs: Option<u64>,
    },
    /// USPS refused the request's content: nothing was done.
    UspsRejected {
        #[ts(type = "number")]
        account_id: i64,
        nickname: String,
        /// The HTTP status USPS answered with.
        status: u16,
        usps_codes: Vec<String>,
        /// The request fields USPS named, e.g. `toAddress.ZIPCode`.
        fields: Vec<String>,
        problems: Vec<UspsProblem>,
    },
    /// USPS did not answer, or answered that it is unavailable; nothing was changed.
    UspsUnavailable {
        #[ts(type = "number")]
        account_id: i64,
        nickname: String,
        status: Option<u16>,
        #[ts(type = "number | null")]
        retry_after_secs: Option<u64>,
    },
    /// A request that changes something at USPS got no answer; it is checked before it is sent
    /// again.
    UspsOutcomeUnknown {
        #[ts(type = "number")]
        account_id: i64,
        nickname: String,
        operation: String,
    },
    /// Any other failure on a USPS account (identifiers incomplete, keyring, unreadable answer).
    UspsAccount {
        #[ts(type = "number")]
        account_id: i64,
        nickname: String,
    },
    /// The order already has a label, or is marked shipped, and no additional label was asked
    /// for.
    AlreadyShipped {
        #[ts(type = "number")]
        order_id: i64,
        #[ts(type = "number | null")]
        shipment_id: Option<i64>,
        tracking_number: Option<String>,
    },
    /// A label for the order is being bought right now in this process.
    PurchaseInFlight {
        #[ts(type = "number")]
        order_id: i64,
    },
    /// The label cannot be voided, and why.
    NotVoidable {
        #[ts(type = "number")]
        shipment_id: i64,
        tracking_number: String,
        reason: VoidRefusal,
    },
    /// The USPS account has label purchases that are not finished (sent, or about to be, and not
    /// settled): it cannot be removed, nor its CRID / MIDs / EPS account changed, until they are
    /// finished or discarded. Their orders, by number.
    AccountHasOpenPurchases {
        #[ts(type = "number")]
        account_id: i64,
        order_numbers: Vec<String>,
    },
    /// A label purchase failed: the order and its journaled attempt, and what the failure was
    /// about (USPS's answer, the connection, ...).
    Purchase {
        #[ts(type = "number")]
        order_id: i64,
        #[ts(type = "number")]
        attempt_id: i64,
        cause: Option<Box<ErrorDetails>>,
    },
}

impl ErrorDetails {
    /// Form fields and what is wrong with each.
    pub fn fields<F, M>(fields: impl IntoIterator<Item = (F, M)>) -> Self
    where
        F: Into<String>,
        M: Into<String>,
    {
        ErrorDetails::Fields {
            fields: fields
                .into_iter()
                .map(|(field, message)| (field.into(), message.into()))
                .collect(),
        }
    }

    /// What the error is about underneath the purchase it happened in (itself otherwise).
    pub fn innermost(&self) -> &ErrorDetails {
        match self {
            ErrorDetails::Purchase {
                cause: Some(cause), ..
            } => cause.innermost(),
            other => other,
        }
    }

    /// How long USPS asked to wait before the next call, when it said.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self.innermost() {
            ErrorDetails::UspsQuota {
                retry_after_secs, ..
            }
            | ErrorDetails::UspsUnavailable {
                retry_after_secs, ..
            } => *retry_after_secs,
            _ => None,
        }
    }
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: None,
        }
    }

    pub fn with_details(mut self, details: ErrorDetails) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }

    /// A VALIDATION error naming form fields: `(field, what is wrong with it)`.
    pub fn invalid_fields<F, M>(
        message: impl Into<String>,
        fields: impl IntoIterator<Item = (F, M)>,
    ) -> Self
    where
        F: Into<String>,
        M: Into<String>,
    {
        Self::validation(message).with_details(ErrorDetails::fields(fields))
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
    use crate::carriers::ConnectionState;
    use serde_json::json;

    #[test]
    fn json_shape_is_pinned() {
        let form = AppError::invalid_fields(
            "CRID must contain digits only",
            [("crid", "CRID must contain digits only (usually 8)")],
        );
        assert_eq!(
            serde_json::to_value(&form).unwrap(),
            json!({"code": "VALIDATION", "message": "CRID must contain digits only",
                   "details": {"kind": "fields",
                               "fields": {"crid": "CRID must contain digits only (usually 8)"}}})
        );
        let order =
            AppError::validation("ZIP is missing").with_details(ErrorDetails::OrderProblems {
                problems: vec![FieldProblem::new("ship_to.zip", "ZIP is missing")],
            });
        assert_eq!(
            serde_json::to_value(&order).unwrap()["details"],
            json!({"kind": "order_problems",
                   "problems": [{"field": "ship_to.zip", "message": "ZIP is missing"}]})
        );
        let reconnect = AppError::new(ErrorCode::UspsReconnectRequired, "Sign in to USPS again")
            .with_details(ErrorDetails::UspsConnection(AccountConnection {
                account_id: 3,
                nickname: "Shop".into(),
                state: ConnectionState::NeedsReconnect {
                    reason: "USPS no longer accepts the saved authorization.".into(),
                },
                prompt: true,
            }));
        assert_eq!(
            serde_json::to_value(&reconnect).unwrap(),
            json!({"code": "USPS_RECONNECT_REQUIRED", "message": "Sign in to USPS again",
                   "details": {"kind": "usps_connection", "account_id": 3, "nickname": "Shop",
                               "state": {"state": "needs_reconnect",
                                         "reason": "USPS no longer accepts the saved authorization."},
                               "prompt": true}})
        );
        let bare = AppError::new(ErrorCode::UspsReconnectRequired, "Sign in to USPS again");
        assert_eq!(
            serde_json::to_string(&bare).unwrap(),
            r#"{"code":"USPS_RECONNECT_REQUIRED","message":"Sign in to USPS again"}"#
        );
    }

    #[test]
    fn a_purchase_keeps_what_its_failure_was_about() {
        let quota = ErrorDetails::UspsQuota {
            account_id: 1,
            nickname: "Shop".into(),
            retry_after_secs: Some(120),
        };
        let purchase = ErrorDetails::Purchase {
            order_id: 9,
            attempt_id: 4,
            cause: Some(Box::new(quota.clone())),
        };
        assert_eq!(purchase.innermost(), &quota);
        assert_eq!(purchase.retry_after_secs(), Some(120));
        let e = AppError::new(ErrorCode::UspsQuotaExceeded, "Wait").with_details(purchase);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json["details"],
            json!({"kind": "purchase", "order_id": 9, "attempt_id": 4,
                   "cause": {"kind": "usps_quota", "account_id": 1, "nickname": "Shop",
                             "retry_after_secs": 120}})
        );
        let back: AppError = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
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
            ErrorCode::EndiciaLoginRequired,
            ErrorCode::EndiciaRefused,
            ErrorCode::EndiciaUnavailable,
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
                "ENDICIA_LOGIN_REQUIRED",
                "ENDICIA_REFUSED",
                "ENDICIA_UNAVAILABLE",
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
