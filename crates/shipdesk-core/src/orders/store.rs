//! What the orders area needs from storage, in domain types: [`OrderStore`] (reading, searching
//! and writing orders) and [`MappingStore`] (saved column mappings). `OrdersService` depends on
//! these traits only; the SQLite implementation, with all of its SQL, is in
//! `crate::store::sqlite`. A second backend implements these traits and nothing in the service
//! changes.

use crate::error::{AppError, AppResult};
use crate::orders::import::ColumnMapping;

use super::{Order, OrderData, OrderPage, OrderQuery, OrderStatus, SourceKind};

/// The page size of [`OrderStore::list`] when the query sets none.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The most orders one [`OrderStore::list`] page holds, whatever the query asks.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// What an import needs to know about an order it may be about to overwrite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingOrder {
    pub id: i64,
    pub status: OrderStatus,
    pub import_fingerprint: Option<String>,
}

/// Reading and writing orders.
///
/// Reads see the last committed state and answer while a write transaction is open (a
/// 100,000-order import must not freeze the Orders table).
pub trait OrderStore: Send + Sync {
    /// An order with its items and tags.
    fn order(&self, id: i64) -> AppResult<Option<Order>>;

    /// Orders with exactly this number, newest first (two marketplaces may both have a `1001`).
    fn orders_by_number(&self, number: &str) -> AppResult<Vec<Order>>;

    /// By the marketplace's own order id, newest first.
    fn orders_by_source_id(&self, source_id: &str) -> AppResult<Vec<Order>>;

    /// One page of the filtered, sorted list, and how many orders match in all.
    ///
    /// `search` matches when every word typed begins a word of the order number, name, company,
    /// address, SKUs or item titles; punctuation in it is text, never query syntax. A search
    /// with no letters or numbers matches nothing and says so in `nothing_to_search`. Ties in the sort key are broken by id, in the same direction.
    /// The page holds `limit` orders (default [`DEFAULT_PAGE_SIZE`], clamped to
    /// `1..=`[`MAX_PAGE_SIZE`]) from `offset`.
    fn list(&self, query: &OrderQuery) -> AppResult<OrderPage>;

    /// Every tag in use, case-insensitively sorted, for the filter menu.
    fn tags(&self) -> AppResult<Vec<String>>;

    /// Runs `work` in one transaction, stamping changed orders with `now`: committed when `work`
    /// returns `Ok`, rolled back (nothing written) when it returns an error. Search reflects an
    /// order's change in the same transaction. Calls `work` exactly once. Services call
    /// `write` on `dyn OrderStore`, which returns the closure's value, instead.
    fn transaction(
        &self,
        now: &str,
        work: &mut dyn FnMut(&dyn OrderTransaction) -> AppResult<()>,
    ) -> AppResult<()>;
}

impl dyn OrderStore + '_ {
    /// [`OrderStore::transaction`] for a closure that returns a value.
    pub fn write<T>(
        &self,
        now: &str,
        work: impl FnOnce(&dyn OrderTransaction) -> AppResult<T>,
    ) -> AppResult<T> {
        let mut work = Some(work);
        let mut out = None;
        self.transaction(now, &mut |tx| {
            let work = work.take().ok_or_else(|| {
                AppError::internal("An order transaction ran twice", &"storage backend")
            })?;
            out = Some(work(tx)?);
            Ok(())
        })?;
        out.ok_or_else(|| AppError::internal("An order transaction never ran", &"storage backend"))
    }
}

/// The order changes of one transaction (see [`OrderStore::transaction`]).
pub trait OrderTransaction {
    /// Says that about `orders` new orders follow in this transaction (an import), so the store
    /// can set up for a bulk load. SQLite builds the order table's secondary indexes once, sorted,
    /// at the end of a load that outnumbers the orders it holds, instead of updating them row by
    /// row; the load is still one all-or-nothing transaction.
    fn expect_bulk_load(&self, orders: usize) -> AppResult<()>;

    /// The order a source (marketplace) knows by `key` (see [`OrderData::source_key`]).
    fn find_by_source(&self, kind: SourceKind, key: &str) -> AppResult<Option<ExistingOrder>>;

    /// Adds an order; `fingerprint` is set for imported orders. Returns its id.
    fn insert(&self, data: &OrderData, fingerprint: Option<&str>) -> AppResult<i64>;

    /// Replaces an order's content, keeping its id, archived flag, creation time and the tags it
    /// has (adding `data.tags`). `fingerprint: None` keeps the stored one. `NOT_FOUND` for an
    /// unknown id.
    fn replace(&self, id: i64, data: &OrderData, fingerprint: Option<&str>) -> AppResult<()>;

    /// Adds tags (trimmed; blank ones and ones it has are skipped).
    fn add_tags(&self, id: i64, tags: &[String]) -> AppResult<()>;

    fn remove_tags(&self, id: i64, tags: &[String]) -> AppResult<()>;

    /// Replaces the order's tags with exactly `tags`.
    fn replace_tags(&self, id: i64, tags: &[String]) -> AppResult<()>;

    /// Returns whether the flag changed.
    fn set_archived(&self, id: i64, archived: bool) -> AppResult<bool>;

    /// Returns whether the status changed.
    fn set_status(&self, id: i64, status: OrderStatus) -> AppResult<bool>;

    fn exists(&self, id: i64) -> AppResult<bool>;

    /// The order as this transaction sees it (its own changes included).
    fn load(&self, id: i64) -> AppResult<Option<Order>>;
}

/// Saved column mappings, by name: names compare case-insensitively and ignoring surrounding
/// spaces, so saving `"ebay "` over `"eBay"` replaces it.
pub trait MappingStore: Send + Sync {
    /// Saves `mapping` under its name, replacing any mapping of the same name.
    fn save_mapping(&self, mapping: &ColumnMapping, now: &str) -> AppResult<()>;

    fn mapping(&self, name: &str) -> AppResult<Option<ColumnMapping>>;

    /// Every mapping, by name (case-insensitively).
    fn mappings(&self) -> AppResult<Vec<ColumnMapping>>;

    /// Returns whether a mapping of that name existed.
    fn delete_mapping(&self, name: &str) -> AppResult<bool>;
}
