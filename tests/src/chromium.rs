//! A real headless Chromium (Debian's `chromium` + `chromedriver`) for the pages the app sends
//! the user to outside its window — the USPS consent pages of the Sandbox simulator. The app
//! itself is driven through tauri-driver ([`crate::App`]); this is a second, independent
//! WebDriver session with a fresh profile.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::{Client, ClientBuilder, Locator, elements::Element};

pub struct Chromium {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn binary(env: &str, default: &str) -> PathBuf {
    std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| default.into())
}

impl Chromium {
    pub async fn start() -> Result<Self> {
        let driver_bin = binary("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
        let port = super::free_port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", driver_bin.display()))?;
        super::wait_for_port(port, Duration::from_secs(20))?;
        let profile = tempfile::Builder::new()
            .prefix("shipdesk-chromium-")
            .tempdir()?;
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "chrome".into());
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": binary("CHROMIUM_BIN", "/usr/bin/chromium"),
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let client = ClientBuilder::rustls()
            .context("TLS setup")?
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("creating a Chromium session")?;
        Ok(Self {
            client,
            driver,
            _profile: profile,
        })
    }

    /// Waits (up to 20 s) for an element matching the CSS selector.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("Chromium: no element matches `{css}`: {e}"))
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
