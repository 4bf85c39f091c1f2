//! International Prices and International Labels against the simulator: prices to a country,
//! a label with its customs form (charged once, replayed for its idempotency key, cancelled),
//! and USPS's refusals the app must show the user — a suspended country, merchandise without an
//! HS tariff number, an exemption legend over USD 2,500, a service that does not reach the
//! country.

mod common;

use common::*;
use usps::models::*;
use usps::{ErrorClass, UspsError};

fn customs(value_each: f64, hs: Option<&str>, aes_itn: &str) -> CustomsForm {
    CustomsForm {
        customs_content_type: "MERCHANDISE".into(),
        aes_itn: aes_itn.into(),
        contents: vec![CustomsItem {
            item_description: "Hand cream".into(),
            item_quantity: 2,
            item_value: value_each,
            weight_uom: "lb".into(),
            item_weight: 0.5,
            hs_tariff_number: hs.map(str::to_owned),
            country_of_origin: "US".into(),
        }],
        ..Default::default()
    }
}

fn to(country: &str, name: &str, postal: Option<&str>) -> IntlAddress {
    IntlAddress {
        first_name: Some("Amelie".into()),
        last_name: Some("Tremblay".into()),
        street_address: "24 Sussex Dr".into(),
        city: "Ottawa".into(),
        province: Some("ON".into()),
        postal_code: postal.map(str::to_owned),
        country: name.into(),
        country_iso_alpha2_code: country.into(),
        ..Default::default()
    }
}

fn request(mail_class: &str, to: IntlAddress, customs_form: CustomsForm) -> IntlLabelRequest {
    IntlLabelRequest {
        image_info: IntlImageInfo::default(),
        to_address: to,
        from_address: label_request().from_address,
        package_description: IntlPackageDescription {
            mail_class: mail_class.into(),
            rate_indicator: "SP".into(),
            processing_category: "MACHINABLE".into(),
            destination_entry_facility_type: "NONE".into(),
            weight_uom: "lb".into(),
            weight: 2.0,
            dimensions_uom: "in".into(),
            length: 10.0,
            width: 8.0,
            height: 4.0,
            mailing_date: mailing_date(),
            package_options: Some(IntlPackageOptions {
                non_delivery_option: Some("RETURN".into()),
                package_value: None,
            }),
        },
        customs_form,
    }
}

fn canada() -> IntlAddress {
    to("CA", "Canada", Some("K1M 1M4"))
}

