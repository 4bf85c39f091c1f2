//! Addresses v3: `GET /addresses/v3/address` and `/city-state`.

use serde::{Deserialize, Serialize};

/// Query of `GET /addresses/v3/address`: `streetAddress` and `state` plus `city` or `ZIPCode`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firm: Option<String>,
    pub street_address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urbanization: Option<String>,
    #[serde(rename = "ZIPCode", skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    #[serde(rename = "ZIPPlus4", skip_serializing_if = "Option::is_none")]
    pub zip_plus4: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressResponse {
    #[serde(default)]
    pub firm: Option<String>,
    #[serde(default)]
    pub address: StandardizedAddress,
    #[serde(default)]
    pub additional_info: Option<AddressAdditionalInfo>,
    #[serde(default)]
    pub corrections: Vec<CodeText>,
    #[serde(default)]
    pub matches: Vec<CodeText>,
    #[serde(default)]
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StandardizedAddress {
    #[serde(default)]
    pub street_address: Option<String>,
    #[serde(default)]
    pub street_address_abbreviation: Option<String>,
    #[serde(default)]
    pub secondary_address: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub city_abbreviation: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(rename = "ZIPCode", default)]
    pub zip_code: Option<String>,
    #[serde(rename = "ZIPPlus4", default)]
    pub zip_plus4: Option<String>,
    #[serde(default)]
    pub urbanization: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AddressAdditionalInfo {
    #[serde(rename = "deliveryPoint", default)]
    pub delivery_point: Option<String>,
    #[serde(rename = "carrierRoute", default)]
    pub carrier_route: Option<String>,
    /// Y, D, S or N.
    #[serde(rename = "DPVConfirmation", default)]
    pub dpv_confirmation: Option<String>,
    #[serde(rename = "DPVCMRA", default)]
    pub dpv_cmra: Option<String>,
    #[serde(default)]
    pub business: Option<String>,
    #[serde(rename = "centralDeliveryPoint", default)]
    pub central_delivery_point: Option<String>,
    #[serde(default)]
    pub vacant: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct CodeText {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct CityStateResponse {
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(rename = "ZIPCode", default)]
    pub zip_code: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_reference_address_response() {
        let body = r#"{"firm": "PIZZA HUT",
 "address": {"streetAddress":"2516 W NORTH AVE","streetAddressAbbreviation":"2516 W NORTH AVE",
   "secondaryAddress":"","city":"CHICAGO","cityAbbreviation":"CHICAGO","state":"IL",
   "ZIPCode":"60647","ZIPPlus4":"5202","urbanization":""},
 "additionalInfo": {"deliveryPoint":"16","carrierRoute":"C022","DPVConfirmation":"Y",
   "DPVCMRA":"N","business":"Y","centralDeliveryPoint":"N","vacant":"N"},
 "corrections": [{"code":"","text":""}],
 "matches": [{"code":"31","text":"Single Response - exact match"}],
 "warnings": []}"#;
        let parsed: AddressResponse = serde_json::from_str(body).unwrap();
        assert_eq!(parsed.address.zip_plus4.as_deref(), Some("5202"));
        assert_eq!(
            parsed.additional_info.unwrap().dpv_confirmation.as_deref(),
            Some("Y")
        );
        assert_eq!(parsed.matches[0].code.as_deref(), Some("31"));
    }

    #[test]
    fn query_uses_usps_names_and_skips_unset() {
        let q = AddressQuery {
            street_address: "3120 M St".into(),
            state: "DC".into(),
            city: Some("Washington".into()),
            zip_code: Some("20007".into()),
            ..Default::default()
        };
        let encoded = serde_json::to_value(&q).unwrap();
        assert_eq!(encoded["ZIPCode"], "20007");
        assert_eq!(encoded["streetAddress"], "3120 M St");
        assert!(encoded.get("firm").is_none());
    }
}
