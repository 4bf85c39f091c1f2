//! `shipdesk carriers …` run as the real binary against the in-process Sandbox simulator:
//! list on a fresh data directory (the demo account), check (the doctor), add with your own
//! USPS app (secret on stdin, never printed), field validation, login waiting for the browser,
//! remove. Secrets are kept in memory (`SHIPDESK_SECRETS=memory`) so the tests do not depend on
//! a keyring; one test uses the real keyring where a Secret Service answers.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const DEMO_SECRET: &str = "shipdesk-sandbox-secret";

struct Cli {
    dir: tempfile::TempDir,
    secrets: &'static str,
}

impl Cli {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            secrets: "memory",
        }
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_shipdesk"))
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .args(args)
            .env_remove("SHIPDESK_DATA_DIR")
            .env("SHIPDESK_SECRETS", self.secrets)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
        drop(input);
        child.wait_with_output().unwrap()
    }

    /// `--json`, expecting success; the parsed stdout.
    fn json(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let out = self.json_output(args, stdin);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn json_output(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut all = vec!["--json", "carriers"];
        all.extend_from_slice(args);
        let out = self.run(&all, stdin);
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!printed.contains(DEMO_SECRET), "a secret was printed");
        out
    }

    /// `--json`, expecting failure; the error object.
    fn error(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let out = self.json_output(args, stdin);
        assert!(!out.status.success(), "{args:?} should fail");
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn statuses(check: &Value) -> Vec<String> {
    check["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_owned())
        .collect()
}

fn add_own_app(cli: &Cli, nickname: &str) -> Value {
    cli.json(
        &[
            "add",
            "--client-id",
            "shipdesk-sandbox",
            "--client-secret-stdin",
            "--env",
            "sandbox",
            "--nickname",
            nickname,
        ],
        Some(&format!("{DEMO_SECRET}\n")),
    )
}

#[test]
fn fresh_data_dir_lists_and_checks_the_sandbox_demo_account() {
    let cli = Cli::new();
    let list = cli.json(&["list"], None);
    let accounts = list.as_array().unwrap();
    assert_eq!(accounts.len(), 1, "{list}");
    let demo = &accounts[0];
    assert_eq!(demo["nickname"], "Sandbox demo");
    assert_eq!(demo["environment"], "sandbox");
    assert_eq!(demo["is_default"], true);
    assert_eq!(demo["state"], serde_json::json!({"state": "connected"}));
    assert_eq!(demo["mode"]["kind"], "sign_in");
    assert_eq!(demo["crid"], "56982563");

    let check = cli.json(&["check", "sandbox demo"], None);
    assert_eq!(statuses(&check), vec!["passed"; 6], "{check:#}");
    assert!(check["account"]["last_verified_at"].is_string());

    // The human form names every step.
    let text = cli.run(&["carriers", "check", "1"], None);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("passed") && text.contains("Quota headroom"),
        "{text}"
    );
    assert!(text.contains("Contract prices: no"), "{text}");
}

#[test]
fn add_own_app_then_remove() {
    let cli = Cli::new();
    let added = add_own_app(&cli, "Own app");
    let account = &added["account"];
    assert_eq!(account["nickname"], "Own app");
    assert_eq!(
        account["mode"],
        serde_json::json!({"kind": "own_app", "client_id": "shipdesk-sandbox"})
    );
    assert_eq!(account["state"]["state"], "connected");
    assert_eq!(
        account["eps_account"], "1000012345",
        "prefilled from the token"
    );
    assert_eq!(
        account["is_default"], false,
        "the demo account stays the default"
    );

    let list = cli.json(&["list"], None);
    assert_eq!(list.as_array().unwrap().len(), 2);

    // In memory-only mode the secret ended with the `add` process: the doctor says so plainly.
    let check = cli.json(&["check", "own app"], None);
    assert_eq!(
        statuses(&check),
        vec![
            "failed",
            "not_reached",
            "not_reached",
            "not_reached",
            "not_reached",
            "passed"
        ],
        "{check:#}"
    );
    let detail = check["steps"][0]["detail"].as_str().unwrap();
    assert!(detail.contains("not saved on this computer"), "{detail}");

    let removed = cli.json(&["remove", "Own app"], None);
    assert_eq!(removed["account"]["nickname"], "Own app");
    let list = cli.json(&["list"], None);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["nickname"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Sandbox demo"]);
    let gone = cli.error(&["check", "Own app"], None);
    assert_eq!(gone["code"], "NOT_FOUND");
}

#[test]
fn add_validates_each_field_and_the_mode() {
    let cli = Cli::new();
    let err = cli.error(
        &[
            "add",
            "--client-id",
            "shipdesk-sandbox",
            "--client-secret-stdin",
            "--crid",
            "12ab",
            "--mid",
            "1234567",
            "--eps",
            "12",
        ],
        Some(DEMO_SECRET),
    );
    assert_eq!(err["code"], "VALIDATION", "{err}");
    let fields = err["details"]["fields"].as_object().unwrap();
    assert!(fields.contains_key("crid") && fields.contains_key("mid"));
    assert!(fields.contains_key("eps_account"));

    let no_mode = cli.error(&["add"], None);
    assert_eq!(no_mode["code"], "VALIDATION");
    let no_stdin = cli.error(&["add", "--client-id", "x"], None);
    assert!(
        no_stdin["message"]
            .as_str()
            .unwrap()
            .contains("standard input")
    );

    let wrong_secret = cli.error(
        &[
            "add",
            "--client-id",
            "shipdesk-sandbox",
            "--client-secret-stdin",
        ],
        Some("not-the-secret"),
    );
    assert_eq!(wrong_secret["code"], "VALIDATION");
    assert!(wrong_secret["details"]["fields"]["client_secret"].is_string());

    let bad_url = cli.error(
        &[
            "add",
            "--client-id",
            "a",
            "--client-secret-stdin",
            "--base-url",
            "ftp://x",
        ],
        Some("s"),
    );
    assert_eq!(bad_url["code"], "VALIDATION");
    // Nothing half-made was left behind.
    assert_eq!(cli.json(&["list"], None).as_array().unwrap().len(), 1);
}

#[test]
fn login_prints_the_address_and_gives_up_after_the_timeout() {
    let cli = Cli::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let out = cli.json_output(
        &[
            "login",
            "Sandbox demo",
            "--no-browser",
            "--timeout",
            "1",
            "--port",
            &port,
        ],
        None,
    );
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["code"], "CANCELLED", "{err}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/cop-navigator?wf=apis_merchant_user"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("127.0.0.1%3A{port}%2Fusps%2Fcallback")),
        "{stderr}"
    );
}

