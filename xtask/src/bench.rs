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
        "500-label batch at 150 ms latency; 100 labels at 60 calls/hour (simulated clock)",
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
    for profile in [Profile::Debug, Profile::Release] {
        let what = format!("app start and memory ({} build)", profile.name());
        match start_against_bare_window(profile) {
            Ok(figures) => rows.extend(figures.into_iter().map(|(k, v)| (what.clone(), k, v))),
            Err(e) => rows.push((what, "error".into(), format!("{e:#}"))),
        }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    Debug,
    Release,
}

impl Profile {
    fn name(self) -> &'static str {
        match self {
            Profile::Debug => "debug",
            Profile::Release => "release",
        }
    }
}

/// Builds `package` (its binary has the same name) like the app is built for users: the UI
/// embedded (`custom-protocol`), in `profile`.
fn build_binary(package: &str, profile: Profile) -> Result<std::path::PathBuf> {
    let mut cargo = sh::cargo();
    cargo.args(["build", "-p", package, "--features", "custom-protocol"]);
    if profile == Profile::Release {
        cargo.arg("--release");
    }
    sh::run(&mut cargo)?;
    Ok(build::target_dir().join(profile.name()).join(package))
}

/// Shipdesk's start to its first interactive window and its memory, beside a bare Tauri window
/// (`bench/bare-window`: one window, one static page) built the same way and measured in the
/// same run, as ratios with their targets (start <= 1.5x, memory <= 1.25x).
fn start_against_bare_window(profile: Profile) -> Result<Vec<(String, String)>> {
    build::ui()?;
    say(&format!(
        "Benchmark: app start and memory against a bare Tauri window ({} builds)",
        profile.name()
    ));
    let app = build_binary("shipdesk-app", profile)?;
    let bare = build_binary("bare-window", profile)?;
    let display = VirtualDisplay::start()?;
    let (app_ms, app_kib) = measure_start(&app, "shipdesk-app", &display)?;
    let (bare_ms, bare_kib) = measure_start(&bare, "bare-window", &display)?;
    let start_ratio = app_ms as f64 / bare_ms.max(1) as f64;
    let memory_ratio = app_kib as f64 / bare_kib.max(1) as f64;
    let verdict = |ok: bool| if ok { "yes" } else { "no" }.to_string();
    Ok(vec![
        ("start_to_ready_ms_median".into(), app_ms.to_string()),
        ("bare_window_start_ms_median".into(), bare_ms.to_string()),
        ("start_ratio_vs_bare".into(), format!("{start_ratio:.2}")),
        ("start_ratio_meets_1.5".into(), verdict(start_ratio <= 1.5)),
        (
            "rss_app_plus_webkit_mib_median".into(),
            format!("{:.1}", app_kib as f64 / 1024.0),
        ),
        (
            "bare_window_rss_mib_median".into(),
            format!("{:.1}", bare_kib as f64 / 1024.0),
        ),
        ("memory_ratio_vs_bare".into(), format!("{memory_ratio:.2}")),
        (
            "memory_ratio_meets_1.25".into(),
            verdict(memory_ratio <= 1.25),
        ),
    ])
}

/// Starts `binary` under Xvfb three times with a fresh data directory; the median time from
/// process start to its "ready" file, and the median resident memory of it and its WebKit
/// processes a few seconds after start.
fn measure_start(
    binary: &std::path::Path,
    name: &str,
    display: &VirtualDisplay,
) -> Result<(u64, u64)> {
    let scratch = build::target_dir().join("bench");
    std::fs::create_dir_all(&scratch)?;
    let mut ready_ms = Vec::new();
    let mut rss_kib = Vec::new();
    for run in 0..3 {
        let data = scratch.join(format!("data-{run}"));
        let _ = std::fs::remove_dir_all(&data);
        let ready = scratch.join("ready.json");
        let _ = std::fs::remove_file(&ready);
        let mut child = in_session(binary)
            .env("DISPLAY", display.name())
            .env("SHIPDESK_DATA_DIR", &data)
            .env("SHIPDESK_READY_FILE", &ready)
            .spawn()
            .with_context(|| format!("starting {name}"))?;
        let start = std::time::Instant::now();
        while !ready.exists() && start.elapsed() < Duration::from_secs(90) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let text = std::fs::read_to_string(&ready)
            .with_context(|| format!("{name} never reported ready"))?;
        let ms: u64 = text
            .trim_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .context("ready file")?;
        ready_ms.push(ms);
        std::thread::sleep(Duration::from_secs(3));
        rss_kib.push(tree_rss_kib(name));
        if run == 0 {
            let _ = screenshot(display.name(), &scratch.join(format!("{name}-start.png")));
        }
        let _ = child.kill();
        let _ = child.wait();
        kill_leftovers();
    }
    ready_ms.sort_unstable();
    rss_kib.sort_unstable();
    Ok((ready_ms[1], rss_kib[1]))
}

/// Resident memory of every process named `name` (the kernel keeps 15 characters) or one of
/// WebKit's helper processes.
fn tree_rss_kib(name: &str) -> u64 {
    let short: String = name.chars().take(15).collect();
    let mut total = 0;
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return 0;
    };
    for p in procs.flatten() {
        let dir = p.path();
        let Ok(status) = std::fs::read_to_string(dir.join("status")) else {
            continue;
        };
        let process = status
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("Name:")
            .trim();
        if process == short || process.starts_with("WebKit") {
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
