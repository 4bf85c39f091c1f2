//! "Connect your USPS business account": the journey a business goes through before Shipdesk
//! can buy its labels, as three steps, each with its state as USPS shows it and what to do next.
//!
//! 1. a USPS business account (created in the USPS business portal);
//! 2. an Enterprise Payment Account (EPS) added to it — mandatory before linking, although
//!    USPS's page may call it optional; paid by ACH debit it shows Pending until USPS verifies it;
//! 3. the business account linked to Shipdesk: Sign in with USPS (MFA, terms, Authorize &
//!    Continue, Go to Shipdesk), with CRID, MID, manifest MID and EPS account filled in from
//!    USPS's answer.
//!
//! The states are read off the connection doctor's checklist (one source of truth for what USPS
//! says), so the guide and `carriers check` never disagree. Whether the account holds a contract
//! is shown beside them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Connections;
use super::doctor::{CheckStatus, ConnectionCheck, PASSWORD_RESET_WARNING, STEP_NAMES};
use super::model::{AccountId, ContractSource, UspsAccountRecord};
use crate::error::AppResult;
use crate::ports::url_like::HttpUrl;

/// USPS's business portal (Business Customer Gateway), where a business account is created and
/// its Enterprise Payment Account is added. TEM uses production account data, so it is the same
/// portal in every environment.
const BUSINESS_PORTAL: &str = "https://gateway.usps.com/eAdmin/view/signin";

