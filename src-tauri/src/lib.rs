//! The Shipdesk desktop shell. It wires tauri to `shipdesk-core` and nothing more: commands are
//! one-line adapters (see [`commands`]), errors cross IPC as core's `{code, message, details}`.

mod batches;
mod commands;
mod jobs;
mod opener;
pub mod picked_paths;
mod printing;
mod sandbox_info;
mod sign_ins;
mod single_instance;
mod state;
mod usps_events;

pub use state::AppState;

/// Registers everything on `base`; the IPC tests start from `tauri::test::mock_builder()` (whose
/// invoke key the mock IPC uses). `run` registers the same [`shell`] but hands the state over only
/// once the app is built, so that a second launch exits before it opens the data directory.
pub fn configure<R: tauri::Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    shell(base).manage(state)
}

/// Everything but the [`AppState`]: plugins, window set-up and commands.
fn shell<R: tauri::Runtime>(base: tauri::Builder<R>) -> tauri::Builder<R> {
    base.plugin(tauri_plugin_dialog::init())
        .manage(sign_ins::SignIns::default())
        .setup(|app| {
            usps_events::forward(app.handle());
            Ok(())
        })
        .invoke_handler(commands::handler())
}

pub fn run() {
    use tauri::Manager as _;

    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                "shipdesk=info,shipdesk_app=info,tauri_plugin_single_instance=info".into()
            }),
        )
        .init();
    let context = tauri::generate_context!();
    let mut base = tauri::Builder::<tauri::Wry>::new();
    // First among plugins: a second launch on this data directory hands its arguments to the
    // running app and exits while the plugins are set up, before it opens the database or
    // reconciles purchases (see `single_instance`). When the data directory cannot be resolved
    // there is nothing to guard; the window shows why.
    if let Ok(data_dir) = shipdesk_core::DataDir::from_env(None) {
        base = base.plugin(single_instance::plugin(
            &context.config().identifier,
            &data_dir,
        ));
    }
    let app = match shell(base).build(context) {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("Shipdesk could not start: {e}");
            std::process::exit(1);
        }
    };
    let state = AppState::from_env();
    if let Ok(shipping) = state.shipping() {
        batches::reconcile_in_background(shipping.clone());
    }
    app.manage(state);
    app.run(|_, _| {});
}

#[cfg(test)]
mod ipc_tests;
