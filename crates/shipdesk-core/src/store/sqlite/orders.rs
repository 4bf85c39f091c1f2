//! [`OrderStore`] over SQLite: the `orders`, `order_items` and `order_tags` tables and the FTS5
//! index `orders_fts`.
//!
//! Reading is built for a virtualized table over 100,000 orders: one indexed query with
//! LIMIT/OFFSET for the page, one COUNT for the scroll bar, then items and tags for that page
//! only. Reads use the store's reader connection, which under WAL answers from the last commit
//! while an import holds the writer.
//!
//! Writing goes through [`OrderWriter`] inside one IMMEDIATE transaction, so an import of 100,000
//! orders is one commit (fast, and all-or-nothing), and the search index is rewritten in the same
//! transaction as the order it indexes, so search never disagrees with the table.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::str::FromStr;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use rust_decimal::Decimal;

use crate::error::{AppError, AppResult};
use crate::orders::{
    Address, ArchivedFilter, DEFAULT_PAGE_SIZE, ExistingOrder, LineItem, MAX_PAGE_SIZE, Order,
    OrderData, OrderPage, OrderQuery, OrderSort, OrderSource, OrderStatus, OrderStore,
    OrderTransaction, SourceKind,
};
use crate::store::Store;

const ORDER_COLUMNS: &str = "o.id, o.order_number, o.source_kind, o.source_id, \
    o.status, o.ship_name, o.ship_company, o.ship_street1, o.ship_street2, o.ship_city, \
    o.ship_state, o.ship_zip5, o.ship_zip4, o.ship_country, o.ship_phone, o.ship_email, o.notes, \
    o.archived, o.ordered_at, o.created_at, o.updated_at";

/// Above this many matches a search page is read in sort-index order instead of sorting them.
const SORT_MATCHES_UP_TO: u32 = 5_000;

impl OrderStore for Store {
    fn order(&self, id: i64) -> AppResult<Option<Order>> {
        self.read(|conn| load_order(conn, id))
    }

    fn orders_by_number(&self, number: &str) -> AppResult<Vec<Order>> {
        self.read(|conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {ORDER_COLUMNS} FROM orders o WHERE o.order_number = ?1 ORDER BY o.id DESC"
            ))?;
            let mut orders = stmt
                .query_map([number], order_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            attach_children(conn, &mut orders)?;
            Ok(orders)
        })
    }

    fn orders_by_source_id(&self, source_id: &str) -> AppResult<Vec<Order>> {
        self.read(|conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {ORDER_COLUMNS} FROM orders o WHERE o.source_id = ?1 ORDER BY o.id DESC"
            ))?;
            let mut orders = stmt
                .query_map([source_id], order_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            attach_children(conn, &mut orders)?;
            Ok(orders)
        })
    }

    fn list(&self, q: &OrderQuery) -> AppResult<OrderPage> {
        let mut conditions: Vec<&str> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        match q.archived.unwrap_or_default() {
            ArchivedFilter::Active => conditions.push("o.archived = 0"),
            ArchivedFilter::Archived => conditions.push("o.archived = 1"),
            ArchivedFilter::All => {}
        }
        if let Some(status) = q.status {
            conditions.push("o.status = ?");
            params.push(Value::Text(status.as_str().to_owned()));
        }
        if let Some(tag) = q.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            conditions.push("o.id IN (SELECT order_id FROM order_tags WHERE tag = ?)");
            params.push(Value::Text(tag.to_owned()));
        }
        // A search starts from the full-text index: the count costs what the matches cost,
        // not a probe per order. Few matches are then sorted directly; many are read in the
        // sort index's order until the page is full, which stops early.
        let search = match q.search.as_deref().map(SearchText::read) {
            None | Some(SearchText::Blank) => None,
            Some(SearchText::NothingToSearch) => {
                return Ok(OrderPage {
                    orders: Vec::new(),
                    total: 0,
                    nothing_to_search: true,
                });
            }
            Some(SearchText::Terms(fts)) => Some(fts),
        };
        let and_filters: String = conditions.iter().map(|c| format!(" AND {c}")).collect();
        let (from_matches, where_matches, where_by_index) = match &search {
            None => {
                let where_ = match conditions.is_empty() {
                    true => String::new(),
                    false => format!("WHERE {}", conditions.join(" AND ")),
                };
                ("orders o", where_.clone(), where_)
            }
            Some(fts) => {
                params.insert(0, Value::Text(fts.clone()));
                (
                    "orders_fts JOIN orders o ON o.id = orders_fts.rowid",
                    format!("WHERE orders_fts MATCH ?{and_filters}"),
                    format!(
                        "WHERE o.id IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ?)\
                         {and_filters}"
                    ),
                )
            }
        };
        let dir = if q.descending.unwrap_or(false) {
            "DESC"
        } else {
            "ASC"
        };
        let keys: &[&str] = match q.sort.unwrap_or_default() {
            // Shorter numbers first (#999 before #1000); indexed by orders_by_number_natural.
            OrderSort::OrderNumber => &["length(o.order_number)", "o.order_number"],
            OrderSort::OrderedAt => &["o.ordered_at"],
            OrderSort::Name => &["o.ship_name"],
            OrderSort::Status => &["o.status"],
        };
        let by = keys
            .iter()
            .chain(&["o.id"])
            .map(|k| format!("{k} {dir}"))
            .collect::<Vec<_>>()
            .join(", ");
        let limit = q.limit.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE);
        let offset = q.offset.unwrap_or(0);
        self.read(|conn| {
            let total: u32 = conn.query_row(
                &format!("SELECT COUNT(*) FROM {from_matches} {where_matches}"),
                params_from_iter(params.iter()),
                |r| r.get(0),
            )?;
            let (from, where_) = if search.is_some() && total > SORT_MATCHES_UP_TO {
                ("orders o", &where_by_index)
            } else {
                (from_matches, &where_matches)
            };
            page(conn, from, where_, &params, &by, limit, offset, total)
        })
    }

    fn tags(&self) -> AppResult<Vec<String>> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare("SELECT DISTINCT tag FROM order_tags ORDER BY tag COLLATE NOCASE")?;
            let tags = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(tags)
        })
    }

    fn transaction(
        &self,
        now: &str,
        work: &mut dyn FnMut(&dyn OrderTransaction) -> AppResult<()>,
    ) -> AppResult<()> {
        // A bulk import touches several indexes and the search index per order: give SQLite a
        // page cache that holds them (64 MiB; the default 2 MiB thrashes past ~20,000 orders).
        self.conn().pragma_update(None, "cache_size", -65_536)?;
        self.write(|tx| {
            let writer = OrderWriter::within(tx, now);
            work(&writer)?;
            writer.finish_bulk_load()
        })
    }
}

