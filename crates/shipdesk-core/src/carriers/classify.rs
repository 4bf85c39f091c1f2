//! From a failed USPS call to (a) the account's next connection state and (b) the `AppError`
//! the user sees (the table in docs/connection.md#classifier). Pure functions over the `usps`
//! crate's error classes, so the whole matrix is unit-tested here; `Connections::report_failure`
//! only persists and broadcasts.
//!
//! Fix texts follow the USPS enrollment steps (docs/usps.md#products-and-scopes): products beyond
//! Public Access are granted on a service request to USPS, a business links its CRID/MIDs/EPS
//! account to an app in the Customer Onboarding Portal (COP), and quota raises are requested the
//! same way.

use std::time::Duration;

use usps::{ReconnectReason, UspsError};

use super::model::{AccountConnection, ConnectionMode, ConnectionState, UspsAccountRecord};
use crate::error::{AppError, ErrorCode, ErrorDetails, UspsProblem};

/// What one failure means for the account.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Verdict {
    /// The account's state after the failure: unchanged for transient problems, USPS refusing
    /// the request's content, ...
    pub state: ConnectionState,
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

/// Whether the Reconnect prompt should show now for an account in `state`: it must sign in
/// again and "Remind Me Later" does not hold. The one rule for the connection snapshot and for
/// failed calls alike.
pub(crate) fn prompt_now(state: &ConnectionState, snoozed: bool) -> bool {
    state.needs_reconnect() && !snoozed
}

/// The account as a failed call leaves it, for the error's details.
fn connection(record: &UspsAccountRecord, state: ConnectionState, snoozed: bool) -> ErrorDetails {
    ErrorDetails::UspsConnection(AccountConnection {
        account_id: record.id,
        nickname: record.nickname.clone(),
        prompt: prompt_now(&state, snoozed),
        state,
    })
}

fn account(record: &UspsAccountRecord) -> ErrorDetails {
    ErrorDetails::UspsAccount {
        account_id: record.id,
        nickname: record.nickname.clone(),
    }
}

