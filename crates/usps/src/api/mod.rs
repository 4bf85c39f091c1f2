//! The USPS calls, as methods on [`crate::UspsAccount`], one file per API family.

mod addresses;
pub(crate) mod documents;
mod international;
pub(crate) mod labels;
mod payments;
pub(crate) mod pickup;
mod prices;
pub(crate) mod scan_forms;
mod tracking;
