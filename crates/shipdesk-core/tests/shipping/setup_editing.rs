//! Settings › Ship-from addresses and Packages: editing, defaults and removal never break what
//! was done with an address or a box — labels keep the address they were bought from, an address
//! in use is archived instead of deleted, and an address with an unfinished purchase waits.

use rust_decimal::Decimal;
use serde_json::json;
use shipdesk_core::error::{AppError, ErrorCode, ErrorDetails};
use shipdesk_core::orders::Address;
use shipdesk_core::shipping::{
    Dimensions, PackagePresetInput, PurchaseRequest, ShipFromInput, ShipFromRemoval,
};

use crate::harness::Rig;

fn warehouse() -> ShipFromInput {
    ShipFromInput {
        nickname: "Warehouse".into(),
        address: Address {
            name: "Ana Lee".into(),
            street1: "1100 Wyoming St".into(),
            city: "Saint Louis".into(),
            state: "MO".into(),
            zip5: "63118".into(),
            country: "US".into(),
            ..Default::default()
        },
        is_default: false,
    }
}

fn problem_fields(e: &AppError) -> Vec<String> {
    match e.details.as_deref() {
        Some(ErrorDetails::OrderProblems { problems }) => {
            problems.iter().map(|p| p.field.clone()).collect()
        }
        other => panic!("no field problems in {e:?} ({other:?})"),
    }
}

fn form_fields(e: &AppError) -> Vec<String> {
    match e.details.as_deref() {
        Some(ErrorDetails::Fields { fields }) => fields.keys().cloned().collect(),
        other => panic!("no form fields in {e:?} ({other:?})"),
    }
}

fn preset(name: &str, l: i64, w: i64, h: i64, weight_oz: Option<i64>) -> PackagePresetInput {
    PackagePresetInput {
        name: name.into(),
        dimensions: Dimensions {
            length_in: l.into(),
            width_in: w.into(),
            height_in: h.into(),
        },
        weight_oz: weight_oz.map(Decimal::from),
        is_default: None,
    }
}

fn nicknames(rig: &Rig) -> Vec<String> {
    rig.shipping
        .ship_from_addresses()
        .unwrap()
        .into_iter()
        .map(|a| a.nickname)
        .collect()
}

