//! Labels paid from an Endicia prepaid postage account, through the desk the app and the CLI
//! use (`desk.shipping()` → the postage router → the Endicia provider → the Sandbox's Endicia
//! simulator): rates, a label that lowers the balance, a void that is a refund, the End of Day
//! form, and the purchase journal's exactly-once rules where ELS labels are not idempotent.

mod endicia_common;

use std::sync::Arc;

use endicia_common::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use shipdesk_core::orders::{Address, LineItem, OrderInput};
use shipdesk_core::postage::model::{Dimensions, Package, RateChoice};
use shipdesk_core::shipping::{PurchaseRequest, ShipFromInput, ShipToChoice};
use shipdesk_core::{Desk, ErrorCode};
use time::Duration;

struct Shop {
    dir: tempfile::TempDir,
    desk: Desk,
    clock: Arc<MovableClock>,
}

/// A desk with no USPS account: only Endicia, which checks no address.
fn open_desk(dir: &std::path::Path, clock: Arc<MovableClock>) -> Desk {
    sandbox_desk(dir, clock, false)
}

impl Shop {
    /// The same data directory in a new process (the simulator's state file carries over).
    async fn restarted(self) -> Shop {
        let Shop { dir, desk, clock } = self;
        drop(desk);
        let desk = open_desk(dir.path(), clock.clone());
        login(&desk).await;
        Shop { dir, desk, clock }
    }

    /// Tracking numbers of the labels stored on shipments.
    fn stored_labels(&self) -> Vec<String> {
        self.desk
            .shipping()
            .shipments(&Default::default())
            .unwrap()
            .into_iter()
            .map(|s| s.tracking_number)
            .collect()
    }

    /// A Sandbox desk with no USPS account, logged in to the demo Endicia account, paying for
    /// labels from it.
    async fn paying_from_endicia() -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(MovableClock::default());
        let desk = open_desk(dir.path(), clock.clone());
        login(&desk).await;
        let account = desk.endicia().set_pays_labels(true).await.unwrap();
        assert!(account.pays_labels);
        desk.shipping()
            .add_ship_from(ShipFromInput {
                nickname: "Shop".into(),
                address: Address {
                    name: "John Smith".into(),
                    street1: "4120 Bingham Ave".into(),
                    city: "Saint Louis".into(),
                    state: "MO".into(),
                    zip5: "63116".into(),
                    country: "US".into(),
                    ..Default::default()
                },
                is_default: true,
            })
            .unwrap();
        Shop { dir, desk, clock }
    }

    fn order(&self, number: &str) -> i64 {
        self.desk
            .orders()
            .create(OrderInput {
                order_number: number.into(),
                ship_to: Address {
                    name: "Ana Gomez".into(),
                    street1: "2516 W North Ave".into(),
                    city: "Chicago".into(),
                    state: "IL".into(),
                    zip5: "60647".into(),
                    country: "US".into(),
                    ..Default::default()
                },
                items: vec![LineItem {
                    sku: None,
                    title: "Widget".into(),
                    quantity: 1,
                    unit_price: None,
                    weight_oz: Some(Decimal::from(12)),
                    hs_tariff: None,
                    origin_country: None,
                    currency: None,
                }],
                ..Default::default()
            })
            .unwrap()
            .id
    }

    fn request(order_id: i64) -> PurchaseRequest {
        PurchaseRequest {
            order_id,
            account_id: None,
            rate: RateChoice::single_piece("USPS_GROUND_ADVANTAGE"),
            package: Package {
                weight_oz: Decimal::from(12),
                dimensions: Dimensions {
                    length_in: Decimal::from(10),
                    width_in: Decimal::from(8),
                    height_in: Decimal::from(4),
                },
            },
            ship_from_id: None,
            ship_date: None,
            ship_to: ShipToChoice::AsEntered,
            ignore_bad_address: false,
            allow_additional_label: false,
            customs: None,
        }
    }

    async fn sim(&self, path: &str, body: Option<Value>) -> Value {
        sim(&self.desk, path, body).await
    }

    /// The tracking numbers of the labels Endicia charged the demo account for.
    async fn labels_charged(&self) -> Vec<String> {
        ledger(&self.desk, "Label")
            .await
            .iter()
            .map(|e| e["tracking_number"].as_str().unwrap().to_owned())
            .collect()
    }

    async fn balance(&self) -> Decimal {
        self.desk.endicia().account().await.unwrap().balance
    }
}

