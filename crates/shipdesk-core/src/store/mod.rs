//! The SQLite store: one file in the data directory, opened with the pragmas every write path
//! relies on (WAL, foreign keys, a busy timeout, `synchronous=FULL` so a committed purchase
//! survives a power cut), migrated on open, and refused if a newer Shipdesk wrote it.
//!
//! Services do not call [`Store`] or write SQL: each area declares the storage it needs as a
//! narrow trait in domain types, beside its service ([`crate::orders::OrderStore`],
//! [`crate::orders::MappingStore`], [`crate::settings::SettingsStore`],
//! [`crate::carriers::AccountStore`], and shipping's [`crate::shipping::PurchaseJournal`],
//! [`crate::shipping::ShipmentStore`], [`crate::shipping::EndOfDayStore`],
//! [`crate::shipping::ShippingSetupStore`]), and `sqlite/` implements each for [`Store`], one
//! module per area holding all of that area's SQL. A second backend (a PostgreSQL shared by
//! several packing stations) implements the same traits; the services do not change.

mod migrations;
mod owner;
mod sqlite;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::error::{AppError, AppResult, ErrorCode};
use crate::paths::DataDir;

pub use migrations::latest_schema_version;

pub struct Store {
    conn: Mutex<Connection>,
    /// A second connection for [`Store::read`] on file databases: under WAL it reads the last
    /// committed state while a long write (a 100,000-order import) holds the writer, so the UI
    /// keeps scrolling. In-memory databases are private to one connection and read through it.
    reader: Option<Mutex<Connection>>,
    path: Option<PathBuf>,
    /// This store as the owner of the purchase leases it takes.
    owner: owner::LeaseOwner,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Switches the database to WAL. Switching takes an exclusive lock that SQLite's busy timeout
/// does not wait for, so a process opening a fresh database while another does retries briefly.
fn set_wal(conn: &Connection) -> AppResult<()> {
    let mut tries = 0;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && tries < 100 =>
            {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return Ok(other?),
        }
    }
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir` and brings it to the latest schema.
    pub fn open(data_dir: &DataDir) -> AppResult<Self> {
        data_dir.ensure_exists()?;
        Self::open_file(&data_dir.database_path())
    }

    pub fn open_file(path: &Path) -> AppResult<Self> {
        let conn = Connection::open(path).map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                format!("Cannot open the database {}: {e}", path.display()),
            )
        })?;
        Self::prepare(conn, Some(path.to_path_buf()))
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> AppResult<Self> {
        Self::prepare(Connection::open_in_memory()?, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> AppResult<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        set_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::check_not_newer(&conn, path.as_deref())?;
        migrations::apply(&mut conn)?;
        let reader = match &path {
            Some(p) => {
                let reader = Connection::open(p)?;
                reader.busy_timeout(std::time::Duration::from_secs(5))?;
                reader.pragma_update(None, "foreign_keys", "ON")?;
                Some(Mutex::new(reader))
            }
            None => None,
        };
        let owner = owner::LeaseOwner::register(path.as_deref())?;
        Ok(Self {
            conn: Mutex::new(conn),
            reader,
            path,
            owner,
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn schema_version(&self) -> AppResult<u32> {
        Ok(self
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The connection, for the store's own submodules. A poisoned lock means a panic mid-write;
    /// SQLite rolled that transaction back, so carrying on is safe.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in an IMMEDIATE transaction (takes the write lock up front, so two writers never
    /// deadlock upgrading from read locks) and commits when it returns `Ok`. For the store's own
    /// submodules.
    fn write<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> AppResult<T>) -> AppResult<T> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs a read-only closure on the reader connection (the last committed state). Never call
    /// it from inside [`Store::write`]: it would not see that transaction's own changes. For the
    /// store's own submodules.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> AppResult<T>) -> AppResult<T> {
        match &self.reader {
            Some(reader) => f(&reader
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())),
            None => f(&self.conn()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_processes_opening_a_fresh_database_at_once_all_succeed() {
        for round in 0..5 {
            let dir = tempfile::tempdir().unwrap();
            let data = DataDir::at(dir.path().join("data"));
            let start = std::sync::Arc::new(std::sync::Barrier::new(4));
            let openers: Vec<_> = (0..4)
                .map(|_| {
                    let (data, start) = (data.clone(), start.clone());
                    std::thread::spawn(move || {
                        start.wait();
                        Store::open(&data).map(|s| s.schema_version().unwrap())
                    })
                })
                .collect();
            for opener in openers {
                let version = opener.join().unwrap();
                assert_eq!(
                    version.as_ref().ok(),
                    Some(&migrations::latest_schema_version()),
                    "round {round}: {version:?}"
                );
            }
        }
    }

    #[test]
    fn creates_and_migrates_a_new_database() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path().join("nested/data"));
        let store = Store::open(&data).unwrap();
        assert!(data.database_path().exists());
        assert_eq!(store.schema_version().unwrap(), latest_schema_version());
        drop(store);
        // Opening again is a no-op migration.
        let again = Store::open(&data).unwrap();
        assert_eq!(again.schema_version().unwrap(), latest_schema_version());
    }

    #[test]
    fn refuses_a_database_from_a_newer_shipdesk() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        drop(Store::open(&data).unwrap());
        let newer = latest_schema_version() + 3;
        {
            let conn = Connection::open(data.database_path()).unwrap();
            conn.pragma_update(None, "user_version", newer).unwrap();
            conn.execute("CREATE TABLE from_the_future(x)", []).unwrap();
        }
        let err = Store::open(&data).unwrap_err();
        assert_eq!(err.code, ErrorCode::DatabaseTooNew);
        assert!(
            err.message.contains(&format!("schema {newer}")),
            "{}",
            err.message
        );
        // Nothing was touched.
        let conn = Connection::open(data.database_path()).unwrap();
        let v: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, newer);
    }

    #[test]
    fn pragmas_are_set() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&DataDir::at(dir.path())).unwrap();
        let conn = store.conn();
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), fk, sync), ("wal", 1, 2));
    }
}
