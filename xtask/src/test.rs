//! `cargo xtask test`: every test of the project, in the order that fails fastest, each step's
//! result collected so one failure does not hide another. Exits non-zero if any step failed.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::build;
use crate::desktop::{VirtualDisplay, in_session, reap_sessions};
use crate::fuzz;
use crate::setup::{self, Purpose};
use crate::sh::{self, Tally, say};

// xtask only sets the variable; the tests that read ../shared use the rest.
#[allow(dead_code)]
#[path = "shared_dir.rs"]
mod shared_dir;
#[cfg(test)]
#[path = "shared_dir_tests.rs"]
mod shared_dir_tests;

/// A cold debug build of every test binary, the fuzz build and the release app take this much.
const DISK_NEEDED_GB: u64 = 35;

pub fn all() -> Result<()> {
    warn_if_disk_is_short();
    // Before set-up: installing packages must not change tracked files either.
    let tree_before = working_tree();
    setup::ensure(Purpose::Test)?;
    let mut tally = Tally::default();
    // Run in this order; a failed step does not stop the ones after it.
    let mut steps: Vec<(&str, Result<()>)> = vec![
        ("UI build (typecheck + bundle)", build::ui()),
        ("TypeScript bindings are fresh", check_bindings()),
        ("UI unit tests (vitest)", ui_unit_tests(&mut tally)),
        ("Rust tests: all crates and IPC", rust_tests(&mut tally)),
        ("The purchase fault matrix", fault_matrix(&mut tally)),
        (
            "Schema-driven fuzzing of the USPS simulator",
            schema_fuzz(&mut tally),
        ),
        ("Fuzzing the parsers (bounded time)", fuzz::step(&mut tally)),
        ("End-to-end tests of the real app", e2e(&mut tally)),
        (
            "The .deb installs, starts and uninstalls",
            crate::dist::test_step(),
        ),
    ];
    steps.push((
        "The run left the working tree as it found it",
        tree_left_as_found(tree_before),
    ));
    report(steps, tally)
}

pub fn e2e_only() -> Result<()> {
    setup::ensure(Purpose::Test)?;
    let mut tally = Tally::default();
    let result = e2e(&mut tally);
    println!(
        "end-to-end: {} passed, {} failed, {} skipped",
        tally.passed, tally.failed, tally.skipped
    );
    result
}

/// `git status --porcelain` of the checkout, one entry per line; `None` outside a git checkout.
fn working_tree() -> Option<std::collections::BTreeSet<String>> {
    let out = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(sh::root())
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    })
}

/// The README's commands must leave a fresh clone clean: no rewritten lockfile, no generated
/// file that is not ignored. Changes the checkout already had are not this run's doing.
fn tree_left_as_found(before: Option<std::collections::BTreeSet<String>>) -> Result<()> {
    say("Checking that the run left the working tree as it found it");
    let (Some(before), Some(after)) = (before, working_tree()) else {
        eprintln!("not a git checkout: nothing to compare");
        return Ok(());
    };
    let changed: Vec<&String> = after.difference(&before).collect();
    if !changed.is_empty() {
        bail!(
            "the run changed files in the checkout (commit them, ignore them, or stop writing \
             them): {changed:?}"
        );
    }
    Ok(())
}

/// Running out of disk half-way fails every step with confusing errors; say it up front.
fn warn_if_disk_is_short() {
    let target = sh::root().join("target");
    let dir = if target.exists() { target } else { sh::root() };
    if let Some(free) = sh::free_gigabytes(&dir) {
        if free < DISK_NEEDED_GB {
            say(&format!(
                "Warning: only {free} GB free on the disk holding {} — a cold run needs about \
                 {DISK_NEEDED_GB} GB; steps may fail with \"No space left on device\"",
                dir.display()
            ));
        } else {
            eprintln!("{free} GB free on the disk holding {}", dir.display());
        }
    }
}

