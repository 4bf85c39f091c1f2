//! `shipdesk rates | labels | shipments | eod | pickup | purchases` run as the real binary on a
//! fresh Sandbox data directory (the in-process simulator and its demo account), including the
//! CLI killed with SIGKILL in the middle of a batch and run again, and purchases an interrupted
//! run left unsettled, checked again or discarded.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use usps_sim::LedgerKind;

struct Desk {
    dir: tempfile::TempDir,
}

const HEADER: &str = "Name,Email,Financial Status,Fulfillment Status,Currency,Subtotal,Shipping,\
Total,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,\
Lineitem requires shipping,Shipping Name,Shipping Address1,Shipping Address2,Shipping Company,\
Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Cancelled at,Id,Tags";

impl Desk {
    /// A fresh data directory with a ship-from address and `orders` Shopify orders #3001….
    fn new(orders: usize) -> Self {
        let desk = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        desk.json(&[
            "ship-from",
            "add",
            "--nickname",
            "Shop",
            "--name",
            "John Smith",
            "--company",
            "Bingham Goods",
            "--street",
            "4120 Bingham Ave",
            "--city",
            "Saint Louis",
            "--state",
            "MO",
            "--zip",
            "63116",
            "--email",
            "john@example.com",
            "--default",
        ]);
        let places = [
            ("500 Congress Ave", "Austin", "78701", "TX"),
            ("21 Beacon St", "Boston", "02108", "MA"),
            ("2516 W North Ave", "Chicago", "60647", "IL"),
        ];
        let mut csv = String::from(HEADER);
        for i in 0..orders {
            let (street, city, zip, state) = places[i % places.len()];
            csv.push_str(&format!(
                "\n#{},,paid,unfulfilled,USD,10.00,5.00,15.00,Standard,2026-11-10 09:00:00 -0600,\
                 1,Widget,10.00,W-{i},true,Customer Person{i},{street},,,{city},'{zip},{state},US,,,,{},",
                3001 + i,
                8_000_000_000_000u64 + i as u64
            ));
        }
        let file = desk.dir.path().join("orders.csv");
        std::fs::write(&file, csv).unwrap();
        desk.json(&["orders", "import", file.to_str().unwrap()]);
        desk
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_shipdesk"));
        c.arg("--data-dir")
            .arg(self.data())
            .args(args)
            .env_remove("SHIPDESK_DATA_DIR")
            .env("SHIPDESK_SECRETS", "memory");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Tracking number → order number, for every label not voided.
    fn stored(&self) -> BTreeMap<String, String> {
        self.json(&["shipments", "list", "--limit", "1000"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["status"] != "voided")
            .map(|s| {
                (
                    s["tracking_number"].as_str().unwrap().to_owned(),
                    s["order_number"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// What the Sandbox simulator charged (and did not void), from its state file.
    fn charged(&self) -> BTreeSet<String> {
        let state = usps_sim::state::load(&self.data().join("sandbox/usps-sim.json")).unwrap();
        let mut charged = BTreeSet::new();
        for e in state.ledger {
            match e.kind {
                LedgerKind::Charged => {
                    charged.insert(e.tracking_number);
                }
                LedgerKind::Canceled => {
                    charged.remove(&e.tracking_number);
                }
                _ => {}
            }
        }
        charged
    }

    /// The core desk over this data directory, as a second Shipdesk process would open it.
    fn core(&self) -> shipdesk_core::Desk {
        shipdesk_core::Desk::builder(shipdesk_core::DataDir::at(self.data()))
            .secrets(std::sync::Arc::new(
                shipdesk_core::ports::MemorySecretStore::default(),
            ))
            .build()
            .unwrap()
    }

    fn assert_exactly_once(&self) {
        let stored = self.stored();
        let numbers: BTreeSet<String> = stored.keys().cloned().collect();
        assert_eq!(self.charged(), numbers, "sandbox ledger vs stored labels");
        let mut per_order: BTreeMap<&str, u32> = BTreeMap::new();
        for order in stored.values() {
            *per_order.entry(order).or_default() += 1;
        }
        assert!(per_order.values().all(|n| *n == 1), "{per_order:?}");
    }
}

/// Leaves order `number`'s purchase as a crash after sending leaves it: journaled and marked
/// sent with its key, its answer never stored. (USPS has not seen it: reconciling will buy it
/// under that key, as it would return a label it had made.)
fn leave_sent_purchase(desk: &Desk, number: &str) {
    use shipdesk_core::postage::{LabelOrder, PostageProvider};
    use shipdesk_core::shipping::{Intent, NewAttempt, PurchaseJournal, RateChoice};

    let core = desk.core();
    let provider: &dyn PostageProvider = core.connections().as_ref();
    let account = provider.default_account().unwrap();
    let order = core.orders().get_by_number(number).unwrap();
    let from = core.shipping().ship_from(None).unwrap().address;
    let rate = RateChoice::single_piece("USPS_GROUND_ADVANTAGE");
    let package = core.shipping().default_package(&order).unwrap();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let payload = provider
        .label_payload(
            &account,
            &LabelOrder {
                from: &from,
                to: &order.ship_to,
                customs: None,
                package: &package,
                rate: &rate,
                mailing_date: &today,
                ignore_bad_address: false,
            },
        )
        .unwrap();
    let journal: &dyn PurchaseJournal = core.store().as_ref();
    let Intent::Created(attempt) = journal
        .record_intent(
            &NewAttempt {
                order_id: order.id,
                account_id: account.id,
                key: "7d0c1b1e-2f7a-4c55-9d61-3b9f0e6a1c42",
                payload: &payload,
                mail_class: &rate.mail_class,
                ship_from_id: None,
                package: &package,
                address_choice: "as_entered",
                ship_to: &order.ship_to,
                additional_label: false,
            },
            "2026-11-30T00:00:00Z",
        )
        .unwrap()
    else {
        panic!("a fresh intent expected");
    };
    journal.mark_sent(&attempt, "2026-11-30T00:00:01Z").unwrap();
}

#[test]
fn a_label_recovered_from_an_interrupted_run_counts_as_bought() {
    let desk = Desk::new(2);
    leave_sent_purchase(&desk, "3001");
    let out = desk.run(&[
        "--json",
        "labels",
        "buy",
        "3001",
        "3002",
        "--default-weight-oz",
        "16",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Recovered label"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["total"], 2, "{report}");
    let bought: Vec<&str> = report["bought"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["order_number"].as_str().unwrap())
        .collect();
    assert_eq!(bought, ["#3001", "#3002"], "{report}");
    desk.assert_exactly_once();
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

fn page_size(pdf: &Path) -> Option<String> {
    if !tool("pdfinfo") {
        println!("SKIPPED: pdfinfo not installed; page size not checked");
        return None;
    }
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .map(|l| l.to_owned())
}

#[test]
fn rates_buy_void_reprint_and_end_of_day() {
    let desk = Desk::new(3);
    let rates = desk.json(&["rates", "3001"]);
    let quotes = rates["quotes"].as_array().unwrap();
    assert!(
        quotes
            .iter()
            .any(|q| q["choice"]["mail_class"] == "PRIORITY_MAIL")
    );
    assert!(
        quotes
            .iter()
            .all(|q| q["retail"].is_null() || q["retail"].is_string())
    );

    let pdf = desk.dir.path().join("labels.pdf");
    let report = desk.json(&[
        "labels",
        "buy",
        "3001",
        "3002",
        "3003",
        "--service",
        "PRIORITY_MAIL",
        "--default-weight-oz",
        "16",
        "--format",
        "4x6",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(report["bought"].as_array().unwrap().len(), 3, "{report}");
    assert_eq!(report["bought"][0]["mail_class"], "PRIORITY_MAIL");
    // Labels are found by order number, recipient or tracking number; `%` is not a wildcard.
    let by_name = desk.json(&["shipments", "list", "--search", "person1"]);
    let found: Vec<_> = by_name
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["order_number"].as_str().unwrap())
        .collect();
    assert_eq!(found.len(), 1, "{by_name}");
    assert!(found[0].ends_with("3002"), "{by_name}");
    let tracking = report["bought"][2]["tracking_number"].as_str().unwrap();
    let by_tracking = desk.json(&["shipments", "list", "--search", &tracking[10..]]);
    assert_eq!(by_tracking.as_array().unwrap().len(), 1);
    assert_eq!(by_tracking[0]["tracking_number"], tracking);
    let none = desk.json(&["shipments", "list", "--search", "3001 %"]);
    assert_eq!(none.as_array().unwrap().len(), 0, "{none}");
    let text = desk.run(&["shipments", "list", "--search", "3003"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Customer Person2"));
    if let Some(size) = page_size(&pdf) {
        assert!(size.contains("288 x 432"), "{size}");
    }
    let slips = desk.dir.path().join("slips.pdf");
    desk.json(&[
        "labels",
        "slips",
        "3001",
        "3002",
        "--out",
        slips.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&slips).unwrap().starts_with(b"%PDF"));
    let tracked = desk.json(&["shipments", "track"]);
    assert_eq!(tracked.as_array().unwrap().len(), 3);
    assert!(tracked[0]["tracking_checked_at"].is_string());
    // A second buy of the same order is refused unless asked for.
    let again = desk.run(&["--json", "labels", "buy", "3001"]);
    assert!(!again.status.success());
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["validation_problems"][0]["error"]["code"], "CONFLICT");

    let tracking = report["bought"][0]["tracking_number"]
        .as_str()
        .unwrap()
        .to_owned();
    let voided = desk.json(&["labels", "void", &tracking]);
    assert_eq!(voided["usps_status"], "CANCELED");
    assert_eq!(voided["shipment"]["status"], "voided");
    let reprint_voided = desk.run(&["--json", "labels", "reprint", &tracking]);
    assert!(!reprint_voided.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&reprint_voided.stdout),
        String::from_utf8_lossy(&reprint_voided.stderr)
    );
    assert!(
        said.contains(&format!("Label {tracking} was voided")),
        "{said}"
    );

    let other = report["bought"][1]["tracking_number"].as_str().unwrap();
    let copy = desk.dir.path().join("copy.pdf");
    desk.json(&["labels", "reprint", other, "--out", copy.to_str().unwrap()]);
    assert!(std::fs::read(&copy).unwrap().starts_with(b"%PDF"));
    let fetched = desk.dir.path().join("fetched.pdf");
    desk.json(&[
        "labels",
        "reprint",
        other,
        "--download",
        "--out",
        fetched.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&fetched).unwrap().starts_with(b"%PDF"));
    let refetch_voided = desk.run(&["--json", "labels", "reprint", &tracking, "--download"]);
    assert!(!refetch_voided.status.success());

    let letter = desk.dir.path().join("letter.pdf");
    desk.json(&[
        "labels",
        "reprint",
        other,
        "--format",
        "letter",
        "--out",
        letter.to_str().unwrap(),
    ]);
    if let Some(size) = page_size(&letter) {
        assert!(size.contains("612 x 792"), "{size}");
    }

    let scan = desk.dir.path().join("scan.pdf");
    let forms = desk.json(&["eod", "scan-form", "--out", scan.to_str().unwrap()]);
    assert_eq!(forms[0]["label_count"], 2);
    assert!(std::fs::read(&scan).unwrap().starts_with(b"%PDF"));
    assert_eq!(desk.json(&["eod", "history"]).as_array().unwrap().len(), 1);

    let pickup = desk.json(&["pickup", "schedule"]);
    assert_eq!(pickup["package_count"], 2);
    let canceled = desk.json(&["pickup", "cancel"]);
    assert_eq!(canceled["status"], "canceled");
    desk.assert_exactly_once();
}

#[test]
fn without_a_service_an_order_gets_the_one_rates_recommends() {
    let desk = Desk::new(1);
    let rates = desk.json(&["rates", "3001"]);
    let recommended = rates["recommended"].clone();
    let quotes = rates["quotes"].as_array().unwrap();
    assert!(
        quotes.iter().any(|q| q["choice"] == recommended),
        "one of the quotes: {rates}"
    );
    let text = desk.run(&["rates", "3001"]);
    let text = String::from_utf8_lossy(&text.stdout);
    let marked: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.rsplit_once("  (").is_some_and(|(_, notes)| {
                notes
                    .trim_end_matches(')')
                    .split("; ")
                    .any(|n| n == "recommended")
            })
        })
        .collect();
    assert_eq!(marked.len(), 1, "{text}");
    // What the label costs is a column; restricted services say who may use them; flat-rate
    // products are marked as USPS packaging.
    assert!(text.contains("YOU PAY"), "{text}");
    // The demo business holds no contract: one line says so, not every row.
    assert!(text.contains("This account holds no contract"), "{text}");
    assert!(!text.contains("contract rate not found"), "{text}");
    let restricted = quotes
        .iter()
        .filter(|q| !q["restriction"].is_null())
        .count();
    assert!(
        restricted > 0,
        "the Sandbox quotes Media Mail and others: {rates}"
    );
    assert_eq!(text.matches("\n    only: ").count(), restricted, "{text}");
    let flat = quotes
        .iter()
        .filter(|q| q["packaging"] == "flat_rate")
        .count();
    let flat_lines = text
        .lines()
        .filter(|l| l.contains("USPS flat-rate packaging"))
        .count();
    assert_eq!(flat_lines, flat, "{text}");
    assert!(
        marked[0].contains(&format!(
            " {} ",
            recommended["rate_indicator"].as_str().unwrap()
        )),
        "{text}"
    );

    let report = desk.json(&["labels", "buy", "3001", "--default-weight-oz", "16"]);
    let bought = &report["bought"][0];
    assert_eq!(bought["mail_class"], recommended["mail_class"], "{report}");
    desk.assert_exactly_once();
}

#[test]
fn labels_buy_uses_each_orders_weight_and_never_guesses_one() {
    // The Shopify export carries no weights: without a weight for such orders nothing is bought.
    let desk = Desk::new(2);
    let out = desk.run(&["--json", "labels", "buy", "3001", "3002"]);
    assert!(
        !out.status.success(),
        "orders without a weight are not all bought"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["bought"], serde_json::json!([]), "{report}");
    let held: Vec<&str> = report["needs_attention"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["reason"].as_str().unwrap())
        .collect();
    assert_eq!(held, ["no_weight", "no_weight"], "{report}");
    assert!(
        desk.stored().is_empty(),
        "nothing bought at a guessed weight"
    );

    // The preview says what each order weighs and what the batch will cost, and buys nothing.
    let preview = desk.json(&[
        "labels",
        "buy",
        "3001",
        "3002",
        "--default-weight-oz",
        "24",
        "--dry-run",
    ]);
    assert_eq!(preview["using_fallback"], 2, "{preview}");
    assert_eq!(preview["lines"][0]["package"]["weight_oz"], "24");
    assert_eq!(preview["priced"], 2);
    let prices: f64 = preview["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            l["quote"]["price"]
                .as_str()
                .unwrap()
                .parse::<f64>()
                .unwrap()
        })
        .sum();
    let total: f64 = preview["total"].as_str().unwrap().parse().unwrap();
    assert!((total - prices).abs() < 0.001, "{preview}");
    let text = desk.run(&[
        "labels",
        "buy",
        "3001",
        "--default-weight-oz",
        "24",
        "--dry-run",
    ]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("24 oz (default)"), "{text}");
    assert!(text.contains("Expected total $"), "{text}");
    assert!(desk.stored().is_empty(), "a dry run buys nothing");

    let report = desk.json(&["labels", "buy", "3001", "3002", "--default-weight-oz", "24"]);
    let bought = report["bought"].as_array().unwrap();
    assert_eq!(bought.len(), 2, "{report}");
    for label in bought {
        assert_eq!(label["weight_oz"], "24", "{label}");
        assert_eq!(label["address_choice"], "standardized", "{label}");
        assert!(
            label["ship_to"]["zip4"].is_string(),
            "ZIP+4 on the label: {label}"
        );
    }
    desk.assert_exactly_once();
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_new_purchases_and_lets_those_in_flight_finish() {
    use std::os::unix::process::ExitStatusExt;
    const ORDERS: usize = 30;
    let desk = Desk::new(ORDERS);
    let numbers: Vec<String> = (0..ORDERS).map(|i| (3001 + i).to_string()).collect();
    let mut args = vec![
        "labels",
        "buy",
        "--concurrency",
        "2",
        "--default-weight-oz",
        "16",
    ];
    args.extend(numbers.iter().map(String::as_str));
    let mut child = desk
        .command(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut progress = Vec::new();
    let mut lines = stderr.lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        progress.push(line.clone());
        if line.starts_with("3 of ") {
            let sent = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap();
            assert!(sent.success());
            break;
        }
    }
    progress.extend(lines.map_while(Result::ok));
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.signal(),
        None,
        "Ctrl-C must not kill the batch: {progress:?}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        progress.iter().any(|l| l.starts_with("Stopping:")),
        "{progress:?}"
    );
    let stored = desk.stored();
    assert!(
        stored.len() >= 3 && stored.len() < ORDERS,
        "{} labels stored; {stdout}",
        stored.len()
    );
    assert!(
        stdout.contains(&format!("Bought {} of {ORDERS}", stored.len())),
        "{stdout}"
    );
    // The ones in flight finished and were recorded: nothing charged and lost, nothing open.
    desk.assert_exactly_once();
}

#[cfg(unix)]
#[test]
fn killed_with_sigkill_mid_batch_then_run_again_buys_each_order_once() {
    const ORDERS: usize = 40;
    let desk = Desk::new(ORDERS);
    let numbers: Vec<String> = (0..ORDERS).map(|i| (3001 + i).to_string()).collect();
    let mut args = vec![
        "labels",
        "buy",
        "--concurrency",
        "1",
        "--default-weight-oz",
        "16",
    ];
    args.extend(numbers.iter().map(String::as_str));

    let mut child = desk
        .command(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut progress = Vec::new();
    for line in stderr.lines() {
        let line = line.unwrap();
        progress.push(line.clone());
        if line.starts_with("5 of ") {
            child.kill().unwrap(); // SIGKILL on Unix
            break;
        }
    }
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the batch finished before it could be killed: {progress:?}"
    );
    let after_kill = desk.stored();
    assert!(
        after_kill.len() >= 5 && after_kill.len() < ORDERS,
        "{} labels stored when killed",
        after_kill.len()
    );
    // Whatever the kill interrupted is either stored or still journaled — never charged and lost.
    assert!(desk.charged().len() <= after_kill.len() + 1);

    // Run the same command again: the open attempt is reconciled with its key, orders that got
    // their label are refused, the rest are bought.
    let rerun = desk.run(&args);
    let stderr = String::from_utf8_lossy(&rerun.stderr);
    let stored = desk.stored();
    assert_eq!(stored.len(), ORDERS, "{stderr}");
    desk.assert_exactly_once();
}

/// `shipdesk purchases list --json`.
fn purchases_to_check(desk: &Desk) -> Vec<Value> {
    desk.json(&["purchases", "list"])
        .as_array()
        .unwrap()
        .clone()
}

/// A command that must fail; its `--json` error.
fn json_error(desk: &Desk, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = desk.run(&all);
    assert_eq!(out.status.code(), Some(1), "{args:?} must fail");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn purchases_list_shows_an_unsettled_purchase_and_check_recovers_its_one_label() {
    let desk = Desk::new(1);
    assert_eq!(purchases_to_check(&desk), Vec::<Value>::new());
    let none = desk.run(&["purchases", "list"]);
    assert!(
        String::from_utf8_lossy(&none.stdout).contains("No purchases to check"),
        "{none:?}"
    );

    leave_sent_purchase(&desk, "3001");
    let listed = purchases_to_check(&desk);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let item = &listed[0];
    assert_eq!(item["order_number"], "#3001");
    assert_eq!(item["mail_class"], "USPS_GROUND_ADVANTAGE");
    assert_eq!(item["sends"], 1);
    assert_eq!(item["sent_at"], "2026-11-30T00:00:01Z");
    assert_eq!(item["in_progress"], false);
    assert!(!item["account_name"].as_str().unwrap().is_empty(), "{item}");
    let attempt = item["attempt_id"].to_string();

    let table = desk.run(&["purchases", "list"]);
    assert!(table.status.success());
    let table = String::from_utf8_lossy(&table.stdout);
    for expected in [
        "ATTEMPT",
        attempt.as_str(),
        "#3001",
        "USPS_GROUND_ADVANTAGE",
        "2026-11-30T00:00:01Z",
        "shipdesk purchases check ATTEMPT",
    ] {
        assert!(table.contains(expected), "{expected} in:\n{table}");
    }

    let out = desk.run(&["purchases", "check", &attempt]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Recovered label") && stdout.contains("#3001"),
        "{stdout}"
    );
    assert_eq!(purchases_to_check(&desk), Vec::<Value>::new());
    assert_eq!(desk.stored().into_values().collect::<Vec<_>>(), ["#3001"]);
    desk.assert_exactly_once();

    let settled = json_error(&desk, &["purchases", "check", &attempt]);
    assert_eq!(settled["code"], "NOT_FOUND", "{settled}");
}

#[test]
fn purchases_discard_asks_for_yes_then_closes_the_purchase_and_the_order_can_be_bought() {
    let desk = Desk::new(1);
    leave_sent_purchase(&desk, "3001");
    let attempt = purchases_to_check(&desk)[0]["attempt_id"].to_string();

    // Not a terminal (stdin is not one here) and no --yes: nothing is asked, nothing changes.
    let refused = desk.run(&["purchases", "discard", &attempt]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("without confirmation") && stderr.contains("--yes"),
        "{stderr}"
    );
    assert_eq!(purchases_to_check(&desk).len(), 1);

    let outcome = desk.json(&["purchases", "discard", &attempt, "--yes"]);
    assert_eq!(outcome["attempt_id"].to_string(), attempt);
    assert_eq!(outcome["canceled_label"], Value::Null, "{outcome}");
    assert_eq!(outcome["message"], "USPS never made a label for it");
    assert_eq!(purchases_to_check(&desk), Vec::<Value>::new());

    let report = desk.json(&["labels", "buy", "3001", "--default-weight-oz", "16"]);
    assert_eq!(report["bought"][0]["order_number"], "#3001", "{report}");
    desk.assert_exactly_once();
}

#[test]
fn purchases_another_process_is_handling_are_left_alone_and_labels_buy_points_at_the_list() {
    use shipdesk_core::shipping::{Lease, PurchaseJournal};

    let desk = Desk::new(3);
    leave_sent_purchase(&desk, "3001");
    let attempt_id = purchases_to_check(&desk)[0]["attempt_id"].as_i64().unwrap();
    let attempt = attempt_id.to_string();

    // Another Shipdesk (the app, a second terminal) is finishing it right now.
    let elsewhere = desk.core();
    let journal: &dyn PurchaseJournal = elsewhere.store().as_ref();
    assert!(matches!(
        journal.take_lease(attempt_id).unwrap(),
        Lease::Taken(_)
    ));

    let out = desk.run(&["labels", "buy", "3002", "--default-weight-oz", "16"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("1 label purchase USPS has not settled yet: see `shipdesk purchases list`"),
        "{stderr}"
    );
    assert_eq!(purchases_to_check(&desk)[0]["in_progress"], true);
    let table = desk.run(&["purchases", "list"]);
    assert!(
        String::from_utf8_lossy(&table.stdout).contains("being bought in another window"),
        "{table:?}"
    );
    for args in [
        &["purchases", "check", attempt.as_str()][..],
        &["purchases", "discard", attempt.as_str(), "--yes"][..],
    ] {
        let busy = json_error(&desk, args);
        assert_eq!(busy["code"], "CONFLICT", "{args:?}: {busy}");
        assert_eq!(busy["details"]["kind"], "purchase_in_flight", "{busy}");
    }

    // That process ends without finishing it: the next command may.
    drop(elsewhere);
    let recovered = desk.json(&["purchases", "check", &attempt]);
    assert_eq!(recovered["order_number"], "#3001", "{recovered}");
    let quiet = desk.run(&["labels", "buy", "3003", "--default-weight-oz", "16"]);
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert!(quiet.status.success(), "{stderr}");
    assert!(!stderr.contains("shipdesk purchases list"), "{stderr}");
    desk.assert_exactly_once();
}

/// Two `shipdesk labels buy` processes started at once on the same orders and data directory
/// (their Sandbox simulators share one USPS through the state file): every order gets exactly
/// one label, bought by one of the two; the other is told it is being bought elsewhere or is
/// already labelled, and never charges a second time.
#[test]
fn two_processes_racing_on_the_same_orders_buy_each_label_once() {
    const ORDERS: usize = 8;
    let desk = Desk::new(ORDERS);
    let numbers: Vec<String> = (0..ORDERS).map(|i| (3001 + i).to_string()).collect();
    let mut args = vec!["--json", "labels", "buy", "--default-weight-oz", "16"];
    args.extend(numbers.iter().map(String::as_str));
    let racers: Vec<_> = (0..2)
        .map(|_| {
            desk.command(&args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut bought_by: Vec<BTreeSet<String>> = Vec::new();
    for racer in racers {
        let out = racer.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let report: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("no JSON report ({e}): {stderr}"));
        bought_by.push(
            report["bought"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["order_number"].as_str().unwrap().to_owned())
                .collect(),
        );
    }
    assert!(
        bought_by[0].is_disjoint(&bought_by[1]),
        "both claim a label: {bought_by:?}"
    );
    let mut settled = desk.stored();
    // Anything a racer left unsettled (it saw the other holding it at the end) is finished now.
    desk.run(&["labels", "buy", "--default-weight-oz", "16", "3001"]);
    settled.extend(desk.stored());
    assert_eq!(settled.len(), ORDERS, "{bought_by:?}");
    desk.assert_exactly_once();
}

#[test]
fn an_order_abroad_is_priced_declared_with_a_customs_file_and_the_next_fills_itself() {
    let desk = Desk::new(1);
    let mut csv = String::from(HEADER);
    for (n, id) in [(4001, 1), (4002, 2)] {
        csv.push_str(&format!(
            "\n#{n},amelie@example.ca,paid,unfulfilled,USD,25.00,9.00,34.00,International,\
             2026-11-10 09:00:00 -0600,2,Hand Cream,12.50,HC-1,true,Amelie Tremblay,24 Sussex Dr,,,\
             Ottawa,K1M 1M4,ON,CA,+1 613 555 0123,,,{},",
            9_000_000_000_000u64 + id
        ));
    }
    let file = desk.dir.path().join("canada.csv");
    std::fs::write(&file, csv).unwrap();
    let imported = desk.json(&["orders", "import", file.to_str().unwrap()]);
    assert_eq!(imported["new"], 2, "{imported}");

    let rates = desk.json(&["rates", "#4001"]);
    assert_eq!(rates["destination_country"], "CA", "{rates}");
    assert!(
        rates["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["choice"]["mail_class"] == "PRIORITY_MAIL_INTERNATIONAL")
    );

    // The items say what they are, not their HS number or origin: nothing is bought.
    let refused = desk.run(&["labels", "buy", "#4001"]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stdout).to_string()
        + &String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("customs.items[0].hs_tariff") && said.contains("--customs"),
        "{said}"
    );

    let mut draft = desk.json(&["labels", "customs", "#4001"]);
    draft["declaration"]["items"][0]["hs_tariff"] = Value::from("3304.99");
    draft["declaration"]["items"][0]["origin_country"] = Value::from("US");
    // Shopify's export carries no item weights.
    assert!(said.contains("customs.items[0].weight_oz"), "{said}");
    draft["declaration"]["items"][0]["weight_oz"] = Value::from("3.5");
    let customs = desk.dir.path().join("customs.json");
    std::fs::write(&customs, draft.to_string()).unwrap();
    let report = desk.json(&[
        "labels",
        "buy",
        "#4001",
        "--customs",
        customs.to_str().unwrap(),
    ]);
    let tracking = report["bought"][0]["tracking_number"]
        .as_str()
        .unwrap_or_else(|| panic!("{report}"))
        .to_owned();
    assert!(
        tracking.ends_with("US") && tracking.len() == 13,
        "{tracking}"
    );

    // The same product again: its saved customs data fills the form.
    let complete = desk.json(&["labels", "customs", "#4002"]);
    assert_eq!(complete["missing"], serde_json::json!({}), "{complete}");
    let second = desk.json(&["labels", "buy", "#4002"]);
    assert_eq!(second["bought"].as_array().unwrap().len(), 1, "{second}");

    let voided = desk.json(&["labels", "void", &tracking]);
    assert_eq!(voided["shipment"]["status"], "voided", "{voided}");
    assert_eq!(
        desk.charged().len(),
        1,
        "one label abroad left charged after the void"
    );
}
