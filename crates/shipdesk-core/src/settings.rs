//! App settings that are not secrets: a few named values the desk remembers (the environment new
//! USPS accounts start in, the label layout, the namespace of this data directory's keyring
//! entries, whether the Sandbox demo account was added). Each area names its own keys; this is
//! only the interface to where they are kept. The SQLite implementation is in
//! `crate::store::sqlite`.

use crate::error::AppResult;

/// A small key/value store. Never for secrets: those go to [`crate::ports::SecretStore`].
pub trait SettingsStore: Send + Sync {
    fn setting(&self, key: &str) -> AppResult<Option<String>>;

    /// Sets `key` to `value`, replacing any value it had.
    fn set_setting(&self, key: &str, value: &str) -> AppResult<()>;
}
