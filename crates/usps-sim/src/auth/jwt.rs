//! RS256 signing of access tokens and payment authorization tokens.
//!
//! USPS tokens are RS256 JWTs whose claims tie them to the business (CRID, MIDs, EPS accounts)
//! with several structured claims JSON-encoded inside strings (docs/usps.md#oauth). The key
//! pair is generated from the scenario seed (reproducible) unless the state file carries one;
//! key generation is slow, so keys are cached per seed for the life of the process.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rsa::RsaPrivateKey;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::state::records::Business;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("RSA key: {0}")]
    Rsa(String),
    #[error("JWT key: {0}")]
    Jwt(#[from] jsonwebtoken::errors::Error),
}

/// The simulator's signing key pair.
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    pub kid: String,
    pub private_pem: String,
    pub public_pem: String,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn seed_cache() -> &'static Mutex<HashMap<u64, Arc<Keys>>> {
    static CACHE: OnceLock<Mutex<HashMap<u64, Arc<Keys>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

impl Keys {
    /// The key pair for a seed (generated once per process).
    pub fn for_seed(seed: u64) -> Result<Arc<Keys>, KeyError> {
        if let Some(k) = seed_cache().lock().expect("key cache").get(&seed) {
            return Ok(k.clone());
        }
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let private =
            RsaPrivateKey::new(&mut rng, 2048).map_err(|e| KeyError::Rsa(e.to_string()))?;
        let keys = Arc::new(Keys::from_private(&private)?);
        seed_cache()
            .lock()
            .expect("key cache")
            .insert(seed, keys.clone());
        Ok(keys)
    }

    /// Restores a key pair from a PKCS#1 PEM (from the state file).
    pub fn from_pem(pem: &str) -> Result<Keys, KeyError> {
        let private =
            RsaPrivateKey::from_pkcs1_pem(pem).map_err(|e| KeyError::Rsa(e.to_string()))?;
        Keys::from_private(&private)
    }

    fn from_private(private: &RsaPrivateKey) -> Result<Keys, KeyError> {
        let private_pem = private
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|e| KeyError::Rsa(e.to_string()))?
            .to_string();
        let public_pem = private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| KeyError::Rsa(e.to_string()))?;
        let kid = crate::ids::sha256_hex(public_pem.as_bytes())[..16].to_string();
        Ok(Keys {
            encoding: EncodingKey::from_rsa_pem(private_pem.as_bytes())?,
            decoding: DecodingKey::from_rsa_pem(public_pem.as_bytes())?,
            kid,
            private_pem,
            public_pem,
        })
    }

    /// `public_key` as token responses carry it: base64 of the PEM.
    pub fn public_key_b64(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(self.public_pem.as_bytes())
    }

    pub fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        header.typ = Some("JWT".into());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .expect("RS256 signing with a valid key cannot fail")
    }

    /// Verifies the signature and returns the claims. Expiry is judged by the caller from its
    /// own records, so an expired token can be told apart from a forged one.
    pub fn verify(&self, token: &str) -> Option<Value> {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        jsonwebtoken::decode::<Value>(token, &self.decoding, &validation)
            .ok()
            .map(|d| d.claims)
    }
}

/// What goes into an access token.
pub struct AccessClaims<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub subject: &'a str,
    pub scope: &'a str,
    pub business: Option<&'a Business>,
    pub issued_s: u64,
    pub expires_s: u64,
    pub jti: &'a str,
}

#[derive(Serialize, Deserialize)]
struct MailOwner<'a> {
    crid: &'a str,
    mids: String,
}

impl AccessClaims<'_> {
    pub fn to_json(&self) -> Value {
        let (crid, mail_owners, payment_accounts, contracts) = match self.business {
            Some(b) => {
                let mut mids = b.mids.clone();
                if let Some(m) = &b.manifest_mid
                    && !mids.contains(m)
                {
                    mids.push(m.clone());
                }
                let owners = serde_json::to_string(&[MailOwner {
                    crid: &b.crid,
                    mids: mids.join(", "),
                }])
                .expect("serialisable");
                let accounts = json!({ "accounts": b.eps_accounts.join(", ") }).to_string();
                // Only a business that holds a contract has contract payment accounts.
                let contract_accounts = if b.contract.is_some() {
                    b.eps_accounts.join(", ")
                } else {
                    String::new()
                };
                let contracts = json!({
                    "paymentAccounts": { "accounts": contract_accounts },
                    "permits": { "permits": "" },
                })
                .to_string();
                (b.crid.clone(), owners, accounts, contracts)
            }
            None => Default::default(),
        };
        json!({
            "sub": self.subject,
            "sub_id": self.subject,
            "crid": crid,
            "azp": self.client_id,
            "aud": self.scope,
            "scope": self.scope,
            "mail_owners": mail_owners,
            "payment_accounts": payment_accounts,
            "contracts": contracts,
            "organization_id": "0",
            "fast": "",
            "iss": self.issuer,
            "iat": self.issued_s,
            "exp": self.expires_s,
            "jti": self.jti,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_keys_are_reproducible_and_verify_their_own_tokens() {
        let a = Keys::for_seed(99).unwrap();
        let b = Keys::for_seed(99).unwrap();
        assert_eq!(a.public_pem, b.public_pem);
        let restored = Keys::from_pem(&a.private_pem).unwrap();
        assert_eq!(restored.public_pem, a.public_pem);

        let business = Business {
            crid: "12345678".into(),
            mids: vec!["900000001".into()],
            manifest_mid: Some("900000002".into()),
            eps_accounts: vec!["1000000001".into()],
            contract: None,
        };
        let claims = AccessClaims {
            issuer: "http://sim/realms/USPS",
            client_id: "app",
            subject: "42",
            scope: "labels payments",
            business: Some(&business),
            issued_s: 1,
            expires_s: 28801,
            jti: "j1",
        }
        .to_json();
        let token = a.sign(&claims);
        let back = a.verify(&token).unwrap();
        assert_eq!(back["crid"], "12345678");
        let owners: Value = serde_json::from_str(back["mail_owners"].as_str().unwrap()).unwrap();
        assert_eq!(owners[0]["mids"], "900000001, 900000002");
        assert_eq!(
            back["exp"].as_u64().unwrap() - back["iat"].as_u64().unwrap(),
            28800
        );

        let mut forged = token.clone();
        forged.pop();
        forged.push(if token.ends_with('A') { 'B' } else { 'A' });
        assert!(a.verify(&forged).is_none());
        assert!(a.verify("not-a-jwt").is_none());
    }
}
