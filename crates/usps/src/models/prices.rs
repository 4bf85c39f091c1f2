//! Domestic Prices v3: base rates, base-rates list and total rates.
//! Contract prices come back when `accountType` + `accountNumber` name an account the token may use.

use serde::{Deserialize, Serialize};

use crate::models::common::{Fee, Warning};

/// `POST /prices/v3/base-rates/search`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseRatesQuery {
    #[serde(rename = "originZIPCode")]
    pub origin_zip_code: String,
    #[serde(rename = "destinationZIPCode")]
    pub destination_zip_code: String,
    /// Pounds.
    pub weight: f64,
    pub length: f64,
    pub width: f64,
    pub height: f64,
    pub mail_class: String,
    pub processing_category: String,
    pub rate_indicator: String,
    pub destination_entry_facility_type: String,
    /// RETAIL, COMMERCIAL or CONTRACT.
    pub price_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mailing_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_nonstandard_characteristics: Option<bool>,
}

/// `POST /prices/v3/base-rates-list/search`; with `item_value`/`extra_services` also the body of
/// `/total-rates/search` (the spec's TotalRatesQuery is RateListQuery plus those two).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateListQuery {
    #[serde(rename = "originZIPCode")]
    pub origin_zip_code: String,
    #[serde(rename = "destinationZIPCode")]
    pub destination_zip_code: String,
    pub weight: f64,
    pub length: f64,
    pub width: f64,
    pub height: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_class: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mail_classes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mailing_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_nonstandard_characteristics: Option<bool>,
    /// Total rates only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_value: Option<f64>,
    /// Total rates only: extra service codes such as 920, 930.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra_services: Vec<u32>,
}

/// One priced product: the base-rates answer, and each entry of `rateOptions`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateOption {
    #[serde(default)]
    pub total_base_price: Option<f64>,
    #[serde(default)]
    pub rates: Vec<RateDetails>,
    /// Total rates only.
    #[serde(default)]
    pub extra_services: Vec<ExtraServiceRate>,
    /// Total rates only, when extra services were requested.
    #[serde(default)]
    pub total_price: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateListResponse {
    #[serde(default)]
    pub rate_options: Vec<RateOption>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateDetails {
    #[serde(rename = "SKU", default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub price_type: Option<String>,
    #[serde(default)]
    pub price: Option<f64>,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub dim_weight: Option<f64>,
    #[serde(default)]
    pub fees: Vec<Fee>,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub mail_class: Option<String>,
    #[serde(default)]
    pub zone: Option<String>,
    #[serde(default)]
    pub product_name: Option<String>,
    #[serde(default)]
    pub product_definition: Option<String>,
    #[serde(default)]
    pub processing_category: Option<String>,
    #[serde(default)]
    pub rate_indicator: Option<String>,
    #[serde(default)]
    pub destination_entry_facility_type: Option<String>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtraServiceRate {
    #[serde(default)]
    pub extra_service: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(rename = "SKU", default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub price_type: Option<String>,
    #[serde(default)]
    pub price: Option<f64>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_base_rate_with_warning() {
        let body = r#"{"totalBasePrice": 8.02, "rates": [{"SKU":"DUXP0XXXXR05010","description":"USPS Ground Advantage Machinable Single-piece",
          "priceType":"CONTRACT","price":8.02,"weight":1.0,"dimWeight":0,"fees":[],"startDate":"2025-01-19","endDate":"",
          "mailClass":"USPS_GROUND_ADVANTAGE","zone":"05","processingCategory":"MACHINABLE","rateIndicator":"SP",
          "destinationEntryFacilityType":"NONE",
          "warnings":[{"warningCode":"001","warningDescription":"Contract rate not found for request. Published rate returned."}]}]}"#;
        let option: RateOption = serde_json::from_str(body).unwrap();
        assert_eq!(option.total_base_price, Some(8.02));
        assert_eq!(option.rates[0].sku.as_deref(), Some("DUXP0XXXXR05010"));
        assert_eq!(
            option.rates[0].warnings[0].warning_code.as_deref(),
            Some("001")
        );
    }

    #[test]
    fn total_rates_query_shape() {
        let q = RateListQuery {
            origin_zip_code: "63116".into(),
            destination_zip_code: "20260".into(),
            weight: 1.5,
            length: 9.0,
            width: 6.0,
            height: 2.0,
            mail_classes: vec!["PRIORITY_MAIL".into()],
            account_type: Some("EPS".into()),
            account_number: Some("1000000001".into()),
            extra_services: vec![920],
            item_value: Some(40.0),
            ..Default::default()
        };
        let v = serde_json::to_value(&q).unwrap();
        assert_eq!(v["originZIPCode"], "63116");
        assert_eq!(v["mailClasses"][0], "PRIORITY_MAIL");
        assert_eq!(v["extraServices"][0], 920);
        assert!(v.get("mailClass").is_none() && v.get("priceType").is_none());
    }
}
