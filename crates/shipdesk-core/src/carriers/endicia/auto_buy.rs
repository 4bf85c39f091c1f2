//! Buying postage automatically, off by default: when the balance is below a threshold as a
//! label is about to be bought, a set amount is bought first — through the same exactly-once
//! purchase as "Buy Postage", so a lost answer or a second process can never buy it twice. A
//! failed automatic purchase never stops the label: it is logged and shown with the account's
//! purchases (and the label meets Endicia's own "not enough postage" if the balance is short).

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::errors::field_error;
use super::{EndiciaAccounts, PostageAccount};
use crate::error::{AppError, AppResult};

const AUTO_BUY: &str = "postage.auto_buy";

/// "Buy postage automatically": when the balance falls below `below`, buy `amount`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "PostageAutoBuy")]
pub struct AutoBuy {
    #[ts(type = "string")]
    pub below: Decimal,
    #[ts(type = "string")]
    pub amount: Decimal,
}

/// The two amounts as typed in the form (or on the command line).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export, rename = "PostageAutoBuyInput")]
pub struct AutoBuyInput {
    pub below: String,
    pub amount: String,
}

impl AutoBuyInput {
    fn parse(&self) -> AppResult<AutoBuy> {
        let cleaned: String = self
            .below
            .trim()
            .trim_start_matches('$')
            .chars()
            .filter(|c| *c != ',' && !c.is_whitespace())
            .collect();
        let below = Decimal::from_str(&cleaned)
            .ok()
            .filter(|b| *b > Decimal::ZERO && b.scale() <= 2)
            .ok_or_else(|| {
                field_error([(
                    "auto_below",
                    format!("\"{}\" is not a balance in dollars.", self.below.trim()),
                )])
            })?;
        let amount = super::parse_amount(&self.amount).map_err(|e| {
            let message = e.message.clone();
            AppError::invalid_fields(message.clone(), [("auto_amount", message)])
        })?;
        Ok(AutoBuy { below, amount })
    }
}

impl EndiciaAccounts {
    /// The automatic purchase, when the user turned it on.
    pub fn auto_buy(&self) -> AppResult<Option<AutoBuy>> {
        let Some(text) = self
            .connections
            .settings()
            .setting(AUTO_BUY)?
            .filter(|t| !t.is_empty())
        else {
            return Ok(None);
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| AppError::internal("the automatic postage purchase setting", &e))
    }

    /// Turns the automatic purchase on (with its amounts) or off (`None`).
    pub async fn set_auto_buy(&self, input: Option<AutoBuyInput>) -> AppResult<PostageAccount> {
        let value = match input {
            Some(input) => serde_json::to_string(&input.parse()?)
                .map_err(|e| AppError::internal("the automatic postage purchase setting", &e))?,
            None => String::new(),
        };
        self.connections.settings().set_setting(AUTO_BUY, &value)?;
        self.account().await
    }

    /// Whether the balance is below the automatic purchase's threshold.
    pub(super) fn auto_buy_due(&self, balance: Decimal) -> bool {
        match self.auto_buy() {
            Ok(auto) => auto.is_some_and(|a| balance < a.below),
            Err(e) => {
                tracing::warn!("automatic postage purchase skipped: {e}");
                false
            }
        }
    }

    /// Buys the automatic purchase's amount (once, like any purchase).
    pub(super) async fn auto_buy_now(&self, balance: Decimal) {
        let Ok(Some(auto)) = self.auto_buy() else {
            return;
        };
        match self.buy_postage(&auto.amount.to_string()).await {
            Ok(outcome) => tracing::info!(
                %balance,
                amount = %auto.amount,
                "bought postage automatically: {}",
                outcome.message
            ),
            Err(e) => tracing::warn!(%balance, "the automatic postage purchase failed: {e}"),
        }
    }
}
