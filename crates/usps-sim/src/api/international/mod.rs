//! International Prices v3 and International Labels v3: prices to other countries for Priority
//! Mail Express International, Priority Mail International (flat rate products included) and
//! First-Class Package International Service, and labels with the integrated customs form.
//!
//! The facts these modules follow (price groups, per-service limits, customs rules, the AES/ITN
//! rule, suspended destinations) are in docs/usps.md#international; the tables are simulated but
//! fixed, so a run is reproducible and a test can state an exact price.
//!
//! - [`countries`]: ISO codes, price groups, suspended destinations, postal-code rules;
//! - [`services`]: the three services, their rate indicators, limits and price tables;
//! - [`limits`]: the schema limits of both specs, rows of the crate's one table (`rules`);
//! - [`prices`]: the five price searches;
//! - [`customs`]: the customs form and the AES/ITN rule;
//! - [`labels`], [`label_changes`], [`indicia`]: create, cancel, reprint, indicia;
//! - [`print`]: the label PDF with its customs declaration pages.

pub mod countries;
pub mod customs;
pub mod indicia;
pub mod label_changes;
pub mod labels;
pub mod limits;
pub mod prices;
pub mod print;
pub mod services;

use axum::Router;
use axum::routing::{delete, post};
use std::sync::Arc;

use crate::Shared;

/// `apiVersion` of the prices API's error envelopes.
pub const PRICES_V: &str = "/international-prices/v3";
/// `apiVersion` of the labels API's error envelopes.
pub const LABELS_V: &str = "/international-labels/v3";

/// The routes of both APIs (merged into the simulator's router, behind its gate).
pub fn routes() -> Router<Arc<Shared>> {
    let p = |op: &str| format!("{PRICES_V}/{op}/search");
    let l = |rest: &str| format!("{LABELS_V}{rest}");
    Router::new()
        .route(&p("base-rates"), post(prices::base_rates))
        .route(&p("extra-service-rates"), post(prices::extra_service_rates))
        .route(&p("base-rates-list"), post(prices::base_rates_list))
        .route(&p("total-rates"), post(prices::total_rates))
        .route(&p("letter-rates"), post(prices::letter_rates))
        .route(
            &l("/international-label"),
            post(labels::create).delete(label_changes::cancel_by_key),
        )
        .route(
            &l("/international-label/{tracking}"),
            delete(label_changes::cancel_by_tracking),
        )
        .route(
            &l("/international-label-reprint/{tracking}"),
            post(label_changes::reprint_by_tracking),
        )
        .route(
            &l("/international-label-reprint"),
            post(label_changes::reprint_by_key),
        )
        .route(&l("/indicia"), post(indicia::create))
}
