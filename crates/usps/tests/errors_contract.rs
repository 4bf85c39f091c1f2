//! Every error class, provoked through the simulator's `/__sim` controls.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use usps::models::*;
use usps::{
    Api, ClientConfig, Environment, ErrorClass, Operation, RetryPolicy, UspsClient, UspsError,
};

#[tokio::test]
async fn missing_product_is_not_entitled() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    account.city_state("63116").await.unwrap();
    h.control(
        "remove-product",
        json!({"client_id": CLIENT, "product": "Shipping"}),
    )
    .await;
    let err = account
        .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
        .await
        .unwrap_err();
    // The payment authorization is the first Shipping call a purchase makes.
    assert_eq!(err.class(), ErrorClass::NotEntitled, "{err:?}");
    assert_eq!(err.code(), "USPS_NOT_ENTITLED");

    // A Public Access app asking for tracking: not entitled, without any renewal loop.
    let public = h.client_credentials_account(PUBLIC_CLIENT, PUBLIC_SECRET, None);
    let err = public
        .tracking("9400111899223334445566", TrackingExpand::Summary)
        .await
        .unwrap_err();
    match err {
        UspsError::NotEntitled { missing, .. } => assert_eq!(missing, "tracking"),
        other => panic!("{other:?}"),
    }
    // Addresses are Public Access and still work.
    public.city_state("63116").await.unwrap();
}

#[tokio::test]
async fn unlinked_eps_account_is_not_authorized() {
    let h = Harness::start().await;
    let identity = AccountIdentity {
        crid: "56982599".into(),
        mid: "902345699".into(),
        manifest_mid: "902345698".into(),
        eps_account: "1000012399".into(),
    };
    let account = h.client_credentials_account(UNLINKED_CLIENT, "unlinked-secret", Some(identity));
    let err = account.authorize_payment().await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::AccountNotAuthorized, "{err:?}");
    assert_eq!(err.code(), "USPS_ACCOUNT_NOT_AUTHORIZED");
    let err = account
        .create_label(&label_request(), &new_key(), LabelFormat::Multipart)
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::AccountNotAuthorized, "{err:?}");

    // The linked business naming someone else's EPS account is refused the same way.
    let mut foreign = demo_identity();
    foreign.eps_account = "1000012399".into();
    let linked = h.client_credentials_account(CLIENT, SECRET, Some(foreign));
    let err = linked.authorize_payment().await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::AccountNotAuthorized, "{err:?}");
}

#[tokio::test]
async fn quota_exceeded_carries_retry_after_and_is_not_retried() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    h.control(
        "fail",
        json!({"target": "addresses", "status": 429, "count": 1, "retry_after": 1800}),
    )
    .await;
    let before = h.sim_calls("addresses");
    let err = account.city_state("63116").await.unwrap_err();
    match &err {
        UspsError::QuotaExceeded { retry_after, .. } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(1800)))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(h.sim_calls("addresses") - before, 1, "429 is not retried");
    // Nothing more goes to the addresses API until USPS said to come back; others go on.
    let closed = h.client.pacer().next_call_in(CLIENT, Api::Addresses);
    assert!(
        closed > Duration::from_secs(1790) && closed <= Duration::from_secs(1800),
        "{closed:?}"
    );
    assert_eq!(
        h.client.pacer().next_call_in(CLIENT, Api::Prices),
        Duration::ZERO
    );
    assert_eq!(h.sim_calls("addresses") - before, 1);
}

#[tokio::test]
async fn real_hourly_quota_answers_429() {
    let h = Harness::start_with(scenario().with_quota_per_hour(2)).await;
    let account = h.own_app_account();
    account.city_state("63116").await.unwrap();
    account.city_state("63118").await.unwrap();
    let err = account.city_state("63116").await.unwrap_err();
    let UspsError::QuotaExceeded { retry_after, .. } = err else {
        panic!("{err:?}")
    };
    assert!(
        retry_after.unwrap() > Duration::from_secs(3000),
        "{retry_after:?}"
    );
}

#[tokio::test]
async fn service_unavailable_is_retried_for_safe_calls() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    account.city_state("63116").await.unwrap();
    h.control(
        "fail",
        json!({"target": "addresses", "status": 503, "count": 2}),
    )
    .await;
    let before = h.sim_calls("addresses");
    account
        .city_state("63116")
        .await
        .expect("third attempt succeeds");
    assert_eq!(h.sim_calls("addresses") - before, 3);

    h.control(
        "fail",
        json!({"target": "addresses", "status": 503, "count": 3}),
    )
    .await;
    let err = account.city_state("63116").await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Transient, "{err:?}");
    assert_eq!(err.code(), "USPS_UNAVAILABLE");
}

#[tokio::test]
async fn token_call_503_is_retried() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    h.control(
        "fail",
        json!({"target": "oauth2", "status": 503, "count": 1}),
    )
    .await;
    account.city_state("63116").await.unwrap();
    assert_eq!(h.sim_calls("oauth2"), 2);
}

