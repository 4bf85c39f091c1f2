//! ELS's error codes as kinds the app can act on, and the client's errors.
//!
//! ELS answers HTTP 200 with a `Status` code for every business outcome; the kinds below group
//! the documented codes by what the user can do about them. A code not listed is
//! [`ElsErrorKind::Other`] and keeps its number and message.

use std::fmt;

/// What went wrong, by what the user can do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElsErrorKind {
    /// 12507: the pass phrase is wrong (each wrong try counts toward suspension).
    WrongPassPhrase,
    /// 12101: no account with this number.
    AccountNotFound,
    /// 2011: the temporary pass phrase must be changed before anything else.
    PassPhraseResetNeeded,
    /// 2012: suspended after repeated wrong pass phrases; unlock with the challenge question.
    SuspendedBadLogins,
    /// 2013, 12525: suspended by Endicia (billing, for cause); only Endicia can lift it.
    Suspended,
    /// 2010, 2014, 2015, 12103: inactive, closing or closed.
    AccountInactive,
    /// 12669: the new pass phrase is one of the last four.
    PassPhraseReused,
    /// 12508: the e-mail address is not the one on file.
    IncorrectEmail,
    /// 12509: the challenge answer is wrong.
    IncorrectChallengeAnswer,
    /// 12001, 12118: the purchase is below the minimum ($10).
    PurchaseTooLow,
    /// 12119: above the account's purchase limit or balance ceiling.
    PurchaseTooHigh,
    /// 1020: not a valid amount (≤ 0 or ≥ $100,000).
    InvalidAmount,
    /// 12116–12132 (card and purchase failures): the funding method was refused.
    PaymentRefused,
    /// 12104, 12503: not enough postage in the account.
    InsufficientFunds,
    /// 12133, 12136: another transaction holds the account; try again shortly.
    AccountBusy,
    /// 12514: ELS saw a duplicate request for postage.
    ReplayDetected,
    /// 1001, 1002, 12201: the request was missing or had an invalid element.
    InvalidRequest,
    /// 101, 102, 12100, 12124, 12125, 12130, 100002: an error on Endicia's side.
    ServerError,
    Other,
}

impl ElsErrorKind {
    pub fn from_code(code: u32) -> Self {
        use ElsErrorKind::*;
        match code {
            12507 => WrongPassPhrase,
            12101 => AccountNotFound,
            2011 => PassPhraseResetNeeded,
            2012 => SuspendedBadLogins,
            2013 | 12525 => Suspended,
            2010 | 2014 | 2015 | 12103 => AccountInactive,
            12669 => PassPhraseReused,
            12508 => IncorrectEmail,
            12509 => IncorrectChallengeAnswer,
            12001 | 12118 => PurchaseTooLow,
            12119 => PurchaseTooHigh,
            1020 => InvalidAmount,
            12104 | 12503 => InsufficientFunds,
            12133 | 12136 => AccountBusy,
            12514 => ReplayDetected,
            1001 | 1002 | 12201 => InvalidRequest,
            12116 | 12117 | 12120 | 12121 | 12128 | 12129 | 12131 | 12132 => PaymentRefused,
            101 | 102 | 12100 | 12124 | 12125 | 12130 | 100002 => ServerError,
            _ => Other,
        }
    }

    /// The credentials no longer work: the user must log in again (or unlock the account).
    pub fn needs_login(self) -> bool {
        matches!(
            self,
            Self::WrongPassPhrase | Self::PassPhraseResetNeeded | Self::SuspendedBadLogins
        )
    }
}

/// ELS refused a request: its code, the kind, and its message without the log reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElsRefusal {
    pub code: u32,
    pub kind: ElsErrorKind,
    pub message: String,
}

impl ElsRefusal {
    pub fn new(code: u32, message: &str) -> Self {
        Self {
            code,
            kind: ElsErrorKind::from_code(code),
            message: without_log_reference(message),
        }
    }
}

impl fmt::Display for ElsRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (Endicia error {})", self.message, self.code)
    }
}

/// Cuts " Error encountered (Log ID: 45220)" off a message.
fn without_log_reference(message: &str) -> String {
    let trimmed = message.trim();
    match trimmed.find("Error encountered (Log ID") {
        Some(at) => trimmed[..at].trim_end().to_owned(),
        None => trimmed.to_owned(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EndiciaError {
    #[error("{0}")]
    Refused(ElsRefusal),
    /// The request may have reached Endicia and been applied: its answer never came back
    /// (timeout, connection dropped). Never resend a purchase on this; reconcile it.
    #[error("Endicia's answer was lost: {0}")]
    AnswerLost(String),
    /// The request could not be sent at all (no connection): nothing was applied.
    #[error("Endicia could not be reached: {0}")]
    Unreachable(String),
    /// An answer that is not an ELS answer (HTTP error, not XML, no Status).
    #[error("Endicia answered something unexpected: {0}")]
    Malformed(String),
    /// Refused before sending: the value breaks a rule ELS enforces.
    #[error("{0}")]
    Invalid(String),
}

impl EndiciaError {
    pub fn refusal(&self) -> Option<&ElsRefusal> {
        match self {
            Self::Refused(r) => Some(r),
            _ => None,
        }
    }

    pub fn kind(&self) -> Option<ElsErrorKind> {
        self.refusal().map(|r| r.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_reference_is_cut_off() {
        let r = ElsRefusal::new(
            12118,
            "The purchase amount is too low. Error encountered (Log ID: 45220)",
        );
        assert_eq!(r.message, "The purchase amount is too low.");
        assert_eq!(r.kind, ElsErrorKind::PurchaseTooLow);
        assert_eq!(
            ElsRefusal::new(1, "  plain  ").message,
            "plain",
            "a message without one stays"
        );
    }

    #[test]
    fn codes_map_to_what_the_user_can_do() {
        assert!(ElsErrorKind::from_code(12507).needs_login());
        assert!(ElsErrorKind::from_code(2012).needs_login());
        assert!(!ElsErrorKind::from_code(12119).needs_login());
        assert_eq!(ElsErrorKind::from_code(12525), ElsErrorKind::Suspended);
        assert_eq!(
            ElsErrorKind::from_code(12503),
            ElsErrorKind::InsufficientFunds
        );
        assert_eq!(ElsErrorKind::from_code(4242), ElsErrorKind::Other);
    }
}
