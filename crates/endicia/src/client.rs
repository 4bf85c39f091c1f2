//! [`EndiciaClient`]: one method per ELS call the app makes, each answering typed values or an
//! [`EndiciaError`].

use std::str::FromStr;
use std::time::Duration;

use rust_decimal::Decimal;
use url::Url;

use crate::error::{ElsRefusal, EndiciaError};
use crate::secret::Secret;
use crate::wire::{self, Answer, CertifiedIntermediary};

/// Where the service is and who is calling.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The service root, ending in `EwsLabelService.asmx/` (the method name is appended).
    pub service_url: Url,
    /// The partner id Endicia issued to the integrating software.
    pub requester_id: String,
    pub timeout: Duration,
}

/// An account number and its pass phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub account_id: String,
    pub pass_phrase: Secret,
}

/// The account as ELS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountStatus {
    pub account_id: String,
    /// Prepaid postage left to spend.
    pub postage_balance: Decimal,
    /// Postage printed to date.
    pub ascending_balance: Decimal,
    /// `A` for active.
    pub status: String,
    /// The serial number of the last item the account created.
    pub serial_number: Option<u64>,
    pub device_id: Option<String>,
}

impl AccountStatus {
    /// Everything ever put into the account: balance + postage printed. Printing a label
    /// moves money from one register to the other, so only a purchase (or a refund credited
    /// back) changes this sum — which is how a purchase whose answer was lost is reconciled.
    pub fn funded_total(&self) -> Decimal {
        self.postage_balance + self.ascending_balance
    }

    pub fn is_active(&self) -> bool {
        self.status.eq_ignore_ascii_case("A")
    }
}

/// A postage purchase ELS accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recredit {
    pub account: AccountStatus,
    pub transaction_id: Option<String>,
}

pub struct EndiciaClient {
    http: reqwest::Client,
    config: ClientConfig,
}

/// Checks an amount the way ELS will, before anything is sent: at least $10.00, below
/// $100,000, at most two decimals. The account's own limits are checked by ELS.
pub fn validate_purchase_amount(amount: Decimal) -> Result<(), EndiciaError> {
    if amount.normalize().scale() > 2 {
        return Err(EndiciaError::Invalid(format!(
            "Postage is bought in dollars and cents: {amount} has more than two decimals."
        )));
    }
    if amount < Decimal::TEN {
        return Err(EndiciaError::Invalid(format!(
            "The smallest postage purchase is $10.00 (not ${amount})."
        )));
    }
    if amount >= Decimal::from(100_000) {
        return Err(EndiciaError::Invalid(
            "A postage purchase must be below $100,000.00.".into(),
        ));
    }
    Ok(())
}

/// Checks a new pass phrase against the rules ELS enforces on length (reuse of one of the last
/// four is only known to ELS).
pub fn validate_pass_phrase(new: &str) -> Result<(), EndiciaError> {
    let length = new.chars().count();
    if !(5..=64).contains(&length) {
        return Err(EndiciaError::Invalid(format!(
            "A pass phrase has 5 to 64 characters (this one has {length})."
        )));
    }
    if new.trim() != new {
        return Err(EndiciaError::Invalid(
            "A pass phrase cannot start or end with a space.".into(),
        ));
    }
    Ok(())
}

