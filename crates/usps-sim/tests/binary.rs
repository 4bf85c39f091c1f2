//! The `usps-sim` binary: loads a TOML scenario, prints its base URL first, serves, and keeps
//! state in the given file.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_prints_base_url_and_serves_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("scenario.toml");
    let mut s = usps_sim::Scenario::demo();
    s.apps[0].client_secret = "from-the-file".into();
    std::fs::write(&scenario, toml::to_string(&s).unwrap()).unwrap();
    let state = dir.path().join("state.json");

    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_usps-sim"))
            .args(["--bind", "127.0.0.1:0", "--scenario"])
            .arg(&scenario)
            .arg("--state")
            .arg(&state)
            .stdout(Stdio::piped())
            .spawn()
            .expect("binary runs"),
    );
    let stdout = child.0.stdout.take().unwrap();
    let first = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let base = url::Url::parse(first.trim()).expect("first line is the base URL");
    assert_eq!(base.host_str(), Some("127.0.0.1"));

    let r = reqwest::Client::new()
        .post(base.join("oauth2/v3/token").unwrap())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "shipdesk-sandbox"),
            ("client_secret", "from-the-file"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(state.exists(), "state file written");
}

#[test]
fn binary_rejects_a_broken_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("bad.toml");
    std::fs::write(&scenario, "seed = \"not a number\"").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_usps-sim"))
        .args(["--bind", "127.0.0.1:0", "--scenario"])
        .arg(&scenario)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("scenario TOML"));
}

#[test]
fn demo_scenario_printed_by_the_binary_loads_back() {
    let out = Command::new(env!("CARGO_BIN_EXE_usps-sim"))
        .arg("--print-demo-scenario")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        usps_sim::Scenario::from_toml_str(&text).unwrap(),
        usps_sim::Scenario::demo()
    );
}
