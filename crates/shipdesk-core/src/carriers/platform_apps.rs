//! Shipdesk's registered USPS platform apps: what "Sign in with USPS" consents to on TEM and
//! Production (Sandbox uses the simulator's app, from the `SandboxHost`).
//!
//! A platform app is configuration, not code: whoever runs or distributes Shipdesk registers an
//! app with USPS and tells Shipdesk its client id, redirect URI and secret. Per environment, the
//! first of these sources that names it decides (README, "Sign in with USPS on TEM/Production"):
//!
//! 1. `usps-platform-apps.toml` in the data directory (one user's setup);
//! 2. the same file in the system-wide directory ([`system_config_dir`]: `/etc/shipdesk` on
//!    Linux), for every user of the computer;
//! 3. variables set when Shipdesk was built (`SHIPDESK_USPS_<ENV>_CLIENT_ID` …), for whoever
//!    distributes it.
//!
//! The secret comes from the file only when nobody else can read it (mode 0600, owned by the
//! user running Shipdesk), otherwise from the secret store under [`platform_secret_key`]. A
//! source that names an environment but is broken (unreadable, bad TOML, a bad field, a
//! readable secret, no secret anywhere) is not skipped in favour of the next: the environment is
//! reported with the problem, naming the file and the fix, and Sign in with USPS is simply not
//! offered there. Nothing here panics or stops the desk from opening.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::PlatformApp;
use super::callback::{CALLBACK_PATH, redirect_uri};
use crate::environment::Environment;
use crate::paths::DataDir;
use crate::ports::SecretStore;

/// The file name, in the data directory and in the system-wide directory.
pub const PLATFORM_APPS_FILE: &str = "usps-platform-apps.toml";

/// The environments a platform app can be configured for (Sandbox is the simulator's).
const CONFIGURABLE: [Environment; 2] = [Environment::Tem, Environment::Production];

/// Where the platform app of one environment came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlatformSecretSource {
    /// The secret store (OS keyring), under [`platform_secret_key`].
    Keyring,
    /// `client_secret` in the platform-app file itself (mode 0600, the user's own).
    File,
    /// Set when this copy of Shipdesk was built.
    Build,
    /// Given to the desk by the program that built it (tests).
    Program,
}

/// The platform app Sign in with USPS uses in one environment (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ConfiguredPlatformApp {
    pub client_id: String,
    pub redirect_uri: String,
    /// The file it was read from, or what else configured it.
    pub source: String,
    pub secret_source: PlatformSecretSource,
}

/// Whether Sign in with USPS is offered in an environment: exactly one of `app` and `problem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PlatformAppStatus {
    pub environment: Environment,
    pub app: Option<ConfiguredPlatformApp>,
    /// Why Sign in with USPS is not offered here, and what to do about it.
    pub problem: Option<String>,
}

/// A platform app set when Shipdesk was built (`option_env!`), for one environment.
#[derive(Debug, Clone, Default)]
pub struct BuiltInApp {
    pub environment: Option<Environment>,
    pub client_id: Option<&'static str>,
    pub client_secret: Option<&'static str>,
    pub redirect_uri: Option<&'static str>,
}

/// Where to look, highest precedence first. [`PlatformAppSources::standard`] is what the app
/// and the CLI use; tests give their own.
#[derive(Debug, Clone, Default)]
pub struct PlatformAppSources {
    pub files: Vec<PathBuf>,
    pub built_in: Vec<BuiltInApp>,
}

impl PlatformAppSources {
    /// The data directory's file, then the system-wide one, then what this build carries.
    pub fn standard(data_dir: &DataDir) -> Self {
        let mut files = vec![data_dir.root().join(PLATFORM_APPS_FILE)];
        if let Some(dir) = system_config_dir() {
            files.push(dir.join(PLATFORM_APPS_FILE));
        }
        Self {
            files,
            built_in: built_in_apps(),
        }
    }

    /// Only these files (nothing built in).
    pub fn files(files: impl IntoIterator<Item = PathBuf>) -> Self {
        Self {
            files: files.into_iter().collect(),
            built_in: Vec::new(),
        }
    }
}

/// The system-wide configuration directory: `/etc/shipdesk` on Linux and other Unix systems,
/// `/Library/Application Support/Shipdesk` on macOS, `%ProgramData%\Shipdesk` on Windows.
pub fn system_config_dir() -> Option<PathBuf> {
    if cfg!(target_os = "macos") {
        Some(PathBuf::from("/Library/Application Support/Shipdesk"))
    } else if cfg!(windows) {
        let program_data = std::env::var_os("ProgramData")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(r"C:\ProgramData"));
        Some(program_data.join("Shipdesk"))
    } else {
        Some(PathBuf::from("/etc/shipdesk"))
    }
}

