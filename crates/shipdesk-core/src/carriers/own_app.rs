//! "Use my own USPS API app" (client credentials), plus what every way of connecting shares:
//! prefilling identifiers from the token's claims, marking the account Connected, and
//! Disconnect / remove (revoke at USPS, delete the stored secrets; a removed account is kept,
//! hidden, so its id is never reused).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use usps::{AppCredentials, TokenClaims, UspsAccount};

use super::model::{
    AccountFields, AccountId, ConnectOutcome, ConnectionMode, ConnectionState, UspsAccountRecord,
};
use super::records::NewAccount;
use super::secrets::SecretKind;
use super::sign_in::other_systems_warning;
use super::{Connections, classify, validate};
use crate::environment::Environment;
use crate::error::{AppError, AppResult, ErrorDetails};

/// Add an account (or change an existing one's credentials) with the business's own USPS app.
#[derive(Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OwnAppRequest {
    /// Change this account's credentials; `None` adds a new account.
    #[ts(type = "number | null")]
    pub account: Option<AccountId>,
    pub environment: Option<Environment>,
    pub base_url: Option<String>,
    #[serde(default)]
    pub fields: AccountFields,
    pub client_id: String,
    /// Never serialized back out.
    #[serde(skip_serializing)]
    pub client_secret: String,
}

impl std::fmt::Debug for OwnAppRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OwnAppRequest")
            .field("account", &self.account)
            .field("environment", &self.environment)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// What Disconnect did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisconnectOutcome {
    pub account: UspsAccountRecord,
    /// Whether USPS confirmed the refresh token was revoked (`false` also when there was none).
    pub revoked_at_usps: bool,
    pub warnings: Vec<String>,
}

impl Connections {
    /// Checks the client id and secret with a client-credentials token request, then saves the
    /// account (secret in the secret store only), prefilled from the token's claims, Connected.
    pub async fn connect_own_app(&self, request: OwnAppRequest) -> AppResult<ConnectOutcome> {
        let client_id = request.client_id.trim().to_owned();
        let mut problems = Vec::new();
        if client_id.is_empty() {
            problems.push(("client_id", "Enter the app's client id (Consumer Key)"));
        }
        if request.client_secret.trim().is_empty() {
            problems.push((
                "client_secret",
                "Enter the app's client secret (Consumer Secret)",
            ));
        }
        if !problems.is_empty() {
            return Err(AppError::invalid_fields(
                "The USPS app's client id and secret are both needed",
                problems,
            ));
        }
        let fields = validate::normalize(&request.fields)?;
        let existing = request.account.map(|id| self.account(id)).transpose()?;
        let environment = existing
            .as_ref()
            .map(|r| r.environment)
            .or(request.environment)
            .unwrap_or_default();
        let base_url = match &existing {
            Some(r) => r.base_url.clone(),
            None => request.base_url.clone().filter(|u| !u.trim().is_empty()),
        };
        if let Some(url) = &base_url {
            super::validate::parse_base_url(url)?;
        }
        let mode = ConnectionMode::OwnApp {
            client_id: client_id.clone(),
        };
        let draft = UspsAccountRecord {
            environment,
            base_url: base_url.clone(),
            mode: mode.clone(),
            ..existing.clone().unwrap_or_else(|| {
                UspsAccountRecord::draft(environment, None, mode.clone(), &fields)
            })
        };
        // Verify before saving anything: a refused secret must not replace a working one.
        let client = self.client_for(&draft).await?;
        let credentials = AppCredentials::new(client_id.clone(), request.client_secret.clone());
        let token = client
            .client_credentials_token(&credentials, None)
            .await
            .map_err(|e| match e {
                usps::UspsError::ReconnectRequired { .. } => AppError::validation(
                    "USPS did not accept this client id and secret. Copy them again from the app \
                     in the Customer Onboarding Portal (Consumer Key and Consumer Secret).",
                )
                .with_details(ErrorDetails::fields([
                    ("client_id", "Check the client id (Consumer Key)"),
                    ("client_secret", "Check the client secret (Consumer Secret)"),
                ])),
                other => classify::classify(&draft, &other, false).error,
            })?;
        let claims = usps::decode_claims(token.access_token.expose()).ok();

        let record = match &existing {
            Some(r) => {
                self.accounts.set_mode(r.id, &mode, &self.now())?;
                if fields != AccountFields::default() {
                    self.accounts
                        .update_fields(r.id, &fields, &[], &self.now())?;
                }
                self.account(r.id)?
            }
            None => {
                let nickname = fields
                    .nickname
                    .clone()
                    .unwrap_or_else(|| self.unused_nickname("USPS"));
                let id = self.accounts.insert(
                    &NewAccount {
                        nickname,
                        environment,
                        base_url,
                        fields: fields.clone(),
                        mode,
                        is_sandbox_demo: false,
                        state: ConnectionState::Disconnected,
                    },
                    &self.now(),
                )?;
                self.account(id)?
            }
        };
        let saved = self
            .secrets
            .set(
                self.keys.key(record.id, SecretKind::ClientSecret),
                request.client_secret.clone(),
            )
            .await;
        if let Err(e) = saved {
            if existing.is_none() {
                self.accounts.remove(record.id, &self.now()).ok();
            }
            return Err(e);
        }
        // An own app has no refresh token; drop one left from an earlier Sign in.
        self.secrets
            .delete(self.keys.key(record.id, SecretKind::RefreshToken))
            .await
            .ok();
        let (record, mut warnings) = self.adopt_token_claims(&record, claims.as_ref())?;
        if existing.is_some() {
            warnings.push(other_systems_warning());
        }
        let session = self.build_session(&record, &client).await?;
        let account = self.mark_connected(&record, session)?;
        Ok(ConnectOutcome { account, warnings })
    }

