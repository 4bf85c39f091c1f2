//! An order to Canada, end to end against the simulator's International Prices and Labels:
//! rates by country, the customs form prefilled from the order (and, the second time, from the
//! SKUs' saved customs data), refused without it or with a field missing, bought exactly once
//! with the declaration printed in the label PDF, and voided.

use rust_decimal::Decimal;
use shipdesk_core::error::ErrorCode;
use shipdesk_core::orders::{Address, LineItem, OrderInput};
use shipdesk_core::postage::customs::{CustomsDeclaration, Restriction};
use shipdesk_core::shipping::{
    Dimensions, Package, PurchaseRequest, RateChoice, ShipToChoice, ShipmentStatus,
};

use crate::harness::{Rig, RigOptions, json_of};

fn canadian_order(rig: &Rig, number: &str) -> i64 {
    rig.desk
        .orders()
        .create(OrderInput {
            order_number: number.into(),
            ship_to: Address {
                name: "Amelie Tremblay".into(),
                street1: "24 Sussex Dr".into(),
                city: "Ottawa".into(),
                state: "ON".into(),
                zip5: "K1M 1M4".into(),
                country: "CA".into(),
                phone: Some("613 555 0123".into()),
                ..Default::default()
            },
            items: vec![
                LineItem {
                    sku: Some("HC-1".into()),
                    title: "Hand Cream".into(),
                    quantity: 2,
                    unit_price: Some(Decimal::new(1250, 2)),
                    weight_oz: Some(Decimal::from(6)),
                    hs_tariff: None,
                    origin_country: None,
                    currency: None,
                },
                LineItem {
                    sku: Some("LB-2".into()),
                    title: "Lip Balm".into(),
                    quantity: 1,
                    unit_price: Some(Decimal::from(4)),
                    weight_oz: Some(Decimal::from(1)),
                    hs_tariff: None,
                    origin_country: None,
                    currency: None,
                },
            ],
            ..Default::default()
        })
        .unwrap()
        .id
}

fn package() -> Package {
    Package {
        weight_oz: Decimal::from(16),
        dimensions: Dimensions {
            length_in: Decimal::from(9),
            width_in: Decimal::from(6),
            height_in: Decimal::from(3),
        },
    }
}

fn request(
    order_id: i64,
    rate: RateChoice,
    customs: Option<CustomsDeclaration>,
) -> PurchaseRequest {
    PurchaseRequest {
        order_id,
        account_id: None,
        rate,
        package: package(),
        ship_from_id: None,
        ship_date: None,
        ship_to: ShipToChoice::AsEntered,
        ignore_bad_address: false,
        allow_additional_label: false,
        customs,
    }
}

