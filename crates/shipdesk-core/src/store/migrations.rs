//! Schema migrations, applied in order with rusqlite_migration (which records the version in
//! `PRAGMA user_version`). Append new migrations at the end; never edit a released one.

use std::path::Path;
use std::sync::LazyLock;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use crate::error::{AppError, AppResult, ErrorCode};

/// Every migration, oldest first. The schema version is the number of entries.
const MIGRATION_SQL: &[&str] = &[
    include_str!("../../migrations/0001_foundation.sql"),
    include_str!("../../migrations/0002_orders.sql"),
    include_str!("../../migrations/0003_carriers.sql"),
    include_str!("../../migrations/0004_shipping.sql"),
    include_str!("../../migrations/0005_orders_natural_sort.sql"),
    include_str!("../../migrations/0006_purchase_owners.sql"),
    include_str!("../../migrations/0007_accounts_kept.sql"),
    include_str!("../../migrations/0008_void_journal.sql"),
    include_str!("../../migrations/0009_setup_editing.sql"),
    include_str!("../../migrations/0010_account_contract.sql"),
    include_str!("../../migrations/0011_endicia_recredits.sql"),
    include_str!("../../migrations/0012_endicia_labels.sql"),
    include_str!("../../migrations/0013_orders_by_source_id.sql"),
    include_str!("../../migrations/0014_account_calls_per_hour.sql"),
    include_str!("../../migrations/0015_sku_customs.sql"),
    include_str!("../../migrations/0016_item_customs.sql"),
    include_str!("../../migrations/0017_orders_fts_contentless.sql"),
];

static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect()));

pub fn latest_schema_version() -> u32 {
    MIGRATION_SQL.len() as u32
}

/// Refuses, before touching anything, a database whose schema is newer than this build knows.
pub(super) fn check_not_newer(conn: &Connection, path: Option<&Path>) -> AppResult<()> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = latest_schema_version();
    if found > known {
        let where_ = path
            .map(|p| format!(" ({})", p.display()))
            .unwrap_or_default();
        return Err(AppError::new(
            ErrorCode::DatabaseTooNew,
            format!(
                "This database{where_} was written by a newer Shipdesk (schema {found}; this \
                 version knows up to schema {known}). Update Shipdesk to open it; nothing was changed."
            ),
        ));
    }
    Ok(())
}

/// Brings the database to the latest schema. Several processes may open a fresh data directory
/// at once (the app and the CLI, two windows): the one that loses the race to migrate gets an
/// error from its own attempt, waits, and finds the work done by the winner.
pub(super) fn apply(conn: &mut Connection) -> AppResult<()> {
    const ATTEMPTS: u32 = 40;
    let mut wait = std::time::Duration::from_millis(10);
    for attempt in 1..=ATTEMPTS {
        match MIGRATIONS.to_latest(conn) {
            Ok(()) => return Ok(()),
            Err(e) => {
                let now: u32 = conn
                    .pragma_query_value(None, "user_version", |r| r.get(0))
                    .unwrap_or(0);
                if now == latest_schema_version() {
                    return Ok(());
                }
                if attempt == ATTEMPTS {
                    return Err(AppError::internal("The database could not be upgraded", &e));
                }
                tracing::debug!(attempt, "migration raced another process: {e}");
                std::thread::sleep(wait);
                wait = (wait * 2).min(std::time::Duration::from_millis(250));
            }
        }
    }
    unreachable!("the last attempt returns")
}

#[cfg(test)]
#[path = "migrations_accounts_kept.rs"]
mod accounts_kept;

#[cfg(test)]
#[path = "migrations_setup_editing.rs"]
mod setup_editing;

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::MIGRATIONS.validate().unwrap();
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::apply(&mut conn).unwrap();
        let v: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, super::latest_schema_version());
    }

    /// Migration 0017 makes the search index contentless: orders written before it are found
    /// by the same words after it, from the text the orders table and their items hold.
    #[test]
    fn orders_indexed_before_0017_are_found_after_it() {
        use rusqlite_migration::{M, Migrations};

        use crate::orders::{ArchivedFilter, OrderQuery, OrderStore};

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shipdesk.sqlite3");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            let upto_16 = super::MIGRATION_SQL[..16].iter().map(|s| M::up(s));
            Migrations::new(upto_16.collect())
                .to_latest(&mut conn)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO orders (id, order_number, source_kind, source_key, status,
                    ship_name, ship_street1, ship_street2, ship_city, ship_state, ship_zip5,
                    ship_country, created_at, updated_at)
                 VALUES (4, '#1001', 'manual', '#1001', 'awaiting_shipment', 'Ann Lee',
                    '1 Main St', NULL, 'Saint Louis', 'MO', '63116', 'US', 't', 't');
                 INSERT INTO order_items (order_id, position, sku, title, quantity)
                 VALUES (4, 1, 'MG-2', 'Ceramic Mug', 1), (4, 0, NULL, 'Tea Towel', 2);",
            )
            .unwrap();
        }
        let store = crate::Store::open_file(&path).unwrap();
        let orders: &dyn OrderStore = &store;
        let found = |text: &str| {
            let q = OrderQuery {
                search: Some(text.into()),
                archived: Some(ArchivedFilter::All),
                ..Default::default()
            };
            orders.list(&q).unwrap().total
        };
        for words in [
            "1001",
            "ann",
            "saint lou",
            "63116",
            "mg-2",
            "tea mug",
            "towel",
        ] {
            assert_eq!(found(words), 1, "{words}");
        }
        assert_eq!(found("austin"), 0);
    }
}