/// The secret store key of the platform app secret for `environment`
/// (`usps-platform-app:production`); `shipdesk carriers platform-secret` stores it.
pub fn platform_secret_key(environment: Environment) -> String {
    format!("usps-platform-app:{}", env_key(environment))
}

fn env_key(environment: Environment) -> &'static str {
    match environment {
        Environment::Sandbox => "sandbox",
        Environment::Tem => "tem",
        Environment::Production => "production",
    }
}

fn env_var_prefix(environment: Environment) -> &'static str {
    match environment {
        Environment::Sandbox => "SHIPDESK_USPS_SANDBOX",
        Environment::Tem => "SHIPDESK_USPS_TEM",
        Environment::Production => "SHIPDESK_USPS_PRODUCTION",
    }
}

/// The apps this copy was built with: `SHIPDESK_USPS_{TEM,PRODUCTION}_{CLIENT_ID,CLIENT_SECRET,
/// REDIRECT_URI}` at compile time.
fn built_in_apps() -> Vec<BuiltInApp> {
    vec![
        BuiltInApp {
            environment: Some(Environment::Tem),
            client_id: option_env!("SHIPDESK_USPS_TEM_CLIENT_ID"),
            client_secret: option_env!("SHIPDESK_USPS_TEM_CLIENT_SECRET"),
            redirect_uri: option_env!("SHIPDESK_USPS_TEM_REDIRECT_URI"),
        },
        BuiltInApp {
            environment: Some(Environment::Production),
            client_id: option_env!("SHIPDESK_USPS_PRODUCTION_CLIENT_ID"),
            client_secret: option_env!("SHIPDESK_USPS_PRODUCTION_CLIENT_SECRET"),
            redirect_uri: option_env!("SHIPDESK_USPS_PRODUCTION_REDIRECT_URI"),
        },
    ]
}

/// One environment's table in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    client_id: String,
    redirect_uri: Option<String>,
    client_secret: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormat {
    tem: Option<FileEntry>,
    production: Option<FileEntry>,
}

impl FileFormat {
    fn entry(&self, environment: Environment) -> Option<&FileEntry> {
        match environment {
            Environment::Tem => self.tem.as_ref(),
            Environment::Production => self.production.as_ref(),
            Environment::Sandbox => None,
        }
    }
}

/// The platform apps found, and one status per configurable environment.
#[derive(Debug, Clone, Default)]
pub struct PlatformAppSetup {
    pub apps: Vec<PlatformApp>,
    pub statuses: Vec<PlatformAppStatus>,
}

impl PlatformAppSetup {
    pub fn status(&self, environment: Environment) -> Option<&PlatformAppStatus> {
        self.statuses.iter().find(|s| s.environment == environment)
    }

    /// An app given directly (tests, a binary with its own registration) wins over the sources.
    pub(crate) fn put_program_app(&mut self, app: &PlatformApp) {
        let status = PlatformAppStatus {
            environment: app.environment,
            app: Some(ConfiguredPlatformApp {
                client_id: app.client_id.clone(),
                redirect_uri: redirect_uri(
                    app.redirect_port.unwrap_or(super::DEFAULT_REDIRECT_PORT),
                ),
                source: "given by the program".into(),
                secret_source: PlatformSecretSource::Program,
            }),
            problem: None,
        };
        self.apps.retain(|a| a.environment != app.environment);
        self.statuses.retain(|s| s.environment != app.environment);
        self.statuses.push(status);
        self.statuses
            .sort_by_key(|s| s.environment != Environment::Tem);
    }
}

/// Reads the sources (highest precedence first) for TEM and Production. Never fails: a problem
/// is that environment's status.
pub fn load(sources: &PlatformAppSources, secrets: &dyn SecretStore) -> PlatformAppSetup {
    let files: Vec<(PathBuf, Result<Option<FileFormat>, String>)> = sources
        .files
        .iter()
        .map(|path| (path.clone(), read_file(path)))
        .collect();
    let mut setup = PlatformAppSetup::default();
    for environment in CONFIGURABLE {
        let outcome = resolve(environment, &files, &sources.built_in, secrets);
        let status = match outcome {
            Some(Ok((app, configured))) => {
                setup.apps.push(app);
                PlatformAppStatus {
                    environment,
                    app: Some(configured),
                    problem: None,
                }
            }
            Some(Err(problem)) => {
                tracing::warn!(
                    environment = env_key(environment),
                    "USPS platform app: {problem}"
                );
                PlatformAppStatus {
                    environment,
                    app: None,
                    problem: Some(problem),
                }
            }
            None => PlatformAppStatus {
                environment,
                app: None,
                problem: Some(nothing_configured(environment, &sources.files)),
            },
        };
        setup.statuses.push(status);
    }
    setup
}

