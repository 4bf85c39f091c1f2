//! From a failed USPS call to (a) the account's next connection state and (b) the `AppError`
//! the user sees. Pure functions over the `usps` crate's error classes (DESIGN §5), so the whole
//! matrix is unit-tested here; `Connections::report_failure` only persists and broadcasts.
//!
//! Fix texts follow the USPS enrollment steps (REFERENCE §0.2, §2.6, §11.3): products beyond
//! Public Access are granted on a service request to USPS, a business links its CRID/MIDs/EPS
//! account to an app in the Customer Onboarding Portal (COP), and quota raises are requested the
//! same way.

use std::time::Duration;

use serde_json::{Value, json};
use usps::{ReconnectReason, UspsError};

use super::model::{ConnectionMode, ConnectionState, UspsAccountRecord};
use crate::error::{AppError, ErrorCode};

/// What one failure means for the account.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Verdict {
    /// The state the account moves to; `None` leaves it as it is (transient problems, USPS
    /// refusing the request's content, ...).
    pub state: Option<ConnectionState>,
    pub error: AppError,
    /// A 429: how long USPS asked us to wait (recorded for the connection doctor).
    pub quota_wait: Option<Option<Duration>>,
}

/// The USPS product a missing API belongs to, in the words the USPS portal uses.
pub(crate) fn product_for_api(api: &str) -> &'static str {
    match api {
        "labels" | "payments" | "international-labels" => "Labels and Payments",
        "scan-forms" | "scan-form" => "SCAN Forms",
        "carrier-pickup" | "pickup" => "Carrier Pickup",
        "tracking" => "Tracking",
        "addresses" => "Addresses",
        "prices" | "domestic-prices" => "Prices",
        _ => "Shipping",
    }
}

pub(crate) fn not_entitled_fix(product: &str) -> String {
    format!(
        "USPS has not granted this app the {product} product — submit a service request to USPS \
         (emailus.usps.com) asking for it, then refresh claims in the Customer Onboarding Portal \
         and choose Check connection."
    )
}

pub(crate) fn not_linked_fix(record: &UspsAccountRecord) -> String {
    let mut ids = Vec::new();
    if let Some(crid) = &record.crid {
        ids.push(format!("CRID {crid}"));
    }
    if let Some(eps) = &record.eps_account {
        ids.push(format!("EPS account {eps}"));
    }
    let what = if ids.is_empty() {
        "this business's CRID, MIDs and EPS account".to_owned()
    } else {
        ids.join(" / ")
    };
    format!(
        "This USPS login is not linked to {what} in the Customer Onboarding Portal: link it there \
         (authorize the app for the business), then choose Check connection."
    )
}

fn reconnect_reason(record: &UspsAccountRecord, reason: ReconnectReason) -> String {
    let own_app = matches!(record.mode, ConnectionMode::OwnApp { .. });
    match reason {
        ReconnectReason::InvalidClient if own_app => {
            "USPS refused this app's client id or secret. Enter them again in Settings › \
             Carrier Settings › USPS › Edit."
                .into()
        }
        ReconnectReason::InvalidClient => {
            "USPS refused Shipdesk's app credentials. Sign in with USPS again; if that keeps \
             failing, the app registration at USPS needs attention."
                .into()
        }
        ReconnectReason::RefreshTokenInvalid => {
            "USPS no longer accepts the saved authorization (it expired or was revoked). Sign in \
             with USPS again."
                .into()
        }
        ReconnectReason::AuthorizationCodeInvalid => {
            "The USPS sign-in could not be completed (the authorization code was refused). Sign in \
             with USPS again."
                .into()
        }
        ReconnectReason::TokenRejected => {
            "USPS refused a freshly issued access token. Sign in with USPS again.".into()
        }
        ReconnectReason::NoRefreshToken => {
            "No USPS authorization is saved for this account. Sign in with USPS.".into()
        }
    }
}

fn details(record: &UspsAccountRecord, extra: Value) -> Value {
    let mut base = json!({ "account_id": record.id, "nickname": record.nickname });
    if let (Some(map), Value::Object(more)) = (base.as_object_mut(), extra) {
        map.extend(more);
    }
    base
}

