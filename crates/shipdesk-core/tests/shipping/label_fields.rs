//! The app never sends USPS what USPS refuses for its length, characters or size: the order
//! form, the ship-from form and the purchase name the field first, label text goes out as the
//! plain ASCII USPS prints, and a box too big or heavy for its class is refused before the call.

use rust_decimal::Decimal;
use shipdesk_core::error::{ErrorCode, ErrorDetails};
use shipdesk_core::orders::{Address, LineItem, OrderInput};
use shipdesk_core::shipping::{Dimensions, RateChoice, ShipFromInput, ShipToChoice};

use crate::harness::Rig;

fn problem_fields(e: &shipdesk_core::error::AppError) -> Vec<String> {
    match e.details.as_deref() {
        Some(ErrorDetails::OrderProblems { problems }) => {
            problems.iter().map(|p| p.field.clone()).collect()
        }
        other => panic!("no field problems in {e:?} ({other:?})"),
    }
}

fn order_to(address: Address) -> OrderInput {
    OrderInput {
        order_number: "LF-1".into(),
        ship_to: address,
        items: vec![LineItem {
            sku: None,
            title: "Widget".into(),
            quantity: 1,
            unit_price: None,
            weight_oz: None,
            hs_tariff: None,
            origin_country: None,
            currency: None,
        }],
        ..Default::default()
    }
}

fn address() -> Address {
    Address {
        name: "José Müller".into(),
        street1: "1100 Wyoming St".into(),
        city: "Saint Louis".into(),
        state: "MO".into(),
        zip5: "63118".into(),
        country: "US".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_order_form_names_a_street_or_city_too_long_for_a_label() {
    let rig = Rig::start().await;
    let too_long = Address {
        street1: format!("1100 Wyoming Street, Building {}", "B".repeat(30)),
        city: "Saint Louis County Unincorporated".into(),
        ..address()
    };
    let e = rig.desk.orders().create(order_to(too_long)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(problem_fields(&e), ["ship_to.street1", "ship_to.city"]);
    assert!(e.message.contains("at most 50"), "{}", e.message);
    assert!(e.message.contains("at most 28"), "{}", e.message);
}

#[tokio::test]
async fn a_ship_from_address_too_long_for_a_label_is_refused() {
    let rig = Rig::start().await;
    let e = rig
        .shipping
        .add_ship_from(ShipFromInput {
            nickname: "Warehouse".into(),
            address: Address {
                company: Some("C".repeat(51)),
                ..address()
            },
            is_default: false,
        })
        .unwrap_err();
    assert_eq!(problem_fields(&e), ["ship_from.company"]);
}

#[tokio::test]
async fn a_purchase_refuses_an_address_too_long_before_asking_usps() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let before = rig.sim_calls("labels");
    let mut request = rig.request(order);
    // The address a caller sends as "standardized" is not an order the form checked.
    request.ship_to = ShipToChoice::Standardized {
        address: Box::new(Address {
            street2: Some("Suite ".repeat(10)),
            ..address()
        }),
    };
    let e = rig.shipping.buy_label(request).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(problem_fields(&e), ["ship_to.street2"]);
    assert_eq!(rig.sim_calls("labels"), before);
    assert_eq!(rig.open_attempts(), 0);
    assert!(rig.charged().is_empty());
}

#[tokio::test]
async fn label_text_goes_out_in_the_ascii_usps_prints() {
    let rig = Rig::start().await;
    let order = rig
        .desk
        .orders()
        .create(order_to(Address {
            street1: "1100 Wyoming Straße".into(),
            ..address()
        }))
        .unwrap();
    // Stored as written: the packing slip and the app show the customer's own spelling.
    assert_eq!(order.ship_to.name, "José Müller");
    rig.shipping.buy_label(rig.request(order.id)).await.unwrap();
    let label = rig.sim.labels().pop().expect("a label at USPS");
    let to = &label.request["toAddress"];
    assert_eq!(to["firstName"], "Jose");
    assert_eq!(to["lastName"], "Muller");
    assert_eq!(to["streetAddress"], "1100 Wyoming Strasse");
}

#[tokio::test]
async fn a_box_too_large_or_heavy_for_the_class_is_refused_before_asking_usps() {
    let rig = Rig::start().await;
    let order = rig.orders(1)[0];
    let before = rig.sim_calls("labels");
    // 30 + 2 × (20 + 20) = 110 in: over Priority Mail's 108, within Ground Advantage's 130.
    let mut big = rig.request(order);
    big.rate = RateChoice::single_piece("PRIORITY_MAIL");
    big.package.dimensions = Dimensions {
        length_in: Decimal::from(30),
        width_in: Decimal::from(20),
        height_in: Decimal::from(20),
    };
    let e = rig.shipping.buy_label(big.clone()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(
        e.message.contains("108 in length plus girth"),
        "{}",
        e.message
    );
    assert!(e.message.contains("110 in"), "{}", e.message);

    let mut heavy = rig.request(order);
    heavy.rate = RateChoice::single_piece("BOUND_PRINTED_MATTER");
    heavy.package.weight_oz = Decimal::from(16 * 16);
    let e = rig.shipping.buy_label(heavy).await.unwrap_err();
    assert!(e.message.contains("up to 15 lb"), "{}", e.message);
    assert_eq!(rig.sim_calls("labels"), before);
    assert_eq!(rig.open_attempts(), 0);

    // The same box by Ground Advantage fits and is bought.
    big.rate = RateChoice::single_piece("USPS_GROUND_ADVANTAGE");
    rig.shipping
        .buy_label(big)
        .await
        .expect("Ground Advantage takes 110 in");
}
