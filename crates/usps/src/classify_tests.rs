//! The classification matrix, over bodies shaped like the ones USPS has been seen to send
//! (docs/usps.md#errors).

use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

use super::*;
use crate::error::ErrorClass;

fn no_headers() -> HeaderMap {
    HeaderMap::new()
}

fn class(op: Operation, status: u16, body: &str, scope: ScopeGrant) -> ErrorClass {
    classify_response(op, status, &no_headers(), body.as_bytes(), scope).class()
}

const INVALID_REFRESH: &str = r#"{"error":"invalid_request","error_description":"Invalid Refresh Token: Check the value of the refresh token. It may be missing, have expired or have been revoked.","refresh_token":"hqhm7KuTJKzmvhCbRzKNbkgdFlw7kU18","refresh_token_status":"Not Found"}"#;
const MISSING_SCOPE_401: &str =
    r#"{"apiVersion":"/tracking/v3","error":{"code":"401","message":"","errors":[]}}"#;
const CONTRACT_403: &str = r#"{"apiVersion":"/prices/v3","error":{"code":"403","message":"The requested contract information is not authorized to access, /prices/v3/base-rates-list/search.","errors":[{"title":"The requested contract information is not authorized to access","detail":""}]}}"#;
const QUOTA_429: &str = r#"{"apiVersion":"/addresses/v3","error":{"code":"429","message":"Exceeded quota limit.","errors":[{"title":"Too Many Requests.","detail":"Quota limit exceeded."}]}}"#;
const LABEL_400: &str = r#"{"apiVersion":"/labels/v3","error":{"code":"400","message":"Bad Request","errors":[{"status":"400","code":"160017","title":"Bad Request","detail":"packageValue is required with insurance(extraService = 930)","source":{"parameter":"packageDescription/packageOptions"}}]}}"#;

