//! A purchase that fails before its request leaves the app (no keyring, no session) cannot have
//! been charged: it is closed at once, and no later start-up buys what the user was told failed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use shipdesk_core::Environment;
use shipdesk_core::error::{AppError, AppResult, ErrorCode};
use shipdesk_core::ports::SystemClock;
use shipdesk_core::shipping::{
    AccountId, AccountSummary, FixedSession, SessionFuture, ShippingService, UspsGateway,
};
use usps::UspsError;

use crate::harness::{ACCOUNT_ID, Rig, identity};

/// The real session, except that opening it fails while `broken` is set.
struct SessionThatFailsToOpen {
    inner: FixedSession,
    broken: AtomicBool,
}

impl UspsGateway for SessionThatFailsToOpen {
    fn default_account(&self) -> AppResult<AccountSummary> {
        self.inner.default_account()
    }
    fn account(&self, id: AccountId) -> AppResult<AccountSummary> {
        self.inner.account(id)
    }
    fn session(&self, id: AccountId) -> SessionFuture<'_> {
        if self.broken.load(Ordering::SeqCst) {
            return Box::pin(async {
                Err(AppError::new(
                    ErrorCode::SecretStoreUnavailable,
                    "No system keyring is available",
                ))
            });
        }
        self.inner.session(id)
    }
    fn report_failure(&self, id: AccountId, error: &UspsError) -> AppError {
        self.inner.report_failure(id, error)
    }
    fn report_success(&self, id: AccountId) {
        self.inner.report_success(id)
    }
}

#[tokio::test]
async fn a_purchase_that_never_left_the_app_is_not_bought_later() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let summary = AccountSummary {
        id: ACCOUNT_ID,
        nickname: "Demo".into(),
        environment: Environment::Sandbox,
        eps_account: Some(identity().eps_account),
    };
    let gateway = Arc::new(SessionThatFailsToOpen {
        inner: FixedSession::new(summary, rig.usps.clone()),
        broken: AtomicBool::new(true),
    });
    let shipping = ShippingService::new(
        rig.store.clone(),
        gateway.clone(),
        Arc::new(SystemClock),
        rig.printer.clone(),
    );

    let err = shipping.buy_label(rig.request(order)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SecretStoreUnavailable);
    assert_eq!(rig.open_attempts(), 0, "the unsent attempt is closed");

    // The keyring comes back; a restart reconciles nothing and charges nothing.
    gateway.broken.store(false, Ordering::SeqCst);
    let report = shipping.reconcile_unfinished().await.unwrap();
    assert!(report.recovered.is_empty() && report.still_open.is_empty());
    assert!(rig.charged().is_empty(), "USPS charged nothing");

    // Asking again buys exactly one label.
    shipping.buy_label(rig.request(order)).await.unwrap();
    rig.assert_exactly_once();
    assert_eq!(rig.charged().len(), 1);
}
