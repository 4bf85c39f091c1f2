//! The Shipdesk desktop shell. It wires tauri to `shipdesk-core` and nothing more: commands are
//! one-line adapters (see [`commands`]), errors cross IPC as core's `{code, message, details}`.

mod batches;
mod commands;
mod jobs;
mod opener;
mod printing;
mod sandbox_info;
mod sign_ins;
mod state;
mod usps_events;

pub use state::AppState;

/// Builds the app with every command registered.
pub fn builder<R: tauri::Runtime>(state: AppState) -> tauri::Builder<R> {
    configure(tauri::Builder::<R>::new(), state)
}

/// Registers everything on `base`; `run` starts from `Builder::new()`, the IPC tests from
/// `tauri::test::mock_builder()` (whose invoke key the mock IPC uses).
pub fn configure<R: tauri::Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    base.plugin(tauri_plugin_dialog::init())
        .manage(state)
        .manage(sign_ins::SignIns::default())
        .setup(|app| {
            usps_events::forward(app.handle());
            Ok(())
        })
        .invoke_handler(commands::handler())
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "shipdesk=info,shipdesk_app=info".into()),
        )
        .init();
    let state = AppState::from_env();
    if let Ok(shipping) = state.shipping() {
        batches::reconcile_in_background(shipping.clone());
    }
    builder::<tauri::Wry>(state)
        .run(tauri::generate_context!())
        .expect("error while running Shipdesk");
}

#[cfg(test)]
mod ipc_tests;
