//! The account calls that move no money: the status check a desktop app uses as its "log in",
//! the pass-phrase change (also the way out of a temporary pass phrase), and the two-step
//! recovery from a lock-out (challenge question, then reset with the answer).

use uuid::Uuid;

use crate::auth;
use crate::state::{AccountRecord, Ctx};
use crate::wire::{Doc, EwsError, Node, echo, flag_or, money};

/// The `CertifiedIntermediary` block of status and purchase answers.
pub fn ci_block(doc: &mut Doc, acct: &AccountRecord) {
    doc.open("CertifiedIntermediary", &[])
        .leaf("AccountID", &acct.account_id)
        .leaf("SerialNumber", acct.piece_count)
        .leaf("PostageBalance", money(acct.balance))
        .leaf("AscendingBalance", money(acct.ascending))
        .leaf("AccountStatus", "A")
        .leaf("DeviceID", acct.device_id())
        .close();
}

/// GetAccountStatusXML. `@ResponseVersion` is accepted and ignored (its effect is unknown).
pub fn status(ctx: &mut Ctx<'_>, req: &Node) -> Result<String, EwsError> {
    req.required("RequesterID")?;
    let id = auth::authenticate(ctx, auth::intermediary(req)?, false)?;
    let mut doc = Doc::new("AccountStatusResponse");
    doc.leaf("Status", 0);
    echo(&mut doc, req);
    ci_block(&mut doc, ctx.account(&id));
    Ok(doc.finish())
}

/// A new pass phrase: 5–64 characters (1001 otherwise; the real code is unknown, 1001 is the
/// likely one).
fn check_length(new: &str) -> Result<(), EwsError> {
    let n = new.chars().count();
    if (5..=64).contains(&n) {
        Ok(())
    } else {
        Err(EwsError::element("NewPassPhrase"))
    }
}

/// "Must differ from the last four." Whether the current one counts among the four is unknown;
/// conservatively it does: the current pass phrase and the three before it are refused.
fn check_reuse(acct: &AccountRecord, new: &str) -> Result<(), EwsError> {
    let recent = acct.history.iter().rev().take(3);
    if acct.pass_phrase == new || recent.into_iter().any(|p| p == new) {
        Err(EwsError::code(12669))
    } else {
        Ok(())
    }
}

fn new_pass_phrase(req: &Node) -> Result<&str, EwsError> {
    // Untrimmed: spaces are part of a pass phrase.
    let new = req
        .child("NewPassPhrase")
        .map(|c| c.text.as_str())
        .ok_or_else(|| EwsError::element("NewPassPhrase"))?;
    check_length(new)?;
    Ok(new)
}

fn token_requested(req: &Node) -> Result<bool, EwsError> {
    flag_or(req.attr("TokenRequested"), false, "TokenRequested")
}

/// Issues a token for the account (valid until the next pass-phrase change).
fn issue_token(acct: &mut AccountRecord) -> String {
    let token = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
    acct.tokens.push(token.clone());
    token
}

/// ChangePassPhraseXML: allowed while the pass phrase is temporary.
pub fn change(ctx: &mut Ctx<'_>, req: &Node) -> Result<String, EwsError> {
    req.required("RequesterID")?;
    let want_token = token_requested(req)?;
    let id = auth::authenticate(ctx, auth::intermediary(req)?, true)?;
    let new = new_pass_phrase(req)?;
    let acct = ctx.account(&id);
    check_reuse(acct, new)?;
    acct.set_pass_phrase(new);
    let token = want_token.then(|| issue_token(acct));
    ctx.dirty = true;
    let mut doc = Doc::new("ChangePassPhraseRequestResponse");
    doc.leaf("Status", 0);
    echo(&mut doc, req);
    doc.leaf_opt("Token", token.as_deref());
    Ok(doc.finish())
}

fn lookup<'a>(ctx: &'a mut Ctx<'_>, req: &Node) -> Result<&'a mut AccountRecord, EwsError> {
    let id = req.required("AccountID")?;
    ctx.d
        .accounts
        .get_mut(id)
        .ok_or_else(|| EwsError::code(12101))
}

/// GetChallengeQuestionXML. Answered in any account state: the question alone gives nothing
/// away once the e-mail on file is known (the guide only says the pair is meant for suspended
/// accounts; ResetSuspendedAccount enforces that).
pub fn challenge_question(ctx: &mut Ctx<'_>, req: &Node) -> Result<String, EwsError> {
    req.required("RequesterID")?;
    let email = req.required("EMail")?.to_owned();
    let acct = lookup(ctx, req)?;
    if !acct.email.trim().eq_ignore_ascii_case(&email) {
        return Err(EwsError::code(12508));
    }
    let mut doc = Doc::new("ChallengeQuestionResponse");
    doc.leaf("Status", 0);
    echo(&mut doc, req);
    doc.leaf("Question", &acct.challenge_question);
    Ok(doc.finish())
}

/// ResetSuspendedAccountXML: only for an account suspended for bad logins. Any other account
/// gets `2010 InvalidAccountStatus` (the guide names no code for this; 2010 is the generic
/// "status does not allow it"). The number of answer attempts allowed is unknown; the simulator
/// does not limit it.
pub fn reset(ctx: &mut Ctx<'_>, req: &Node) -> Result<String, EwsError> {
    req.required("RequesterID")?;
    let want_token = token_requested(req)?;
    let answer = req.required("ChallengeAnswer")?.to_owned();
    let new = new_pass_phrase(req)?;
    let acct = lookup(ctx, req)?;
    if !acct.suspended {
        return Err(EwsError::new(
            2010,
            "The account is not suspended for bad logins; use ChangePassPhrase.",
        ));
    }
    if !acct.challenge_answer.trim().eq_ignore_ascii_case(&answer) {
        return Err(EwsError::code(12509));
    }
    check_reuse(acct, new)?;
    acct.set_pass_phrase(new);
    acct.suspended = false;
    acct.bad_attempts = 0;
    let token = want_token.then(|| issue_token(acct));
    ctx.dirty = true;
    let mut doc = Doc::new("ResetSuspendedAccountRequestResponse");
    doc.leaf("Status", 0);
    echo(&mut doc, req);
    doc.leaf_opt("Token", token.as_deref());
    Ok(doc.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuse_covers_current_and_three_before() {
        let mut a = AccountRecord::from_config(&crate::demo_account());
        for p in ["one11", "two22", "three", "four4"] {
            a.set_pass_phrase(p);
        }
        // history: demo, one11, two22, three; current four4
        assert!(check_reuse(&a, "four4").is_err());
        assert!(check_reuse(&a, "three").is_err());
        assert!(check_reuse(&a, "one11").is_err());
        assert!(check_reuse(&a, crate::DEMO_PASS_PHRASE).is_ok());
        assert!(check_length("abcd").is_err());
        assert!(check_length(&"x".repeat(65)).is_err());
        assert!(check_length("abcde").is_ok());
    }
}
