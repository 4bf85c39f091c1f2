//! Where the app sends the USPS sign-in address, and where USPS sends the browser back.
//!
//! Normally the system browser (core's `SystemOpener`) and the registered port 8765. With
//! `SHIPDESK_OPENER_LOG=<file>` the address is appended to that file instead, one per line, and no
//! browser starts: the end-to-end tests set it so they can complete the consent pages in a
//! headless Chromium they drive themselves. `SHIPDESK_USPS_REDIRECT_PORT=<port>` moves the loopback
//! redirect (it must match a redirect URI registered with USPS; the Sandbox simulator registers
//! whatever the app uses), so a test does not collide with anything else on 8765. Only this binary
//! reads these variables; core and the CLI never see them.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use shipdesk_core::carriers::ConnectionsConfig;
use shipdesk_core::ports::url_like::HttpUrl;
use shipdesk_core::ports::{Opener, SystemOpener};
use shipdesk_core::{AppError, DataDir, Desk};

pub const OPENER_LOG_ENV: &str = "SHIPDESK_OPENER_LOG";
pub const REDIRECT_PORT_ENV: &str = "SHIPDESK_USPS_REDIRECT_PORT";

/// Appends each address to a file instead of opening it.
#[derive(Debug)]
pub struct FileLogOpener {
    path: PathBuf,
}

impl FileLogOpener {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }
}

impl Opener for FileLogOpener {
    fn open(&self, url: &HttpUrl) -> Result<(), AppError> {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| AppError::internal("Could not write the opener log", &e))?;
        writeln!(file, "{}", url.as_str())
            .map_err(|e| AppError::internal("Could not write the opener log", &e))
    }
}

/// Opens the data directory with the real keyring and clock, the in-process USPS Sandbox, and
/// the opener, printer and redirect port the environment asks for.
pub fn open_desk(data_dir: DataDir) -> Result<Desk, AppError> {
    let opener: Arc<dyn Opener> = match std::env::var_os(OPENER_LOG_ENV) {
        Some(log) => {
            tracing::warn!(
                "{OPENER_LOG_ENV} is set: sign-in addresses go to {} instead of the browser",
                PathBuf::from(&log).display()
            );
            Arc::new(FileLogOpener::new(log))
        }
        None => Arc::new(SystemOpener),
    };
    let mut config = ConnectionsConfig::default();
    if let Ok(port) = std::env::var(REDIRECT_PORT_ENV) {
        config.redirect_port = parse_port(&port)?;
    }
    Desk::builder(data_dir)
        .opener(opener)
        .printer(crate::printing::printer_from_env())
        .usps(config)
        .sandbox(shipdesk_sandbox::UspsSimSandbox::host())
        .build()
}

fn parse_port(value: &str) -> Result<u16, AppError> {
    value
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|p| *p != 0)
        .ok_or_else(|| {
            AppError::validation(format!(
                "{REDIRECT_PORT_ENV} must be a port number (1-65535), not \"{value}\""
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_port_must_be_a_real_port() {
        assert_eq!(parse_port(" 18765 ").unwrap(), 18765);
        for bad in ["0", "70000", "eighty", ""] {
            let err = parse_port(bad).unwrap_err();
            assert_eq!(err.code, shipdesk_core::ErrorCode::Validation, "{bad}");
        }
    }

    #[test]
    fn appends_each_address_on_its_own_line() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("opened.txt");
        let opener = FileLogOpener::new(&log);
        opener
            .open(&HttpUrl::parse("http://127.0.0.1:1/a?x=1").unwrap())
            .unwrap();
        opener
            .open(&HttpUrl::parse("https://example.test/b").unwrap())
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(&log).unwrap(),
            "http://127.0.0.1:1/a?x=1\nhttps://example.test/b\n"
        );
    }
}
