//! The connection doctor ("Check connection", `shipdesk carriers check`): a checklist that says
//! which link in the chain is broken and what to do about it, in the order USPS's enrollment
//! builds it (app credentials → products → Customer Onboarding Portal link → payments → quota).
//! A failure that makes later steps meaningless marks them `not_reached`.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use usps::models::PaymentAccountQuery;
use usps::{AccessToken, Api, UspsAccount, UspsError};

use super::Connections;
use super::classify::{not_entitled_fix, not_linked_fix, payment_account_problem};
use super::model::{AccountId, ConnectionState, UspsAccountRecord};
use crate::error::{AppError, AppResult, ErrorCode, ErrorDetails};

/// USPS's default allowance per API and hour (docs/usps.md#quotas).
const DEFAULT_QUOTA_PER_HOUR: u64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckStatus {
    Passed,
    Failed,
    NotReached,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckStep {
    pub name: String,
    pub status: CheckStatus,
    pub detail: String,
    /// What to do, for a failed step.
    pub fix: Option<String>,
    /// USPS's code behind a failed step, where the fix depends on it (a payment account still
    /// pending is 100002).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub usps_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectionCheck {
    #[ts(type = "number")]
    pub account_id: AccountId,
    pub steps: Vec<CheckStep>,
    /// The account after the check (its state reflects what was found).
    pub account: UspsAccountRecord,
}

impl ConnectionCheck {
    pub fn passed(&self) -> bool {
        self.steps.iter().all(|s| s.status == CheckStatus::Passed)
    }
}

pub(crate) const STEP_NAMES: [&str; 6] = [
    "Credentials accepted",
    "USPS allows labels and payments",
    "CRID, MIDs and EPS account belong to this login",
    "Can buy labels and pay for them",
    "EPS account is valid",
    "Quota headroom",
];

struct Checklist {
    steps: Vec<CheckStep>,
}

impl Checklist {
    fn pass(&mut self, detail: impl Into<String>) {
        self.push(CheckStatus::Passed, detail.into(), None);
    }
    fn fail(&mut self, detail: impl Into<String>, fix: impl Into<String>) {
        self.push(CheckStatus::Failed, detail.into(), Some(fix.into()));
    }
    fn push(&mut self, status: CheckStatus, detail: String, fix: Option<String>) {
        let name = STEP_NAMES[self.steps.len()].to_owned();
        self.steps.push(CheckStep {
            name,
            status,
            detail,
            fix,
            usps_code: None,
        });
    }
    /// Records USPS's code on the step just added.
    fn mark_usps_code(&mut self, code: Option<&str>) {
        if let Some(step) = self.steps.last_mut() {
            step.usps_code = code.map(str::to_owned);
        }
    }
    /// Marks every step before the quota step that has not run as `not_reached`.
    fn skip_to_quota(&mut self, because: &str) {
        while self.steps.len() < STEP_NAMES.len() - 1 {
            self.push(
                CheckStatus::NotReached,
                format!("Not checked: {because}"),
                None,
            );
        }
    }
}

impl Connections {
    /// Runs the checklist for `account`. Failures also update the account's state (through the
    /// same classifier as every other call); when everything passes the account is Connected.
    pub async fn check_connection(&self, account: AccountId) -> AppResult<ConnectionCheck> {
        let record = self.account(account)?;
        let mut list = Checklist { steps: Vec::new() };
        let session = match self.session(account).await {
            Ok(session) => Some(session),
            Err(e) if e.code == ErrorCode::SecretStoreUnavailable => return Err(e),
            Err(e) => {
                list.fail(e.message.clone(), fix_from(&e));
                list.skip_to_quota("the credentials were not accepted");
                None
            }
        };
        if let Some(session) = &session {
            self.run_usps_steps(&record, session, &mut list).await;
        }
        self.quota_step(&record, session.as_ref(), &mut list);
        let all_passed = list.steps.iter().all(|s| s.status == CheckStatus::Passed);
        let latest = self.account(account)?;
        let account_now = if all_passed {
            let now = self.now();
            self.change_state(&latest, ConnectionState::Connected, Some(&now))?
        } else {
            latest
        };
        Ok(ConnectionCheck {
            account_id: account,
            steps: list.steps,
            account: account_now,
        })
    }

    async fn run_usps_steps(
        &self,
        record: &UspsAccountRecord,
        session: &UspsAccount,
        list: &mut Checklist,
    ) {
        // Ask USPS for a fresh token: "credentials accepted" must be checked, not remembered.
        session.forget_cached_tokens().await;
        let token = match session.access_token().await {
            Ok(token) => token,
            Err(e) => {
                let shown = self.report_failure(record.id, &e);
                list.fail(shown.message.clone(), fix_from(&shown));
                list.skip_to_quota("the credentials were not accepted");
                return;
            }
        };
        list.pass(format!(
            "USPS issued an access token for app {}",
            record.mode.client_id()
        ));
        if !self.products_step(&token, list) {
            let fix = not_entitled_fix("Labels and Payments");
            let missing = vec!["Labels and Payments".to_owned()];
            if let Ok(latest) = self.account(record.id) {
                let state = ConnectionState::NotEntitled { missing, fix };
                if let Err(e) = self.change_state(&latest, state, None) {
                    tracing::error!("could not save the USPS connection state: {e}");
                }
            }
            list.skip_to_quota("USPS has not given access to Labels and Payments");
            return;
        }
        if !self.identity_step(record, &token, list) {
            list.skip_to_quota("the account's CRID, MIDs and EPS account are incomplete");
            return;
        }
        match session.authorize_payment().await {
            Ok(_) => {
                self.report_success(record.id);
                list.pass(format!(
                    "Can buy labels and pay for them from EPS account {}",
                    record.eps_account.as_deref().unwrap_or_default()
                ));
            }
            Err(e) => {
                let shown = self.report_failure(record.id, &e);
                match &e {
                    UspsError::Rejected(r)
                        if let Some((what, fix)) = payment_account_problem(record, r) =>
                    {
                        list.fail(what, fix);
                        let code = r.codes().into_iter().find(|c| c.starts_with("1000"));
                        list.mark_usps_code(code);
                    }
                    _ => list.fail(shown.message.clone(), fix_from(&shown)),
                }
                list.skip_to_quota("USPS refused to let this account pay for labels");
                return;
            }
        }
        let eps = record.eps_account.clone().unwrap_or_default();
        let query = PaymentAccountQuery {
            account_type: "EPS".into(),
            permit_zip_code: None,
            amount: None,
        };
        match session.payment_account(&eps, &query).await {
            Ok(_) => list.pass(format!("USPS knows EPS account {eps}")),
            Err(UspsError::Rejected(r)) if r.status == 404 => list.fail(
                format!("USPS has no EPS account {eps}"),
                "Check the EPS account number (10 digits) in the Customer Onboarding Portal and \
                 correct it in Settings › Carrier Settings › USPS.",
            ),
            Err(e) => {
                let shown = self.report_failure(record.id, &e);
                list.fail(shown.message.clone(), fix_from(&shown));
            }
        }
    }

    fn products_step(&self, token: &AccessToken, list: &mut Checklist) -> bool {
        let scopes_known = !token.scopes.is_empty();
        let has = |api: Api| token.scope_grant(api) != usps::classify::ScopeGrant::Missing;
        let missing: Vec<&str> = [(Api::Labels, "labels"), (Api::Payments, "payments")]
            .into_iter()
            .filter(|(api, _)| !has(*api))
            .map(|(_, name)| name)
            .collect();
        if missing.is_empty() {
            let products = if token.products.is_empty() {
                String::new()
            } else {
                format!(" (USPS products: {})", token.products.join(", "))
            };
            if scopes_known {
                list.pass(format!(
                    "USPS lets Shipdesk buy labels and pay for them{products}"
                ));
            } else {
                list.pass(
                    "USPS did not say what Shipdesk may do; the payment check below tests it",
                );
            }
            true
        } else {
            list.fail(
                format!(
                    "USPS has not given Shipdesk access to: {}",
                    missing.join(", ")
                ),
                not_entitled_fix("Labels and Payments"),
            );
            false
        }
    }

    fn identity_step(
        &self,
        record: &UspsAccountRecord,
        token: &AccessToken,
        list: &mut Checklist,
    ) -> bool {
        let Some(identity) = record.identity() else {
            list.fail(
                "The account's CRID, MID, manifest MID or EPS account is empty",
                "Fill them in under Settings › Carrier Settings › USPS › Edit (the Customer \
                 Onboarding Portal shows them).",
            );
            return false;
        };
        let Some(claims) = token.claims.as_ref() else {
            list.pass(
                "USPS did not list the accounts linked to this login; the payment check tests them",
            );
            return true;
        };
        if !claims.is_linked_to_business() {
            list.fail(
                "The USPS login is not linked to any business (USPS sent no CRID for it)",
                not_linked_fix(record),
            );
            return true;
        }
        let mut mismatches = Vec::new();
        let crids: Vec<String> = claims
            .crid
            .iter()
            .cloned()
            .chain(claims.mail_owners.iter().map(|o| o.crid.clone()))
            .collect();
        if !crids.contains(&identity.crid) {
            mismatches.push(format!(
                "CRID {} (USPS has: {})",
                identity.crid,
                crids.join(", ")
            ));
        }
        let mids = claims.mids();
        for (label, mid) in [
            ("MID", &identity.mid),
            ("manifest MID", &identity.manifest_mid),
        ] {
            if !mids.is_empty() && !mids.contains(mid) {
                mismatches.push(format!("{label} {mid} (USPS has: {})", mids.join(", ")));
            }
        }
        let accounts = &claims.payment_accounts;
        if !accounts.is_empty() && !accounts.contains(&identity.eps_account) {
            mismatches.push(format!(
                "EPS account {} (USPS has: {})",
                identity.eps_account,
                accounts.join(", ")
            ));
        }
        if mismatches.is_empty() {
            list.pass(format!(
                "CRID {}, MIDs {} / {} and EPS account {} are linked to this login",
                identity.crid, identity.mid, identity.manifest_mid, identity.eps_account
            ));
        } else {
            list.fail(
                format!("Not linked to this USPS login: {}", mismatches.join("; ")),
                format!(
                    "Correct the account's identifiers in Settings › Carrier Settings › USPS, or {}",
                    lowercase_first(&not_linked_fix(record))
                ),
            );
        }
        true
    }

    fn quota_step(
        &self,
        record: &UspsAccountRecord,
        session: Option<&UspsAccount>,
        list: &mut Checklist,
    ) {
        let hit = self
            .quota_hits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&record.id)
            .copied();
        let now = self.clock.now();
        if let Some((at, wait)) = hit
            && now - at < time::Duration::hours(1)
        {
            let wait = wait.unwrap_or(Duration::from_secs(3600));
            list.fail(
                format!(
                    "USPS answered 'too many requests' {} minutes ago (asked to wait {} s)",
                    (now - at).whole_minutes(),
                    wait.as_secs()
                ),
                "Wait for the hour to pass; if it keeps happening, ask USPS for a higher quota \
                 with a service request (emailus.usps.com).",
            );
            return;
        }
        let busiest = session
            .map(|s| {
                let counts = s.client().call_counts();
                Api::ALL
                    .into_iter()
                    .map(|api| (api, counts.get(api)))
                    .max_by_key(|(_, n)| *n)
                    .unwrap_or((Api::OAuth, 0))
            })
            .unwrap_or((Api::OAuth, 0));
        if busiest.1 >= DEFAULT_QUOTA_PER_HOUR * 8 / 10 {
            list.fail(
                format!(
                    "{} calls to the {} API since Shipdesk started; USPS allows {} per hour by default",
                    busiest.1,
                    busiest.0.name(),
                    DEFAULT_QUOTA_PER_HOUR
                ),
                "Slow down or ask USPS for a higher quota with a service request.",
            );
        } else {
            list.pass(format!(
                "No 'too many requests' answers in the last hour; busiest API since start: {} \
                 ({} calls, {} per hour allowed by default)",
                busiest.0.name(),
                busiest.1,
                DEFAULT_QUOTA_PER_HOUR
            ));
        }
    }
}

