//! Where the app sends the USPS sign-in address. Normally the system browser (core's
//! `SystemOpener`). With `SHIPDESK_OPENER_LOG=<file>` the address is appended to that file
//! instead, one per line, and no browser starts: the end-to-end tests set it so they can
//! complete the consent pages in a headless Chromium they drive themselves. Only this binary
//! reads the variable; core and the CLI never see it.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use shipdesk_core::carriers::{ConnectionPorts, ConnectionsConfig, KeyringSecretStore};
use shipdesk_core::ports::url_like::HttpUrl;
use shipdesk_core::ports::{Opener, SystemClock};
use shipdesk_core::{AppError, DataDir, Desk};

pub const OPENER_LOG_ENV: &str = "SHIPDESK_OPENER_LOG";

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

/// Opens the data directory with the real keyring and clock, and the opener the environment
/// asks for.
pub fn open_desk(data_dir: DataDir) -> Result<Desk, AppError> {
    let Some(log) = std::env::var_os(OPENER_LOG_ENV) else {
        return Desk::open(data_dir);
    };
    tracing::warn!(
        "{OPENER_LOG_ENV} is set: sign-in addresses go to {} instead of the browser",
        PathBuf::from(&log).display()
    );
    let ports = ConnectionPorts {
        secrets: Arc::new(KeyringSecretStore::default()),
        opener: Arc::new(FileLogOpener::new(log)),
        clock: Arc::new(SystemClock),
    };
    Desk::open_with(data_dir, ports, ConnectionsConfig::default())
}

#[cfg(test)]
mod tests {
    use super::*;

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
