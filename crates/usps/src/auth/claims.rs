//! Reading (not verifying) the claims of a USPS access token.
//!
//! We are not the resource server, so the signature is not checked; the claims only help the app
//! prefill an account (CRID, MIDs, EPS accounts) and tell "product missing" from "token stale".
//! Several claims are JSON encoded *inside* a string (`mail_owners`, `payment_accounts`,
//! `contracts`) and lists inside those are comma-separated strings; both shapes are accepted.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use time::OffsetDateTime;

use crate::auth::oauth::split_scopes;
use crate::operation::Api;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenClaims {
    pub subject: Option<String>,
    /// `azp`: the client id the token was issued to.
    pub authorized_party: Option<String>,
    pub crid: Option<String>,
    pub scopes: Vec<String>,
    pub mail_owners: Vec<MailOwner>,
    /// EPS accounts from `payment_accounts`.
    pub payment_accounts: Vec<String>,
    /// Accounts and permits from `contracts`.
    pub contract_accounts: Vec<String>,
    pub permits: Vec<String>,
    pub issuer: Option<String>,
    pub issued_at: Option<OffsetDateTime>,
    pub expires_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MailOwner {
    pub crid: String,
    pub mids: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ClaimsError {
    #[error("not a JWT (expected three dot-separated parts)")]
    NotAJwt,
    #[error("JWT payload is not base64url JSON")]
    BadPayload,
}

impl TokenClaims {
    /// Whether the token's scopes include one of the names that grant `api`.
    pub fn grants(&self, api: Api) -> bool {
        api.scopes().is_empty()
            || api
                .scopes()
                .iter()
                .any(|s| self.scopes.iter().any(|have| have == s))
    }

    /// Whether any business identity is tied to the token (COP linking done).
    pub fn is_linked_to_business(&self) -> bool {
        self.crid.is_some() || !self.mail_owners.is_empty() || !self.payment_accounts.is_empty()
    }

    /// All MIDs of all mail owners, in claim order.
    pub fn mids(&self) -> Vec<String> {
        self.mail_owners
            .iter()
            .flat_map(|o| o.mids.iter().cloned())
            .collect()
    }
}

/// Decode the payload of a compact JWT.
pub fn decode_claims(jwt: &str) -> Result<TokenClaims, ClaimsError> {
    let mut parts = jwt.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ClaimsError::NotAJwt);
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| ClaimsError::BadPayload)?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| ClaimsError::BadPayload)?;
    Ok(claims_from(&value))
}

fn claims_from(value: &Value) -> TokenClaims {
    let scopes = match value.get("scope") {
        Some(Value::String(s)) => split_scopes(s),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let contracts = nested(value.get("contracts"));
    TokenClaims {
        subject: string(value.get("sub")),
        authorized_party: string(value.get("azp")),
        crid: string(value.get("crid")).filter(|s| !s.is_empty()),
        scopes,
        mail_owners: mail_owners(&nested(value.get("mail_owners"))),
        payment_accounts: list(nested(value.get("payment_accounts")).get("accounts")),
        contract_accounts: list(
            contracts
                .get("paymentAccounts")
                .and_then(|p| p.get("accounts")),
        ),
        permits: list(contracts.get("permits").and_then(|p| p.get("permits"))),
        issuer: string(value.get("iss")),
        issued_at: epoch(value.get("iat")),
        expires_at: epoch(value.get("exp")),
    }
}

/// A claim that may be JSON inside a string, plain JSON, or an empty string.
fn nested(value: Option<&Value>) -> Value {
    match value {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            serde_json::from_str(s).unwrap_or(Value::Null)
        }
        Some(Value::String(_)) | None => Value::Null,
        Some(other) => other.clone(),
    }
}

fn mail_owners(value: &Value) -> Vec<MailOwner> {
    let owners = match value {
        Value::Array(items) => items.clone(),
        Value::Object(_) => vec![value.clone()],
        _ => Vec::new(),
    };
    owners
        .iter()
        .filter_map(|o| {
            Some(MailOwner {
                crid: string(o.get("crid"))?,
                mids: list(o.get("mids")),
            })
        })
        .collect()
}

/// `"a, b, c"` or `["a","b"]` into a list.
fn list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(Value::Array(items)) => items.iter().filter_map(|v| string(Some(v))).collect(),
        _ => Vec::new(),
    }
}

fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn epoch(value: Option<&Value>) -> Option<OffsetDateTime> {
    let seconds = match value? {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    OffsetDateTime::from_unix_timestamp(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn jwt(payload: &Value) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"kid":"k1","typ":"JWT","alg":"RS256"}"#);
        let body = URL_SAFE_NO_PAD.encode(payload.to_string());
        format!("{header}.{body}.c2lnbmF0dXJl")
    }

    #[test]
    fn decodes_string_encoded_business_claims() {
        let payload = serde_json::json!({
            "sub": "1234567", "sub_id": "1234567", "crid": "56982563", "azp": "CK123",
            "scope": "addresses domestic-prices labels payments scan-forms pickup tracking",
            "mail_owners": "[{\"crid\":\"56982563\",\"mids\":\"904128936, 904128937\"}]",
            "payment_accounts": "{\"accounts\":\"1000405525\"}",
            "contracts": "{\"paymentAccounts\":{\"accounts\":\"1000405525\"},\"permits\":{\"permits\":\"3008, 3009\"}}",
            "organization_id": "99", "fast": "", "iss": "https://keyc.usps.com/realms/USPS",
            "iat": 1755725196, "exp": 1755753996, "jti": "0f0c2b3e-1"
        });
        let claims = decode_claims(&jwt(&payload)).unwrap();
        assert_eq!(claims.crid.as_deref(), Some("56982563"));
        assert_eq!(
            claims.mail_owners,
            vec![MailOwner {
                crid: "56982563".into(),
                mids: vec!["904128936".into(), "904128937".into()]
            }]
        );
        assert_eq!(claims.mids(), vec!["904128936", "904128937"]);
        assert_eq!(claims.payment_accounts, vec!["1000405525"]);
        assert_eq!(claims.permits, vec!["3008", "3009"]);
        assert_eq!(claims.contract_accounts, vec!["1000405525"]);
        assert_eq!(
            claims.expires_at.unwrap().unix_timestamp()
                - claims.issued_at.unwrap().unix_timestamp(),
            28800
        );
        assert!(
            claims.grants(Api::Labels)
                && claims.grants(Api::Prices)
                && claims.grants(Api::CarrierPickup)
        );
        assert!(!claims.grants(Api::Tracking) || claims.scopes.contains(&"tracking".to_owned()));
        assert!(claims.is_linked_to_business());
    }

    #[test]
    fn public_access_token_is_not_linked_and_lacks_labels() {
        let payload = serde_json::json!({
            "azp": "CK123", "scope": "addresses domestic-prices", "aud": "addresses domestic-prices",
            "mail_owners": "", "payment_accounts": "", "contracts": "", "iat": "1755725196", "exp": "1755753996"
        });
        let claims = decode_claims(&jwt(&payload)).unwrap();
        assert!(!claims.is_linked_to_business());
        assert!(!claims.grants(Api::Labels));
        assert!(claims.grants(Api::Addresses));
        assert!(claims.expires_at.is_some());
    }

    #[test]
    fn rejects_what_is_not_a_jwt() {
        assert_eq!(decode_claims("opaque-token"), Err(ClaimsError::NotAJwt));
        assert_eq!(decode_claims("a.%%%.c"), Err(ClaimsError::BadPayload));
    }
}
