//! OAuth against the simulator: every grant, consent, single-flight renewal, rotation persisted
//! before use, silent renewal after expiry, and the failures that need a new sign-in.

mod common;

use std::sync::Arc;

use common::*;
use serde_json::json;
use usps::models::AddressQuery;
use usps::{
    AccountConfig, Api, AppCredentials, ErrorClass, GrantKind, MemoryTokenStore, ReconnectReason,
    RefreshTokenStore, Secret, UspsError,
};

fn address() -> AddressQuery {
    AddressQuery {
        street_address: "4120 Bingham Ave".into(),
        city: Some("Saint Louis".into()),
        state: "MO".into(),
        zip_code: Some("63116".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn client_credentials_token_carries_business_claims_for_prefill() {
    let h = Harness::start().await;
    let token = h
        .client
        .client_credentials_token(&AppCredentials::new(CLIENT, SECRET), None)
        .await
        .unwrap();
    assert_eq!(token.expires_in, Some(28799));
    assert!(token.refresh_token.is_none());
    assert!(token.products().iter().any(|p| p.starts_with("Shipping")));
    let claims = usps::decode_claims(token.access_token.expose()).unwrap();
    let identity = demo_identity();
    assert_eq!(claims.crid.as_deref(), Some(identity.crid.as_str()));
    assert_eq!(
        claims.mids(),
        vec![identity.mid.clone(), identity.manifest_mid.clone()]
    );
    assert_eq!(claims.payment_accounts, vec![identity.eps_account.clone()]);
    assert!(claims.grants(Api::Labels) && claims.grants(Api::CarrierPickup));
}

#[tokio::test]
async fn wrong_secret_needs_new_credentials() {
    let h = Harness::start().await;
    let err = h
        .client
        .client_credentials_token(&AppCredentials::new(CLIENT, "nope"), None)
        .await
        .unwrap_err();
    match err {
        UspsError::ReconnectRequired { reason, .. } => {
            assert_eq!(reason, ReconnectReason::InvalidClient)
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn consent_then_code_exchange_then_rotation_is_stored_first() {
    let h = Harness::start().await;
    let (account, store) = h.signed_in_account("demo").await;
    let first_refresh = store
        .current()
        .expect("refresh token stored after code exchange");
    assert_eq!(store.save_count(), 1);

    // Expire the access token server-side: the next call must renew silently with the refresh
    // token, and the rotated refresh token must be in the store.
    account.validate_address(&address()).await.unwrap();
    h.control("expire-access-tokens", json!({})).await;
    let oauth_before = h.sim_calls("oauth2");
    account
        .validate_address(&address())
        .await
        .expect("silent renewal");
    assert_eq!(h.sim_calls("oauth2") - oauth_before, 1, "one refresh call");
    let rotated = store.current().unwrap();
    assert_ne!(rotated, first_refresh, "simulator rotates refresh tokens");
    assert_eq!(store.save_count(), 2);
}

#[tokio::test]
async fn concurrent_callers_share_one_token_request() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let before = h.sim_calls("oauth2");
    let calls = (0..16).map(|_| {
        let account = account.clone();
        tokio::spawn(async move { account.city_state("63116").await })
    });
    for call in futures_util::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    assert_eq!(
        h.sim_calls("oauth2") - before,
        1,
        "single-flight: one token request for 16 callers"
    );

    // And again for a renewal after server-side expiry.
    h.control("expire-access-tokens", json!({})).await;
    let before = h.sim_calls("oauth2");
    let calls = (0..16).map(|_| {
        let account = account.clone();
        tokio::spawn(async move { account.city_state("63116").await })
    });
    for call in futures_util::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    assert_eq!(h.sim_calls("oauth2") - before, 1, "single-flight renewal");
}

#[tokio::test]
async fn a_refresh_token_rotated_by_another_process_is_picked_up_from_the_store() {
    let h = Harness::start().await;
    // A rotated refresh token dies at once (USPS does not say how long it survives).
    h.control("rotation-grace", json!({"millis": 0})).await;
    let (first, store) = h.signed_in_account("demo").await;
    first.validate_address(&address()).await.unwrap();
    // A second process (the CLI beside the app) shares the keyring entry: its first call renews
    // with the stored refresh token, and USPS rotates it.
    let second = h.client.account(
        AccountConfig {
            credentials: AppCredentials::new(CLIENT, SECRET),
            grant: GrantKind::AuthorizationCode,
            identity: Some(demo_identity()),
            allowance: usps::Allowance::PerHour(100_000),
        },
        store.clone(),
    );
    let before_rotation = store.current().unwrap();
    second.validate_address(&address()).await.unwrap();
    assert_ne!(store.current().unwrap(), before_rotation, "rotated");

    // The first process's access token expires; the refresh token it remembers is dead. It must
    // find the rotated one in the store instead of asking the user to sign in again.
    h.control("expire-access-tokens", json!({})).await;
    first
        .validate_address(&address())
        .await
        .expect("renewed with the rotated refresh token");
}

#[tokio::test]
async fn dead_refresh_token_means_reconnect() {
    let h = Harness::start().await;
    let (account, _store) = h.signed_in_account("demo").await;
    account.validate_address(&address()).await.unwrap();
    h.control("invalidate-refresh-tokens", json!({})).await;
    h.control("expire-access-tokens", json!({})).await;
    let err = account.validate_address(&address()).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::ReconnectRequired, "{err:?}");
    assert_eq!(err.code(), "USPS_RECONNECT_REQUIRED");
    assert!(matches!(
        err,
        UspsError::ReconnectRequired {
            reason: ReconnectReason::RefreshTokenInvalid,
            ..
        }
    ));

    // Reconnecting (a new consent) makes the same account work again.
    let code = h.consent("demo", "again").await;
    account.connect_with_code(&code, REDIRECT).await.unwrap();
    account.validate_address(&address()).await.unwrap();
}

#[tokio::test]
async fn revoked_consent_means_reconnect() {
    let h = Harness::start().await;
    let (account, _store) = h.signed_in_account("demo").await;
    account.city_state("63116").await.unwrap();
    h.control("revoke-consent", json!({"client_id": CLIENT}))
        .await;
    let err = account.city_state("63116").await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::ReconnectRequired, "{err:?}");
}

#[tokio::test]
async fn missing_refresh_token_means_reconnect() {
    let h = Harness::start().await;
    let config = usps::AccountConfig {
        credentials: AppCredentials::new(CLIENT, SECRET),
        grant: GrantKind::AuthorizationCode,
        identity: None,
        allowance: usps::Allowance::PerHour(100_000),
    };
    let account = h
        .client
        .account(config, Arc::new(MemoryTokenStore::default()));
    let err = account.city_state("63116").await.unwrap_err();
    assert!(
        matches!(
            err,
            UspsError::ReconnectRequired {
                reason: ReconnectReason::NoRefreshToken,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn refresh_and_revoke_through_the_client() {
    let h = Harness::start().await;
    let (_account, store) = h.signed_in_account("demo").await;
    let creds = AppCredentials::new(CLIENT, SECRET);
    let refresh = store.load().unwrap().unwrap();
    let renewed = h.client.refresh(&creds, &refresh).await.unwrap();
    assert_eq!(renewed.refresh_count, Some(1));
    let newest = renewed.refresh_token.unwrap();
    h.client
        .revoke_refresh_token(&creds, &newest)
        .await
        .unwrap();
    let err = h.client.refresh(&creds, &newest).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::ReconnectRequired);
    let err = h
        .client
        .refresh(&creds, &Secret::new("never-issued"))
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::ReconnectRequired);
}

#[tokio::test]
async fn bad_authorization_code_needs_a_new_consent() {
    let h = Harness::start().await;
    let creds = AppCredentials::new(CLIENT, SECRET);
    let code = h.consent("demo", "s").await;
    h.client
        .exchange_code(&creds, &code, REDIRECT)
        .await
        .unwrap();
    let reused = h
        .client
        .exchange_code(&creds, &code, REDIRECT)
        .await
        .unwrap_err();
    assert_eq!(reused.class(), ErrorClass::ReconnectRequired, "{reused:?}");
}

/// A store whose saves fail after the first: the rotated token cannot be kept.
struct FailingSaves {
    inner: MemoryTokenStore,
}

impl RefreshTokenStore for FailingSaves {
    fn load(&self) -> Result<Option<Secret>, usps::TokenStoreError> {
        self.inner.load()
    }

    fn save(&self, token: &Secret) -> Result<(), usps::TokenStoreError> {
        if self.inner.save_count() >= 1 {
            return Err(usps::TokenStoreError("keyring locked".into()));
        }
        self.inner.save(token)
    }
}

#[tokio::test]
async fn rotated_token_is_saved_before_the_new_access_token_is_used() {
    let h = Harness::start().await;
    let store = Arc::new(FailingSaves {
        inner: MemoryTokenStore::default(),
    });
    let config = usps::AccountConfig {
        credentials: AppCredentials::new(CLIENT, SECRET),
        grant: GrantKind::AuthorizationCode,
        identity: None,
        allowance: usps::Allowance::PerHour(100_000),
    };
    let account = h.client.account(config, store.clone());
    let code = h.consent("demo", "s").await;
    account.connect_with_code(&code, REDIRECT).await.unwrap();
    h.control("expire-access-tokens", json!({})).await;
    let addresses_before = h.sim_calls("addresses");
    let err = account.city_state("63116").await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::TokenStore, "{err:?}");
    assert_eq!(err.code(), "SECRET_STORE_UNAVAILABLE");
    // Only the first (refused, expired-token) attempt reached the API; the new access token
    // was never used because its refresh token could not be stored.
    assert_eq!(h.sim_calls("addresses") - addresses_before, 1);
}

#[tokio::test]
async fn no_secret_in_debug_output_of_a_live_account() {
    let h = Harness::start().await;
    let (account, store) = h.signed_in_account("demo").await;
    let token = account.access_token().await.unwrap();
    let refresh = store.current().unwrap();
    let payment = account.authorize_payment().await.unwrap();
    h.control("invalidate-refresh-tokens", json!({})).await;
    let error = h
        .client
        .refresh(&AppCredentials::new(CLIENT, SECRET), &refresh)
        .await
        .unwrap_err();
    let shown = format!(
        "{account:?} {token:?} {payment:?} {error:?} {error} {:?}",
        h.client
    );
    for secret in [
        SECRET,
        token.secret().expose(),
        refresh.expose(),
        payment.payment_authorization_token.expose(),
    ] {
        assert!(!shown.contains(secret), "a secret leaked into: {shown}");
    }
}
