//! Typed client for the USPS v3 REST APIs (production, TEM, or the local simulator).
//!
//! Shape of the crate:
//! - [`UspsClient`] — one per environment: HTTP pool, retry policy, call counters, OAuth grants
//!   and the COP consent URL.
//! - [`UspsAccount`] — one per connected USPS business: access-token cache with single-flight
//!   renewal, refresh-token persistence through the app's [`RefreshTokenStore`], the 8-hour
//!   payment authorization cache, and every API call (addresses, prices, payments, labels,
//!   SCAN forms, carrier pickup, tracking).
//! - [`UspsError`] — one error for every call, classified by [`classify`] from status, headers,
//!   body and [`Operation`] (docs/usps.md#errors), so the app reacts the same way wherever it is.
//! - [`Secret`] — tokens and client secrets, redacted in `Debug`.
//!
//! The crate knows nothing of Tauri, SQLite or keyrings: the app passes in what it owns.

mod account;
mod api;
pub mod auth;
pub mod classify;
mod client;
mod environment;
mod error;
pub mod limits;
pub mod models;
mod operation;
pub mod pacing;
mod secret;
mod transport;
mod wire;

pub use account::{AccountConfig, UspsAccount};
pub use auth::claims::{ClaimsError, MailOwner, TokenClaims, decode_claims};
pub use auth::oauth::{AppCredentials, ConsentRequest, TokenResponse, consent_url};
pub use auth::store::{MemoryTokenStore, RefreshTokenStore, TokenStoreError};
pub use auth::tokens::{AccessToken, GrantKind};
pub use client::{ClientConfig, UspsClient};
pub use environment::Environment;
pub use error::{ErrorClass, ReconnectReason, Rejection, RejectionDetail, UspsError};
pub use operation::{Api, Operation, RetrySafety};
pub use pacing::{Allowance, Forecast, PaceClock, Pacer, USPS_DEFAULT_CALLS_PER_HOUR, WallClock};
pub use secret::Secret;
pub use transport::{CallCounts, RetryPolicy};

/// The readers the client runs on every success body: [`decode::RawResponse::json`] for the JSON
/// models, and the label, SCAN form and pickup readers. Public so the fuzz targets in fuzz/ feed
/// arbitrary bodies to the very code the client runs (error bodies go through
/// [`classify::classify_response`], token claims through [`decode_claims`]).
pub mod decode {
    pub use crate::api::labels::label_from;
    pub use crate::api::pickup::confirmation_from as pickup_confirmation_from;
    pub use crate::api::scan_forms::scan_form_from;
    pub use crate::transport::RawResponse;
}
