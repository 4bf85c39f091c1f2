//! Endicia's answers as the app's errors: the one mapping every Endicia call goes through.

use endicia::{ElsErrorKind, EndiciaError};

use crate::error::{AppError, ErrorCode};

/// `field` names the form input a refusal is about, when the call has one (the amount, the new
/// pass phrase): the form shows the message beside it.
pub(crate) fn app_error(error: &EndiciaError, field: Option<&str>) -> AppError {
    match error {
        EndiciaError::Refused(refusal) => {
            use ElsErrorKind::*;
            let message = refusal.message.clone();
            match refusal.kind {
                WrongPassPhrase => AppError::new(
                    ErrorCode::EndiciaLoginRequired,
                    "Endicia does not accept this pass phrase. Check it and log in again \
                     (after five wrong tries Endicia suspends the account).",
                ),
                AccountNotFound => {
                    field_error([("account_number", "Endicia has no account with this number.")])
                }
                PassPhraseResetNeeded => AppError::new(
                    ErrorCode::EndiciaLoginRequired,
                    "This account still has its temporary pass phrase: change it (Change Pass \
                     Phrase) before logging in.",
                ),
                SuspendedBadLogins => AppError::new(
                    ErrorCode::EndiciaLoginRequired,
                    "Endicia suspended this account after wrong pass phrases. Unlock it with \
                     your challenge question and a new pass phrase.",
                ),
                Suspended | AccountInactive => AppError::new(
                    ErrorCode::EndiciaRefused,
                    format!(
                        "{message} Only Endicia can reactivate the account: contact Endicia support."
                    ),
                ),
                PassPhraseReused => field_error([(
                    field.unwrap_or("new_pass_phrase"),
                    "Choose a pass phrase you have not used for this account recently (not one of the last four).",
                )]),
                IncorrectEmail => field_error([(
                    "email",
                    "This is not the e-mail address Endicia has on file.",
                )]),
                IncorrectChallengeAnswer => field_error([(
                    "challenge_answer",
                    "The answer to the challenge question is wrong.",
                )]),
                PurchaseTooLow | PurchaseTooHigh | InvalidAmount => field_error([(
                    field.unwrap_or("amount"),
                    match refusal.kind {
                        PurchaseTooLow => "The smallest postage purchase is $10.00.".to_owned(),
                        PurchaseTooHigh => format!(
                            "{message} The amount is above this account's purchase limit or would \
                             take the balance above its maximum; Endicia raises limits on request."
                        ),
                        _ => message.clone(),
                    },
                )]),
                InvalidRequest => match field {
                    Some(field) => field_error([(field, message)]),
                    None => AppError::new(ErrorCode::EndiciaRefused, message),
                },
                AccountBusy => AppError::new(
                    ErrorCode::EndiciaUnavailable,
                    "Endicia is busy with another transaction on this account. Try again in a moment.",
                ),
                ServerError => AppError::new(
                    ErrorCode::EndiciaUnavailable,
                    format!("Endicia had a problem on its side ({message}). Try again later."),
                ),
                InsufficientFunds => AppError::new(
                    ErrorCode::EndiciaRefused,
                    "There is not enough postage in the Endicia account: buy postage first.",
                ),
                PaymentRefused | ReplayDetected | Other => AppError::new(
                    ErrorCode::EndiciaRefused,
                    format!("Endicia refused: {refusal}"),
                ),
            }
        }
        EndiciaError::Invalid(message) => match field {
            Some(field) => field_error([(field, message.clone())]),
            None => AppError::validation(message.clone()),
        },
        EndiciaError::Unreachable(cause) => AppError::new(
            ErrorCode::EndiciaUnavailable,
            format!("Endicia could not be reached ({cause}). Check the internet connection."),
        ),
        EndiciaError::AnswerLost(cause) | EndiciaError::Malformed(cause) => AppError::new(
            ErrorCode::EndiciaUnavailable,
            format!("Endicia did not answer properly ({cause}). Try again."),
        ),
    }
}

/// A VALIDATION error about one form field, its message shown beside the input.
pub(crate) fn field_error(problems: [(&str, impl Into<String>); 1]) -> AppError {
    let [(field, message)] = problems;
    let message: String = message.into();
    AppError::invalid_fields(message.clone(), [(field, message)])
}

/// Whether the saved login is dead (the session must be dropped and the user log in again).
pub(crate) fn needs_login(error: &EndiciaError) -> bool {
    error.kind().is_some_and(ElsErrorKind::needs_login)
}
