use super::*;

pub(crate) const REFERENCE_METADATA: &str = r#"{"labelAddress":{"streetAddress":"1100 WYOMING ST","secondaryAddress":"STE 150","city":"SAINT LOUIS","state":"MO",
   "ZIPCode":"63118","ZIPPlus4":"2628","firstName":"JOE","lastName":"DOE","ignoreBadAddress":false},
 "routingInformation":"420631182628","trackingNumber":"9205590006662202169556","constructCode":"C01",
 "SKU":"DPXX0XXXXC01010","postage":7.99,
 "extraServices":[{"name":"USPS Tracking","price":0.0,"SKU":"DXTP0EXXXCX0000"}],
 "serviceTypeCode":"055","zone":"01","mailingDate":"2025-05-26T22:00:00Z",
 "commitment":{"name":"2 Days","scheduleDeliveryDate":"2025-05-29"},
 "weightUOM":"LB","weight":0.5,"dimensionalWeight":0.0,"fees":[],
 "bannerText":"USPS TRACKING # USPS Ship","retailDistributionCode":"03",
 "links":[{"rel":["Tracking URL"],"href":"https://tools.usps.com/go/TrackConfirmAction_input?origTrackNum=9205590006662202169556","method":"GET"}],
 "permitHolderName":"ACME"}"#;

#[test]
fn parses_reference_label_metadata_and_keeps_unknown_fields() {
    let m: LabelMetadata = serde_json::from_str(REFERENCE_METADATA).unwrap();
    assert_eq!(m.tracking_number, "9205590006662202169556");
    assert_eq!(
        m.label_address.as_ref().unwrap().zip_plus4.as_deref(),
        Some("2628")
    );
    assert_eq!(m.sku.as_deref(), Some("DPXX0XXXXC01010"));
    assert_eq!(
        m.commitment
            .as_ref()
            .unwrap()
            .schedule_delivery_date
            .as_deref(),
        Some("2025-05-29")
    );
    assert_eq!(m.links[0].rel, vec!["Tracking URL"]);
    assert_eq!(
        m.other.get("permitHolderName").and_then(|v| v.as_str()),
        Some("ACME")
    );
    assert!((m.total_charge() - 7.99).abs() < 1e-9);
}

#[test]
fn minimal_request_serializes_with_usps_names() {
    let request = LabelRequest {
        image_info: Some(ImageInfo {
            image_type: Some("PDF".into()),
            label_type: Some("4X6LABEL".into()),
            receipt_option: Some("NONE".into()),
            ..Default::default()
        }),
        to_address: LabelAddress {
            first_name: Some("Joe".into()),
            last_name: Some("Doe".into()),
            street_address: "1100 Wyoming".into(),
            secondary_address: Some("Suite 150".into()),
            city: "St. Louis".into(),
            state: "MO".into(),
            zip_code: "63118".into(),
            ..Default::default()
        },
        from_address: LabelAddress {
            firm: Some("ACME".into()),
            street_address: "4120 Bingham Ave".into(),
            city: "St. Louis".into(),
            state: "MO".into(),
            zip_code: "63116".into(),
            ..Default::default()
        },
        package_description: PackageDescription {
            mail_class: "USPS_GROUND_ADVANTAGE".into(),
            rate_indicator: Some("SP".into()),
            weight_uom: Some("lb".into()),
            weight: 0.5,
            dimensions_uom: Some("in".into()),
            length: Some(9.0),
            width: Some(0.25),
            height: Some(6.0),
            processing_category: "MACHINABLE".into(),
            mailing_date: "2025-05-26".into(),
            extra_services: vec![930],
            destination_entry_facility_type: "NONE".into(),
            package_options: Some(PackageOptions {
                package_value: Some(400.0),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let v = serde_json::to_value(&request).unwrap();
    assert_eq!(v["toAddress"]["ZIPCode"], "63118");
    assert_eq!(v["packageDescription"]["weightUOM"], "lb");
    assert_eq!(v["packageDescription"]["dimensionsUOM"], "in");
    assert_eq!(
        v["packageDescription"]["packageOptions"]["packageValue"],
        400.0
    );
    assert_eq!(v["imageInfo"]["receiptOption"], "NONE");
    assert!(v["fromAddress"].get("firstName").is_none());
    assert!(v.get("senderAddress").is_none());
}

#[test]
fn cancel_responses() {
    let c: CancelResponse =
        serde_json::from_str(r#"{"trackingNumber":"9205","status":"CANCELED"}"#).unwrap();
    assert!(c.is_canceled());
    let d: CancelResponse = serde_json::from_str(
        r#"{"trackingNumber":"9205","status":"DISPUTED","disputeId":"104660"}"#,
    )
    .unwrap();
    assert!(d.is_refund_requested());
    assert_eq!(d.dispute_id.as_deref(), Some("104660"));
}
