//! Core's connection-state changes, pushed to the UI as `usps://connection` events so every page
//! shows the same banner, and the main window brought forward after a browser sign-in.

use shipdesk_core::carriers::ConnectionEvent;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;

use crate::AppState;

pub const CONNECTION_EVENT: &str = "usps://connection";

/// Forwards every state change for the app's lifetime (nothing when the desk did not open).
pub fn forward<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(desk) = state.desk() else {
        return;
    };
    let mut changes = desk.connections().subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match changes.recv().await {
                Ok(event) => emit(&app, &event),
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "USPS connection events were dropped")
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

fn emit<R: Runtime>(app: &AppHandle<R>, event: &ConnectionEvent) {
    if let Err(e) = app.emit(CONNECTION_EVENT, event) {
        tracing::warn!("could not send {CONNECTION_EVENT}: {e}");
    }
}

/// The user just finished in the browser: bring Shipdesk back in front of it.
pub fn bring_to_front<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