#[test]
fn token_call_errors_that_need_a_new_sign_in() {
    assert_eq!(
        class(Operation::Token, 400, INVALID_REFRESH, ScopeGrant::Unknown),
        ErrorClass::ReconnectRequired
    );
    let unknown = r#"{"error":"invalid_refresh_token","refresh_token_status":"Unknown"}"#;
    assert_eq!(
        class(Operation::Token, 400, unknown, ScopeGrant::Unknown),
        ErrorClass::ReconnectRequired
    );
    let grant = r#"{"error":"invalid_grant","error_description":"expired"}"#;
    assert_eq!(
        class(Operation::Token, 400, grant, ScopeGrant::Unknown),
        ErrorClass::ReconnectRequired
    );
    let code = r#"{"error":"invalid_request","error_description":"Authorizaton Code Error: either the authorization code has expired, is invalid, or the redirect_uri is not registered."}"#;
    match classify_response(
        Operation::Token,
        400,
        &no_headers(),
        code.as_bytes(),
        ScopeGrant::Unknown,
    ) {
        UspsError::ReconnectRequired { reason, .. } => {
            assert_eq!(reason, ReconnectReason::AuthorizationCodeInvalid)
        }
        other => panic!("{other:?}"),
    }
    let client =
        r#"{"error":"invalid_client","error_description":"Client authentication failed."}"#;
    match classify_response(
        Operation::Token,
        401,
        &no_headers(),
        client.as_bytes(),
        ScopeGrant::Unknown,
    ) {
        UspsError::ReconnectRequired { reason, .. } => {
            assert_eq!(reason, ReconnectReason::InvalidClient)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn token_call_errors_that_are_not_about_the_grant() {
    let grant_type = r#"{"error":"unsupported_grant_type","error_description":"nope"}"#;
    assert_eq!(
        class(Operation::Token, 400, grant_type, ScopeGrant::Unknown),
        ErrorClass::Rejected
    );
    assert_eq!(
        class(Operation::Token, 503, "", ScopeGrant::Unknown),
        ErrorClass::Transient
    );
    let spike = r#"{"error":"invalid_request","error_description":"SpikeArrestViolation: Too many requests received from client in a short time."}"#;
    assert_eq!(
        class(Operation::Token, 429, spike, ScopeGrant::Unknown),
        ErrorClass::QuotaExceeded
    );
}

#[test]
fn oauth_error_messages_never_carry_the_echoed_refresh_token() {
    let error = classify_response(
        Operation::Token,
        400,
        &no_headers(),
        INVALID_REFRESH.as_bytes(),
        ScopeGrant::Unknown,
    );
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("hqhm7KuTJ"), "{shown}");
}

#[test]
fn resource_401_depends_on_the_token_scope() {
    for op in [
        Operation::Tracking,
        Operation::LabelCreate,
        Operation::ScanFormCreate,
        Operation::PickupCreate,
    ] {
        assert_eq!(
            class(op, 401, MISSING_SCOPE_401, ScopeGrant::Missing),
            ErrorClass::NotEntitled,
            "{op}"
        );
        assert_eq!(
            class(op, 401, MISSING_SCOPE_401, ScopeGrant::Granted),
            ErrorClass::ReconnectRequired,
            "{op}"
        );
        assert_eq!(
            class(op, 401, MISSING_SCOPE_401, ScopeGrant::Unknown),
            ErrorClass::ReconnectRequired,
            "{op}"
        );
    }
    let strict = r#"{"apiVersion":"/labels/v3","error":{"code":"401","message":"","errors":[{"title":"insufficient_scope","detail":"labels"}]}}"#;
    assert_eq!(
        class(Operation::LabelCreate, 401, strict, ScopeGrant::Unknown),
        ErrorClass::NotEntitled
    );
    match classify_response(
        Operation::Tracking,
        401,
        &no_headers(),
        MISSING_SCOPE_401.as_bytes(),
        ScopeGrant::Missing,
    ) {
        UspsError::NotEntitled { missing, .. } => assert_eq!(missing, "tracking"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn status_matrix_for_resource_calls() {
    let ops = [
        Operation::AddressValidate,
        Operation::BaseRatesList,
        Operation::PaymentAuthorization,
        Operation::LabelCreate,
        Operation::LabelCancel,
        Operation::PickupCancel,
    ];
    for op in ops {
        assert_eq!(
            class(op, 403, CONTRACT_403, ScopeGrant::Granted),
            ErrorClass::AccountNotAuthorized,
            "{op}"
        );
        assert_eq!(
            class(op, 429, QUOTA_429, ScopeGrant::Granted),
            ErrorClass::QuotaExceeded,
            "{op}"
        );
        assert_eq!(
            class(op, 400, LABEL_400, ScopeGrant::Granted),
            ErrorClass::Rejected,
            "{op}"
        );
        assert_eq!(
            class(op, 404, "{}", ScopeGrant::Granted),
            ErrorClass::Rejected,
            "{op}"
        );
        assert_eq!(
            class(op, 412, "", ScopeGrant::Granted),
            ErrorClass::Rejected,
            "{op}"
        );
        for status in [500, 502, 503, 504] {
            assert_eq!(
                class(op, status, "<html>", ScopeGrant::Granted),
                ErrorClass::Transient,
                "{op} {status}"
            );
        }
    }
}

#[test]
fn rejection_keeps_codes_and_field_paths() {
    match classify_response(
        Operation::LabelCreate,
        400,
        &no_headers(),
        LABEL_400.as_bytes(),
        ScopeGrant::Granted,
    ) {
        UspsError::Rejected(r) => {
            assert_eq!(r.status, 400);
            assert_eq!(r.codes(), vec!["160017"]);
            assert_eq!(r.fields(), vec!["packageDescription/packageOptions"]);
            assert!(r.to_string().contains("packageValue is required"));
        }
        other => panic!("{other:?}"),
    }
    let string_source = r#"{"apiVersion":"/addresses/v3/","error":{"code":"401","message":"Missing or malformed access token.","errors":[{"title":"invalid_token","detail":"not a JWT","source":"Access Token"}]}}"#;
    match classify_response(
        Operation::Revoke,
        400,
        &no_headers(),
        string_source.as_bytes(),
        ScopeGrant::Unknown,
    ) {
        UspsError::Rejected(r) => assert_eq!(r.fields(), vec!["Access Token"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn quota_keeps_retry_after_seconds() {
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, HeaderValue::from_static("1800"));
    match classify_response(
        Operation::AddressValidate,
        429,
        &headers,
        QUOTA_429.as_bytes(),
        ScopeGrant::Granted,
    ) {
        UspsError::QuotaExceeded { retry_after, .. } => {
            assert_eq!(retry_after, Some(Duration::from_secs(1800)))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn retry_after_as_http_date() {
    let mut headers = HeaderMap::new();
    let later = time::OffsetDateTime::now_utc() + time::Duration::seconds(120);
    let text = later
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap();
    headers.insert(RETRY_AFTER, HeaderValue::from_str(&text).unwrap());
    let got = retry_after(&headers).unwrap();
    assert!(
        got <= Duration::from_secs(120) && got >= Duration::from_secs(100),
        "{got:?}"
    );
}

#[test]
fn garbage_bodies_still_classify_by_status() {
    assert_eq!(
        class(Operation::LabelCreate, 400, "not json", ScopeGrant::Granted),
        ErrorClass::Rejected
    );
    assert_eq!(
        class(Operation::AddressValidate, 403, "", ScopeGrant::Granted),
        ErrorClass::AccountNotAuthorized
    );
}

#[test]
fn lost_answers() {
    use TransportFailure::*;
    let t = |op, f, earlier| classify_transport(op, f, earlier, "x".into()).class();
    assert_eq!(
        t(Operation::AddressValidate, MaybeApplied, true),
        ErrorClass::Transient
    );
    assert_eq!(
        t(Operation::Token, MaybeApplied, false),
        ErrorClass::Transient
    );
    assert_eq!(
        t(Operation::LabelCreate, NotSent, false),
        ErrorClass::Transient
    );
    assert_eq!(
        t(Operation::LabelCreate, MaybeApplied, false),
        ErrorClass::OutcomeUnknown
    );
    assert_eq!(
        t(Operation::LabelCreate, NotSent, true),
        ErrorClass::OutcomeUnknown
    );
    assert_eq!(
        t(Operation::LabelCancel, MaybeApplied, false),
        ErrorClass::OutcomeUnknown
    );
    assert_eq!(
        t(Operation::PickupCreate, NotSent, false),
        ErrorClass::Transient
    );
}

#[test]
fn escalation_after_retries_only_for_mutations_that_may_have_landed() {
    let busy = || UspsError::Transient {
        status: Some(503),
        retry_after: None,
        message: "busy".into(),
    };
    assert_eq!(
        escalate_after_retries(Operation::LabelCreate, busy(), true).class(),
        ErrorClass::OutcomeUnknown
    );
    assert_eq!(
        escalate_after_retries(Operation::LabelCreate, busy(), false).class(),
        ErrorClass::Transient
    );
    assert_eq!(
        escalate_after_retries(Operation::Tracking, busy(), true).class(),
        ErrorClass::Transient
    );
}

#[test]
fn ipc_codes() {
    let e = UspsError::OutcomeUnknown {
        operation: Operation::LabelCreate,
        message: String::new(),
    };
    assert_eq!(e.code(), "PURCHASE_OUTCOME_UNKNOWN");
    assert_eq!(UspsError::Config("x".into()).code(), "INTERNAL");
}
