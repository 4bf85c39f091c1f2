//! `shipdesk doctor` and the app's About panel: where the data is, which schema, which
//! environment, which USPS platform app Sign in with USPS uses outside Sandbox. Read-only, safe
//! to run at any time.

use serde::Serialize;
use ts_rs::TS;

use crate::carriers::platform_apps::{PlatformAppStatus, PlatformSecretSource};
use crate::environment::Environment;
use crate::error::AppResult;
use crate::paths::DataDir;
use crate::store::{Store, latest_schema_version};

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DoctorReport {
    pub version: String,
    /// Profile, platform and commit of this build ([`crate::build_description`]).
    pub build: String,
    pub data_dir: String,
    pub data_dir_source: String,
    pub database_path: String,
    pub schema_version: u32,
    pub latest_schema_version: u32,
    pub environment: Environment,
    /// TEM's and Production's platform app for Sign in with USPS, or why there is none.
    pub platform_apps: Vec<PlatformAppStatus>,
}

pub fn report(
    data_dir: &DataDir,
    store: &Store,
    environment: Environment,
    platform_apps: Vec<PlatformAppStatus>,
) -> AppResult<DoctorReport> {
    let source = match data_dir.source() {
        crate::paths::DataDirSource::Explicit => "explicit",
        crate::paths::DataDirSource::Environment => crate::paths::DATA_DIR_ENV,
        crate::paths::DataDirSource::OsDefault => "OS default",
    };
    Ok(DoctorReport {
        version: crate::VERSION.to_owned(),
        build: crate::build_description(),
        data_dir: data_dir.root().display().to_string(),
        data_dir_source: source.to_owned(),
        database_path: data_dir.database_path().display().to_string(),
        schema_version: store.schema_version()?,
        latest_schema_version: latest_schema_version(),
        environment,
        platform_apps,
    })
}

impl std::fmt::Display for DoctorReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Shipdesk {} ({})", self.version, self.build)?;
        writeln!(
            f,
            "Data directory:  {} ({})",
            self.data_dir, self.data_dir_source
        )?;
        writeln!(f, "Database:        {}", self.database_path)?;
        writeln!(
            f,
            "Schema version:  {} (latest {})",
            self.schema_version, self.latest_schema_version
        )?;
        write!(f, "Environment:     {}", self.environment.label())?;
        for status in &self.platform_apps {
            write!(f, "\nSign in with USPS, {}: ", status.environment.label())?;
            match (&status.app, &status.problem) {
                (Some(app), _) => {
                    let secret = match app.secret_source {
                        PlatformSecretSource::Keyring => "secret in the keyring",
                        PlatformSecretSource::File => "secret in the file",
                        PlatformSecretSource::Build => "secret built in",
                        PlatformSecretSource::Program => "secret given by the program",
                    };
                    write!(
                        f,
                        "client id {}, redirect {} ({}; {secret})",
                        app.client_id, app.redirect_uri, app.source
                    )?;
                }
                (None, Some(problem)) => write!(f, "not offered: {problem}")?,
                (None, None) => write!(f, "not offered")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_real_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::at(dir.path());
        let store = Store::open(&data).unwrap();
        let r = report(&data, &store, Environment::Sandbox, Vec::new()).unwrap();
        assert_eq!(r.schema_version, latest_schema_version());
        assert!(r.database_path.ends_with("shipdesk.sqlite3"));
        assert!(r.to_string().contains("Environment:     Sandbox"));
    }
}
