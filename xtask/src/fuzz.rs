//! Coverage-guided fuzzing of the parsers that read what Shipdesk does not control (the targets
//! in fuzz/fuzz_targets), for a bounded time: `cargo xtask fuzz`, and a step of `cargo xtask test`.
//!
//! It runs on the stable toolchain, without cargo-fuzz: the fuzz crate is built the way
//! `cargo fuzz build` builds it, minus the sanitizer (which needs nightly): SanitizerCoverage
//! instrumentation through `-C passes=sancov-module` and LLVM options, `--cfg fuzzing`, debug
//! assertions and overflow checks in a release build, libFuzzer linked in by `libfuzzer-sys`.
//!
//! Unlike `cargo fuzz`, only the crates that read the input are instrumented ([`INSTRUMENTED`]):
//! ours and the parsers they call. Coverage inside TLS, PDF writing or SQLite tells libFuzzer
//! nothing about a parser, and instrumenting them roughly doubled both the cold build and the time
//! per input. Stable cargo has no per-crate flags, so xtask passes itself as `RUSTC_WRAPPER`
//! ([`wrap_rustc`]) and adds the instrumentation to those crates' target builds only (build
//! scripts and proc macros are never instrumented: they are not linked with libFuzzer).
//!
//! Each binary then is libFuzzer: it starts from the committed corpus
//! (fuzz/corpus/<target>, never written) and writes what it finds to a scratch corpus under
//! target/, which later runs on this machine start from too. A crash, hang or runaway allocation
//! keeps its input under target/fuzz/artifacts and fails the step.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::build;
use crate::sh::{self, Tally, say};

/// Overrides how long each target runs, in seconds; `0` runs the committed corpus only.
pub const SECONDS_VAR: &str = "SHIPDESK_FUZZ_SECONDS";
const DEFAULT_SECONDS: u64 = 20;

/// What cargo-fuzz passes to every crate, less `-Zsanitizer=address` (nightly only) and the
/// instrumentation ([`SANCOV`]).
const RUSTFLAGS: &[&str] = &[
    "--cfg",
    "fuzzing",
    "-Cdebug-assertions",
    "-Coverflow-checks",
];

/// cargo-fuzz's coverage instrumentation: edge counters, their PC table, and comparison tracing.
const SANCOV: &[&str] = &[
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
];

/// The crates instrumented for coverage (rustc's crate names): the code the targets drive.
pub const INSTRUMENTED: &[&str] = &[
    "shipdesk_core",
    "usps",
    // Order files: reading CSV, decoding, normalizing money and dates. (csv_core is left out:
    // its parser is a table-driven DFA with little to cover, and instrumented, building that
    // table for every file took a quarter of the time per input.)
    "csv",
    "encoding_rs",
    "rust_decimal",
    "time",
    // USPS answers: JSON, multipart, base64.
    "serde_json",
    "multer",
    "httparse",
    "mime",
    "base64",
];

/// Set (to anything) when xtask runs as cargo's `RUSTC_WRAPPER` for the fuzz build.
pub const WRAPPER_VAR: &str = "SHIPDESK_FUZZ_RUSTC_WRAPPER";

