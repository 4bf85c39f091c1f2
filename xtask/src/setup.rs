//! Installs what a fresh Debian/Ubuntu machine lacks: the WebKitGTK build packages, Xvfb and the
//! tools the tests use, Node packages for ui/, and tauri-driver. Idempotent: each step checks
//! first and says what it does. Without root it prints the exact command instead of failing
//! obscurely.

use std::process::Command;

use anyhow::{Result, bail};

use crate::sh::{self, say};

/// Packages to build and run the app.
const APP_PACKAGES: &[&str] = &[
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "xvfb",
    "xauth",
    "dbus-x11",
    "gnome-keyring",
    "imagemagick",
];

/// Extra packages the tests use: the WebDriver for WebKitGTK, PDF and barcode checks, a real
/// browser for the USPS consent pages, and the sqlite3 shell for the import benchmark.
const TEST_PACKAGES: &[&str] = &[
    "webkit2gtk-driver",
    "poppler-utils",
    "zbar-tools",
    "chromium",
    "chromium-driver",
    "sqlite3",
];

/// libFuzzer is C++: `libfuzzer-sys` compiles it for the fuzz targets.
const FUZZ_PACKAGES: &[&str] = &["g++"];

const TAURI_DRIVER_VERSION: &str = "2.1.0";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    App,
    Test,
}

pub fn ensure(purpose: Purpose) -> Result<()> {
    let mut wanted: Vec<&str> = APP_PACKAGES.to_vec();
    if purpose == Purpose::Test {
        wanted.extend_from_slice(TEST_PACKAGES);
        wanted.extend_from_slice(FUZZ_PACKAGES);
    }
    // Node may come from elsewhere (NodeSource, nvm) with npm inside it: ask for Debian's
    // only when there is no node at all.
    if !sh::have("node") || !sh::have("npm") {
        wanted.extend_from_slice(&["nodejs", "npm"]);
    }
    ensure_debian_packages(&wanted)?;
    ensure_ui_packages()?;
    if purpose == Purpose::Test {
        ensure_tauri_driver()?;
    }
    Ok(())
}

/// What `cargo xtask fuzz` needs beyond Rust.
pub fn ensure_fuzzing() -> Result<()> {
    ensure_debian_packages(FUZZ_PACKAGES)
}

fn is_installed(pkg: &str) -> bool {
    sh::output(Command::new("dpkg-query").args(["-W", "-f=${Status}", pkg]))
        .is_some_and(|s| s.contains("install ok installed"))
}

fn ensure_debian_packages(wanted: &[&str]) -> Result<()> {
    if !sh::have("dpkg-query") {
        say(
            "Not a Debian/Ubuntu system: skipping system packages (install the WebKitGTK 4.1 development packages yourself)",
        );
        return Ok(());
    }
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|p| !is_installed(p))
        .collect();
    if missing.is_empty() {
        say("System packages: all present");
        return Ok(());
    }
    let list = missing.join(" ");
    let is_root = sh::output(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0");
    if !is_root {
        bail!(
            "these Debian packages are missing: {list}\nRun this, then try again:\n\n    sudo apt-get update && sudo apt-get install -y {list}\n"
        );
    }
    say(&format!("Installing Debian packages: {list}"));
    sh::run(Command::new("apt-get").args(["update", "-q"]))?;
    sh::run(
        Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn ensure_ui_packages() -> Result<()> {
    let ui = sh::root().join("ui");
    let stamp = ui.join("node_modules/.package-lock.json");
    let lock = ui.join("package-lock.json");
    let fresh = match (std::fs::metadata(&stamp), std::fs::metadata(&lock)) {
        (Ok(s), Ok(l)) => s.modified()? >= l.modified()?,
        _ => false,
    };
    if fresh {
        say("UI packages: up to date");
        return Ok(());
    }
    // `npm install`, not `npm ci`: it installs the versions the committed lockfile pins, and it
    // tolerates registries that serve only some of a package's platform-specific optional
    // dependencies (as the one this project is built against does), where `npm ci` refuses.
    say("Installing the UI's Node packages (npm install, as pinned by ui/package-lock.json)");
    sh::run(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund"])
            .current_dir(&ui),
    )
}

fn ensure_tauri_driver() -> Result<()> {
    // tauri-driver has no --version; cargo's own list of installed binaries says which we have.
    let wanted = format!("tauri-driver v{TAURI_DRIVER_VERSION}:");
    let listed = sh::output(Command::new("cargo").args(["install", "--list"]))
        .is_some_and(|list| list.lines().any(|l| l.trim() == wanted));
    if listed {
        say(&format!("tauri-driver {TAURI_DRIVER_VERSION}: present"));
        return Ok(());
    }
    say(&format!(
        "Installing tauri-driver {TAURI_DRIVER_VERSION} (cargo install, a few minutes)"
    ));
    sh::run(Command::new("cargo").args([
        "install",
        "tauri-driver",
        "--version",
        TAURI_DRIVER_VERSION,
        "--locked",
    ]))
}

/// Where `cargo install` puts binaries, for when ~/.cargo/bin is not on PATH.
pub fn cargo_bin(name: &str) -> std::path::PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    home.join("bin").join(name)
}
