// The app's own commands are allow-listed here; a command missing from this list cannot be
// called from the UI even if it is registered with the handler. The list is the one in
// `src/commands/list.rs`, which also registers the handlers, so the two cannot drift; the
// capability files are checked against it by `ipc_tests::commands_agree`.

include!("src/commands/list.rs");

const COMMANDS_BY_AREA: &[(&str, &[&str])] = with_app_commands!(command_names);

/// What the IPC tests read back as the allow-list this script handed to tauri-build.
const ALLOW_LISTED_ENV: &str = "SHIPDESK_ALLOW_LISTED_COMMANDS";

fn main() {
    let commands: Vec<&'static str> = COMMANDS_BY_AREA
        .iter()
        .flat_map(|(_, names)| names.iter().copied())
        .collect();
    println!("cargo:rustc-env={ALLOW_LISTED_ENV}={}", commands.join(","));
    let commands: &'static [&'static str] = Box::leak(commands.into_boxed_slice());
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("failed to run tauri-build");
}
