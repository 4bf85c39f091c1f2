//! Running commands loudly: every command is echoed before it runs, so a log reads as a recipe.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use anyhow::{Context, Result, bail};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

pub fn say(msg: &str) {
    eprintln!("\x1b[1m==> {msg}\x1b[0m");
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs `cmd`, echoing it; returns its status without judging it.
pub fn status(cmd: &mut Command) -> Result<ExitStatus> {
    eprintln!("$ {}", describe(cmd));
    cmd.status()
        .with_context(|| format!("could not start `{}`", describe(cmd)))
}

/// Runs `cmd` and fails if it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    let st = status(cmd)?;
    if !st.success() {
        bail!("`{}` failed ({st})", describe(cmd));
    }
    Ok(())
}

/// Runs `cmd` quietly and returns its stdout, or None if it could not run or failed.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn have(program: &str) -> bool {
    output(Command::new("sh").args(["-c", &format!("command -v {program}")])).is_some()
}

pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    // A CI build starts cold and is thrown away: incremental state would only double the target
    // directory (about 20 GB for this workspace) and slow the build.
    if in_ci() && std::env::var_os("CARGO_INCREMENTAL").is_none() {
        c.env("CARGO_INCREMENTAL", "0");
    }
    c
}

pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Gigabytes free on the file system holding `dir`, if `df` can tell.
pub fn free_gigabytes(dir: &Path) -> Option<u64> {
    let out = output(Command::new("df").args(["-P", "-B1G"]).arg(dir))?;
    out.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()
}

/// Test counts read from the runners' own summary lines as their output streams past, and the
/// names of the tests that failed, so the closing summary (often all a CI log shows) names them.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
    pub failures: Vec<String>,
    /// Lines a step adds to the closing summary (the fuzzing step's counts).
    pub notes: Vec<String>,
}

impl Tally {
    /// Reads `cargo test`'s "test result: ok. 3 passed; 0 failed; 1 ignored; …" and vitest's
    /// "Tests  12 passed (12)" / "Tests  1 failed | 11 passed (12)".
    pub fn read_line(&mut self, raw: &str) {
        let line = strip_ansi(raw);
        let line = line.trim();
        let count = |word: &str| -> u64 {
            let words: Vec<&str> = line
                .split(|c: char| c.is_whitespace() || c == ';' || c == '|' || c == ',')
                .filter(|w| !w.is_empty())
                .collect();
            words
                .windows(2)
                .filter(|w| w[1].starts_with(word))
                .filter_map(|w| w[0].parse::<u64>().ok())
                .sum()
        };
        if let Some(name) = failed_test_name(line)
            && !self.failures.iter().any(|f| f == name)
        {
            self.failures.push(name.to_string());
        }
        if line.starts_with("test result:") {
            self.passed += count("passed");
            self.failed += count("failed");
            self.skipped += count("ignored");
        } else if line.starts_with("Tests ") {
            self.passed += count("passed");
            self.failed += count("failed");
            self.skipped += count("skipped");
        }
    }
}

/// cargo prints `test a::b ... FAILED`; vitest prints `FAIL  file > suite > name` in its report
/// and `× file > suite > name 12ms` as it goes.
fn failed_test_name(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix("test ") {
        return rest.strip_suffix(" ... FAILED");
    }
    let rest = line
        .strip_prefix("FAIL ")
        .or_else(|| line.strip_prefix("× "))?
        .trim();
    let rest = match rest.rsplit_once(' ') {
        Some((name, time))
            if time.ends_with("ms")
                && time[..time.len() - 2].chars().all(|c| c.is_ascii_digit()) =>
        {
            name
        }
        _ => rest,
    };
    rest.contains(" > ").then_some(rest)
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs `cmd` like [`run`], echoing its standard output while counting test results in it.
pub fn run_counting(cmd: &mut Command, tally: &mut Tally) -> Result<()> {
    run_counting_with(cmd, tally, |_| {})
}

/// [`run_counting`], also handing each line of standard output to `each_line`.
pub fn run_counting_with(
    cmd: &mut Command,
    tally: &mut Tally,
    mut each_line: impl FnMut(&str),
) -> Result<()> {
    use std::io::BufRead;
    eprintln!("$ {}", describe(cmd));
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{}`", describe(cmd)))?;
    let stdout = child.stdout.take().expect("piped stdout");
    for line in std::io::BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        println!("{line}");
        tally.read_line(&line);
        each_line(&line);
    }
    let st = child.wait()?;
    if !st.success() {
        bail!("`{}` failed ({st})", describe(cmd));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn reads_cargo_and_vitest_summaries() {
        let mut t = Tally::default();
        t.read_line("test result: ok. 17 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.04s");
        t.read_line(
            "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        t.read_line("\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m12 passed\x1b[39m\x1b[22m\x1b[90m (12)\x1b[39m");
        t.read_line("      Tests  1 failed | 11 passed (12)");
        t.read_line("running 4 tests");
        assert_eq!(
            (t.passed, t.failed, t.skipped),
            (17 + 3 + 12 + 11, 1 + 1, 2)
        );
    }

    #[test]
    fn names_the_tests_that_failed() {
        let mut t = Tally::default();
        t.read_line("test purchase::twice_is_once ... FAILED");
        t.read_line("test purchase::ok_one ... ok");
        t.read_line(" \x1b[31m×\x1b[39m src/App.test.tsx > App > opens 5012ms");
        t.read_line(" FAIL  src/App.test.tsx > App > opens");
        t.read_line("FAIL  some unrelated words");
        assert_eq!(
            t.failures,
            ["purchase::twice_is_once", "src/App.test.tsx > App > opens"]
        );
    }
}
