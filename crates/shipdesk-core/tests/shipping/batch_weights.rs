//! A batch buys each order as a single Buy would: at the order's own weight (the batch's weight
//! only for orders without one, and no label at all without any), through the USPS address
//! check with the standardized address (ZIP+4) on the label, and an address USPS does not
//! recognise held back unless the batch prints addresses as entered. Checked against what the
//! simulator charged.

use std::sync::atomic::AtomicBool;

use rust_decimal::Decimal;
use shipdesk_core::orders::{Address, LineItem, OrderInput};
use shipdesk_core::shipping::{
    BatchAddresses, BatchInput, BatchOptions, BatchProgress, Dimensions, HoldReason, Package,
    RateChoice, Shipment, WeightSource,
};
use usps_sim::LedgerKind;

use crate::harness::Rig;

const SHOP_ZIP: &str = "63116";

fn quiet(_: BatchProgress) {}

fn ground() -> RateChoice {
    RateChoice::single_piece("USPS_GROUND_ADVANTAGE")
}

fn box_10x8x4() -> Dimensions {
    Dimensions {
        length_in: Decimal::from(10),
        width_in: Decimal::from(8),
        height_in: Decimal::from(4),
    }
}

fn oz(n: i64) -> Decimal {
    Decimal::from(n)
}

/// An order to `street` whose items are `(quantity, ounces each)`.
fn order(
    rig: &Rig,
    number: &str,
    street: (&str, &str, &str, &str),
    items: &[(u32, Option<Decimal>)],
) -> i64 {
    let (street1, city, state, zip) = street;
    rig.desk
        .orders()
        .create(OrderInput {
            order_number: number.into(),
            ship_to: Address {
                name: format!("Customer {number}"),
                street1: street1.into(),
                city: city.into(),
                state: state.into(),
                zip5: zip.into(),
                country: "US".into(),
                ..Default::default()
            },
            items: items
                .iter()
                .enumerate()
                .map(|(i, (quantity, weight_oz))| LineItem {
                    sku: Some(format!("{number}-{i}")),
                    title: "Widget".into(),
                    quantity: *quantity,
                    unit_price: Some(Decimal::from(10)),
                    weight_oz: *weight_oz,
                    hs_tariff: None,
                    origin_country: None,
                    currency: None,
                })
                .collect(),
            ..Default::default()
        })
        .unwrap()
        .id
}

const CHICAGO: (&str, &str, &str, &str) = ("2516 w north avenue", "Chicago", "IL", "60647");
const AUSTIN: (&str, &str, &str, &str) = ("500 congress avenue", "Austin", "TX", "78701");
const BOSTON: (&str, &str, &str, &str) = ("21 beacon street", "Boston", "MA", "02108");
/// No house number: USPS finds no such address.
const NOWHERE: (&str, &str, &str, &str) = ("Nowhere Street", "Chicago", "IL", "60647");

/// What a single order's Ground Advantage label costs at `weight_oz` to `zip`.
async fn single_order_price(rig: &Rig, zip: &str, weight_oz: Decimal) -> Decimal {
    let package = Package {
        weight_oz,
        dimensions: box_10x8x4(),
    };
    let answer = rig
        .shipping
        .rates(None, SHOP_ZIP, zip, &package, None)
        .await
        .unwrap();
    answer
        .quotes
        .iter()
        .find(|q| q.choice == ground())
        .and_then(|q| q.price)
        .expect("Ground Advantage is priced")
}

/// What the simulator charged for the label.
fn charged_amount(rig: &Rig, s: &Shipment) -> f64 {
    rig.sim
        .ledger()
        .iter()
        .filter(|e| e.kind == LedgerKind::Charged && e.tracking_number == s.tracking_number)
        .map(|e| e.amount)
        .sum()
}

fn shipment_for(bought: &[Shipment], order_id: i64) -> &Shipment {
    bought
        .iter()
        .find(|s| s.order_id == order_id)
        .unwrap_or_else(|| panic!("no label for order {order_id}: {bought:#?}"))
}

