//! The desktop app and the `shipdesk` command buying the same orders at the same time on one
//! data directory, as a shop does when someone scripts a batch while someone else clicks Buy:
//! the real app binary (Sandbox mode, its demo account) ships six orders as a batch while the
//! real CLI (`SHIPDESK_CLI_BIN`, built by `cargo xtask test`) runs `labels buy` on the same six,
//! in the opposite order so the two meet in the middle. Both share the database, the keyring of
//! the session and the Sandbox simulator's state file, as they do on a desktop. The start is
//! deterministic, without sleeps: the test holds the simulator busy until both batches are
//! waiting on it, then lets both go at once.
//!
//! Afterwards every order has exactly one label, nothing is left to check, the simulator charged
//! exactly the labels stored, and the app's batch report says which orders were labelled by the
//! other process instead of calling them failures.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::Value;
use shipdesk_e2e::cli::{Cli, cli_binary};
use shipdesk_e2e::{App, launch};

const TEST: &str = "the_app_and_the_cli_racing_on_the_same_orders_buy_each_label_once";
const ORDERS: usize = 6;

#[tokio::test]
async fn the_app_and_the_cli_racing_on_the_same_orders_buy_each_label_once() {
    let Some(bin) = cli_binary(TEST) else { return };
    let Some(app) = launch(TEST).await else {
        return;
    };
    let cli = Cli {
        bin,
        data: app.data_dir.path().to_owned(),
    };
    // The app has opened (and migrated) the data directory before the CLI touches it.
    app.wait_for_text("[data-page=orders]", "No orders yet")
        .await;
    cli.add_ship_from();
    cli.import_orders(ORDERS);
    // The orders page reads the list when it is shown.
    app.click("nav a[data-nav='shipments']").await;
    app.click("nav a[data-nav='orders']").await;
    app.wait_for_text("[data-testid=orders-count]", &format!("{ORDERS} orders"))
        .await;

    let numbers: Vec<String> = (0..ORDERS).map(|i| (3001 + i).to_string()).collect();
    for n in &numbers {
        app.click(&format!("input[aria-label='Select order #{n}']"))
            .await;
    }
    app.wait_for_text(".selection-bar", &format!("{ORDERS} selected"))
        .await;
    app.click("[data-action=ship]").await;
    app.wait_for_text("#ship-title", &format!("Ship {ORDERS} orders"))
        .await;
    // The CLI's ship-from is the default: the dialog offers it instead of the form.
    app.find("select[data-testid=ship-from]").await;
    app.wait_for_text(
        "[data-testid=without-weight]",
        &format!("{ORDERS} orders have no weight"),
    )
    .await;
    app.find("[data-testid=weight-lb]")
        .await
        .send_keys("1")
        .await
        .unwrap();
    app.click("[data-action=get-rates]").await;
    app.wait_for_text(
        "[data-testid=uses-typed-weight]",
        &format!("{ORDERS} orders have no weight of their own"),
    )
    .await;
    app.wait_for_text("[data-testid=batch-rates]", "#3006")
        .await;
    app.wait_for_text("[data-action=buy-batch]", &format!("Buy {ORDERS} labels"))
        .await;

    // The race, at the same weight (1 lb). USPS is held busy from before the CLI starts until
    // both batches wait on it, so the two run over the same orders at the same time however
    // long either takes to get there (a fresh CLI process reads the keyring and fetches a
    // token first; the app has its token).
    let mut args = vec!["--json", "labels", "buy", "--default-weight-oz", "16"];
    args.extend(numbers.iter().rev().map(String::as_str));
    let usps = UspsHeld::hold(&cli.data);
    let racer = CliRun::start(cli.command(&args));
    let cli_pid = racer.pid;
    // The CLI alone asks USPS (the simulator starting, the token) until its batch has
    // purchases waiting: its start-up is behind it.
    usps.until("the CLI's batch waits for USPS", true, |w| {
        w.get(&cli_pid).is_some_and(|n| *n >= 2)
    })
    .await;
    // (With six rows the Buy button sits under the dialog's horizontal scrollbar.)
    scroll_to(&app, "[data-action=buy-batch]").await;
    app.click("[data-action=buy-batch]").await;
    usps.until("the app's batch waits for USPS too", false, |w| {
        w.keys().any(|pid| *pid != cli_pid)
    })
    .await;
    usps.release();

    let summary = wait_long(
        &app,
        "[data-testid=batch-report] .summary-line",
        "labels bought",
    )
    .await;
    let (cli_report, cli_stderr) = racer.finish().await;
    scroll_to(&app, "[data-testid=batch-report]").await;
    let shot = app.screenshot("batch-report");
    eprintln!("batch report: {}", shot.display());

    // What each side says it bought.
    let by_cli: BTreeSet<String> = cli_report["bought"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| number_of(&s["order_number"]))
        .collect();
    let app_bought: usize = summary
        .split(" of ")
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count in the app's summary: {summary}"));
    let app_lines = report_lines(&app).await;
    eprintln!(
        "the app bought {app_bought}, the CLI bought {} ({by_cli:?}); the app's report: {summary} \
         {app_lines:?}",
        by_cli.len()
    );

    // Anything left open because the other process held it at that moment is settled by
    // buying that order once more; nothing may stay to check.
    let mut settled_later = Vec::new();
    for open in cli.json(&["purchases", "list"]).as_array().unwrap() {
        let number = number_of(&open["order_number"]);
        cli.run(&["labels", "buy", "--default-weight-oz", "16", &number]);
        settled_later.push(number);
    }
    assert_eq!(
        cli.json(&["purchases", "list"]),
        Value::Array(vec![]),
        "purchases left to check after settling {settled_later:?}"
    );

    // Exactly one label per order, and USPS charged exactly those.
    let stored = stored_labels(&cli);
    let mut per_order: BTreeMap<&str, usize> = BTreeMap::new();
    for order in stored.values() {
        *per_order.entry(order).or_default() += 1;
    }
    let expected: BTreeMap<&str, usize> = numbers.iter().map(|n| (n.as_str(), 1)).collect();
    assert_eq!(per_order, expected, "labels per order: {stored:?}");
    assert_eq!(
        charged(&cli),
        stored.keys().cloned().collect::<BTreeSet<_>>(),
        "the Sandbox ledger charges exactly the stored labels"
    );

    // Neither claims a label the other bought; together (with anything settled afterwards)
    // they bought all six.
    let stored_by_order: BTreeMap<&str, &str> = stored
        .iter()
        .map(|(tracking, order)| (order.as_str(), tracking.as_str()))
        .collect();
    assert_eq!(
        app_bought + by_cli.len() + settled_later.len(),
        ORDERS,
        "app: {summary}; CLI: {by_cli:?}; settled afterwards: {settled_later:?}"
    );
    // Every order the app did not buy is in its report as labelled by the other process
    // (named with its label), never as an opaque failure.
    assert_eq!(
        app_lines.len(),
        ORDERS - app_bought,
        "one report line per order the app did not buy: {app_lines:?}"
    );
    for line in &app_lines {
        if settled_later.contains(&line.order) {
            continue;
        }
        assert!(
            by_cli.contains(&line.order),
            "the app reports {line:?} as not bought, but the CLI did not buy it"
        );
        assert_eq!(line.code, "CONFLICT", "{line:?}");
        assert!(
            line.in_labelled_elsewhere,
            "reported under 'labelled elsewhere': {line:?}"
        );
        let tracking = stored_by_order[line.order.as_str()];
        assert!(
            line.text.contains(tracking) || line.text.contains("being bought elsewhere"),
            "{line:?} names the label {tracking} or the other process"
        );
    }
    // The CLI, likewise, reports the app's orders as already labelled or in flight.
    for failure in cli_report["validation_problems"].as_array().unwrap() {
        assert_eq!(failure["error"]["code"], "CONFLICT", "{failure}");
        let kind = &failure["error"]["details"]["kind"];
        assert!(
            kind == "already_shipped" || kind == "purchase_in_flight",
            "{failure}"
        );
    }
    for list in [
        "usps_rejections",
        "connection_problems",
        "needs_attention",
        "not_started",
    ] {
        assert_eq!(
            cli_report[list],
            Value::Array(vec![]),
            "CLI {list}; stderr:\n{cli_stderr}"
        );
    }
    app.close().await;
}

