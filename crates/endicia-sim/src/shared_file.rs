//! One state file, several simulators: Shipdesk's Sandbox runs the simulator in every process
//! that opens a data directory — the desktop app and each CLI command — and they must see one
//! Endicia: postage bought through one is in the balance the other reads, and the ledger holds
//! every purchase and label.
//!
//! So with a state file every call takes a turn: an exclusive OS lock on `<state file>.lock`
//! (released when the turn ends or the process dies), then the state is reloaded when the file
//! changed since this simulator last read or wrote it; the call then runs and persists as usual.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What the state file looked like when this simulator last read or wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl FileStamp {
    pub(crate) fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

fn lock_path(state_file: &Path) -> PathBuf {
    let mut name = state_file.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Blocks until this process holds the state file's lock; `None` (logged) when the lock file
/// cannot be opened or locked, and the call then runs without a turn.
pub(crate) fn lock_blocking(state_file: &Path) -> Option<File> {
    let path = lock_path(state_file);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| tracing::warn!("endicia-sim: cannot open {}: {e}", path.display()))
        .ok()?;
    file.lock()
        .map_err(|e| tracing::warn!("endicia-sim: cannot lock {}: {e}", path.display()))
        .ok()?;
    Some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_turn_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("s.json");
        assert_eq!(lock_path(&state), dir.path().join("s.json.lock"));
        let first = lock_blocking(&state).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let second = lock_blocking(&state).unwrap();
            tx.send(()).unwrap();
            drop(second);
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(200))
                .is_err(),
            "the second turn started while the first held the lock"
        );
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
        waiter.join().unwrap();
    }
}