#[tokio::test]
async fn each_order_is_charged_at_its_own_weight_with_the_standardized_address() {
    let rig = Rig::start().await;
    // 1 lb 4 oz in two items, 3 lb, and one whose items carry no weight.
    let light = order(&rig, "W1", CHICAGO, &[(2, Some(oz(10)))]);
    let heavy = order(&rig, "W2", AUSTIN, &[(1, Some(oz(48)))]);
    let unweighed = order(&rig, "W3", BOSTON, &[(1, None)]);
    let input = BatchInput {
        order_ids: vec![light, heavy, unweighed],
        service: Some(ground()),
        fallback_weight_oz: Some(oz(12)),
        ..Default::default()
    };

    let prices_before = rig.sim_calls("prices");
    let preview = rig.shipping.preview_batch(&input).await.unwrap();
    let weights: Vec<(WeightSource, Option<Decimal>)> = preview
        .lines
        .iter()
        .map(|l| (l.weight, l.package.map(|p| p.weight_oz)))
        .collect();
    assert_eq!(
        weights,
        [
            (WeightSource::Order, Some(oz(20))),
            (WeightSource::Order, Some(oz(48))),
            (WeightSource::Fallback, Some(oz(12))),
        ]
    );
    assert_eq!(
        (
            preview.to_buy,
            preview.using_fallback,
            preview.without_weight
        ),
        (3, 1, 0)
    );
    // Three distinct packages and destinations: three rate requests (published and contract).
    assert_eq!(rig.sim_calls("prices") - prices_before, 3 * 2);
    let expected = [
        single_order_price(&rig, "60647", oz(20)).await,
        single_order_price(&rig, "78701", oz(48)).await,
        single_order_price(&rig, "02108", oz(12)).await,
    ];
    let quoted: Vec<Option<Decimal>> = preview
        .lines
        .iter()
        .map(|l| l.quote.as_ref().and_then(|q| q.price))
        .collect();
    assert_eq!(quoted, expected.map(Some));
    assert_eq!(preview.total, expected.iter().sum::<Decimal>());
    assert_eq!(preview.priced, 3);
    let ground_total = preview
        .services
        .iter()
        .find(|s| s.choice == ground())
        .expect("Ground Advantage offered");
    assert_eq!(
        (ground_total.total, ground_total.priced),
        (preview.total, 3)
    );

    let addresses_before = rig.sim_calls("addresses");
    let report = rig
        .shipping
        .buy_orders(
            &input,
            &BatchOptions::default(),
            &quiet,
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 3, "{report:#?}");
    assert!(report.needs_attention.is_empty());
    assert_eq!(
        rig.sim_calls("addresses") - addresses_before,
        3,
        "one check per order"
    );
    for (order_id, weight, price) in [
        (light, oz(20), expected[0]),
        (heavy, oz(48), expected[1]),
        (unweighed, oz(12), expected[2]),
    ] {
        let s = shipment_for(&report.bought, order_id);
        assert_eq!(s.weight_oz, weight, "{s:#?}");
        assert_eq!(
            s.postage, price,
            "charged as a single order of that weight: {s:#?}"
        );
        let charged = charged_amount(&rig, s);
        assert!(
            (charged - price.to_string().parse::<f64>().unwrap()).abs() < 0.005,
            "the simulator charged {charged} for {}, the app stored {price}",
            s.tracking_number
        );
        assert_eq!(s.address_choice, "standardized");
        assert!(
            s.ship_to.zip4.is_some(),
            "ZIP+4 on the label: {:?}",
            s.ship_to
        );
        assert_eq!(s.ship_to.street1, s.ship_to.street1.to_uppercase());
    }
    assert_ne!(expected[0], expected[1], "the weights price differently");
    rig.assert_exactly_once();
}

