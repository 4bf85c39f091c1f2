//! Routes and the gate every API call passes first: count the call, apply injected latency, and
//! answer with an injected failure (or panic) when a `/__sim` fault rule says so.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::Arc;
use std::time::Duration;

use crate::Shared;
use crate::api::{self, Api};
use crate::auth::{consent, oauth};
use crate::controls;
use crate::errors::{ApiError, OAuthError};

pub fn build(shared: Arc<Shared>) -> Router {
    let usps = Router::new()
        .route("/oauth2/v3/token", post(oauth::token))
        .route("/oauth2/v3/revoke", post(oauth::revoke))
        .route("/cop-navigator", get(consent::start))
        .route("/cop-navigator/sign-in", post(consent::sign_in))
        .route("/cop-navigator/mfa", post(consent::mfa))
        .route("/cop-navigator/authorize", post(consent::authorize))
        .route("/cop-navigator/success", get(consent::success))
        .route(
            "/payments/v3/payment-authorization",
            post(api::payments::authorize_payment),
        )
        .route(
            "/payments/v3/payment-account/{account}",
            get(api::payments::payment_account),
        )
        .route("/addresses/v3/address", get(api::addresses::address))
        .route("/addresses/v3/city-state", get(api::addresses::city_state))
        .route("/addresses/v3/zipcode", get(api::addresses::zipcode))
        .route(
            "/prices/v3/base-rates/search",
            post(api::prices::base_rates),
        )
        .route(
            "/prices/v3/base-rates-list/search",
            post(api::rate_lists::base_rates_list),
        )
        .route(
            "/prices/v3/total-rates/search",
            post(api::rate_lists::total_rates),
        )
        .route(
            "/labels/v3/label",
            post(api::labels::create).delete(api::label_changes::cancel_by_key),
        )
        .route(
            "/labels/v3/label/{tracking}",
            axum::routing::delete(api::label_changes::cancel_by_tracking)
                .patch(api::label_edits::edit),
        )
        .route(
            "/labels/v3/label-reprint/{tracking}",
            post(api::label_changes::reprint_by_tracking),
        )
        .route(
            "/labels/v3/label-reprint",
            post(api::label_changes::reprint_by_key),
        )
        .route("/scan-forms/v3/scan-form", post(api::scan_forms::create))
        .route(
            "/pickup/v3/carrier-pickup/eligibility",
            get(api::pickup::eligibility),
        )
        .route("/pickup/v3/carrier-pickup", post(api::pickup::schedule))
        .route(
            "/pickup/v3/carrier-pickup/{confirmation}",
            get(api::pickup::fetch)
                .put(api::pickup::update)
                .delete(api::pickup::cancel),
        )
        .route(
            "/tracking/v3/tracking/{tracking}",
            get(api::tracking::track),
        )
        .merge(api_routes_domestic_extras())
        .merge(api::international::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(shared.clone(), gate));
    // Bodies arrive already read whole within the configured limit (`front.rs`).
    usps.nest("/__sim", controls::routes())
        .layer(DefaultBodyLimit::disable())
        .with_state(shared.clone())
        .layer(middleware::from_fn_with_state(
            shared,
            crate::shared_file::take_turn,
        ))
}

/// The domestic operations beyond labels, prices, tracking basics (docs/usps.md, README
/// "Operations").
fn api_routes_domestic_extras() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/prices/v3/extra-service-rates/search",
            post(api::extra_rates::search),
        )
        .route(
            "/prices/v3/letter-rates/search",
            post(api::letter_rates::search),
        )
        .route("/labels/v3/return-label", post(api::return_labels::create))
        .route("/labels/v3/indicia", post(api::indicia::create))
        .route("/labels/v3/indicia/imb", post(api::indicia::create_imb))
        .route(
            "/labels/v3/indicia/imb/{imb}",
            axum::routing::delete(api::indicia::cancel_imb),
        )
        .route(
            "/labels/v3/branding",
            post(api::branding::upload).get(api::branding::list),
        )
        .route(
            "/labels/v3/branding/{uuid}",
            get(api::branding::fetch)
                .delete(api::branding::delete)
                .patch(api::branding::rename),
        )
        .route(
            "/shipments/v3/options/search",
            post(api::shipping_options::search),
        )
        .route(
            "/locations/v3/dropoff-locations",
            get(api::locations::dropoff),
        )
        .route(
            "/locations/v3/post-office-locations",
            get(api::locations::post_offices),
        )
        .route(
            "/locations/v3/parcel-locker-locations",
            get(api::locations::parcel_lockers),
        )
        .route(
            "/tracking/v3/tracking/{tracking}/notifications",
            post(api::tracking_requests::notifications),
        )
        .route(
            "/tracking/v3/tracking/{tracking}/proof-of-delivery",
            post(api::tracking_requests::proof_of_delivery),
        )
}

async fn not_found(req: Request) -> Response {
    let version = Api::from_path(req.uri().path())
        .map(Api::version)
        .unwrap_or("v3");
    ApiError::not_found(version, "The requested resource was not found.").into_response()
}

async fn method_not_allowed(req: Request) -> Response {
    let version = Api::from_path(req.uri().path())
        .map(Api::version)
        .unwrap_or("v3");
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        version,
        "Method Not Allowed",
    )
    .into_response()
}

async fn gate(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let Some(api) = Api::from_path(&path) else {
        return next.run(req).await;
    };
    let method = req.method().as_str().to_string();
    let (delay, failure, panic) = {
        let mut st = shared.lock();
        *st.calls.entry(api.name().to_string()).or_default() += 1;
        let delay = st.faults.latency_ms(api.name(), &method, &path);
        let panic = st.faults.panics > 0;
        if panic {
            st.faults.panics -= 1;
        }
        (
            delay,
            st.faults.take_failure(api.name(), &method, &path),
            panic,
        )
    };
    if panic {
        panic!("injected by /__sim/panic");
    }
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    match failure {
        None => next.run(req).await,
        Some(rule) => injected_failure(api, rule.status, rule.retry_after),
    }
}

/// The response a real outage or throttle of this API would give.
fn injected_failure(api: Api, status: u16, retry_after: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let retry_after = retry_after.or(matches!(status.as_u16(), 429 | 503).then_some(1));
    let reason = status.canonical_reason().unwrap_or("Error").to_string();
    match api {
        Api::OAuth => {
            let mut e = OAuthError::new(status, "invalid_request", reason);
            e.retry_after = retry_after;
            e.into_response()
        }
        Api::Consent => {
            let mut resp = (status, Html(format!("<h1>{reason}</h1>"))).into_response();
            if let Some(s) = retry_after {
                resp.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, s.into());
            }
            resp
        }
        _ if status == StatusCode::TOO_MANY_REQUESTS => {
            ApiError::quota_exceeded(api.version(), retry_after.unwrap_or(1)).into_response()
        }
        _ => {
            let mut e = ApiError::new(status, api.version(), reason);
            e.retry_after = retry_after;
            e.into_response()
        }
    }
}
