//! The world the simulator starts with: which API apps exist (as if registered in the USPS
//! Customer Onboarding Portal), which business users can sign in and what USPS identifiers
//! (CRID, MIDs, EPS accounts) their COP linking gives a token, and the hourly quotas.
//!
//! A scenario is plain data so tests and the app's Sandbox mode can load it from TOML or JSON.

mod demo;

pub use demo::CONTRACT_USER;

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Product name of the default API bundle every new USPS app gets.
pub const PUBLIC_ACCESS: &str = "Public Access";
/// Product name of the bundle that adds labels, payments, SCAN forms, pickup and tracking.
pub const SHIPPING: &str = "Shipping";

/// Everything the simulator is seeded with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Makes tracking numbers, confirmation numbers, dispute ids and the signing key reproducible.
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub apps: Vec<App>,
    #[serde(default)]
    pub users: Vec<User>,
    #[serde(default)]
    pub quotas: Quotas,
}

/// An API application registered with USPS (consumer key/secret).
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub client_id: String,
    pub client_secret: String,
    /// Shown to the user in the consent page ("authorizing `<platform>` to access ...").
    pub platform: String,
    /// `application_name` in token responses; defaults to the platform name.
    #[serde(default)]
    pub name: Option<String>,
    /// Callback URLs; the consent redirect and the code exchange must match one exactly.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    /// API products ("Public Access", "Shipping"); each grants a fixed scope set.
    #[serde(default = "default_products")]
    pub products: Vec<String>,
    /// Extra scopes on top of the products' scopes.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The business that owns the app. `client_credentials` tokens carry this user's CRID, MIDs
    /// and EPS accounts, as USPS does when a business authorizes its own app in COP.
    #[serde(default)]
    pub owner: Option<String>,
    /// Per-app quota override (calls per hour per API).
    #[serde(default)]
    pub quota_per_hour: Option<u32>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("platform", &self.platform)
            .field("redirect_uris", &self.redirect_uris)
            .field("products", &self.products)
            .field("scopes", &self.scopes)
            .field("owner", &self.owner)
            .finish()
    }
}

/// A business user who can sign in to the simulated COP.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub username: String,
    pub password: String,
    /// When set, sign-in asks for this one-time code as a second step.
    #[serde(default)]
    pub mfa_code: Option<String>,
    /// Customer Registration ID (typically 8 digits).
    pub crid: String,
    /// Mailer IDs (6 or 9 digits) the business owns.
    #[serde(default)]
    pub mids: Vec<String>,
    /// The "Label MID" used as manifestMID.
    #[serde(default)]
    pub manifest_mid: Option<String>,
    /// Enterprise Payment System accounts (10 digits).
    #[serde(default)]
    pub eps_accounts: Vec<String>,
    /// Whether the business linked its CRID/MIDs/EPS in COP. Without it tokens carry no business
    /// claims and every business-bound call answers 403.
    #[serde(default = "yes")]
    pub cop_linked: bool,
    /// Whether the EPS accounts have funds (payment-account `sufficientFunds`).
    #[serde(default = "yes")]
    pub funded: bool,
    /// Where the business's Enterprise Payment Account stands: only an active one with a
    /// payment method can pay for labels (payment authorization answers 100002 / 100003).
    #[serde(default)]
    pub payment_account: PaymentAccountStatus,
    /// Whether the CRID is enrolled in USPS Ship Returns (return labels answer 160304 without).
    #[serde(default = "yes")]
    pub returns_enrolled: bool,
    /// The business's Negotiated Service Agreement, if it has one: its contract prices apply to
    /// price searches naming its account and to labels whose payment authorization names it as
    /// `RATE_HOLDER`.
    #[serde(default)]
    pub contract: Option<Contract>,
}

/// The state of a business's Enterprise Payment Account, as the business portal shows it.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PaymentAccountStatus {
    #[default]
    Active,
    /// Added with ACH debit and not verified yet ("Pending" in the portal).
    Pending,
    /// Open, but its payment method was removed or never added.
    NoPaymentMethod,
}

/// A Negotiated Service Agreement (contract prices) held by a business's CRID.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// The agreement's number, as USPS's sales representative gives it.
    pub number: String,
    /// The mail classes the agreement prices; empty means every class.
    #[serde(default)]
    pub mail_classes: Vec<String>,
}

impl Contract {
    /// Whether the agreement prices `mail_class`.
    pub fn covers(&self, mail_class: &str) -> bool {
        self.mail_classes.is_empty() || self.mail_classes.iter().any(|c| c == mail_class)
    }
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("mfa", &self.mfa_code.is_some())
            .field("crid", &self.crid)
            .field("mids", &self.mids)
            .field("manifest_mid", &self.manifest_mid)
            .field("eps_accounts", &self.eps_accounts)
            .field("cop_linked", &self.cop_linked)
            .field("payment_account", &self.payment_account)
            .field("contract", &self.contract)
            .finish()
    }
}

/// Hourly call quotas.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Quotas {
    /// Calls per hour per (app, API). USPS's default product allows 60.
    #[serde(default = "default_quota")]
    pub default_per_hour: u32,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            default_per_hour: default_quota(),
        }
    }
}

fn default_quota() -> u32 {
    60
}
fn yes() -> bool {
    true
}
fn default_products() -> Vec<String> {
    vec![PUBLIC_ACCESS.to_string()]
}

