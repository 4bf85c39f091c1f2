//! "Buy Postage", exactly once.
//!
//! ELS does not de-duplicate purchases, so the journal does: the purchase is recorded (with the
//! account's funded total — balance + postage printed — read just before) and committed before
//! the request leaves, at most one open per account. Its answer settles it. When the answer is
//! lost the purchase stays open and is settled from the account's registers: a purchase is the
//! only thing that raises the funded total, so `after = before + amount` proves it was applied
//! and `after = before` that it was not — the latter only once enough time has passed that a
//! request still on its way can no longer land. Anything else (a refund credited meanwhile)
//! stays open for the user to compare with Endicia's records. It is never sent again.

use rust_decimal::Decimal;
use time::Duration;

use endicia::{AccountStatus, Credentials, EndiciaClient, EndiciaError};

use super::errors::app_error;
use super::{EndiciaAccounts, PurchaseOutcome, Recredit, RecreditEnd, RecreditState};
use crate::error::{AppError, AppResult, ErrorCode};

/// How long after sending a purchase whose registers did not move is taken as never applied:
/// well past the client's 30-second timeout, so a request still in flight has landed or died.
const SETTLE_AFTER: Duration = Duration::minutes(2);

/// What the registers say about an open purchase.
enum Reading {
    Applied,
    NotApplied,
    TooEarly,
    Unclear(String),
}

fn read_registers(recredit: &Recredit, status: &AccountStatus, sent_long_ago: bool) -> Reading {
    let now = status.funded_total();
    if now == recredit.funded_before + recredit.amount {
        Reading::Applied
    } else if now == recredit.funded_before {
        if sent_long_ago || recredit.state == RecreditState::Intent {
            Reading::NotApplied
        } else {
            Reading::TooEarly
        }
    } else {
        Reading::Unclear(format!(
            "The account's funded total went from ${} to ${now}, which is not this purchase \
             (${}) alone. Compare with the account's transactions at Endicia before buying again.",
            recredit.funded_before, recredit.amount
        ))
    }
}

impl EndiciaAccounts {
    /// Whether a request sent at `sent_at` (RFC 3339) can no longer land: unknown is long ago.
    pub(super) fn sent_long_ago(&self, sent_at: Option<&str>) -> bool {
        let now = self.connections.clock().now();
        sent_at
            .and_then(|s| {
                time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
            })
            .is_none_or(|sent| now - sent >= SETTLE_AFTER)
    }

    /// Buys `amount` of postage for the logged-in account, once.
    pub async fn buy_postage(&self, amount: &str) -> AppResult<PurchaseOutcome> {
        let amount = super::parse_amount(amount)?;
        let (credentials, remembered) = self.credentials().await?;
        let client = self.client().await?;
        let before = match client
            .account_status(&credentials, &Self::request_id())
            .await
        {
            Ok(s) => s,
            Err(e) => return Err(self.failed(&e, None).await),
        };
        // Settle what a lost answer or a crash left open before buying anything new.
        self.settle_open(&credentials, &before)?;
        let request_id = Self::request_id();
        let recredit = self.journal.record_recredit(
            &credentials.account_id,
            amount,
            &request_id,
            before.funded_total(),
            &self.now(),
        )?;
        self.journal.mark_recredit_sent(recredit.id, &self.now())?;
        tracing::info!(account = %credentials.account_id, %amount, purchase = recredit.id, "buying Endicia postage");
        match client.buy_postage(&credentials, amount, &request_id).await {
            Ok(bought) => {
                let purchase = self.journal.settle_recredit(
                    recredit.id,
                    &RecreditEnd::Done {
                        balance_after: bought.account.postage_balance,
                        transaction_id: bought.transaction_id.clone(),
                    },
                    &self.now(),
                )?;
                let message = format!(
                    "Endicia added ${amount:.2} of postage. The balance is now ${:.2}.",
                    bought.account.postage_balance
                );
                Ok(PurchaseOutcome {
                    purchase,
                    account: self.view(&credentials, &bought.account, remembered)?,
                    message,
                })
            }
            Err(e @ (EndiciaError::Refused(_) | EndiciaError::Invalid(_))) => {
                let error = self.failed(&e, Some("amount")).await;
                self.journal.settle_recredit(
                    recredit.id,
                    &RecreditEnd::Refused {
                        message: error.message.clone(),
                    },
                    &self.now(),
                )?;
                Err(error)
            }
            Err(e @ EndiciaError::Unreachable(_)) => {
                self.journal.settle_recredit(
                    recredit.id,
                    &RecreditEnd::NotApplied {
                        message: "Endicia could not be reached; nothing was sent.".into(),
                    },
                    &self.now(),
                )?;
                Err(app_error(&e, None))
            }
            Err(lost) => {
                tracing::warn!(
                    purchase = recredit.id,
                    "Endicia's answer to a purchase was lost: {lost}"
                );
                let open = self.journal.recredit(recredit.id)?;
                match self.check(&client, &credentials, &open).await {
                    Ok((Some(settled), status)) if settled.state == RecreditState::Done => {
                        Ok(PurchaseOutcome {
                            message: format!(
                                "Endicia's answer was lost, but the account shows the ${amount} \
                                 purchase. The balance is now ${}.",
                                status.postage_balance
                            ),
                            purchase: settled,
                            account: self.view(&credentials, &status, remembered)?,
                        })
                    }
                    _ => Err(unsettled(amount)),
                }
            }
        }
    }