// ---- reading -------------------------------------------------------------------------------

fn corrupt(what: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, what.to_owned(), rusqlite::types::Type::Text)
}

fn order_from_row(r: &Row<'_>) -> rusqlite::Result<Order> {
    let kind: String = r.get(2)?;
    let status: String = r.get(4)?;
    Ok(Order {
        id: r.get(0)?,
        order_number: r.get(1)?,
        source: OrderSource {
            kind: SourceKind::parse(&kind).ok_or_else(|| corrupt("source_kind"))?,
            source_id: r.get(3)?,
        },
        status: OrderStatus::parse(&status).ok_or_else(|| corrupt("status"))?,
        ship_to: Address {
            name: r.get(5)?,
            company: r.get(6)?,
            street1: r.get(7)?,
            street2: r.get(8)?,
            city: r.get(9)?,
            state: r.get(10)?,
            zip5: r.get(11)?,
            zip4: r.get(12)?,
            country: r.get(13)?,
            phone: r.get(14)?,
            email: r.get(15)?,
        },
        items: Vec::new(),
        tags: Vec::new(),
        notes: r.get(16)?,
        archived: r.get::<_, i64>(17)? != 0,
        ordered_at: r.get(18)?,
        created_at: r.get(19)?,
        updated_at: r.get(20)?,
    })
}

fn decimal(text: Option<String>, column: &str) -> rusqlite::Result<Option<Decimal>> {
    text.map(|t| Decimal::from_str(&t).map_err(|_| corrupt(column)))
        .transpose()
}

/// Fills in items and tags for `orders`, in two queries.
fn attach_children(conn: &Connection, orders: &mut [Order]) -> AppResult<()> {
    if orders.is_empty() {
        return Ok(());
    }
    let index: HashMap<i64, usize> = orders.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    let ids: Vec<Value> = orders.iter().map(|o| Value::Integer(o.id)).collect();
    let marks = vec!["?"; ids.len()].join(",");
    let mut stmt = conn.prepare(&format!(
        "SELECT order_id, sku, title, quantity, unit_price, weight_oz, hs_tariff, origin_country,
             currency FROM order_items
         WHERE order_id IN ({marks}) ORDER BY order_id, position"
    ))?;
    let mut rows = stmt.query(params_from_iter(ids.iter()))?;
    while let Some(r) = rows.next()? {
        let item = LineItem {
            sku: r.get(1)?,
            title: r.get(2)?,
            quantity: r.get(3)?,
            unit_price: decimal(r.get(4)?, "unit_price")?,
            weight_oz: decimal(r.get(5)?, "weight_oz")?,
            hs_tariff: r.get(6)?,
            origin_country: r.get(7)?,
            currency: r.get(8)?,
        };
        orders[index[&r.get::<_, i64>(0)?]].items.push(item);
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT order_id, tag FROM order_tags WHERE order_id IN ({marks}) ORDER BY order_id, tag"
    ))?;
    let mut rows = stmt.query(params_from_iter(ids.iter()))?;
    while let Some(r) = rows.next()? {
        orders[index[&r.get::<_, i64>(0)?]].tags.push(r.get(1)?);
    }
    Ok(())
}