/// What the USPS onboarding guide warns about, said where a sign-in fails.
pub(crate) const PASSWORD_RESET_WARNING: &str = "Do not reset your USPS.com password to get a \
     sign-in working: a reset breaks every connection to your USPS account at once (Shipdesk, \
     partner platforms, 3PL systems, custom integrations) and each must then be signed in again. \
     Reset it only as a last resort; nobody, Shipdesk included, can retrieve an existing password.";

fn fix_from(error: &AppError) -> String {
    let fix = plain_fix_from(error);
    let sign_in_again = error.code == ErrorCode::UspsReconnectRequired
        || matches!(
            error.details.as_deref(),
            Some(ErrorDetails::UspsConnection(account))
                if matches!(account.state, ConnectionState::NeedsReconnect { .. })
        );
    if sign_in_again {
        format!("{fix} {PASSWORD_RESET_WARNING}")
    } else {
        fix
    }
}

fn plain_fix_from(error: &AppError) -> String {
    let from_details = match error.details.as_deref() {
        Some(ErrorDetails::UspsConnection(account)) => match &account.state {
            ConnectionState::NotEntitled { fix, .. } => Some(fix.clone()),
            ConnectionState::NeedsReconnect { reason } => Some(reason.clone()),
            ConnectionState::Connected | ConnectionState::Disconnected => None,
        },
        _ => None,
    };
    from_details.unwrap_or_else(|| match error.code {
        ErrorCode::UspsReconnectRequired => {
            "Sign in again: Settings › Carrier Settings › USPS › Edit › Login.".into()
        }
        ErrorCode::UspsUnavailable => "USPS is not answering; try again in a few minutes.".into(),
        ErrorCode::UspsQuotaExceeded => "Wait for the hour to pass, then check again.".into(),
        _ => error.message.clone(),
    })
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