fn report(steps: Vec<(&str, Result<()>)>, tally: Tally) -> Result<()> {
    eprintln!();
    say("Summary");
    let mut failed = 0;
    for (name, r) in &steps {
        match r {
            Ok(()) => eprintln!("  ok      {name}"),
            Err(e) => {
                failed += 1;
                eprintln!("  FAILED  {name}: {e:#}");
            }
        }
    }
    // The closing line counts every test the runners reported, across all steps.
    for name in &tally.failures {
        eprintln!("  failed test: {name}");
    }
    for note in &tally.notes {
        println!("{note}");
    }
    println!(
        "tests: {} passed, {} failed, {} skipped",
        tally.passed, tally.failed, tally.skipped
    );
    if failed > 0 {
        bail!("{failed} of {} test steps failed", steps.len());
    }
    Ok(())
}

fn ui_unit_tests(tally: &mut Tally) -> Result<()> {
    say("UI unit tests");
    sh::run_counting(
        Command::new("npx")
            .args(["vitest", "run"])
            .current_dir(sh::root().join("ui")),
        tally,
    )
}

fn rust_tests(tally: &mut Tally) -> Result<()> {
    say(
        "Rust tests of every crate (the end-to-end crate runs in its own step), in a private D-Bus session with an unlocked keyring",
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = in_session(Path::new(&cargo));
    cmd.current_dir(sh::root())
        .args([
            "test",
            "--workspace",
            "--exclude",
            "shipdesk-e2e",
            "--no-fail-fast",
            "--",
            "--skip",
            FAULT_MATRIX,
        ])
        .env("XDG_DATA_HOME", tempdir_for("rust-tests-xdg")?)
        .env(shared_dir::REQUIRE_SHARED_VAR, "1");
    let result = sh::run_counting(&mut cmd, tally);
    reap_sessions();
    result
}

/// The tests of `crates/shipdesk-core/tests/shipping/fault_matrix.rs`, left out of the workspace
/// step (`--skip`) and run here, so what each prints (`fault matrix <fault>: N combinations (…)
/// in S s`) reaches the closing summary as one line: the matrix's size and run time.
const FAULT_MATRIX: &str = "fault_matrix::";

fn fault_matrix(tally: &mut Tally) -> Result<()> {
    say("The purchase fault matrix (journal step × fault × USPS behaviour)");
    let started = std::time::Instant::now();
    let (mut combinations, mut faults) = (0u64, 0u32);
    let result = sh::run_counting_with(
        sh::cargo()
            .args([
                "test",
                "-p",
                "shipdesk-core",
                "--test",
                "shipping",
                FAULT_MATRIX,
                "--",
                "--nocapture",
            ])
            .env(shared_dir::REQUIRE_SHARED_VAR, "1"),
        tally,
        |line| {
            if let Some(at) = line.find("fault matrix ")
                && let Some(count) = line[at..]
                    .split(": ")
                    .nth(1)
                    .and_then(|rest| rest.split(' ').next())
                    .and_then(|n| n.parse::<u64>().ok())
            {
                combinations += count;
                faults += 1;
            }
        },
    );
    tally.notes.push(format!(
        "fault matrix: {combinations} combinations ({faults} faults × journal steps × USPS \
         behaviours), {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    result
}

/// Every operation of every USPS spec, sent generated valid and broken requests
/// (crates/usps-sim/tests/schema_fuzz.rs). That test target is left out of `cargo test
/// --workspace` (`test = false`), so it runs here once; its summary line
/// (`schema fuzz: N operations …, N cases, N failures …`) goes into the closing summary.
/// `SHIPDESK_SCHEMA_FUZZ_CASES` / `SHIPDESK_SCHEMA_FUZZ_SEED` pass through to it.
fn schema_fuzz(tally: &mut Tally) -> Result<()> {
    say("Schema-driven fuzzing of the USPS simulator (every operation of every spec)");
    let mut summary = None;
    let result = sh::run_counting_with(
        sh::cargo()
            .args([
                "test",
                "-p",
                "usps-sim",
                "--test",
                "schema_fuzz",
                "--",
                "--nocapture",
            ])
            .env(shared_dir::REQUIRE_SHARED_VAR, "1"),
        tally,
        |line| {
            // The test harness may have begun the line with `test name ... `.
            if let Some(at) = line.find("schema fuzz: ") {
                summary = Some(line[at..].to_string());
            }
        },
    );
    tally.notes.push(
        summary.unwrap_or_else(|| "schema fuzz: no summary (the test did not finish)".into()),
    );
    result
}

/// Regenerates the bindings into a scratch directory and compares them with the committed ones.
fn check_bindings() -> Result<()> {
    say("Checking that ui/src/bindings matches the Rust types");
    let scratch = build::target_dir().join("bindings-check");
    let _ = std::fs::remove_dir_all(&scratch);
    export_bindings(&scratch)?;
    let committed = sh::root().join("ui/src/bindings");
    let (want, have) = (read_dir_files(&scratch)?, read_dir_files(&committed)?);
    let mut problems = Vec::new();
    for (name, text) in &want {
        match have.get(name) {
            None => problems.push(format!("{name} is missing")),
            Some(t) if t != text => problems.push(format!("{name} is out of date")),
            _ => {}
        }
    }
    for name in have.keys().filter(|n| !want.contains_key(*n)) {
        problems.push(format!("{name} no longer matches any Rust type"));
    }
    if !problems.is_empty() {
        bail!(
            "stale TypeScript bindings: {}. Run `cargo xtask bindings` and commit ui/src/bindings.",
            problems.join("; ")
        );
    }
    eprintln!("{} binding files are fresh", want.len());
    Ok(())
}

pub fn regenerate_bindings() -> Result<()> {
    let dir = sh::root().join("ui/src/bindings");
    let _ = std::fs::remove_dir_all(&dir);
    export_bindings(&dir)?;
    say(&format!("Wrote {}", dir.display()));
    Ok(())
}

fn export_bindings(dir: &Path) -> Result<()> {
    sh::run(
        sh::cargo()
            .args([
                "test",
                "--workspace",
                "--exclude",
                "shipdesk-e2e",
                "--exclude",
                "shipdesk-app",
                "--lib",
                "export_bindings",
                "--quiet",
            ])
            .env("TS_RS_EXPORT_DIR", dir),
    )
}

fn read_dir_files(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_file() {
            out.insert(
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path)?,
            );
        }
    }
    Ok(out)
}

/// The real app binary driven through tauri-driver + WebKitWebDriver, on a private X display in
/// a private D-Bus session.
fn e2e(tally: &mut Tally) -> Result<()> {
    let app = build::app()?;
    let cli = build::cli()?;
    say("End-to-end tests (tauri-driver + WebKitWebDriver under Xvfb)");
    let display = VirtualDisplay::start()?;
    let artifacts = build::target_dir().join("e2e-artifacts");
    std::fs::create_dir_all(&artifacts)?;
    let keyring_home = tempdir_for("e2e-xdg")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = in_session(Path::new(&cargo));
    cmd.current_dir(sh::root())
        .args([
            "test",
            "-p",
            "shipdesk-e2e",
            "--no-fail-fast",
            "--",
            "--test-threads=1",
        ])
        .env("DISPLAY", display.name())
        .env("XDG_DATA_HOME", &keyring_home)
        .env("SHIPDESK_E2E", "1")
        .env(shared_dir::REQUIRE_SHARED_VAR, "1")
        .env("SHIPDESK_APP_BIN", &app)
        .env("SHIPDESK_CLI_BIN", &cli)
        .env("SHIPDESK_E2E_ARTIFACTS", &artifacts)
        .env("TAURI_DRIVER_BIN", tauri_driver());
    let result = sh::run_counting(&mut cmd, tally);
    reap_sessions();
    result
}

fn tauri_driver() -> std::path::PathBuf {
    if sh::have("tauri-driver") {
        "tauri-driver".into()
    } else {
        setup::cargo_bin("tauri-driver")
    }
}

fn tempdir_for(name: &str) -> Result<std::path::PathBuf> {
    let dir = build::target_dir()
        .join("tmp")
        .join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
