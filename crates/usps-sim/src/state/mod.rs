//! In-memory simulator state behind one mutex, plus its persistence.
//!
//! Handlers lock, change what they need and unlock without awaiting, so a plain `std` mutex is
//! enough. The durable part (signing key, consents, tokens, labels, ledger, SCAN forms, pickups,
//! counters) is written to the optional state file after every change that matters, so the app's
//! Sandbox mode keeps its labels and its connection across restarts.

pub mod records;

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::faults::Faults;
use crate::scenario::Scenario;
use records::*;

/// What survives a restart.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Durable {
    /// PKCS#1 PEM of the token signing key, so tokens issued before a restart still verify.
    pub signing_key_pem: Option<String>,
    pub consents: BTreeMap<String, Consent>,
    pub refresh_tokens: HashMap<String, RefreshRecord>,
    pub access_tokens: HashMap<String, AccessRecord>,
    pub payment_auths: HashMap<String, PaymentAuth>,
    pub labels: BTreeMap<String, LabelRecord>,
    /// `CRID/idempotency-key` → tracking number.
    pub idempotency: HashMap<String, String>,
    pub ledger: Vec<LedgerEntry>,
    pub scan_forms: BTreeMap<String, ScanFormRecord>,
    pub pickups: BTreeMap<String, PickupRecord>,
    /// Label branding images by `CRID/imageUUID`.
    #[serde(default)]
    pub branding: BTreeMap<String, crate::api::branding::BrandingImage>,
    /// Indicia bought (letter indicia and IMb labels), by their identifier.
    #[serde(default)]
    pub indicia: BTreeMap<String, crate::api::indicia::IndiciaRecord>,
    /// Sequence counters for deterministic identifiers.
    pub counters: Counters,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Counters {
    pub labels: u64,
    pub disputes: u64,
    pub scan_forms: u64,
    pub pickups: u64,
    pub ledger: u64,
    pub consents: u64,
}

/// A fixed one-hour quota window for one (app, API).
#[derive(Debug, Clone, Copy)]
pub struct QuotaWindow {
    pub started_ms: u64,
    pub used: u32,
}

pub struct SimState {
    pub scenario: Scenario,
    pub durable: Durable,
    pub codes: HashMap<String, CodeRecord>,
    pub flows: HashMap<String, ConsentFlow>,
    pub quota: HashMap<(String, &'static str), QuotaWindow>,
    /// Calls per API name (`labels`, `oauth2`, ...), including failed ones.
    pub calls: BTreeMap<String, u64>,
    pub faults: Faults,
    /// Refresh tokens replaced by rotation stay valid this long.
    pub rotation_grace_ms: u64,
}

impl SimState {
    pub fn new(scenario: Scenario, durable: Durable) -> SimState {
        SimState {
            scenario,
            durable,
            codes: HashMap::new(),
            flows: HashMap::new(),
            quota: HashMap::new(),
            calls: BTreeMap::new(),
            faults: Faults::default(),
            rotation_grace_ms: 60_000,
        }
    }

    /// Forgets everything except the scenario as loaded and the signing key.
    pub fn reset(&mut self, original: &Scenario) {
        let key = self.durable.signing_key_pem.take();
        self.scenario = original.clone();
        self.durable = Durable {
            signing_key_pem: key,
            ..Durable::default()
        };
        self.codes.clear();
        self.flows.clear();
        self.quota.clear();
        self.calls.clear();
        self.faults = Faults::default();
    }

    /// Appends to the ledger with the next sequence number.
    pub fn record(&mut self, mut entry: LedgerEntry) {
        self.durable.counters.ledger += 1;
        entry.seq = self.durable.counters.ledger;
        self.durable.ledger.push(entry);
    }
}

/// Errors reading or writing the state file.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("state file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("state file {path} is not valid: {source}")]
    Format {
        path: PathBuf,
        source: serde_json::Error,
    },
}

/// Loads the durable state; a missing file is an empty state.
pub fn load(path: &Path) -> Result<Durable, PersistError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| PersistError::Format {
            path: path.to_path_buf(),
            source,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Durable::default()),
        Err(source) => Err(PersistError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Writes atomically (temp file + rename) so a crash never leaves half a file.
pub fn save(path: &Path, durable: &Durable) -> Result<(), PersistError> {
    let io = |source| PersistError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = serde_json::to_vec(durable).map_err(|source| PersistError::Format {
        path: path.to_path_buf(),
        source,
    })?;
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_empty_state_and_round_trip_works() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.json");
        let empty = load(&path).unwrap();
        assert!(empty.labels.is_empty());
        let mut d = Durable::default();
        d.counters.labels = 7;
        d.idempotency.insert("1/k".into(), "92".into());
        save(&path, &d).unwrap();
        let back = load(&path).unwrap();
        assert_eq!(back.counters.labels, 7);
        assert_eq!(back.idempotency["1/k"], "92");
    }

    #[test]
    fn corrupt_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, b"{not json").unwrap();
        assert!(matches!(load(&path), Err(PersistError::Format { .. })));
    }
}
