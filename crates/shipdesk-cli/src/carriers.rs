//! `shipdesk carriers …`: USPS accounts from a terminal — list, add (Sign in with USPS or your
//! own USPS API app), check (the connection doctor), login (reconnect), disconnect, edit,
//! default, remove. A thin layer over `Connections`, the same service the app's Settings use.
//!
//! Secrets are read from stdin (`--client-secret-stdin`), kept in the OS keyring, and never
//! printed. Without a keyring, `--memory-secrets` (or `SHIPDESK_SECRETS=memory`) keeps them for
//! this one command only.

use std::io::Read;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use shipdesk_core::carriers::{
    AccountFields, CheckStatus, ConnectOutcome, ConnectionCheck, ConnectionState, Connections,
    ContractSource, DisconnectOutcome, OnboardingAction, OnboardingGuide, OnboardingStatus,
    OwnAppRequest, SignInHandle, SignInRequest, UspsAccountRecord,
};
use shipdesk_core::environment::Environment;
use shipdesk_core::{AppError, Desk, ErrorCode};

use crate::output::Output;

/// `SHIPDESK_SECRETS=memory` does what `--memory-secrets` does.
const SECRETS_ENV: &str = "SHIPDESK_SECRETS";

#[derive(Debug, Args)]
pub struct CarriersArgs {
    /// Keep USPS secrets in memory for this command only (when no keyring is available).
    #[arg(long, global = true)]
    memory_secrets: bool,
    #[command(subcommand)]
    command: CarriersCommand,
}

