//! Long-running work started from the UI: one import at a time, run on a blocking thread (SQLite
//! and file parsing are synchronous), progress throttled to a few events a second, cancellable.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use shipdesk_core::import::{ImportOptions, ImportSummary, Progress};
use shipdesk_core::{AppError, Desk, ErrorCode};

#[derive(Default)]
pub struct ImportJobs {
    running: std::sync::Mutex<Option<Arc<AtomicBool>>>,
}

impl ImportJobs {
    pub async fn run(
        &self,
        desk: Desk,
        path: PathBuf,
        options: ImportOptions,
        mut on_progress: impl FnMut(&Progress) + Send + 'static,
    ) -> Result<ImportSummary, AppError> {
        let cancel = Arc::new(AtomicBool::new(false));
        {
            let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
            if running.is_some() {
                return Err(AppError::conflict(
                    "An import is already running; wait for it or cancel it",
                ));
            }
            *running = Some(cancel.clone());
        }
        let flag = cancel.clone();
        let result = tauri::async_runtime::spawn_blocking(move || {
            let mut last = Instant::now() - Duration::from_secs(1);
            desk.orders().import_file(
                &path,
                &options,
                |p| {
                    let done = p.rows_done >= p.rows_total_estimate;
                    if done || last.elapsed() >= Duration::from_millis(100) {
                        last = Instant::now();
                        on_progress(&p);
                    }
                },
                &flag,
            )
        })
        .await
        .unwrap_or_else(|e| {
            Err(AppError::new(
                ErrorCode::Internal,
                format!("The import stopped unexpectedly: {e}"),
            ))
        });
        *self.running.lock().unwrap_or_else(|p| p.into_inner()) = None;
        result
    }

    pub fn cancel(&self) {
        if let Some(flag) = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            flag.store(true, Ordering::Relaxed);
        }
    }
}
