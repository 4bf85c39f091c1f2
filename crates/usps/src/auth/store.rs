//! Where an account's refresh token lives between runs. The app implements this over the OS
//! keyring; the client only calls it. It is synchronous because keyring backends block (and
//! keyring's async backends have misbehaved inside Tokio): the client calls it on Tokio's
//! blocking pool, never on the async workers.

use std::sync::Mutex;

use crate::secret::Secret;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TokenStoreError(pub String);

/// One account's refresh-token slot.
pub trait RefreshTokenStore: Send + Sync + 'static {
    /// The stored refresh token, if any.
    fn load(&self) -> Result<Option<Secret>, TokenStoreError>;
    /// Replace the stored refresh token. Called with a rotated token *before* the access token
    /// that came with it is used, so a crash can never leave only a dead token behind.
    fn save(&self, refresh_token: &Secret) -> Result<(), TokenStoreError>;
}

/// In-memory store for tests, the simulator and client-credentials accounts.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    slot: Mutex<Option<Secret>>,
    saves: Mutex<u64>,
}

impl MemoryTokenStore {
    pub fn new(initial: Option<Secret>) -> Self {
        Self {
            slot: Mutex::new(initial),
            saves: Mutex::new(0),
        }
    }

    /// How many times `save` ran (lets tests see rotations being persisted).
    pub fn save_count(&self) -> u64 {
        *self.saves.lock().expect("not poisoned")
    }

    pub fn current(&self) -> Option<Secret> {
        self.slot.lock().expect("not poisoned").clone()
    }
}

impl RefreshTokenStore for MemoryTokenStore {
    fn load(&self) -> Result<Option<Secret>, TokenStoreError> {
        Ok(self.current())
    }

    fn save(&self, refresh_token: &Secret) -> Result<(), TokenStoreError> {
        *self.slot.lock().expect("not poisoned") = Some(refresh_token.clone());
        *self.saves.lock().expect("not poisoned") += 1;
        Ok(())
    }
}
