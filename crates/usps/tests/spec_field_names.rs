//! Every JSON key our request models emit must be a property name in the official spec of that
//! API (`../shared/usps/openapi/*.yaml`), so a typo such as `ZipCode` for `ZIPCode` fails here
//! rather than at USPS. The check is textual (a `key:` line in the YAML), which is enough to
//! catch misspelled or invented names without a full OpenAPI resolver.

mod common;
#[path = "../../../xtask/src/shared_dir.rs"]
mod shared_dir;

use common::*;
use serde_json::Value;
use usps::models::*;

/// One OpenAPI file: skipped when `../shared` is absent, except under `cargo xtask test`.
fn spec(name: &str) -> Option<String> {
    let dir = shared_dir::shared_path("usps/openapi")?;
    Some(std::fs::read_to_string(dir.join(name)).expect("spec readable"))
}

fn keys(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                keys(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

/// Body models: each key must be a schema property (`key:` line).
fn assert_names_in_spec(spec_file: &str, value: &Value) {
    check(spec_file, value, |line, name| {
        line.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with(':'))
    });
}

/// Query models: each key must be a declared parameter (`- name: key` line).
fn assert_query_names_in_spec(spec_file: &str, value: &Value) {
    check(spec_file, value, |line, name| {
        line.strip_prefix("- name: ") == Some(name)
    });
}

fn check(spec_file: &str, value: &Value, declared: impl Fn(&str, &str) -> bool) {
    let Some(text) = spec(spec_file) else { return };
    let mut names = Vec::new();
    keys(value, &mut names);
    assert!(!names.is_empty());
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !text.lines().any(|l| declared(l.trim(), n)))
        .collect();
    assert!(
        missing.is_empty(),
        "{spec_file}: not declared in the spec: {missing:?}"
    );
}

#[test]
fn label_request_names() {
    let mut request = label_request();
    request.to_address.zip_plus4 = Some("2628".into());
    request.to_address.secondary_address = Some("STE 1".into());
    request.to_address.phone = Some("3145551234".into());
    request.to_address.email = Some("a@b.c".into());
    request.to_address.ignore_bad_address = Some(false);
    request.image_info.as_mut().unwrap().suppress_postage = Some(true);
    request.image_info.as_mut().unwrap().suppress_mail_date = Some(true);
    request.package_description.extra_services = vec![920];
    request.package_description.girth = Some(0.0);
    request.package_description.package_options = Some(PackageOptions {
        package_value: Some(10.0),
        non_delivery_option: Some("RETURN".into()),
        immediate_manifest: Some(false),
        ..Default::default()
    });
    request.package_description.customer_reference = vec![CustomerReference {
        reference_number: "A1".into(),
        print_reference_number: Some(true),
    }];
    assert_names_in_spec("domestic-labels.yaml", &json_of(&request));
    let reprint = ReprintRequest {
        image_info: Some(ReprintImageInfo {
            image_type: Some("PDF".into()),
            label_type: Some("4X6LABEL".into()),
            suppress_postage: Some(true),
            suppress_mail_date: Some(true),
        }),
    };
    assert_names_in_spec("domestic-labels.yaml", &json_of(&reprint));
}

#[test]
fn price_query_names() {
    let list = RateListQuery {
        mail_class: Some("PRIORITY_MAIL".into()),
        mail_classes: vec!["PRIORITY_MAIL".into()],
        price_type: Some("COMMERCIAL".into()),
        mailing_date: Some("2026-01-02".into()),
        account_type: Some("EPS".into()),
        account_number: Some("1".into()),
        has_nonstandard_characteristics: Some(false),
        item_value: Some(1.0),
        extra_services: vec![920],
        ..Default::default()
    };
    assert_names_in_spec("domestic-prices.yaml", &json_of(&list));
    let base = BaseRatesQuery {
        mailing_date: Some("2026-01-02".into()),
        account_type: Some("EPS".into()),
        account_number: Some("1".into()),
        has_nonstandard_characteristics: Some(false),
        ..Default::default()
    };
    assert_names_in_spec("domestic-prices.yaml", &json_of(&base));
}

#[test]
fn payment_names() {
    let mut request = PaymentAuthorizationRequest::payer_and_label_owner(&demo_identity());
    request.roles.push(PaymentRole {
        role_name: "RATE_HOLDER".into(),
        permit_number: Some("1".into()),
        permit_zip: Some("63116".into()),
        ..Default::default()
    });
    assert_names_in_spec("payments.yaml", &json_of(&request));
    assert_query_names_in_spec(
        "payments.yaml",
        &json_of(&PaymentAccountQuery {
            account_type: "PERMIT".into(),
            permit_zip_code: Some("63116".into()),
            amount: Some(1.0),
        }),
    );
}

#[test]
fn address_scan_form_and_pickup_names() {
    let query = AddressQuery {
        firm: Some("F".into()),
        street_address: "S".into(),
        secondary_address: Some("2".into()),
        city: Some("C".into()),
        state: "MO".into(),
        urbanization: Some("U".into()),
        zip_code: Some("63116".into()),
        zip_plus4: Some("1234".into()),
    };
    assert_query_names_in_spec("addresses.yaml", &json_of(&query));
    let form = ScanFormRequest {
        image_info: Some(ScanFormImageInfo {
            image_type: Some("PDF".into()),
            label_type: Some("4X6LABEL".into()),
        }),
        overwrite_mailing_date: Some(false),
        shipment: ScanFormShipment::TrackingNumbers {
            tracking_numbers: vec!["1".into()],
        },
        from_address: ScanFormAddress {
            first_name: Some("A".into()),
            last_name: Some("B".into()),
            firm: Some("F".into()),
            zip_plus4: Some("1".into()),
            ignore_bad_address: Some(true),
            ..Default::default()
        },
        ..Default::default()
    };
    assert_names_in_spec("scan-forms.yaml", &json_of(&form));
    assert_names_in_spec(
        "scan-forms.yaml",
        &json_of(&ScanFormShipment::ManifestMid {
            manifest_mid: "1".into(),
        }),
    );
    assert_names_in_spec(
        "scan-forms.yaml",
        &json_of(&ScanFormShipment::Mid { mid: "1".into() }),
    );
    let pickup = SchedulePickupRequest {
        pickup_address: PickupAddress {
            firm: Some("F".into()),
            address: PickupStreetAddress {
                secondary_address: Some("2".into()),
                city: Some("C".into()),
                state: Some("MO".into()),
                zip_code: Some("1".into()),
                zip_plus4: Some("1".into()),
                urbanization: Some("U".into()),
                ..Default::default()
            },
            contact: vec![PickupContact {
                email: Some("e".into()),
                cell_number: Some("1".into()),
            }],
            ..Default::default()
        },
        packages: vec![PickupPackage {
            package_type: "OTHER".into(),
            package_count: 1,
        }],
        pickup_location: PickupLocation {
            package_location: "OTHER".into(),
            special_instructions: Some("x".into()),
            dog_present: Some(true),
        },
        next_available_pickup: Some(true),
        ..Default::default()
    };
    assert_names_in_spec("carrier-pickup.yaml", &json_of(&pickup));
    let eligibility = PickupEligibilityQuery {
        street_address: "S".into(),
        secondary_address: Some("2".into()),
        city: Some("C".into()),
        state: Some("MO".into()),
        zip_code: Some("1".into()),
        zip_plus4: Some("1".into()),
        urbanization: Some("U".into()),
    };
    assert_query_names_in_spec("carrier-pickup.yaml", &json_of(&eligibility));
}
