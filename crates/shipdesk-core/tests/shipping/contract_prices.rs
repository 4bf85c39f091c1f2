//! Contract (NSA) prices end to end: for a business that holds a contract, "You pay" is its
//! contract price and the label is charged exactly that (the payment authorization names it as
//! RATE_HOLDER); a business without one pays the commercial price it was shown. Batch totals
//! use the same prices. Checked against the simulator's ledger.

use std::sync::atomic::AtomicBool;

use rust_decimal::Decimal;
use shipdesk_core::Environment;
use shipdesk_core::carriers::{AccountFields, ContractSource, OwnAppRequest};
use shipdesk_core::shipping::{BatchInput, BatchOptions, RateChoice, Shipment};
use usps_sim::{CONTRACT_USER, LedgerKind, Scenario};

use crate::harness::{ACCOUNT_ID, Rig, RigOptions, package};

const NSA_APP: &str = "nsa-own-app";

/// The demo scenario, plus an API app owned by the business that holds a contract (so it can
/// connect with "use my own USPS API app", as the demo business does).
fn scenario() -> Scenario {
    let mut scenario = Scenario::demo();
    let mut app = scenario
        .apps
        .iter()
        .find(|a| a.client_id == "shipdesk-sandbox")
        .expect("the demo app")
        .clone();
    app.client_id = NSA_APP.into();
    app.client_secret = format!("{NSA_APP}-secret");
    app.owner = Some(CONTRACT_USER.into());
    scenario.apps.push(app);
    scenario
}

async fn connect_contract_business(rig: &Rig) -> i64 {
    let scenario = scenario();
    let user = scenario
        .user(CONTRACT_USER)
        .expect("the contract business")
        .clone();
    rig.desk
        .connections()
        .connect_own_app(OwnAppRequest {
            account: None,
            environment: Some(Environment::Sandbox),
            base_url: Some(rig.sim.base_url().to_string()),
            fields: AccountFields {
                nickname: Some("Contract business".into()),
                crid: Some(user.crid.clone()),
                mid: user.mids.first().cloned(),
                manifest_mid: user.manifest_mid.clone(),
                eps_account: user.eps_accounts.first().cloned(),
                has_contract: None,
                calls_per_hour: None,
            },
            client_id: NSA_APP.into(),
            client_secret: format!("{NSA_APP}-secret"),
        })
        .await
        .expect("the contract business connects")
        .account
        .id
}

fn charged(rig: &Rig, s: &Shipment) -> Decimal {
    let amount: f64 = rig
        .sim
        .ledger()
        .iter()
        .filter(|e| e.kind == LedgerKind::Charged && e.tracking_number == s.tracking_number)
        .map(|e| e.amount)
        .sum();
    Decimal::try_from(amount).unwrap().round_dp(2)
}

#[tokio::test]
async fn each_account_is_charged_exactly_what_you_pay_showed() {
    let rig = Rig::start_with(RigOptions {
        scenario: Some(scenario()),
        ..Default::default()
    })
    .await;
    let nsa = connect_contract_business(&rig).await;
    let orders = rig.orders(2);
    let priority = RateChoice::single_piece("PRIORITY_MAIL");

    for (account, order, holds) in [(ACCOUNT_ID, orders[0], false), (nsa, orders[1], true)] {
        let answer = rig
            .shipping
            .rates_for_order(Some(account), order, Some(package()), None, None)
            .await
            .unwrap();
        assert_eq!(answer.contract_prices, holds, "account {account}");
        let quote = answer
            .quotes
            .iter()
            .find(|q| q.choice == priority)
            .expect("Priority Mail offered")
            .clone();
        let you_pay = quote.price.expect("priced");
        if holds {
            assert_eq!(Some(you_pay), quote.contract, "{quote:?}");
            assert!(you_pay < quote.commercial.unwrap(), "{quote:?}");
        } else {
            assert_eq!(Some(you_pay), quote.commercial, "{quote:?}");
        }
        // What USPS showed is remembered on the account.
        let record = rig.desk.connections().account(account).unwrap();
        assert_eq!(record.has_contract, holds);
        assert_eq!(record.contract_source, Some(ContractSource::Detected));

        let mut request = rig.request(order);
        request.account_id = Some(account);
        request.rate = priority.clone();
        let bought = rig.shipping.buy_label(request).await.unwrap().shipment;
        assert_eq!(bought.postage, you_pay, "account {account}");
        assert_eq!(charged(&rig, &bought), you_pay, "account {account}");
    }
    rig.assert_exactly_once();
}

#[tokio::test]
async fn a_contract_batch_totals_and_charges_contract_prices() {
    let rig = Rig::start_with(RigOptions {
        scenario: Some(scenario()),
        ..Default::default()
    })
    .await;
    let nsa = connect_contract_business(&rig).await;
    let input = BatchInput {
        order_ids: rig.orders(3),
        account_id: Some(nsa),
        service: Some(RateChoice::single_piece("USPS_GROUND_ADVANTAGE")),
        ..Default::default()
    };
    let preview = rig.shipping.preview_batch(&input).await.unwrap();
    assert_eq!(preview.priced, 3);
    for line in &preview.lines {
        let quote = line.quote.as_ref().expect("quoted");
        assert_eq!(quote.price, quote.contract, "{quote:?}");
        assert!(quote.price < quote.commercial, "{quote:?}");
    }
    let report = rig
        .shipping
        .buy_orders(
            &input,
            &BatchOptions::default(),
            &|_| {},
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 3, "{report:#?}");
    let charged_total: Decimal = report.bought.iter().map(|s| charged(&rig, s)).sum();
    let stored_total: Decimal = report.bought.iter().map(|s| s.postage).sum();
    assert_eq!(charged_total, preview.total);
    assert_eq!(stored_total, preview.total);
    rig.assert_exactly_once();
}

#[tokio::test]
async fn an_account_the_user_marks_as_contract_is_refused_by_usps_and_nothing_is_charged() {
    let rig = Rig::start().await;
    // The demo business holds no contract, but the user says it does.
    rig.desk
        .connections()
        .update_account(
            ACCOUNT_ID,
            &AccountFields {
                has_contract: Some(true),
                calls_per_hour: None,
                ..Default::default()
            },
        )
        .unwrap();
    let record = rig.desk.connections().account(ACCOUNT_ID).unwrap();
    assert_eq!(record.contract_source, Some(ContractSource::Entered));
    let order = rig.orders(1)[0];
    let err = rig
        .shipping
        .buy_label(rig.request(order))
        .await
        .unwrap_err();
    assert!(
        err.message.contains("no contract") && err.message.contains("Contract prices"),
        "{err:?}"
    );
    assert!(rig.charged().is_empty());
    rig.assert_exactly_once();
}
