//! Where an account's secrets live, and the bridge the `usps` client uses to keep a rotated
//! refresh token.
//!
//! The store behind [`SecretsHandle`] can be swapped at run time: when the OS keyring is not
//! available the user may choose to keep the session in memory only, and every account (and
//! every cached USPS session) follows that choice at once.
//!
//! Keys carry a per-data-directory namespace (a random id kept in `app_settings`), so two data
//! directories on one machine never read each other's tokens even though account ids repeat.

use std::sync::{Arc, RwLock};

use usps::{RefreshTokenStore, Secret, TokenStoreError};

use super::model::AccountId;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::ports::SecretStore;
use crate::settings::SettingsStore;

const NAMESPACE_SETTING: &str = "usps_secret_namespace";

/// The two secrets an account may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecretKind {
    ClientSecret,
    RefreshToken,
}

/// Names the keyring entries of one data directory.
#[derive(Debug, Clone)]
pub(crate) struct SecretKeys {
    namespace: String,
}

impl SecretKeys {
    /// Reads (or creates, once) the data directory's namespace.
    pub(crate) fn load(settings: &dyn SettingsStore) -> AppResult<Self> {
        let namespace = match settings.setting(NAMESPACE_SETTING)? {
            Some(ns) => ns,
            None => {
                let fresh = uuid::Uuid::new_v4().simple().to_string();
                settings.set_setting(NAMESPACE_SETTING, &fresh)?;
                fresh
            }
        };
        Ok(Self { namespace })
    }

    pub(crate) fn key(&self, account: AccountId, kind: SecretKind) -> String {
        let what = match kind {
            SecretKind::ClientSecret => "client-secret",
            SecretKind::RefreshToken => "refresh-token",
        };
        format!("usps/{}/{account}/{what}", self.namespace)
    }

    /// The remembered Endicia login's entries (`account-number`, `pass-phrase`).
    pub(crate) fn endicia_key(&self, what: &str) -> String {
        format!("endicia/{}/{what}", self.namespace)
    }
}

/// The current secret store, swappable (keyring ⇄ memory only).
#[derive(Clone)]
pub(crate) struct SecretsHandle {
    current: Arc<RwLock<Arc<dyn SecretStore>>>,
}

impl SecretsHandle {
    pub(crate) fn new(store: Arc<dyn SecretStore>) -> Self {
        Self {
            current: Arc::new(RwLock::new(store)),
        }
    }

    pub(crate) fn current(&self) -> Arc<dyn SecretStore> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn replace(&self, store: Arc<dyn SecretStore>) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = store;
    }

    /// Runs a (possibly blocking) secret store call on Tokio's blocking pool: keyring backends
    /// talk D-Bus synchronously and must stay off the async workers.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn SecretStore) -> AppResult<T> + Send + 'static,
    ) -> AppResult<T> {
        let store = self.current();
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .map_err(|e| AppError::internal("The secret store task failed", &e))?
    }

    pub(crate) async fn get(&self, key: String) -> AppResult<Option<String>> {
        self.run(move |s| s.get(&key)).await
    }

    pub(crate) async fn set(&self, key: String, value: String) -> AppResult<()> {
        self.run(move |s| s.set(&key, &value)).await
    }

    pub(crate) async fn delete(&self, key: String) -> AppResult<()> {
        self.run(move |s| s.delete(&key)).await
    }
}

/// One account's refresh-token slot, as the `usps` client sees it. The client calls it on the
/// blocking pool and saves a rotated token before it uses the access token that came with it; a
/// failure here reaches the caller as `UspsError::TokenStore` (→ `SECRET_STORE_UNAVAILABLE`).
pub(crate) struct AccountTokenStore {
    pub(crate) secrets: SecretsHandle,
    pub(crate) key: String,
}

impl RefreshTokenStore for AccountTokenStore {
    fn load(&self) -> Result<Option<Secret>, TokenStoreError> {
        self.secrets
            .current()
            .get(&self.key)
            .map(|found| found.map(Secret::new))
            .map_err(|e| TokenStoreError(e.message))
    }

    fn save(&self, refresh_token: &Secret) -> Result<(), TokenStoreError> {
        self.secrets
            .current()
            .set(&self.key, refresh_token.expose())
            .map_err(|e| TokenStoreError(e.message))
    }
}

/// The error every "no keyring" path returns, in plain words.
pub(crate) fn keyring_unavailable(cause: &dyn std::fmt::Display) -> AppError {
    tracing::warn!(%cause, "system keyring unavailable");
    AppError::new(
        ErrorCode::SecretStoreUnavailable,
        "No system keyring is available to keep USPS credentials safely. Unlock or install one \
         (e.g. GNOME Keyring), or choose to keep this session in memory only — you would then \
         sign in to USPS again after Shipdesk restarts.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::MemorySecretStore;
    use crate::store::Store;

    /// A store that refuses to write, as a locked keyring does.
    struct LockedStore;
    impl SecretStore for LockedStore {
        fn set(&self, _: &str, _: &str) -> AppResult<()> {
            Err(keyring_unavailable(&"locked"))
        }
        fn get(&self, _: &str) -> AppResult<Option<String>> {
            Ok(None)
        }
        fn delete(&self, _: &str) -> AppResult<()> {
            Ok(())
        }
    }

    #[test]
    fn keys_are_namespaced_per_data_directory() {
        let a = SecretKeys::load(&Store::open_in_memory().unwrap()).unwrap();
        let b = SecretKeys::load(&Store::open_in_memory().unwrap()).unwrap();
        assert_ne!(
            a.key(1, SecretKind::RefreshToken),
            b.key(1, SecretKind::RefreshToken)
        );
        assert!(
            a.key(7, SecretKind::ClientSecret)
                .ends_with("/7/client-secret")
        );
    }

    #[test]
    fn namespace_is_stable_for_one_store() {
        let store = Store::open_in_memory().unwrap();
        let first = SecretKeys::load(&store)
            .unwrap()
            .key(1, SecretKind::RefreshToken);
        let again = SecretKeys::load(&store)
            .unwrap()
            .key(1, SecretKind::RefreshToken);
        assert_eq!(first, again);
    }

    #[test]
    fn token_store_round_trips_and_reports_failures() {
        let secrets = SecretsHandle::new(Arc::new(MemorySecretStore::default()));
        let slot = AccountTokenStore {
            secrets: secrets.clone(),
            key: "k".into(),
        };
        assert!(slot.load().unwrap().is_none());
        slot.save(&Secret::new("rt-1")).unwrap();
        assert_eq!(slot.load().unwrap().unwrap().expose(), "rt-1");
        secrets.replace(Arc::new(LockedStore));
        let err = slot.save(&Secret::new("rt-2")).unwrap_err();
        assert!(err.0.contains("keyring"), "{}", err.0);
    }
}
