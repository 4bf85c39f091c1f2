//! What every request goes through between hyper and the router, so that no request is left
//! without a USPS-shaped answer:
//! - its body is read whole within the body timeout and size limit (408 and 413 otherwise —
//!   a client that announces a body and never sends it is cut off, not waited for);
//! - the router runs with panics caught: a panic answers 500 in the envelope and goes to the
//!   panic log (see `panics.rs`);
//! - an error the router's extractors answered in plain text is rewritten into the envelope.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::Response;
use bytes::BytesMut;
use futures_util::{FutureExt, StreamExt};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use tower::ServiceExt;

use crate::Shared;
use crate::errors::refusal;
use crate::request_head::HttpLimits;
use crate::server::ConnectionKiller;

pub async fn handle(
    req: Request<hyper::body::Incoming>,
    app: Router,
    shared: Arc<Shared>,
    limits: HttpLimits,
    killer: ConnectionKiller,
) -> Response {
    let path = req.uri().path().to_string();
    let method = req.method().to_string();
    let (parts, body) = req.into_parts();
    let body = match read_body(Body::new(body), &limits).await {
        Ok(b) => b,
        Err((status, detail)) => return closing(refusal(&path, status, detail, None)),
    };
    let mut req = Request::from_parts(parts, Body::from(body));
    req.extensions_mut().insert(killer);
    let answer = AssertUnwindSafe(app.oneshot(req)).catch_unwind().await;
    let resp = match answer {
        Ok(Ok(resp)) => resp,
        Ok(Err(never)) => match never {},
        Err(payload) => {
            let what = crate::panics::message(payload.as_ref());
            shared.panics.record(format!("{method} {path}: {what}"));
            return refusal(
                &path,
                StatusCode::INTERNAL_SERVER_ERROR,
                "The request could not be processed.",
                None,
            );
        }
    };
    in_envelope(resp, &path).await
}

/// The whole body, or the status and reason it could not be had.
async fn read_body(body: Body, limits: &HttpLimits) -> Result<Bytes, (StatusCode, String)> {
    let read = async {
        let mut frames = body.into_data_stream();
        let mut buf = BytesMut::new();
        while let Some(frame) = frames.next().await {
            let data = frame.map_err(|_| {
                (
                    StatusCode::BAD_REQUEST,
                    "The request body could not be read.".to_string(),
                )
            })?;
            if buf.len() + data.len() > limits.max_body {
                return Err((
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("The request body exceeds {} bytes.", limits.max_body),
                ));
            }
            buf.extend_from_slice(&data);
        }
        Ok(buf.freeze())
    };
    tokio::time::timeout(limits.body_timeout, read)
        .await
        .unwrap_or_else(|_| {
            Err((
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "The request body was not received within {} seconds.",
                    limits.body_timeout.as_secs_f64()
                ),
            ))
        })
}

/// The connection is not reused after this answer (the rest of the body is never read).
fn closing(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    resp
}

/// An error in plain text (an axum extractor's rejection) rewritten into the envelope; JSON
/// and the consent pages' HTML pass unchanged.
async fn in_envelope(resp: Response, path: &str) -> Response {
    let status = resp.status();
    let media = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if status.as_u16() < 400 || media.contains("json") || media.starts_with("text/html") {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let detail = if text.is_empty() {
        status.canonical_reason().unwrap_or("Error").to_string()
    } else {
        text
    };
    let mut out = refusal(path, status, detail, None);
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}
