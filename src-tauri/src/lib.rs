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
            commands::shipping::ship_from_list,
            commands::shipping::ship_from_add,
            commands::shipping::ship_from_set_default,
            commands::shipping::package_presets_list,
            commands::shipping::package_preset_add,
            commands::shipping::label_layout_get,
            commands::shipping::label_layout_set,
            commands::shipping::address_check_order,
            commands::shipping::rates_for_order,
            commands::shipping::rates_for_orders,
            commands::shipping::label_buy,
            commands::shipping::labels_buy_batch,
            commands::shipping::labels_batch_retry,
            commands::shipping::labels_batch_cancel,
            commands::shipping::label_preview,
            commands::shipping::labels_print,
            commands::shipping::labels_save_pdf,
            commands::shipping::packing_slips_print,
            commands::shipping::packing_slips_save_pdf,
            commands::shipping::shipments_list,
            commands::shipping::shipment_get,
            commands::shipping::label_void,
            commands::shipping::tracking_refresh,
            commands::shipping::scan_forms_create,
            commands::shipping::scan_forms_list,
            commands::shipping::scan_form_print,
            commands::shipping::scan_form_save_pdf,
            commands::shipping::pickup_eligibility,
            commands::shipping::pickup_prefill,
            commands::shipping::pickup_schedule,
            commands::shipping::pickup_cancel,
            commands::shipping::pickups_list,
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
    if let Ok(shipping) = state.shipping() {
        batches::reconcile_in_background(shipping.clone());
    }
    builder::<tauri::Wry>(state)
        .run(tauri::generate_context!())
        .expect("error while running Shipdesk");
}

#[cfg(test)]
mod ipc_tests;