#[tokio::test]
async fn a_label_paid_from_endicia_lowers_its_balance_and_a_void_is_a_refund() {
    let shop = Shop::paying_from_endicia().await;
    let shipping = shop.desk.shipping();
    let order = shop.order("E1");

    let rates = shipping
        .rates_for_order(None, order, None, None, None)
        .await
        .unwrap();
    assert_eq!(rates.paid_from, "Endicia 2500123");
    let ground = rates
        .quotes
        .iter()
        .find(|q| q.choice.mail_class == "USPS_GROUND_ADVANTAGE")
        .expect("Endicia prices Ground Advantage");
    let you_pay = ground.price.unwrap();

    let before = shop.balance().await;
    let label = shipping
        .buy_label(Shop::request(order))
        .await
        .unwrap()
        .shipment;
    assert_eq!(label.postage, you_pay, "the label costs what the rate said");
    assert_eq!(shop.balance().await, before - you_pay);
    assert_eq!(
        shop.labels_charged().await,
        vec![label.tracking_number.clone()]
    );

    // A second label for the same order needs an explicit request; nothing is charged.
    let again = shipping.buy_label(Shop::request(order)).await.unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict, "{again:?}");
    assert_eq!(shop.labels_charged().await.len(), 1);

    // End of Day: the SCAN form comes from Endicia.
    let forms = shipping.create_scan_forms(None, None).await.unwrap();
    assert_eq!(forms.len(), 1, "{forms:?}");
    assert!(!shipping.scan_form_pdf(forms[0].id).unwrap().is_empty());

    // Void: Endicia approves a refund (credited later, as at Endicia).
    let order2 = shop.order("E2");
    let second = shipping
        .buy_label(Shop::request(order2))
        .await
        .unwrap()
        .shipment;
    // Endicia credits approved refunds about two weeks later.
    shop.sim(
        "refund-delay",
        Some(json!({"millis": 14 * 24 * 3600 * 1000u64})),
    )
    .await;
    let voided = shipping.void_label(second.id).await.unwrap();
    assert!(voided.usps_status.contains("Refund approved"), "{voided:?}");
    // Once Endicia credits the refund, the postage is back on the balance and in its ledger.
    let before_credit = shop.balance().await;
    assert!(
        shop.labels_charged()
            .await
            .contains(&second.tracking_number)
    );
    shop.sim("advance-clock", Some(json!({"seconds": 15 * 24 * 3600})))
        .await;
    assert_eq!(shop.balance().await, before_credit + second.postage);
    let ledger = shop.sim("ledger", None).await;
    let credited: Vec<&Value> = ledger
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "RefundCredit")
        .collect();
    assert_eq!(credited.len(), 1, "{ledger}");
    assert_eq!(
        credited[0]["tracking_number"],
        second.tracking_number.as_str()
    );
}

#[tokio::test]
async fn a_label_whose_answer_was_lost_is_never_bought_twice() {
    let shop = Shop::paying_from_endicia().await;
    let shipping = shop.desk.shipping();
    let order = shop.order("L1");

    shop.sim("drop-answer", Some(json!({"method": "GetPostageLabelXML"})))
        .await;
    let lost = shipping.buy_label(Shop::request(order)).await.unwrap_err();
    assert_eq!(shipping.unfinished_purchases().unwrap(), 1, "{lost:?}");
    assert_eq!(shop.labels_charged().await.len(), 1, "Endicia made it");

    // Checking again reads the registers: a piece was made since, so nothing is sent again,
    // now or later.
    let attempt = shipping.purchases_to_check().unwrap()[0].attempt_id;
    for _ in 0..2 {
        let check = shipping.check_purchase_again(attempt).await.unwrap_err();
        assert!(check.message.contains("will not buy it again"), "{check:?}");
        shop.clock.advance(Duration::minutes(5));
    }
    assert_eq!(shop.labels_charged().await.len(), 1);

    // Discarding says what to check at Endicia.
    let discarded = shipping.discard_purchase(attempt).await.unwrap();
    assert!(
        discarded.message.contains("transaction history"),
        "{discarded:?}"
    );
    assert_eq!(shipping.unfinished_purchases().unwrap(), 0);
}

