//! Reading orders: by id, by number, and the filtered, sorted, paged list behind the Orders table.
//! The list is built for a virtualized table over 100,000 orders: one indexed query with
//! LIMIT/OFFSET for the page, one COUNT for the scroll bar, then items and tags for that page only.

use std::collections::HashMap;
use std::str::FromStr;

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params_from_iter};
use rust_decimal::Decimal;

use super::Store;
use crate::error::AppResult;
use crate::orders::{
    Address, ArchivedFilter, LineItem, Order, OrderPage, OrderQuery, OrderSort, OrderSource,
    OrderStatus, SourceKind,
};

pub(crate) const ORDER_COLUMNS: &str = "o.id, o.order_number, o.source_kind, o.source_id, \
    o.status, o.ship_name, o.ship_company, o.ship_street1, o.ship_street2, o.ship_city, \
    o.ship_state, o.ship_zip5, o.ship_zip4, o.ship_country, o.ship_phone, o.ship_email, o.notes, \
    o.archived, o.ordered_at, o.created_at, o.updated_at";

pub const DEFAULT_PAGE_SIZE: u32 = 100;
pub const MAX_PAGE_SIZE: u32 = 1000;

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
pub(crate) fn attach_children(conn: &Connection, orders: &mut [Order]) -> AppResult<()> {
    if orders.is_empty() {
        return Ok(());
    }
    let index: HashMap<i64, usize> = orders.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    let ids: Vec<Value> = orders.iter().map(|o| Value::Integer(o.id)).collect();
    let marks = vec!["?"; ids.len()].join(",");
    let mut stmt = conn.prepare(&format!(
        "SELECT order_id, sku, title, quantity, unit_price, weight_oz FROM order_items
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

pub(crate) fn load_order(conn: &Connection, id: i64) -> AppResult<Option<Order>> {
    use rusqlite::OptionalExtension;
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

/// Turns what a person types into an FTS5 query: every word must begin a word somewhere in the
/// order (`"ri"* "austin"*`). Quotes are dropped so nothing typed can break the query syntax.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Above this many matches a search page is read in sort-index order instead of sorting them.
const SORT_MATCHES_UP_TO: u32 = 5_000;

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
    Ok(OrderPage { orders, total })
}

impl Store {
    pub fn order(&self, id: i64) -> AppResult<Option<Order>> {
        self.read(|conn| load_order(conn, id))
    }

    /// Orders with this number, newest first (two marketplaces may both have a `1001`).
    pub fn orders_by_number(&self, number: &str) -> AppResult<Vec<Order>> {
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

    pub fn list_orders(&self, q: &OrderQuery) -> AppResult<OrderPage> {
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
        let search = q.search.as_deref().and_then(fts_query);
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

    /// Every tag in use, for the filter menu.
    pub fn order_tags(&self) -> AppResult<Vec<String>> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare("SELECT DISTINCT tag FROM order_tags ORDER BY tag COLLATE NOCASE")?;
            let tags = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(tags)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn search_text_becomes_a_safe_prefix_query() {
        assert_eq!(fts_query("rita aus").as_deref(), Some("\"rita\"* \"aus\"*"));
        assert_eq!(fts_query("#2001").as_deref(), Some("\"#2001\"*"));
        assert_eq!(fts_query("a\"b OR").as_deref(), Some("\"ab\"* \"OR\"*"));
        assert_eq!(fts_query("  # \" "), None);
    }
}
