//! A purchase keeps its USPS account for good: an account whose purchases are not finished
//! cannot be removed nor have its CRID / MIDs / EPS account changed (the error names the
//! orders), and a removed account's id is never given to a new account, so nothing it started
//! is ever sent through another one.

use serde_json::json;
use shipdesk_core::carriers::{AccountFields, ConnectionState, OwnAppRequest};
use shipdesk_core::shipping::{PurchaseJournal, ShipmentStore};
use shipdesk_core::{Environment, ErrorCode, ErrorDetails};

use crate::harness::{ACCOUNT_ID, Rig, RigOptions, identity};

/// One try per USPS call, so a lost answer leaves the purchase open instead of being recovered
/// by the client's own retry.
async fn rig() -> Rig {
    Rig::start_with(RigOptions {
        max_attempts: 1,
        ..Default::default()
    })
    .await
}

/// Connects the simulator's business again as a second account named `nickname`; its id.
async fn add_account(rig: &Rig, nickname: &str) -> i64 {
    let id = identity();
    rig.desk
        .connections()
        .connect_own_app(OwnAppRequest {
            account: None,
            environment: Some(Environment::Sandbox),
            base_url: Some(rig.sim.base_url().to_string()),
            fields: AccountFields {
                nickname: Some(nickname.into()),
                crid: Some(id.crid),
                mid: Some(id.mid),
                manifest_mid: Some(id.manifest_mid),
                eps_account: Some(id.eps_account),
                has_contract: None,
                calls_per_hour: None,
            },
            client_id: "shipdesk-sandbox".into(),
            client_secret: "shipdesk-sandbox-secret".into(),
        })
        .await
        .expect("the account connects")
        .account
        .id
}

/// Buys `order` through `account` while USPS makes the label and the answer is lost: the
/// purchase stays open, charged at USPS.
async fn answer_lost(rig: &Rig, order: i64, account: i64) {
    rig.control("drop-label-response", json!({"count": 1}))
        .await;
    let mut request = rig.request(order);
    request.account_id = Some(account);
    let err = rig.shipping.buy_label(request).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PurchaseOutcomeUnknown, "{err:?}");
}

fn order_number(rig: &Rig, order: i64) -> String {
    rig.desk.orders().get(order).unwrap().order_number
}

#[tokio::test]
async fn an_account_with_an_unfinished_purchase_stays_until_it_is_settled() {
    let rig = rig().await;
    let conns = rig.desk.connections();
    let order = rig.orders(1)[0];
    answer_lost(&rig, order, ACCOUNT_ID).await;
    let number = order_number(&rig, order);

    let refused = conns.remove_account(ACCOUNT_ID).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict, "{refused:?}");
    assert_eq!(
        serde_json::to_value(&refused).unwrap()["details"],
        json!({"kind": "account_has_open_purchases", "account_id": ACCOUNT_ID,
               "order_numbers": [number]})
    );
    assert!(
        refused.message.contains(&format!("order {number}"))
            && refused.message.contains("Shipments › Purchases to check"),
        "{}",
        refused.message
    );
    // Nothing was touched: still listed and connected (the restarted app below reaches USPS
    // with its saved secret).
    let kept = conns.list_accounts().unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].state, ConnectionState::Connected);

    // Its CRID cannot change under the open purchase; saving the same one can.
    let other_crid = AccountFields {
        crid: Some("56982599".into()),
        ..Default::default()
    };
    let refused = conns.update_account(ACCOUNT_ID, &other_crid).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict, "{refused:?}");
    assert!(matches!(
        refused.details.as_deref(),
        Some(ErrorDetails::AccountHasOpenPurchases { .. })
    ));
    let same = AccountFields {
        crid: Some(identity().crid),
        nickname: Some("Demo shop".into()),
        ..Default::default()
    };
    assert_eq!(
        conns.update_account(ACCOUNT_ID, &same).unwrap().nickname,
        "Demo shop"
    );

    // Settled through the same account: the label USPS made is recovered.
    let report = rig
        .restarted_service()
        .reconcile_unfinished()
        .await
        .unwrap();
    assert_eq!(report.recovered.len(), 1, "{report:?}");
    rig.assert_exactly_once();

    let outcome = conns.remove_account(ACCOUNT_ID).await.unwrap();
    assert_eq!(outcome.account.id, ACCOUNT_ID);
    assert!(conns.list_accounts().unwrap().is_empty());
    // The label keeps naming the account it was bought through.
    let label = &report.recovered[0];
    let kept = ShipmentStore::shipment(&*rig.store, label.id)
        .unwrap()
        .unwrap();
    assert_eq!(kept.account_id, ACCOUNT_ID);
}

