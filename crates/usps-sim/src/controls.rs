//! `/__sim/*`: JSON controls for tests. They change what the simulated USPS does next (expire
//! tokens, revoke consent, drop products, inject failures and latency, commit-then-drop a label)
//! and expose what it did (charge ledger, call counters, labels). Never part of the USPS surface:
//! no auth, no quotas, not counted.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

use crate::Shared;
use crate::faults::FailRule;
use crate::scenario::{PaymentAccountStatus, product_scopes};
use crate::state::records::{LedgerKind, RefreshState};

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/expire-access-tokens", post(expire_access_tokens))
        .route("/expire-payment-tokens", post(expire_payment_tokens))
        .route(
            "/invalidate-refresh-tokens",
            post(invalidate_refresh_tokens),
        )
        .route("/revoke-consent", post(revoke_consent))
        .route("/remove-product", post(remove_product))
        .route("/add-product", post(add_product))
        .route("/payment-account", post(set_payment_account))
        .route("/quota", post(set_quota))
        .route("/fail", post(fail))
        .route("/latency", post(latency))
        .route("/rotation-grace", post(rotation_grace))
        .route("/drop-label-response", post(drop_label_response))
        .route("/panic", post(panic_next))
        .route("/faults", get(faults).delete(clear_faults))
        .route("/manifest", post(manifest))
        .route("/ledger", get(ledger))
        .route("/calls", get(calls).delete(reset_calls))
        .route("/labels", get(labels))
        .route("/reset", post(reset))
}

fn bad(msg: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": msg }))).into_response()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ClientFilter {
    client_id: Option<String>,
    username: Option<String>,
}

impl ClientFilter {
    /// True when the record's app and user are the ones asked for (an absent field matches all).
    fn matches(&self, client_id: &str, username: &str) -> bool {
        self.client_id.as_deref().is_none_or(|c| c == client_id)
            && self.username.as_deref().is_none_or(|u| u == username)
    }
}

fn body_or_default<T: Default>(body: Option<Json<T>>) -> T {
    body.map(|Json(b)| b).unwrap_or_default()
}

async fn expire_access_tokens(
    State(s): State<Arc<Shared>>,
    body: Option<Json<ClientFilter>>,
) -> Response {
    let f = body_or_default(body);
    let mut st = s.lock();
    let mut n = 0;
    for r in st.durable.access_tokens.values_mut() {
        if f.client_id.as_ref().is_none_or(|c| *c == r.client_id) && !r.force_expired {
            r.force_expired = true;
            n += 1;
        }
    }
    s.persist(&st);
    Json(json!({ "expired": n })).into_response()
}

/// Ends every payment authorization now (they normally live 8 hours).
async fn expire_payment_tokens(State(s): State<Arc<Shared>>) -> Response {
    let mut st = s.lock();
    let now = crate::ids::now_ms();
    let mut n = 0;
    for p in st
        .durable
        .payment_auths
        .values_mut()
        .filter(|p| p.expires_ms > now)
    {
        p.expires_ms = now;
        n += 1;
    }
    s.persist(&st);
    Json(json!({ "expired": n })).into_response()
}

async fn invalidate_refresh_tokens(
    State(s): State<Arc<Shared>>,
    body: Option<Json<ClientFilter>>,
) -> Response {
    let f = body_or_default(body);
    let mut st = s.lock();
    let mut n = 0;
    for r in st.durable.refresh_tokens.values_mut() {
        if f.matches(&r.client_id, &r.username)
            && r.state != RefreshState::Revoked
            && r.state != RefreshState::Invalidated
        {
            r.state = RefreshState::Invalidated;
            n += 1;
        }
    }
    s.persist(&st);
    Json(json!({ "invalidated": n })).into_response()
}

