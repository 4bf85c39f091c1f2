//! One app per data directory. Launching Shipdesk again on the data directory an app already has
//! open brings that app's window to the front and ends the new process (status 0) before it opens
//! the database or reconciles purchases, as users expect of a desktop app. Shipdesk on another
//! data directory (an end-to-end test, `cargo xtask run`, a second business) runs beside it.
//!
//! tauri's single-instance plugin finds the first instance through a name it owns: on Linux a
//! D-Bus name on the session bus, which it builds from the `dbus_id` we give it, so we key that
//! name on the data directory ([`instance_key`]) instead of on the app identifier alone. On
//! Windows and macOS the plugin keys on the app identifier only (a named mutex, a socket), so
//! there one Shipdesk runs per user whatever its data directory.
//!
//! Without a D-Bus session bus (a bare terminal, some CI) the plugin logs a warning and the app
//! starts without this check. That is safe: the app and the CLI may share a data directory
//! anyway, and the purchase journal (per-attempt leases, compare-and-set transitions; see
//! ARCHITECTURE.md) keeps two processes from buying or recording one label twice.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use shipdesk_core::DataDir;
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Runtime};

/// The plugin, keyed on `data_dir`. Register it before any other plugin: a second launch exits
/// while the plugins are being set up.
pub fn plugin<R: Runtime>(identifier: &str, data_dir: &DataDir) -> TauriPlugin<R> {
    let key = instance_key(identifier, &canonical(data_dir));
    tracing::debug!(key, "single-instance key for {}", data_dir.root().display());
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(key)
        .callback(launched_again)
        .build()
}

/// `<identifier>.d<16 hex digits of SHA-256 of the directory's path>`: one key per data directory,
/// the same in every build (a std `Hasher` may change between Rust releases), and a valid D-Bus
/// well-known name (the plugin appends `.SingleInstance` and derives the object path from it).
pub fn instance_key(identifier: &str, canonical_data_dir: &Path) -> String {
    let digest = Sha256::digest(canonical_data_dir.as_os_str().as_encoded_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{identifier}.d{hex}")
}

/// The directory's one spelling (symlinks, `..` and relative paths resolved), so every way of
/// naming a directory finds the same instance. The directory is created first, as opening the
/// desk would; if that fails, the absolute path stands in and the desk reports the failure.
fn canonical(data_dir: &DataDir) -> PathBuf {
    let _ = data_dir.ensure_exists();
    let root = data_dir.root();
    root.canonicalize()
        .or_else(|_| std::path::absolute(root))
        .unwrap_or_else(|_| root.to_path_buf())
}

/// Runs in the first instance when a second one starts on its data directory.
fn launched_again<R: Runtime>(app: &AppHandle<R>, args: Vec<String>, cwd: String) {
    tracing::info!(
        ?args,
        cwd,
        "Shipdesk was started again on this data directory; bringing this window to the front"
    );
    crate::usps_events::bring_to_front(app);
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDENTIFIER: &str = "com.shipdesk.desk";

    /// The identifier `run` passes: the one in tauri.conf.json.
    fn configured_identifier() -> String {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        config["identifier"].as_str().unwrap().to_owned()
    }

    #[test]
    fn one_data_directory_one_key_whatever_its_spelling() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("data");
        let same = instance_key(IDENTIFIER, &canonical(&DataDir::at(&dir)));
        let dotted = instance_key(
            IDENTIFIER,
            &canonical(&DataDir::at(base.path().join("data/../data/."))),
        );
        assert_eq!(same, dotted);
        #[cfg(unix)]
        {
            let link = base.path().join("link");
            std::os::unix::fs::symlink(&dir, &link).unwrap();
            assert_eq!(
                same,
                instance_key(IDENTIFIER, &canonical(&DataDir::at(&link)))
            );
        }
    }

    #[test]
    fn different_data_directories_get_different_keys() {
        let base = tempfile::tempdir().unwrap();
        let a = instance_key(IDENTIFIER, &canonical(&DataDir::at(base.path().join("a"))));
        let b = instance_key(IDENTIFIER, &canonical(&DataDir::at(base.path().join("b"))));
        assert_ne!(a, b);
        assert!(a.starts_with("com.shipdesk.desk.d"), "{a}");
    }

    /// A key that changed between releases would let an upgraded app start beside the old one
    /// on the same data directory: the key is pinned (SHA-256 of "/data" begins bd47413b5c03dfc6).
    #[test]
    fn the_key_is_the_same_in_every_build() {
        assert_eq!(
            instance_key(IDENTIFIER, Path::new("/data")),
            "com.shipdesk.desk.dbd47413b5c03dfc6"
        );
    }

    /// A D-Bus well-known name: at most 255 bytes, two or more dot-separated elements of
    /// `[A-Za-z0-9_-]`, none empty or starting with a digit. The plugin fails its setup (the app
    /// would not start) on anything else.
    #[test]
    fn the_key_is_a_valid_dbus_name() {
        let key = instance_key(
            &configured_identifier(),
            Path::new("/home/pat/Shipdesk data/ünïcode"),
        );
        let name = format!("{key}.SingleInstance");
        assert!(name.len() <= 255);
        let elements: Vec<&str> = name.split('.').collect();
        assert!(elements.len() >= 2);
        for element in elements {
            assert!(!element.is_empty(), "{name}");
            assert!(!element.starts_with(|c: char| c.is_ascii_digit()), "{name}");
            assert!(
                element
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
                "{name}"
            );
        }
    }
}
