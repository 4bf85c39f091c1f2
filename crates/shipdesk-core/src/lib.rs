//! Shipdesk's core: the domain, the SQLite store and the services the app and the CLI share.
//!
//! This crate never depends on tauri, an HTTP server or a UI toolkit, so its tests build and run
//! in seconds. Everything with side effects outside the database (clock, URL opener, secret
//! store, paths) is handed in through [`ports`], so tests inject fakes.

pub mod carriers;
pub mod desk;
pub mod doctor;
pub mod environment;
pub mod error;
pub mod orders;
pub mod paths;
pub mod ports;
pub mod postage;
pub mod reports;
pub mod settings;
pub mod shipping;
pub mod store;

pub use desk::Desk;
pub use environment::Environment;
pub use error::{AppError, ErrorCode, ErrorDetails};
/// Reading order files lives with the orders it produces; this path is kept for callers.
pub use orders::import;
pub use paths::DataDir;
pub use store::Store;

/// The version of this build, shown by `shipdesk doctor` and the About box.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How this binary was built: profile, platform, and the commit when whoever built it said
/// (`SHIPDESK_GIT_COMMIT` at build time; a source build without it does not guess).
pub fn build_description() -> String {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let commit = option_env!("SHIPDESK_GIT_COMMIT")
        .map(|c| format!(", commit {c}"))
        .unwrap_or_default();
    format!(
        "{profile} build for {}-{}{commit}",
        std::env::consts::ARCH,
        std::env::consts::OS
    )
}
