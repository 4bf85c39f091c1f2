//! The app's own commands and what every command shares: unknown names are refused, and a data
//! directory that could not be opened answers every call with its error.

use serde_json::json;
use shipdesk_core::{AppError, ErrorCode};

use super::{TestApp, app_with, call};
use crate::AppState;

#[test]
fn doctor_reports_the_data_directory() {
    let t = TestApp::new();
    let report = t.ok("doctor", json!({}));
    assert_eq!(report["data_dir"], t.path("data"));
    assert_eq!(report["environment"], "sandbox");
    assert!(report["schema_version"].as_u64().unwrap() >= 1, "{report}");
    // Sign in with USPS outside Sandbox: TEM's and Production's platform app, or why there is
    // none (a fresh data directory has no usps-platform-apps.toml).
    let platform_apps = report["platform_apps"].as_array().expect("platform apps");
    let environments: Vec<_> = platform_apps.iter().map(|s| &s["environment"]).collect();
    assert_eq!(
        environments,
        [&json!("tem"), &json!("production")],
        "{report}"
    );
    let data_file = format!("{}/usps-platform-apps.toml", t.path("data"));
    for status in platform_apps {
        assert!(
            status["app"].is_object() || status["problem"].as_str().unwrap().contains(&data_file),
            "{status}"
        );
    }
}

#[test]
fn app_ready_answers_elapsed_milliseconds() {
    let t = TestApp::new();
    let first = t.ok("app_ready", json!({})).as_u64().expect("a number");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let later = t.ok("app_ready", json!({})).as_u64().unwrap();
    assert!(later >= first + 5, "{first} then {later}");
}

#[test]
fn unknown_commands_are_rejected() {
    let t = TestApp::new();
    assert_eq!(
        t.err("no_such_command", json!({})),
        "Command no_such_command not found"
    );
}

#[test]
fn a_failed_start_reaches_the_ui_as_the_error_contract() {
    let failure = AppError::new(ErrorCode::DatabaseTooNew, "written by a newer Shipdesk");
    let (_app, window) = app_with(AppState::with_desk(Err(failure)));
    assert_eq!(
        call(&window, "doctor", json!({})).unwrap_err(),
        json!({"code": "DATABASE_TOO_NEW", "message": "written by a newer Shipdesk"})
    );
    assert_eq!(
        call(&window, "app_ready", json!({})).unwrap_err()["code"],
        "DATABASE_TOO_NEW"
    );
}
