//! When to offer "Connect your USPS business account" without being asked: the user said they
//! have contract (NSA) prices, and no account can buy labels yet.
//!
//! A business with a contract signs up to print at its contract prices, and until its business
//! account is linked every label would be refused or charged more. So once the user says so —
//! answering the first-use question, ticking "I have contract prices" in the guide, or marking
//! an account as holding a contract — a banner offers the guide until an account is connected.
//! An account waiting to be reconnected already has the Reconnect banner, which is the better
//! fix, so the guide's banner gives way to it.
//!
//! The first-use question is asked while the desk has no USPS account and the user never
//! answered it (a fresh Sandbox data directory has its demo account, so Sandbox users are not
//! asked).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Connections;
use super::model::{ConnectionState, ContractSource, UspsAccountRecord};
use crate::error::AppResult;

/// The setting that keeps the user's answer ("yes" / "no").
const SAID_CONTRACT_PRICES: &str = "usps.contract_prices_said";

/// What the UI offers about connecting a business account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum GuideOffer {
    /// Nothing to offer.
    None,
    /// Ask whether the business has contract prices (no account yet, never answered).
    AskAboutContract,
    /// The banner: "connect your business account to ship at your contract prices".
    ConnectForContract,
}

impl Connections {
    /// What the user answered to "Do you have USPS contract prices?", if they did.
    pub fn contract_prices_said(&self) -> AppResult<Option<bool>> {
        Ok(
            match self.settings.setting(SAID_CONTRACT_PRICES)?.as_deref() {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            },
        )
    }

    /// Keeps the user's answer, and tells every window (the banner may come or go).
    pub fn say_contract_prices(&self, have: bool) -> AppResult<()> {
        self.settings
            .set_setting(SAID_CONTRACT_PRICES, if have { "yes" } else { "no" })?;
        self.broadcast_snapshot();
        Ok(())
    }
}

pub(super) fn offer(said: Option<bool>, accounts: &[UspsAccountRecord]) -> GuideOffer {
    if accounts.is_empty() && said.is_none() {
        return GuideOffer::AskAboutContract;
    }
    let expects_contract = said == Some(true)
        || accounts
            .iter()
            .any(|a| a.has_contract && a.contract_source == Some(ContractSource::Entered));
    let connected = accounts
        .iter()
        .any(|a| a.state == ConnectionState::Connected);
    let reconnecting = accounts.iter().any(|a| a.state.needs_reconnect());
    if expects_contract && !connected && !reconnecting {
        GuideOffer::ConnectForContract
    } else {
        GuideOffer::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::carriers::model::{ConnectionMode, UspsAccountRecord};
    use crate::environment::Environment;

    fn account(
        state: ConnectionState,
        contract: Option<(bool, ContractSource)>,
    ) -> UspsAccountRecord {
        UspsAccountRecord {
            id: 1,
            nickname: "Shop".into(),
            environment: Environment::Production,
            base_url: None,
            crid: Some("56982563".into()),
            mid: Some("902345671".into()),
            manifest_mid: None,
            eps_account: Some("1000012345".into()),
            mode: ConnectionMode::SignIn {
                client_id: "app".into(),
            },
            is_default: true,
            is_sandbox_demo: false,
            state,
            last_verified_at: None,
            created_at: "2026-12-01T00:00:00Z".into(),
            updated_at: "2026-12-01T00:00:00Z".into(),
            has_contract: contract.is_some_and(|(holds, _)| holds),
            contract_source: contract.map(|(_, source)| source),
            calls_per_hour: None,
        }
    }

    #[test]
    fn a_desk_without_accounts_asks_until_answered() {
        assert_eq!(offer(None, &[]), GuideOffer::AskAboutContract);
        assert_eq!(offer(Some(false), &[]), GuideOffer::None);
        assert_eq!(offer(Some(true), &[]), GuideOffer::ConnectForContract);
    }

    #[test]
    fn the_banner_stays_until_an_account_is_connected() {
        let disconnected = account(ConnectionState::Disconnected, None);
        let not_linked = account(
            ConnectionState::NotEntitled {
                missing: vec!["COP link".into()],
                fix: "Link it".into(),
            },
            None,
        );
        assert_eq!(
            offer(Some(true), std::slice::from_ref(&disconnected)),
            GuideOffer::ConnectForContract
        );
        assert_eq!(
            offer(Some(true), &[not_linked]),
            GuideOffer::ConnectForContract
        );
        let connected = account(ConnectionState::Connected, None);
        assert_eq!(
            offer(Some(true), &[disconnected, connected]),
            GuideOffer::None
        );
    }

    #[test]
    fn an_account_marked_as_holding_a_contract_counts_as_saying_so() {
        let entered = account(
            ConnectionState::Disconnected,
            Some((true, ContractSource::Entered)),
        );
        assert_eq!(offer(None, &[entered]), GuideOffer::ConnectForContract);
        // What USPS showed is no promise the user made: a disconnected account's detected
        // contract alone does not nag.
        let detected = account(
            ConnectionState::Disconnected,
            Some((true, ContractSource::Detected)),
        );
        assert_eq!(offer(None, &[detected]), GuideOffer::None);
    }

    #[test]
    fn the_reconnect_banner_wins() {
        let waiting = account(
            ConnectionState::NeedsReconnect {
                reason: "expired".into(),
            },
            None,
        );
        assert_eq!(offer(Some(true), &[waiting]), GuideOffer::None);
    }
}
