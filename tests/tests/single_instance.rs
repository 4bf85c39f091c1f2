//! Starting Shipdesk twice, as a user double-clicking its icon does: the real app binary, run
//! directly (not through tauri-driver, which would start a WebDriver session per app), on the
//! display and in the D-Bus session `cargo xtask test` provides.
//!
//! A second launch on the same data directory hands over to the first (which logs it and comes
//! to the front) and exits at once with status 0; a launch on another data directory runs beside
//! it; without a D-Bus session bus the app still starts. Each app says it is up by writing
//! `SHIPDESK_READY_FILE` once its window is interactive.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The logged line (src-tauri/src/single_instance.rs) that shows the first app got the call.
const HANDED_OVER: &str = "Shipdesk was started again on this data directory";

#[test]
fn a_second_launch_on_one_data_directory_hands_over_to_the_first() {
    let Some(app) = app_binary("a_second_launch_on_one_data_directory_hands_over_to_the_first")
    else {
        return;
    };
    let scratch = tempfile::Builder::new()
        .prefix("shipdesk-e2e-single-")
        .tempdir()
        .unwrap();
    let shared = scratch.path().join("shared-data");
    let mut first = Running::start(&app, &shared, scratch.path(), "first", &[]);
    first.wait_until_ready();

    let mut second = Running::start(&app, &shared, scratch.path(), "second", &[]);
    let status = second.wait_for_exit(Duration::from_secs(20));
    assert!(
        status.success(),
        "the second launch exits with status 0, not {status}; its log:\n{}",
        second.log()
    );
    assert!(
        !second.ready_file.exists(),
        "the second launch never opened a window"
    );
    first.wait_for_log(HANDED_OVER);
    assert!(first.is_running(), "the first app keeps running");

    let elsewhere = scratch.path().join("other-data");
    let mut other = Running::start(&app, &elsewhere, scratch.path(), "other", &[]);
    other.wait_until_ready();
    assert!(first.is_running() && other.is_running());
    assert!(
        !other.log().contains(HANDED_OVER) && first.log().matches(HANDED_OVER).count() == 1,
        "a launch on another data directory does not reach the first app"
    );
}

#[test]
fn without_a_session_bus_the_app_still_starts() {
    let Some(app) = app_binary("without_a_session_bus_the_app_still_starts") else {
        return;
    };
    let scratch = tempfile::Builder::new()
        .prefix("shipdesk-e2e-nobus-")
        .tempdir()
        .unwrap();
    let no_bus = format!("unix:path={}", scratch.path().join("no-bus").display());
    let data = scratch.path().join("data");
    let mut app = Running::start(
        &app,
        &data,
        scratch.path(),
        "nobus",
        &[("DBUS_SESSION_BUS_ADDRESS", &no_bus)],
    );
    app.wait_until_ready();
    assert!(
        app.log().contains("launching normally"),
        "the app says it runs without the single-instance check; its log:\n{}",
        app.log()
    );
}

/// The app binary, or None (after saying why) outside `cargo xtask test`; under it
/// (`SHIPDESK_E2E=1`) a missing environment fails the test.
fn app_binary(test_name: &str) -> Option<PathBuf> {
    match shipdesk_e2e::environment() {
        Ok((app, _driver)) => Some(app),
        Err(why) if std::env::var_os("SHIPDESK_E2E").is_some() => {
            panic!("end-to-end environment missing: {why}")
        }
        Err(why) => {
            println!("SKIPPED {test_name}: {why}");
            None
        }
    }
}

/// One app process with its own ready file and log; killed when dropped.
struct Running {
    child: Child,
    name: String,
    ready_file: PathBuf,
    log_file: PathBuf,
}

impl Running {
    fn start(
        app: &Path,
        data_dir: &Path,
        scratch: &Path,
        name: &str,
        env: &[(&str, &str)],
    ) -> Self {
        let ready_file = scratch.join(format!("{name}-ready.json"));
        let log_file = scratch.join(format!("{name}.log"));
        let log = File::create(&log_file).unwrap();
        let child = Command::new(app)
            .env("SHIPDESK_DATA_DIR", data_dir)
            .env("SHIPDESK_READY_FILE", &ready_file)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", app.display()));
        Self {
            child,
            name: name.to_owned(),
            ready_file,
            log_file,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log_file).unwrap_or_default()
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    fn wait_until_ready(&mut self) {
        let start = Instant::now();
        while !self.ready_file.exists() {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "the {} app exited ({status}) before its window was ready; its log:\n{}",
                    self.name,
                    self.log()
                );
            }
            assert!(
                start.elapsed() < Duration::from_secs(90),
                "the {} app's window was not ready after 90 s; its log:\n{}",
                self.name,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_for_exit(&mut self, limit: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < limit,
                "the {} app was still running after {} s; its log:\n{}",
                self.name,
                limit.as_secs(),
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for_log(&self, text: &str) {
        let start = Instant::now();
        while !self.log().contains(text) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the {} app never logged \"{text}\"; its log:\n{}",
                self.name,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
