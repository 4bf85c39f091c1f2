//! SCAN Forms v3: one PS Form 5630 for many labels.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::models::common::Document;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanFormRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_info: Option<ScanFormImageInfo>,
    pub mailing_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overwrite_mailing_date: Option<bool>,
    #[serde(rename = "entryFacilityZIPCode")]
    pub entry_facility_zip_code: String,
    pub destination_entry_facility_type: String,
    pub shipment: ScanFormShipment,
    pub from_address: ScanFormAddress,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanFormImageInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    /// 8.5X11LABEL (form 5630) or 4X6LABEL (5630-S).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_type: Option<String>,
}

/// Which labels go on the form: listed tracking numbers, or all eligible labels of a MID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ScanFormShipment {
    TrackingNumbers {
        #[serde(rename = "trackingNumbers")]
        tracking_numbers: Vec<String>,
    },
    Mid {
        #[serde(rename = "MID")]
        mid: String,
    },
    ManifestMid {
        #[serde(rename = "manifestMID")]
        manifest_mid: String,
    },
}

impl Default for ScanFormShipment {
    fn default() -> Self {
        ScanFormShipment::TrackingNumbers {
            tracking_numbers: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanFormAddress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firm: Option<String>,
    pub street_address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_address: Option<String>,
    pub city: String,
    pub state: String,
    #[serde(rename = "ZIPCode")]
    pub zip_code: String,
    #[serde(rename = "ZIPPlus4", default, skip_serializing_if = "Option::is_none")]
    pub zip_plus4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_bad_address: Option<bool>,
}

/// `SCANFormMetaData`: the request echo plus the EFN and the labels actually added.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanFormMetadata {
    #[serde(default)]
    pub manifest_number: Option<String>,
    #[serde(default)]
    pub tracking_numbers: Vec<String>,
    #[serde(default)]
    pub mailing_date: Option<String>,
    #[serde(rename = "entryFacilityZIPCode", default)]
    pub entry_facility_zip_code: Option<String>,
    #[serde(default)]
    pub destination_entry_facility_type: Option<String>,
    #[serde(flatten, default)]
    pub other: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScanForm {
    pub metadata: ScanFormMetadata,
    pub image: Option<Document>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_matches_the_reference_shape() {
        let body = r#"{"imageInfo":{"imageType":"PDF","labelType":"8.5X11LABEL"},"mailingDate":"2025-05-26",
 "overwriteMailingDate":false,"entryFacilityZIPCode":"63116","destinationEntryFacilityType":"NONE",
 "shipment":{"trackingNumbers":["9205590006662202169556"]},
 "fromAddress":{"firm":"ACME","streetAddress":"4120 BINGHAM AVE","city":"SAINT LOUIS","state":"MO","ZIPCode":"63116"}}"#;
        let parsed: ScanFormRequest = serde_json::from_str(body).unwrap();
        assert_eq!(
            parsed.shipment,
            ScanFormShipment::TrackingNumbers {
                tracking_numbers: vec!["9205590006662202169556".into()]
            }
        );
        let round: Value = serde_json::to_value(&parsed).unwrap();
        assert_eq!(round, serde_json::from_str::<Value>(body).unwrap());
        let by_mid = serde_json::to_value(ScanFormShipment::ManifestMid {
            manifest_mid: "900000002".into(),
        })
        .unwrap();
        assert_eq!(by_mid, serde_json::json!({"manifestMID":"900000002"}));
    }
}
