//! `cargo xtask bench`: every benchmark prints `key=value` lines; this collects them into one
//! table. Benchmarks run in release mode where they are Rust examples, on this machine, as it
//! is: figures are for comparison between runs, never assertions.

use std::time::Duration;

use anyhow::{Context, Result};

use crate::build;
use crate::desktop::{VirtualDisplay, in_session, reap_sessions, screenshot};
use crate::setup::{self, Purpose};
use crate::sh::{self, say};

/// Release-mode examples that print `key=value` figures: (what it measures, package, example, args).
const EXAMPLES: &[(&str, &str, &str, &[&str])] = &[
    (
        "render 500 labels into one 4x6 PDF",
        "labels",
        "render_bench",
        &["500"],
    ),
    (
        "USPS calls per label (100 labels, simulator)",
        "usps",
        "calls_per_label",
        &[],
    ),
    (
        "500-label batch, 150 ms added latency",
        "shipdesk-core",
        "batch_bench",
        &[],
    ),
    (
        "import and search 100,000 orders",
        "shipdesk-core",
        "orders_bench",
        &[],
    ),
];

pub fn run() -> Result<()> {
    setup::ensure(Purpose::Test)?;
    let mut rows: Vec<(String, String, String)> = Vec::new();
    match app_start() {
        Ok(figures) => rows.extend(
            figures
                .into_iter()
                .map(|(k, v)| ("app start (debug build)".into(), k, v)),
        ),
        Err(e) => rows.push((
            "app start (debug build)".into(),
            "error".into(),
            format!("{e:#}"),
        )),
    }
    for (what, package, example, args) in EXAMPLES {
        say(&format!("Benchmark: {what}"));
        let out = sh::output(
            sh::cargo()
                .args([
                    "run",
                    "--quiet",
                    "--release",
                    "-p",
                    package,
                    "--example",
                    example,
                    "--",
                ])
                .args(*args),
        );
        match out {
            Some(text) => rows.extend(
                parse_figures(&text)
                    .into_iter()
                    .map(|(k, v)| (what.to_string(), k, v)),
            ),
            None => rows.push((
                what.to_string(),
                "error".into(),
                "the benchmark failed; run it alone to see why".into(),
            )),
        }
    }
    print_table(&rows);
    Ok(())
}

fn parse_figures(text: &str) -> Vec<(String, String)> {
    text.split_whitespace()
        .filter_map(|w| w.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn print_table(rows: &[(String, String, String)]) {
    let w0 = rows.iter().map(|r| r.0.len()).max().unwrap_or(9).max(9);
    let w1 = rows.iter().map(|r| r.1.len()).max().unwrap_or(6).max(6);
    println!("\n{:<w0$}  {:<w1$}  value", "benchmark", "figure");
    println!("{}  {}  {}", "-".repeat(w0), "-".repeat(w1), "-".repeat(12));
    for (a, b, c) in rows {
        println!("{a:<w0$}  {b:<w1$}  {c}");
    }
}

/// Starts the real app under Xvfb three times with a fresh data directory; reports the time
/// from process start to the UI's "ready" call and the resident memory of the app together
/// with its WebKit processes a few seconds after start.
fn app_start() -> Result<Vec<(String, String)>> {
    let app = build::app()?;
    say("Benchmark: app start to first interactive window, and memory");
    let display = VirtualDisplay::start()?;
    let scratch = build::target_dir().join("bench");
    std::fs::create_dir_all(&scratch)?;
    let mut ready_ms = Vec::new();
    let mut rss_kib = Vec::new();
    for run in 0..3 {
        let data = scratch.join(format!("data-{run}"));
        let _ = std::fs::remove_dir_all(&data);
        let ready = scratch.join("ready.json");
        let _ = std::fs::remove_file(&ready);
        let mut child = in_session(&app)
            .env("DISPLAY", display.name())
            .env("SHIPDESK_DATA_DIR", &data)
            .env("SHIPDESK_READY_FILE", &ready)
            .spawn()
            .context("starting the app")?;
        let start = std::time::Instant::now();
        while !ready.exists() && start.elapsed() < Duration::from_secs(90) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let text = std::fs::read_to_string(&ready).context("the app never reported ready")?;
        let ms: u64 = text
            .trim_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .context("ready file")?;
        ready_ms.push(ms);
        std::thread::sleep(Duration::from_secs(3));
        rss_kib.push(app_tree_rss_kib());
        if run == 0 {
            let _ = screenshot(display.name(), &scratch.join("app-start.png"));
        }
        let _ = child.kill();
        let _ = child.wait();
        kill_leftovers();
    }
    ready_ms.sort_unstable();
    rss_kib.sort_unstable();
    Ok(vec![
        ("start_to_ready_ms_median".into(), ready_ms[1].to_string()),
        ("start_to_ready_ms_runs".into(), format!("{ready_ms:?}")),
        (
            "rss_app_plus_webkit_mib_median".into(),
            format!("{:.1}", rss_kib[1] as f64 / 1024.0),
        ),
    ])
}

/// Resident memory of every process that is the app or one of WebKit's helper processes.
fn app_tree_rss_kib() -> u64 {
    let mut total = 0;
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return 0;
    };
    for p in procs.flatten() {
        let dir = p.path();
        let Ok(status) = std::fs::read_to_string(dir.join("status")) else {
            continue;
        };
        let name = status
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("Name:")
            .trim();
        if name.starts_with("shipdesk-app") || name.starts_with("WebKit") {
            total += status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    total
}

fn kill_leftovers() {
    reap_sessions();
    std::thread::sleep(Duration::from_millis(300));
}
