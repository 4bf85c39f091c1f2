//! Domestic Labels v3: create, cancel, reprint.
//!
//! The request types name the fields the app sets; anything else the spec allows can be placed in
//! the `other` maps, which are flattened into the JSON. Response metadata keeps unknown fields in
//! `other` too, so nothing USPS adds is lost.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::models::common::{Document, Fee, Warning};

/// `POST /labels/v3/label` body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_info: Option<ImageInfo>,
    pub to_address: LabelAddress,
    pub from_address: LabelAddress,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_address: Option<LabelAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_address: Option<LabelAddress>,
    pub package_description: PackageDescription,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customs_form: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageInfo {
    /// PDF (default), TIFF, JPG, PNG, GIF, SVG, ZPL203DPI, ZPL300DPI, EPL300DPI, LABEL_BROKER, NONE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    /// 4X6LABEL (default), 4X4LABEL, 4X5LABEL, 6X4LABEL, 2X7LABEL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_type: Option<String>,
    /// SAME_PAGE (default), SEPARATE_PAGE, NONE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_option: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppress_postage: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppress_mail_date: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_label: Option<bool>,
}

/// Address plus addressee, as used for `toAddress`, `fromAddress` and the standardized
/// `labelAddress` in responses.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelAddress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firm: Option<String>,
    #[serde(default)]
    pub street_address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_address: Option<String>,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub state: String,
    #[serde(rename = "ZIPCode", default)]
    pub zip_code: String,
    #[serde(rename = "ZIPPlus4", default, skip_serializing_if = "Option::is_none")]
    pub zip_plus4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urbanization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_bad_address: Option<bool>,
    #[serde(flatten, default)]
    pub other: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageDescription {
    pub mail_class: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_indicator: Option<String>,
    #[serde(rename = "weightUOM", default, skip_serializing_if = "Option::is_none")]
    pub weight_uom: Option<String>,
    pub weight: f64,
    #[serde(
        rename = "dimensionsUOM",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub dimensions_uom: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub girth: Option<f64>,
    pub processing_category: String,
    /// `YYYY-MM-DD` (or a date-time).
    pub mailing_date: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_services: Vec<u32>,
    pub destination_entry_facility_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_options: Option<PackageOptions>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customer_reference: Vec<CustomerReference>,
    #[serde(flatten, default)]
    pub other: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_delivery_option: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immediate_manifest: Option<bool>,
    #[serde(flatten, default)]
    pub other: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerReference {
    pub reference_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub print_reference_number: Option<bool>,
}

/// Which response media type to ask for. Both carry the same metadata and image.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LabelFormat {
    /// The default multipart body: a `labelMetadata` JSON part and base64 image parts.
    #[default]
    Multipart,
    /// `Accept: application/vnd.usps.labels+json`: one JSON object with base64 images inline.
    VendorJson,
}

impl LabelFormat {
    pub(crate) fn accept(self) -> &'static str {
        match self {
            LabelFormat::Multipart => "multipart/form-data, application/json;q=0.5",
            LabelFormat::VendorJson => "application/vnd.usps.labels+json",
        }
    }
}

/// A bought (or reprinted) label.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub metadata: LabelMetadata,
    pub label_image: Option<Document>,
    pub receipt_image: Option<Document>,
    /// Reprints only.
    pub reprint_info: Option<ReprintInfo>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelMetadata {
    #[serde(default)]
    pub label_address: Option<LabelAddress>,
    #[serde(default)]
    pub routing_information: Option<String>,
    #[serde(default, alias = "internationalTrackingNumber")]
    pub tracking_number: String,
    #[serde(default)]
    pub construct_code: Option<String>,
    #[serde(rename = "SKU", default)]
    pub sku: Option<String>,
    /// Excludes extra-service fees.
    #[serde(default)]
    pub postage: Option<f64>,
    #[serde(default)]
    pub extra_services: Vec<ExtraServiceCharge>,
    #[serde(default)]
    pub service_type_code: Option<String>,
    #[serde(default)]
    pub zone: Option<String>,
    #[serde(default)]
    pub mailing_date: Option<String>,
    #[serde(default)]
    pub commitment: Option<Commitment>,
    #[serde(rename = "weightUOM", default)]
    pub weight_uom: Option<String>,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default, deserialize_with = "number_or_text")]
    pub dimensional_weight: Option<f64>,
    #[serde(default)]
    pub fees: Vec<Fee>,
    #[serde(default)]
    pub banner_text: Option<String>,
    #[serde(default)]
    pub retail_distribution_code: Option<String>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(flatten, default)]
    pub other: Map<String, Value>,
}

impl LabelMetadata {
    /// Postage plus extra-service prices plus fees.
    pub fn total_charge(&self) -> f64 {
        self.postage.unwrap_or(0.0)
            + self
                .extra_services
                .iter()
                .filter_map(|e| e.price)
                .sum::<f64>()
            + self.fees.iter().filter_map(|f| f.price).sum::<f64>()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtraServiceCharge {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(rename = "SKU", default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub price: Option<f64>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Commitment {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub schedule_delivery_date: Option<String>,
    #[serde(default)]
    pub expected_delivery_date: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    #[serde(default)]
    pub rel: Vec<String>,
    #[serde(default)]
    pub href: Option<String>,
    #[serde(default)]
    pub method: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReprintInfo {
    #[serde(default)]
    pub reprint_number: Option<u32>,
    #[serde(default)]
    pub reprint_limit: Option<u32>,
}

/// `POST /labels/v3/label-reprint/{trackingNumber}` body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReprintRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_info: Option<ReprintImageInfo>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReprintImageInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppress_postage: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppress_mail_date: Option<bool>,
}

/// Answer of both cancel calls: `CANCELED`, or `DISPUTED` with a refund request id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelResponse {
    #[serde(default)]
    pub tracking_number: Option<String>,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub dispute_id: Option<String>,
}

impl CancelResponse {
    pub fn is_canceled(&self) -> bool {
        self.status == "CANCELED"
    }

    pub fn is_refund_requested(&self) -> bool {
        self.status == "DISPUTED"
    }
}

/// A caller-chosen key (a UUID) that makes a label purchase safe to repeat.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A number USPS sometimes sends as text (`"dimensionalWeight": "0.0"` on international labels).
fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("not a number: {s:?}"))),
        Some(other) => Err(serde::de::Error::custom(format!("not a number: {other}"))),
    }
}

#[cfg(test)]
#[path = "labels_tests.rs"]
mod tests;