/// The verdict for one failed call on `record`; `snoozed` says whether "Remind Me Later" holds
/// for it (which decides whether a reconnect error brings up the prompt).
pub(crate) fn classify(record: &UspsAccountRecord, error: &UspsError, snoozed: bool) -> Verdict {
    let name = &record.nickname;
    // The account's connection is the problem: its state moves, and the error points at it.
    let moved = |verdict: ConnectionState, code, message: String| {
        let state = next_state(&record.state, Some(&verdict));
        Verdict {
            error: AppError::new(code, message).with_details(connection(
                record,
                state.clone(),
                snoozed,
            )),
            state,
            quota_wait: None,
        }
    };
    // Anything else leaves the state as it is.
    let kept = |code, message: String, details| Verdict {
        state: record.state.clone(),
        error: AppError::new(code, message).with_details(details),
        quota_wait: None,
    };
    let id = record.id;
    let nickname = record.nickname.clone();
    match error {
        UspsError::ReconnectRequired { reason, .. } => {
            let why = reconnect_reason(record, *reason);
            moved(
                ConnectionState::NeedsReconnect {
                    reason: why.clone(),
                },
                ErrorCode::UspsReconnectRequired,
                format!("Your USPS connection ({name}) needs to be renewed. {why}"),
            )
        }
        UspsError::NotEntitled { missing, .. } => {
            let product = product_for_api(missing);
            let fix = not_entitled_fix(product);
            moved(
                ConnectionState::NotEntitled {
                    missing: vec![product.to_owned()],
                    fix: fix.clone(),
                },
                ErrorCode::UspsNotEntitled,
                fix,
            )
        }
        UspsError::AccountNotAuthorized { .. } => {
            let fix = not_linked_fix(record);
            moved(
                ConnectionState::NotEntitled {
                    missing: vec!["Customer Onboarding Portal link".to_owned()],
                    fix: fix.clone(),
                },
                ErrorCode::UspsAccountNotAuthorized,
                fix,
            )
        }
        UspsError::QuotaExceeded { retry_after, .. } => {
            let wait = retry_after
                .map(|d| format!(" Try again in {}.", human_wait(d)))
                .unwrap_or_default();
            let mut verdict = kept(
                ErrorCode::UspsQuotaExceeded,
                format!(
                    "USPS's hourly call limit for this app was reached.{wait} If this happens \
                     often, ask USPS for a higher quota with a service request."
                ),
                ErrorDetails::UspsQuota {
                    account_id: id,
                    nickname,
                    retry_after_secs: retry_after.map(|d| d.as_secs()),
                },
            );
            verdict.quota_wait = Some(*retry_after);
            verdict
        }
        UspsError::Rejected(rejection) => kept(
            ErrorCode::UspsRejected,
            rejected_message(record, rejection),
            ErrorDetails::UspsRejected {
                account_id: id,
                nickname,
                status: rejection.status,
                usps_codes: rejection.codes().into_iter().map(str::to_owned).collect(),
                fields: rejection.fields().into_iter().map(str::to_owned).collect(),
                problems: rejection
                    .details
                    .iter()
                    .map(|d| UspsProblem {
                        code: d.code.clone(),
                        field: d.field.clone(),
                        title: d.title.clone(),
                        detail: d.detail.clone(),
                    })
                    .collect(),
            },
        ),
        UspsError::Transient {
            status,
            retry_after,
            ..
        } => kept(
            ErrorCode::UspsUnavailable,
            "USPS is not answering right now. Nothing was changed; try again in a moment.".into(),
            ErrorDetails::UspsUnavailable {
                account_id: id,
                nickname,
                status: *status,
                retry_after_secs: retry_after.map(|d| d.as_secs()),
            },
        ),
        UspsError::OutcomeUnknown { operation, .. } => kept(
            ErrorCode::PurchaseOutcomeUnknown,
            "USPS did not answer in time, so it is not known whether the request went through. \
             Shipdesk will check with USPS before doing it again."
                .into(),
            ErrorDetails::UspsOutcomeUnknown {
                account_id: id,
                nickname,
                operation: operation.to_string(),
            },
        ),
        UspsError::Config(problem) => kept(
            ErrorCode::Validation,
            format!(
                "The USPS account '{name}' is not complete ({problem}). Fill in its CRID, MIDs and \
                 EPS account in Settings › Carrier Settings › USPS."
            ),
            account(record),
        ),
        UspsError::TokenStore(_) => kept(
            ErrorCode::SecretStoreUnavailable,
            "The USPS authorization could not be saved in the system keyring. Unlock the keyring, \
             or choose to keep this session in memory only."
                .into(),
            account(record),
        ),
        UspsError::Decode { .. } => Verdict {
            state: record.state.clone(),
            error: AppError::internal("USPS sent an answer Shipdesk could not read", error)
                .with_details(account(record)),
            quota_wait: None,
        },
    }
}

/// A call on a disconnected account: nothing is sent to USPS, and no prompt (the user chose to
/// disconnect; the message says where to sign in again).
pub(crate) fn disconnected(record: &UspsAccountRecord) -> AppError {
    AppError::new(
        ErrorCode::UspsReconnectRequired,
        format!(
            "The USPS account '{}' is disconnected. Sign in again in Settings › Carrier Settings \
             › USPS › Edit › Login.",
            record.nickname
        ),
    )
    .with_details(connection(record, record.state.clone(), false))
}

/// The account's app secret is not on this computer (it was kept in memory only, or the
/// keyring lost it): it must be entered again, or the account signed in again.
pub(crate) fn secret_missing(record: &UspsAccountRecord, snoozed: bool) -> AppError {
    AppError::new(
        ErrorCode::UspsReconnectRequired,
        format!(
            "The USPS client secret for '{}' is not saved on this computer (it may have been \
             kept in memory only). Enter it again, or sign in again, in Settings › Carrier \
             Settings › USPS › Edit.",
            record.nickname
        ),
    )
    .with_details(connection(record, record.state.clone(), snoozed))
}