#[tokio::test]
async fn an_order_without_any_weight_is_held_back_and_bought_once_it_has_one() {
    let rig = Rig::start().await;
    let weighed = order(&rig, "N1", CHICAGO, &[(1, Some(oz(20)))]);
    let unweighed = order(&rig, "N2", AUSTIN, &[(1, None)]);
    let input = BatchInput {
        order_ids: vec![weighed, unweighed],
        service: Some(ground()),
        ..Default::default()
    };
    let preview = rig.shipping.preview_batch(&input).await.unwrap();
    assert_eq!((preview.to_buy, preview.without_weight), (1, 1));
    let line = &preview.lines[1];
    assert_eq!(line.weight, WeightSource::Missing);
    assert!(line.package.is_none() && line.rates.is_none());
    assert!(
        line.blocked
            .as_ref()
            .unwrap()
            .message
            .contains("has no weight")
    );

    let report = rig
        .shipping
        .buy_orders(
            &input,
            &BatchOptions::default(),
            &quiet,
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 1, "{report:#?}");
    assert_eq!(report.bought[0].order_id, weighed);
    assert_eq!(report.needs_attention.len(), 1);
    let hold = &report.needs_attention[0];
    assert_eq!(
        (hold.order_id, hold.reason),
        (unweighed, HoldReason::NoWeight)
    );
    assert_eq!(
        rig.charged().len(),
        1,
        "nothing was bought at a guessed weight"
    );
    assert_eq!(rig.open_attempts(), 0);

    // The user weighs it: "Retry failed" buys it at that weight.
    let orders = rig.desk.orders();
    let mut fixed = orders.get(unweighed).unwrap();
    fixed.items[0].weight_oz = Some(oz(36));
    orders
        .update(
            unweighed,
            OrderInput {
                order_number: fixed.order_number,
                status: None,
                ship_to: fixed.ship_to,
                items: fixed.items,
                tags: fixed.tags,
                notes: fixed.notes,
            },
        )
        .unwrap();
    let retry = rig
        .shipping
        .retry_batch(
            &report,
            &BatchOptions::default(),
            &quiet,
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(retry.total, 1, "only what was not bought: {retry:#?}");
    assert_eq!(retry.bought.len(), 1, "{retry:#?}");
    assert_eq!(retry.bought[0].weight_oz, oz(36));
    rig.assert_exactly_once();
}

#[tokio::test]
async fn an_address_usps_does_not_recognise_is_held_back_unless_printed_as_entered() {
    let rig = Rig::start().await;
    let good = order(&rig, "A1", CHICAGO, &[(1, Some(oz(20)))]);
    let unknown = order(&rig, "A2", NOWHERE, &[(1, Some(oz(20)))]);
    let input = BatchInput {
        order_ids: vec![good, unknown],
        service: Some(ground()),
        ..Default::default()
    };
    let report = rig
        .shipping
        .buy_orders(
            &input,
            &BatchOptions::default(),
            &quiet,
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 1, "{report:#?}");
    assert_eq!(report.bought[0].order_id, good);
    let hold = &report.needs_attention[0];
    assert_eq!(
        (hold.order_id, hold.reason),
        (unknown, HoldReason::AddressNotRecognized)
    );
    assert!(
        hold.message.contains("does not recognize"),
        "{}",
        hold.message
    );
    let check = hold.address_check.as_ref().expect("USPS's answer kept");
    assert!(check.standardized.is_none());
    assert_eq!(
        rig.charged().len(),
        1,
        "the unknown address was not labelled"
    );
    assert_eq!(rig.open_attempts(), 0, "nothing journaled for it");

    // The user insists: this order, addresses as entered.
    let as_entered = BatchInput {
        order_ids: vec![unknown],
        addresses: BatchAddresses::AsEntered,
        ..report.input.clone()
    };
    let addresses_before = rig.sim_calls("addresses");
    let again = rig
        .shipping
        .buy_orders(
            &as_entered,
            &BatchOptions::default(),
            &quiet,
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(again.bought.len(), 1, "{again:#?}");
    let s = &again.bought[0];
    assert_eq!(s.address_choice, "as_entered");
    assert_eq!(s.ship_to.street1, "Nowhere Street");
    assert_eq!(rig.sim_calls("addresses"), addresses_before, "not checked");
    rig.assert_exactly_once();
}

#[tokio::test]
async fn without_a_service_each_order_gets_the_one_recommended_for_its_own_package() {
    let rig = Rig::start().await;
    let small = order(&rig, "R1", CHICAGO, &[(1, Some(oz(6)))]);
    let big = order(&rig, "R2", BOSTON, &[(3, Some(oz(80)))]);
    let input = BatchInput {
        order_ids: vec![small, big],
        fallback_weight_oz: None,
        ..Default::default()
    };
    let preview = rig.shipping.preview_batch(&input).await.unwrap();
    assert!(preview.every_order_has_recommendation);
    for line in &preview.lines {
        let rates = line.rates.as_ref().expect("rates");
        assert_eq!(
            line.quote.as_ref().map(|q| &q.choice),
            rates.recommended.as_ref(),
            "{line:#?}"
        );
    }
    let report = rig
        .shipping
        .buy_orders(
            &input,
            &BatchOptions::default(),
            &quiet,
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(report.bought.len(), 2, "{report:#?}");
    for line in &preview.lines {
        let s = shipment_for(&report.bought, line.order_id);
        let quote = line.quote.as_ref().unwrap();
        assert_eq!(s.mail_class, quote.choice.mail_class);
        assert_eq!(Some(s.weight_oz), line.package.map(|p| p.weight_oz));
    }
    rig.assert_exactly_once();
}