fn nothing_configured(environment: Environment, files: &[PathBuf]) -> String {
    let places = files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" or ");
    if places.is_empty() {
        format!(
            "no USPS platform app is configured for {}.",
            environment.label()
        )
    } else {
        format!(
            "no USPS platform app is configured for {} (add a [{}] table with your app's client_id \
             and redirect_uri to {places}; see the README).",
            environment.label(),
            env_key(environment)
        )
    }
}

type Resolved = Result<(PlatformApp, ConfiguredPlatformApp), String>;

fn resolve(
    environment: Environment,
    files: &[(PathBuf, Result<Option<FileFormat>, String>)],
    built_in: &[BuiltInApp],
    secrets: &dyn SecretStore,
) -> Option<Resolved> {
    for (path, parsed) in files {
        match parsed {
            Ok(None) => continue,
            Err(problem) => return Some(Err(problem.clone())),
            Ok(Some(format)) => {
                if let Some(entry) = format.entry(environment) {
                    return Some(from_file(environment, path, entry, secrets));
                }
            }
        }
    }
    built_in
        .iter()
        .find(|b| b.environment == Some(environment) && b.client_id.is_some())
        .map(|b| from_build(environment, b, secrets))
}

/// `Ok(None)` when the file does not exist.
fn read_file(path: &Path) -> Result<Option<FileFormat>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "{} could not be read ({e}); fix its permissions or remove it.",
                path.display()
            ));
        }
    };
    toml::from_str::<FileFormat>(&text).map(Some).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        format!(
            "{}{}: {} Fix the file (see the README for its format).",
            path.display(),
            line.map(|l| format!(", line {l}")).unwrap_or_default(),
            e.message()
                .trim_end_matches('\n')
                .trim_end_matches('.')
                .to_owned()
                + "."
        )
    })
}

fn from_file(
    environment: Environment,
    path: &Path,
    entry: &FileEntry,
    secrets: &dyn SecretStore,
) -> Resolved {
    let table = env_key(environment);
    let at = |field: &str| format!("{}, [{table}] {field}", path.display());
    let client_id =
        check_client_id(&entry.client_id).map_err(|why| format!("{}: {why}", at("client_id")))?;
    let port = match &entry.redirect_uri {
        Some(uri) => redirect_port(uri).map_err(|why| format!("{}: {why}", at("redirect_uri")))?,
        None => super::DEFAULT_REDIRECT_PORT,
    };
    let (secret, secret_source) = match &entry.client_secret {
        Some(secret) => {
            secret_file_is_private(path).map_err(|why| {
                format!(
                    "{}: {why} Run `chmod 600 {}` as the user who runs Shipdesk (and own the \
                     file), or remove client_secret from it and store the secret with \
                     `shipdesk carriers platform-secret --env {table}`.",
                    at("client_secret"),
                    path.display()
                )
            })?;
            if secret.trim().is_empty() {
                return Err(format!("{}: is empty.", at("client_secret")));
            }
            (secret.clone(), PlatformSecretSource::File)
        }
        None => (
            keyring_secret(environment, secrets)
                .map_err(|why| format!("{}: {why}", path.display()))?,
            PlatformSecretSource::Keyring,
        ),
    };
    Ok(app(
        environment,
        client_id,
        secret,
        port,
        path.display().to_string(),
        secret_source,
    ))
}

fn from_build(environment: Environment, built: &BuiltInApp, secrets: &dyn SecretStore) -> Resolved {
    let prefix = env_var_prefix(environment);
    let client_id = check_client_id(built.client_id.unwrap_or_default())
        .map_err(|why| format!("{prefix}_CLIENT_ID (set when this copy was built): {why}"))?;
    let port = match built.redirect_uri {
        Some(uri) => redirect_port(uri).map_err(|why| {
            format!("{prefix}_REDIRECT_URI (set when this copy was built): {why}")
        })?,
        None => super::DEFAULT_REDIRECT_PORT,
    };
    let (secret, secret_source) = match built.client_secret.filter(|s| !s.is_empty()) {
        Some(secret) => (secret.to_owned(), PlatformSecretSource::Build),
        None => (
            keyring_secret(environment, secrets).map_err(|why| {
                format!("the app built into this copy ({prefix}_CLIENT_ID): {why}")
            })?,
            PlatformSecretSource::Keyring,
        ),
    };
    Ok(app(
        environment,
        client_id,
        secret,
        port,
        format!("built into this copy ({prefix}_CLIENT_ID)"),
        secret_source,
    ))
}

