//! The rule of `shared_dir.rs`, with the environment passed in: found, skipped, or failed.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::shared_dir::{REQUIRE_SHARED_VAR, SHARED_DIR_VAR, locate};

const MISSING: &str = "/nonexistent/shipdesk-shared";

fn vars(pairs: &[(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
    let pairs = pairs.to_vec();
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| OsString::from(v))
    }
}

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_present_folder_is_used_whether_required_or_not() {
    let expected = Some(here().join("Cargo.toml"));
    assert_eq!(
        locate("Cargo.toml", here(), vars(&[])),
        Ok(expected.clone())
    );
    let required = vars(&[(REQUIRE_SHARED_VAR, "1")]);
    assert_eq!(locate("Cargo.toml", here(), required), Ok(expected));
}

#[test]
fn a_missing_folder_is_skipped_outside_xtask() {
    let beside = Path::new(MISSING);
    assert_eq!(locate("usps/openapi", beside, vars(&[])), Ok(None));
    let switched_off = vars(&[(REQUIRE_SHARED_VAR, "0")]);
    assert_eq!(locate("usps/openapi", beside, switched_off), Ok(None));
}

#[test]
fn a_missing_folder_fails_under_xtask_naming_the_path() {
    let required = vars(&[(REQUIRE_SHARED_VAR, "1")]);
    let message = locate("usps/openapi", Path::new(MISSING), required).unwrap_err();
    assert!(
        message.starts_with("../shared is required under cargo xtask test: "),
        "{message}"
    );
    let path = PathBuf::from(MISSING).join("usps/openapi");
    assert!(message.contains(&path.display().to_string()), "{message}");
}

#[test]
fn the_override_replaces_the_folder_beside_the_checkout() {
    let to_missing = vars(&[(SHARED_DIR_VAR, MISSING), (REQUIRE_SHARED_VAR, "1")]);
    assert!(locate("Cargo.toml", here(), to_missing).is_err());
    let to_here = vars(&[(SHARED_DIR_VAR, env!("CARGO_MANIFEST_DIR"))]);
    assert_eq!(
        locate("Cargo.toml", Path::new(MISSING), to_here),
        Ok(Some(here().join("Cargo.toml")))
    );
}
