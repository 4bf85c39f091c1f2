//! `shipdesk`: the same core the desktop app uses, for scripts and for people who like terminals.
//! Every command takes `--json` for machine-readable output; errors then come out as the same
//! `{code, message, details}` object the app's UI receives.

mod carriers;
mod orders;
mod output;
mod shipping;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use shipdesk_core::carriers::ConnectionsConfig;
use shipdesk_core::{AppError, DataDir, Desk};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output::new(cli.json);
    match run(cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, out: &Output) -> Result<(), AppError> {
    let mut usps = ConnectionsConfig::default();
    if let Command::Carriers(args) = &cli.command
        && let Some(port) = args.redirect_port()
    {
        usps.redirect_port = port;
    }
    let desk = Desk::builder(DataDir::from_env(cli.data_dir)?)
        .usps(usps)
        .sandbox(shipdesk_sandbox::UspsSimSandbox::host())
        .build()?;
    match cli.command {
        Command::Doctor => out.value(&desk.doctor()?, |r| r.to_string()),
        Command::Orders(cmd) => orders::run(cmd, desk.orders(), out),
        Command::Shipping(cmd) => shipping::run(cmd, &desk, out),
        Command::Carriers(args) => carriers::run(args, &desk, out),
    }
}
