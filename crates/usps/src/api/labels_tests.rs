use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

use super::*;

const METADATA: &str = r#"{"trackingNumber":"9205590006662202169556","postage":7.99,"SKU":"DPXX0XXXXC01010","zone":"01","routingInformation":"420631182628"}"#;

fn answer(content_type: &str, body: impl Into<Bytes>) -> RawResponse {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
    RawResponse {
        status: StatusCode::OK,
        headers,
        body: body.into(),
    }
}

#[tokio::test]
async fn multipart_label_with_receipt() {
    let b = "b0und4ry";
    let pdf = STANDARD.encode(b"%PDF-1.7 label");
    let receipt = STANDARD.encode(b"%PDF-1.7 receipt");
    let body = format!(
        "--{b}\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name=\"labelMetadata\"\r\n\r\n{METADATA}\r\n\
--{b}\r\nContent-Type: application/pdf\r\nContent-Disposition: form-data; filename=\"labelImage.pdf\"; name=\"labelImage\"\r\n\r\n{pdf}\r\n\
--{b}\r\nContent-Type: application/pdf\r\nContent-Disposition: form-data; filename=\"receiptImage.pdf\"; name=\"receiptImage\"\r\n\r\n{receipt}\r\n--{b}--\r\n"
    );
    let label = label_from(
        Operation::LabelCreate,
        answer(&format!("multipart/form-data; boundary={b}"), body),
    )
    .await
    .unwrap();
    assert_eq!(label.metadata.tracking_number, "9205590006662202169556");
    assert_eq!(label.label_image.unwrap().bytes, b"%PDF-1.7 label");
    assert_eq!(label.receipt_image.unwrap().bytes, b"%PDF-1.7 receipt");
    assert!(label.reprint_info.is_none());
}

#[tokio::test]
async fn vendor_json_create_and_reprint_shapes() {
    let pdf = STANDARD.encode(b"%PDF-1.7 label");
    let flat = format!(
        r#"{{"trackingNumber":"9205590006662202169556","postage":7.99,"labelImage":"{pdf}"}}"#
    );
    let label = label_from(
        Operation::LabelCreate,
        answer("application/vnd.usps.labels+json", flat),
    )
    .await
    .unwrap();
    assert_eq!(label.metadata.postage, Some(7.99));
    assert_eq!(label.label_image.unwrap().bytes, b"%PDF-1.7 label");
    assert!(!label.metadata.other.contains_key("labelImage"));

    let nested = format!(
        r#"{{"labelMetadata":{METADATA},"labelImage":"{pdf}","reprintInfo":{{"reprintNumber":1,"reprintLimit":3}}}}"#
    );
    let reprint = label_from(
        Operation::LabelReprint,
        answer("application/vnd.usps.labels+json", nested),
    )
    .await
    .unwrap();
    assert_eq!(reprint.metadata.tracking_number, "9205590006662202169556");
    assert_eq!(reprint.reprint_info.unwrap().reprint_limit, Some(3));
}

#[tokio::test]
async fn malformed_bodies_are_decode_errors() {
    let err = label_from(Operation::LabelCreate, answer("application/json", "[1,2]"))
        .await
        .unwrap_err();
    assert_eq!(err.class(), crate::ErrorClass::Decode);
    let err = label_from(
        Operation::LabelCreate,
        answer("multipart/form-data; boundary=zz", "--zz--\r\n"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.class(), crate::ErrorClass::Decode);
}