fn load_order(conn: &Connection, id: i64) -> AppResult<Option<Order>> {
    let found = conn
        .query_row(
            &format!("SELECT {ORDER_COLUMNS} FROM orders o WHERE o.id = ?1"),
            [id],
            order_from_row,
        )
        .optional()?;
    let Some(order) = found else { return Ok(None) };
    let mut one = [order];
    attach_children(conn, &mut one)?;
    let [order] = one;
    Ok(Some(order))
}

/// What a person typed into the search box, as the full-text index will read it.
#[derive(Debug, PartialEq, Eq)]
enum SearchText {
    /// Nothing but spaces: no search, every order.
    Blank,
    /// Only punctuation, symbols or emoji (`*`, `#`, `—`, `🙂`): nothing the index holds can
    /// match, so nothing does, rather than everything.
    NothingToSearch,
    /// An FTS5 query in which every word must begin a word somewhere in the order
    /// (`"ri"* "austin"*`).
    Terms(String),
}

impl SearchText {
    /// Every word becomes one quoted FTS5 string with a prefix star. Inside quotes FTS5 reads
    /// nothing as syntax (`*`, `^`, `:`, `(`, `-`, `+`, `NEAR`, `AND`/`OR`/`NOT`, `name:` are
    /// plain text the tokenizer splits on or matches as words) except a quote, which is
    /// doubled. Words without a letter or number are dropped: the tokenizer drops their
    /// characters anyway, and `""*` alone would be an empty query.
    fn read(text: &str) -> SearchText {
        if text.trim().is_empty() {
            return SearchText::Blank;
        }
        let terms: Vec<String> = text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
            .collect();
        match terms.is_empty() {
            true => SearchText::NothingToSearch,
            false => SearchText::Terms(terms.join(" ")),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn page(
    conn: &Connection,
    from: &str,
    where_: &str,
    params: &[Value],
    order_by: &str,
    limit: u32,
    offset: u32,
    total: u32,
) -> AppResult<OrderPage> {
    let mut page_params = params.to_vec();
    page_params.push(Value::Integer(limit.into()));
    page_params.push(Value::Integer(offset.into()));
    let mut stmt = conn.prepare(&format!(
        "SELECT {ORDER_COLUMNS} FROM {from} {where_}
         ORDER BY {order_by} LIMIT ? OFFSET ?"
    ))?;
    let mut orders = stmt
        .query_map(params_from_iter(page_params.iter()), order_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    attach_children(conn, &mut orders)?;
    Ok(OrderPage {
        orders,
        total,
        nothing_to_search: false,
    })
}

// ---- writing -------------------------------------------------------------------------------

/// Order writes on a connection inside an open transaction. Statements are prepared once per
/// connection and reused (`prepare_cached`), so an import pays no parse per row.
pub(crate) struct OrderWriter<'c> {
    conn: &'c Connection,
    now: String,
    /// `CREATE INDEX` statements of the indexes a bulk load dropped, to run before commit.
    deferred_indexes: RefCell<Vec<String>>,
    /// The first order a bulk load added: from it on, search entries are written at the end.
    bulk_from: Cell<Option<i64>>,
}

/// An order's search entry, read from its stored row and items (append a `WHERE` on `o.id`):
/// number, name, company; street, city, state and ZIP as the address; the items' SKUs and
/// titles in their order. Migration 0017 built the index of existing orders the same way.
const INDEX_ORDERS: &str = "INSERT INTO orders_fts
        (rowid, order_number, name, company, address, skus, titles)
    SELECT o.id, o.order_number, o.ship_name, o.ship_company,
        concat_ws(' ', o.ship_street1, o.ship_street2, o.ship_city, o.ship_state, o.ship_zip5),
        (SELECT group_concat(sku, ' ') FROM (SELECT sku FROM order_items
            WHERE order_id = o.id AND sku IS NOT NULL ORDER BY position)),
        (SELECT group_concat(title, ' ') FROM (SELECT title FROM order_items
            WHERE order_id = o.id ORDER BY position))
    FROM orders o";

/// A load of fewer orders than this updates the indexes row by row whatever the table holds.
const BULK_LOAD_MIN_ORDERS: usize = 1_000;

impl<'c> OrderWriter<'c> {
    /// A writer inside a transaction the caller holds, so its order changes commit together
    /// with the caller's own rows (shipping stores a label and marks the order shipped at once).
    pub(crate) fn within(conn: &'c Connection, now: &str) -> Self {
        OrderWriter {
            conn,
            now: now.to_owned(),
            deferred_indexes: RefCell::new(Vec::new()),
            bulk_from: Cell::new(None),
        }
    }

    /// Writes what [`OrderTransaction::expect_bulk_load`] deferred: the new orders' search
    /// entries, then the indexes it dropped (each built by one sort over the table). The
    /// transaction that deferred them must not commit without this.
    fn finish_bulk_load(&self) -> AppResult<()> {
        self.index_bulk_load()?;
        for sql in self.deferred_indexes.take() {
            self.conn.execute_batch(&sql)?;
        }
        Ok(())
    }

    fn write_items(&self, id: i64, data: &OrderData) -> AppResult<()> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO order_items (order_id, position, sku, title, quantity, unit_price,
                weight_oz, hs_tariff, origin_country, currency)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for (pos, item) in data.items.iter().enumerate() {
            stmt.execute(params![
                id,
                pos as i64,
                item.sku,
                item.title,
                item.quantity,
                item.unit_price.map(|d| d.to_string()),
                item.weight_oz.map(|d| d.to_string()),
                item.hs_tariff,
                item.origin_country,
                item.currency,
            ])?;
        }
        Ok(())
    }

    /// Writes order `id`'s search entry from its stored row and items (after they are written),
    /// or leaves it to [`Self::index_bulk_load`] when a bulk load defers new orders' entries.
    fn index(&self, id: i64, replacing: bool) -> AppResult<()> {
        if self.bulk_from.get().is_some_and(|first| id >= first) {
            // Added by this bulk load (and maybe replaced since): indexed at its end.
            return Ok(());
        }
        if replacing {
            self.conn
                .prepare_cached("DELETE FROM orders_fts WHERE rowid = ?1")?
                .execute([id])?;
        } else if self.deferring() {
            self.bulk_from.set(Some(id));
            return Ok(());
        }
        self.conn
            .prepare_cached(&format!("{INDEX_ORDERS} WHERE o.id = ?1"))?
            .execute([id])?;
        Ok(())
    }

    /// The search entries of every order a bulk load added: one statement over the new rows
    /// (their ids follow every id the table had), so the index takes them in one pass.
    fn index_bulk_load(&self) -> AppResult<()> {
        if let Some(first) = self.bulk_from.take() {
            self.conn
                .execute(&format!("{INDEX_ORDERS} WHERE o.id >= ?1"), [first])?;
        }
        Ok(())
    }

    fn deferring(&self) -> bool {
        !self.deferred_indexes.borrow().is_empty()
    }
}

impl OrderTransaction for OrderWriter<'_> {
    fn expect_bulk_load(&self, orders: usize) -> AppResult<()> {
        if orders < BULK_LOAD_MIN_ORDERS || !self.deferred_indexes.borrow().is_empty() {
            return Ok(());
        }
        let held: i64 = self
            .conn
            .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))?;
        if orders as i64 <= held {
            return Ok(());
        }
        // Secondary indexes only: a UNIQUE constraint's own index has no SQL and stays, since
        // the load looks orders up by it.
        let indexes: Vec<(String, String)> = self
            .conn
            .prepare(
                "SELECT name, sql FROM sqlite_schema
                 WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut deferred = self.deferred_indexes.borrow_mut();
        for (name, sql) in indexes {
            self.conn
                .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
            deferred.push(sql);
        }
        Ok(())
    }

