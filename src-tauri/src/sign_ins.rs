//! "Sign in with USPS" from the UI, in two commands: `carriers_sign_in_start` (core binds the
//! loopback listener, opens the browser, and the UI shows the address with a Copy button) and
//! `carriers_sign_in_finish` (waits for USPS to send the browser back). Between the two, core's
//! `SignInHandle` lives here under a number the UI holds.
//!
//! Every sign-in listens on the same registered redirect port, so only one can wait at a time:
//! starting a new one (or Cancel) ends the previous, and the port lock makes the new listener wait
//! until the old one has been dropped.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use shipdesk_core::carriers::{ConnectOutcome, Connections, SignInHandle, SignInRequest};
use shipdesk_core::{AppError, ErrorCode};
use tokio::sync::Notify;

/// What the UI shows while waiting (matches `SignInStarted` in `ui/src/ipc/carriers.ts`).
#[derive(Debug, Clone, Serialize)]
pub struct SignInStarted {
    pub id: u64,
    pub url: String,
    pub redirect_uri: String,
    pub browser_opened: bool,
}

#[derive(Default)]
struct Waiting {
    /// Started, not yet finishing: dropping a handle closes its listener.
    started: HashMap<u64, SignInHandle>,
    /// Finishing: notified to give up.
    finishing: HashMap<u64, Arc<Notify>>,
}

#[derive(Default)]
pub struct SignIns {
    next_id: AtomicU64,
    waiting: Mutex<Waiting>,
    port: Arc<tokio::sync::Mutex<()>>,
}

fn cancelled() -> AppError {
    AppError::new(ErrorCode::Cancelled, "The USPS sign-in was cancelled.")
}

impl SignIns {
    fn lock(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub async fn start(
        &self,
        connections: &Connections,
        request: SignInRequest,
    ) -> Result<SignInStarted, AppError> {
        self.cancel_all();
        let _port = self.port.lock().await;
        let handle = connections.begin_sign_in(request).await?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let started = SignInStarted {
            id,
            url: handle.url.clone(),
            redirect_uri: handle.redirect_uri.clone(),
            browser_opened: handle.browser_opened,
        };
        self.lock().started.insert(id, handle);
        Ok(started)
    }

    /// Waits for the browser to come back (core's timeout applies); CANCELLED if cancelled.
    pub async fn finish(
        &self,
        connections: &Connections,
        id: u64,
    ) -> Result<ConnectOutcome, AppError> {
        let cancel = Arc::new(Notify::new());
        let handle = {
            let mut waiting = self.lock();
            let handle = waiting.started.remove(&id).ok_or_else(cancelled)?;
            waiting.finishing.insert(id, cancel.clone());
            handle
        };
        let result = {
            let _port = self.port.lock().await;
            tokio::select! {
                outcome = connections.finish_sign_in(&handle) => outcome,
                _ = cancel.notified() => Err(cancelled()),
            }
        };
        self.lock().finishing.remove(&id);
        result
    }

    pub fn cancel(&self, id: u64) {
        let mut waiting = self.lock();
        waiting.started.remove(&id);
        if let Some(cancel) = waiting.finishing.remove(&id) {
            cancel.notify_one();
        }
    }

    fn cancel_all(&self) {
        let mut waiting = self.lock();
        waiting.started.clear();
        for (_, cancel) in waiting.finishing.drain() {
            cancel.notify_one();
        }
    }
}
