//! `shipdesk postage endicia …` run as the real binary against the in-process Sandbox Endicia
//! simulator: login (pass phrase on stdin, never printed) remembers the login in the OS
//! keyring, then status, buy (and an amount refused beside its field), change-pass-phrase,
//! pay-labels and logout each run as their own process. Needs a Secret Service (skipped where
//! none answers).

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const PASS: &str = "Shipdesk demo 2026";

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_shipdesk"))
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .arg("--json")
            .args(["postage", "endicia"])
            .args(args)
            .env_remove("SHIPDESK_DATA_DIR")
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
        let out = child.wait_with_output().unwrap();
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !printed.contains(PASS),
            "a pass phrase was printed: {printed}"
        );
        out
    }

    fn ok(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn err(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let out = self.run(args, stdin);
        assert!(!out.status.success(), "{args:?} should fail");
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

#[test]
fn login_is_remembered_and_each_command_uses_it() {
    if let Err(e) = shipdesk_core::carriers::KeyringSecretStore::default().probe() {
        println!("SKIPPED: no Secret Service available ({})", e.message);
        return;
    }
    let cli = Cli {
        dir: tempfile::tempdir().unwrap(),
    };
    let none = cli.err(&["status"], None);
    assert_eq!(none["code"], "ENDICIA_LOGIN_REQUIRED", "{none}");

    let wrong = cli.err(
        &["login", "--account", "2500123"],
        Some("wrong pass phrase\n"),
    );
    assert_eq!(wrong["code"], "ENDICIA_LOGIN_REQUIRED", "{wrong}");
    let account = cli.ok(
        &["login", "--account", "2500123"],
        Some(&format!("{PASS}\n")),
    );
    assert_eq!(account["balance"], "100.00", "{account}");

    let status = cli.ok(&["status"], None);
    assert_eq!(status["status"], "Active", "{status}");
    let bought = cli.ok(&["buy", "50"], None);
    assert_eq!(bought["account"]["balance"], "150.00", "{bought}");
    let low = cli.err(&["buy", "5"], None);
    assert_eq!(low["code"], "VALIDATION", "{low}");
    assert!(low["details"]["fields"]["amount"].is_string(), "{low}");

    let reused = cli.err(&["change-pass-phrase"], Some(&format!("{PASS}\n")));
    assert!(
        reused["details"]["fields"]["new_pass_phrase"].is_string(),
        "{reused}"
    );
    cli.ok(&["change-pass-phrase"], Some("Another pass phrase 2\n"));
    // The new pass phrase was remembered: the next command logs in with it.
    assert_eq!(cli.ok(&["status"], None)["balance"], "150.00");

    // Labels paid from the account, as a setting of the data directory every command reads.
    assert_eq!(cli.ok(&["pay-labels", "on"], None)["pays_labels"], true);
    assert_eq!(cli.ok(&["status"], None)["pays_labels"], true);
    assert_eq!(cli.ok(&["pay-labels", "off"], None)["pays_labels"], false);
    let auto = cli.ok(&["auto-buy", "--below", "25", "--amount", "50"], None);
    assert_eq!(auto["auto_buy"]["amount"], "50", "{auto}");
    let refused = cli.err(&["auto-buy", "--below", "25", "--amount", "5"], None);
    assert!(
        refused["details"]["fields"]["auto_amount"].is_string(),
        "{refused}"
    );
    assert_eq!(
        cli.ok(&["auto-buy", "--off"], None)["auto_buy"],
        Value::Null
    );

    cli.ok(&["logout"], None);
    let gone = cli.err(&["status"], None);
    assert_eq!(gone["code"], "ENDICIA_LOGIN_REQUIRED", "{gone}");
}
