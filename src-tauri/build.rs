// The app's own commands are allow-listed here; a command missing from this list cannot be
// called from the UI even if it is registered with the handler.
const COMMANDS: &[&str] = &["app_ready", "doctor"];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
