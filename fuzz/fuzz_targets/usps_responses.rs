//! Any bytes as a USPS answer, through every reader the client runs on one: the error classifier
//! (for the statuses and operations it tells apart), the JSON model of every call, the label,
//! SCAN form and pickup readers (multipart and JSON), the token answer and the claims of the token
//! inside it. A broken or hostile answer must become a value or a `UspsError`, never a panic.
//!
//! The input reads like an HTTP answer: header lines (`Content-Type: multipart/form-data;
//! boundary=…`, `Retry-After: 30`), a blank line, the body. Without a blank line it is all body,
//! with no headers.

#![no_main]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use usps::classify::{ScopeGrant, classify_response};
use usps::decode::{RawResponse, label_from, pickup_confirmation_from, scan_form_from};
use usps::models::{
    AddressResponse, CancelResponse, CityStateResponse, PaymentAccount,
    PaymentAuthorizationResponse, PickupAddress, RateListResponse, RateOption, TrackingResponse,
};
use usps::{AccessToken, Operation, TokenResponse, UspsError, decode_claims};

/// Failure statuses with the operations whose classification differs for them.
const ERROR_ANSWERS: &[(u16, Operation, ScopeGrant)] = &[
    (400, Operation::Token, ScopeGrant::Unknown),
    (401, Operation::Token, ScopeGrant::Unknown),
    (400, Operation::Revoke, ScopeGrant::Unknown),
    (400, Operation::LabelCreate, ScopeGrant::Granted),
    (401, Operation::LabelCreate, ScopeGrant::Granted),
    (401, Operation::AddressValidate, ScopeGrant::Missing),
    (401, Operation::Tracking, ScopeGrant::Unknown),
    (403, Operation::PaymentAuthorization, ScopeGrant::Granted),
    (404, Operation::PickupGet, ScopeGrant::Granted),
    (408, Operation::ScanFormCreate, ScopeGrant::Granted),
    (429, Operation::BaseRates, ScopeGrant::Granted),
    (503, Operation::LabelCreate, ScopeGrant::Granted),
];

fuzz_target!(|data: &[u8]| {
    let (headers, body) = split_answer(data);

    for &(status, operation, scope) in ERROR_ANSWERS {
        let error = classify_response(operation, status, &headers, body, scope);
        if let UspsError::Rejected(rejection) = &error {
            assert_eq!(rejection.status, status, "{error:?}");
        }
        let _ = error.to_string();
    }

    let answer = || RawResponse {
        status: StatusCode::OK,
        headers: headers.clone(),
        body: Bytes::copy_from_slice(body),
    };
    let a = answer();
    let _ = a.json::<AddressResponse>(Operation::AddressValidate);
    let _ = a.json::<CityStateResponse>(Operation::CityState);
    let _ = a.json::<RateOption>(Operation::BaseRates);
    let _ = a.json::<RateListResponse>(Operation::TotalRates);
    let _ = a.json::<PaymentAuthorizationResponse>(Operation::PaymentAuthorization);
    let _ = a.json::<PaymentAccount>(Operation::PaymentAccount);
    let _ = a.json::<PickupAddress>(Operation::PickupEligibility);
    let _ = a.json::<TrackingResponse>(Operation::Tracking);
    if let Ok(cancel) = a.json::<CancelResponse>(Operation::LabelCancel) {
        let _ = (cancel.is_canceled(), cancel.is_refund_requested());
    }
    if let Ok(token) = a.json::<TokenResponse>(Operation::Token) {
        let now = Instant::now();
        let access = AccessToken::from_response(&token, now);
        let granted = token.expires_in.unwrap_or(u64::MAX);
        assert!(
            access.lifetime.as_secs() <= granted,
            "a token kept longer than granted"
        );
        let _ = access.is_usable_at(now);
        let _ = (token.scopes(), token.products());
    }
    let _ = pickup_confirmation_from(Operation::PickupCreate, answer());

    if let Ok(label) = ready(label_from(Operation::LabelCreate, answer())) {
        let _ = label.metadata.total_charge();
    }
    let _ = ready(scan_form_from(answer()));

    // Token claims: the body as a whole token, and as the payload of one (so the claim readers
    // see arbitrary JSON, not only what survives base64).
    let _ = decode_claims(&String::from_utf8_lossy(body));
    let token = format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(body));
    if let Ok(claims) = decode_claims(&token) {
        let _ = (claims.mids(), claims.is_linked_to_business());
    }
});

/// Header lines up to the first blank line, then the body; all body when there is no blank line.
fn split_answer(data: &[u8]) -> (HeaderMap, &[u8]) {
    let mut headers = HeaderMap::new();
    let Some(end) = find_blank_line(data) else {
        return (headers, data);
    };
    let (head, body) = (&data[..end.0], &data[end.1..]);
    for line in head.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
        {
            headers.append(name, value);
        }
    }
    (headers, body)
}

/// Where the head ends and where the body starts: the first `\n\n` or `\r\n\r\n`.
fn find_blank_line(data: &[u8]) -> Option<(usize, usize)> {
    let lf = data
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2));
    let crlf = data
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4));
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The readers are async only because multipart parsing is a stream; given the whole body at
/// once they never wait. Polled until done, so a reader that kept waiting would show as a hang.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}