#[tokio::test]
async fn a_refused_label_charges_nothing_and_the_next_try_buys_once() {
    let shop = Shop::paying_from_endicia().await;
    let shipping = shop.desk.shipping();
    let order = shop.order("R1");

    shop.sim(
        "fail-next",
        Some(json!({"method": "GetPostageLabelXML", "code": 12133})),
    )
    .await;
    let busy = shipping.buy_label(Shop::request(order)).await.unwrap_err();
    assert_eq!(busy.code, ErrorCode::EndiciaUnavailable, "{busy:?}");
    assert_eq!(shipping.unfinished_purchases().unwrap(), 0);
    assert!(shop.labels_charged().await.is_empty());

    let label = shipping
        .buy_label(Shop::request(order))
        .await
        .unwrap()
        .shipment;
    assert_eq!(shop.labels_charged().await, [label.tracking_number]);
}

#[tokio::test]
async fn without_a_login_the_label_is_not_sent_and_says_log_in() {
    let shop = Shop::paying_from_endicia().await;
    let order = shop.order("N1");
    shop.desk.endicia().logout().await;
    let err = shop
        .desk
        .shipping()
        .buy_label(Shop::request(order))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::EndiciaLoginRequired, "{err:?}");
    assert!(err.message.contains("2500123"), "{err:?}");
    assert!(shop.labels_charged().await.is_empty());
    assert_eq!(shop.desk.shipping().unfinished_purchases().unwrap(), 0);
}

#[tokio::test]
async fn a_batch_preview_shows_the_balance_it_is_paid_from_and_each_label_is_charged_once() {
    let shop = Shop::paying_from_endicia().await;
    let shipping = shop.desk.shipping();
    let orders = vec![shop.order("B1"), shop.order("B2")];
    let input = shipdesk_core::shipping::BatchInput {
        order_ids: orders,
        service: Some(RateChoice::single_piece("USPS_GROUND_ADVANTAGE")),
        ..Default::default()
    };
    let preview = shipping.preview_batch(&input).await.unwrap();
    assert_eq!(preview.paid_from, "Endicia 2500123");
    assert_eq!(preview.balance, Some(Decimal::from(100)));
    assert_eq!(preview.priced, 2, "{preview:?}");

    let report = shipping
        .buy_orders(
            &input,
            &shipdesk_core::shipping::BatchOptions::default(),
            &|_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 2, "{report:?}");
    let spent: Decimal = report.bought.iter().map(|s| s.postage).sum();
    assert_eq!(spent, preview.total, "charged what the preview said");
    assert_eq!(shop.balance().await, Decimal::from(100) - spent);
    let mut charged = shop.labels_charged().await;
    charged.sort();
    let mut stored: Vec<String> = report
        .bought
        .iter()
        .map(|s| s.tracking_number.clone())
        .collect();
    stored.sort();
    assert_eq!(charged, stored);
}

