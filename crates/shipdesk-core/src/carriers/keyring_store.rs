//! [`KeyringSecretStore`]: secrets in the OS keyring (the Secret Service on Linux, via keyring 3.6
//! with its synchronous D-Bus backend).
//!
//! Every call blocks on D-Bus, so callers run it off the async runtime (see
//! `SecretsHandle::run`; the `usps` client calls its token store on the blocking pool too).
//! keyring 4's async zbus store has panicked inside Tokio, hence 3.6 and the sync backend.
//! "No keyring" in any form (no session bus, no Secret Service, a locked or refused collection)
//! becomes `SECRET_STORE_UNAVAILABLE` with a plain message and the memory-only offer.

use crate::error::AppResult;
use crate::ports::SecretStore;

use super::secrets::keyring_unavailable;

/// The keyring "service" every Shipdesk entry is filed under.
pub const KEYRING_SERVICE: &str = "Shipdesk";

#[derive(Debug, Clone)]
pub struct KeyringSecretStore {
    service: String,
}

impl Default for KeyringSecretStore {
    fn default() -> Self {
        Self::new(KEYRING_SERVICE)
    }
}

impl KeyringSecretStore {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, key: &str) -> AppResult<keyring::Entry> {
        keyring::Entry::new(&self.service, key).map_err(|e| keyring_unavailable(&e))
    }

    /// Whether the keyring answers at all (a harmless read of an entry that need not exist).
    pub fn probe(&self) -> AppResult<()> {
        self.get("probe/availability").map(|_| ())
    }
}

impl SecretStore for KeyringSecretStore {
    fn set(&self, key: &str, secret: &str) -> AppResult<()> {
        self.entry(key)?
            .set_password(secret)
            .map_err(|e| keyring_unavailable(&e))
    }

    fn get(&self, key: &str) -> AppResult<Option<String>> {
        match self.entry(key)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_unavailable(&e)),
        }
    }

    fn delete(&self, key: &str) -> AppResult<()> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_unavailable(&e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    /// Runs only where a Secret Service answers (`cargo xtask test` provides one inside
    /// dbus-run-session with an unlocked gnome-keyring); elsewhere says why it skipped.
    #[test]
    fn round_trip_in_the_system_keyring() {
        let store = KeyringSecretStore::new("Shipdesk tests");
        if let Err(e) = store.probe() {
            assert_eq!(e.code, ErrorCode::SecretStoreUnavailable);
            println!("SKIPPED: no Secret Service available ({})", e.message);
            return;
        }
        let key = format!("test/{}", uuid::Uuid::new_v4());
        assert_eq!(store.get(&key).unwrap(), None);
        store.set(&key, "rt-secret-1").unwrap();
        assert_eq!(store.get(&key).unwrap().as_deref(), Some("rt-secret-1"));
        store.set(&key, "rt-secret-2").unwrap();
        assert_eq!(store.get(&key).unwrap().as_deref(), Some("rt-secret-2"));
        store.delete(&key).unwrap();
        assert_eq!(store.get(&key).unwrap(), None);
        store.delete(&key).unwrap();
    }

    #[test]
    fn no_session_bus_is_a_plain_secret_store_error() {
        // With no D-Bus address the Secret Service cannot be reached: the error must be the
        // documented code with words a user can act on, never a panic.
        if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
            println!("SKIPPED: a session bus is present, so 'no keyring' cannot be provoked");
            return;
        }
        let err = KeyringSecretStore::default().probe().unwrap_err();
        assert_eq!(err.code, ErrorCode::SecretStoreUnavailable);
        assert!(err.message.contains("memory only"), "{}", err.message);
    }
}
