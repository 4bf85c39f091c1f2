//! Orders: the domain types, the rules an order must satisfy, and [`OrdersService`], the one
//! facade the app's Tauri commands and the CLI call for everything order-related (import, list,
//! search, create, edit, archive, tags). The service reaches storage only through the traits in
//! `store.rs` ([`OrderStore`], [`MappingStore`]); their SQLite implementation is in
//! `crate::store::sqlite`.

pub mod countries;
pub mod import;
pub mod label_fields;
mod model;
#[cfg(test)]
mod query_tests;
mod scan;
mod service;
#[cfg(test)]
mod service_tests;
mod store;
pub mod text;
pub mod usps_address;
pub mod validate;

pub use model::{
    Address, ArchivedFilter, LineItem, Order, OrderInput, OrderPage, OrderQuery, OrderSort,
    OrderSource, OrderStatus, SourceKind,
};
pub use scan::ScannedOrder;
pub use service::{OrdersService, PREVIEW_ROWS};
pub use store::{
    DEFAULT_PAGE_SIZE, ExistingOrder, MAX_PAGE_SIZE, MappingStore, OrderStore, OrderTransaction,
};
pub use validate::FieldProblem;

/// Everything the store needs to write an order, whichever way it arrived. Not an IPC type: the
/// app sends [`OrderInput`] and receives [`Order`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrderData {
    pub order_number: String,
    pub source: OrderSource,
    pub status: OrderStatus,
    pub ship_to: Address,
    pub items: Vec<LineItem>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub ordered_at: Option<String>,
}

impl OrderData {
    /// The key that identifies the order within its source: the marketplace id when there is one.
    pub fn source_key(&self) -> &str {
        self.source
            .source_id
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(&self.order_number)
    }
}
