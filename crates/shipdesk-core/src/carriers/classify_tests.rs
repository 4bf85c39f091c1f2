//! The state machine over the full error matrix: every `usps::UspsError` class, from every
//! starting state, for both connection modes.

use std::time::Duration;

use usps::{Operation, ReconnectReason, Rejection, RejectionDetail, UspsError};

use super::*;
use crate::environment::Environment;

fn record(mode: ConnectionMode, state: ConnectionState) -> UspsAccountRecord {
    UspsAccountRecord {
        id: 7,
        nickname: "Main".into(),
        environment: Environment::Production,
        base_url: None,
        crid: Some("56982563".into()),
        mid: Some("902345671".into()),
        manifest_mid: Some("902345672".into()),
        eps_account: Some("1000012345".into()),
        mode,
        is_default: true,
        is_sandbox_demo: false,
        state,
        last_verified_at: None,
        created_at: "2026-01-01T00:00:00Z".into(),
        updated_at: "2026-01-01T00:00:00Z".into(),
        has_contract: false,
        contract_source: None,
        calls_per_hour: None,
    }
}

fn sign_in() -> ConnectionMode {
    ConnectionMode::SignIn {
        client_id: "platform".into(),
    }
}

fn own_app() -> ConnectionMode {
    ConnectionMode::OwnApp {
        client_id: "mine".into(),
    }
}

fn reconnect(reason: ReconnectReason) -> UspsError {
    UspsError::ReconnectRequired {
        reason,
        message: "invalid_refresh_token".into(),
    }
}

fn every_error() -> Vec<(&'static str, UspsError)> {
    vec![
        (
            "refresh invalid",
            reconnect(ReconnectReason::RefreshTokenInvalid),
        ),
        (
            "code invalid",
            reconnect(ReconnectReason::AuthorizationCodeInvalid),
        ),
        ("invalid client", reconnect(ReconnectReason::InvalidClient)),
        ("token rejected", reconnect(ReconnectReason::TokenRejected)),
        (
            "no refresh token",
            reconnect(ReconnectReason::NoRefreshToken),
        ),
        (
            "not entitled",
            UspsError::NotEntitled {
                missing: "labels".into(),
                message: "".into(),
            },
        ),
        (
            "not linked",
            UspsError::AccountNotAuthorized {
                message: "The requested contract information is not authorized".into(),
            },
        ),
        (
            "quota",
            UspsError::QuotaExceeded {
                retry_after: Some(Duration::from_secs(120)),
                message: "Exceeded quota limit".into(),
            },
        ),
        (
            "rejected",
            UspsError::Rejected(Rejection {
                status: 400,
                message: "Bad Request".into(),
                details: vec![RejectionDetail {
                    code: Some("160017".into()),
                    title: Some("Bad Request".into()),
                    detail: Some("packageValue is required".into()),
                    field: Some("packageDescription.packageOptions".into()),
                }],
            }),
        ),
        (
            "transient",
            UspsError::Transient {
                status: Some(503),
                retry_after: Some(Duration::from_secs(1)),
                message: "down".into(),
            },
        ),
        (
            "outcome unknown",
            UspsError::OutcomeUnknown {
                operation: Operation::LabelCreate,
                message: "connection closed".into(),
            },
        ),
        ("config", UspsError::Config("needs CRID".into())),
        (
            "decode",
            UspsError::Decode {
                operation: Operation::BaseRates,
                message: "access_token=eyJhbGci leaked?".into(),
            },
        ),
        (
            "token store",
            UspsError::TokenStore("keyring locked".into()),
        ),
    ]
}