impl EndiciaClient {
    pub fn new(config: ClientConfig) -> Result<Self, EndiciaError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| EndiciaError::Unreachable(e.to_string()))?;
        Ok(Self { http, config })
    }

    pub fn service_url(&self) -> &Url {
        &self.config.service_url
    }

    /// The account's balance and status; spends nothing, so it is also the login check.
    pub async fn account_status(
        &self,
        credentials: &Credentials,
        request_id: &str,
    ) -> Result<AccountStatus, EndiciaError> {
        let body = wire::AccountStatusRequest {
            requester_id: &self.config.requester_id,
            request_id,
            credentials: ci(credentials),
        };
        let answer = self
            .call(
                "GetAccountStatusXML",
                "accountStatusRequestXML",
                "AccountStatusRequest",
                &body,
            )
            .await?;
        account_of(&answer)
    }

    /// Buys `amount` of postage. Not idempotent at ELS: on [`EndiciaError::AnswerLost`] the
    /// caller reconciles with [`EndiciaClient::account_status`] instead of buying again.
    pub async fn buy_postage(
        &self,
        credentials: &Credentials,
        amount: Decimal,
        request_id: &str,
    ) -> Result<Recredit, EndiciaError> {
        validate_purchase_amount(amount)?;
        let body = wire::RecreditRequest {
            requester_id: &self.config.requester_id,
            request_id,
            credentials: ci(credentials),
            amount: format!("{:.2}", amount),
        };
        let answer = self
            .call(
                "BuyPostageXML",
                "recreditRequestXML",
                "RecreditRequest",
                &body,
            )
            .await?;
        Ok(Recredit {
            account: account_of(&answer)?,
            transaction_id: answer.transaction_id.clone(),
        })
    }

    /// Replaces the pass phrase (the way out of a temporary one too). The old one stops
    /// working at once.
    pub async fn change_pass_phrase(
        &self,
        credentials: &Credentials,
        new_pass_phrase: &Secret,
        request_id: &str,
    ) -> Result<(), EndiciaError> {
        validate_pass_phrase(new_pass_phrase.expose())?;
        let body = wire::ChangePassPhraseRequest {
            requester_id: &self.config.requester_id,
            request_id,
            credentials: ci(credentials),
            new_pass_phrase: new_pass_phrase.expose(),
        };
        self.call(
            "ChangePassPhraseXML",
            "changePassPhraseRequestXML",
            "ChangePassPhraseRequest",
            &body,
        )
        .await?;
        Ok(())
    }

    /// The challenge question of an account suspended after wrong pass phrases.
    pub async fn challenge_question(
        &self,
        account_id: &str,
        email: &str,
        request_id: &str,
    ) -> Result<String, EndiciaError> {
        let body = wire::ChallengeQuestionRequest {
            requester_id: &self.config.requester_id,
            request_id,
            account_id,
            email,
        };
        let answer = self
            .call(
                "GetChallengeQuestionXML",
                "challengeQuestionRequestXML",
                "ChallengeQuestionRequest",
                &body,
            )
            .await?;
        answer
            .question
            .ok_or_else(|| EndiciaError::Malformed("no Question in the answer".into()))
    }

    /// Unlocks an account suspended after wrong pass phrases, with a new pass phrase.
    pub async fn reset_suspended_account(
        &self,
        account_id: &str,
        challenge_answer: &str,
        new_pass_phrase: &Secret,
        request_id: &str,
    ) -> Result<(), EndiciaError> {
        validate_pass_phrase(new_pass_phrase.expose())?;
        let body = wire::ResetSuspendedAccountRequest {
            requester_id: &self.config.requester_id,
            request_id,
            account_id,
            challenge_answer,
            new_pass_phrase: new_pass_phrase.expose(),
        };
        self.call(
            "ResetSuspendedAccountXML",
            "resetSuspendedAccountRequestXML",
            "ResetSuspendedAccountRequest",
            &body,
        )
        .await?;
        Ok(())
    }

    /// Posts `body` (serialized under `root`) in the form field `field` to `method`, and reads
    /// the answer's `Status`.
    async fn call<T: serde::Serialize>(
        &self,
        method: &str,
        field: &str,
        root: &str,
        body: &T,
    ) -> Result<Answer, EndiciaError> {
        let text = self.post(method, field, root, body).await?;
        let answer =
            wire::from_xml(&text).map_err(|e| EndiciaError::Malformed(format!("{method}: {e}")))?;
        check_status(
            method,
            answer.status.as_deref(),
            answer.error_message.as_deref(),
        )?;
        Ok(answer)
    }

    /// Posts `body` and returns the answer's text (any HTTP 200 body).
    pub(crate) async fn post<T: serde::Serialize>(
        &self,
        method: &str,
        field: &str,
        root: &str,
        body: &T,
    ) -> Result<String, EndiciaError> {
        let xml = wire::to_xml(root, body).map_err(EndiciaError::Invalid)?;
        let url = self
            .config
            .service_url
            .join(method)
            .map_err(|e| EndiciaError::Invalid(e.to_string()))?;
        let response = self
            .http
            .post(url)
            .form(&[(field, xml.as_str())])
            .send()
            .await
            .map_err(lost_or_unreachable)?;
        let status = response.status();
        let text = response.text().await.map_err(lost_or_unreachable)?;
        if !status.is_success() {
            // Not an ELS answer: whether the request was applied is unknown.
            return Err(EndiciaError::AnswerLost(format!(
                "HTTP {status} from {method}"
            )));
        }
        Ok(text)
    }

    pub(crate) fn requester_id(&self) -> &str {
        &self.config.requester_id
    }
}

