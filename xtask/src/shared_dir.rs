//! Where tests find `../shared` — the folder beside the checkout that holds the official USPS
//! OpenAPI files and the sample order exports — and what they do when it is missing.
//!
//! Outside `cargo xtask test` a missing folder is announced with a `SKIPPED: …` line and the test
//! passes, so the crates stay testable on their own. `cargo xtask test` sets
//! [`REQUIRE_SHARED_VAR`]: there a missing folder fails the test, so a full run cannot go green
//! without the checks that need it. [`SHARED_DIR_VAR`] points the tests at another copy.
//!
//! One file, included with `#[path]` by every test that reads `../shared` and by xtask, which sets
//! the variable, so the names and the rule are written once.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Set (to anything but `0`) by `cargo xtask test`: a missing `../shared` fails the test.
pub const REQUIRE_SHARED_VAR: &str = "SHIPDESK_REQUIRE_SHARED";

/// The shared folder to use instead of the one beside the checkout.
pub const SHARED_DIR_VAR: &str = "SHIPDESK_SHARED_DIR";

/// `relative` inside the shared folder, or `None` after printing `SKIPPED: …` when it is
/// missing. Panics when it is missing and [`REQUIRE_SHARED_VAR`] is set.
pub fn shared_path(relative: &str) -> Option<PathBuf> {
    let beside_checkout = checkout_root().join("../shared");
    match locate(relative, &beside_checkout, |name| std::env::var_os(name)) {
        Ok(found) => found,
        Err(required) => panic!("{required}"),
    }
}

/// The decision, with the environment passed in: `Ok(Some(path))` when it exists, `Ok(None)`
/// (after the `SKIPPED` line) when it does not and is not required, `Err(message)` when it is.
pub fn locate(
    relative: &str,
    beside_checkout: &Path,
    var: impl Fn(&str) -> Option<OsString>,
) -> Result<Option<PathBuf>, String> {
    let root = var(SHARED_DIR_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| beside_checkout.to_path_buf());
    let path = root.join(relative);
    if path.exists() {
        return Ok(Some(path));
    }
    let required = var(REQUIRE_SHARED_VAR).is_some_and(|v| !v.is_empty() && v != "0");
    if required {
        return Err(format!(
            "../shared is required under cargo xtask test: {} not found \
             (put the shared folder beside the checkout, or point {SHARED_DIR_VAR} at it)",
            path.display()
        ));
    }
    println!("SKIPPED: ../shared not found ({})", path.display());
    Ok(None)
}

/// The workspace root: the nearest ancestor of the including crate's manifest directory that
/// holds `Cargo.lock`.
fn checkout_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .unwrap_or(manifest_dir)
        .to_path_buf()
}