    fn find_by_source(&self, kind: SourceKind, key: &str) -> AppResult<Option<ExistingOrder>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, status, import_fingerprint FROM orders
             WHERE source_kind = ?1 AND source_key = ?2",
        )?;
        let row = stmt
            .query_row(params![kind.as_str(), key], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })
            .optional()?;
        Ok(row.map(|(id, status, import_fingerprint)| ExistingOrder {
            id,
            status: OrderStatus::parse(&status).unwrap_or(OrderStatus::AwaitingShipment),
            import_fingerprint,
        }))
    }

    fn insert(&self, data: &OrderData, fingerprint: Option<&str>) -> AppResult<i64> {
        let a = &data.ship_to;
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO orders (order_number, source_kind, source_key, source_id, status,
                ship_name, ship_company, ship_street1, ship_street2, ship_city, ship_state,
                ship_zip5, ship_zip4, ship_country, ship_phone, ship_email, notes, ordered_at,
                import_fingerprint, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?20)",
        )?;
        stmt.execute(params![
            data.order_number,
            data.source.kind.as_str(),
            data.source_key(),
            data.source.source_id,
            data.status.as_str(),
            a.name,
            a.company,
            a.street1,
            a.street2,
            a.city,
            a.state,
            a.zip5,
            a.zip4,
            a.country,
            a.phone,
            a.email,
            data.notes,
            data.ordered_at,
            fingerprint,
            self.now,
        ])?;
        let id = self.conn.last_insert_rowid();
        self.write_items(id, data)?;
        self.add_tags(id, &data.tags)?;
        self.index(id, false)?;
        Ok(id)
    }

    fn replace(&self, id: i64, data: &OrderData, fingerprint: Option<&str>) -> AppResult<()> {
        let a = &data.ship_to;
        let mut stmt = self.conn.prepare_cached(
            "UPDATE orders SET order_number = ?2, source_key = ?3, source_id = ?4, status = ?5,
                ship_name = ?6, ship_company = ?7, ship_street1 = ?8, ship_street2 = ?9,
                ship_city = ?10, ship_state = ?11, ship_zip5 = ?12, ship_zip4 = ?13,
                ship_country = ?14, ship_phone = ?15, ship_email = ?16, notes = ?17,
                ordered_at = ?18, import_fingerprint = COALESCE(?19, import_fingerprint),
                updated_at = ?20
             WHERE id = ?1",
        )?;
        let changed = stmt.execute(params![
            id,
            data.order_number,
            data.source_key(),
            data.source.source_id,
            data.status.as_str(),
            a.name,
            a.company,
            a.street1,
            a.street2,
            a.city,
            a.state,
            a.zip5,
            a.zip4,
            a.country,
            a.phone,
            a.email,
            data.notes,
            data.ordered_at,
            fingerprint,
            self.now,
        ])?;
        if changed == 0 {
            return Err(AppError::not_found(format!(
                "There is no order with id {id}"
            )));
        }
        self.conn
            .prepare_cached("DELETE FROM order_items WHERE order_id = ?1")?
            .execute([id])?;
        self.write_items(id, data)?;
        self.add_tags(id, &data.tags)?;
        self.index(id, true)?;
        Ok(())
    }

    fn add_tags(&self, id: i64, tags: &[String]) -> AppResult<()> {
        let mut stmt = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO order_tags (order_id, tag) VALUES (?1, ?2)")?;
        for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            stmt.execute(params![id, tag])?;
        }
        Ok(())
    }

    fn remove_tags(&self, id: i64, tags: &[String]) -> AppResult<()> {
        let mut stmt = self
            .conn
            .prepare_cached("DELETE FROM order_tags WHERE order_id = ?1 AND tag = ?2")?;
        for tag in tags {
            stmt.execute(params![id, tag.trim()])?;
        }
        Ok(())
    }

    fn replace_tags(&self, id: i64, tags: &[String]) -> AppResult<()> {
        self.conn
            .prepare_cached("DELETE FROM order_tags WHERE order_id = ?1")?
            .execute([id])?;
        self.add_tags(id, tags)
    }

    fn set_archived(&self, id: i64, archived: bool) -> AppResult<bool> {
        let n = self
            .conn
            .prepare_cached(
                "UPDATE orders SET archived = ?2, updated_at = ?3 WHERE id = ?1 AND archived <> ?2",
            )?
            .execute(params![id, archived as i64, self.now])?;
        Ok(n > 0)
    }

    fn set_status(&self, id: i64, status: OrderStatus) -> AppResult<bool> {
        let n = self
            .conn
            .prepare_cached(
                "UPDATE orders SET status = ?2, updated_at = ?3 WHERE id = ?1 AND status <> ?2",
            )?
            .execute(params![id, status.as_str(), self.now])?;
        Ok(n > 0)
    }

    fn exists(&self, id: i64) -> AppResult<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM orders WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn load(&self, id: i64) -> AppResult<Option<Order>> {
        load_order(self.conn, id)
    }
}

#[cfg(test)]
#[path = "orders_tests.rs"]
mod tests;
