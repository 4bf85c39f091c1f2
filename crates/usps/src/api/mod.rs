//! The USPS calls, as methods on [`crate::UspsAccount`], one file per API family.

mod addresses;
pub(crate) mod documents;
mod labels;
mod payments;
mod pickup;
mod prices;
mod scan_forms;
mod tracking;
