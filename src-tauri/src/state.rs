//! What the app holds for its lifetime. If the data directory cannot be opened (for instance a
//! database from a newer Shipdesk), the window still opens and shows that error instead of the
//! process dying before the user sees anything.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use shipdesk_core::shipping::ShippingService;
use shipdesk_core::{AppError, DataDir, Desk};

use crate::picked_paths::{Dialogs, PickedPaths};

/// Set by `cargo xtask bench`: when the UI reports ready, the app writes the elapsed time here.
pub const READY_FILE_ENV: &str = "SHIPDESK_READY_FILE";

pub struct AppState {
    pub imports: crate::jobs::ImportJobs,
    /// Files the user picked in a dialog: the only ones commands read or write.
    pub picked: PickedPaths,
    pub batches: crate::batches::BatchJobs,
    desk: Result<Desk, AppError>,
    started: Instant,
    ready_file: Option<PathBuf>,
}

impl AppState {
    pub fn from_env() -> Self {
        let desk = DataDir::from_env(None).and_then(crate::opener::open_desk);
        if let Err(e) = &desk {
            tracing::error!(code = ?e.code, "could not open the data directory: {}", e.message);
        }
        let mut state = Self::with_desk(desk).with_dialogs(Dialogs::from_env());
        state.ready_file = std::env::var_os(READY_FILE_ENV).map(PathBuf::from);
        state
    }

    /// State around an already opened (or failed) data directory; the desk brings every
    /// service and port (see `shipdesk_core::desk::DeskBuilder`).
    pub fn with_desk(desk: Result<Desk, AppError>) -> Self {
        Self {
            imports: Default::default(),
            picked: PickedPaths::new(Dialogs::Native),
            batches: Default::default(),
            desk,
            started: Instant::now(),
            ready_file: None,
        }
    }

    /// The same state with file dialogs answered by `dialogs` (see `crate::picked_paths`).
    pub fn with_dialogs(mut self, dialogs: Dialogs) -> Self {
        self.picked = PickedPaths::new(dialogs);
        self
    }

    pub fn desk(&self) -> Result<&Desk, AppError> {
        self.desk.as_ref().map_err(Clone::clone)
    }

    /// The desk's shipping service (the desk's own error when it could not be opened).
    pub fn shipping(&self) -> Result<&Arc<ShippingService>, AppError> {
        Ok(self.desk()?.shipping())
    }

    /// The UI calls this once its first screen is interactive.
    pub fn mark_ready(&self) -> Result<u64, AppError> {
        let elapsed_ms = self.started.elapsed().as_millis() as u64;
        tracing::info!(elapsed_ms, "UI ready");
        if let Some(path) = &self.ready_file {
            std::fs::write(path, format!("{{\"ready_ms\":{elapsed_ms}}}"))
                .map_err(|e| AppError::internal("Could not write the ready file", &e))?;
        }
        self.desk()?;
        Ok(elapsed_ms)
    }
}
