//! Where Shipdesk keeps its data.
//!
//! Resolution order: an explicit path (the CLI's `--data-dir`), then `SHIPDESK_DATA_DIR` (tests
//! and people who keep data elsewhere), then the OS data directory. The environment is read here
//! once, by the binaries, and the result is passed down; services never read globals.

use std::path::{Path, PathBuf};

use crate::error::{AppError, AppResult};

pub const DATA_DIR_ENV: &str = "SHIPDESK_DATA_DIR";
const DATABASE_FILE: &str = "shipdesk.sqlite3";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
    source: DataDirSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataDirSource {
    Explicit,
    Environment,
    OsDefault,
}

impl DataDir {
    /// Resolves the data directory from an explicit choice, then the given environment value.
    pub fn resolve(explicit: Option<PathBuf>, env_value: Option<PathBuf>) -> AppResult<Self> {
        let (root, source) = match (explicit, env_value) {
            (Some(p), _) => (p, DataDirSource::Explicit),
            (None, Some(p)) if !p.as_os_str().is_empty() => (p, DataDirSource::Environment),
            _ => (os_default()?, DataDirSource::OsDefault),
        };
        Ok(Self { root, source })
    }

    /// Resolves using the process environment (for binaries only).
    pub fn from_env(explicit: Option<PathBuf>) -> AppResult<Self> {
        Self::resolve(explicit, std::env::var_os(DATA_DIR_ENV).map(PathBuf::from))
    }

    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            source: DataDirSource::Explicit,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn source(&self) -> DataDirSource {
        self.source
    }

    pub fn database_path(&self) -> PathBuf {
        self.root.join(DATABASE_FILE)
    }

    /// Creates the directory if needed, with a message that names the path when it cannot.
    pub fn ensure_exists(&self) -> AppResult<()> {
        std::fs::create_dir_all(&self.root).map_err(|e| {
            AppError::validation(format!(
                "Cannot create the data directory {}: {e}",
                self.root.display()
            ))
        })
    }
}

fn os_default() -> AppResult<PathBuf> {
    directories::ProjectDirs::from("com", "Shipdesk", "Shipdesk")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            AppError::validation(format!(
                "No home directory was found; set {DATA_DIR_ENV} to choose where Shipdesk keeps its data"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_beats_environment_beats_default() {
        let d = DataDir::resolve(Some("/a".into()), Some("/b".into())).unwrap();
        assert_eq!(
            (d.root(), d.source()),
            (Path::new("/a"), DataDirSource::Explicit)
        );
        let d = DataDir::resolve(None, Some("/b".into())).unwrap();
        assert_eq!(
            (d.root(), d.source()),
            (Path::new("/b"), DataDirSource::Environment)
        );
        let d = DataDir::resolve(None, Some("".into())).unwrap();
        assert_eq!(d.source(), DataDirSource::OsDefault);
    }

    #[test]
    fn database_lives_in_the_data_dir() {
        assert_eq!(
            DataDir::at("/x").database_path(),
            Path::new("/x/shipdesk.sqlite3")
        );
    }
}
