//! Contract (NSA) prices: whether an account holds a contract, and which prices its labels are
//! bought at.
//!
//! USPS applies an account's contract prices to a label only when the payment authorization
//! names the account as `RATE_HOLDER`, and refuses the label (160255) when the account holds no
//! contract for its mail class. So an account that holds a contract buys each label whose
//! service USPS quoted a contract price for under a `RATE_HOLDER` authorization, and every other
//! label under the plain PAYER + LABEL_OWNER one (`usps::models::Pricing`), and "You pay" shows
//! exactly that price (`usps_postage::rates`).
//!
//! Whether an account holds one is detected from USPS — the token's `contracts` claim naming the
//! account's EPS account, a contract price search that answers contract prices (or only
//! published ones with warning 001) — or entered by the user. What the user entered is never
//! overwritten by a detection: they can be right where USPS's answer is incomplete.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use usps::TokenClaims;
use usps::models::Pricing;

use super::Connections;
use super::model::{AccountId, ContractSource, UspsAccountRecord};
use crate::error::AppResult;

/// Per account, the mail classes its last contract price search found no contract price for:
/// labels of those classes are bought at published prices even for a contract account.
#[derive(Default)]
pub(crate) struct ContractGaps(Mutex<HashMap<AccountId, BTreeSet<String>>>);

impl ContractGaps {
    fn set(&self, account: AccountId, classes: BTreeSet<String>) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(account, classes);
    }

    fn has(&self, account: AccountId, mail_class: &str) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&account)
            .is_some_and(|gaps| gaps.contains(mail_class))
    }
}

/// Whether the token's claims tie the account's EPS account to a contract.
pub(crate) fn claims_show_contract(record: &UspsAccountRecord, claims: &TokenClaims) -> bool {
    match &record.eps_account {
        Some(eps) => claims.contract_accounts.iter().any(|a| a == eps),
        None => false,
    }
}

impl Connections {
    /// Records what USPS showed about the account's contract, unless the user said otherwise.
    /// Returns the account as it is now.
    pub(crate) fn contract_detected(
        &self,
        record: &UspsAccountRecord,
        holds: bool,
    ) -> AppResult<UspsAccountRecord> {
        let unchanged = record.contract_source == Some(ContractSource::Detected)
            && record.has_contract == holds;
        if unchanged || record.contract_source == Some(ContractSource::Entered) {
            return Ok(record.clone());
        }
        let updated =
            self.accounts
                .set_contract(record.id, holds, ContractSource::Detected, &self.now())?;
        tracing::info!(
            account = record.id,
            holds,
            "USPS shows whether the account holds a contract"
        );
        Ok(updated)
    }

    /// The token's claims, read for a contract: only a claim naming the account's EPS account
    /// counts (tokens of accounts without a contract may carry an empty or no `contracts`
    /// claim, which proves nothing).
    pub(crate) fn contract_from_claims(
        &self,
        record: &UspsAccountRecord,
        claims: &TokenClaims,
    ) -> AppResult<UspsAccountRecord> {
        if claims_show_contract(record, claims) {
            self.contract_detected(record, true)
        } else {
            Ok(record.clone())
        }
    }

    /// Remembers the classes a contract price search found no contract price for.
    pub(crate) fn note_contract_gaps(&self, account: AccountId, classes: BTreeSet<String>) {
        self.contract_gaps.set(account, classes);
    }

    /// The prices a label of `mail_class` is bought at for the account.
    pub(crate) fn label_pricing(
        &self,
        account: AccountId,
        has_contract: bool,
        mail_class: &str,
    ) -> Pricing {
        if has_contract && !self.contract_gaps.has(account, mail_class) {
            Pricing::Contract
        } else {
            Pricing::Published
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_per_account_and_class() {
        let gaps = ContractGaps::default();
        gaps.set(1, BTreeSet::from(["MEDIA_MAIL".to_owned()]));
        assert!(gaps.has(1, "MEDIA_MAIL"));
        assert!(!gaps.has(1, "PRIORITY_MAIL"));
        assert!(!gaps.has(2, "MEDIA_MAIL"));
        gaps.set(1, BTreeSet::new());
        assert!(!gaps.has(1, "MEDIA_MAIL"));
    }
}