/// `Status` 0 is success; anything else is ELS's refusal with its message.
pub(crate) fn check_status(
    method: &str,
    status: Option<&str>,
    message: Option<&str>,
) -> Result<(), EndiciaError> {
    let code = status
        .map(str::trim)
        .ok_or_else(|| EndiciaError::Malformed(format!("{method}: no Status")))?;
    let code: u32 = code
        .parse()
        .map_err(|_| EndiciaError::Malformed(format!("{method}: Status {code}")))?;
    if code != 0 {
        tracing::warn!(method, code, "Endicia refused a request");
        return Err(EndiciaError::Refused(ElsRefusal::new(
            code,
            message.unwrap_or(""),
        )));
    }
    Ok(())
}

pub(crate) fn ci(credentials: &Credentials) -> CertifiedIntermediary<'_> {
    CertifiedIntermediary {
        account_id: &credentials.account_id,
        pass_phrase: credentials.pass_phrase.expose(),
    }
}

/// A connection that never opened sent nothing; anything later may have been applied.
fn lost_or_unreachable(e: reqwest::Error) -> EndiciaError {
    if e.is_connect() {
        EndiciaError::Unreachable(e.to_string())
    } else {
        EndiciaError::AnswerLost(e.to_string())
    }
}

pub(crate) fn decimal(field: &str, value: Option<&String>) -> Result<Decimal, EndiciaError> {
    let text = value
        .map(|v| v.trim())
        .ok_or_else(|| EndiciaError::Malformed(format!("no {field} in the answer")))?;
    Decimal::from_str(text)
        .map_err(|_| EndiciaError::Malformed(format!("{field} is not an amount: {text}")))
}

fn account_of(answer: &Answer) -> Result<AccountStatus, EndiciaError> {
    let block = answer
        .account
        .as_ref()
        .ok_or_else(|| EndiciaError::Malformed("no CertifiedIntermediary in the answer".into()))?;
    Ok(AccountStatus {
        account_id: block.account_id.clone().unwrap_or_default(),
        postage_balance: decimal("PostageBalance", block.postage_balance.as_ref())?,
        ascending_balance: decimal("AscendingBalance", block.ascending_balance.as_ref())?,
        status: block.account_status.clone().unwrap_or_default(),
        serial_number: block
            .serial_number
            .as_deref()
            .and_then(|s| s.trim().parse().ok()),
        device_id: block.device_id.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_checked_before_sending() {
        assert!(validate_purchase_amount(Decimal::new(1000, 2)).is_ok());
        assert!(validate_purchase_amount(Decimal::new(999, 2)).is_err());
        assert!(validate_purchase_amount(Decimal::new(10001, 3)).is_err());
        assert!(validate_purchase_amount(Decimal::new(100_000, 0)).is_err());
        assert!(validate_purchase_amount(Decimal::new(9_999_999, 2)).is_ok());
        // Trailing zeros are not extra decimals.
        assert!(validate_purchase_amount(Decimal::new(25_000, 3)).is_ok());
    }

    #[test]
    fn pass_phrases_have_five_to_sixty_four_characters() {
        assert!(validate_pass_phrase("abcd").is_err());
        assert!(validate_pass_phrase("abcde").is_ok());
        assert!(validate_pass_phrase(&"x".repeat(64)).is_ok());
        assert!(validate_pass_phrase(&"x".repeat(65)).is_err());
        assert!(validate_pass_phrase(" abcdef").is_err());
    }
}