    /// Fills empty CRID / MID / manifest MID / EPS from the token; warns when a value the user
    /// entered is not among those the token is tied to.
    pub(crate) fn adopt_token_claims(
        &self,
        record: &UspsAccountRecord,
        claims: Option<&TokenClaims>,
    ) -> AppResult<(UspsAccountRecord, Vec<String>)> {
        let Some(claims) = claims.filter(|c| c.is_linked_to_business()) else {
            return Ok((record.clone(), Vec::new()));
        };
        let mids = claims.mids();
        let token_crid = claims
            .crid
            .clone()
            .or_else(|| claims.mail_owners.first().map(|o| o.crid.clone()));
        let prefill = AccountFields {
            nickname: None,
            crid: record.crid.is_none().then(|| token_crid.clone()).flatten(),
            mid: record
                .mid
                .is_none()
                .then(|| mids.first().cloned())
                .flatten(),
            manifest_mid: record
                .manifest_mid
                .is_none()
                .then(|| mids.get(1).or(mids.first()).cloned())
                .flatten(),
            eps_account: record
                .eps_account
                .is_none()
                .then(|| claims.payment_accounts.first().cloned())
                .flatten(),
            has_contract: None,
            calls_per_hour: None,
        };
        let updated = if prefill == AccountFields::default() {
            record.clone()
        } else {
            self.accounts
                .update_fields(record.id, &prefill, &[], &self.now())?
        };
        let updated = self.contract_from_claims(&updated, claims)?;
        let mut warnings = Vec::new();
        if let (Some(have), Some(token)) = (&updated.crid, &token_crid)
            && have != token
        {
            warnings.push(format!(
                "The CRID in settings ({have}) is not the one this USPS login is linked to ({token})."
            ));
        }
        for (label, value) in [
            ("MID", &updated.mid),
            ("Manifest MID", &updated.manifest_mid),
        ] {
            if let Some(v) = value
                && !mids.is_empty()
                && !mids.contains(v)
            {
                warnings.push(format!(
                    "{label} {v} is not among the MIDs this USPS login is linked to ({}).",
                    mids.join(", ")
                ));
            }
        }
        if let Some(eps) = &updated.eps_account
            && !claims.payment_accounts.is_empty()
            && !claims.payment_accounts.contains(eps)
        {
            warnings.push(format!(
                "EPS account {eps} is not among the payment accounts this USPS login is linked to ({}).",
                claims.payment_accounts.join(", ")
            ));
        }
        Ok((updated, warnings))
    }

