//! International Prices v3 and International Labels v3 bodies. Prices answer in the domestic
//! shapes ([`RateListResponse`](super::RateListResponse)); a label answers like a domestic one
//! with `internationalTrackingNumber` for the tracking number (read into
//! [`LabelMetadata::tracking_number`](super::LabelMetadata)).

use serde::{Deserialize, Serialize};

use super::LabelAddress;

/// `POST /international-prices/v3/base-rates-list/search`: every product to a country.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IntlRateListQuery {
    #[serde(rename = "originZIPCode")]
    pub origin_zip_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foreign_postal_code: Option<String>,
    /// ISO 3166-1 alpha-2, capitals.
    pub destination_country_code: String,
    /// Pounds.
    pub weight: f64,
    pub length: f64,
    pub width: f64,
    pub height: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_class: Option<String>,
    /// RETAIL, COMMERCIAL_BASE, COMMERCIAL_PLUS; both retail and commercial when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mailing_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
}

/// `POST /international-labels/v3/international-label`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntlLabelRequest {
    pub image_info: IntlImageInfo,
    pub to_address: IntlAddress,
    /// The US sender: a domestic address.
    pub from_address: LabelAddress,
    pub package_description: IntlPackageDescription,
    pub customs_form: CustomsForm,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntlImageInfo {
    /// PDF.
    pub image_type: String,
    /// 4X6LABEL.
    pub label_type: String,
}

impl Default for IntlImageInfo {
    fn default() -> Self {
        Self {
            image_type: "PDF".into(),
            label_type: "4X6LABEL".into(),
        }
    }
}

/// The addressee abroad.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntlAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firm: Option<String>,
    pub street_address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_address: Option<String>,
    pub city: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// The country's name as it prints.
    pub country: String,
    #[serde(rename = "countryISOAlpha2Code")]
    pub country_iso_alpha2_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntlPackageDescription {
    /// FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE, PRIORITY_MAIL_INTERNATIONAL,
    /// PRIORITY_MAIL_EXPRESS_INTERNATIONAL.
    pub mail_class: String,
    pub rate_indicator: String,
    pub processing_category: String,
    /// NONE.
    pub destination_entry_facility_type: String,
    #[serde(rename = "weightUOM")]
    pub weight_uom: String,
    /// Pounds.
    pub weight: f64,
    #[serde(rename = "dimensionsUOM")]
    pub dimensions_uom: String,
    pub length: f64,
    pub width: f64,
    pub height: f64,
    /// `YYYY-MM-DD`, today to 7 days ahead.
    pub mailing_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_options: Option<IntlPackageOptions>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntlPackageOptions {
    /// RETURN, REDIRECT or ABANDON: what happens to a piece that cannot be delivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub non_delivery_option: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_value: Option<f64>,
}

/// The customs declaration printed with the label (PS Form 2976 / 2976-A).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomsForm {
    /// MERCHANDISE, GIFT, DOCUMENT, COMMERCIAL_SAMPLE, RETURNED_GOODS, OTHER, ...
    pub customs_content_type: String,
    /// Required with OTHER.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_comments: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restriction_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restriction_comments: Option<String>,
    /// An AES Internal Transaction Number (`AES X…`) or the exemption legend that applies
    /// (`NO EEI 30.37(a)` below USD 2,500 per Schedule B number; `NO EEI 30.36` to Canada).
    #[serde(rename = "AESITN")]
    pub aes_itn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    pub contents: Vec<CustomsItem>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomsItem {
    pub item_description: String,
    pub item_quantity: u32,
    /// US dollars, for one.
    pub item_value: f64,
    #[serde(rename = "weightUOM")]
    pub weight_uom: String,
    /// Pounds, for one.
    pub item_weight: f64,
    #[serde(rename = "HSTariffNumber", skip_serializing_if = "Option::is_none")]
    pub hs_tariff_number: Option<String>,
    /// ISO alpha-2 (the spec spells it `countryofOrigin`).
    #[serde(rename = "countryofOrigin")]
    pub country_of_origin: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customs_fields_carry_the_specs_spellings() {
        let form = CustomsForm {
            customs_content_type: "MERCHANDISE".into(),
            aes_itn: "NO EEI 30.37(a)".into(),
            contents: vec![CustomsItem {
                item_description: "Hand cream".into(),
                item_quantity: 2,
                item_value: 12.5,
                weight_uom: "lb".into(),
                item_weight: 0.25,
                hs_tariff_number: Some("3304.99".into()),
                country_of_origin: "US".into(),
            }],
            ..Default::default()
        };
        let v = serde_json::to_value(&form).unwrap();
        assert_eq!(v["AESITN"], "NO EEI 30.37(a)");
        assert_eq!(v["contents"][0]["HSTariffNumber"], "3304.99");
        assert_eq!(v["contents"][0]["countryofOrigin"], "US");
        assert_eq!(v["contents"][0]["weightUOM"], "lb");
        assert!(v.get("contentComments").is_none());
        let to = IntlAddress {
            street_address: "1 Rue".into(),
            city: "Ottawa".into(),
            country: "Canada".into(),
            country_iso_alpha2_code: "CA".into(),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&to).unwrap()["countryISOAlpha2Code"],
            "CA"
        );
    }
}
