//! Typed request and response bodies, with serde names exactly as in the USPS v3 specs
//! (`ZIPCode`, `SKU`, `CRID`, `manifestMID`, ...). Responses ignore unknown fields and most
//! fields are optional, because USPS adds fields and omits documented ones; requests skip
//! `None` so only what the caller set is sent. Money is `f64` because the wire carries JSON
//! numbers; callers round to cents where they store it.

pub mod addresses;
pub mod common;
pub mod international;
pub mod labels;
pub mod payments;
pub mod pickup;
pub mod prices;
pub mod scan_forms;
pub mod tracking;

pub use addresses::*;
pub use common::*;
pub use international::*;
pub use labels::*;
pub use payments::*;
pub use pickup::*;
pub use prices::*;
pub use scan_forms::*;
pub use tracking::*;
