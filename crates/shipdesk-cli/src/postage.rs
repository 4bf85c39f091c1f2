//! `shipdesk postage endicia …`: the Endicia prepaid postage account from the command line.
//!
//! Each command is its own process, so `login` checks the account number and pass phrase with
//! Endicia and remembers both in the OS keyring; `status`, `buy` and `change-pass-phrase` then
//! log in with what is remembered, and `logout` deletes it. Pass phrases are read from standard
//! input, never from arguments (which other users can see in the process list).

use std::io::BufRead;

use clap::{Args, Subcommand};
use shipdesk_core::carriers::endicia::{
    AutoBuyInput, Login, PassPhraseChange, PostageAccount, PurchaseOutcome,
};
use shipdesk_core::{AppError, Desk};

use crate::output::{Output, one_line};

#[derive(Debug, Subcommand)]
pub enum PostageCommand {
    /// Endicia prepaid postage account: login, status, buy, change-pass-phrase, pay-labels, logout.
    #[command(subcommand)]
    Endicia(EndiciaCommand),
}

#[derive(Debug, Subcommand)]
pub enum EndiciaCommand {
    /// Check the account number and pass phrase (read from stdin) with Endicia and remember
    /// both in the OS keyring.
    Login(LoginArgs),
    /// The account's postage balance and status (with the remembered login).
    Status,
    /// Buy postage, once: e.g. `buy 50` or `buy 25.00`.
    Buy { amount: String },
    /// Change the pass phrase: the new one on stdin (first the current one, then the new one,
    /// when `--account` is given instead of a remembered login).
    ChangePassPhrase {
        #[arg(long)]
        account: Option<String>,
    },
    /// Pay for labels, batches and SCAN forms from this account (`on`), or from the default
    /// USPS account again (`off`).
    PayLabels {
        #[arg(value_parser = ["on", "off"])]
        switch: String,
    },
    /// Buy postage automatically: `--below 25 --amount 50` buys $50 whenever a label is about
    /// to be bought with less than $25 on the balance; `--off` turns it off.
    AutoBuy {
        #[arg(long, required_unless_present = "off", requires = "amount")]
        below: Option<String>,
        #[arg(long, requires = "below")]
        amount: Option<String>,
        #[arg(long, conflicts_with_all = ["below", "amount"])]
        off: bool,
    },
    /// Forget the remembered account number and pass phrase.
    Logout,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The Endicia account number (6 or 7 digits).
    #[arg(long)]
    account: String,
}

fn stdin_lines(count: usize, what: &str) -> Result<Vec<String>, AppError> {
    let lines: Vec<String> = std::io::stdin()
        .lock()
        .lines()
        .take(count)
        .collect::<Result<_, _>>()
        .map_err(|e| AppError::internal("Could not read standard input", &e))?;
    if lines.len() < count || lines.iter().any(|l| l.trim_end_matches('\r').is_empty()) {
        return Err(AppError::validation(format!(
            "Give {what} on standard input."
        )));
    }
    Ok(lines
        .into_iter()
        .map(|l| l.trim_end_matches('\r').to_owned())
        .collect())
}

pub fn run(cmd: PostageCommand, desk: &Desk, out: &Output) -> Result<(), AppError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::internal("Could not start the async runtime", &e))?;
    let endicia = desk.endicia();
    let PostageCommand::Endicia(cmd) = cmd;
    runtime.block_on(async {
        match cmd {
            EndiciaCommand::Login(args) => {
                let [pass_phrase] =
                    <[String; 1]>::try_from(stdin_lines(1, "the pass phrase")?).expect("one line");
                let account = endicia
                    .login(Login {
                        account_number: args.account,
                        pass_phrase: Some(pass_phrase),
                        remember: true,
                    })
                    .await?;
                out.value(&account, |a| {
                    format!("Logged in and remembered.\n{}", account_text(a))
                })
            }
            EndiciaCommand::Status => {
                let account = endicia.login_remembered().await?;
                out.value(&account, account_text)
            }
            EndiciaCommand::Buy { amount } => {
                endicia.login_remembered().await?;
                let outcome = endicia.buy_postage(&amount).await?;
                out.value(&outcome, purchase_text)
            }
            EndiciaCommand::ChangePassPhrase { account } => {
                let change = match account {
                    Some(account) => {
                        let lines =
                            stdin_lines(2, "the current and the new pass phrase, one per line")?;
                        PassPhraseChange {
                            account_number: Some(account),
                            current_pass_phrase: Some(lines[0].clone()),
                            new_pass_phrase: lines[1].clone(),
                        }
                    }
                    None => {
                        endicia.login_remembered().await?;
                        let lines = stdin_lines(1, "the new pass phrase")?;
                        PassPhraseChange {
                            account_number: None,
                            current_pass_phrase: None,
                            new_pass_phrase: lines[0].clone(),
                        }
                    }
                };
                endicia.change_pass_phrase(change).await?;
                out.value(&serde_json::json!({"changed": true}), |_| {
                    "The pass phrase was changed.".into()
                })
            }
            EndiciaCommand::PayLabels { switch } => {
                endicia.login_remembered().await?;
                let account = endicia.set_pays_labels(switch == "on").await?;
                out.value(&account, account_text)
            }
            EndiciaCommand::AutoBuy { below, amount, .. } => {
                endicia.login_remembered().await?;
                let auto = below
                    .zip(amount)
                    .map(|(below, amount)| AutoBuyInput { below, amount });
                let account = endicia.set_auto_buy(auto).await?;
                out.value(&account, account_text)
            }
            EndiciaCommand::Logout => {
                endicia.logout().await;
                endicia.forget()?;
                out.value(&serde_json::json!({"forgotten": true}), |_| {
                    "The remembered Endicia login was deleted.".into()
                })
            }
        }
    })
}

fn account_text(a: &PostageAccount) -> String {
    let mut lines = vec![
        format!("Account {}  {}", a.account_number, a.status),
        format!(
            "Postage balance ${}  printed to date ${}",
            a.balance, a.printed
        ),
    ];
    lines.push(if a.pays_labels {
        "Labels are paid from this account.".to_owned()
    } else {
        "Labels are paid from the default USPS account.".to_owned()
    });
    if let Some(auto) = &a.auto_buy {
        lines.push(format!(
            "Buys ${} of postage automatically when the balance is below ${}.",
            auto.amount, auto.below
        ));
    }
    if let Some(open) = &a.open_purchase {
        lines.push(format!(
            "A purchase of ${} is not confirmed yet: {}",
            open.amount,
            one_line(open.message.as_deref().unwrap_or("check again later"))
        ));
    }
    lines.join("\n")
}

fn purchase_text(o: &PurchaseOutcome) -> String {
    format!("{}\n{}", one_line(&o.message), account_text(&o.account))
}
