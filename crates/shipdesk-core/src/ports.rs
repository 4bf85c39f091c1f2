//! The outside world, as traits the binaries implement and tests fake: time, the system browser,
//! and the OS keyring. Core services receive these by constructor and never reach for globals.

use time::OffsetDateTime;

use crate::error::AppResult;

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// Opens a URL in the user's browser. The app never uses an embedded webview for USPS sign-in.
pub trait Opener: Send + Sync {
    fn open(&self, url: &url_like::HttpUrl) -> AppResult<()>;
}

/// The system browser, through the `open` crate. Only http(s) URLs reach it (see [`url_like`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemOpener;

impl Opener for SystemOpener {
    fn open(&self, url: &url_like::HttpUrl) -> AppResult<()> {
        open::that_detached(url.as_str()).map_err(|e| {
            crate::error::AppError::new(
                crate::error::ErrorCode::Internal,
                format!("The browser could not be opened ({e}); copy the address into it instead."),
            )
        })
    }
}

/// Stores secrets (client secrets, refresh tokens) outside SQLite: the OS keyring in the app,
/// memory in tests or when the user accepts a session that ends with the app.
pub trait SecretStore: Send + Sync {
    fn set(&self, key: &str, secret: &str) -> AppResult<()>;
    fn get(&self, key: &str) -> AppResult<Option<String>>;
    fn delete(&self, key: &str) -> AppResult<()>;
}

pub mod url_like {
    //! A URL that is known to be http(s): the only kind the opener will accept, so nothing from
    //! the UI can make us launch `file:` or custom-scheme URLs.

    use crate::error::{AppError, AppResult};

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct HttpUrl(String);

    impl HttpUrl {
        pub fn parse(s: &str) -> AppResult<Self> {
            let lower = s.to_ascii_lowercase();
            let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
                && !s.chars().any(|c| c.is_whitespace() || c.is_control());
            if ok {
                Ok(Self(s.to_owned()))
            } else {
                Err(AppError::validation(format!("Not a web address: {s}")))
            }
        }
        pub fn as_str(&self) -> &str {
            &self.0
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        #[test]
        fn only_http_urls_pass() {
            assert!(HttpUrl::parse("https://apis.usps.com/x?y=1").is_ok());
            assert!(HttpUrl::parse("file:///etc/passwd").is_err());
            assert!(HttpUrl::parse("javascript:alert(1)").is_err());
            assert!(HttpUrl::parse("https://a b").is_err());
        }
    }
}

/// An in-memory secret store: for tests, and for "keep my session in memory only" when no
/// keyring is available.
#[derive(Debug, Default)]
pub struct MemorySecretStore {
    secrets: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

impl SecretStore for MemorySecretStore {
    fn set(&self, key: &str, secret: &str) -> AppResult<()> {
        self.secrets
            .lock()
            .expect("secret map poisoned")
            .insert(key.into(), secret.into());
        Ok(())
    }
    fn get(&self, key: &str) -> AppResult<Option<String>> {
        Ok(self
            .secrets
            .lock()
            .expect("secret map poisoned")
            .get(key)
            .cloned())
    }
    fn delete(&self, key: &str) -> AppResult<()> {
        self.secrets
            .lock()
            .expect("secret map poisoned")
            .remove(key);
        Ok(())
    }
}