#[tokio::test]
async fn an_edited_ship_from_address_is_checked_like_a_new_one_and_labels_keep_their_own() {
    let rig = Rig::start().await;
    let label = rig.one_label().await;
    let shop = rig.shipping.ship_from(None).unwrap();
    assert_eq!(label.ship_from.street1, "4120 Bingham Ave");

    let mut bad = warehouse();
    bad.address.name = " ".into();
    bad.address.state = "XX".into();
    bad.address.zip5 = "6311".into();
    let e = rig.shipping.update_ship_from(shop.id, bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(
        problem_fields(&e),
        ["ship_from.name", "ship_from.state", "ship_from.zip5"]
    );
    let mut long = warehouse();
    long.address.street1 = "1".repeat(51);
    let e = rig.shipping.update_ship_from(shop.id, long).unwrap_err();
    assert_eq!(problem_fields(&e), ["ship_from.street1"]);

    let edited = rig.shipping.update_ship_from(shop.id, warehouse()).unwrap();
    assert_eq!(edited.nickname, "Warehouse");
    assert_eq!(edited.address.street1, "1100 Wyoming St");
    assert!(edited.is_default, "editing keeps the default");
    // The label shows the address it was bought from.
    let again = rig.shipping.shipment(label.id).unwrap();
    assert_eq!(again.ship_from.street1, "4120 Bingham Ave");

    assert_eq!(
        rig.shipping
            .update_ship_from(999, warehouse())
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
}

#[tokio::test]
async fn an_address_in_use_is_archived_an_unused_one_deleted_and_a_default_remains() {
    let rig = Rig::start().await;
    let shop = rig.shipping.ship_from(None).unwrap();
    let label = rig.one_label().await;
    let spare = rig
        .shipping
        .add_ship_from(ShipFromInput {
            nickname: "Spare".into(),
            ..warehouse()
        })
        .unwrap();
    let second = rig.shipping.add_ship_from(warehouse()).unwrap();
    assert_eq!(nicknames(&rig), ["Shop", "Spare", "Warehouse"]);

    assert_eq!(
        rig.shipping.remove_ship_from(spare.id).unwrap(),
        ShipFromRemoval::Deleted
    );
    assert_eq!(
        rig.shipping.ship_from(Some(spare.id)).unwrap_err().code,
        ErrorCode::NotFound
    );

    // The default address has a label: it is archived, and the default moves on.
    assert_eq!(
        rig.shipping.remove_ship_from(shop.id).unwrap(),
        ShipFromRemoval::Archived
    );
    assert_eq!(nicknames(&rig), ["Warehouse"]);
    assert_eq!(rig.shipping.ship_from(None).unwrap().id, second.id);
    assert!(rig.shipping.ship_from_addresses().unwrap()[0].is_default);
    // The records that point at it still read it.
    assert_eq!(
        rig.shipping.ship_from(Some(shop.id)).unwrap().nickname,
        "Shop"
    );
    let kept = rig.shipping.shipment(label.id).unwrap();
    assert_eq!(kept.ship_from_id, Some(shop.id));
    assert_eq!(kept.ship_from.street1, "4120 Bingham Ave");
    // Archived is gone for every setting.
    for e in [
        rig.shipping.set_default_ship_from(shop.id).unwrap_err(),
        rig.shipping.remove_ship_from(shop.id).unwrap_err(),
        rig.shipping
            .update_ship_from(shop.id, warehouse())
            .unwrap_err(),
    ] {
        assert_eq!(e.code, ErrorCode::NotFound, "{e:?}");
    }
    // A new label ships from the new default.
    let next = rig.one_label().await;
    assert_eq!(next.ship_from_id, Some(second.id));

    // The last address can go too; then a purchase asks for one.
    assert_eq!(
        rig.shipping.remove_ship_from(second.id).unwrap(),
        ShipFromRemoval::Archived
    );
    assert!(rig.shipping.ship_from_addresses().unwrap().is_empty());
    assert_eq!(
        rig.shipping.ship_from(None).unwrap_err().code,
        ErrorCode::Validation
    );
}

#[tokio::test]
async fn an_address_with_an_unfinished_purchase_is_not_edited_until_it_is_settled() {
    let rig = Rig::start().await;
    let shop = rig.shipping.ship_from(None).unwrap();
    let order = rig.orders(1)[0];
    rig.control(
        "fail",
        json!({"target": "labels", "status": 500, "count": 50}),
    )
    .await;
    let request = PurchaseRequest {
        ship_from_id: Some(shop.id),
        ..rig.request(order)
    };
    rig.shipping.buy_label(request.clone()).await.unwrap_err();
    assert_eq!(rig.open_attempts(), 1);

    let e = rig
        .shipping
        .update_ship_from(shop.id, warehouse())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("Purchases to check"), "{}", e.message);
    assert_eq!(rig.shipping.ship_from(None).unwrap().address, shop.address);

    rig.clear_faults().await;
    let attempt = rig.shipping.purchases_to_check().unwrap()[0].attempt_id;
    let settled = rig.shipping.check_purchase_again(attempt).await.unwrap();
    assert_eq!(settled.ship_from.street1, "4120 Bingham Ave");
    rig.shipping.update_ship_from(shop.id, warehouse()).unwrap();
}

#[tokio::test]
async fn presets_are_edited_and_one_is_the_default_a_new_package_starts_with() {
    let rig = Rig::start().await;
    let svc = &rig.shipping;
    let mailer = svc
        .add_package_preset(preset("Mailer", 12, 9, 1, Some(5)))
        .unwrap();
    assert!(mailer.is_default, "the first preset is the default");
    let big = svc
        .add_package_preset(preset("Big box", 20, 16, 12, None))
        .unwrap();
    assert!(!big.is_default);
    let names = |svc: &shipdesk_core::shipping::ShippingService| {
        svc.package_presets()
            .unwrap()
            .into_iter()
            .map(|p| (p.name, p.is_default))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(svc),
        [("Mailer".to_owned(), true), ("Big box".to_owned(), false)]
    );

    let order = rig.desk.orders().get(rig.orders(1)[0]).unwrap();
    let package = svc.default_package(&order).unwrap();
    assert_eq!(package.dimensions, mailer.dimensions);

    svc.set_default_package_preset(big.id).unwrap();
    assert_eq!(
        names(svc),
        [("Big box".to_owned(), true), ("Mailer".to_owned(), false)]
    );
    assert_eq!(
        svc.default_package(&order).unwrap().dimensions,
        big.dimensions
    );

    // Edit: a new name, box and weight; a name another preset has is refused.
    let edited = svc
        .update_package_preset(mailer.id, preset("Flat mailer", 13, 10, 1, Some(6)))
        .unwrap();
    assert_eq!(edited.name, "Flat mailer");
    assert_eq!(edited.dimensions.length_in, Decimal::from(13));
    assert_eq!(edited.weight_oz, Some(Decimal::from(6)));
    assert!(!edited.is_default);
    let e = svc
        .update_package_preset(mailer.id, preset("big BOX", 1, 1, 1, None))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    let e = svc
        .update_package_preset(mailer.id, preset("Flat mailer", 0, 10, 1, None))
        .unwrap_err();
    assert_eq!(form_fields(&e), ["dimensions.length_in"]);
    let e = svc
        .update_package_preset(mailer.id, preset("Flat mailer", 13, 10, 1, Some(0)))
        .unwrap_err();
    assert_eq!(form_fields(&e), ["weight_oz"]);
    let e = svc
        .update_package_preset(mailer.id, preset("  ", 13, 10, 1, None))
        .unwrap_err();
    assert_eq!(form_fields(&e), ["name"]);
    let made_default = svc
        .update_package_preset(
            mailer.id,
            PackagePresetInput {
                is_default: Some(true),
                ..preset("Flat mailer", 13, 10, 1, Some(6))
            },
        )
        .unwrap();
    assert!(made_default.is_default);
    assert_eq!(
        names(svc),
        [
            ("Flat mailer".to_owned(), true),
            ("Big box".to_owned(), false)
        ]
    );

    // Deleting the default hands it to the first remaining preset.
    svc.delete_package_preset(mailer.id).unwrap();
    assert_eq!(names(svc), [("Big box".to_owned(), true)]);
    for e in [
        svc.delete_package_preset(mailer.id).unwrap_err(),
        svc.set_default_package_preset(mailer.id).unwrap_err(),
        svc.update_package_preset(mailer.id, preset("X", 1, 1, 1, None))
            .unwrap_err(),
    ] {
        assert_eq!(e.code, ErrorCode::NotFound, "{e:?}");
    }
}