#[tokio::test]
async fn a_lost_endicia_login_asks_every_window_to_log_in_again() {
    let shop = Shop::paying_from_endicia().await;
    let shipping = shop.desk.shipping();
    let connections = shop.desk.connections();
    assert_eq!(connections.connection_snapshot().unwrap().endicia, None);

    // The pass phrase was changed elsewhere: Endicia refuses it on the label request.
    shop.sim(
        "fail-next",
        Some(json!({"method": "GetPostageLabelXML", "code": 12507})),
    )
    .await;
    let order = shop.order("P1");
    let err = shipping.buy_label(Shop::request(order)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::EndiciaLoginRequired, "{err:?}");
    assert_eq!(shipping.unfinished_purchases().unwrap(), 0);
    let attention = connections.connection_snapshot().unwrap().endicia.unwrap();
    assert_eq!(attention.account_number, DEMO);
    assert!(attention.prompt);
    assert!(attention.reason.contains("pass phrase"), "{attention:?}");

    // Remind Me Later hides the prompt; the banner (the attention) stays, and so does the need.
    assert!(connections.snooze_endicia_prompt().is_some());
    let snoozed = connections.connection_snapshot().unwrap().endicia.unwrap();
    assert!(!snoozed.prompt);
    let still = shipping.buy_label(Shop::request(order)).await.unwrap_err();
    assert_eq!(still.code, ErrorCode::EndiciaLoginRequired, "{still:?}");

    // Logging in again ends it, and the label is bought.
    login(&shop.desk).await;
    assert_eq!(connections.connection_snapshot().unwrap().endicia, None);
    shipping.buy_label(Shop::request(order)).await.unwrap();
    assert_eq!(shop.labels_charged().await.len(), 1);
}

#[tokio::test]
async fn a_label_request_lost_on_its_way_is_sent_again_once_the_registers_prove_it_was_not_made() {
    let shop = Shop::paying_from_endicia().await;
    let shipping = shop.desk.shipping();
    let order = shop.order("W1");

    shop.sim(
        "drop-request",
        Some(json!({"method": "GetPostageLabelXML"})),
    )
    .await;
    shipping.buy_label(Shop::request(order)).await.unwrap_err();
    assert_eq!(shipping.unfinished_purchases().unwrap(), 1);
    assert!(shop.labels_charged().await.is_empty());
    let attempt = shipping.purchases_to_check().unwrap()[0].attempt_id;

    // Too early to tell: a request still on its way could land.
    let early = shipping.check_purchase_again(attempt).await.unwrap_err();
    assert!(early.message.contains("two minutes"), "{early:?}");
    assert!(shop.labels_charged().await.is_empty());

    // Later, the registers have not moved: nothing was made, so it is sent again — once.
    shop.clock.advance(Duration::minutes(3));
    let label = shipping.check_purchase_again(attempt).await.unwrap();
    assert_eq!(shop.labels_charged().await, vec![label.tracking_number]);
    assert_eq!(shipping.unfinished_purchases().unwrap(), 0);
}

/// What can go wrong with a label request at Endicia.
#[derive(Debug, Clone, Copy)]
enum LabelFault {
    None,
    Refused(u32),
    AnswerLost,
    RequestLost,
    Slow,
}

#[tokio::test]
async fn every_fault_on_an_endicia_label_leaves_at_most_one_charge_per_order() {
    let faults = [
        LabelFault::None,
        LabelFault::Refused(12503), // not enough postage
        LabelFault::Refused(12133), // account busy
        LabelFault::Refused(12130), // service unavailable
        LabelFault::AnswerLost,
        LabelFault::RequestLost,
        LabelFault::Slow,
    ];
    let mut combinations = 0;
    for fault in faults {
        for restart in [false, true] {
            let case = format!("{fault:?}, restarted: {restart}");
            let mut shop = Shop::paying_from_endicia().await;
            let order = shop.order("M1");
            let method = json!({"method": "GetPostageLabelXML"});
            match fault {
                LabelFault::None => {}
                LabelFault::Refused(code) => {
                    shop.sim(
                        "fail-next",
                        Some(json!({"method": "GetPostageLabelXML", "code": code})),
                    )
                    .await;
                }
                LabelFault::AnswerLost => {
                    shop.sim("drop-answer", Some(method)).await;
                }
                LabelFault::RequestLost => {
                    shop.sim("drop-request", Some(method)).await;
                }
                LabelFault::Slow => {
                    shop.sim(
                        "delay-next",
                        Some(json!({"method": "GetPostageLabelXML", "millis": 300})),
                    )
                    .await;
                }
            }
            let first = shop.desk.shipping().buy_label(Shop::request(order)).await;
            if restart {
                shop = shop.restarted().await;
            }
            shop.clock.advance(Duration::minutes(3));
            let shipping = shop.desk.shipping();
            // Whatever is open is checked again (the app does it at start and from "Purchases
            // to check"), then the user buys what is still not bought.
            for open in shipping.purchases_to_check().unwrap() {
                let _ = shipping.check_purchase_again(open.attempt_id).await;
            }
            let stored = shop.stored_labels();
            if stored.is_empty() && shipping.unfinished_purchases().unwrap() == 0 {
                shipping.buy_label(Shop::request(order)).await.unwrap();
            }
            let charged = shop.labels_charged().await;
            assert!(
                charged.len() <= 1,
                "{case}: charged {charged:?} ({first:?})"
            );
            let stored = shop.stored_labels();
            match fault {
                // Endicia made it and the answer is gone: never bought again, still open for
                // the user to check at Endicia.
                LabelFault::AnswerLost => {
                    assert!(stored.is_empty(), "{case}");
                    assert_eq!(shipping.unfinished_purchases().unwrap(), 1, "{case}");
                    assert_eq!(charged.len(), 1, "{case}");
                }
                _ => {
                    assert_eq!(
                        charged, stored,
                        "{case}: the ledger equals the labels stored"
                    );
                    assert_eq!(stored.len(), 1, "{case}");
                }
            }
            combinations += 1;
        }
    }
    println!("endicia label fault matrix: {combinations} combinations");
}

