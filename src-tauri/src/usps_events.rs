//! Core's connection snapshots, pushed to the UI as `usps://connection` events so every page
//! shows the same banner and prompt, and the main window brought forward after a browser sign-in.
//!
//! Core makes a snapshot after every change (state, Remind Me Later, accounts added, renamed or
//! removed); a window that opens reads the current one with `carriers_connection_snapshot` and
//! keeps whichever has the higher revision.

use shipdesk_core::carriers::{ConnectionSnapshot, Connections};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;

use crate::AppState;

pub const CONNECTION_EVENT: &str = "usps://connection";

/// Forwards every snapshot for the app's lifetime (nothing when the desk did not open).
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
                Ok(snapshot) => emit(&app, &snapshot),
                Err(RecvError::Lagged(missed)) => {
                    // Snapshots are whole pictures: the current one replaces those dropped.
                    tracing::warn!(missed, "USPS connection snapshots were dropped");
                    let state = app.state::<AppState>();
                    if let Ok(desk) = state.desk() {
                        emit_current(&app, desk.connections());
                    }
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

fn emit_current<R: Runtime>(app: &AppHandle<R>, connections: &Connections) {
    match connections.connection_snapshot() {
        Ok(snapshot) => emit(app, &snapshot),
        Err(e) => tracing::warn!("could not read the USPS connection snapshot: {e}"),
    }
}

fn emit<R: Runtime>(app: &AppHandle<R>, snapshot: &ConnectionSnapshot) {
    if let Err(e) = app.emit(CONNECTION_EVENT, snapshot) {
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