/// Runs as cargo's `RUSTC_WRAPPER` (`xtask <rustc> <args>…`): rustc as cargo asked, plus
/// [`SANCOV`] for a target build (cargo passes `--target`; build scripts and proc macros have
/// none) of a crate in [`INSTRUMENTED`].
pub fn wrap_rustc() -> std::process::ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(rustc) = args.next() else {
        eprintln!("xtask as rustc wrapper: no rustc given");
        return std::process::ExitCode::FAILURE;
    };
    let args: Vec<std::ffi::OsString> = args.collect();
    let crate_name = args
        .windows(2)
        .find(|w| w[0] == "--crate-name")
        .map(|w| w[1].to_string_lossy().into_owned());
    let for_target = args.iter().any(|a| a == "--target");
    let mut cmd = Command::new(rustc);
    cmd.args(&args);
    if for_target && crate_name.is_some_and(|n| INSTRUMENTED.contains(&n.as_str())) {
        cmd.args(SANCOV);
    }
    match cmd.status() {
        Ok(st) => std::process::ExitCode::from(st.code().unwrap_or(1).clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("xtask as rustc wrapper: could not run rustc: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

pub struct Target {
    pub name: &'static str,
    /// The largest input libFuzzer makes.
    max_len: usize,
}

/// Every target in fuzz/Cargo.toml.
pub const TARGETS: &[Target] = &[
    // Past the 64 KB sample the sniffers read and the 64 KB field limit.
    Target {
        name: "import_file",
        max_len: 192 * 1024,
    },
    Target {
        name: "usps_responses",
        max_len: 64 * 1024,
    },
];

/// One target's run, as libFuzzer reported it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Outcome {
    runs: u64,
    seconds: u64,
    corpus: u64,
    coverage: u64,
    /// The input that crashed, hung or ran out of memory, as libFuzzer kept it.
    artifact: Option<String>,
}

impl Outcome {
    /// Reads one line of libFuzzer's output: its status lines (`#4096 pulse cov: 812 ft: 2301
    /// corp: 97/4120b …`), `Done 123 runs in 20 second(s)`, the final stats and the artifact.
    fn read_line(&mut self, line: &str) {
        let value_after = |key: &str| -> Option<&str> {
            let rest = &line[line.find(key)? + key.len()..];
            rest.split_whitespace().next()
        };
        if let Some(rest) = line.strip_prefix("Done ") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            if let [runs, "runs", "in", seconds, ..] = words[..] {
                self.runs = runs.parse().unwrap_or(self.runs);
                self.seconds = seconds.parse().unwrap_or(self.seconds);
            }
        } else if let Some(n) = line.strip_prefix("stat::number_of_executed_units:") {
            self.runs = n.trim().parse().unwrap_or(self.runs);
        } else if line.starts_with('#') {
            if let Some(cov) = value_after(" cov: ").and_then(|v| v.parse().ok()) {
                self.coverage = cov;
            }
            if let Some(corp) = value_after(" corp: ").and_then(|v| v.split('/').next()) {
                self.corpus = corp.parse().unwrap_or(self.corpus);
            }
        }
        if let Some(at) = line.find("Test unit written to ") {
            self.artifact = Some(line[at + "Test unit written to ".len()..].trim().to_owned());
        }
    }
}

/// A line worth echoing: not one of the many `NEW`/`REDUCE`/`NEW_FUNC` lines, nor the
/// dictionary libFuzzer recommends at the end (they go to the log file).
fn worth_showing(line: &str) -> bool {
    let progress = line.starts_with('#')
        && line
            .split_whitespace()
            .nth(1)
            .is_some_and(|w| w == "NEW" || w == "REDUCE");
    let new_function = line.trim_start().starts_with("NEW_FUNC[");
    let dictionary = line.starts_with('"') && line.contains("# Uses:");
    !(progress || new_function || dictionary)
}

fn seconds_from_env() -> Result<u64> {
    match std::env::var(SECONDS_VAR) {
        Ok(v) => v
            .trim()
            .parse()
            .with_context(|| format!("{SECONDS_VAR}={v:?} is not a number of seconds")),
        Err(_) => Ok(DEFAULT_SECONDS),
    }
}

/// The step of `cargo xtask test`: every target, for `SHIPDESK_FUZZ_SECONDS` (20) seconds each.
/// Each target counts as one test in `tally`.
pub fn step(tally: &mut Tally) -> Result<()> {
    let seconds = seconds_from_env()?;
    let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    run_targets(&names, seconds, tally)
}

/// `cargo xtask fuzz [--seconds N] [--target NAME]…`.
pub fn run(seconds: Option<u64>, only: &[String]) -> Result<()> {
    crate::setup::ensure_fuzzing()?;
    let seconds = match seconds {
        Some(s) => s,
        None => seconds_from_env()?,
    };
    for name in only {
        if !TARGETS.iter().any(|t| t.name == name) {
            let known: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
            bail!(
                "no fuzz target {name:?}; the targets are {}",
                known.join(", ")
            );
        }
    }
    let names: Vec<&str> = if only.is_empty() {
        TARGETS.iter().map(|t| t.name).collect()
    } else {
        only.iter().map(String::as_str).collect()
    };
    let mut tally = Tally::default();
    let result = run_targets(&names, seconds, &mut tally);
    for name in &tally.failures {
        eprintln!("  failed: {name}");
    }
    result
}

fn run_targets(names: &[&str], seconds: u64, tally: &mut Tally) -> Result<()> {
    let bins = build_targets()?;
    let (mut runs, mut crashed) = (0u64, Vec::new());
    for target in TARGETS.iter().filter(|t| names.contains(&t.name)) {
        let outcome = fuzz_one(target, &bins, seconds)?;
        runs += outcome.runs;
        eprintln!(
            "fuzz {}: {} runs in {} s, corpus {} inputs, coverage {} edges, {}",
            target.name,
            outcome.runs,
            outcome.seconds,
            outcome.corpus,
            outcome.coverage,
            counted(u64::from(outcome.artifact.is_some()), "crash", "crashes")
        );
        match outcome.artifact {
            None => tally.passed += 1,
            Some(artifact) => {
                tally.failed += 1;
                let reproduce = format!("{} {artifact}", bins.join(target.name).display());
                eprintln!("  the input is kept in {artifact}; reproduce with: {reproduce}");
                tally
                    .failures
                    .push(format!("fuzz target {} (input: {artifact})", target.name));
                crashed.push(target.name);
            }
        }
    }
    let line = format!(
        "fuzz: {}, {}, {}",
        counted(names.len() as u64, "target", "targets"),
        counted(runs, "run", "runs"),
        counted(crashed.len() as u64, "crash", "crashes")
    );
    eprintln!("{line}");
    tally.notes.push(line);
    if !crashed.is_empty() {
        bail!("fuzz targets failed: {}", crashed.join(", "));
    }
    Ok(())
}

fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Where the fuzz crate's build, scratch corpora, logs and crash inputs go.
fn fuzz_dir() -> PathBuf {
    build::target_dir().join("fuzz")
}

fn host_triple() -> Result<String> {
    let info = sh::output(Command::new("rustc").arg("-vV").current_dir(sh::root()))
        .context("`rustc -vV` failed")?;
    info.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .context("`rustc -vV` names no host")
}

/// Builds every target; returns the directory of the binaries.
fn build_targets() -> Result<PathBuf> {
    say("Building the fuzz targets (release, coverage-instrumented, libFuzzer)");
    let triple = host_triple()?;
    let dir = fuzz_dir();
    let manifest = sh::root().join("fuzz/Cargo.toml");
    let wrapper = std::env::current_exe().context("finding xtask's own binary")?;
    // The list is part of the flags so that changing it rebuilds what it changes.
    let mut flags = RUSTFLAGS.join(" ");
    flags.push_str(&format!(
        " --cfg shipdesk_fuzz_instrumented=\"{}\"",
        INSTRUMENTED.join(",")
    ));
    sh::run(
        sh::cargo()
            .args(["build", "--release", "--bins", "--manifest-path"])
            .arg(&manifest)
            .args(["--target", &triple, "--target-dir"])
            .arg(&dir)
            .env("RUSTFLAGS", flags)
            .env("RUSTC_WRAPPER", wrapper)
            .env(WRAPPER_VAR, "1")
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .env_remove("CARGO_ENCODED_RUSTFLAGS"),
    )?;
    Ok(dir.join(&triple).join("release"))
}

fn fuzz_one(target: &Target, bins: &Path, seconds: u64) -> Result<Outcome> {
    let root = sh::root();
    let committed = root.join("fuzz/corpus").join(target.name);
    let scratch = fuzz_dir().join("corpus").join(target.name);
    let artifacts = fuzz_dir().join("artifacts").join(target.name);
    let logs = fuzz_dir().join("logs");
    for dir in [&scratch, &artifacts, &logs] {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let log_path = logs.join(format!("{}.log", target.name));
    let mut log = std::fs::File::create(&log_path)
        .with_context(|| format!("creating {}", log_path.display()))?;
    let what = match seconds {
        0 => format!("Replaying the corpus of {}", target.name),
        s => format!("Fuzzing {} for {s} s", target.name),
    };
    say(&format!("{what} (full log: {})", log_path.display()));
    let mut cmd = Command::new(bins.join(target.name));
    // The scratch corpus first: libFuzzer writes new inputs to the first directory only.
    cmd.arg(&scratch).arg(&committed);
    if seconds == 0 {
        // Every committed input once, nothing new.
        cmd.arg("-runs=0");
    } else {
        cmd.arg(format!("-max_total_time={seconds}"));
    }
    cmd.arg(format!("-max_len={}", target.max_len))
        .arg("-rss_limit_mb=2048")
        .arg("-timeout=10")
        .arg("-print_final_stats=1")
        .arg(format!("-artifact_prefix={}/", artifacts.display()));
    let dict = root.join("fuzz/dict").join(format!("{}.dict", target.name));
    if dict.exists() {
        cmd.arg(format!("-dict={}", dict.display()));
    }
    // The import pipeline allocates several 256 KB buffers per file; above glibc's default
    // threshold each is a fresh mmap, and page faults took an eighth of the time per input.
    cmd.env("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=4194304");
    cmd.current_dir(&root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let described = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    eprintln!("$ {described}");
    let mut child = cmd
        .spawn()
        .with_context(|| format!("could not start {}", bins.join(target.name).display()))?;
    let stderr = child.stderr.take().expect("piped stderr");
    let mut outcome = Outcome::default();
    let mut quiet = 0u64;
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        writeln!(log, "{line}")?;
        outcome.read_line(&line);
        if worth_showing(&line) {
            eprintln!("{line}");
        } else {
            quiet += 1;
        }
    }
    let status = child.wait()?;
    if quiet > 0 {
        eprintln!("({quiet} lines of new inputs and dictionary entries are in the log)");
    }
    if !status.success() && outcome.artifact.is_none() {
        bail!(
            "{} exited with {status} and kept no input; see {}",
            target.name,
            log_path.display()
        );
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Instrumenting a crate built unoptimized would make its coverage slow for nothing.
    #[test]
    fn every_instrumented_crate_is_built_optimized() {
        let manifest = std::fs::read_to_string(sh::root().join("fuzz/Cargo.toml")).unwrap();
        let lines: Vec<&str> = manifest.lines().map(str::trim).collect();
        let optimized: Vec<String> = lines
            .windows(2)
            .filter(|w| w[1].replace(' ', "") == "opt-level=3")
            .filter_map(|w| {
                w[0].strip_prefix("[profile.release.package.")?
                    .strip_suffix(']')
            })
            .map(|name| name.replace('-', "_"))
            .collect();
        for name in INSTRUMENTED {
            assert!(
                optimized.iter().any(|o| o == name),
                "{name} is instrumented but not built with opt-level 3 in fuzz/Cargo.toml"
            );
        }
    }

    #[test]
    fn reads_libfuzzer_counts() {
        let mut o = Outcome::default();
        for line in [
            "INFO: seed corpus: files: 12 min: 40b max: 2410b total: 8113b rss: 31Mb",
            "#13\tINITED cov: 812 ft: 1201 corp: 11/7904b exec/s: 0 rss: 33Mb",
            "#4096\tpulse  cov: 930 ft: 2301 corp: 97/41Kb lim: 4096 exec/s: 2048 rss: 60Mb",
            "#48213\tDONE   cov: 951 ft: 2417 corp: 104/44Kb lim: 4096 exec/s: 2410 rss: 61Mb",
            "Done 48213 runs in 20 second(s)",
        ] {
            o.read_line(line);
        }
        assert_eq!(
            o,
            Outcome {
                runs: 48213,
                seconds: 20,
                corpus: 104,
                coverage: 951,
                artifact: None,
            }
        );
    }

    #[test]
    fn keeps_the_crashing_input() {
        let mut o = Outcome::default();
        for line in [
            "thread '<unnamed>' panicked at fuzz_targets/import_file.rs:40:5:",
            "==123== ERROR: libFuzzer: deadly signal",
            "MS: 2 ChangeByte-InsertByte-; base unit: 0000",
            "artifact_prefix='/w/target/fuzz/artifacts/import_file/'; Test unit written to /w/target/fuzz/artifacts/import_file/crash-da39a3ee",
            "stat::number_of_executed_units: 5120",
        ] {
            o.read_line(line);
        }
        assert_eq!(o.runs, 5120);
        assert_eq!(
            o.artifact.as_deref(),
            Some("/w/target/fuzz/artifacts/import_file/crash-da39a3ee")
        );
    }

    #[test]
    fn shows_all_but_the_new_input_lines() {
        assert!(!worth_showing(
            "#96\tNEW    cov: 420 ft: 601 corp: 30/1290b lim: 4 exec/s: 0 rss: 31Mb L: 3/4 MS: 1"
        ));
        assert!(!worth_showing(
            "#97\tREDUCE cov: 420 ft: 601 corp: 30/1289b"
        ));
        assert!(!worth_showing("\tNEW_FUNC[1/2]: 0x562a6f38c441"));
        assert!(!worth_showing("\"api_\" # Uses: 3"));
        assert!(worth_showing(
            "#4096\tpulse  cov: 930 ft: 2301 corp: 97/41Kb"
        ));
        assert!(worth_showing("Done 48213 runs in 20 second(s)"));
    }
}