#[tokio::test]
async fn postage_is_bought_automatically_before_a_label_when_the_balance_is_low() {
    let shop = Shop::paying_from_endicia().await;
    let endicia = shop.desk.endicia();
    let shipping = shop.desk.shipping();
    // Off by default: a label leaves the balance as it is.
    assert_eq!(endicia.account().await.unwrap().auto_buy, None);
    let first = shipping
        .buy_label(Shop::request(shop.order("A1")))
        .await
        .unwrap()
        .shipment;
    let after_first = Decimal::from(100) - first.postage;
    assert_eq!(shop.balance().await, after_first);

    // Below $99 (it is now), buy $50 before the next label.
    let account = endicia
        .set_auto_buy(Some(shipdesk_core::carriers::endicia::AutoBuyInput {
            below: "$99".into(),
            amount: "50".into(),
        }))
        .await
        .unwrap();
    assert_eq!(account.auto_buy.unwrap().amount, Decimal::from(50));
    let second = shipping
        .buy_label(Shop::request(shop.order("A2")))
        .await
        .unwrap()
        .shipment;
    assert_eq!(
        shop.balance().await,
        after_first + Decimal::from(50) - second.postage
    );
    let bought: Vec<Decimal> = endicia
        .account()
        .await
        .unwrap()
        .purchases
        .iter()
        .map(|p| p.amount)
        .collect();
    assert_eq!(bought, [Decimal::from(50)], "bought once");
    assert_eq!(shop.labels_charged().await.len(), 2);

    // Off again.
    assert_eq!(endicia.set_auto_buy(None).await.unwrap().auto_buy, None);
}

#[tokio::test]
async fn two_processes_on_one_data_directory_buy_one_endicia_label_for_one_order() {
    let shop = Shop::paying_from_endicia().await;
    // The app and a CLI command: each its own desk (database connections, Sandbox simulator over
    // the one state file), one data directory.
    let cli = open_desk(shop.dir.path(), shop.clock.clone());
    login(&cli).await;
    let order = shop.order("T1");
    // The app's request is still on its way when the command's comes.
    shop.sim(
        "delay-next",
        Some(json!({"method": "GetPostageLabelXML", "millis": 700})),
    )
    .await;
    let (app, command) = tokio::join!(
        shop.desk.shipping().buy_label(Shop::request(order)),
        async {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            cli.shipping().buy_label(Shop::request(order)).await
        }
    );
    assert!(app.is_ok(), "{app:?}");
    let refused = command.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict, "{refused:?}");
    assert_eq!(shop.labels_charged().await, shop.stored_labels());
    assert_eq!(shop.stored_labels().len(), 1);
    assert_eq!(cli.shipping().unfinished_purchases().unwrap(), 0);
}
