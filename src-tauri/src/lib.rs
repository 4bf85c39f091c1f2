//! The Shipdesk desktop shell. It wires tauri to `shipdesk-core` and nothing more: commands are
//! one-line adapters (see [`commands`]), errors cross IPC as core's `{code, message, details}`.

mod commands;
mod jobs;
mod state;

pub use state::AppState;

/// Builds the app with every command registered; `run` and the IPC tests share it.
pub fn builder<R: tauri::Runtime>(state: AppState) -> tauri::Builder<R> {
    tauri::Builder::<R>::new()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
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
