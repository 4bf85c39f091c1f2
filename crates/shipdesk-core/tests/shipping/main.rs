//! Shipping against the USPS simulator: rates and their cache, the purchase journal under every
//! fault the simulator can inject, batches at each order's own weight, documents, void, End of
//! Day and pickup.

mod accounts_kept;
mod batch_weights;
mod contract_prices;
mod fault_matrix;
mod faults;
mod flows;
mod harness;
mod international;
mod label_fields;
mod never_sent;
mod order_contents;
mod quota_pacing;
mod reports;
mod sandbox;
mod setup_editing;
mod unsent;
mod void_journal;
