use std::process::Command;

fn shipdesk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_shipdesk"))
}

#[test]
fn doctor_reports_data_dir_schema_and_environment_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = shipdesk()
        .args(["--json", "doctor", "--data-dir"])
        .arg(dir.path())
        .env_remove("SHIPDESK_DATA_DIR")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["data_dir"], dir.path().display().to_string());
    assert_eq!(v["schema_version"], v["latest_schema_version"]);
    assert!(
        v["build"]
            .as_str()
            .is_some_and(|b| b.contains(" build for ")),
        "{v}"
    );
    assert!(v["schema_version"].as_u64().unwrap() >= 1);
    assert_eq!(v["environment"], "sandbox");
}

#[test]
fn data_dir_comes_from_the_environment_variable() {
    let dir = tempfile::tempdir().unwrap();
    let out = shipdesk()
        .arg("doctor")
        .env("SHIPDESK_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&dir.path().display().to_string()), "{text}");
    assert!(text.contains("SHIPDESK_DATA_DIR"), "{text}");
}

#[test]
fn a_newer_database_is_refused_with_a_json_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        shipdesk()
            .arg("doctor")
            .arg("--data-dir")
            .arg(dir.path())
            .status()
            .unwrap()
            .success()
    );
    let db = dir.path().join("shipdesk.sqlite3");
    let status = Command::new("sqlite3")
        .arg(&db)
        .arg("PRAGMA user_version = 999;")
        .status();
    if !matches!(status, Ok(s) if s.success()) {
        println!("SKIPPED: sqlite3 command not available");
        return;
    }
    let out = shipdesk()
        .args(["--json", "doctor", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "DATABASE_TOO_NEW");
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Standard output is a pipe nobody reads any more, as in `shipdesk doctor | head -0`.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let child = shipdesk()
        .args(["doctor", "--data-dir"])
        .arg(dir.path())
        .env_remove("SHIPDESK_DATA_DIR")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{:?} {stderr}", out.status);
}

#[test]
fn every_command_writes_a_log_in_the_data_directory_or_where_asked() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = shipdesk()
        .args(["doctor", "--data-dir"])
        .arg(&data)
        .env_remove("SHIPDESK_DATA_DIR")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    assert!(out.status.success());
    let log = std::fs::read_to_string(data.join("logs/cli.log")).unwrap();
    assert!(
        log.contains("shipdesk command") && log.contains("doctor"),
        "{log}"
    );

    let chosen = dir.path().join("elsewhere.log");
    let out = shipdesk()
        .args(["doctor", "--data-dir"])
        .arg(&data)
        .arg("--log")
        .arg(&chosen)
        .env_remove("SHIPDESK_DATA_DIR")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&chosen).unwrap().contains("doctor"));
}

#[test]
fn version_says_how_the_binary_was_built() {
    let out = shipdesk().arg("--version").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(&format!("shipdesk {}", env!("CARGO_PKG_VERSION")))
            && text.contains(" build for "),
        "{text}"
    );
}
