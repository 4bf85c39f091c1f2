//! Who is calling: credentials from a `CertifiedIntermediary` block or flat under the root
//! (LabelRequest), or a token, checked in one fixed order so every method locks out, suspends
//! and demands a pass-phrase reset the same way.
//!
//! Order: unknown account 12101 → suspended for bad logins 2012 (before the pass phrase is
//! looked at, so a suspended account stays suspended even with the right one) → wrong pass
//! phrase 12507 (the fifth in a row suspends) → temporary pass phrase 2011 (except on
//! ChangePassPhrase).

use crate::state::{Ctx, SUSPEND_AFTER};
use crate::wire::{EwsError, Node};

/// Credentials as sent; blank elements count as absent.
#[derive(Debug, Clone, Copy, Default)]
pub struct Creds<'a> {
    pub account_id: Option<&'a str>,
    pub pass_phrase: Option<&'a str>,
    pub token: Option<&'a str>,
}

/// Reads the `CertifiedIntermediary` block (1001 when it is missing).
pub fn intermediary(req: &Node) -> Result<Creds<'_>, EwsError> {
    let ci = req
        .child("CertifiedIntermediary")
        .ok_or_else(|| EwsError::element("CertifiedIntermediary"))?;
    Ok(flat(ci))
}

/// Reads `AccountID`, `PassPhrase` and `Token` directly under `node`.
pub fn flat(node: &Node) -> Creds<'_> {
    Creds {
        account_id: node.text_of("AccountID"),
        // A pass phrase may legitimately start or end with a space: use it untrimmed.
        pass_phrase: node
            .child("PassPhrase")
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty()),
        token: node.text_of("Token"),
    }
}

/// Checks the credentials and returns the account ID. A wrong pass phrase is counted (and may
/// suspend the account) even though the call fails, so the caller must persist on error too;
/// `ctx.dirty` says so.
pub fn authenticate(
    ctx: &mut Ctx<'_>,
    creds: Creds<'_>,
    allow_temporary: bool,
) -> Result<String, EwsError> {
    let id = match creds.token {
        Some(token) => by_token(ctx, creds, token)?,
        None => by_pass_phrase(ctx, creds)?,
    };
    let acct = ctx.account(&id);
    if acct.temporary && !allow_temporary {
        return Err(EwsError::code(2011));
    }
    Ok(id)
}

fn by_pass_phrase(ctx: &mut Ctx<'_>, creds: Creds<'_>) -> Result<String, EwsError> {
    let id = creds
        .account_id
        .ok_or_else(|| EwsError::element("AccountID"))?;
    let given = creds
        .pass_phrase
        .ok_or_else(|| EwsError::element("PassPhrase"))?;
    let acct = ctx
        .d
        .accounts
        .get_mut(id)
        .ok_or_else(|| EwsError::code(12101))?;
    if acct.suspended {
        return Err(EwsError::code(2012));
    }
    if acct.pass_phrase != given {
        acct.bad_attempts += 1;
        if acct.bad_attempts >= SUSPEND_AFTER {
            acct.suspended = true;
        }
        ctx.dirty = true;
        return Err(EwsError::code(12507));
    }
    // When the counter resets is unknown; we reset it on every correct pass phrase, so only
    // five wrong ones *in a row* suspend.
    if acct.bad_attempts != 0 {
        acct.bad_attempts = 0;
        ctx.dirty = true;
    }
    Ok(id.to_owned())
}

/// Token lifetime is undocumented. Conservative choice: a token works on every method until the
/// pass phrase changes (change or reset), then it is refused like a wrong pass phrase (12507,
/// without counting a bad attempt: the token names no pass phrase to be wrong about).
fn by_token(ctx: &mut Ctx<'_>, creds: Creds<'_>, token: &str) -> Result<String, EwsError> {
    let owner = ctx
        .d
        .accounts
        .values()
        .find(|a| a.tokens.iter().any(|t| t == token))
        .map(|a| a.account_id.clone());
    let id = match (owner, creds.account_id) {
        (Some(owner), Some(id)) if owner != id => None,
        (owner, _) => owner,
    }
    .ok_or_else(|| EwsError::new(12507, "The token is not valid for this account."))?;
    if ctx.account(&id).suspended {
        return Err(EwsError::code(2012));
    }
    Ok(id)
}
