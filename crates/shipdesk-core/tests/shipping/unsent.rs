//! A purchase that fails before its request leaves the app (no keyring, so no session) cannot
//! have been charged: it is closed at once, and no later start-up buys what the user was told
//! failed.

use std::sync::atomic::Ordering;

use shipdesk_core::error::ErrorCode;

use crate::harness::Rig;

#[tokio::test]
async fn a_purchase_that_never_left_the_app_is_not_bought_later() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    // The app starts while the keyring is locked: no USPS session can be opened.
    rig.secrets.unavailable.store(true, Ordering::SeqCst);
    let shipping = rig.restarted_service();

    let err = shipping.buy_label(rig.request(order)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SecretStoreUnavailable, "{err:?}");
    assert_eq!(rig.open_attempts(), 0, "the unsent attempt is closed");

    // The keyring comes back; a restart reconciles nothing and charges nothing.
    rig.secrets.unavailable.store(false, Ordering::SeqCst);
    let report = rig
        .restarted_service()
        .reconcile_unfinished()
        .await
        .unwrap();
    assert!(report.recovered.is_empty() && report.still_open.is_empty());
    assert!(rig.charged().is_empty(), "USPS charged nothing");

    // Asking again buys exactly one label.
    shipping.buy_label(rig.request(order)).await.unwrap();
    rig.assert_exactly_once();
    assert_eq!(rig.charged().len(), 1);
}
