//! Endicia prepaid postage accounts: log in with the account number and pass phrase, see the
//! balance, buy postage (exactly once, `buy.rs`), change the pass phrase, unlock an account
//! suspended after wrong pass phrases.
//!
//! The login lives in memory for the app's session; "Remember account number and pass phrase"
//! keeps both in the OS keyring only (the secret store the USPS accounts use, with the data
//! directory's namespace), and unticking it deletes them. The pass phrase never crosses IPC on
//! the way out: a remembered one is used by leaving the field empty.
//!
//! Which Endicia answers depends on the desk's environment: Sandbox runs the Endicia simulator
//! in-process (the [`super::SandboxHost`]), TEM uses Endicia's sandbox server and Production its
//! label server. Outside Sandbox, Endicia requires the integrating software's own partner id
//! (`RequesterID`), issued by Endicia after certification; a build without one
//! (`SHIPDESK_ENDICIA_REQUESTER_ID` at build time) says so instead of calling Endicia.

mod auto_buy;
mod buy;
mod errors;
mod journal;
mod payer;
mod postage;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use endicia::{ClientConfig, Credentials, EndiciaClient, Secret};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use ts_rs::TS;

pub use auto_buy::{AutoBuy, AutoBuyInput};
pub use journal::{Recredit, RecreditEnd, RecreditJournal, RecreditState};
pub use payer::{EndiciaPayers, LabelSend, PayerRow};

use super::Connections;
use crate::environment::Environment;
use crate::error::{AppError, AppResult, ErrorCode};
use errors::{app_error, field_error, needs_login};

/// The generic partner id Endicia's sandbox accepts (and the simulator).
const SANDBOX_REQUESTER_ID: &str = "lxxx";
const ACCOUNT_NUMBER: &str = "account-number";
const PASS_PHRASE: &str = "pass-phrase";
const TIMEOUT: Duration = Duration::from_secs(30);

/// "Login": the account number and pass phrase, or `None` for the remembered pass phrase.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export, rename = "EndiciaLogin")]
pub struct Login {
    pub account_number: String,
    #[ts(optional)]
    pub pass_phrase: Option<String>,
    /// Remember both in the OS keyring; `false` deletes what was remembered.
    pub remember: bool,
}

/// What the login form starts with: the remembered account number (never the pass phrase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "EndiciaRemembered")]
pub struct Remembered {
    pub account_number: Option<String>,
    pub pass_phrase_remembered: bool,
    /// Logged in now, in this app session.
    pub logged_in: Option<String>,
    /// Sandbox: the demo account's number and pass phrase, to show beside the form.
    pub sandbox_demo: Option<SandboxDemo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "EndiciaSandboxDemo")]
pub struct SandboxDemo {
    pub account_number: String,
    pub pass_phrase: String,
    /// The e-mail on file and the challenge answer, to unlock it after wrong pass phrases.
    pub email: String,
    pub challenge_answer: String,
}

/// "Postage details": the account as Endicia reports it now, and its purchases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "PostageAccount")]
pub struct PostageAccount {
    pub account_number: String,
    #[ts(type = "string")]
    pub balance: Decimal,
    /// Postage printed to date.
    #[ts(type = "string")]
    pub printed: Decimal,
    /// In words: "Active", or Endicia's status letter.
    pub status: String,
    pub remembered: bool,
    /// Labels, batches and SCAN forms are paid from this account ("Pay for labels from this
    /// account"), not the default USPS account.
    pub pays_labels: bool,
    /// "Buy postage automatically", when it is on.
    pub auto_buy: Option<AutoBuy>,
    /// A purchase whose outcome is not settled yet (its answer was lost).
    pub open_purchase: Option<Recredit>,
    /// The latest purchases, newest first.
    pub purchases: Vec<Recredit>,
}

/// "Buy Postage": what happened, and the account after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "PostagePurchaseOutcome")]
pub struct PurchaseOutcome {
    pub purchase: Recredit,
    pub account: PostageAccount,
    /// The server's response, in words.
    pub message: String,
}

/// "Change Pass Phrase". `account_number` + `current_pass_phrase` when not logged in (a
/// temporary pass phrase cannot log in); otherwise the session's are used.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export, rename = "EndiciaPassPhraseChange")]
pub struct PassPhraseChange {
    #[ts(optional)]
    pub account_number: Option<String>,
    #[ts(optional)]
    pub current_pass_phrase: Option<String>,
    pub new_pass_phrase: String,
}

/// Unlocking an account suspended after wrong pass phrases.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export, rename = "EndiciaUnlock")]
pub struct Unlock {
    pub account_number: String,
    pub challenge_answer: String,
    pub new_pass_phrase: String,
}