/// (case, expected code, expected next-state kind from Connected)
fn expected(case: &str) -> (ErrorCode, &'static str) {
    match case {
        "refresh invalid" | "code invalid" | "invalid client" | "token rejected"
        | "no refresh token" => (ErrorCode::UspsReconnectRequired, "needs_reconnect"),
        "not entitled" => (ErrorCode::UspsNotEntitled, "not_entitled"),
        "not linked" => (ErrorCode::UspsAccountNotAuthorized, "not_entitled"),
        "quota" => (ErrorCode::UspsQuotaExceeded, "connected"),
        "rejected" => (ErrorCode::UspsRejected, "connected"),
        "transient" => (ErrorCode::UspsUnavailable, "connected"),
        "outcome unknown" => (ErrorCode::PurchaseOutcomeUnknown, "connected"),
        "config" => (ErrorCode::Validation, "connected"),
        "decode" => (ErrorCode::Internal, "connected"),
        "token store" => (ErrorCode::SecretStoreUnavailable, "connected"),
        other => panic!("unlisted case {other}"),
    }
}

/// The account every USPS error's details point at.
fn account_of(details: &ErrorDetails) -> i64 {
    match details {
        ErrorDetails::UspsConnection(account) => account.account_id,
        ErrorDetails::UspsQuota { account_id, .. }
        | ErrorDetails::UspsRejected { account_id, .. }
        | ErrorDetails::UspsUnavailable { account_id, .. }
        | ErrorDetails::UspsOutcomeUnknown { account_id, .. }
        | ErrorDetails::UspsAccount { account_id, .. } => *account_id,
        other => panic!("not about a USPS account: {other:?}"),
    }
}

fn kind(state: &ConnectionState) -> &'static str {
    match state {
        ConnectionState::Connected => "connected",
        ConnectionState::NeedsReconnect { .. } => "needs_reconnect",
        ConnectionState::NotEntitled { .. } => "not_entitled",
        ConnectionState::Disconnected => "disconnected",
    }
}

#[test]
fn full_matrix_from_connected() {
    for mode in [sign_in(), own_app()] {
        let account = record(mode.clone(), ConnectionState::Connected);
        for (case, error) in every_error() {
            let verdict = classify(&account, &error, false);
            let (code, next) = expected(case);
            assert_eq!(verdict.error.code, code, "{case} / {mode:?}");
            assert_eq!(kind(&verdict.state), next, "{case} / {mode:?}");
            let details = verdict.error.details.as_deref().expect("details");
            assert_eq!(account_of(details), 7, "{case}");
            // A connection problem points at the account as it is left, which is what the
            // snapshot shows.
            if let ErrorDetails::UspsConnection(pointed) = details {
                assert_eq!(pointed.state, verdict.state, "{case}");
                assert_eq!(pointed.nickname, "Main");
            }
            // Nothing secret-looking or internal in what the user sees.
            assert!(!verdict.error.message.contains("eyJ"), "{case}");
        }
    }
}

#[test]
fn every_starting_state() {
    let starts = [
        ConnectionState::Connected,
        ConnectionState::NeedsReconnect {
            reason: "old".into(),
        },
        ConnectionState::NotEntitled {
            missing: vec!["Labels and Payments".into()],
            fix: "ask".into(),
        },
        ConnectionState::Disconnected,
    ];
    for start in &starts {
        let account = record(sign_in(), start.clone());
        for (case, error) in every_error() {
            let verdict = classify(&account, &error, false);
            let next = verdict.state;
            match (start, expected(case).1) {
                // Disconnected never changes through a failure.
                (ConnectionState::Disconnected, _) => assert_eq!(&next, start, "{case}"),
                // Non-state errors keep whatever the account had.
                (_, "connected") => assert_eq!(&next, start, "{case}"),
                (_, want) => assert_eq!(kind(&next), want, "{case} from {start:?}"),
            }
        }
    }
}

