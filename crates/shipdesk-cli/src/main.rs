//! `shipdesk`: the same core the desktop app uses, for scripts and for people who like terminals.
//! Every command takes `--json` for machine-readable output; errors then come out as the same
//! `{code, message, details}` object the app's UI receives.

mod carriers;
mod orders;
mod output;
mod postage;
mod printers;
mod reports;
mod shipping;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use shipdesk_core::carriers::ConnectionsConfig;
use shipdesk_core::{AppError, DataDir, Desk, ErrorCode};

use crate::output::Output;

#[derive(Debug, Parser)]
#[command(
    name = "shipdesk",
    version,
    about = "Shipdesk: USPS shipping for small businesses"
)]
struct Cli {
    /// Where Shipdesk keeps its data (default: $SHIPDESK_DATA_DIR, then the OS data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Append this command's log here (default: logs/cli.log in the data directory).
    #[arg(long, global = true, value_name = "FILE")]
    log: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the data directory, database schema version and environment.
    Doctor,
    /// Orders: import, list, show, archive, tag, column mappings.
    #[command(subcommand)]
    Orders(orders::OrdersCommand),
    /// USPS accounts: list, add, check, login, disconnect, edit, default, remove.
    Carriers(carriers::CarriersArgs),
    #[command(flatten)]
    Shipping(shipping::ShippingCommand),
    /// Postage accounts: `postage endicia login|status|buy|change-pass-phrase|logout`.
    #[command(subcommand)]
    Postage(postage::PostageCommand),
    /// The system's printers, the printer for labels, packing slips and SCAN forms, test pages.
    #[command(subcommand)]
    Printers(printers::PrintersCommand),
    /// Postage spend, labels per day, voids and pending refunds (`--csv FILE` for the labels).
    Reports(reports::ReportsArgs),
}

fn main() -> ExitCode {
    // `--version` says how this binary was built as well.
    let long_version: &'static str = Box::leak(
        format!(
            "{} ({})",
            shipdesk_core::VERSION,
            shipdesk_core::build_description()
        )
        .into_boxed_str(),
    );
    let matches = Cli::command().version(long_version).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let out = Output::new(cli.json);
    match run(cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}

/// Logs to `path` (appending) with the same tracing as the app, so "see the log" has a log to
/// see. A log that cannot be opened is not a reason to refuse the command.
fn start_log(path: &Path) {
    let opened = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
        });
    match opened {
        Ok(file) => tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "shipdesk=info,shipdesk_core=info,usps=info".into()),
            )
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .init(),
        Err(e) => eprintln!("warning: no log is written: {} ({e})", path.display()),
    }
}

fn run(cli: Cli, out: &Output) -> Result<(), AppError> {
    let data_dir = DataDir::from_env(cli.data_dir.clone())?;
    let log = cli
        .log
        .clone()
        .unwrap_or_else(|| data_dir.root().join("logs").join("cli.log"));
    start_log(&log);
    tracing::info!(
        version = shipdesk_core::VERSION,
        args = ?std::env::args().skip(1).collect::<Vec<_>>(),
        "shipdesk command"
    );
    let result = run_command(cli, data_dir, out);
    if let Err(e) = &result {
        tracing::warn!(code = ?e.code, "{}", e.message);
        if e.code == ErrorCode::Internal && !out.is_json() {
            eprintln!("log: {}", log.display());
        }
    }
    result
}

fn run_command(cli: Cli, data_dir: DataDir, out: &Output) -> Result<(), AppError> {
    let mut usps = ConnectionsConfig::default();
    if let Command::Carriers(args) = &cli.command
        && let Some(port) = args.redirect_port()
    {
        usps.redirect_port = port;
    }
    let desk = Desk::builder(data_dir)
        .usps(usps)
        .sandbox(shipdesk_sandbox::UspsSimSandbox::host())
        .build()?;
    match cli.command {
        Command::Doctor => out.value(&desk.doctor()?, |r| r.to_string()),
        Command::Orders(cmd) => orders::run(cmd, desk.orders(), out),
        Command::Shipping(cmd) => shipping::run(cmd, &desk, out),
        Command::Carriers(args) => carriers::run(args, &desk, out),
        Command::Postage(cmd) => postage::run(cmd, &desk, out),
        Command::Reports(args) => reports::run(args, desk.reports(), out),
        Command::Printers(cmd) => printers::run(cmd, desk.shipping(), out),
    }
}
