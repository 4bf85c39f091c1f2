//! The Shipdesk desktop shell. It wires tauri to `shipdesk-core` and nothing more: commands are
//! one-line adapters (see [`commands`]), errors cross IPC as core's `{code, message, details}`.

mod commands;
mod jobs;
mod opener;
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
        .invoke_handler(tauri::generate_handler![
            commands::app_ready,
            commands::doctor,
            commands::orders::orders_list,
            commands::orders::orders_get,
            commands::orders::orders_create,
            commands::orders::orders_update,
            commands::orders::orders_archive,
            commands::orders::orders_set_tags,
            commands::orders::orders_tags,
            commands::orders::orders_import_preview,
            commands::orders::orders_import,
            commands::orders::orders_import_cancel,
            commands::orders::mappings_list,
            commands::orders::mapping_save,
            commands::orders::mapping_delete,
            commands::carriers::carriers_list,
            commands::carriers::carriers_sign_in_start,
            commands::carriers::carriers_sign_in_finish,
            commands::carriers::carriers_sign_in_cancel,
            commands::carriers::carriers_connect_own_app,
            commands::carriers::carriers_update,
            commands::carriers::carriers_set_default,
            commands::carriers::carriers_check,
            commands::carriers::carriers_disconnect,
            commands::carriers::carriers_remove,
            commands::carriers::carriers_snooze_prompt,
            commands::carriers::carriers_keep_secrets_in_memory,
            commands::carriers::carriers_secrets_in_memory,
            commands::carriers::carriers_redirect_port,
            commands::carriers::carriers_sandbox_info,
        ])
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "shipdesk=info,shipdesk_app=info".into()),
        )
        .init();
    let state = AppState::from_env();
    builder::<tauri::Wry>(state)
        .run(tauri::generate_context!())
        .expect("error while running Shipdesk");
}

#[cfg(test)]
mod ipc_tests;