#[test]
fn success_clears_only_a_reconnect() {
    let reconnect = ConnectionState::NeedsReconnect { reason: "x".into() };
    assert_eq!(state_after_success(&reconnect), ConnectionState::Connected);
    let not_entitled = ConnectionState::NotEntitled {
        missing: vec!["Labels and Payments".into()],
        fix: "f".into(),
    };
    assert_eq!(state_after_success(&not_entitled), not_entitled);
    assert_eq!(
        state_after_success(&ConnectionState::Disconnected),
        ConnectionState::Disconnected
    );
    assert_eq!(
        state_after_success(&ConnectionState::Connected),
        ConnectionState::Connected
    );
}

#[test]
fn fix_texts_follow_the_enrollment_steps() {
    let account = record(sign_in(), ConnectionState::Connected);
    let verdict = classify(
        &account,
        &UspsError::NotEntitled {
            missing: "payments".into(),
            message: String::new(),
        },
        false,
    );
    let ConnectionState::NotEntitled { missing, fix } = verdict.state else {
        panic!("not entitled expected");
    };
    assert_eq!(missing, vec!["Labels and Payments"]);
    assert!(fix.starts_with("USPS has not granted this app the Labels and Payments product"));
    assert!(fix.contains("service request") && fix.contains("refresh claims"));
    assert!(fix.contains("Customer Onboarding Portal"));

    let linked = classify(
        &account,
        &UspsError::AccountNotAuthorized {
            message: "denied".into(),
        },
        false,
    );
    assert!(
        linked
            .error
            .message
            .contains("not linked to CRID 56982563 / EPS account 1000012345"),
        "{}",
        linked.error.message
    );
    assert!(
        linked
            .error
            .message
            .contains("then choose Check connection")
    );
}

#[test]
fn wording_differs_by_mode_for_refused_credentials() {
    let error = reconnect(ReconnectReason::InvalidClient);
    let own = classify(
        &record(own_app(), ConnectionState::Connected),
        &error,
        false,
    );
    assert!(own.error.message.contains("client id or secret"));
    let platform = classify(
        &record(sign_in(), ConnectionState::Connected),
        &error,
        false,
    );
    assert!(platform.error.message.contains("Sign in with USPS again"));
    assert!(
        platform
            .error
            .message
            .starts_with("Your USPS connection (Main) needs to be renewed")
    );
}

#[test]
fn quota_and_rejection_details() {
    let account = record(sign_in(), ConnectionState::Connected);
    let errors = every_error();
    let quota = classify(
        &account,
        &errors.iter().find(|(c, _)| *c == "quota").unwrap().1,
        false,
    );
    assert_eq!(
        quota.error.details.as_deref(),
        Some(&ErrorDetails::UspsQuota {
            account_id: 7,
            nickname: "Main".into(),
            retry_after_secs: Some(120),
        })
    );
    assert_eq!(quota.quota_wait, Some(Some(Duration::from_secs(120))));
    assert!(quota.error.message.contains("2 minutes"));
    let rejected = classify(
        &account,
        &errors.iter().find(|(c, _)| *c == "rejected").unwrap().1,
        false,
    );
    let Some(ErrorDetails::UspsRejected {
        status,
        usps_codes,
        fields,
        problems,
        ..
    }) = rejected.error.details.clone().map(|d| *d)
    else {
        panic!("rejection details expected: {:?}", rejected.error.details);
    };
    assert_eq!(status, 400);
    assert_eq!(usps_codes, ["160017"]);
    assert_eq!(fields, ["packageDescription.packageOptions"]);
    assert_eq!(
        problems[0].detail.as_deref(),
        Some("packageValue is required")
    );
    // The sentence the user reads carries USPS's words, not its codes, statuses or field paths
    // (those are the details above).
    assert_eq!(
        rejected.error.message,
        "USPS did not accept the request: packageValue is required."
    );
}