/// The verdict for one failed call on `record`.
pub(crate) fn classify(record: &UspsAccountRecord, error: &UspsError) -> Verdict {
    let name = &record.nickname;
    let plain = |state, code, message: String, extra| Verdict {
        state,
        error: AppError::new(code, message).with_details(details(record, extra)),
        quota_wait: None,
    };
    match error {
        UspsError::ReconnectRequired { reason, .. } => {
            let why = reconnect_reason(record, *reason);
            plain(
                Some(ConnectionState::NeedsReconnect {
                    reason: why.clone(),
                }),
                ErrorCode::UspsReconnectRequired,
                format!("Your USPS connection ({name}) needs to be renewed. {why}"),
                json!({ "reason": why }),
            )
        }
        UspsError::NotEntitled { missing, .. } => {
            let product = product_for_api(missing);
            let fix = not_entitled_fix(product);
            plain(
                Some(ConnectionState::NotEntitled {
                    missing: vec![product.to_owned()],
                    fix: fix.clone(),
                }),
                ErrorCode::UspsNotEntitled,
                fix.clone(),
                json!({ "missing": [product], "fix": fix, "api": missing }),
            )
        }
        UspsError::AccountNotAuthorized { .. } => {
            let fix = not_linked_fix(record);
            plain(
                Some(ConnectionState::NotEntitled {
                    missing: vec!["Customer Onboarding Portal link".to_owned()],
                    fix: fix.clone(),
                }),
                ErrorCode::UspsAccountNotAuthorized,
                fix.clone(),
                json!({ "fix": fix }),
            )
        }
        UspsError::QuotaExceeded { retry_after, .. } => {
            let wait = retry_after
                .map(|d| format!(" Try again in {}.", human_wait(d)))
                .unwrap_or_default();
            let mut verdict = plain(
                None,
                ErrorCode::UspsQuotaExceeded,
                format!(
                    "USPS's hourly call limit for this app was reached.{wait} If this happens \
                     often, ask USPS for a higher quota with a service request."
                ),
                json!({ "retry_after_secs": retry_after.map(|d| d.as_secs()) }),
            );
            verdict.quota_wait = Some(*retry_after);
            verdict
        }
        UspsError::Rejected(rejection) => {
            let problems: Vec<Value> = rejection
                .details
                .iter()
                .map(|d| json!({ "code": d.code, "field": d.field, "title": d.title, "detail": d.detail }))
                .collect();
            plain(
                None,
                ErrorCode::UspsRejected,
                format!("USPS did not accept the request: {rejection}"),
                json!({
                    "status": rejection.status,
                    "usps_codes": rejection.codes(),
                    "fields": rejection.fields(),
                    "problems": problems,
                }),
            )
        }
        UspsError::Transient {
            status,
            retry_after,
            ..
        } => plain(
            None,
            ErrorCode::UspsUnavailable,
            "USPS is not answering right now. Nothing was changed; try again in a moment.".into(),
            json!({ "status": status, "retry_after_secs": retry_after.map(|d| d.as_secs()) }),
        ),
        UspsError::OutcomeUnknown { operation, .. } => plain(
            None,
            ErrorCode::PurchaseOutcomeUnknown,
            "USPS did not answer in time, so it is not known whether the request went through. \
             Shipdesk will check with USPS before doing it again."
                .into(),
            json!({ "operation": operation.to_string() }),
        ),
        UspsError::Config(problem) => plain(
            None,
            ErrorCode::Validation,
            format!(
                "The USPS account '{name}' is not complete ({problem}). Fill in its CRID, MIDs and \
                 EPS account in Settings › Carrier Settings › USPS."
            ),
            json!({}),
        ),
        UspsError::TokenStore(_) => plain(
            None,
            ErrorCode::SecretStoreUnavailable,
            "The USPS authorization could not be saved in the system keyring. Unlock the keyring, \
             or choose to keep this session in memory only."
                .into(),
            json!({}),
        ),
        UspsError::Decode { .. } => Verdict {
            state: None,
            error: AppError::internal("USPS sent an answer Shipdesk could not read", error)
                .with_details(details(record, json!({}))),
            quota_wait: None,
        },
    }
}

/// The account's next state: a verdict's state wins, except that a disconnected account stays
/// disconnected (its late failures must not resurrect a prompt).
pub(crate) fn next_state(
    current: &ConnectionState,
    verdict: Option<&ConnectionState>,
) -> ConnectionState {
    match (current, verdict) {
        (ConnectionState::Disconnected, _) | (_, None) => current.clone(),
        (_, Some(next)) => next.clone(),
    }
}

/// The state after a successful call: a working call proves the grant is alive, so a pending
/// reconnect clears. `NotEntitled` stays: a call to another API proves nothing about the
/// missing product (the connection doctor clears it when every check passes).
pub(crate) fn state_after_success(current: &ConnectionState) -> ConnectionState {
    match current {
        ConnectionState::NeedsReconnect { .. } => ConnectionState::Connected,
        other => other.clone(),
    }
}

fn human_wait(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 90 {
        format!("{secs} seconds")
    } else {
        format!("{} minutes", secs.div_ceil(60))
    }
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
