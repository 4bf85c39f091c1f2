//! Labels, SCAN forms and tracking against the simulator: both label media types, cancel by
//! tracking number and by idempotency key, refunds after manifest, reprints, the day's SCAN form,
//! tracking of a bought label, USPS validation codes, and silent token renewal mid-session.

mod common;

use common::*;
use serde_json::json;
use usps::models::*;
use usps::{ErrorClass, UspsError};

#[tokio::test]
async fn labels_in_both_media_types_cancel_and_reprint() {
    let h = Harness::start().await;
    let account = h.own_app_account();

    let multipart = account
        .create_label(&label_request(), &new_key(), LabelFormat::Multipart)
        .await
        .unwrap();
    let json = account
        .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
        .await
        .unwrap();
    for label in [&multipart, &json] {
        assert!(!label.metadata.tracking_number.is_empty());
        assert!(label.metadata.postage.unwrap() > 0.0);
        let pdf = &label.label_image.as_ref().expect("label image").bytes;
        assert!(pdf.starts_with(b"%PDF"), "label image is a PDF");
    }
    assert_ne!(
        multipart.metadata.tracking_number,
        json.metadata.tracking_number
    );

    let reprint = account
        .reprint_label(
            &json.metadata.tracking_number,
            &ReprintRequest::default(),
            LabelFormat::Multipart,
        )
        .await
        .unwrap();
    assert_eq!(
        reprint.metadata.tracking_number,
        json.metadata.tracking_number
    );
    assert!(reprint.label_image.unwrap().bytes.starts_with(b"%PDF"));
    let reprint_json = account
        .reprint_label(
            &json.metadata.tracking_number,
            &ReprintRequest::default(),
            LabelFormat::VendorJson,
        )
        .await
        .unwrap();
    assert_eq!(
        reprint_json.metadata.tracking_number,
        json.metadata.tracking_number
    );

    let canceled = account
        .cancel_label(&multipart.metadata.tracking_number)
        .await
        .unwrap();
    assert!(canceled.is_canceled(), "{canceled:?}");
    let again = account
        .cancel_label(&multipart.metadata.tracking_number)
        .await
        .unwrap_err();
    assert_eq!(again.class(), ErrorClass::Rejected);

    // Cancel by idempotency key: the purchase whose tracking number we never learned.
    let key = new_key();
    let lost = account
        .create_label(&label_request(), &key, LabelFormat::VendorJson)
        .await
        .unwrap();
    let by_key = account.cancel_label_by_idempotency_key(&key).await.unwrap();
    assert!(by_key.is_canceled());
    assert_eq!(
        by_key.tracking_number.as_deref(),
        Some(lost.metadata.tracking_number.as_str())
    );

    // After the manifest is sent, a cancel becomes a refund request.
    h.control(
        "manifest",
        json!({"tracking_numbers": [json.metadata.tracking_number]}),
    )
    .await;
    let refund = account
        .cancel_label(&json.metadata.tracking_number)
        .await
        .unwrap();
    assert!(refund.is_refund_requested(), "{refund:?}");
    assert!(refund.dispute_id.is_some());

    let ledger = h.ledger().await;
    assert_eq!(ledger["charges"], 3);
}

#[tokio::test]
async fn scan_form_for_the_days_labels() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let mut tracking = Vec::new();
    for _ in 0..2 {
        let label = account
            .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
            .await
            .unwrap();
        tracking.push(label.metadata.tracking_number);
    }
    let request = ScanFormRequest {
        image_info: Some(ScanFormImageInfo {
            image_type: Some("PDF".into()),
            label_type: Some("8.5X11LABEL".into()),
        }),
        mailing_date: mailing_date(),
        entry_facility_zip_code: "63116".into(),
        destination_entry_facility_type: "NONE".into(),
        shipment: ScanFormShipment::TrackingNumbers {
            tracking_numbers: tracking.clone(),
        },
        from_address: ScanFormAddress {
            firm: Some("ACME Widgets".into()),
            street_address: "4120 Bingham Ave".into(),
            city: "Saint Louis".into(),
            state: "MO".into(),
            zip_code: "63116".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let form = account
        .create_scan_form(&request, LabelFormat::Multipart)
        .await
        .unwrap();
    assert!(form.metadata.manifest_number.is_some());
    let mut added = form.metadata.tracking_numbers.clone();
    added.sort();
    tracking.sort();
    assert_eq!(added, tracking);
    assert!(form.image.unwrap().bytes.starts_with(b"%PDF"));

    // The same labels cannot go on a second form.
    let again = account
        .create_scan_form(&request, LabelFormat::VendorJson)
        .await
        .unwrap_err();
    assert_eq!(again.class(), ErrorClass::Rejected, "{again:?}");
}

#[tokio::test]
async fn tracking_summary_and_detail_of_a_bought_label() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let label = account
        .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
        .await
        .unwrap();
    let number = &label.metadata.tracking_number;
    let summary = account
        .tracking(number, TrackingExpand::Summary)
        .await
        .unwrap();
    assert_eq!(&summary.tracking_number, number);
    let detail = account
        .tracking(number, TrackingExpand::Detail)
        .await
        .unwrap();
    assert_eq!(&detail.tracking_number, number);
    assert!(
        detail.status_category.is_some()
            || !detail.tracking_events.is_empty()
            || detail.status.is_some()
    );
    let unknown = account
        .tracking("9400000000000000000000", TrackingExpand::Summary)
        .await
        .unwrap_err();
    assert!(
        matches!(
            unknown.class(),
            ErrorClass::Rejected | ErrorClass::AccountNotAuthorized
        ),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn validation_errors_keep_usps_codes_and_fields() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let mut request = label_request();
    request.package_description.weight = 90.0;
    request.package_description.mail_class = "CARRIER_PIGEON".into();
    let err = account
        .create_label(&request, &new_key(), LabelFormat::VendorJson)
        .await
        .unwrap_err();
    let UspsError::Rejected(rejection) = err else {
        panic!("{err:?}")
    };
    assert_eq!(rejection.status, 400);
    assert!(rejection.codes().contains(&"160098"), "{rejection}");
    assert!(rejection.codes().contains(&"160090"), "{rejection}");
    assert!(
        rejection.fields().iter().any(|f| f.contains("weight")),
        "{rejection}"
    );
}

#[tokio::test]
async fn token_expiry_mid_session_renews_silently_while_buying() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    account
        .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
        .await
        .unwrap();
    let (oauth, payments) = (h.sim_calls("oauth2"), h.sim_calls("payments"));
    h.control("expire-access-tokens", json!({})).await;
    account
        .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
        .await
        .expect("renewed silently");
    assert_eq!(h.sim_calls("oauth2") - oauth, 1, "one renewal");
    // The payment authorization is still valid for its 8 hours and is kept.
    assert_eq!(h.sim_calls("payments") - payments, 0);
    assert_eq!(h.ledger().await["charges"], 2);
}

#[tokio::test]
async fn refused_payment_token_is_renewed_after_the_access_token() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    account
        .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
        .await
        .unwrap();
    // A reset forgets every access and payment token the simulator issued (counters too).
    h.control("reset", json!({})).await;
    account
        .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
        .await
        .expect("both tokens renewed");
    assert_eq!(h.sim_calls("oauth2"), 1, "access token renewed once");
    assert_eq!(h.sim_calls("payments"), 1, "payment token renewed once");
    assert_eq!(
        h.sim_calls("labels"),
        3,
        "refused (access), refused (payment), bought"
    );
    assert_eq!(h.ledger().await["charges"], 1);
}
