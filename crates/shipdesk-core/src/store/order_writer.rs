//! Writing orders. [`OrderWriter`] works inside one store transaction, so an import of 100,000
//! orders is one commit (fast, and all-or-nothing), and the search index is rewritten in the same
//! transaction as the order it indexes, so search never disagrees with the table.

use rusqlite::{Connection, OptionalExtension, params};

use super::Store;
use super::orders::load_order;
use crate::error::{AppError, AppResult};
use crate::orders::{Order, OrderData, OrderStatus, SourceKind};

/// What an import needs to know about an order it may be about to overwrite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingOrder {
    pub id: i64,
    pub status: OrderStatus,
    pub import_fingerprint: Option<String>,
}

/// Order writes within one transaction. Obtained from [`Store::with_order_writer`].
pub struct OrderWriter<'c> {
    conn: &'c Connection,
    now: String,
}

impl<'c> OrderWriter<'c> {
    pub fn find_by_source(&self, kind: SourceKind, key: &str) -> AppResult<Option<ExistingOrder>> {
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

    /// Inserts a new order; `fingerprint` is set for imported orders.
    pub fn insert(&self, data: &OrderData, fingerprint: Option<&str>) -> AppResult<i64> {
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
        self.index(id, data, false)?;
        Ok(id)
    }

    /// Replaces an order's content (keeping its id, archived flag, creation time and any tags
    /// added in Shipdesk). `fingerprint: None` keeps the one stored.
    pub fn replace(&self, id: i64, data: &OrderData, fingerprint: Option<&str>) -> AppResult<()> {
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
        self.index(id, data, true)?;
        Ok(())
    }

    fn write_items(&self, id: i64, data: &OrderData) -> AppResult<()> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO order_items (order_id, position, sku, title, quantity, unit_price,
                weight_oz) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
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
            ])?;
        }
        Ok(())
    }

    pub fn add_tags(&self, id: i64, tags: &[String]) -> AppResult<()> {
        let mut stmt = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO order_tags (order_id, tag) VALUES (?1, ?2)")?;
        for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            stmt.execute(params![id, tag])?;
        }
        Ok(())
    }

    pub fn remove_tags(&self, id: i64, tags: &[String]) -> AppResult<()> {
        let mut stmt = self
            .conn
            .prepare_cached("DELETE FROM order_tags WHERE order_id = ?1 AND tag = ?2")?;
        for tag in tags {
            stmt.execute(params![id, tag.trim()])?;
        }
        Ok(())
    }

    /// Replaces the order's tags with exactly `tags`.
    pub fn replace_tags(&self, id: i64, tags: &[String]) -> AppResult<()> {
        self.conn
            .prepare_cached("DELETE FROM order_tags WHERE order_id = ?1")?
            .execute([id])?;
        self.add_tags(id, tags)
    }

    pub fn set_archived(&self, id: i64, archived: bool) -> AppResult<bool> {
        let n = self
            .conn
            .prepare_cached(
                "UPDATE orders SET archived = ?2, updated_at = ?3 WHERE id = ?1 AND archived <> ?2",
            )?
            .execute(params![id, archived as i64, self.now])?;
        Ok(n > 0)
    }

    /// Sets the order's status (shipping marks an order shipped when its label is stored, and
    /// back to awaiting shipment when its only label is voided).
    pub fn set_status(&self, id: i64, status: OrderStatus) -> AppResult<bool> {
        let n = self
            .conn
            .prepare_cached(
                "UPDATE orders SET status = ?2, updated_at = ?3 WHERE id = ?1 AND status <> ?2",
            )?
            .execute(params![id, status.as_str(), self.now])?;
        Ok(n > 0)
    }

    pub fn exists(&self, id: i64) -> AppResult<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM orders WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    pub fn load(&self, id: i64) -> AppResult<Option<Order>> {
        load_order(self.conn, id)
    }

    fn index(&self, id: i64, data: &OrderData, replacing: bool) -> AppResult<()> {
        if replacing {
            self.conn
                .prepare_cached("DELETE FROM orders_fts WHERE rowid = ?1")?
                .execute([id])?;
        }
        let a = &data.ship_to;
        let address = [
            Some(a.street1.as_str()),
            a.street2.as_deref(),
            Some(a.city.as_str()),
            Some(a.state.as_str()),
            Some(a.zip5.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        let skus = data
            .items
            .iter()
            .filter_map(|i| i.sku.as_deref())
            .collect::<Vec<_>>()
            .join(" ");
        let titles = data
            .items
            .iter()
            .map(|i| i.title.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        self.conn
            .prepare_cached(
                "INSERT INTO orders_fts (rowid, order_number, name, company, address, skus, titles)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                data.order_number,
                a.name,
                a.company,
                address,
                skus,
                titles
            ])?;
        Ok(())
    }
}

impl<'c> OrderWriter<'c> {
    /// A writer inside a transaction another service already holds, so its order change
    /// commits together with that service's own rows (e.g. a label and "shipped").
    pub(crate) fn within(conn: &'c Connection, now: &str) -> Self {
        OrderWriter {
            conn,
            now: now.to_owned(),
        }
    }
}

impl Store {
    /// Runs `f` with an [`OrderWriter`] in one IMMEDIATE transaction: committed if `f` returns
    /// `Ok`, rolled back (nothing written) if it returns an error — including a cancellation.
    pub fn with_order_writer<T>(
        &self,
        now: &str,
        f: impl FnOnce(&mut OrderWriter<'_>) -> AppResult<T>,
    ) -> AppResult<T> {
        // A bulk import touches several indexes and the search index per order: give SQLite a
        // page cache that holds them (64 MiB; the default 2 MiB thrashes past ~20,000 orders).
        self.conn().pragma_update(None, "cache_size", -65_536)?;
        self.write(|tx| {
            let mut writer = OrderWriter {
                conn: tx,
                now: now.to_owned(),
            };
            f(&mut writer)
        })
    }
}
