//! Sign in with USPS on TEM and Production, as configured by `usps-platform-apps.toml` in the
//! data directory: `shipdesk doctor` shows the platform app (environment, client id, file) or
//! why there is none, and `carriers add --sign-in` uses the configured app and its redirect
//! port, or says what to do when none is configured.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

struct DataDir {
    dir: tempfile::TempDir,
}

impl DataDir {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes the platform-app file with the given permissions.
    fn platform_apps(&self, text: &str, mode: u32) -> PathBuf {
        let path = self.path().join("usps-platform-apps.toml");
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        let _ = mode;
        path
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_shipdesk"))
            .args(args)
            .arg("--data-dir")
            .arg(self.path())
            .env_remove("SHIPDESK_DATA_DIR")
            .env("SHIPDESK_SECRETS", "memory")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn doctor_json(&self) -> Value {
        let out = self.run(&["--json", "doctor"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn status<'a>(doctor: &'a Value, environment: &str) -> &'a Value {
    doctor["platform_apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["environment"] == environment)
        .unwrap_or_else(|| panic!("no {environment} in {doctor}"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[cfg(unix)]
#[test]
fn doctor_shows_the_configured_platform_app_and_sign_in_uses_it() {
    let data = DataDir::new();
    let port = free_port();
    let file = data.platform_apps(
        &format!(
            "[production]\nclient_id = \"shipdesk-prod-app\"\nredirect_uri = \
             \"http://127.0.0.1:{port}/usps/callback\"\nclient_secret = \"prod-secret-value\"\n"
        ),
        0o600,
    );
    let doctor = data.doctor_json();
    let production = status(&doctor, "production");
    assert_eq!(
        production["app"]["client_id"], "shipdesk-prod-app",
        "{doctor}"
    );
    assert_eq!(production["app"]["source"], file.display().to_string());
    assert_eq!(production["app"]["secret_source"], "file");
    assert_eq!(
        production["app"]["redirect_uri"],
        format!("http://127.0.0.1:{port}/usps/callback")
    );
    assert!(
        status(&doctor, "tem")["problem"]
            .as_str()
            .unwrap()
            .contains("[tem]")
    );

    let text = data.run(&["doctor"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains(&format!(
            "Sign in with USPS, Production: client id shipdesk-prod-app, redirect \
             http://127.0.0.1:{port}/usps/callback ({}; secret in the file)",
            file.display()
        )),
        "{text}"
    );
    assert!(
        !text.contains("prod-secret-value"),
        "the secret was printed: {text}"
    );

    // Sign in on Production consents to the configured app and listens on its port.
    let out = data.run(&[
        "--json",
        "carriers",
        "add",
        "--sign-in",
        "--env",
        "production",
        "--no-browser",
        "--timeout",
        "1",
    ]);
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["code"], "CANCELLED", "{err}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("client_id=shipdesk-prod-app"), "{stderr}");
    assert!(
        stderr.contains(&format!("127.0.0.1%3A{port}%2Fusps%2Fcallback")),
        "{stderr}"
    );
    assert!(!stderr.contains("prod-secret-value"), "{stderr}");
}

#[test]
fn sign_in_without_a_platform_app_says_what_to_do() {
    let data = DataDir::new();
    let out = data.run(&[
        "--json",
        "carriers",
        "add",
        "--sign-in",
        "--env",
        "production",
    ]);
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["code"], "VALIDATION", "{err}");
    let message = err["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "Sign in with USPS is not set up for Production in this copy of Shipdesk: "
        ),
        "{message}"
    );
    assert!(
        message.contains(
            &data
                .path()
                .join("usps-platform-apps.toml")
                .display()
                .to_string()
        ),
        "{message}"
    );
    assert!(message.contains("[production]"), "{message}");
    assert!(
        message.ends_with("Use your own USPS app's credentials instead."),
        "{message}"
    );
    let doctor = data.doctor_json();
    assert!(status(&doctor, "production")["app"].is_null());
}

#[cfg(unix)]
#[test]
fn a_secret_others_can_read_is_refused_with_the_file_and_the_fix() {
    let data = DataDir::new();
    let file = data.platform_apps(
        "[tem]\nclient_id = \"tem-app\"\nclient_secret = \"tem-secret\"\n",
        0o644,
    );
    let doctor = data.doctor_json();
    let problem = status(&doctor, "tem")["problem"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        problem.contains(&format!("chmod 600 {}", file.display())),
        "{problem}"
    );
    let out = data.run(&["--json", "carriers", "add", "--sign-in", "--env", "tem"]);
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        err["message"],
        format!(
            "Sign in with USPS is not set up for USPS Test (TEM) in this copy of Shipdesk: \
             {problem} Use your own USPS app's credentials instead."
        )
    );
}

#[test]
fn a_broken_file_is_reported_and_the_cli_still_works() {
    let data = DataDir::new();
    let file = data.platform_apps("[production]\nclient_id = \"a\"\nredirect = \"b\"\n", 0o600);
    let doctor = data.doctor_json();
    let problem = status(&doctor, "production")["problem"].as_str().unwrap();
    assert!(
        problem.starts_with(&format!("{}, line 3: ", file.display())),
        "{problem}"
    );
    // Everything else still works: the Sandbox demo account is listed.
    let out = data.run(&["--json", "carriers", "list"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