struct Session {
    credentials: Credentials,
    remembered: bool,
}

/// The desk's Endicia postage account (one login at a time).
pub struct EndiciaAccounts {
    connections: Arc<Connections>,
    journal: Arc<dyn RecreditJournal>,
    payers: Arc<dyn EndiciaPayers>,
    session: tokio::sync::Mutex<Option<Session>>,
    /// One client (one connection pool) per service URL, rebuilt when the environment changes.
    client: std::sync::Mutex<Option<Arc<EndiciaClient>>>,
}

impl EndiciaAccounts {
    pub(crate) fn new(
        connections: Arc<Connections>,
        journal: Arc<dyn RecreditJournal>,
        payers: Arc<dyn EndiciaPayers>,
    ) -> Self {
        Self {
            connections,
            journal,
            payers,
            session: tokio::sync::Mutex::new(None),
            client: std::sync::Mutex::new(None),
        }
    }

    fn now(&self) -> String {
        let now = self.connections.clock().now();
        now.format(&Rfc3339)
            .unwrap_or_else(|_| now.unix_timestamp().to_string())
    }

    fn environment(&self) -> AppResult<Environment> {
        Environment::of_desk(self.connections.settings().as_ref())
    }

    /// A client for the desk's environment.
    async fn client(&self) -> AppResult<Arc<EndiciaClient>> {
        let (service_url, requester_id) = match self.environment()? {
            Environment::Sandbox => (
                self.connections.endicia_sandbox_url().await?,
                SANDBOX_REQUESTER_ID.to_owned(),
            ),
            env => {
                let Some(requester_id) = option_env!("SHIPDESK_ENDICIA_REQUESTER_ID") else {
                    return Err(AppError::new(
                        ErrorCode::EndiciaUnavailable,
                        "This build of Shipdesk has no Endicia partner id, which Endicia \
                         requires outside Sandbox. Use Sandbox mode, or a build made with \
                         SHIPDESK_ENDICIA_REQUESTER_ID.",
                    ));
                };
                let url = if env == Environment::Production {
                    endicia::PRODUCTION_SERVICE
                } else {
                    endicia::SANDBOX_SERVICE
                };
                (
                    url::Url::parse(url).map_err(|e| AppError::internal("Endicia URL", &e))?,
                    requester_id.to_owned(),
                )
            }
        };
        let mut cached = self.client.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(client) = cached.as_ref().filter(|c| *c.service_url() == service_url) {
            return Ok(client.clone());
        }
        let client = Arc::new(
            EndiciaClient::new(ClientConfig {
                service_url,
                requester_id,
                timeout: TIMEOUT,
            })
            .map_err(|e| app_error(&e, None))?,
        );
        *cached = Some(client.clone());
        Ok(client)
    }

    fn request_id() -> String {
        uuid::Uuid::new_v4().simple().to_string()
    }

    fn remembered_secret(&self, what: &str) -> AppResult<Option<String>> {
        let (store, key) = self.connections.endicia_secret(what);
        store.get(&key)
    }

    fn remember(&self, credentials: &Credentials) -> AppResult<()> {
        let (store, key) = self.connections.endicia_secret(ACCOUNT_NUMBER);
        store.set(&key, &credentials.account_id)?;
        let (store, key) = self.connections.endicia_secret(PASS_PHRASE);
        store.set(&key, credentials.pass_phrase.expose())
    }

    /// Deletes the remembered account number and pass phrase.
    pub fn forget(&self) -> AppResult<()> {
        for what in [ACCOUNT_NUMBER, PASS_PHRASE] {
            let (store, key) = self.connections.endicia_secret(what);
            store.delete(&key)?;
        }
        Ok(())
    }

    /// What the login form starts with.
    pub async fn remembered(&self) -> AppResult<Remembered> {
        let logged_in = self
            .session
            .lock()
            .await
            .as_ref()
            .map(|s| s.credentials.account_id.clone());
        let sandbox_demo = match self.environment()? {
            Environment::Sandbox => self.connections.endicia_demo_login(),
            _ => None,
        };
        Ok(Remembered {
            account_number: self.remembered_secret(ACCOUNT_NUMBER)?,
            pass_phrase_remembered: self.remembered_secret(PASS_PHRASE)?.is_some(),
            logged_in,
            sandbox_demo,
        })
    }