/// The account's next state: a verdict's state wins, except that a disconnected account stays
/// disconnected (its late failures must not resurrect a prompt).
fn next_state(current: &ConnectionState, verdict: Option<&ConnectionState>) -> ConnectionState {
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

/// What USPS said was wrong, in its own sentences, without HTTP statuses, message codes or
/// request field paths: those stay in `ErrorDetails::UspsRejected` (the UI's "Details") and the
/// log.
/// USPS's refusal in plain words; for 160255 (a RATE_HOLDER without a contract for the mail
/// class) also what the user can do about it, since the account is marked as holding one.
fn rejected_message(record: &UspsAccountRecord, rejection: &usps::Rejection) -> String {
    let plain = plain_rejection(rejection);
    if rejection.codes().contains(&NO_CONTRACT) {
        return format!(
            "USPS finds no contract (NSA) prices for \"{}\" for this service: {plain} Labels of \
             this account are bought at contract prices because it is marked as holding a \
             contract. If it holds none, clear \"Contract prices\" in Settings › Carrier \
             Settings › Edit account (labels are then bought at commercial prices); if it \
             should, ask your USPS sales representative.",
            record.nickname
        );
    }
    if let Some((what, fix)) = payment_account_problem(record, rejection) {
        return format!("{what} {fix}");
    }
    format!("USPS did not accept the request: {plain}")
}

/// What is wrong with the account's Enterprise Payment Account, and how the business fixes it
/// in the USPS business portal, for USPS's payment-account refusals (100001 no such account,
/// 100002 not active, 100003/100004 no active payment method, 100007 not enough funds).
pub(crate) fn payment_account_problem(
    record: &UspsAccountRecord,
    rejection: &usps::Rejection,
) -> Option<(String, String)> {
    let eps = record.eps_account.as_deref().unwrap_or("(none entered)");
    let codes = rejection.codes();
    let has = |code: &str| codes.contains(&code);
    let problem = if has("100001") {
        (
            format!("USPS has no Enterprise Payment Account {eps} for this business."),
            "Add an Enterprise Payment Account in the USPS business portal (Add your payment \
             account: ACH debit, accept the terms). Labels cannot be paid for without one, even \
             where USPS's page calls this step optional. Then enter its 10-digit number in \
             Settings › Carrier Settings › USPS › Edit."
                .to_owned(),
        )
    } else if has("100002") {
        (
            format!("USPS says payment account {eps} is not active yet."),
            "A payment account paid by ACH debit shows Pending in the USPS business portal until \
             USPS has verified it, often for a few business days. Check the connection again \
             once the portal shows it Active."
                .to_owned(),
        )
    } else if has("100003") || has("100004") {
        (
            format!("Payment account {eps} has no active payment method."),
            "Add or reactivate its payment method (ACH debit) in the USPS business portal, then \
             check the connection again."
                .to_owned(),
        )
    } else if has("100007") {
        (
            format!("Payment account {eps} does not hold enough funds for this label."),
            "Add funds to it in the USPS business portal, then try again.".to_owned(),
        )
    } else {
        return None;
    };
    Some(problem)
}

/// USPS: "An approved contract could not be found" for the payment authorization's RATE_HOLDER.
const NO_CONTRACT: &str = "160255";

fn plain_rejection(rejection: &usps::Rejection) -> String {
    let mut sentences: Vec<&str> = Vec::new();
    for d in &rejection.details {
        let text = d
            .detail
            .as_deref()
            .or(d.title.as_deref())
            .unwrap_or("")
            .trim();
        if !text.is_empty() && !sentences.contains(&text) {
            sentences.push(text);
        }
    }
    if sentences.is_empty() {
        let message = rejection.message.trim();
        return if message.is_empty() {
            format!("it answered with status {}.", rejection.status)
        } else {
            with_full_stop(message)
        };
    }
    sentences
        .into_iter()
        .map(with_full_stop)
        .collect::<Vec<_>>()
        .join(" ")
}

fn with_full_stop(text: &str) -> String {
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
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
