//! Driving the real Shipdesk binary: one tauri-driver (and so one app) per test, each with a
//! fresh `SHIPDESK_DATA_DIR`. WebDriver cannot answer a native file dialog, so the app's dialogs
//! answer from a file (`SHIPDESK_DIALOG_ANSWERS`) that a test fills with [`App::answer_dialog`]. `cargo xtask test` provides the display, the D-Bus session, the
//! built binary (`SHIPDESK_APP_BIN`) and tauri-driver; outside it the tests say they were
//! skipped, and with `SHIPDESK_E2E=1` a missing piece is a failure, not a skip.
//!
//! When a test fails (panics) its [`App`] takes a screenshot of the screen into
//! `target/e2e-artifacts/<test name>.png`.

use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};

pub mod chromium;
pub mod cli;
pub mod sign_in;
pub mod steps;

/// The file in [`App`]'s `dialogs` folder the app's file dialogs answer from.
const DIALOG_ANSWERS: &str = "dialog-answers.txt";

/// How long one test may drive its app (`SHIPDESK_E2E_TEST_LIMIT_SECS` overrides it). A
/// WebDriver request has no timeout of its own: a webview that stops answering would hold the
/// whole run until CI gives up, so past this limit the driver is killed and the test fails.
const TEST_LIMIT: Duration = Duration::from_secs(300);

pub struct App {
    pub client: Client,
    pub data_dir: tempfile::TempDir,
    /// Holds the answers to the app's file dialogs.
    dialogs: tempfile::TempDir,
    driver: Child,
    name: String,
    artifacts: PathBuf,
    /// Stands the test's watchdog down when the App goes.
    _watchdog: Watchdog,
}

/// What a test needs from the environment, or the reason it cannot run here.
pub fn environment() -> Result<(PathBuf, PathBuf), String> {
    let app = std::env::var_os("SHIPDESK_APP_BIN").map(PathBuf::from);
    let display = std::env::var_os("DISPLAY");
    match (app, display) {
        (Some(app), Some(_)) if app.exists() => Ok((
            app,
            std::env::var_os("TAURI_DRIVER_BIN")
                .map(PathBuf::from)
                .unwrap_or_else(|| "tauri-driver".into()),
        )),
        (Some(app), Some(_)) => Err(format!("the app binary {} does not exist", app.display())),
        _ => Err(
            "no SHIPDESK_APP_BIN or DISPLAY: run the end-to-end tests with `cargo xtask test`"
                .into(),
        ),
    }
}

/// Starts the app for one test, or returns None (after printing why) when the environment is
/// missing and we are not under `cargo xtask test`.
pub async fn launch(test_name: &str) -> Option<App> {
    launch_with_env(test_name, &[]).await
}

/// [`launch`] with extra environment variables for the app (through tauri-driver).
pub async fn launch_with_env(test_name: &str, env: &[(&str, &std::ffi::OsStr)]) -> Option<App> {
    match environment() {
        Ok((app, driver)) => Some(
            App::start(test_name, &app, &driver, env)
                .await
                .expect("the app starts under tauri-driver"),
        ),
        Err(why) if std::env::var_os("SHIPDESK_E2E").is_some() => {
            panic!("end-to-end environment missing: {why}")
        }
        Err(why) => {
            println!("SKIPPED {test_name}: {why}");
            None
        }
    }
}

/// How many times a test tries to start its app before failing.
const START_ATTEMPTS: u32 = 3;