    /// "Login": checks the credentials with Endicia (an account status call, which spends
    /// nothing), keeps them for the session, and remembers or forgets them.
    pub async fn login(&self, login: Login) -> AppResult<PostageAccount> {
        let account_number = account_number(&login.account_number)?;
        let pass_phrase = match login.pass_phrase.filter(|p| !p.is_empty()) {
            Some(p) => p,
            None => match self.remembered_secret(PASS_PHRASE)? {
                Some(p)
                    if self.remembered_secret(ACCOUNT_NUMBER)?.as_deref()
                        == Some(&account_number) =>
                {
                    p
                }
                _ => {
                    return Err(field_error([(
                        "pass_phrase",
                        "Enter the account's pass phrase.",
                    )]));
                }
            },
        };
        let credentials = Credentials {
            account_id: account_number,
            pass_phrase: Secret::new(pass_phrase),
        };
        let client = self.client().await?;
        let status = client
            .account_status(&credentials, &Self::request_id())
            .await
            .map_err(|e| app_error(&e, None))?;
        if login.remember {
            self.remember(&credentials).map_err(|e| match e.code {
                ErrorCode::SecretStoreUnavailable => AppError::new(
                    ErrorCode::SecretStoreUnavailable,
                    "No system keyring is available to remember the Endicia login. Untick \
                     \"Remember account number and pass phrase\" to log in for this session only.",
                ),
                _ => e,
            })?;
        } else {
            self.forget()?;
        }
        tracing::info!(account = %credentials.account_id, "logged in to Endicia");
        self.connections
            .endicia_login_back(Some(&credentials.account_id));
        *self.session.lock().await = Some(Session {
            credentials: credentials.clone(),
            remembered: login.remember,
        });
        // A purchase left open by a lost answer or a crash is settled first.
        self.settle_open(&credentials, &status)?;
        self.view(&credentials, &status, login.remember)
    }

    /// Logs in with the remembered account number and pass phrase (the CLI, one process per
    /// command).
    pub async fn login_remembered(&self) -> AppResult<PostageAccount> {
        let Some(account_number) = self.remembered_secret(ACCOUNT_NUMBER)? else {
            return Err(AppError::new(
                ErrorCode::EndiciaLoginRequired,
                "No Endicia login is remembered: log in first (`shipdesk postage endicia login                  --account NUMBER`, the pass phrase on standard input).",
            ));
        };
        self.login(Login {
            account_number,
            pass_phrase: None,
            remember: true,
        })
        .await
    }

    /// Ends the session (what is remembered stays remembered).
    pub async fn logout(&self) {
        *self.session.lock().await = None;
    }

    /// The session's credentials, or ENDICIA_LOGIN_REQUIRED.
    async fn credentials(&self) -> AppResult<(Credentials, bool)> {
        match self.session.lock().await.as_ref() {
            Some(s) => Ok((s.credentials.clone(), s.remembered)),
            None => Err(AppError::new(
                ErrorCode::EndiciaLoginRequired,
                "Log in to the Endicia postage account first (Settings › Postage accounts).",
            )),
        }
    }

    /// A failed call: a dead login ends the session; the error as the app shows it.
    async fn failed(&self, error: &endicia::EndiciaError, field: Option<&str>) -> AppError {
        let shown = app_error(error, field);
        if needs_login(error) {
            let ended = self.session.lock().await.take();
            if let Some(session) = ended {
                self.login_lost(&session.credentials.account_id, &shown.message);
            }
        }
        shown
    }