    /// "Check again" for an open purchase: settles it from the account's registers if they tell.
    pub async fn check_purchase_again(&self, id: i64) -> AppResult<Recredit> {
        let (credentials, _) = self.credentials().await?;
        let recredit = self.journal.recredit(id)?;
        if !recredit.state.is_open() {
            return Ok(recredit);
        }
        if recredit.account_number != credentials.account_id {
            return Err(AppError::validation(format!(
                "This purchase belongs to account {}: log in to it to check it.",
                recredit.account_number
            )));
        }
        let client = self.client().await?;
        match self.check(&client, &credentials, &recredit).await? {
            (Some(settled), _) => Ok(settled),
            // Still open: as it is now, with its note.
            (None, _) => self.journal.recredit(id),
        }
    }

    /// Settles the account's open purchase, if any, from a status just read.
    pub(super) fn settle_open(
        &self,
        credentials: &Credentials,
        status: &AccountStatus,
    ) -> AppResult<()> {
        if let Some(open) = self.journal.open_recredit(&credentials.account_id)? {
            self.settle_from(&open, status)?;
        }
        Ok(())
    }

    /// Reads the account's registers and settles `recredit` if they tell; the status read.
    async fn check(
        &self,
        client: &EndiciaClient,
        credentials: &Credentials,
        recredit: &Recredit,
    ) -> AppResult<(Option<Recredit>, AccountStatus)> {
        let status = match client
            .account_status(credentials, &Self::request_id())
            .await
        {
            Ok(s) => s,
            Err(e) => return Err(self.failed(&e, None).await),
        };
        Ok((self.settle_from(recredit, &status)?, status))
    }

    /// Settles `recredit` when the registers tell; `None` (with a note) when they do not yet.
    fn settle_from(
        &self,
        recredit: &Recredit,
        status: &AccountStatus,
    ) -> AppResult<Option<Recredit>> {
        let sent_long_ago = self.sent_long_ago(recredit.sent_at.as_deref());
        let end = match read_registers(recredit, status, sent_long_ago) {
            Reading::Applied => RecreditEnd::Done {
                balance_after: status.postage_balance,
                transaction_id: None,
            },
            Reading::NotApplied => RecreditEnd::NotApplied {
                message:
                    "Endicia's records show this purchase was not applied. Nothing was bought."
                        .into(),
            },
            Reading::TooEarly => {
                self.journal.note_recredit(
                    recredit.id,
                    "Not on the account yet. Check again in two minutes: it is never sent twice.",
                    &self.now(),
                )?;
                return Ok(None);
            }
            Reading::Unclear(message) => {
                self.journal
                    .note_recredit(recredit.id, &message, &self.now())?;
                return Ok(None);
            }
        };
        tracing::info!(
            purchase = recredit.id,
            ?end,
            "settled an open Endicia purchase from the account's registers"
        );
        Ok(Some(self.journal.settle_recredit(
            recredit.id,
            &end,
            &self.now(),
        )?))
    }
}

fn unsettled(amount: Decimal) -> AppError {
    AppError::new(
        ErrorCode::PurchaseOutcomeUnknown,
        format!(
            "Endicia did not answer the ${amount} postage purchase, and the account does not \
             show it yet. It is never sent twice: check it again in Postage details in a couple \
             of minutes."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn recredit(state: RecreditState) -> Recredit {
        Recredit {
            id: 1,
            account_number: "2500123".into(),
            amount: Decimal::from(50),
            request_id: "r".into(),
            state,
            funded_before: Decimal::from(100),
            balance_after: None,
            transaction_id: None,
            message: None,
            created_at: "2026-12-02T10:00:00Z".into(),
            sent_at: Some("2026-12-02T10:00:00Z".into()),
        }
    }

    fn status(balance: &str, printed: &str) -> AccountStatus {
        AccountStatus {
            account_id: "2500123".into(),
            postage_balance: Decimal::from_str(balance).unwrap(),
            ascending_balance: Decimal::from_str(printed).unwrap(),
            status: "A".into(),
            serial_number: None,
            device_id: None,
        }
    }

    #[test]
    fn the_registers_tell_applied_not_applied_or_unclear() {
        let sent = recredit(RecreditState::Sent);
        // Labels printed meanwhile move money between the registers, not the total.
        assert!(matches!(
            read_registers(&sent, &status("140", "10"), false),
            Reading::Applied
        ));
        assert!(matches!(
            read_registers(&sent, &status("90", "10"), false),
            Reading::TooEarly
        ));
        assert!(matches!(
            read_registers(&sent, &status("90", "10"), true),
            Reading::NotApplied
        ));
        assert!(matches!(
            read_registers(&sent, &status("160", "0"), true),
            Reading::Unclear(_)
        ));
        // Never sent: not applied at once.
        let intent = recredit(RecreditState::Intent);
        assert!(matches!(
            read_registers(&intent, &status("100", "0"), false),
            Reading::NotApplied
        ));
    }
}