fn rejection(err: UspsError) -> usps::Rejection {
    match err {
        UspsError::Rejected(r) => r,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn prices_to_a_country_list_each_international_service() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let answer = account
        .intl_base_rates_list(&IntlRateListQuery {
            origin_zip_code: "63116".into(),
            destination_country_code: "CA".into(),
            weight: 2.0,
            length: 10.0,
            width: 8.0,
            height: 4.0,
            price_type: Some("COMMERCIAL_BASE".into()),
            mailing_date: Some(mailing_date()),
            ..Default::default()
        })
        .await
        .unwrap();
    let classes: Vec<&str> = answer
        .rate_options
        .iter()
        .flat_map(|o| &o.rates)
        .filter_map(|r| r.mail_class.as_deref())
        .collect();
    for class in [
        "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE",
        "PRIORITY_MAIL_INTERNATIONAL",
        "PRIORITY_MAIL_EXPRESS_INTERNATIONAL",
    ] {
        assert!(classes.contains(&class), "{class} missing from {classes:?}");
    }
    assert!(
        answer
            .rate_options
            .iter()
            .all(|o| o.total_base_price.unwrap_or(0.0) > 0.0)
    );

    let suspended = account
        .intl_base_rates_list(&IntlRateListQuery {
            origin_zip_code: "63116".into(),
            destination_country_code: "KP".into(),
            weight: 2.0,
            length: 10.0,
            width: 8.0,
            height: 4.0,
            ..Default::default()
        })
        .await
        .unwrap_err();
    let r = rejection(suspended);
    assert!(r.codes().contains(&"030020"), "{r:?}");
}

#[tokio::test]
async fn a_label_with_its_customs_form_is_charged_once_and_cancels() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let key = new_key();
    let req = request(
        "PRIORITY_MAIL_INTERNATIONAL",
        canada(),
        customs(12.5, Some("3304.99"), "NO EEI 30.37(a)"),
    );
    let label = account
        .create_intl_label(&req, &key, LabelFormat::VendorJson)
        .await
        .unwrap();
    let tracking = label.metadata.tracking_number.clone();
    assert!(
        tracking.starts_with("CP") && tracking.ends_with("US") && tracking.len() == 13,
        "{tracking}"
    );
    assert!(label.metadata.total_charge() > 0.0);
    let pdf = label
        .label_image
        .as_ref()
        .expect("the label and customs form");
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let charged = |ledger: &serde_json::Value| {
        ledger["entries"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["kind"] == "charged" && e["tracking_number"] == tracking.as_str())
            .count()
    };
    assert_eq!(charged(&h.ledger().await), 1);

    // The answer lost, the same request asked again under its key: the same label, no charge.
    let again = account
        .create_intl_label(&req, &key, LabelFormat::VendorJson)
        .await
        .unwrap();
    assert_eq!(again.metadata.tracking_number, tracking);
    assert_eq!(charged(&h.ledger().await), 1);

    let cancelled = account.cancel_intl_label(&tracking).await.unwrap();
    assert!(cancelled.is_canceled(), "{cancelled:?}");
    let twice = rejection(account.cancel_intl_label(&tracking).await.unwrap_err());
    assert!(twice.codes().contains(&"160186"), "{twice:?}");

    // A key that never made a label: nothing to cancel.
    let none = account
        .cancel_intl_label_by_idempotency_key(&new_key())
        .await
        .unwrap_err();
    assert_eq!(none.class(), ErrorClass::Rejected, "{none:?}");
}

#[tokio::test]
async fn customs_and_country_refusals_name_the_field() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let refused = |req: IntlLabelRequest| {
        let account = account.clone();
        async move {
            rejection(
                account
                    .create_intl_label(&req, &new_key(), LabelFormat::VendorJson)
                    .await
                    .unwrap_err(),
            )
        }
    };
    let fields = |r: &usps::Rejection| {
        r.details
            .iter()
            .filter_map(|d| d.field.clone())
            .collect::<Vec<_>>()
            .join(" ")
    };

    let no_hs = refused(request(
        "PRIORITY_MAIL_INTERNATIONAL",
        canada(),
        customs(12.5, None, "NO EEI 30.37(a)"),
    ))
    .await;
    assert!(fields(&no_hs).contains("HSTariffNumber"), "{no_hs:?}");

    // USD 3,000 under one HS number needs an ITN from AES, not the exemption legend.
    let over = refused(request(
        "PRIORITY_MAIL_INTERNATIONAL",
        to("GB", "United Kingdom", Some("SW1A 1AA")),
        customs(1500.0, Some("330499"), "NO EEI 30.37(a)"),
    ))
    .await;
    assert!(fields(&over).contains("AESITN"), "{over:?}");
    let with_itn = account
        .create_intl_label(
            &request(
                "PRIORITY_MAIL_INTERNATIONAL",
                to("GB", "United Kingdom", Some("SW1A 1AA")),
                customs(1500.0, Some("330499"), "AES X20261202123456"),
            ),
            &new_key(),
            LabelFormat::VendorJson,
        )
        .await;
    assert!(with_itn.is_ok(), "{with_itn:?}");

    // Priority Mail Express International does not reach Ukraine.
    let express = refused(request(
        "PRIORITY_MAIL_EXPRESS_INTERNATIONAL",
        to("UA", "Ukraine", Some("01001")),
        customs(12.5, Some("330499"), "NO EEI 30.37(a)"),
    ))
    .await;
    assert!(
        express.details.iter().any(|d| d
            .detail
            .as_deref()
            .unwrap_or("")
            .contains("does not serve UA")),
        "{express:?}"
    );
}
