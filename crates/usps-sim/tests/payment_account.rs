//! An Enterprise Payment Account can pay for labels only once it is active and has a payment
//! method: a pending (ACH, not verified yet) account is refused with 100002, one without a
//! payment method with 100003, and the refusal names the account.

mod common;

use common::*;
use usps_sim::{PaymentAccountStatus, Scenario};

async fn authorization_with(status: PaymentAccountStatus) -> Resp {
    let mut scenario = Scenario::demo();
    scenario
        .users
        .iter_mut()
        .find(|u| u.username == "demo")
        .unwrap()
        .payment_account = status;
    let t = TestSim::start_with(scenario).await;
    let access = t.client_token(CLIENT, SECRET).await;
    t.post_json(
        "/payments/v3/payment-authorization",
        &access,
        &roles(CRID, MID, MANIFEST_MID, EPS),
    )
    .await
}

#[tokio::test]
async fn only_an_active_payment_account_with_a_payment_method_can_pay() {
    let active = authorization_with(PaymentAccountStatus::Active).await;
    assert_eq!(active.status, 200, "{}", active.text);

    for (status, code) in [
        (PaymentAccountStatus::Pending, "100002"),
        (PaymentAccountStatus::NoPaymentMethod, "100003"),
    ] {
        let refused = authorization_with(status).await;
        assert_eq!(refused.status, 400, "{}", refused.text);
        let error = &refused.json["error"]["errors"][0];
        assert_eq!(error["code"], code, "{}", refused.text);
        assert!(
            error["detail"].as_str().unwrap().contains(EPS),
            "{}",
            refused.text
        );
    }
}
