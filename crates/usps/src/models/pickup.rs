//! Carrier Pickup v3: eligibility, schedule, read, cancel (with `If-Match`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Query of `GET /pickup/v3/carrier-pickup/eligibility`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PickupEligibilityQuery {
    pub street_address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(rename = "ZIPCode", skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    #[serde(rename = "ZIPPlus4", skip_serializing_if = "Option::is_none")]
    pub zip_plus4: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urbanization: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchedulePickupRequest {
    /// `YYYY-MM-DD`, Monday to Saturday.
    pub pickup_date: String,
    pub pickup_address: PickupAddress,
    pub packages: Vec<PickupPackage>,
    /// Pounds, all packages together.
    pub estimated_weight: f64,
    pub pickup_location: PickupLocation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_available_pickup: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickupAddress {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firm: Option<String>,
    #[serde(default)]
    pub address: PickupStreetAddress,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact: Vec<PickupContact>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickupStreetAddress {
    #[serde(default)]
    pub street_address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(rename = "ZIPCode", default, skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    #[serde(rename = "ZIPPlus4", default, skip_serializing_if = "Option::is_none")]
    pub zip_plus4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urbanization: Option<String>,
    #[serde(flatten, default)]
    pub other: Map<String, Value>,
}

/// One contact method: `{"email": ...}` or `{"cellNumber": ...}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickupContact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell_number: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickupPackage {
    /// PRIORITY_MAIL, USPS_GROUND_ADVANTAGE, PRIORITY_MAIL_EXPRESS, RETURNS, INTERNATIONAL, OTHER, ...
    pub package_type: String,
    #[serde(deserialize_with = "crate::wire::lenient_u64_required")]
    pub package_count: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickupLocation {
    /// FRONT_DOOR, BACK_DOOR, SIDE_DOOR, KNOCK_ON_DOOR, MAIL_ROOM, OFFICE, PORCH, RECEPTION, MAILBOX, OTHER.
    pub package_location: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_instructions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dog_present: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickupConfirmation {
    #[serde(default)]
    pub confirmation_number: String,
    #[serde(default)]
    pub pickup_date: Option<String>,
    #[serde(default)]
    pub carrier_pickup_request: Option<SchedulePickupRequest>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_request_round_trips() {
        let body = r#"{"pickupDate":"2025-06-02",
 "pickupAddress":{"firstName":"John","lastName":"Smith","firm":"FIRM",
   "address":{"streetAddress":"4120 Bingham Ave","city":"Saint Louis","state":"MO","ZIPCode":"63116"},
   "contact":[{"email":"john.smith@firm.com"}]},
 "packages":[{"packageType":"PRIORITY_MAIL","packageCount":2}],
 "estimatedWeight":5.0,"pickupLocation":{"packageLocation":"OFFICE","specialInstructions":"Front desk"}}"#;
        let parsed: SchedulePickupRequest = serde_json::from_str(body).unwrap();
        assert_eq!(parsed.packages[0].package_count, 2);
        let round = serde_json::to_value(&parsed).unwrap();
        assert_eq!(round, serde_json::from_str::<Value>(body).unwrap());
    }

    #[test]
    fn confirmation_accepts_string_counts() {
        let body = r#"{"confirmationNumber":"WTC123456789","pickupDate":"2025-06-02","carrierPickupRequest":{"pickupDate":"2025-06-02",
          "pickupAddress":{"firstName":"JOHN","lastName":"SMITH","address":{"streetAddress":"4120 BINGHAM AVE"}},
          "packages":[{"packageType":"PRIORITY_MAIL","packageCount":"1"}],"estimatedWeight":5,
          "pickupLocation":{"packageLocation":"OFFICE"}}}"#;
        let parsed: PickupConfirmation = serde_json::from_str(body).unwrap();
        assert_eq!(parsed.confirmation_number, "WTC123456789");
        assert_eq!(
            parsed.carrier_pickup_request.unwrap().packages[0].package_count,
            1
        );
    }
}
