// The app's own commands are allow-listed here; a command missing from this list cannot be
// called from the UI even if it is registered with the handler.
const COMMANDS: &[&str] = &[
    "app_ready",
    "doctor",
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

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