#[test]
fn own_app_secret_is_kept_in_the_keyring_between_commands() {
    if let Err(e) = shipdesk_core::carriers::KeyringSecretStore::default().probe() {
        println!("SKIPPED: no Secret Service available ({})", e.message);
        return;
    }
    let cli = Cli {
        secrets: "keyring",
        ..Cli::new()
    };
    add_own_app(&cli, "Own app");
    let check = cli.json(&["check", "Own app"], None);
    assert_eq!(statuses(&check), vec!["passed"; 6], "{check:#}");
    cli.json(&["remove", "Own app"], None);
}

#[test]
fn add_with_a_custom_host() {
    // A simulator of our own, reached through --base-url like any other USPS host.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime
        .block_on(usps_sim::start(usps_sim::SimConfig::new(
            usps_sim::Scenario::demo(),
        )))
        .unwrap();
    let base = sim.base_url().to_string();
    let cli = Cli::new();
    let added = cli.json(
        &[
            "add",
            "--client-id",
            "shipdesk-sandbox",
            "--client-secret-stdin",
            "--env",
            "tem",
            "--base-url",
            &base,
            "--nickname",
            "Test host",
        ],
        Some(DEMO_SECRET),
    );
    let account = &added["account"];
    assert_eq!(account["environment"], "tem");
    assert_eq!(account["base_url"], base.as_str());
    assert_eq!(account["state"]["state"], "connected");
    assert_eq!(account["crid"], "56982563");
    let calls = runtime.block_on(async { sim.calls() });
    assert!(calls.get("oauth2").copied().unwrap_or(0) >= 1, "{calls:?}");
    let text = cli.run(&["carriers", "list"], None);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&format!("USPS Test (TEM) at {base}")),
        "{text}"
    );
    cli.json(&["remove", "Test host"], None);
    runtime.block_on(sim.shutdown());
}