    /// When `account_number` pays for labels, every window offers to log in again.
    fn login_lost(&self, account_number: &str, reason: &str) {
        match self.paying_account() {
            Ok(Some(paying)) if Self::number_of(&paying).ok() == Some(account_number) => {
                self.connections
                    .endicia_login_lost(paying.id, account_number, reason);
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("could not read which account pays for labels: {e}"),
        }
    }

    /// "Postage details" now.
    pub async fn account(&self) -> AppResult<PostageAccount> {
        let (credentials, remembered) = self.credentials().await?;
        let client = self.client().await?;
        let status = match client
            .account_status(&credentials, &Self::request_id())
            .await
        {
            Ok(s) => s,
            Err(e) => return Err(self.failed(&e, None).await),
        };
        self.settle_open(&credentials, &status)?;
        self.view(&credentials, &status, remembered)
    }

    fn view(
        &self,
        credentials: &Credentials,
        status: &endicia::AccountStatus,
        remembered: bool,
    ) -> AppResult<PostageAccount> {
        Ok(PostageAccount {
            account_number: credentials.account_id.clone(),
            balance: status.postage_balance,
            printed: status.ascending_balance,
            status: if status.is_active() {
                "Active".into()
            } else {
                format!("Not active ({})", status.status)
            },
            remembered,
            pays_labels: self.paying_account_number()?.as_deref()
                == Some(credentials.account_id.as_str()),
            auto_buy: self.auto_buy()?,
            open_purchase: self.journal.open_recredit(&credentials.account_id)?,
            purchases: self.journal.recredits(&credentials.account_id, 10)?,
        })
    }

    /// "Change Pass Phrase": the new one works at once, and replaces the remembered one.
    pub async fn change_pass_phrase(&self, change: PassPhraseChange) -> AppResult<()> {
        endicia::validate_pass_phrase(&change.new_pass_phrase)
            .map_err(|e| app_error(&e, Some("new_pass_phrase")))?;
        let session = self
            .session
            .lock()
            .await
            .as_ref()
            .map(|s| (s.credentials.clone(), s.remembered));
        let (credentials, remembered) = match (change.account_number, change.current_pass_phrase) {
            (Some(account), Some(current)) if !current.is_empty() => (
                Credentials {
                    account_id: account_number(&account)?,
                    pass_phrase: Secret::new(current),
                },
                self.remembered_secret(ACCOUNT_NUMBER)?.as_deref() == Some(account.trim()),
            ),
            _ => session.ok_or_else(|| {
                field_error([(
                    "current_pass_phrase",
                    "Enter the account number and its current pass phrase.",
                )])
            })?,
        };
        let new = Secret::new(change.new_pass_phrase);
        let client = self.client().await?;
        if let Err(e) = client
            .change_pass_phrase(&credentials, &new, &Self::request_id())
            .await
        {
            return Err(match e.kind() {
                Some(endicia::ElsErrorKind::WrongPassPhrase) => field_error([(
                    "current_pass_phrase",
                    "Endicia does not accept the current pass phrase.",
                )]),
                _ => self.failed(&e, Some("new_pass_phrase")).await,
            });
        }
        let updated = Credentials {
            account_id: credentials.account_id,
            pass_phrase: new,
        };
        if remembered {
            self.remember(&updated)?;
        }
        tracing::info!(account = %updated.account_id, "Endicia pass phrase changed");
        *self.session.lock().await = Some(Session {
            credentials: updated,
            remembered,
        });
        Ok(())
    }

    /// The challenge question of a suspended account (its e-mail address on file proves it).
    pub async fn challenge_question(&self, account: &str, email: &str) -> AppResult<String> {
        let account = account_number(account)?;
        let client = self.client().await?;
        client
            .challenge_question(&account, email.trim(), &Self::request_id())
            .await
            .map_err(|e| app_error(&e, Some("email")))
    }

    /// Unlocks a suspended account with the challenge answer and a new pass phrase, and logs in.
    pub async fn unlock(&self, unlock: Unlock) -> AppResult<PostageAccount> {
        let account = account_number(&unlock.account_number)?;
        let new = Secret::new(unlock.new_pass_phrase);
        let client = self.client().await?;
        client
            .reset_suspended_account(
                &account,
                unlock.challenge_answer.trim(),
                &new,
                &Self::request_id(),
            )
            .await
            .map_err(|e| app_error(&e, Some("new_pass_phrase")))?;
        let remembered = self.remembered_secret(ACCOUNT_NUMBER)?.as_deref() == Some(&account);
        self.login(Login {
            account_number: account,
            pass_phrase: Some(new.expose().to_owned()),
            remember: remembered,
        })
        .await
    }
}

/// An Endicia account number: 6 or 7 digits (the reference says 6, live accounts have 7).
fn account_number(input: &str) -> AppResult<String> {
    let trimmed = input.trim();
    if (6..=7).contains(&trimmed.len()) && trimmed.chars().all(|c| c.is_ascii_digit()) {
        Ok(trimmed.to_owned())
    } else {
        Err(field_error([(
            "account_number",
            "An Endicia account number has 6 or 7 digits.",
        )]))
    }
}

/// "Postage to add" as typed: `50`, `$50.00`, `1,000`.
pub fn parse_amount(input: &str) -> AppResult<Decimal> {
    let cleaned: String = input
        .trim()
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    let amount = Decimal::from_str(&cleaned).map_err(|_| {
        field_error([(
            "amount",
            format!("\"{}\" is not an amount in dollars.", input.trim()),
        )])
    })?;
    endicia::validate_purchase_amount(amount).map_err(|e| app_error(&e, Some("amount")))?;
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(parse_amount("50").unwrap(), Decimal::from(50));
        assert_eq!(
            parse_amount(" $1,000.50 ").unwrap(),
            Decimal::new(100050, 2)
        );
        let low = parse_amount("5").unwrap_err();
        assert_eq!(low.code, ErrorCode::Validation);
        assert!(low.message.contains("$10.00"), "{low:?}");
        assert!(parse_amount("fifty").is_err());
        assert!(parse_amount("10.001").is_err());
    }

    #[test]
    fn account_numbers_have_six_or_seven_digits() {
        assert_eq!(account_number(" 2500123 ").unwrap(), "2500123");
        assert!(account_number("12345").is_err());
        assert!(account_number("25001x3").is_err());
    }
}