/// USPS's code for a payment account that is not active yet.
const PAYMENT_ACCOUNT_PENDING: &str = "100002";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OnboardingStepKey {
    BusinessAccount,
    PaymentAccount,
    Link,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OnboardingStatus {
    Done,
    /// Started, waiting on USPS (a payment account being verified).
    Pending,
    ToDo,
    /// Not known until an earlier step is done.
    NotChecked,
}

/// What the step's button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OnboardingAction {
    /// Opens the USPS business portal in the browser ([`Connections::open_business_portal`]).
    OpenBusinessPortal,
    /// Sign in with USPS (Add account, or Login for the account the guide is about).
    SignIn,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OnboardingStep {
    pub key: OnboardingStepKey,
    pub title: String,
    pub status: OnboardingStatus,
    pub detail: String,
    pub action: Option<OnboardingAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OnboardingGuide {
    /// The account the guide is about: the one asked for, else the default one.
    #[ts(type = "number | null")]
    pub account_id: Option<AccountId>,
    pub steps: Vec<OnboardingStep>,
    /// Whether the account's labels are bought at contract (NSA) prices, in words.
    pub contract: Option<String>,
    /// Said wherever signing in again is the fix.
    pub password_warning: String,
    /// What the user answered to "Do you have USPS contract (NSA) prices?"
    /// ([`Connections::say_contract_prices`]); `None`: not answered.
    pub contract_prices_said: Option<bool>,
}

impl OnboardingGuide {
    pub fn complete(&self) -> bool {
        self.steps
            .iter()
            .all(|s| s.status == OnboardingStatus::Done)
    }
}

impl Connections {
    /// The guide for `account` (the default account when `None`), checked with USPS when there
    /// is an account to check.
    pub async fn business_onboarding(
        &self,
        account: Option<AccountId>,
    ) -> AppResult<OnboardingGuide> {
        let record = match account {
            Some(id) => Some(self.account(id)?),
            None => self.accounts.default_account()?,
        };
        let mut guide = match record {
            None => guide_without_account(),
            Some(record) => {
                let check = self.check_connection(record.id).await?;
                guide_from_check(&check.account, &check)
            }
        };
        guide.contract_prices_said = self.contract_prices_said()?;
        Ok(guide)
    }

    /// Opens the USPS business portal in the user's browser.
    pub fn open_business_portal(&self) -> AppResult<()> {
        self.opener.open(&HttpUrl::parse(BUSINESS_PORTAL)?)
    }
}

fn step(
    key: OnboardingStepKey,
    status: OnboardingStatus,
    detail: impl Into<String>,
    action: Option<OnboardingAction>,
) -> OnboardingStep {
    let title = match key {
        OnboardingStepKey::BusinessAccount => "USPS business account",
        OnboardingStepKey::PaymentAccount => "Enterprise Payment Account",
        OnboardingStepKey::Link => "Link your business account to Shipdesk",
    };
    OnboardingStep {
        key,
        title: title.into(),
        status,
        detail: detail.into(),
        action,
    }
}

fn guide_without_account() -> OnboardingGuide {
    use OnboardingStatus::{NotChecked, ToDo};
    OnboardingGuide {
        account_id: None,
        steps: vec![
            step(
                OnboardingStepKey::BusinessAccount,
                ToDo,
                "New to USPS? Create a business account in the USPS business portal: verify \
                 your email, then complete its three set-up steps (a promo code from your USPS \
                 sales representative goes in here). Already have one? Go on with step 2.",
                Some(OnboardingAction::OpenBusinessPortal),
            ),
            step(
                OnboardingStepKey::PaymentAccount,
                NotChecked,
                "In the business portal, Add your payment account: an Enterprise Payment \
                 Account paid by ACH debit (accept the terms). It is required before linking, \
                 even where USPS's page calls it optional, and may show Pending for a few days.",
                Some(OnboardingAction::OpenBusinessPortal),
            ),
            step(
                OnboardingStepKey::Link,
                ToDo,
                "Sign in with USPS: sign in (and MFA), accept the terms for Shipdesk, Authorize \
                 and Continue, then Go to Shipdesk. Shipdesk fills in your CRID, MID, manifest \
                 MID and EPS account from USPS's answer for you to confirm.",
                Some(OnboardingAction::SignIn),
            ),
        ],
        contract: None,
        password_warning: PASSWORD_RESET_WARNING.into(),
        contract_prices_said: None,
    }
}

/// The doctor's steps by name: credentials, products, identity, payment, EPS account, quota.
fn check_step(check: &ConnectionCheck, index: usize) -> Option<&super::CheckStep> {
    check.steps.iter().find(|s| s.name == STEP_NAMES[index])
}

fn guide_from_check(record: &UspsAccountRecord, check: &ConnectionCheck) -> OnboardingGuide {
    use OnboardingStatus::{Done, NotChecked, Pending, ToDo};
    let explain = |s: &super::CheckStep| match &s.fix {
        Some(fix) => format!("{} {fix}", s.detail),
        None => s.detail.clone(),
    };
    let credentials = check_step(check, 0);
    let products = check_step(check, 1);
    let identity = check_step(check, 2);
    let payment = check_step(check, 3);
    let eps = check_step(check, 4);
    let passed = |s: Option<&super::CheckStep>| s.is_some_and(|s| s.status == CheckStatus::Passed);

    let signed_in = passed(credentials) && passed(products);
    let link = if let Some(s) = failed(credentials).or(failed(products)) {
        step(
            OnboardingStepKey::Link,
            ToDo,
            explain(s),
            Some(OnboardingAction::SignIn),
        )
    } else if let Some(s) = failed(identity) {
        step(
            OnboardingStepKey::Link,
            ToDo,
            explain(s),
            Some(OnboardingAction::SignIn),
        )
    } else {
        step(
            OnboardingStepKey::Link,
            Done,
            format!(
                "{} is linked: CRID {}, MID {}, manifest MID {}, EPS account {}.",
                record.nickname,
                record.crid.as_deref().unwrap_or("—"),
                record.mid.as_deref().unwrap_or("—"),
                record.manifest_mid.as_deref().unwrap_or("—"),
                record.eps_account.as_deref().unwrap_or("—"),
            ),
            None,
        )
    };
    let business = if signed_in && passed(identity) {
        step(
            OnboardingStepKey::BusinessAccount,
            Done,
            format!(
                "USPS knows the business by CRID {}.",
                record.crid.as_deref().unwrap_or("—")
            ),
            None,
        )
    } else if let Some(s) = failed(identity) {
        step(
            OnboardingStepKey::BusinessAccount,
            ToDo,
            explain(s),
            Some(OnboardingAction::OpenBusinessPortal),
        )
    } else {
        step(
            OnboardingStepKey::BusinessAccount,
            NotChecked,
            "Not checked until Shipdesk can sign in to USPS (step 3).",
            Some(OnboardingAction::OpenBusinessPortal),
        )
    };
    let payment_step = if passed(payment) && passed(eps) {
        step(
            OnboardingStepKey::PaymentAccount,
            Done,
            format!(
                "Payment account {} is active and pays for labels.",
                record.eps_account.as_deref().unwrap_or("—")
            ),
            None,
        )
    } else if let Some(s) = failed(payment).or(failed(eps)) {
        let pending = s.usps_code.as_deref() == Some(PAYMENT_ACCOUNT_PENDING);
        step(
            OnboardingStepKey::PaymentAccount,
            if pending { Pending } else { ToDo },
            explain(s),
            Some(OnboardingAction::OpenBusinessPortal),
        )
    } else {
        step(
            OnboardingStepKey::PaymentAccount,
            NotChecked,
            "Not checked until the business account is linked (steps 1 and 3).",
            Some(OnboardingAction::OpenBusinessPortal),
        )
    };
    OnboardingGuide {
        account_id: Some(record.id),
        steps: vec![business, payment_step, link],
        contract: Some(contract_words(record)),
        password_warning: PASSWORD_RESET_WARNING.into(),
        contract_prices_said: None,
    }
}

fn failed(step: Option<&super::CheckStep>) -> Option<&super::CheckStep> {
    step.filter(|s| s.status == CheckStatus::Failed)
}

fn contract_words(record: &UspsAccountRecord) -> String {
    let source = match record.contract_source {
        Some(ContractSource::Detected) => " (USPS shows it)",
        Some(ContractSource::Entered) => " (you said so)",
        None => "",
    };
    if record.has_contract {
        format!("Contract prices (NSA): yes{source}. Labels are bought at your contract prices.")
    } else {
        format!(
            "Contract prices (NSA): no{source}. Labels are bought at commercial prices; if you \
             have a contract, tick Contract prices in Edit account."
        )
    }
}