#[test]
fn an_account_is_paced_to_the_calls_an_hour_usps_allows_its_app() {
    let cli = Cli::new();
    let demo = || cli.json(&["list"], None)[0].clone();
    assert!(demo()["calls_per_hour"].is_null());
    let text = cli.run(&["carriers", "list"], None);
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("60 calls an hour"),
        "USPS's default shows when none is set"
    );
    let edited = cli.json(&["edit", "Sandbox demo", "--calls-per-hour", "5000"], None);
    assert_eq!(edited["calls_per_hour"], 5000, "{edited}");
    let text = cli.run(&["carriers", "list"], None);
    assert!(String::from_utf8_lossy(&text.stdout).contains("5000 calls an hour"));
    // Another edit leaves it alone; zero is refused with the field named.
    cli.json(&["edit", "Sandbox demo", "--nickname", "Shop"], None);
    assert_eq!(demo()["calls_per_hour"], 5000);
    let refused = cli.run(&["carriers", "edit", "Shop", "--calls-per-hour", "0"], None);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("Calls per hour must be a whole number"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

#[test]
fn whether_an_account_holds_a_contract_is_the_users_word_when_given() {
    let cli = Cli::new();
    let demo = || cli.json(&["list"], None)[0].clone();
    assert_eq!(demo()["has_contract"], false);
    assert!(demo()["contract_source"].is_null());

    let edited = cli.json(&["edit", "Sandbox demo", "--contract", "yes"], None);
    assert_eq!(edited["has_contract"], true, "{edited}");
    assert_eq!(edited["contract_source"], "entered");
    let text = cli.run(&["carriers", "list"], None);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("contract prices yes (you said so)"), "{text}");

    // Changing another field leaves the user's word alone.
    cli.json(&["edit", "Sandbox demo", "--nickname", "Shop"], None);
    assert_eq!(demo()["has_contract"], true);
    cli.json(&["edit", "Shop", "--contract", "no"], None);
    assert_eq!(demo()["has_contract"], false);
    assert_eq!(demo()["contract_source"], "entered");

    let bad = cli.run(&["carriers", "edit", "Shop", "--contract", "maybe"], None);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--contract"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );

    let added = cli.json(
        &[
            "add",
            "--client-id",
            "shipdesk-sandbox",
            "--client-secret-stdin",
            "--nickname",
            "Contract shop",
            "--contract",
            "yes",
        ],
        Some(&format!("{DEMO_SECRET}\n")),
    );
    assert_eq!(added["account"]["has_contract"], true, "{added}");
    assert_eq!(added["account"]["contract_source"], "entered");
}

#[test]
fn the_business_account_guide_checks_each_step_with_usps() {
    let cli = Cli::new();
    let guide = cli.json(&["guide"], None);
    let steps: Vec<(&str, &str)> = guide["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["key"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("business_account", "done"),
            ("payment_account", "done"),
            ("link", "done")
        ],
        "{guide:#}"
    );
    let text = cli.run(&["carriers", "guide", "Sandbox demo"], None);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("1. USPS business account [done]")
            && text.contains("2. Enterprise Payment Account [done]")
            && text.contains("Contract prices (NSA): no")
            && text.contains("Do not reset your USPS.com password"),
        "{text}"
    );
    assert_eq!(guide["contract_prices_said"], Value::Null);
    let said = cli.json(&["guide", "--contract-prices", "yes"], None);
    assert_eq!(said["contract_prices_said"], true, "{said:#}");
    // Kept with the desk's data: the next command reads it back.
    let text = cli.run(&["carriers", "guide"], None);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("You said you have USPS contract prices"),
        "{text}"
    );
}