#[tokio::test]
async fn label_503_is_retried_with_the_same_key_and_charged_once() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    h.control(
        "fail",
        json!({"target": "POST /labels/v3/label", "status": 503, "count": 1}),
    )
    .await;
    let label = account
        .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
        .await
        .unwrap();
    assert!(!label.metadata.tracking_number.is_empty());
    assert_eq!(h.ledger().await["charges"], 1);
}

#[tokio::test]
async fn dropped_label_answer_is_retried_with_the_same_key_one_charge() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    h.control("drop-label-response", json!({"count": 1})).await;
    let key = new_key();
    let before = h.sim_calls("labels");
    let label = account
        .create_label(&label_request(), &key, LabelFormat::Multipart)
        .await
        .expect("retry returns the committed label");
    assert_eq!(
        h.sim_calls("labels") - before,
        2,
        "one dropped attempt, one retry"
    );
    let ledger = h.ledger().await;
    assert_eq!(ledger["charges"], 1, "{ledger}");
    let labels = h.sim.labels();
    assert_eq!(labels.len(), 1);
    assert_eq!(labels[0].tracking_number, label.metadata.tracking_number);
}

#[tokio::test]
async fn label_answer_that_never_arrives_is_outcome_unknown_and_recoverable() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    // One attempt commits and loses its answer; the other two meet an outage.
    h.control("drop-label-response", json!({"count": 1})).await;
    h.control(
        "fail",
        json!({"target": "POST /labels/v3/label", "status": 503, "count": 2}),
    )
    .await;
    let key = new_key();
    let err = account
        .create_label(&label_request(), &key, LabelFormat::VendorJson)
        .await
        .unwrap_err();
    match &err {
        UspsError::OutcomeUnknown { operation, .. } => {
            assert_eq!(*operation, Operation::LabelCreate)
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.code(), "PURCHASE_OUTCOME_UNKNOWN");
    assert_eq!(
        h.ledger().await["charges"],
        1,
        "committed once by the first attempt"
    );

    // Later, the same key returns the same label without a second charge.
    let label = account
        .create_label(&label_request(), &key, LabelFormat::VendorJson)
        .await
        .unwrap();
    assert_eq!(
        h.sim.labels()[0].tracking_number,
        label.metadata.tracking_number
    );
    assert_eq!(h.ledger().await["charges"], 1);
}

#[tokio::test]
async fn unsafe_calls_are_not_retried_blindly() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let label = account
        .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
        .await
        .unwrap();
    h.control("fail", json!({"target": "DELETE /labels/v3/label/".to_owned() + &label.metadata.tracking_number, "status": 503, "count": 1})).await;
    let before = h.sim_calls("labels");
    let err = account
        .cancel_label(&label.metadata.tracking_number)
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Transient, "{err:?}");
    assert_eq!(
        h.sim_calls("labels") - before,
        1,
        "a cancel is not repeated"
    );
    let canceled = account
        .cancel_label(&label.metadata.tracking_number)
        .await
        .unwrap();
    assert!(canceled.is_canceled());
}

#[tokio::test]
async fn slow_answer_to_an_unsafe_call_is_outcome_unknown() {
    let h = Harness::start().await;
    let config = ClientConfig {
        request_timeout: Duration::from_millis(300),
        retry: RetryPolicy {
            initial_backoff: Duration::from_millis(5),
            ..RetryPolicy::default()
        },
        ..ClientConfig::default()
    };
    let client = UspsClient::with_config(Environment::sandbox(h.sim.base_url()), config).unwrap();
    let account = client.account(
        usps::AccountConfig {
            credentials: usps::AppCredentials::new(CLIENT, SECRET),
            grant: usps::GrantKind::ClientCredentials { scope: None },
            identity: Some(demo_identity()),
            allowance: usps::Allowance::default(),
        },
        std::sync::Arc::new(usps::MemoryTokenStore::default()),
    );
    let label = account
        .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
        .await
        .unwrap();
    h.control(
        "latency",
        json!({"target": "/labels/v3/label/", "millis": 1000}),
    )
    .await;
    let err = account
        .cancel_label(&label.metadata.tracking_number)
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::OutcomeUnknown, "{err:?}");
    // A read that times out is merely transient (and was retried).
    h.control("latency", json!({"target": "addresses", "millis": 1000}))
        .await;
    let before = h.sim_calls("addresses");
    let err = account.city_state("63116").await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Transient, "{err:?}");
    assert_eq!(h.sim_calls("addresses") - before, 3);
}

#[tokio::test]
async fn unreachable_host_is_transient() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let base = url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let config = ClientConfig {
        retry: RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        },
        ..ClientConfig::default()
    };
    let client = UspsClient::with_config(Environment::sandbox(base), config).unwrap();
    let err = client
        .client_credentials_token(&usps::AppCredentials::new("a", "b"), None)
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Transient, "{err:?}");
    assert_eq!(client.call_counts().get(usps::Api::OAuth), 3);
}