/// The app's report with a longer patience than [`App::wait_for_text`]: six purchases in each
/// of two debug-built processes sharing two cores.
async fn wait_long(app: &App, css: &str, text: &str) -> String {
    let start = Instant::now();
    loop {
        if let Ok(el) = app.client.find(Locator::Css(css)).await
            && let Ok(t) = el.text().await
            && t.contains(text)
        {
            return t;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "`{css}` never showed \"{text}\""
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn scroll_to(app: &App, css: &str) {
    app.client
        .execute(
            &format!("document.querySelector('{css}').scrollIntoView({{block: 'center'}})"),
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("scrolling to `{css}`: {e}"));
}

/// The CLI's `labels buy` running as a child process.
struct CliRun {
    pid: u32,
    child: tokio::task::JoinHandle<std::io::Result<Output>>,
}

impl CliRun {
    fn start(mut command: Command) -> Self {
        let child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the CLI starts");
        Self {
            pid: child.id(),
            child: tokio::task::spawn_blocking(move || child.wait_with_output()),
        }
    }

    /// Waits for the CLI to end; its JSON report and its stderr.
    async fn finish(self) -> (Value, String) {
        let out = self.child.await.unwrap().expect("the CLI ran");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("the CLI printed no JSON report ({e}); its stderr:\n{stderr}")
        });
        (report, stderr)
    }
}

/// The Sandbox simulator held busy. Every simulator on a data directory takes its turn for each
/// request on an OS lock beside the state file they share (`<data dir>/sandbox/usps-sim.json.lock`,
/// see usps-sim's `shared_file` module); while the test holds it, every USPS request of the app
/// and of the CLI waits, and the kernel lists each waiting request in `/proc/locks`.
struct UspsHeld {
    lock: File,
    inode: u64,
    started: Instant,
}

impl UspsHeld {
    fn hold(data: &Path) -> Self {
        let path = data.join("sandbox/usps-sim.json.lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        lock.lock().expect("the simulator's turn lock");
        let inode = lock.metadata().unwrap().ino();
        Self {
            lock,
            inode,
            started: Instant::now(),
        }
    }

    /// Process id → how many of its requests wait for the simulator.
    fn waiting(&self) -> BTreeMap<u32, usize> {
        let locks = std::fs::read_to_string("/proc/locks").expect("/proc/locks");
        let mut waiting = BTreeMap::new();
        for line in locks.lines() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // `N: -> FLOCK ADVISORY WRITE <pid> <major>:<minor>:<inode> 0 EOF` is a waiter.
            if let [_, "->", "FLOCK", _, _, pid, file, ..] = fields[..]
                && file.rsplit(':').next() == Some(self.inode.to_string().as_str())
                && let Ok(pid) = pid.parse()
            {
                *waiting.entry(pid).or_default() += 1;
            }
        }
        waiting
    }

    /// Lets waiting requests through a turn at a time until the waiting ones are as `ready`
    /// wants them (or, with `admit` false, only waits for that).
    async fn until(&self, what: &str, admit: bool, ready: impl Fn(&BTreeMap<u32, usize>) -> bool) {
        loop {
            let waiting = self.waiting();
            if ready(&waiting) {
                eprintln!(
                    "{:.1} s: {what} (requests waiting per process: {waiting:?})",
                    self.started.elapsed().as_secs_f64()
                );
                return;
            }
            assert!(
                self.started.elapsed() < Duration::from_secs(90),
                "never: {what}; requests waiting per process: {waiting:?}"
            );
            if admit && !waiting.is_empty() {
                self.lock.unlock().expect("unlocking the simulator");
                tokio::time::sleep(Duration::from_millis(5)).await;
                self.lock.lock().expect("the simulator's turn lock");
            } else {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }

    fn release(self) {
        self.lock.unlock().expect("unlocking the simulator");
    }
}

/// One order the app's batch report lists as not bought.
#[derive(Debug)]
struct ReportLine {
    order: String,
    code: String,
    text: String,
    in_labelled_elsewhere: bool,
}

async fn report_lines(app: &App) -> Vec<ReportLine> {
    let elsewhere: BTreeSet<String> = {
        let mut set = BTreeSet::new();
        for li in app
            .client
            .find_all(Locator::Css(
                "[data-testid=batch-report] [data-testid=labelled-elsewhere] li[data-order]",
            ))
            .await
            .unwrap()
        {
            set.insert(li.attr("data-order").await.unwrap().unwrap_or_default());
        }
        set
    };
    let mut lines = Vec::new();
    for li in app
        .client
        .find_all(Locator::Css("[data-testid=batch-report] li[data-order]"))
        .await
        .unwrap()
    {
        let order = li.attr("data-order").await.unwrap().unwrap_or_default();
        lines.push(ReportLine {
            in_labelled_elsewhere: elsewhere.contains(&order),
            order: number_of(&Value::String(order)),
            code: li
                .attr("data-error-code")
                .await
                .unwrap()
                .unwrap_or_default(),
            text: li.text().await.unwrap(),
        });
    }
    lines
}

/// "#3001" or "3001" → "3001".
fn number_of(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not an order number: {v}"))
        .trim_start_matches('#')
        .to_owned()
}

/// Tracking number → order number, for every label not voided.
fn stored_labels(cli: &Cli) -> BTreeMap<String, String> {
    cli.json(&["shipments", "list", "--limit", "1000"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] != "voided")
        .map(|s| {
            (
                s["tracking_number"].as_str().unwrap().to_owned(),
                number_of(&s["order_number"]),
            )
        })
        .collect()
}

/// The tracking numbers the Sandbox simulator charged and did not cancel, from the state
/// file both processes' simulators share (`<data dir>/sandbox/usps-sim.json`).
fn charged(cli: &Cli) -> BTreeSet<String> {
    let path = cli.data.join("sandbox/usps-sim.json");
    let state: Value = serde_json::from_slice(
        &std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap();
    let mut charged = BTreeSet::new();
    for entry in state["ledger"].as_array().expect("a ledger") {
        let tracking = entry["tracking_number"].as_str().unwrap().to_owned();
        match entry["kind"].as_str() {
            Some("charged") => {
                assert!(charged.insert(tracking.clone()), "{tracking} charged twice");
            }
            Some("canceled") => {
                charged.remove(&tracking);
            }
            _ => {}
        }
    }
    charged
}
