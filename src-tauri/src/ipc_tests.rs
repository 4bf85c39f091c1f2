//! IPC tests: the real command handlers behind tauri's mock runtime, checked by command name,
//! arguments as the UI sends them (camelCase) and the JSON that reaches the UI, including the
//! error contract. Every command in `commands/list.rs` has one (`commands_agree` checks).
//!
//! Desks here keep secrets in memory (no keyring in tests), log sign-in addresses to a file,
//! print into a [`RecordingPrinter`] and use a redirect port of their own; USPS is the Sandbox
//! demo account's in-process simulator. File dialogs answer from a file the test writes
//! ([`TestApp::answer_dialog`]), as in the end-to-end tests.

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use shipdesk_core::carriers::ConnectionsConfig;
use shipdesk_core::ports::MemorySecretStore;
use shipdesk_core::shipping::{Printer, SystemPrinter};
use shipdesk_core::{AppError, DataDir, Desk};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder, ipc::InvokeBody};

use crate::AppState;
use crate::opener::FileLogOpener;
use crate::picked_paths::Dialogs;

mod app;
mod carriers;
mod commands_agree;
mod orders;
mod picked_paths;
mod postage;
mod printing;
mod purchases_to_check;
mod reports;
mod shipping;

type Window = WebviewWindow<MockRuntime>;

fn app_with(state: AppState) -> (tauri::App<MockRuntime>, Window) {
    let app = crate::configure(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("app builds");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("window");
    (app, window)
}

/// Invokes `cmd` with `args` as the UI would; the command's answer or its rejection as JSON.
fn call(window: &Window, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Keeps every print job (its name, PDF and printer) instead of reaching a printer; the system
/// has two printers, the laser one its default.
#[derive(Default)]
struct RecordingPrinter {
    jobs: Mutex<Vec<(String, Vec<u8>)>>,
    targets: Mutex<Vec<Option<String>>>,
}

impl RecordingPrinter {
    fn job_names(&self) -> Vec<String> {
        let jobs = self.jobs.lock().unwrap();
        jobs.iter().map(|(name, _)| name.clone()).collect()
    }

    fn all_pdfs(&self) -> bool {
        let jobs = self.jobs.lock().unwrap();
        jobs.iter().all(|(_, pdf)| pdf.starts_with(b"%PDF"))
    }

    /// The printer of each job (None: the system default).
    fn targets(&self) -> Vec<Option<String>> {
        self.targets.lock().unwrap().clone()
    }
}

impl Printer for RecordingPrinter {
    fn print_pdf(&self, pdf: &[u8], job_name: &str, printer: Option<&str>) -> Result<(), AppError> {
        self.jobs
            .lock()
            .unwrap()
            .push((job_name.to_owned(), pdf.to_vec()));
        self.targets
            .lock()
            .unwrap()
            .push(printer.map(str::to_owned));
        Ok(())
    }

    fn printers(&self) -> Result<Vec<SystemPrinter>, AppError> {
        Ok(vec![
            SystemPrinter {
                name: "Laser_Office".into(),
                is_default: true,
            },
            SystemPrinter {
                name: "Rollo_X1040".into(),
                is_default: false,
            },
        ])
    }
}

/// A desk over `dir/data` built the way the app builds its own, with test ports.
struct TestDesk {
    desk: Desk,
    printer: Arc<RecordingPrinter>,
    redirect_port: u16,
}

fn test_desk(dir: &Path) -> TestDesk {
    let printer = Arc::new(RecordingPrinter::default());
    let redirect_port = free_port();
    let desk = Desk::builder(DataDir::at(dir.join("data")))
        .secrets(Arc::new(MemorySecretStore::default()))
        .opener(Arc::new(FileLogOpener::new(dir.join("opened.txt"))))
        .printer(printer.clone())
        .sandbox(shipdesk_sandbox::UspsSimSandbox::host())
        .usps(ConnectionsConfig {
            redirect_port,
            ..ConnectionsConfig::default()
        })
        .sandbox(shipdesk_sandbox::UspsSimSandbox::host())
        .build()
        .unwrap();
    TestDesk {
        desk,
        printer,
        redirect_port,
    }
}

/// An app over a fresh test desk; the temporary directory lives as long as the returned guard.
struct TestApp {
    dir: tempfile::TempDir,
    app: tauri::App<MockRuntime>,
    window: Window,
    printer: Arc<RecordingPrinter>,
    redirect_port: u16,
}

impl TestApp {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let TestDesk {
            desk,
            printer,
            redirect_port,
        } = test_desk(dir.path());
        let answers = Dialogs::Answers(dir.path().join("dialog-answers.txt"));
        let (app, window) = app_with(AppState::with_desk(Ok(desk)).with_dialogs(answers));
        Self {
            dir,
            app,
            window,
            printer,
            redirect_port,
        }
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        call(&self.window, cmd, args)
    }

    /// A command that must succeed.
    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// A command that must fail; its error.
    fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} succeeded: {v}"),
            Err(e) => e,
        }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// The user's answer to the next file dialog: a path, or "" to cancel it.
    fn answer_dialog(&self, answer: &str) {
        use std::io::Write as _;
        let mut answers = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("dialog-answers.txt"))
            .unwrap();
        writeln!(answers, "{answer}").unwrap();
    }

    /// Picks the file `name` in the import dialog, as the user would; its path.
    fn pick_order_file(&self, name: &str) -> String {
        self.answer_dialog(&self.path(name));
        let picked = self.ok("orders_import_pick_file", json!({}));
        assert_eq!(picked, json!(self.path(name)));
        self.path(name)
    }

    /// Picks `name` (ending in .pdf) in the Save dialog, as the user would; its path.
    fn pick_pdf_path(&self, name: &str) -> String {
        self.answer_dialog(&self.path(name));
        let picked = self.ok("pdf_pick_save_path", json!({"defaultName": name}));
        assert_eq!(picked, json!(self.path(name)));
        self.path(name)
    }
}

/// An address the Sandbox simulator knows.
fn address(name: &str, street1: &str, city: &str, state: &str, zip5: &str) -> Value {
    json!({"name": name, "company": null, "street1": street1, "street2": null, "city": city,
           "state": state, "zip5": zip5, "zip4": null, "country": "US", "phone": null,
           "email": null})
}
