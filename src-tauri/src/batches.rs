//! Label batches started from the UI: one at a time, run as a task on the async runtime (never
//! the UI thread), progress forwarded as it comes, cancellable. Cancelling stops new purchases;
//! those already sent finish and are recorded, so the report stays true.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use shipdesk_core::shipping::{
    BatchInput, BatchOptions, BatchProgress, BatchReport, ShippingService,
};
use shipdesk_core::{AppError, ErrorCode};

/// What to buy: a batch as the user asked for it, or "Retry failed" of an earlier report.
pub enum BatchWork {
    Buy(Box<BatchInput>),
    Retry(Box<BatchReport>),
}

#[derive(Default)]
pub struct BatchJobs {
    running: std::sync::Mutex<Option<Arc<AtomicBool>>>,
}

impl BatchJobs {
    pub async fn run(
        &self,
        shipping: Arc<ShippingService>,
        work: BatchWork,
        options: Option<BatchOptions>,
        on_progress: impl Fn(BatchProgress) + Send + Sync + 'static,
    ) -> Result<BatchReport, AppError> {
        let cancel = Arc::new(AtomicBool::new(false));
        {
            let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
            if running.is_some() {
                return Err(AppError::conflict(
                    "A batch of labels is already being bought; wait for it or cancel it",
                ));
            }
            *running = Some(cancel.clone());
        }
        let options = options.unwrap_or_default();
        let task = tauri::async_runtime::spawn(async move {
            match work {
                BatchWork::Buy(input) => {
                    shipping
                        .buy_orders(&input, &options, &on_progress, &cancel)
                        .await
                }
                BatchWork::Retry(previous) => {
                    shipping
                        .retry_batch(&previous, &options, &on_progress, &cancel)
                        .await
                }
            }
        });
        let result = match task.await {
            Ok(report) => report,
            Err(e) => Err(AppError::new(
                ErrorCode::Internal,
                format!("The batch stopped unexpectedly: {e}"),
            )),
        };
        *self.running.lock().unwrap_or_else(|p| p.into_inner()) = None;
        result
    }

    /// Stops starting new purchases in the running batch (if any).
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

/// Start-up reconciliation: purchases a previous run left unfinished are re-sent
/// with their own idempotency keys, on the async runtime so the window opens at once.
/// What stays unsettled is listed under Shipments › Purchases to check; the UI reads that list
/// itself (when a page opens, when the window regains focus, and while one is being bought), so
/// no event is sent from here.
pub fn reconcile_in_background(shipping: Arc<ShippingService>) {
    tauri::async_runtime::spawn(async move {
        match shipping.reconcile_unfinished().await {
            Ok(report) => tracing::info!(
                recovered = report.recovered.len(),
                failed = report.failed_attempts.len(),
                still_open = report.still_open.len(),
                in_progress_elsewhere = report.in_progress_elsewhere.len(),
                "reconciled unfinished label purchases"
            ),
            Err(e) => tracing::warn!(
                code = ?e.code,
                "could not reconcile unfinished label purchases: {}",
                e.message
            ),
        }
    });
}