#[tokio::test]
async fn an_order_to_canada_is_priced_declared_bought_once_and_voided() {
    let rig = Rig::start().await;
    let order = canadian_order(&rig, "#3001");

    let rates = rig
        .shipping
        .rates_for_order(None, order, Some(package()), None, None)
        .await
        .unwrap();
    assert_eq!(rates.destination_country, "CA");
    let classes: Vec<&str> = rates
        .quotes
        .iter()
        .map(|q| q.choice.mail_class.as_str())
        .collect();
    assert!(
        classes.contains(&"PRIORITY_MAIL_INTERNATIONAL"),
        "{classes:?}"
    );
    let first_class = rates
        .quotes
        .iter()
        .find(|q| q.choice.mail_class == "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE")
        .expect("First-Class Package International is quoted");
    assert_eq!(first_class.restriction, None, "any contents may use it");
    assert!(first_class.warnings.iter().any(|w| w.contains("$400")));
    let recommended = rates.recommended.clone().expect("a default service abroad");
    assert!(
        recommended.mail_class.ends_with("INTERNATIONAL_SERVICE")
            || recommended.mail_class.ends_with("INTERNATIONAL")
    );
    let check = rig.shipping.check_order_address(None, order).await.unwrap();
    assert!(
        check
            .message
            .unwrap()
            .contains("USPS checks US addresses only")
    );

    // The form as the order fills it: what it cannot know is listed per field.
    let draft = rig.shipping.customs_draft(order).unwrap();
    assert_eq!(draft.declaration.items.len(), 2);
    assert_eq!(draft.declaration.items[0].value_usd, Decimal::new(1250, 2));
    assert_eq!(
        draft.missing.keys().collect::<Vec<_>>(),
        [
            "customs.items[0].hs_tariff",
            "customs.items[0].origin_country",
            "customs.items[1].hs_tariff",
            "customs.items[1].origin_country"
        ]
    );

    let pmi = RateChoice::single_piece("PRIORITY_MAIL_INTERNATIONAL");
    let without = rig
        .shipping
        .buy_label(request(order, pmi.clone(), None))
        .await
        .unwrap_err();
    assert_eq!(without.code, ErrorCode::Validation);
    assert!(
        without.message.contains("customs form"),
        "{}",
        without.message
    );
    let mut declaration = draft.declaration.clone();
    declaration.items[0].hs_tariff = Some("3304.99".into());
    declaration.items[0].origin_country = Some("US".into());
    declaration.items[1].origin_country = Some("US".into());
    let one_missing = rig
        .shipping
        .buy_label(request(order, pmi.clone(), Some(declaration.clone())))
        .await
        .unwrap_err();
    assert_eq!(
        json_of(&one_missing)["details"]["fields"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["customs.items[1].hs_tariff"]
    );
    assert_eq!(rig.sim_calls("international-labels"), 0, "nothing sent");

    declaration.items[1].hs_tariff = Some("3304.10".into());
    let bought = rig
        .shipping
        .buy_label(request(order, pmi, Some(declaration)))
        .await
        .unwrap()
        .shipment;
    assert!(bought.tracking_number.ends_with("US") && bought.tracking_number.len() == 13);
    assert_eq!(bought.service_name, "Priority Mail International");
    assert!(bought.postage > Decimal::ZERO);
    rig.assert_exactly_once();
    let pdf = &rig.shipping.label_documents(&[bought.id], None).unwrap()[0].pdf;
    // The simulator's PDF, as bought: the label, then the customs declaration with the items.
    let text = String::from_utf8_lossy(pdf);
    assert!(pdf.starts_with(b"%PDF"));
    for printed in [
        "CUSTOMS DECLARATION",
        "Hand Cream",
        "330499",
        "NO EEI 30.36",
    ] {
        assert!(text.contains(printed), "{printed} not in the label PDF");
    }

    // The next order of the same products fills its form by itself.
    let again = canadian_order(&rig, "#3002");
    let second = rig.shipping.customs_draft(again).unwrap();
    assert_eq!(second.from_saved, 2);
    assert!(second.missing.is_empty(), "{:?}", second.missing);
    assert_eq!(
        second.declaration.items[1].hs_tariff.as_deref(),
        Some("330410")
    );

    let voided = rig.shipping.void_label(bought.id).await.unwrap();
    assert_eq!(voided.shipment.status, ShipmentStatus::Voided, "{voided:?}");
}

#[tokio::test]
async fn exports_over_2500_need_an_itn_and_first_class_abroad_takes_400_at_most() {
    let rig = Rig::start().await;
    let order = canadian_order(&rig, "#3101");
    let mut declaration = rig.shipping.customs_draft(order).unwrap().declaration;
    for item in &mut declaration.items {
        item.hs_tariff = Some("330499".into());
        item.origin_country = Some("US".into());
        item.value_usd = Decimal::from(300);
    }
    let first_class = RateChoice::single_piece("FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE");
    let capped = rig
        .shipping
        .buy_label(request(order, first_class, Some(declaration.clone())))
        .await
        .unwrap_err();
    assert!(
        capped.message.contains("at most $400"),
        "{}",
        capped.message
    );

    // To the UK, $2,700 under one Schedule B number: the exemption legend does not apply.
    let uk = rig
        .desk
        .orders()
        .create(OrderInput {
            order_number: "#3102".into(),
            ship_to: Address {
                name: "Oliver Smith".into(),
                street1: "10 Downing St".into(),
                city: "London".into(),
                zip5: "SW1A 2AA".into(),
                country: "GB".into(),
                ..Default::default()
            },
            items: vec![LineItem {
                sku: Some("WATCH".into()),
                title: "Wrist watch".into(),
                quantity: 1,
                unit_price: Some(Decimal::from(2700)),
                weight_oz: Some(Decimal::from(8)),
                hs_tariff: None,
                origin_country: None,
                currency: None,
            }],
            ..Default::default()
        })
        .unwrap()
        .id;
    let mut watch = rig.shipping.customs_draft(uk).unwrap().declaration;
    watch.items[0].hs_tariff = Some("9102.11".into());
    watch.items[0].origin_country = Some("CH".into());
    let pmi = RateChoice::single_piece("PRIORITY_MAIL_INTERNATIONAL");
    let refused = rig
        .shipping
        .buy_label(request(uk, pmi.clone(), Some(watch.clone())))
        .await
        .unwrap_err();
    assert!(
        json_of(&refused)["details"]["fields"]["customs.aes_itn"]
            .as_str()
            .unwrap()
            .contains("over $2,500")
    );
    watch.aes_itn = Some("AES X20261202123456".into());
    watch.restriction = Some(Restriction::Other);
    watch.restriction_comments = Some("Watch battery".into());
    let bought = rig
        .shipping
        .buy_label(request(uk, pmi, Some(watch)))
        .await
        .unwrap();
    assert!(bought.shipment.tracking_number.starts_with("CP"));
    let sent = rig
        .sim
        .labels()
        .into_iter()
        .find(|l| format!("{l:?}").contains(&bought.shipment.tracking_number))
        .expect("the simulator keeps the label");
    let sent = format!("{sent:?}");
    assert!(
        sent.contains("OTHER") && sent.contains("Watch battery"),
        "the restriction went out on the customs form: {sent}"
    );
}

#[tokio::test]
async fn a_military_post_office_takes_a_customs_form_on_its_domestic_label() {
    let rig = Rig::start().await;
    let apo = rig
        .desk
        .orders()
        .create(OrderInput {
            order_number: "#3201".into(),
            ship_to: Address {
                name: "Sgt Maria Lopez".into(),
                street1: "Unit 2050 Box 4190".into(),
                city: "APO".into(),
                state: "AE".into(),
                zip5: "09012".into(),
                country: "US".into(),
                ..Default::default()
            },
            items: vec![LineItem {
                sku: Some("HC-1".into()),
                title: "Hand Cream".into(),
                quantity: 1,
                unit_price: Some(Decimal::from(12)),
                weight_oz: Some(Decimal::from(6)),
                hs_tariff: None,
                origin_country: None,
                currency: None,
            }],
            ..Default::default()
        })
        .unwrap()
        .id;
    let priority = RateChoice::single_piece("PRIORITY_MAIL");
    let refused = rig
        .shipping
        .buy_label(request(apo, priority.clone(), None))
        .await
        .unwrap_err();
    assert!(
        refused.message.contains("military post office"),
        "{}",
        refused.message
    );
    let mut declaration = rig.shipping.customs_draft(apo).unwrap().declaration;
    declaration.contents = shipdesk_core::postage::customs::ContentsType::Gift;
    declaration.items[0].origin_country = Some("US".into());
    // The Sandbox's address data has no military post offices: printed as entered.
    let bought = rig
        .shipping
        .buy_label(PurchaseRequest {
            ignore_bad_address: true,
            ..request(apo, priority, Some(declaration))
        })
        .await
        .unwrap();
    assert_eq!(bought.shipment.service_name, "Priority Mail");
    let sent = format!(
        "{:?}",
        rig.sim
            .labels()
            .into_iter()
            .find(|l| format!("{l:?}").contains(&bought.shipment.tracking_number))
            .unwrap()
    );
    assert!(
        sent.contains("GIFT"),
        "the customs form went with the label: {sent}"
    );
    rig.assert_exactly_once();
}

#[tokio::test]
async fn a_label_abroad_charged_but_never_answered_is_bought_once_when_bought_again() {
    let rig = Rig::start_with(RigOptions {
        max_attempts: 1,
        ..Default::default()
    })
    .await;
    let order = canadian_order(&rig, "#3301");
    let mut declaration = rig.shipping.customs_draft(order).unwrap().declaration;
    for item in &mut declaration.items {
        item.hs_tariff = Some("330499".into());
        item.origin_country = Some("US".into());
    }
    // USPS makes the label, then the connection drops: the app never sees the answer.
    rig.control("drop-label-response", serde_json::json!({"count": 1}))
        .await;
    let pmi = RateChoice::single_piece("PRIORITY_MAIL_INTERNATIONAL");
    let lost = rig
        .shipping
        .buy_label(request(order, pmi.clone(), Some(declaration.clone())))
        .await
        .unwrap_err();
    assert_eq!(lost.code, ErrorCode::PurchaseOutcomeUnknown, "{lost:?}");
    assert_eq!(rig.charged().len(), 1);
    assert_eq!(rig.open_attempts(), 1);
    // Buy again: the open purchase is sent again under its key, and USPS answers with the label
    // it already made and charged — not a second one.
    let again = rig
        .shipping
        .buy_label(request(order, pmi, Some(declaration)))
        .await
        .unwrap();
    assert!(again.resumed_earlier_attempt);
    assert!(again.shipment.tracking_number.ends_with("US"));
    assert!(rig.charged().contains(&again.shipment.tracking_number));
    assert_eq!(rig.charged().len(), 1);
    assert_eq!(rig.open_attempts(), 0);
    assert!(
        rig.restarted_service()
            .reconcile_unfinished()
            .await
            .unwrap()
            .recovered
            .is_empty()
    );
    rig.assert_exactly_once();
}
