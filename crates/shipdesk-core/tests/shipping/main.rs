//! Shipping against the USPS simulator: rates and their cache, the purchase journal under every
//! fault the simulator can inject, documents, void, End of Day and pickup.

mod faults;
mod flows;
mod harness;
mod never_sent;
mod sandbox;
mod unsent;