#[tokio::test]
async fn a_removed_accounts_id_is_never_reused_nor_its_purchases_sent_through_another() {
    let rig = rig().await;
    let conns = rig.desk.connections();
    let orders = rig.orders(2);
    let second = add_account(&rig, "Second").await;
    assert_eq!(second, ACCOUNT_ID + 1);

    // A label bought through the second account, and a purchase through it that USPS never
    // made (server error), discarded.
    let mut request = rig.request(orders[0]);
    request.account_id = Some(second);
    let label = rig.shipping.buy_label(request).await.unwrap().shipment;
    rig.control(
        "fail",
        json!({"target": "POST /labels/v3/label", "status": 500, "count": 1}),
    )
    .await;
    let mut request = rig.request(orders[1]);
    request.account_id = Some(second);
    rig.shipping.buy_label(request).await.unwrap_err();
    let unmade = rig.store.open_attempt(orders[1]).unwrap().unwrap();
    assert_eq!(unmade.account_id, second);
    let refused = conns.remove_account(second).await.unwrap_err();
    assert!(
        refused
            .message
            .contains(&format!("order {}", order_number(&rig, orders[1]))),
        "{}",
        refused.message
    );
    rig.shipping
        .discard_unfinished_purchase(orders[1])
        .await
        .unwrap();

    conns.remove_account(second).await.unwrap();
    let listed: Vec<i64> = conns
        .list_accounts()
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(listed, [ACCOUNT_ID]);
    assert_eq!(conns.account(second).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(conns.default_account().unwrap().id, ACCOUNT_ID);

    // A new account, under the freed nickname, gets a new id.
    let third = add_account(&rig, "Second").await;
    assert_eq!(third, second + 1);
    let kept = ShipmentStore::shipment(&*rig.store, label.id)
        .unwrap()
        .unwrap();
    assert_eq!(kept.account_id, second, "the label keeps its account");

    // A purchase through the removed account left open (as a database from before accounts
    // were kept can hold one) is not sent through the new account that took its nickname.
    rig.alter_database(
        "UPDATE purchase_attempts SET state = 'sent' WHERE id = ?1",
        [unmade.id],
    );
    let charged = rig.charged();
    let report = rig
        .restarted_service()
        .reconcile_unfinished()
        .await
        .unwrap();
    assert!(report.recovered.is_empty(), "{report:?}");
    assert_eq!(rig.charged(), charged, "USPS charged nothing more");
    let still = rig.store.attempt(unmade.id).unwrap().unwrap();
    assert_eq!(still.account_id, second);
    let listed = rig.store.purchases_to_check().unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|p| (p.attempt_id, p.account_id, p.account_name.as_str()))
            .collect::<Vec<_>>(),
        [(unmade.id, second, "Second")],
        "under Purchases to check with the account it was sent through"
    );
}

/// A purchase left open through an account removed before removal was blocked (an older
/// Shipdesk) cannot be cancelled at USPS any more, but the order is never stuck: discarding
/// closes it and says what to check.
#[tokio::test]
async fn a_purchase_of_an_account_removed_by_an_older_shipdesk_can_still_be_discarded() {
    let rig = rig().await;
    let order = rig.orders(1)[0];
    answer_lost(&rig, order, ACCOUNT_ID).await;
    rig.alter_database(
        "UPDATE usps_accounts SET removed_at = '2026-11-01T00:00:00Z', is_default = 0 WHERE id = ?1",
        [ACCOUNT_ID],
    );
    let open = rig.shipping.purchases_to_check().unwrap();
    assert_eq!(open.len(), 1);
    let outcome = rig
        .shipping
        .discard_purchase(open[0].attempt_id)
        .await
        .unwrap();
    assert!(
        outcome.message.contains("account was removed"),
        "{outcome:?}"
    );
    assert!(rig.shipping.purchases_to_check().unwrap().is_empty());
    assert_eq!(
        rig.desk.orders().get(order).unwrap().status,
        shipdesk_core::orders::OrderStatus::AwaitingShipment
    );
}
