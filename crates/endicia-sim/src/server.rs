//! HTTP: the service routes, the `/__sim/...` control routes, and the accept loop.
//!
//! The accept loop is hand-rolled on hyper rather than `axum::serve` for one reason: the
//! "commit, then lose the answer" fault must close a TCP connection without writing anything,
//! which a handler cannot do alone. Each request carries a [`Killer`] for its connection; a
//! handler that fires it never returns, and the connection is dropped.
//!
//! Service routes: `{base}LabelService/EwsLabelService.asmx/{Method}` (path and method name
//! matched case-insensitively), POST with a form body or GET with a query string. What the real
//! ASP.NET host answers for an unknown method or a missing form field is not documented; we
//! answer HTTP 404 / 500 with a plain-text body, which a client must treat as a transport
//! failure anyway.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Method as HttpMethod, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

use crate::Shared;
use crate::state::{AccountSnapshot, Ctx};
use crate::wire::{self, Doc, EwsError, Node};
use crate::{accounts, labels, money, rates, refunds, scan};

type Handler = fn(&mut Ctx<'_>, &Node) -> Result<String, EwsError>;

/// One web method of the service.
struct Method {
    name: &'static str,
    field: &'static str,
    request: &'static str,
    response: &'static str,
    handler: Handler,
}

const METHODS: [Method; 10] = [
    Method {
        name: "GetAccountStatusXML",
        field: "accountStatusRequestXML",
        request: "AccountStatusRequest",
        response: "AccountStatusResponse",
        handler: accounts::status,
    },
    Method {
        name: "BuyPostageXML",
        field: "recreditRequestXML",
        request: "RecreditRequest",
        response: "RecreditRequestResponse",
        handler: money::buy,
    },
    Method {
        name: "ChangePassPhraseXML",
        field: "changePassPhraseRequestXML",
        request: "ChangePassPhraseRequest",
        response: "ChangePassPhraseRequestResponse",
        handler: accounts::change,
    },
    Method {
        name: "GetChallengeQuestionXML",
        field: "challengeQuestionRequestXML",
        request: "ChallengeQuestionRequest",
        response: "ChallengeQuestionResponse",
        handler: accounts::challenge_question,
    },
    Method {
        name: "ResetSuspendedAccountXML",
        field: "resetSuspendedAccountRequestXML",
        request: "ResetSuspendedAccountRequest",
        response: "ResetSuspendedAccountRequestResponse",
        handler: accounts::reset,
    },
    Method {
        name: "GetPostageLabelXML",
        field: "labelRequestXML",
        request: "LabelRequest",
        response: "LabelRequestResponse",
        handler: labels::label,
    },
    Method {
        name: "CalculatePostageRateXML",
        field: "postageRateRequestXML",
        request: "PostageRateRequest",
        response: "PostageRateResponse",
        handler: rates::single,
    },
    Method {
        name: "CalculatePostageRatesXML",
        field: "postageRatesRequestXML",
        request: "PostageRatesRequest",
        response: "PostageRatesResponse",
        handler: rates::multiple,
    },
    Method {
        name: "GetRefundXML",
        field: "refundRequestXML",
        request: "RefundRequest",
        response: "RefundResponse",
        handler: refunds::refund,
    },
    Method {
        name: "GetSCANXML",
        field: "scanRequestXML",
        request: "SCANRequest",
        response: "SCANResponse",
        handler: scan::scan,
    },
];

const VERSION_METHOD: &str = "GetVersionXML";
const SERVICE_PREFIX: &str = "/labelservice/ewslabelservice.asmx/";

fn find(name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.name.eq_ignore_ascii_case(name))
}

/// Whether `name` is a method the simulator serves (for the control routes).
fn known(name: &str) -> bool {
    find(name).is_some() || name.eq_ignore_ascii_case(VERSION_METHOD)
}

/// Closes the connection a request arrived on, without an answer.
#[derive(Clone)]
pub struct Killer(Arc<Notify>);

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__sim/fail-next", post(fail_next))
        .route("/__sim/drop-answer", post(drop_answer))
        .route("/__sim/drop-request", post(drop_request))
        .route("/__sim/delay-next", post(delay_next))
        .route("/__sim/refund-delay", post(refund_delay))
        .route("/__sim/advance-clock", post(advance_clock))
        .route("/__sim/ledger", get(ledger))
        .route("/__sim/accounts/{id}", get(account))
        .route("/__sim/accounts/{id}/suspend", post(suspend))
        .fallback(service)
        .with_state(shared)
}

fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

fn xml(body: String) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    resp
}

async fn service(
    State(shared): State<Arc<Shared>>,
    killer: Option<Extension<Killer>>,
    http_method: HttpMethod,
    uri: Uri,
    body: Bytes,
) -> Response {
    let path = uri.path();
    let name = path
        .to_ascii_lowercase()
        .strip_prefix(SERVICE_PREFIX)
        .map(|_| &path[SERVICE_PREFIX.len()..])
        .filter(|n| known(n));
    let Some(name) = name else {
        return text(StatusCode::NOT_FOUND, format!("No such web method: {path}"));
    };
    if http_method != HttpMethod::GET && http_method != HttpMethod::POST {
        return text(
            StatusCode::METHOD_NOT_ALLOWED,
            "Only GET and POST are served.".into(),
        );
    }
    let faults = &shared.faults;
    if let Some(delay) = faults.take_delay(name) {
        tokio::time::sleep(delay).await;
    }
    // Lost on its way: nothing is done, and the client hears nothing.
    if faults.take_drop_request(name)
        && let Some(Extension(Killer(kill))) = killer.as_ref()
    {
        kill.notify_one();
        std::future::pending::<()>().await;
    }
    let answer = match find(name) {
        None => version(),
        Some(m) => {
            let query = uri.query().unwrap_or("").as_bytes();
            let Some(request) =
                wire::form_field(&body, m.field).or_else(|| wire::form_field(query, m.field))
            else {
                return text(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("Missing parameter: {}.", m.field),
                );
            };
            let injected = faults.take_failure(m.name);
            // A turn may wait for another process's: off the async workers.
            let turn_shared = shared.clone();
            tokio::task::spawn_blocking(move || run(&turn_shared, m, &request, injected))
                .await
                .expect("a simulator call panicked")
        }
    };
    // The work is committed (and persisted) by now; the answer is lost on purpose.
    if faults.take_drop(name)
        && let Some(Extension(Killer(kill))) = killer
    {
        kill.notify_one();
        std::future::pending::<()>().await;
    }
    xml(answer)
}

fn version() -> String {
    let mut doc = Doc::new("GetVersionResults");
    doc.leaf("Status", 0)
        .leaf(
            "Version",
            concat!("endicia-sim ", env!("CARGO_PKG_VERSION")),
        )
        .leaf("Mode", "Sandbox")
        .leaf("ServerName", "endicia-sim")
        .leaf("PostalSystem", "USPS");
    doc.finish()
}

/// Handles one call under the state lock; the state file is rewritten when anything changed
/// (also on failures that count a bad pass phrase).
fn run(shared: &Shared, m: &Method, request: &str, injected: Option<u32>) -> String {
    let mut turn = shared.turn();
    let st = &mut turn.state;
    let mut ctx = Ctx {
        d: st,
        now: shared.faults.now(),
        refund_delay: shared.faults.refund_delay(),
        dirty: false,
    };
    let now = ctx.now;
    ctx.dirty = ctx.d.settle_refunds(now);
    let result = match injected {
        Some(code) => Err(EwsError::code(code)),
        None => wire::parse(request).and_then(|req| {
            if req.name != m.request {
                return Err(EwsError::new(
                    12201,
                    format!(
                        "The request XML could not be parsed: expected {}.",
                        m.request
                    ),
                ));
            }
            (m.handler)(&mut ctx, &req)
        }),
    };
    let dirty = ctx.dirty;
    if dirty {
        shared.persist(st);
    }
    drop(turn);
    result.unwrap_or_else(|e| error_body(m, &e, shared.next_log_id()))
}