/// Starts tauri-driver (which starts the app on the first session request) on free ports, in
/// its own process group; the driver, its watchdog and its port.
fn spawn_driver(
    name: &str,
    driver_bin: &PathBuf,
    data_dir: &std::path::Path,
    dialogs: &std::path::Path,
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<(Child, Watchdog, u16)> {
    let (port, native_port) = (free_port(), free_port());
    let driver = Command::new(driver_bin)
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("SHIPDESK_DATA_DIR", data_dir)
        .env("SHIPDESK_DIALOG_ANSWERS", dialogs.join(DIALOG_ANSWERS))
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        // Its own process group: WebKitWebDriver and the app go with it (`stop_driver`).
        .process_group(0)
        .spawn()
        .with_context(|| format!("starting {}", driver_bin.display()))?;
    let watchdog = Watchdog::start(name, driver.id());
    if let Err(e) = wait_for_port(port, Duration::from_secs(20)) {
        stop_driver(driver.id());
        return Err(e);
    }
    Ok((driver, watchdog, port))
}

/// A WebDriver session with the app through tauri-driver on `port`.
async fn connect(port: u16, app: &PathBuf) -> Result<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app }),
    );
    ClientBuilder::rustls()
        .context("TLS setup")?
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .context("creating a WebDriver session for the app")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl App {
    async fn start(
        name: &str,
        app: &PathBuf,
        driver_bin: &PathBuf,
        env: &[(&str, &std::ffi::OsStr)],
    ) -> Result<Self> {
        let data_dir = tempfile::Builder::new().prefix("shipdesk-e2e-").tempdir()?;
        let dialogs = tempfile::Builder::new()
            .prefix("shipdesk-e2e-dialogs-")
            .tempdir()?;
        // tauri-driver answers on its port before its WebKitWebDriver does; on a loaded machine
        // the first session request can find nobody behind it. Start over a few times.
        let mut attempt = 1;
        let (driver, watchdog, client) = loop {
            let (driver, watchdog, port) =
                spawn_driver(name, driver_bin, data_dir.path(), dialogs.path(), env)?;
            match connect(port, app).await {
                Ok(client) => break (driver, watchdog, client),
                Err(e) if attempt < START_ATTEMPTS => {
                    eprintln!("{name}: starting the app, attempt {attempt} failed: {e:#}; again");
                    let mut driver = driver;
                    stop_driver(driver.id());
                    let _ = driver.wait();
                    drop(watchdog);
                    attempt += 1;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => {
                    let mut driver = driver;
                    stop_driver(driver.id());
                    let _ = driver.wait();
                    return Err(e);
                }
            }
        };
        let artifacts = std::env::var_os("SHIPDESK_E2E_ARTIFACTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-artifacts")
            });
        Ok(Self {
            client,
            data_dir,
            dialogs,
            driver,
            name: name.to_owned(),
            artifacts,
            _watchdog: watchdog,
        })
    }

    /// Waits (up to 20 s) for an element matching the CSS selector.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element matches `{css}`: {e}"))
    }

    /// Waits until the element matching `css` contains `text`; returns its full text.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> String {
        let start = Instant::now();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(t) = el.text().await
                && t.contains(text)
            {
                return t;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("`{css}` never showed \"{text}\"");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// What the user picks in the app's next file dialog: `path` (an empty one cancels it).
    pub fn answer_dialog(&self, path: &std::path::Path) {
        use std::io::Write as _;
        let mut answers = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dialogs.path().join(DIALOG_ANSWERS))
            .expect("the dialog answers file opens");
        writeln!(answers, "{}", path.display()).expect("the dialog answer is written");
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking `{css}`: {e}"));
    }

    /// Where this test's artifact `file` goes (the folder exists).
    pub fn artifact(&self, file: &str) -> PathBuf {
        let _ = std::fs::create_dir_all(&self.artifacts);
        self.artifacts.join(format!("{}-{file}", self.name))
    }

    /// Saves a screenshot of the whole virtual screen under the artifacts folder. WebKitGTK
    /// paints the X window a moment after the DOM changes, so it waits for that first.
    pub fn screenshot(&self, label: &str) -> PathBuf {
        std::thread::sleep(Duration::from_millis(600));
        let _ = std::fs::create_dir_all(&self.artifacts);
        let path = self.artifacts.join(format!("{}-{label}.png", self.name));
        let _ = Command::new("import")
            .args(["-window", "root"])
            .arg(&path)
            .status();
        path
    }

    pub async fn close(mut self) {
        let client = self.client.clone();
        let _ = client.close().await;
        stop_driver(self.driver.id());
        let _ = self.driver.wait();
        self.name.clear(); // closed cleanly: nothing to capture on drop
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if std::thread::panicking() && !self.name.is_empty() {
            let shot = self.screenshot("failure");
            eprintln!("screenshot of the failure: {}", shot.display());
        }
        stop_driver(self.driver.id());
        let _ = self.driver.wait();
    }
}

/// Kills tauri-driver's process group: the driver, its WebKitWebDriver and the app. Killing
/// only the driver would leave the other two running into the next test.
fn stop_driver(driver_pid: u32) {
    let _ = Command::new("kill")
        .args(["-9", "--", &format!("-{driver_pid}")])
        .stderr(Stdio::null())
        .status();
}

/// Kills the test's tauri-driver (and with it the pending WebDriver request) once the test has
/// run longer than [`TEST_LIMIT`], unless it was dropped first.
struct Watchdog(Arc<AtomicBool>);

impl Watchdog {
    fn start(name: &str, driver_pid: u32) -> Self {
        let limit = std::env::var("SHIPDESK_E2E_TEST_LIMIT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(TEST_LIMIT);
        let finished = Arc::new(AtomicBool::new(false));
        let flag = finished.clone();
        let name = name.to_owned();
        std::thread::spawn(move || {
            let start = Instant::now();
            while !flag.load(Ordering::SeqCst) {
                if start.elapsed() > limit {
                    eprintln!(
                        "{name}: still running after {} s; stopping its tauri-driver",
                        limit.as_secs()
                    );
                    stop_driver(driver_pid);
                    return;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        });
        Self(finished)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn wait_for_port(port: u16, limit: Duration) -> Result<()> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("tauri-driver did not listen on port {port}")
}
