//! How shipping reaches USPS: a ready session per account, and one place every failure passes
//! through. The app's implementation is the connection service (`carriers::Connections`), which
//! also keeps the account's connection state and tells the UI; [`FixedSession`] serves one
//! already-built `usps::UspsAccount` (tests, benchmarks, scripts against a simulator).
//!
//! Shipping depends on this trait rather than on the connection service directly so the
//! purchase journal and its fault tests need nothing but a USPS session.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde_json::json;
use usps::{ErrorClass, UspsAccount, UspsError};

use crate::environment::Environment;
use crate::error::{AppError, AppResult, ErrorCode};

pub type AccountId = i64;

/// What shipping needs to know about a USPS account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub id: AccountId,
    pub nickname: String,
    pub environment: Environment,
    /// The EPS account that pays; contract prices are looked up against it.
    pub eps_account: Option<String>,
}

impl AccountSummary {
    /// Sandbox labels come from the simulator: samples, drawn by Shipdesk's own renderer.
    pub fn is_sandbox(&self) -> bool {
        self.environment == Environment::Sandbox
    }
}

pub type SessionFuture<'a> = Pin<Box<dyn Future<Output = AppResult<UspsAccount>> + Send + 'a>>;

pub trait UspsGateway: Send + Sync {
    /// The default account, or a VALIDATION error telling the user to add one.
    fn default_account(&self) -> AppResult<AccountSummary>;
    fn account(&self, id: AccountId) -> AppResult<AccountSummary>;
    /// A ready USPS session for the account.
    fn session(&self, id: AccountId) -> SessionFuture<'_>;
    /// Every failed USPS call passes through here; returns the error to show.
    fn report_failure(&self, id: AccountId, error: &UspsError) -> AppError;
    fn report_success(&self, id: AccountId);
}

/// One fixed session for one account; failures map to errors without any state kept.
pub struct FixedSession {
    summary: AccountSummary,
    session: UspsAccount,
}

impl FixedSession {
    pub fn new(summary: AccountSummary, session: UspsAccount) -> Self {
        Self { summary, session }
    }
}

impl UspsGateway for FixedSession {
    fn default_account(&self) -> AppResult<AccountSummary> {
        Ok(self.summary.clone())
    }

    fn account(&self, id: AccountId) -> AppResult<AccountSummary> {
        if id == self.summary.id {
            Ok(self.summary.clone())
        } else {
            Err(AppError::not_found(format!(
                "There is no USPS account {id}"
            )))
        }
    }

    fn session(&self, id: AccountId) -> SessionFuture<'_> {
        Box::pin(async move {
            self.account(id)?;
            Ok(self.session.clone())
        })
    }

    fn report_failure(&self, id: AccountId, error: &UspsError) -> AppError {
        app_error_from_usps(id, error)
    }

    fn report_success(&self, _id: AccountId) {}
}

/// The IPC error for a USPS failure (DESIGN §3), with `details.account_id`, USPS's codes and
/// fields for rejections, and `retry_after_secs` for quota answers.
pub fn app_error_from_usps(account_id: AccountId, error: &UspsError) -> AppError {
    let mut details = json!({ "account_id": account_id });
    let (code, message) = match error {
        UspsError::ReconnectRequired { .. } => (
            ErrorCode::UspsReconnectRequired,
            "USPS needs you to sign in again before Shipdesk can continue.".to_owned(),
        ),
        UspsError::NotEntitled { missing, .. } => {
            details["missing"] = json!(missing);
            (
                ErrorCode::UspsNotEntitled,
                format!(
                    "Your USPS API app does not include the {missing} API; ask USPS to add it."
                ),
            )
        }
        UspsError::AccountNotAuthorized { message } => (
            ErrorCode::UspsAccountNotAuthorized,
            format!("USPS has not linked this account to Shipdesk for this request: {message}"),
        ),
        UspsError::QuotaExceeded { retry_after, .. } => {
            let secs = retry_after.map(|d| d.as_secs()).unwrap_or(60);
            details["retry_after_secs"] = json!(secs);
            (
                ErrorCode::UspsQuotaExceeded,
                format!("USPS's hourly request limit is used up; try again in {secs} s."),
            )
        }
        UspsError::Rejected(rejection) => {
            details["status"] = json!(rejection.status);
            details["usps"] = json!(
                rejection
                    .details
                    .iter()
                    .map(|d| json!({"code": d.code, "field": d.field,
                                    "message": d.detail.as_ref().or(d.title.as_ref())}))
                    .collect::<Vec<_>>()
            );
            (
                ErrorCode::UspsRejected,
                format!("USPS refused: {rejection}"),
            )
        }
        UspsError::Transient { .. } => (
            ErrorCode::UspsUnavailable,
            "USPS is not answering right now; try again in a few minutes.".to_owned(),
        ),
        UspsError::OutcomeUnknown { .. } => (
            ErrorCode::PurchaseOutcomeUnknown,
            "USPS did not answer in time; Shipdesk will check with USPS and never charge twice."
                .to_owned(),
        ),
        UspsError::TokenStore(_) => (
            ErrorCode::SecretStoreUnavailable,
            "The system keyring is not available.".to_owned(),
        ),
        UspsError::Config(_) | UspsError::Decode { .. } => {
            return AppError::internal("A USPS request could not be completed", error)
                .with_details(details);
        }
    };
    AppError::new(code, message).with_details(details)
}

/// Seconds to wait before retrying after a quota answer, when the error says so.
pub(crate) fn retry_after(error: &AppError) -> Option<Duration> {
    if error.code != ErrorCode::UspsQuotaExceeded {
        return None;
    }
    let secs = error
        .details
        .as_ref()
        .and_then(|d| d.get("retry_after_secs"))
        .and_then(|v| v.as_u64())
        .unwrap_or(60);
    Some(Duration::from_secs(secs))
}

/// Whether a label request that failed with `class` may have been carried out by USPS (or
/// was never refused outright), so the attempt must stay open and be re-sent with its key.
pub(crate) fn purchase_stays_open(class: ErrorClass) -> bool {
    !matches!(class, ErrorClass::Rejected | ErrorClass::Config)
}