/// An error answer: `Status` (where the root has one), `ErrorMessage` with the log reference,
/// and the zero values the sandbox still sent for mandatory fields.
fn error_body(m: &Method, e: &EwsError, log_id: u64) -> String {
    let mut doc = Doc::new(m.response);
    let has_status = !matches!(m.name, "GetRefundXML" | "GetSCANXML");
    if has_status {
        doc.leaf("Status", e.code);
        doc.leaf("ErrorMessage", wire::with_log_id(&e.message, log_id));
    } else {
        // Without a Status element the code is only in the text.
        let message = if e.message.starts_with("Error ") {
            e.message.clone()
        } else {
            format!("Error {}: {}", e.code, e.message)
        };
        doc.leaf("ErrorMessage", wire::with_log_id(&message, log_id));
    }
    match m.name {
        "BuyPostageXML" => {
            doc.open("CertifiedIntermediary", &[])
                .leaf("AccountID", "")
                .leaf("SerialNumber", -1)
                .leaf("PostageBalance", "0.00")
                .leaf("AscendingBalance", "0.00")
                .leaf("AccountStatus", "")
                .leaf("DeviceID", "")
                .close();
        }
        "GetPostageLabelXML" => labels::error_fields(&mut doc),
        "CalculatePostageRateXML" => {
            doc.leaf("Zone", 0);
        }
        "GetRefundXML" => {
            doc.leaf("FormId", 0);
        }
        _ => {}
    }
    doc.finish()
}

// ---- control routes ----

#[derive(Deserialize)]
struct MethodCode {
    method: String,
    code: u32,
}

#[derive(Deserialize)]
struct MethodOnly {
    method: String,
}

#[derive(Deserialize)]
struct MethodDelay {
    method: String,
    millis: u64,
}

#[derive(Deserialize)]
struct Millis {
    millis: u64,
}

#[derive(Deserialize)]
struct Seconds {
    seconds: u64,
}

fn bad_method(name: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({ "error": format!("unknown method {name:?}") })),
    )
        .into_response()
}

fn ok() -> Response {
    Json(serde_json::json!({ "ok": true })).into_response()
}

async fn fail_next(State(s): State<Arc<Shared>>, Json(b): Json<MethodCode>) -> Response {
    if !known(&b.method) {
        return bad_method(&b.method);
    }
    s.faults.fail_next(&b.method, b.code);
    ok()
}

async fn drop_answer(State(s): State<Arc<Shared>>, Json(b): Json<MethodOnly>) -> Response {
    if !known(&b.method) {
        return bad_method(&b.method);
    }
    s.faults.drop_answer_after_commit(&b.method);
    ok()
}

async fn drop_request(State(s): State<Arc<Shared>>, Json(b): Json<MethodOnly>) -> Response {
    if !known(&b.method) {
        return bad_method(&b.method);
    }
    s.faults.drop_request_before_commit(&b.method);
    ok()
}

async fn delay_next(State(s): State<Arc<Shared>>, Json(b): Json<MethodDelay>) -> Response {
    if !known(&b.method) {
        return bad_method(&b.method);
    }
    s.faults
        .delay_next(&b.method, Duration::from_millis(b.millis));
    ok()
}

async fn refund_delay(State(s): State<Arc<Shared>>, Json(b): Json<Millis>) -> Response {
    s.faults.set_refund_delay(Duration::from_millis(b.millis));
    ok()
}

async fn advance_clock(State(s): State<Arc<Shared>>, Json(b): Json<Seconds>) -> Response {
    s.faults.advance_clock(Duration::from_secs(b.seconds));
    ok()
}

async fn ledger(State(s): State<Arc<Shared>>) -> Response {
    Json(s.ledger()).into_response()
}

async fn account(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match s.snapshot(&id) {
        Some(snap) => Json::<AccountSnapshot>(snap).into_response(),
        None => text(StatusCode::NOT_FOUND, format!("no account {id}")),
    }
}

async fn suspend(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let mut turn = s.turn();
    let st = &mut turn.state;
    let Some(acct) = st.accounts.get_mut(&id) else {
        return text(StatusCode::NOT_FOUND, format!("no account {id}"));
    };
    acct.suspended = true;
    s.persist(st);
    ok()
}

// ---- accept loop ----

pub async fn serve(listener: TcpListener, app: Router, stop: watch::Receiver<bool>) {
    let mut stopping = stop.clone();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stopping.changed() => return,
        };
        match accepted {
            Ok((stream, _)) => {
                tokio::spawn(connection(stream, app.clone(), stop.clone()));
            }
            Err(e) => tracing::warn!("endicia-sim accept: {e}"),
        }
    }
}

async fn connection(stream: TcpStream, app: Router, mut stop: watch::Receiver<bool>) {
    let kill = Arc::new(Notify::new());
    let killer = Killer(kill.clone());
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(killer.clone());
        app.clone().oneshot(req)
    });
    let conn =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {}
        _ = stop.changed() => {}
    }
}
