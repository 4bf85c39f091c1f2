//! IPC tests: the real command handlers behind tauri's mock runtime, checked by command name,
//! arguments and the JSON that reaches the UI (including the error contract).

use shipdesk_core::{DataDir, Desk};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindowBuilder, ipc::InvokeBody};

use crate::AppState;

mod carriers;
mod shipping;

fn app_with(
    state: AppState,
) -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
) {
    let app = crate::configure(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("app builds");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("window");
    (app, window)
}

fn invoke(
    window: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
) -> Result<serde_json::Value, serde_json::Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::default(),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<serde_json::Value>().unwrap())
}

#[test]
fn doctor_round_trips_through_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(DataDir::at(dir.path())).unwrap();
    let (_app, window) = app_with(AppState::with_desk(Ok(desk)));
    let report = invoke(&window, "doctor").expect("doctor succeeds");
    assert_eq!(report["data_dir"], dir.path().display().to_string());
    assert_eq!(report["environment"], "sandbox");
    assert!(report["schema_version"].as_u64().unwrap() >= 1);
}

#[test]
fn app_ready_answers_elapsed_milliseconds() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(DataDir::at(dir.path())).unwrap();
    let (_app, window) = app_with(AppState::with_desk(Ok(desk)));
    assert!(invoke(&window, "app_ready").unwrap().is_u64());
}

#[test]
fn unknown_commands_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app_with(AppState::with_desk(Desk::open(DataDir::at(dir.path()))));
    assert!(invoke(&window, "no_such_command").is_err());
}

#[test]
fn a_failed_start_reaches_the_ui_as_the_error_contract() {
    let failure = shipdesk_core::AppError::new(
        shipdesk_core::ErrorCode::DatabaseTooNew,
        "written by a newer Shipdesk",
    );
    let (_app, window) = app_with(AppState::with_desk(Err(failure)));
    let err = invoke(&window, "doctor").unwrap_err();
    assert_eq!(
        err,
        serde_json::json!({"code": "DATABASE_TOO_NEW", "message": "written by a newer Shipdesk"})
    );
    assert_eq!(
        invoke(&window, "app_ready").unwrap_err()["code"],
        "DATABASE_TOO_NEW"
    );
}
