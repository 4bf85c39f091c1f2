//! `usps-sim --bind 127.0.0.1:8090 --scenario file.toml --state state.json`
//!
//! Runs the USPS v3 simulator until Ctrl-C and prints its base URL on the first line of stdout
//! (so scripts can read it). Without `--scenario` the demo business is served.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use usps_sim::{Scenario, SimConfig};

#[derive(Parser, Debug)]
#[command(name = "usps-sim", about = "Local simulator of the USPS v3 REST APIs")]
struct Args {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8090")]
    bind: SocketAddr,
    /// Scenario file (.toml or .json); the built-in demo business when absent.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// State file that keeps tokens, labels and the ledger across restarts.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Extra redirect URI to register on every app (e.g. the app's loopback callback).
    #[arg(long)]
    redirect_uri: Vec<String>,
    /// Print the built-in demo scenario as TOML (a starting point for a scenario file) and exit.
    #[arg(long)]
    print_demo_scenario: bool,
}

fn load(path: &PathBuf) -> Result<Scenario, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    Ok(if is_json {
        Scenario::from_json_str(&text)?
    } else {
        Scenario::from_toml_str(&text)?
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("usps-sim: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    if args.print_demo_scenario {
        print!("{}", toml::to_string(&Scenario::demo())?);
        return Ok(());
    }
    let mut scenario = match &args.scenario {
        Some(p) => load(p)?,
        None => Scenario::demo(),
    };
    for uri in args.redirect_uri {
        scenario = scenario.with_redirect_uri(uri);
    }
    let sim = usps_sim::start(SimConfig {
        bind: args.bind,
        state_file: args.state,
        panics: usps_sim::PanicPolicy::Log,
        ..SimConfig::new(scenario)
    })
    .await?;
    println!("{}", sim.base_url());
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