/// Scopes a product grants (as seen in real token `scope` strings).
pub fn product_scopes(product: &str) -> &'static [&'static str] {
    const PUBLIC: &[&str] = &[
        "addresses",
        "domestic-prices",
        "international-prices",
        "locations",
        "shipments",
        "service-standards",
    ];
    const SHIP: &[&str] = &[
        "addresses",
        "domestic-prices",
        "prices",
        "international-prices",
        "locations",
        "shipments",
        "service-standards",
        "labels",
        "international-labels",
        "payments",
        "scan-forms",
        "pickup",
        "tracking",
    ];
    match product {
        PUBLIC_ACCESS | "Public Access I" => PUBLIC,
        SHIPPING | "Shipping Suite" | "Shipping Suite II" | "Shipping Version 3" => SHIP,
        _ => &[],
    }
}

/// Errors loading a scenario file.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("scenario TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("scenario JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("scenario is inconsistent: {0}")]
    Invalid(String),
}

impl App {
    /// All scopes this app's products and extra scopes grant.
    pub fn scope_set(&self) -> BTreeSet<String> {
        let mut set: BTreeSet<String> = self
            .products
            .iter()
            .flat_map(|p| product_scopes(p).iter().map(|s| s.to_string()))
            .collect();
        set.extend(self.scopes.iter().cloned());
        set
    }

    /// `api_products` as USPS prints it: a bracketed list inside a string.
    pub fn api_products_string(&self) -> String {
        format!("[{}]", self.products.join(", "))
    }

    pub fn application_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.platform)
    }
}

impl Scenario {
    /// Registers one more callback URL on every app (e.g. the app's loopback listener
    /// `http://127.0.0.1:<port>/usps/callback`) before the simulator starts.
    pub fn with_redirect_uri(mut self, uri: impl Into<String>) -> Scenario {
        let uri = uri.into();
        for app in &mut self.apps {
            if !app.redirect_uris.contains(&uri) {
                app.redirect_uris.push(uri.clone());
            }
        }
        self
    }

    /// Sets every app's hourly quota (benchmarks buying many labels need more than 60).
    pub fn with_quota_per_hour(mut self, per_hour: u32) -> Scenario {
        self.quotas.default_per_hour = per_hour;
        self
    }

    pub fn from_toml_str(s: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(s)?;
        scenario.validate()?;
        Ok(scenario)
    }

    pub fn from_json_str(s: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = serde_json::from_str(s)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Checks references between apps and users and the identifier formats.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let bad = |m: String| Err(ScenarioError::Invalid(m));
        let mut ids = BTreeSet::new();
        for app in &self.apps {
            if !ids.insert(&app.client_id) {
                return bad(format!("duplicate client_id {}", app.client_id));
            }
            if let Some(owner) = &app.owner
                && self.user(owner).is_none()
            {
                return bad(format!("app {} names unknown owner {owner}", app.client_id));
            }
            for uri in &app.redirect_uris {
                if url::Url::parse(uri).is_err() {
                    return bad(format!(
                        "app {}: redirect URI {uri} is not a URL",
                        app.client_id
                    ));
                }
            }
        }
        for user in &self.users {
            let digits = |s: &str, lens: &[usize]| {
                s.chars().all(|c| c.is_ascii_digit()) && lens.contains(&s.len())
            };
            if !digits(&user.crid, &[2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
                return bad(format!("user {}: CRID must be numeric", user.username));
            }
            for mid in user.mids.iter().chain(user.manifest_mid.iter()) {
                if !digits(mid, &[6, 9]) {
                    return bad(format!(
                        "user {}: MID {mid} must be 6 or 9 digits",
                        user.username
                    ));
                }
            }
            for eps in &user.eps_accounts {
                if !digits(eps, &[10]) {
                    return bad(format!(
                        "user {}: EPS {eps} must be 10 digits",
                        user.username
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn app(&self, client_id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.client_id == client_id)
    }

    pub fn user(&self, username: &str) -> Option<&User> {
        self.users.iter().find(|u| u.username == username)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_valid_and_has_the_promised_business() {
        let s = Scenario::demo();
        s.validate().unwrap();
        let demo = s.user("demo").unwrap();
        assert_eq!(demo.crid.len(), 8);
        assert_eq!(demo.mids[0].len(), 9);
        assert_eq!(demo.eps_accounts[0].len(), 10);
        assert!(
            s.app("shipdesk-sandbox")
                .unwrap()
                .scope_set()
                .contains("labels")
        );
        assert!(
            !s.app("shipdesk-public")
                .unwrap()
                .scope_set()
                .contains("labels")
        );
        assert!(!s.user("unlinked").unwrap().cop_linked);
        assert!(demo.contract.is_none());
        let nsa = s.user("nsa").unwrap().contract.as_ref().unwrap();
        assert!(nsa.covers("PRIORITY_MAIL") && nsa.covers("USPS_GROUND_ADVANTAGE"));
    }

    #[test]
    fn toml_and_json_round_trip() {
        let s = Scenario::demo().with_redirect_uri("http://127.0.0.1:5555/usps/callback");
        let toml_text = toml::to_string(&s).unwrap();
        assert_eq!(Scenario::from_toml_str(&toml_text).unwrap(), s);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(Scenario::from_json_str(&json).unwrap(), s);
        assert!(
            s.apps[0]
                .redirect_uris
                .contains(&"http://127.0.0.1:5555/usps/callback".to_string())
        );
    }

    #[test]
    fn rejects_bad_identifiers_and_dangling_owner() {
        let mut s = Scenario::demo();
        s.users[0].eps_accounts = vec!["123".into()];
        assert!(s.validate().is_err());
        let mut s = Scenario::demo();
        s.apps[0].owner = Some("nobody".into());
        assert!(s.validate().is_err());
    }

    #[test]
    fn debug_output_hides_secrets() {
        let s = Scenario::demo();
        let text = format!("{s:?}");
        assert!(!text.contains("shipdesk-sandbox-secret"));
        assert!(!text.contains("shipdesk-demo"));
    }
}
