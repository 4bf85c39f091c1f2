// The app's own commands are allow-listed here; a command missing from this list cannot be
// called from the UI even if it is registered with the handler.
// One list per area, so each area's commands are added in one place; every command here must
// also be registered in `lib.rs` and granted in `capabilities/<area>.json`.
const APP: &[&str] = &["app_ready", "doctor"];
const ORDERS: &[&str] = &[
    "orders_list",
    "orders_get",
    "orders_create",
    "orders_update",
    "orders_archive",
    "orders_set_tags",
    "orders_tags",
    "orders_import_preview",
    "orders_import",
    "orders_import_cancel",
    "mappings_list",
    "mapping_save",
    "mapping_delete",
];
const CARRIERS: &[&str] = &[
    "carriers_list",
    "carriers_sign_in_start",
    "carriers_sign_in_finish",
    "carriers_sign_in_cancel",
    "carriers_connect_own_app",
    "carriers_update",
    "carriers_set_default",
    "carriers_check",
    "carriers_disconnect",
    "carriers_remove",
    "carriers_snooze_prompt",
    "carriers_keep_secrets_in_memory",
    "carriers_secrets_in_memory",
    "carriers_redirect_port",
    "carriers_sandbox_info",
];
const SHIPPING: &[&str] = &[
    "ship_from_list",
    "ship_from_add",
    "ship_from_set_default",
    "package_presets_list",
    "package_preset_add",
    "label_layout_get",
    "label_layout_set",
    "address_check_order",
    "rates_for_order",
    "rates_for_orders",
    "label_buy",
    "labels_buy_batch",
    "labels_batch_retry",
    "labels_batch_cancel",
    "label_preview",
    "labels_print",
    "labels_save_pdf",
    "packing_slips_print",
    "packing_slips_save_pdf",
    "shipments_list",
    "shipment_get",
    "label_void",
    "tracking_refresh",
    "scan_forms_create",
    "scan_forms_list",
    "scan_form_print",
    "scan_form_save_pdf",
    "pickup_eligibility",
    "pickup_prefill",
    "pickup_schedule",
    "pickup_cancel",
    "pickups_list",
];

fn all_commands() -> &'static [&'static str] {
    let all: Vec<&'static str> = [APP, ORDERS, CARRIERS, SHIPPING].concat();
    Box::leak(all.into_boxed_slice())
}

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(all_commands())),
    )
    .expect("failed to run tauri-build");
}
