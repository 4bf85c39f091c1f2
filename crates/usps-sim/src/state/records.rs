//! Records the simulator keeps: grants and tokens, labels, the charge ledger, SCAN forms and
//! pickups. They are plain serde data so the whole set can be written to the state file.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;

use crate::scenario::{Contract, User};

/// The USPS identifiers a COP-linked token may act for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Business {
    pub crid: String,
    pub mids: Vec<String>,
    pub manifest_mid: Option<String>,
    pub eps_accounts: Vec<String>,
    /// The business's contract (NSA), if it holds one.
    #[serde(default)]
    pub contract: Option<Contract>,
}

impl Business {
    /// The identifiers a token for `user` carries; none when COP linking was not done.
    pub fn of(user: &User) -> Option<Business> {
        user.cop_linked.then(|| Business {
            crid: user.crid.clone(),
            mids: user.mids.clone(),
            manifest_mid: user.manifest_mid.clone(),
            eps_accounts: user.eps_accounts.clone(),
            contract: user.contract.clone(),
        })
    }

    /// The contract that prices `mail_class` for this business, if any.
    pub fn contract_for(&self, mail_class: &str) -> Option<&Contract> {
        self.contract.as_ref().filter(|c| c.covers(mail_class))
    }

    pub fn owns_mid(&self, mid: &str) -> bool {
        self.mids.iter().any(|m| m == mid) || self.manifest_mid.as_deref() == Some(mid)
    }
}

/// An issued access token (looked up by its `jti`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessRecord {
    pub client_id: String,
    /// The consent (authorization-code grant) it came from, if any.
    pub consent_id: Option<String>,
    pub username: Option<String>,
    pub scopes: BTreeSet<String>,
    pub business: Option<Business>,
    pub issued_ms: u64,
    pub expires_ms: u64,
    /// Set by `/__sim/expire-access-tokens`.
    pub force_expired: bool,
}

/// Lifecycle of one refresh token string.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum RefreshState {
    Active,
    /// Replaced by a newer token; still accepted until the grace deadline.
    Rotated {
        grace_until_ms: u64,
    },
    /// Revoked through `/oauth2/v3/revoke` or by revoking the consent.
    Revoked,
    /// Killed early through `/__sim` (USPS issue #84: "Unknown" status).
    Invalidated,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshRecord {
    pub client_id: String,
    pub consent_id: String,
    pub username: String,
    pub issued_ms: u64,
    pub expires_ms: u64,
    pub refresh_count: u32,
    pub state: RefreshState,
}

/// A one-time authorization code from the consent flow.
#[derive(Debug, Clone)]
pub struct CodeRecord {
    pub client_id: String,
    pub username: String,
    pub redirect_uri: String,
    pub consent_id: String,
    pub expires_ms: u64,
    pub used: bool,
}

/// A business's grant of access to a platform app.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Consent {
    pub id: String,
    pub client_id: String,
    pub username: String,
    pub granted_ms: u64,
    pub revoked: bool,
}

/// A payment authorization (the `X-Payment-Authorization-Token` JWT's server side).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaymentAuth {
    pub client_id: String,
    pub crid: String,
    pub label_owner_mid: String,
    pub manifest_mid: String,
    pub payer_eps: Option<String>,
    /// The CRID a `RATE_HOLDER` role named: labels are then charged its contract prices, and
    /// refused (160255) for a class it holds no contract for.
    #[serde(default)]
    pub rate_holder_crid: Option<String>,
    pub expires_ms: u64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LabelStatus {
    Printed,
    Canceled,
    Disputed,
}

/// A bought label.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LabelRecord {
    pub tracking_number: String,
    pub client_id: String,
    pub crid: String,
    pub mid: String,
    pub manifest_mid: String,
    pub eps_account: Option<String>,
    pub idempotency_key: Option<String>,
    /// Canonical hash of the request body, to spot a reused key with another payload.
    pub request_hash: String,
    pub request: Value,
    /// `LabelMetadata` as returned at creation.
    pub metadata: Value,
    /// Postage plus extra-service fees charged.
    pub amount: f64,
    pub mailing_date: String,
    pub created_ms: u64,
    pub status: LabelStatus,
    pub dispute_id: Option<String>,
    /// Shipping Services File sent (SCAN form, immediateManifest or `/__sim/manifest`).
    pub manifested: bool,
    pub scan_form: Option<String>,
    pub reprints: u32,
    /// Charged at the contract prices of this CRID (its payment authorization named it as
    /// `RATE_HOLDER`); an edit is priced the same way.
    #[serde(default)]
    pub rate_holder_crid: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    /// Postage charged for a new label.
    Charged,
    /// Canceled before manifest: the charge is voided.
    Canceled,
    /// Refund requested (dispute filed) after manifest.
    RefundRequested,
}

/// One line of the charge ledger (what a business would see on its EPS statement).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub seq: u64,
    pub at_ms: u64,
    pub kind: LedgerKind,
    pub tracking_number: String,
    pub idempotency_key: Option<String>,
    /// Positive for charges, negative for voids/refunds.
    pub amount: f64,
    pub crid: String,
    pub eps_account: Option<String>,
    pub client_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanFormRecord {
    pub manifest_number: String,
    pub tracking_numbers: Vec<String>,
    pub mailing_date: String,
    pub created_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PickupRecord {
    pub confirmation_number: String,
    pub etag: String,
    /// The `PickupConfirmation` body.
    pub confirmation: Value,
    pub crid: String,
    pub canceled: bool,
}

/// Where a user is in the consent pages.
#[derive(Debug, Clone, PartialEq)]
pub enum FlowStage {
    SignIn,
    Mfa { username: String },
    Consent { username: String },
    Done { code: String },
}

#[derive(Debug, Clone)]
pub struct ConsentFlow {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: String,
    pub platform: String,
    pub stage: FlowStage,
    pub created_ms: u64,
}
