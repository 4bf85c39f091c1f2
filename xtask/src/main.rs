//! `cargo xtask`: everything a fresh machine needs, in two commands.
//!
//! - `run`: installs what is missing, builds the UI and the app, starts the app (under Xvfb with
//!   a screenshot when there is no display).
//! - `test`: the same set-up, then every test: Rust crates, IPC, TS bindings freshness, UI unit
//!   tests, and the end-to-end tests of the real app.
//! - `bench`: the benchmark harness; prints one table.
//! - `e2e`: only the end-to-end tests (after set-up), for iterating on them.
//! - `fuzz`: only the fuzzing step of `test` (fuzz/), optionally longer or for one target.
//! - `dist`: the release app's installers (.deb, .rpm); `--check` installs, starts and removes
//!   the .deb.
//!
//! Plain std::process: the tool must build before anything else is installed.

mod bench;
mod build;
mod desktop;
mod dist;
mod fuzz;
mod setup;
mod sh;
mod test;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Shipdesk's own tooling")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Install what is missing, build, and start the desktop app (Sandbox mode).
    Run {
        /// Under Xvfb (no display), keep the app running after the screenshot until Ctrl+C.
        #[arg(long)]
        keep_running: bool,
    },
    /// Install what is missing, then run every test of the project.
    Test,
    /// Only the end-to-end tests of the real app.
    E2e,
    /// Only the fuzzing of the parsers (fuzz/), for a bounded time per target.
    Fuzz {
        /// Seconds per target (default: $SHIPDESK_FUZZ_SECONDS, else 20); 0 runs the committed
        /// corpus once.
        #[arg(long)]
        seconds: Option<u64>,
        /// Only this target (repeatable): import_file, usps_responses.
        #[arg(long = "target")]
        targets: Vec<String>,
    },
    /// Run the benchmarks and print a table of figures.
    Bench,
    /// Regenerate the TypeScript bindings in ui/src/bindings from the Rust types.
    Bindings,
    /// Build the release app's installers: a .deb and an .rpm (target/release/bundle/).
    Dist {
        /// Then install the .deb, start the installed app under Xvfb, and remove it (root).
        #[arg(long)]
        check: bool,
        /// From the debug build instead (quick; what `cargo xtask test` checks).
        #[arg(long)]
        debug: bool,
    },
}

fn main() -> std::process::ExitCode {
    if std::env::var_os(fuzz::WRAPPER_VAR).is_some() {
        return fuzz::wrap_rustc();
    }
    let cli = Cli::parse();
    let result: Result<()> = match cli.command {
        Cmd::Run { keep_running } => desktop::run(keep_running),
        Cmd::Test => test::all(),
        Cmd::E2e => test::e2e_only(),
        Cmd::Fuzz { seconds, targets } => fuzz::run(seconds, &targets),
        Cmd::Bench => bench::run(),
        Cmd::Bindings => test::regenerate_bindings(),
        Cmd::Dist { check, debug } => dist::run(check, debug),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
