//! Building the UI and the app binary the way users and the end-to-end tests run it: the UI
//! embedded through tauri's `custom-protocol` feature, so the window never points at a dev server.

use std::path::PathBuf;
use std::process::Command;

use anyhow::Result;

use crate::sh::{self, say};

pub fn ui() -> Result<()> {
    say("Building the UI (ui/dist)");
    sh::run(
        Command::new("npm")
            .args(["run", "build"])
            .current_dir(sh::root().join("ui")),
    )
}

/// Builds the desktop app (debug profile) and returns the binary's path.
pub fn app() -> Result<PathBuf> {
    ui()?;
    say("Building the desktop app (the first build of tauri takes several minutes)");
    sh::run(sh::cargo().args([
        "build",
        "-p",
        "shipdesk-app",
        "--features",
        "custom-protocol",
    ]))?;
    Ok(target_dir().join("debug").join("shipdesk-app"))
}

/// Builds the `shipdesk` command (debug profile) and returns the binary's path: end-to-end tests
/// run it beside the app on one data directory.
pub fn cli() -> Result<PathBuf> {
    say("Building the shipdesk command");
    sh::run(sh::cargo().args(["build", "-p", "shipdesk-cli"]))?;
    Ok(target_dir().join("debug").join("shipdesk"))
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| sh::root().join("target"))
}
