//! A typed client of the Endicia Label Server (ELS): the prepaid postage account's status and
//! balance, postage purchases (recredits), pass phrase changes and the unlock of an account
//! suspended after wrong pass phrases; rates, labels, refunds and SCAN forms (`shipping.rs`).
//!
//! ELS is XML over HTTP: each method is `POST {service}/{Method}` with one form field holding
//! the request XML, and every business answer is HTTP 200 with a `Status` element (0 = success,
//! otherwise an ELS error code, [`ElsErrorKind`]). Answers are read by element name, unknown
//! elements are ignored, and amounts are decimals ([`rust_decimal::Decimal`]), never floats.
//!
//! What the client does not do: retry. A purchase whose answer is lost may have been applied
//! ([`EndiciaError::AnswerLost`]); the caller reconciles it from the account's registers
//! ([`AccountStatus::funded_total`]) rather than sending it again.
//!
//! Facts it relies on (from the ELS technical reference and recorded sandbox traffic):
//! - the response root is in the namespace `www.envmgr.com/LabelService` (no scheme);
//! - error messages end with " Error encountered (Log ID: n)", which is cut off for display;
//! - `RequesterID`/`RequestID` are echoed on success only, so they are optional here;
//! - a pass phrase is 5–64 characters and may not repeat one of the last four;
//! - postage is bought in amounts from $10.00 to $99,999.99 with at most two decimals, within
//!   the account's own per-purchase and balance limits (new accounts: $500 each), which ELS
//!   does not report and enforces only when asked to buy.

mod client;
mod error;
mod secret;
mod shipping;
mod shipping_wire;
mod wire;

pub use client::{
    AccountStatus, ClientConfig, Credentials, EndiciaClient, Recredit, validate_pass_phrase,
    validate_purchase_amount,
};
pub use error::{ElsErrorKind, ElsRefusal, EndiciaError};
pub use secret::Secret;
pub use shipping::{
    LabelAddress, LabelSpec, Parcel, PostageLabel, PostageRate, RefundResult, ScanForm,
};

/// The production service; tests and Sandbox mode point the client at the simulator instead.
pub const PRODUCTION_SERVICE: &str =
    "https://labelserver.endicia.com/LabelService/EwsLabelService.asmx/";
/// Endicia's sandbox (authenticates against sandbox accounts).
pub const SANDBOX_SERVICE: &str =
    "https://elstestserver.endicia.com/LabelService/EwsLabelService.asmx/";