async fn revoke_consent(
    State(s): State<Arc<Shared>>,
    body: Option<Json<ClientFilter>>,
) -> Response {
    let f = body_or_default(body);
    let mut st = s.lock();
    let mut n = 0;
    for c in st.durable.consents.values_mut() {
        if f.matches(&c.client_id, &c.username) && !c.revoked {
            c.revoked = true;
            n += 1;
        }
    }
    s.persist(&st);
    Json(json!({ "revoked": n })).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductChange {
    client_id: String,
    product: Option<String>,
    scope: Option<String>,
}

fn app_view(app: &crate::scenario::App) -> Value {
    json!({ "client_id": app.client_id, "products": app.products, "scopes": app.scope_set() })
}

async fn remove_product(State(s): State<Arc<Shared>>, Json(b): Json<ProductChange>) -> Response {
    let mut st = s.lock();
    let Some(app) = st
        .scenario
        .apps
        .iter_mut()
        .find(|a| a.client_id == b.client_id)
    else {
        return bad("unknown client_id");
    };
    match (&b.product, &b.scope) {
        (Some(p), None) => app.products.retain(|x| x != p),
        (None, Some(scope)) => {
            // Spell the remaining grant out as explicit scopes minus the removed one.
            let mut rest = app.scope_set();
            rest.remove(scope);
            app.products.clear();
            app.scopes = rest.into_iter().collect();
        }
        _ => return bad("give exactly one of product or scope"),
    }
    Json(app_view(app)).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaymentAccountChange {
    account_number: String,
    status: PaymentAccountStatus,
}

/// Sets where a business's EPS account stands (active, pending, no payment method), as the
/// business portal would after the business changed it.
async fn set_payment_account(
    State(s): State<Arc<Shared>>,
    Json(b): Json<PaymentAccountChange>,
) -> Response {
    let mut st = s.lock();
    let Some(user) = st
        .scenario
        .users
        .iter_mut()
        .find(|u| u.eps_accounts.contains(&b.account_number))
    else {
        return bad("no business holds that EPS account");
    };
    user.payment_account = b.status;
    Json(json!({ "account_number": b.account_number, "status": b.status })).into_response()
}

async fn add_product(State(s): State<Arc<Shared>>, Json(b): Json<ProductChange>) -> Response {
    let mut st = s.lock();
    let Some(app) = st
        .scenario
        .apps
        .iter_mut()
        .find(|a| a.client_id == b.client_id)
    else {
        return bad("unknown client_id");
    };
    match (&b.product, &b.scope) {
        (Some(p), None) if !product_scopes(p).is_empty() => {
            if !app.products.contains(p) {
                app.products.push(p.clone());
            }
        }
        (None, Some(scope)) => app.scopes.push(scope.clone()),
        _ => return bad("give a known product or one scope"),
    }
    Json(app_view(app)).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuotaChange {
    client_id: Option<String>,
    per_hour: u32,
}

async fn set_quota(State(s): State<Arc<Shared>>, Json(b): Json<QuotaChange>) -> Response {
    let mut st = s.lock();
    match b.client_id {
        Some(id) => match st.scenario.apps.iter_mut().find(|a| a.client_id == id) {
            Some(app) => app.quota_per_hour = Some(b.per_hour),
            None => return bad("unknown client_id"),
        },
        None => st.scenario.quotas.default_per_hour = b.per_hour,
    }
    st.quota.clear();
    Json(json!({ "per_hour": b.per_hour })).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FailBody {
    target: String,
    status: u16,
    #[serde(default = "one")]
    count: u32,
    /// Let this many matching requests through first.
    #[serde(default)]
    skip: u32,
    retry_after: Option<u64>,
}

fn one() -> u32 {
    1
}

async fn fail(State(s): State<Arc<Shared>>, Json(b): Json<FailBody>) -> Response {
    if !(400..=599).contains(&b.status) {
        return bad("status must be 400..=599");
    }
    let mut st = s.lock();
    st.faults.failures.push(FailRule {
        target: b.target,
        status: b.status,
        remaining: b.count,
        skip: b.skip,
        retry_after: b.retry_after,
    });
    Json(json!(st.faults)).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LatencyBody {
    #[serde(default = "everything")]
    target: String,
    millis: u64,
}

fn everything() -> String {
    "*".into()
}

async fn latency(State(s): State<Arc<Shared>>, Json(b): Json<LatencyBody>) -> Response {
    let mut st = s.lock();
    st.faults.set_latency(b.target, b.millis);
    Json(json!(st.faults)).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GraceBody {
    millis: u64,
}

/// How long a rotated refresh token keeps working (USPS does not document it; the default is a
/// minute), so tests can make a rotated token die at once.
async fn rotation_grace(State(s): State<Arc<Shared>>, Json(b): Json<GraceBody>) -> Response {
    s.lock().rotation_grace_ms = b.millis;
    Json(json!({ "rotation_grace_ms": b.millis })).into_response()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CountBody {
    count: Option<u32>,
}

async fn drop_label_response(
    State(s): State<Arc<Shared>>,
    body: Option<Json<CountBody>>,
) -> Response {
    let count = body_or_default(body).count.unwrap_or(1);
    let mut st = s.lock();
    st.faults.drop_label_responses = count;
    Json(json!(st.faults)).into_response()
}

/// The next `count` API calls panic inside the router.
async fn panic_next(State(s): State<Arc<Shared>>, body: Option<Json<CountBody>>) -> Response {
    let count = body_or_default(body).count.unwrap_or(1);
    let mut st = s.lock();
    st.faults.panics = count;
    Json(json!(st.faults)).into_response()
}

async fn faults(State(s): State<Arc<Shared>>) -> Response {
    Json(json!(s.lock().faults)).into_response()
}

async fn clear_faults(State(s): State<Arc<Shared>>) -> Response {
    let mut st = s.lock();
    st.faults = Default::default();
    Json(json!(st.faults)).into_response()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ManifestBody {
    tracking_numbers: Option<Vec<String>>,
}

/// Sends the Shipping Services File now (as USPS does at 00:30 CT after the mailing date), so
/// cancels afterwards become refund requests.
async fn manifest(State(s): State<Arc<Shared>>, body: Option<Json<ManifestBody>>) -> Response {
    let which = body_or_default(body).tracking_numbers;
    let mut st = s.lock();
    let mut n = 0;
    for label in st.durable.labels.values_mut() {
        if which
            .as_ref()
            .is_none_or(|w| w.contains(&label.tracking_number))
            && !label.manifested
        {
            label.manifested = true;
            n += 1;
        }
    }
    // IMb indicia go into the same file (named by their IMb).
    for indicia in st.durable.indicia.values_mut() {
        if indicia.imb.is_some()
            && which.as_ref().is_none_or(|w| w.contains(&indicia.id))
            && !indicia.manifested
        {
            indicia.manifested = true;
            n += 1;
        }
    }
    s.persist(&st);
    Json(json!({ "manifested": n })).into_response()
}

async fn ledger(State(s): State<Arc<Shared>>) -> Response {
    let st = s.lock();
    let entries = &st.durable.ledger;
    let charges = entries
        .iter()
        .filter(|e| e.kind == LedgerKind::Charged)
        .count();
    let net: f64 = entries
        .iter()
        .filter(|e| e.kind != LedgerKind::RefundRequested)
        .map(|e| e.amount)
        .sum();
    Json(json!({
        "entries": entries,
        "charges": charges,
        "net_charged": (net * 100.0).round() / 100.0,
    }))
    .into_response()
}

async fn calls(State(s): State<Arc<Shared>>) -> Response {
    let st = s.lock();
    let total: u64 = st.calls.values().sum();
    Json(json!({ "calls": st.calls, "total": total })).into_response()
}

async fn reset_calls(State(s): State<Arc<Shared>>) -> Response {
    s.lock().calls.clear();
    Json(json!({ "calls": {}, "total": 0 })).into_response()
}

async fn labels(State(s): State<Arc<Shared>>) -> Response {
    let st = s.lock();
    let list: Vec<Value> = st
        .durable
        .labels
        .values()
        .map(|l| {
            json!({
                "trackingNumber": l.tracking_number,
                "status": l.status,
                "manifested": l.manifested,
                "scanForm": l.scan_form,
                "idempotencyKey": l.idempotency_key,
                "amount": l.amount,
                "disputeId": l.dispute_id,
                "reprints": l.reprints,
            })
        })
        .collect();
    Json(json!({ "labels": list })).into_response()
}

async fn reset(State(s): State<Arc<Shared>>) -> Response {
    let mut st = s.lock();
    st.reset(&s.original);
    s.persist(&st);
    Json(json!({ "reset": true })).into_response()
}