fn app(
    environment: Environment,
    client_id: String,
    client_secret: String,
    port: u16,
    source: String,
    secret_source: PlatformSecretSource,
) -> (PlatformApp, ConfiguredPlatformApp) {
    (
        PlatformApp {
            environment,
            client_id: client_id.clone(),
            client_secret,
            redirect_port: Some(port),
        },
        ConfiguredPlatformApp {
            client_id,
            redirect_uri: redirect_uri(port),
            source,
            secret_source,
        },
    )
}

fn check_client_id(client_id: &str) -> Result<String, String> {
    let trimmed = client_id.trim();
    if trimmed.is_empty() {
        Err("is empty; copy your USPS app's Consumer Key here.".into())
    } else if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err("contains spaces or control characters; copy the Consumer Key exactly.".into())
    } else {
        Ok(trimmed.to_owned())
    }
}

/// The loopback port of a redirect URI Shipdesk can listen on: `http://127.0.0.1:<port>/usps/callback`.
fn redirect_port(uri: &str) -> Result<u16, String> {
    let expected =
        format!("must be http://127.0.0.1:<port>{CALLBACK_PATH}, as registered with USPS");
    let parsed = url::Url::parse(uri.trim())
        .map_err(|e| format!("\"{uri}\" is not an address ({e}); it {expected}."))?;
    let loopback = parsed.scheme() == "http"
        && parsed.host_str() == Some("127.0.0.1")
        && parsed.path() == CALLBACK_PATH
        && parsed.query().is_none()
        && parsed.fragment().is_none()
        && parsed.username().is_empty()
        && parsed.password().is_none();
    match parsed.port() {
        Some(port) if loopback && port != 0 => Ok(port),
        _ => Err(format!(
            "\"{uri}\" {expected} (Shipdesk listens there for USPS's answer)."
        )),
    }
}

fn keyring_secret(environment: Environment, secrets: &dyn SecretStore) -> Result<String, String> {
    let key = platform_secret_key(environment);
    match secrets.get(&key) {
        Ok(Some(secret)) if !secret.is_empty() => Ok(secret),
        Ok(_) => Err(format!(
            "its client secret is neither in the file nor in the system keyring; store it with \
             `shipdesk carriers platform-secret --env {}` (keyring entry \"{key}\").",
            env_key(environment)
        )),
        Err(e) => Err(format!(
            "its client secret could not be read from the system keyring ({}).",
            e.message
        )),
    }
}

impl super::Connections {
    /// Keeps the client secret of the platform app for `environment` in the secret store (OS
    /// keyring), where a platform-app file without `client_secret` finds it. Read when a desk
    /// opens, so it counts from the next start.
    pub async fn save_platform_secret(
        &self,
        environment: Environment,
        secret: String,
    ) -> crate::error::AppResult<()> {
        use crate::error::AppError;
        if environment == Environment::Sandbox {
            return Err(AppError::validation(
                "Sandbox signs in with the simulator's own app; a platform app secret is only for \
                 TEM or Production.",
            ));
        }
        if secret.trim().is_empty() {
            return Err(AppError::validation("The client secret is empty."));
        }
        if self.secrets_in_memory_only() {
            return Err(AppError::validation(
                "A platform app secret must be kept in the system keyring; secrets are in memory \
                 only for this session.",
            ));
        }
        self.secrets
            .set(platform_secret_key(environment), secret)
            .await
    }
}