    /// Connected + verified now; caches the session that holds the fresh tokens.
    pub(crate) fn mark_connected(
        &self,
        record: &UspsAccountRecord,
        session: UspsAccount,
    ) -> AppResult<UspsAccountRecord> {
        self.sessions.evict(record.id);
        let now = self.now();
        let updated = self.change_state(record, ConnectionState::Connected, Some(&now))?;
        self.snoozes.clear(record.id);
        // The session holds the fresh tokens; keep it unless prefilling changed the identity
        // it was built with (then the next call builds one from the stored refresh token).
        if session.identity() == updated.identity().as_ref() {
            self.sessions.adopt(&updated, session);
        }
        Ok(updated)
    }

    pub(crate) async fn forget_secrets(&self, account: AccountId) -> AppResult<()> {
        for kind in [SecretKind::RefreshToken, SecretKind::ClientSecret] {
            self.secrets.delete(self.keys.key(account, kind)).await?;
        }
        Ok(())
    }

    /// Disconnect: revokes the refresh token at USPS (best effort — the outcome says if it
    /// failed), deletes the stored secrets and marks the account Disconnected.
    pub async fn disconnect(&self, account: AccountId) -> AppResult<DisconnectOutcome> {
        let record = self.account(account)?;
        let done = self.revoke_and_forget(&record).await?;
        let account = self.change_state(&record, ConnectionState::Disconnected, None)?;
        Ok(DisconnectOutcome {
            account,
            revoked_at_usps: done.revoked_at_usps,
            warnings: done.warnings,
        })
    }

    /// Removes the account, then disconnects it (best effort). An account with unfinished
    /// purchases is refused before anything changes (their outcome must still be settled
    /// through it: `CONFLICT` with [`ErrorDetails::AccountHasOpenPurchases`]). Once removed, no
    /// purchase can start through it, and a failure to revoke or to delete its secrets (no
    /// working keyring) is a warning in the outcome.
    pub async fn remove_account(&self, account: AccountId) -> AppResult<DisconnectOutcome> {
        let record = self.account(account)?;
        self.accounts.remove(account, &self.now())?;
        self.sessions.evict(account);
        self.snoozes.clear(account);
        self.broadcast_snapshot();
        let (revoked_at_usps, warnings) = match self.revoke_and_forget(&record).await {
            Ok(done) => (done.revoked_at_usps, done.warnings),
            Err(e) => (
                false,
                vec![format!(
                    "The saved USPS secrets could not be deleted from the system keyring ({}). \
                     Remove the \"{}\" entries there by hand if you want them gone.",
                    e.message,
                    super::KEYRING_SERVICE
                )],
            ),
        };
        Ok(DisconnectOutcome {
            account: UspsAccountRecord {
                state: ConnectionState::Disconnected,
                is_default: false,
                ..record
            },
            revoked_at_usps,
            warnings,
        })
    }

    /// Revokes the refresh token at USPS (a failure becomes a warning) and deletes the stored
    /// secrets (a failure is the error).
    async fn revoke_and_forget(&self, record: &UspsAccountRecord) -> AppResult<Revoked> {
        let mut warnings = Vec::new();
        let refresh = self
            .secrets
            .get(self.keys.key(record.id, SecretKind::RefreshToken))
            .await?;
        let mut revoked_at_usps = false;
        if let Some(refresh) = refresh {
            let revoked = async {
                let client = self.client_for(record).await?;
                let credentials = self.credentials_for(record).await?;
                client
                    .revoke_refresh_token(&credentials, &usps::Secret::new(refresh))
                    .await
                    .map_err(|e| classify::classify(record, &e, false).error)
            }
            .await;
            match revoked {
                Ok(()) => revoked_at_usps = true,
                Err(e) => warnings.push(format!(
                    "USPS could not be told to revoke the saved authorization ({}). It was deleted \
                     from this computer; to be sure, remove Shipdesk's access in the Customer \
                     Onboarding Portal.",
                    e.message
                )),
            }
        }
        self.forget_secrets(record.id).await?;
        self.sessions.evict(record.id);
        Ok(Revoked {
            revoked_at_usps,
            warnings,
        })
    }
}

/// What [`Connections::revoke_and_forget`] managed.
struct Revoked {
    revoked_at_usps: bool,
    warnings: Vec<String>,
}
