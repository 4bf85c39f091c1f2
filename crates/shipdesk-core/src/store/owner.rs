//! Which process owns a purchase: every open [`super::Store`] is a *lease owner* with a random
//! id and an exclusive OS lock on `<database>-owners/<id>.lock`, held for as long as the store
//! is open. The kernel releases that lock when the process ends however it ends (SIGKILL, power
//! loss of the machine aside), so "is the owner of this lease alive?" is answered by trying to
//! take its lock: taken means its process is gone. No process ids, no heartbeats.
//!
//! A store without a file (in-memory, for tests) has no lock directory; it is the only owner
//! its database can ever see.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{AppError, AppResult};

#[derive(Debug)]
pub(crate) struct LeaseOwner {
    id: String,
    dir: Option<PathBuf>,
    /// Held (locked) until the store is dropped.
    _lock: Option<File>,
}

impl LeaseOwner {
    /// A new owner for the database at `database` (`None`: in-memory).
    pub(crate) fn register(database: Option<&Path>) -> AppResult<Self> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let Some(database) = database else {
            return Ok(Self {
                id,
                dir: None,
                _lock: None,
            });
        };
        let mut name = database.file_name().unwrap_or_default().to_os_string();
        name.push("-owners");
        let dir = database.with_file_name(name);
        let cannot = |e: std::io::Error| {
            AppError::internal(
                &format!("Cannot create the lock file in {}", dir.display()),
                &e,
            )
        };
        std::fs::create_dir_all(&dir).map_err(cannot)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(format!("{id}.lock")))
            .map_err(cannot)?;
        file.lock().map_err(cannot)?;
        Ok(Self {
            id,
            dir: Some(dir),
            _lock: Some(file),
        })
    }

    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// Whether the owner `other` still has its store open (in this or another process). An
    /// owner whose lock cannot be checked counts as alive: leaving a purchase alone is safe,
    /// taking it from a live owner is not.
    pub(crate) fn is_alive(&self, other: &str) -> bool {
        if other == self.id {
            return true;
        }
        let Some(dir) = &self.dir else {
            return false;
        };
        if other.is_empty() || !other.chars().all(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
        let path = dir.join(format!("{other}.lock"));
        let file = match OpenOptions::new().write(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return false,
            Err(_) => return true,
        };
        match file.try_lock() {
            Ok(()) => {
                // Its process is gone: tidy up the file it left.
                let _ = std::fs::remove_file(&path);
                false
            }
            Err(TryLockError::WouldBlock) => true,
            Err(TryLockError::Error(_)) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LeaseOwner;

    #[test]
    fn an_owner_is_alive_while_its_store_is_open_and_gone_after() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("shipdesk.sqlite3");
        let first = LeaseOwner::register(Some(&db)).unwrap();
        let second = LeaseOwner::register(Some(&db)).unwrap();
        assert!(second.is_alive(first.id()));
        assert!(first.is_alive(second.id()));
        assert!(first.is_alive(first.id()));
        let gone = first.id().to_owned();
        drop(first);
        assert!(!second.is_alive(&gone));
        assert!(
            !dir.path()
                .join("shipdesk.sqlite3-owners")
                .join(format!("{gone}.lock"))
                .exists()
        );
        assert!(!second.is_alive("never-was"));
        assert!(!second.is_alive("../escape"));
    }

    #[test]
    fn without_a_file_only_itself_is_alive() {
        let owner = LeaseOwner::register(None).unwrap();
        assert!(owner.is_alive(owner.id()));
        assert!(!owner.is_alive("someone"));
    }
}