/// A secret may sit in the file only when nobody but its owner — the user running Shipdesk —
/// can read or change it.
#[cfg(unix)]
fn secret_file_is_private(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).map_err(|e| format!("could not be checked ({e})."))?;
    let mode = meta.mode() & 0o777;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(format!(
            "the file holds a client secret but belongs to another user (uid {}, you are uid {me}).",
            meta.uid()
        ));
    }
    if mode & 0o077 != 0 {
        return Err(format!(
            "the file holds a client secret but other users can read or change it (mode {mode:04o})."
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn secret_file_is_private(_path: &Path) -> Result<(), String> {
    Err(
        "the file holds a client secret, and on this system Shipdesk cannot check who else may \
         read it."
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::MemorySecretStore;

    fn write(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        let _ = mode;
        path
    }

    fn status(setup: &PlatformAppSetup, environment: Environment) -> &PlatformAppStatus {
        setup.status(environment).unwrap()
    }

    const PROD_WITH_SECRET: &str = "[production]\nclient_id = \"prod-id\"\nredirect_uri = \
                                    \"http://127.0.0.1:9123/usps/callback\"\nclient_secret = \"s3cret\"\n";

    #[cfg(unix)]
    #[test]
    fn a_private_file_configures_its_environment_with_its_secret_and_port() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), PLATFORM_APPS_FILE, PROD_WITH_SECRET, 0o600);
        let setup = load(
            &PlatformAppSources::files([file.clone()]),
            &MemorySecretStore::default(),
        );
        let prod = status(&setup, Environment::Production);
        assert_eq!(prod.problem, None);
        assert_eq!(
            prod.app,
            Some(ConfiguredPlatformApp {
                client_id: "prod-id".into(),
                redirect_uri: "http://127.0.0.1:9123/usps/callback".into(),
                source: file.display().to_string(),
                secret_source: PlatformSecretSource::File,
            })
        );
        let app = setup
            .apps
            .iter()
            .find(|a| a.environment == Environment::Production)
            .unwrap();
        assert_eq!(
            (app.client_secret.as_str(), app.redirect_port),
            ("s3cret", Some(9123))
        );
        // TEM is not in the file: not offered, and the reason says where to configure it.
        let tem = status(&setup, Environment::Tem);
        assert!(tem.app.is_none());
        let why = tem.problem.as_deref().unwrap();
        assert!(
            why.contains("[tem]") && why.contains(&file.display().to_string()),
            "{why}"
        );
        assert_eq!(setup.apps.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_secret_in_a_file_others_can_read_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), PLATFORM_APPS_FILE, PROD_WITH_SECRET, 0o644);
        let setup = load(
            &PlatformAppSources::files([file.clone()]),
            &MemorySecretStore::default(),
        );
        let prod = status(&setup, Environment::Production);
        assert!(prod.app.is_none());
        let why = prod.problem.as_deref().unwrap();
        assert!(
            why.contains(&format!("chmod 600 {}", file.display())),
            "{why}"
        );
        assert!(
            why.contains("mode 0644") && why.contains("client_secret"),
            "{why}"
        );
        assert!(setup.apps.is_empty());
    }

    #[test]
    fn without_a_secret_in_the_file_the_keyring_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(
            dir.path(),
            PLATFORM_APPS_FILE,
            "[tem]\nclient_id = \"tem-id\"\n",
            0o644,
        );
        let secrets = MemorySecretStore::default();
        let missing = load(&PlatformAppSources::files([file.clone()]), &secrets);
        let why = status(&missing, Environment::Tem).problem.clone().unwrap();
        assert!(
            why.contains("shipdesk carriers platform-secret --env tem"),
            "{why}"
        );
        secrets
            .set(&platform_secret_key(Environment::Tem), "kept")
            .unwrap();
        let setup = load(&PlatformAppSources::files([file]), &secrets);
        let tem = status(&setup, Environment::Tem).app.clone().unwrap();
        assert_eq!(tem.secret_source, PlatformSecretSource::Keyring);
        assert_eq!(tem.redirect_uri, "http://127.0.0.1:8765/usps/callback");
        assert_eq!(setup.apps[0].client_secret, "kept");
    }

    #[test]
    fn the_data_directory_beats_the_system_file_beats_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let user = write(
            dir.path(),
            "user.toml",
            "[production]\nclient_id = \"user-prod\"\n",
            0o644,
        );
        let system = write(
            dir.path(),
            "system.toml",
            "[production]\nclient_id = \"system-prod\"\n[tem]\nclient_id = \"system-tem\"\n",
            0o644,
        );
        let secrets = MemorySecretStore::default();
        secrets
            .set(&platform_secret_key(Environment::Production), "p")
            .unwrap();
        secrets
            .set(&platform_secret_key(Environment::Tem), "t")
            .unwrap();
        let built = |environment| BuiltInApp {
            environment: Some(environment),
            client_id: Some("built-id"),
            client_secret: Some("built-secret"),
            redirect_uri: None,
        };
        let sources = PlatformAppSources {
            files: vec![user.clone(), system.clone(), dir.path().join("absent.toml")],
            built_in: vec![built(Environment::Tem), built(Environment::Production)],
        };
        let setup = load(&sources, &secrets);
        let prod = status(&setup, Environment::Production).app.clone().unwrap();
        assert_eq!(
            (prod.client_id.as_str(), prod.source),
            ("user-prod", user.display().to_string())
        );
        let tem = status(&setup, Environment::Tem).app.clone().unwrap();
        assert_eq!(
            (tem.client_id.as_str(), tem.source),
            ("system-tem", system.display().to_string())
        );

        // Without files the build's apps are used, their secrets with them.
        let only_build = PlatformAppSources {
            files: vec![dir.path().join("absent.toml")],
            built_in: sources.built_in.clone(),
        };
        let setup = load(&only_build, &MemorySecretStore::default());
        let prod = status(&setup, Environment::Production).app.clone().unwrap();
        assert_eq!(prod.secret_source, PlatformSecretSource::Build);
        assert!(
            prod.source.contains("SHIPDESK_USPS_PRODUCTION_CLIENT_ID"),
            "{}",
            prod.source
        );
        assert_eq!(setup.apps.len(), 2);
    }

    #[test]
    fn a_broken_file_names_its_line_and_does_not_fall_back() {
        let dir = tempfile::tempdir().unwrap();
        let broken = write(
            dir.path(),
            "broken.toml",
            "# Shipdesk\n[production]\nclient_id = prod-id\n",
            0o644,
        );
        let fine = write(
            dir.path(),
            "fine.toml",
            "[production]\nclient_id = \"x\"\nclient_secret = \"y\"\n",
            0o600,
        );
        let setup = load(
            &PlatformAppSources::files([broken.clone(), fine]),
            &MemorySecretStore::default(),
        );
        for environment in CONFIGURABLE {
            let s = status(&setup, environment);
            assert!(s.app.is_none());
            let why = s.problem.as_deref().unwrap();
            assert!(
                why.starts_with(&format!("{}, line 3: ", broken.display())),
                "{why}"
            );
        }
        assert!(setup.apps.is_empty());
    }

    #[test]
    fn unknown_tables_and_fields_and_bad_values_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemorySecretStore::default();
        secrets
            .set(&platform_secret_key(Environment::Production), "p")
            .unwrap();
        let cases = [
            ("[prod]\nclient_id = \"a\"\n", "line 1", "prod"),
            (
                "[production]\nclient_id = \"a\"\nclient_secert = \"b\"\n",
                "line 3",
                "client_secert",
            ),
            (
                "[production]\nclient_id = \"\"\n",
                "[production] client_id",
                "is empty",
            ),
            (
                "[production]\nclient_id = \"a\"\nredirect_uri = \"https://shipdesk.example/cb\"\n",
                "[production] redirect_uri",
                "http://127.0.0.1:<port>/usps/callback",
            ),
            (
                "[production]\nclient_id = \"a\"\nredirect_uri = \"http://127.0.0.1/usps/callback\"\n",
                "[production] redirect_uri",
                "as registered with USPS",
            ),
        ];
        for (text, place, what) in cases {
            let file = write(dir.path(), PLATFORM_APPS_FILE, text, 0o644);
            let setup = load(&PlatformAppSources::files([file.clone()]), &secrets);
            let why = status(&setup, Environment::Production)
                .problem
                .clone()
                .unwrap();
            assert!(why.starts_with(&file.display().to_string()), "{why}");
            assert!(why.contains(place) && why.contains(what), "{text:?}: {why}");
        }
    }

    #[test]
    fn redirect_uris_must_be_the_loopback_callback() {
        assert_eq!(
            redirect_port("http://127.0.0.1:8765/usps/callback"),
            Ok(8765)
        );
        for bad in [
            "http://localhost:8765/usps/callback",
            "https://127.0.0.1:8765/usps/callback",
            "http://127.0.0.1:8765/other",
            "http://127.0.0.1:8765/usps/callback?x=1",
            "not a url",
        ] {
            assert!(redirect_port(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn nothing_configured_is_a_status_not_an_error() {
        let setup = load(
            &PlatformAppSources::default(),
            &MemorySecretStore::default(),
        );
        assert!(setup.apps.is_empty());
        assert_eq!(setup.statuses.len(), 2);
        assert!(setup.statuses.iter().all(|s| s.problem.is_some()));
    }
}