#[derive(Debug, Subcommand)]
enum CarriersCommand {
    /// List USPS accounts with their connection state.
    List,
    /// Add a USPS account: `--sign-in` (USPS consent in the browser) or `--client-id` with
    /// `--client-secret-stdin` (your own USPS API app).
    Add(AddArgs),
    /// Run the connection doctor for an account (id or nickname).
    Check { account: String },
    /// "Connect your USPS business account": the three steps (business account, payment
    /// account, link to Shipdesk) as USPS shows them, for an account or the default one.
    Guide {
        account: Option<String>,
        /// Open the USPS business portal in the browser as well.
        #[arg(long)]
        open_portal: bool,
        /// Whether the business has USPS contract (NSA) prices: `yes` keeps reminding (the app's
        /// banner) until an account is connected.
        #[arg(long, value_name = "yes|no", value_parser = clap::builder::BoolishValueParser::new())]
        contract_prices: Option<bool>,
    },
    /// Sign in to USPS again for an account (prints the address, opens the browser, waits).
    Login {
        account: String,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Revoke the account's USPS authorization and delete its stored secrets (keeps the account).
    Disconnect { account: String },
    /// Change an account's nickname or identifiers.
    Edit {
        account: String,
        #[command(flatten)]
        fields: FieldArgs,
    },
    /// Make an account the default one.
    Default { account: String },
    /// Disconnect and delete an account.
    Remove { account: String },
    /// Keep the client secret of your USPS platform app for TEM or Production in the system
    /// keyring (read from standard input), for a usps-platform-apps.toml without client_secret.
    PlatformSecret {
        #[arg(long = "env", value_enum)]
        environment: EnvArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EnvArg {
    Sandbox,
    Tem,
    Production,
}

impl From<EnvArg> for Environment {
    fn from(e: EnvArg) -> Self {
        match e {
            EnvArg::Sandbox => Environment::Sandbox,
            EnvArg::Tem => Environment::Tem,
            EnvArg::Production => Environment::Production,
        }
    }
}

#[derive(Debug, Args)]
struct FieldArgs {
    #[arg(long)]
    nickname: Option<String>,
    /// Customer Registration ID (digits, usually 8).
    #[arg(long)]
    crid: Option<String>,
    /// Master MID (6 or 9 digits).
    #[arg(long)]
    mid: Option<String>,
    /// Label (manifest) MID (6 or 9 digits).
    #[arg(long)]
    manifest_mid: Option<String>,
    /// EPS account number (10 digits).
    #[arg(long)]
    eps: Option<String>,
    /// Whether the account holds a USPS contract (NSA): `yes` buys its labels at its contract
    /// prices (a RATE_HOLDER payment authorization), `no` at commercial prices. Left out, USPS's
    /// answer decides.
    #[arg(long, value_name = "yes|no", value_parser = clap::builder::BoolishValueParser::new())]
    contract: Option<bool>,
    /// The calls an hour USPS allows this account's app per API, when USPS raised it from the
    /// default 60: long batches are paced to it instead of being refused.
    #[arg(long, value_name = "N")]
    calls_per_hour: Option<u32>,
}

impl FieldArgs {
    fn to_fields(&self) -> AccountFields {
        AccountFields {
            nickname: self.nickname.clone(),
            crid: self.crid.clone(),
            mid: self.mid.clone(),
            manifest_mid: self.manifest_mid.clone(),
            eps_account: self.eps.clone(),
            has_contract: self.contract,
            calls_per_hour: self.calls_per_hour,
        }
    }
}

#[derive(Debug, Args)]
struct WaitArgs {
    /// Loopback port for the USPS redirect (must be registered with the USPS app).
    #[arg(long)]
    port: Option<u16>,
    /// Give up waiting for the browser after this many seconds (default 300).
    #[arg(long, value_name = "SECS")]
    timeout: Option<u64>,
    /// Only print the address; do not open a browser.
    #[arg(long)]
    no_browser: bool,
}

#[derive(Debug, Args)]
struct AddArgs {
    /// Sign in with USPS in the browser (Customer Onboarding Portal consent).
    #[arg(long, conflicts_with = "client_secret_stdin")]
    sign_in: bool,
    /// Your USPS app's client id (Consumer Key). With --sign-in: the platform app to consent to.
    #[arg(long)]
    client_id: Option<String>,
    /// Read the client secret (Consumer Secret) from standard input.
    #[arg(long)]
    client_secret_stdin: bool,
    #[arg(long = "env", value_enum, default_value = "sandbox")]
    environment: EnvArg,
    /// A custom USPS host (e.g. a local simulator).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    #[command(flatten)]
    fields: FieldArgs,
    #[command(flatten)]
    wait: WaitArgs,
}

pub fn run(args: CarriersArgs, desk: &Desk, out: &Output) -> Result<(), AppError> {
    let memory = args.memory_secrets
        || std::env::var(SECRETS_ENV).is_ok_and(|v| v.eq_ignore_ascii_case("memory"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::internal("Could not start the async runtime", &e))?;
    let conns = desk.connections();
    if memory {
        conns.use_memory_secret_store();
    }
    runtime
        .block_on(run_command(args.command, conns, out))
        .map_err(|mut e| {
            if e.code == ErrorCode::SecretStoreUnavailable {
                e.message
                    .push_str(" (For this command only: pass --memory-secrets.)");
            }
            e
        })
}

impl CarriersArgs {
    /// `--port` of `add`/`login`: part of the connection setup (the Sandbox simulator registers
    /// it when it starts), so `main` opens the desk with it.
    pub fn redirect_port(&self) -> Option<u16> {
        match &self.command {
            CarriersCommand::Add(add) => add.wait.port,
            CarriersCommand::Login { wait, .. } => wait.port,
            _ => None,
        }
    }
}

async fn run_command(
    command: CarriersCommand,
    conns: &Connections,
    out: &Output,
) -> Result<(), AppError> {
    match command {
        CarriersCommand::List => {
            let accounts = conns.list_accounts()?;
            out.value(&accounts, |a| list_text(a))
        }
        CarriersCommand::Add(add) => {
            let outcome = if add.sign_in {
                let secret = if add.client_secret_stdin {
                    Some(read_secret()?)
                } else {
                    None
                };
                let request = SignInRequest {
                    account: None,
                    environment: Some(add.environment.into()),
                    base_url: add.base_url.clone(),
                    fields: add.fields.to_fields(),
                    port: None,
                    client_id: add.client_id.clone(),
                    client_secret: secret,
                };
                sign_in(conns, request, &add.wait).await?
            } else {
                let Some(client_id) = add.client_id.clone() else {
                    return Err(AppError::validation(
                        "Choose --sign-in, or give --client-id and --client-secret-stdin for your \
                         own USPS API app",
                    ));
                };
                if !add.client_secret_stdin {
                    return Err(AppError::validation(
                        "Pass the client secret on standard input with --client-secret-stdin \
                         (it is never taken from the command line)",
                    ));
                }
                let request = OwnAppRequest {
                    account: None,
                    environment: Some(add.environment.into()),
                    base_url: add.base_url.clone(),
                    fields: add.fields.to_fields(),
                    client_id,
                    client_secret: read_secret()?,
                };
                conns.connect_own_app(request).await?
            };
            out.value(&outcome, connected_text)
        }
        CarriersCommand::Check { account } => {
            let id = conns.find_account(&account)?.id;
            let check = conns.check_connection(id).await?;
            out.value(&check, check_text)
        }
        CarriersCommand::Guide {
            account,
            open_portal,
            contract_prices,
        } => {
            if let Some(have) = contract_prices {
                conns.say_contract_prices(have)?;
            }
            let id = match account {
                Some(a) => Some(conns.find_account(&a)?.id),
                None => None,
            };
            let guide = conns.business_onboarding(id).await?;
            if open_portal {
                conns.open_business_portal()?;
            }
            out.value(&guide, guide_text)
        }
        CarriersCommand::Login { account, wait } => {
            let id = conns.find_account(&account)?.id;
            let request = SignInRequest {
                account: Some(id),
                port: None,
                ..Default::default()
            };
            let outcome = sign_in(conns, request, &wait).await?;
            out.value(&outcome, connected_text)
        }
        CarriersCommand::Disconnect { account } => {
            let id = conns.find_account(&account)?.id;
            let outcome = conns.disconnect(id).await?;
            out.value(&outcome, |o| disconnected_text(o, "Disconnected"))
        }
        CarriersCommand::Edit { account, fields } => {
            let id = conns.find_account(&account)?.id;
            let updated = conns.update_account(id, &fields.to_fields())?;
            out.value(&updated, account_line)
        }
        CarriersCommand::Default { account } => {
            let id = conns.find_account(&account)?.id;
            let updated = conns.set_default_account(id)?;
            out.value(&updated, account_line)
        }
        CarriersCommand::Remove { account } => {
            let id = conns.find_account(&account)?.id;
            let outcome = conns.remove_account(id).await?;
            out.value(&outcome, |o| disconnected_text(o, "Removed"))
        }
        CarriersCommand::PlatformSecret { environment } => {
            let environment: Environment = environment.into();
            conns
                .save_platform_secret(environment, read_secret()?)
                .await?;
            let saved = serde_json::json!({ "environment": environment, "saved": true });
            out.value(&saved, |_| {
                format!(
                    "Saved the platform app secret for {} in the system keyring; it is used from \
                     the next start (`shipdesk doctor` shows the platform app).",
                    environment.label()
                )
            })
        }
    }
}

/// Starts the sign-in, tells the user where to go (stderr, so `--json` stdout stays clean), and
/// waits for USPS to send the browser back.
async fn sign_in(
    conns: &Connections,
    request: SignInRequest,
    wait: &WaitArgs,
) -> Result<ConnectOutcome, AppError> {
    let handle: SignInHandle = if wait.no_browser {
        conns.begin_sign_in_without_browser(request).await?
    } else {
        conns.begin_sign_in(request).await?
    };
    eprintln!(
        "Sign in to USPS in your browser to connect Shipdesk:\n  {}",
        handle.url
    );
    if !wait.no_browser && !handle.browser_opened {
        eprintln!("(The browser did not open; copy the address above into it.)");
    }
    eprintln!(
        "Waiting for USPS to send the browser back to {} …",
        handle.redirect_uri
    );
    let timeout = wait.timeout.map(Duration::from_secs);
    conns.finish_sign_in_within(&handle, timeout).await
}

fn read_secret() -> Result<String, AppError> {
    let mut secret = String::new();
    std::io::stdin()
        .read_to_string(&mut secret)
        .map_err(|e| AppError::internal("Could not read the client secret from stdin", &e))?;
    let secret = secret.trim_end_matches(['\r', '\n']).to_owned();
    if secret.is_empty() {
        return Err(AppError::validation(
            "No client secret arrived on standard input",
        ));
    }
    Ok(secret)
}

fn state_text(state: &ConnectionState) -> String {
    match state {
        ConnectionState::Connected => "Connected".into(),
        ConnectionState::NeedsReconnect { reason } => format!("Needs reconnect — {reason}"),
        ConnectionState::NotEntitled { missing, fix } => {
            format!("Not entitled ({}) — {fix}", missing.join(", "))
        }
        ConnectionState::Disconnected => "Disconnected".into(),
    }
}

fn account_line(a: &UspsAccountRecord) -> String {
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let mode = if a.mode.is_sign_in() {
        "signed in"
    } else {
        "own app"
    };
    format!(
        "#{id} {nick}{default}  [{env}, {mode} {client}]  {state}\n    CRID {crid}  MID {mid}  \
         manifest MID {mmid}  EPS {eps}  contract prices {contract}  {calls} calls an hour  \
         last verified {verified}",
        id = a.id,
        nick = a.nickname,
        default = if a.is_default { " (default)" } else { "" },
        env = a.where_label(),
        client = a.mode.client_id(),
        state = state_text(&a.state),
        crid = show(&a.crid),
        mid = show(&a.mid),
        mmid = show(&a.manifest_mid),
        eps = show(&a.eps_account),
        contract = contract_text(a),
        calls = a.allowance_per_hour(),
        verified = a.last_verified_at.as_deref().unwrap_or("never"),
    )
}

fn contract_text(a: &UspsAccountRecord) -> &'static str {
    match (a.has_contract, a.contract_source) {
        (true, Some(ContractSource::Detected)) => "yes (USPS shows it)",
        (false, Some(ContractSource::Detected)) => "no (USPS shows none)",
        (true, Some(ContractSource::Entered)) => "yes (you said so)",
        (false, Some(ContractSource::Entered)) => "no (you said so)",
        (true, None) => "yes",
        (false, None) => "no (none found yet)",
    }
}

fn list_text(accounts: &[UspsAccountRecord]) -> String {
    if accounts.is_empty() {
        return "No USPS accounts. Add one with `shipdesk carriers add --sign-in` or \
                `shipdesk carriers add --client-id ID --client-secret-stdin`."
            .into();
    }
    accounts
        .iter()
        .map(account_line)
        .collect::<Vec<_>>()
        .join("\n")
}

fn connected_text(outcome: &ConnectOutcome) -> String {
    let mut text = format!("Connected.\n{}", account_line(&outcome.account));
    for warning in &outcome.warnings {
        text.push_str(&format!("\nNote: {warning}"));
    }
    text
}

fn disconnected_text(outcome: &DisconnectOutcome, what: &str) -> String {
    let mut text = format!(
        "{what} '{}'. {}",
        outcome.account.nickname,
        if outcome.revoked_at_usps {
            "USPS revoked the saved authorization."
        } else {
            "Stored secrets deleted."
        }
    );
    for warning in &outcome.warnings {
        text.push_str(&format!("\nNote: {warning}"));
    }
    text
}

fn guide_text(guide: &OnboardingGuide) -> String {
    let mut lines = vec!["Connect your USPS business account:".to_owned()];
    for (n, step) in guide.steps.iter().enumerate() {
        let status = match step.status {
            OnboardingStatus::Done => "done",
            OnboardingStatus::Pending => "PENDING at USPS",
            OnboardingStatus::ToDo => "TO DO",
            OnboardingStatus::NotChecked => "not checked yet",
        };
        lines.push(format!("  {}. {} [{status}]", n + 1, step.title));
        lines.push(format!("     {}", step.detail));
        if step.status != OnboardingStatus::Done {
            match step.action {
                Some(OnboardingAction::OpenBusinessPortal) => lines.push(
                    "     → `shipdesk carriers guide --open-portal` opens the USPS business portal"
                        .into(),
                ),
                Some(OnboardingAction::SignIn) => lines.push(
                    "     → `shipdesk carriers add --sign-in` (or `carriers login ACCOUNT`)".into(),
                ),
                None => {}
            }
        }
    }
    if let Some(contract) = &guide.contract {
        lines.push(contract.clone());
    }
    lines.push(
        match guide.contract_prices_said {
            Some(true) => "You said you have USPS contract prices (NSA).",
            Some(false) => "You said you have no USPS contract prices.",
            None => "Contract prices (NSA)? Say so with `--contract-prices yes|no`.",
        }
        .into(),
    );
    lines.push(guide.password_warning.clone());
    lines.join("\n")
}

fn check_text(check: &ConnectionCheck) -> String {
    let mut lines = vec![format!(
        "Connection check for '{}':",
        check.account.nickname
    )];
    for step in &check.steps {
        let mark = match step.status {
            CheckStatus::Passed => "passed     ",
            CheckStatus::Failed => "FAILED     ",
            CheckStatus::NotReached => "not reached",
        };
        lines.push(format!("  {mark}  {}: {}", step.name, step.detail));
        if let Some(fix) = &step.fix {
            lines.push(format!("               fix: {fix}"));
        }
    }
    lines.push(format!("State: {}", state_text(&check.account.state)));
    lines.push(format!(
        "Contract prices: {}",
        contract_text(&check.account)
    ));
    lines.join("\n")
}
