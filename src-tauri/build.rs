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
const SHIPPING: &[&str] = &[];

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
