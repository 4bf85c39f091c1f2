//! Signing in with USPS in the Sandbox as a user does: the app (started with
//! `SHIPDESK_OPENER_LOG`) "opens" the consent address by appending it to a file; a real headless
//! Chromium completes the simulator's consent pages (sign in, terms, Authorize & Continue, Go to
//! Shipdesk) and lands on the app's loopback listener.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::chromium::Chromium;
use crate::{App, launch_with_env};

/// Where the app "opens" sign-in addresses (instead of a browser), and a loopback port of its
/// own for USPS's answer (8765 may be busy on a shared machine).
pub struct SignInSetup {
    _scratch: tempfile::TempDir,
    pub opener_log: PathBuf,
    port: String,
}

impl SignInSetup {
    pub fn new() -> Self {
        let scratch = tempfile::tempdir().unwrap();
        let opener_log = scratch.path().join("opened-urls.txt");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
            .to_string();
        Self {
            _scratch: scratch,
            opener_log,
            port,
        }
    }

    /// Starts the app for the test `name`, set up this way.
    pub async fn launch(&self, name: &str) -> Option<App> {
        let env = [
            ("SHIPDESK_OPENER_LOG", self.opener_log.as_os_str()),
            ("SHIPDESK_USPS_REDIRECT_PORT", OsStr::new(&self.port)),
        ];
        launch_with_env(name, &env).await
    }
}

impl Default for SignInSetup {
    fn default() -> Self {
        Self::new()
    }
}

/// The last address the app "opened" (appended to the opener log), once there is a new one.
pub async fn next_opened_url(log: &Path, already: usize) -> String {
    let start = Instant::now();
    loop {
        let lines: Vec<String> = std::fs::read_to_string(log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        if lines.len() > already {
            return lines.last().unwrap().clone();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the app never opened a sign-in address"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Completes the consent pages at `url` as the simulator's user `username`; the page the app
/// answered with.
pub async fn consent_in_chromium(url: &str, username: &str) -> String {
    let browser = Chromium::start().await.expect("headless Chromium starts");
    browser
        .client
        .goto(url)
        .await
        .expect("the consent page opens");
    browser
        .find("#username")
        .await
        .send_keys(username)
        .await
        .unwrap();
    browser
        .find("#password")
        .await
        .send_keys("shipdesk-demo")
        .await
        .unwrap();
    browser.find("#sign-in").await.click().await.unwrap();
    browser.find("#agree").await.click().await.unwrap();
    browser.find("#authorize").await.click().await.unwrap();
    browser.find("#go-to-platform").await.click().await.unwrap();
    // The app's one-shot listener answers the browser with a page saying it may be closed.
    let start = Instant::now();
    let page = loop {
        let here = browser.client.current_url().await.unwrap();
        if here.path() == "/usps/callback" {
            break browser.find("body").await.text().await.unwrap();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "Chromium never came back to the app ({here})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    browser.close().await;
    page
}

/// The app opened a new consent address: the UI shows it, and Chromium completes it.
pub async fn complete_sign_in(app: &App, opener_log: &Path, opened_before: usize) {
    complete_sign_in_as(app, opener_log, opened_before, "demo").await
}

/// [`complete_sign_in`] as the simulator's user `username`.
pub async fn complete_sign_in_as(
    app: &App,
    opener_log: &Path,
    opened_before: usize,
    username: &str,
) {
    app.wait_for_text("[data-testid=sign-in-waiting]", "Waiting for USPS sign-in")
        .await;
    let url = next_opened_url(opener_log, opened_before).await;
    let shown = app
        .find("[data-field=consent-url]")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        shown.as_deref(),
        Some(url.as_str()),
        "the UI shows the address it opened"
    );
    let back_page = consent_in_chromium(&url, username).await;
    assert!(back_page.contains("Signed in to USPS"), "{back_page}");
}

/// How many addresses the app has opened so far.
pub fn opened_count(log: &Path) -> usize {
    std::fs::read_to_string(log)
        .map(|s| s.lines().count())
        .unwrap_or(0)
}
