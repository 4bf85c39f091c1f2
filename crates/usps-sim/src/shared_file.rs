//! One state file, several simulators: an app that embeds the simulator (Shipdesk's Sandbox)
//! may run it in two processes on one data directory at once — the desktop app and the CLI —
//! and both must see one USPS: a label bought through one is voided through the other, an
//! idempotency key replayed through the other returns the same label, and the ledger holds
//! every charge.
//!
//! So with a state file every request takes a turn: an exclusive OS lock on
//! `<state file>.lock` (taken on a blocking thread; it serialises requests within a process
//! too, since each turn opens the file anew), then the durable state is reloaded when the file
//! changed since this simulator last read or wrote it, and the handler runs and persists as
//! usual. The lock goes when the turn ends — or when the process dies.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::Shared;
use crate::state::{self, SimState};

/// What a state file looked like when this simulator last read or wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
    let mut name = state_file.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    state_file.with_file_name(name)
}

/// Blocks until this thread holds the state file's lock; `None` when it cannot be had (the
/// simulator then works on what it has, as before).
pub(crate) fn lock_blocking(state_file: &Path) -> Option<File> {
    let path = lock_path(state_file);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| tracing::warn!("usps-sim: cannot open {}: {e}", path.display()))
        .ok()?;
    file.lock()
        .map_err(|e| tracing::warn!("usps-sim: cannot lock {}: {e}", path.display()))
        .ok()?;
    Some(file)
}

impl Shared {
    /// Reloads the durable state if another process wrote the file since this one last saw it.
    pub(crate) fn reload_if_changed(&self, st: &mut SimState) {
        let Some(path) = &self.state_file else {
            return;
        };
        let now = FileStamp::of(path);
        if now.is_none() || now == *self.seen() {
            return;
        }
        match state::load(path) {
            Ok(durable) => {
                st.durable = durable;
                *self.seen() = now;
            }
            Err(e) => tracing::error!("usps-sim: {e}"),
        }
    }
}

/// The middleware: every request runs in its turn on the shared state file.
pub(crate) async fn take_turn(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let Some(path) = shared.state_file.clone() else {
        return next.run(req).await;
    };
    let lock = tokio::task::spawn_blocking(move || lock_blocking(&path))
        .await
        .ok()
        .flatten();
    {
        let mut st = shared.lock();
        shared.reload_if_changed(&mut st);
    }
    let response = next.run(req).await;
    drop(lock);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_sits_beside_the_state_file() {
        assert_eq!(
            lock_path(Path::new("/d/sandbox/usps-sim.json")),
            Path::new("/d/sandbox/usps-sim.json.lock")
        );
    }

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("s.json");
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