#[test]
fn a_rejection_reads_as_sentences() {
    let account = record(sign_in(), ConnectionState::Connected);
    let rejection = |message: &str, details: Vec<RejectionDetail>| {
        let error = UspsError::Rejected(Rejection {
            status: 400,
            message: message.into(),
            details,
        });
        classify(&account, &error, false).error.message
    };
    let detail = |code: &str, field: &str, text: &str| RejectionDetail {
        code: Some(code.into()),
        title: Some("Bad Request".into()),
        detail: Some(text.into()),
        field: Some(field.into()),
    };
    assert_eq!(
        rejection(
            "Bad Request",
            vec![
                detail(
                    "020001",
                    "pickupAddress",
                    "Pickup already exists for this address"
                ),
                detail(
                    "020001",
                    "pickupDate",
                    "Pickup already exists for this address"
                ),
                detail("020002", "pickupDate", "The pickup date is a holiday."),
            ]
        ),
        "USPS did not accept the request: Pickup already exists for this address. The pickup \
         date is a holiday."
    );
    assert_eq!(
        rejection("Weight too high", Vec::new()),
        "USPS did not accept the request: Weight too high."
    );
    assert_eq!(
        rejection("", Vec::new()),
        "USPS did not accept the request: it answered with status 400."
    );
}

fn pointed(error: &AppError) -> &AccountConnection {
    match error.details.as_deref() {
        Some(ErrorDetails::UspsConnection(account)) => account,
        other => panic!("connection details expected: {other:?}"),
    }
}

#[test]
fn a_reconnect_prompts_unless_remind_me_later_holds() {
    let error = reconnect(ReconnectReason::RefreshTokenInvalid);
    let connected = record(sign_in(), ConnectionState::Connected);
    let fresh = classify(&connected, &error, false);
    let account = pointed(&fresh.error);
    assert!(account.prompt);
    assert!(account.state.needs_reconnect());
    assert_eq!(account.account_id, 7);
    let snoozed = classify(&connected, &error, true);
    assert!(!pointed(&snoozed.error).prompt, "banner only");
    // A late failure of a disconnected account must not bring back a prompt.
    let gone = classify(
        &record(sign_in(), ConnectionState::Disconnected),
        &error,
        false,
    );
    assert_eq!(pointed(&gone.error).state, ConnectionState::Disconnected);
    assert!(!pointed(&gone.error).prompt);
}

#[test]
fn signing_in_again_would_not_help_a_missing_product() {
    let verdict = classify(
        &record(sign_in(), ConnectionState::Connected),
        &UspsError::NotEntitled {
            missing: "labels".into(),
            message: String::new(),
        },
        false,
    );
    let account = pointed(&verdict.error);
    assert!(!account.prompt);
    assert!(
        matches!(&account.state, ConnectionState::NotEntitled { missing, .. } if missing == &["Labels and Payments"])
    );
}

#[test]
fn calls_that_never_reach_usps_point_at_the_account_too() {
    let gone = disconnected(&record(sign_in(), ConnectionState::Disconnected));
    assert_eq!(gone.code, ErrorCode::UspsReconnectRequired);
    assert!(
        gone.message.contains("'Main' is disconnected"),
        "{}",
        gone.message
    );
    assert_eq!(pointed(&gone).state, ConnectionState::Disconnected);
    assert!(!pointed(&gone).prompt, "the user chose to disconnect");

    let waiting = ConnectionState::NeedsReconnect {
        reason: "old".into(),
    };
    let secret = secret_missing(&record(own_app(), waiting.clone()), false);
    assert_eq!(secret.code, ErrorCode::UspsReconnectRequired);
    assert!(secret.message.contains("client secret for 'Main'"));
    assert_eq!(pointed(&secret).state, waiting);
    assert!(pointed(&secret).prompt);
    assert!(!pointed(&secret_missing(&record(own_app(), waiting), true)).prompt);
}

#[test]
fn products_in_user_words() {
    assert_eq!(product_for_api("labels"), "Labels and Payments");
    assert_eq!(product_for_api("scan-forms"), "SCAN Forms");
    assert_eq!(product_for_api("carrier-pickup"), "Carrier Pickup");
    assert_eq!(product_for_api("tracking"), "Tracking");
}
