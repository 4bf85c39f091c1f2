//! The XML of the shipping calls: rates, labels, refunds and SCAN forms (requests serialized
//! with their root element, answers read by element name).

use serde::{Deserialize, Serialize};

use crate::wire::CertifiedIntermediary;

#[derive(Serialize)]
pub(crate) struct Dimensions {
    #[serde(rename = "Length")]
    pub length: String,
    #[serde(rename = "Width")]
    pub width: String,
    #[serde(rename = "Height")]
    pub height: String,
}

#[derive(Serialize)]
pub(crate) struct PostageRatesRequest<'a> {
    #[serde(rename = "RequesterID")]
    pub requester_id: &'a str,
    #[serde(rename = "CertifiedIntermediary")]
    pub credentials: CertifiedIntermediary<'a>,
    /// `Domestic` (every domestic class that serves the package).
    #[serde(rename = "MailClass")]
    pub mail_class: &'a str,
    #[serde(rename = "WeightOz")]
    pub weight_oz: String,
    #[serde(rename = "MailpieceShape")]
    pub shape: &'a str,
    #[serde(
        rename = "MailpieceDimensions",
        skip_serializing_if = "Option::is_none"
    )]
    pub dimensions: Option<Dimensions>,
    #[serde(rename = "FromPostalCode")]
    pub from_zip: &'a str,
    #[serde(rename = "ToPostalCode")]
    pub to_zip: &'a str,
}

#[derive(Serialize)]
pub(crate) struct ResponseOptions {
    #[serde(rename = "@PostagePrice")]
    pub postage_price: &'static str,
}

#[derive(Serialize)]
pub(crate) struct LabelRequest<'a> {
    #[serde(rename = "@Test")]
    pub test: &'static str,
    #[serde(rename = "@LabelType")]
    pub label_type: &'static str,
    #[serde(rename = "@LabelSize")]
    pub label_size: &'a str,
    #[serde(rename = "@ImageFormat")]
    pub image_format: &'a str,
    #[serde(rename = "RequesterID")]
    pub requester_id: &'a str,
    #[serde(rename = "AccountID")]
    pub account_id: &'a str,
    #[serde(rename = "PassPhrase")]
    pub pass_phrase: &'a str,
    #[serde(rename = "MailClass")]
    pub mail_class: &'a str,
    #[serde(rename = "WeightOz")]
    pub weight_oz: String,
    #[serde(rename = "MailpieceShape")]
    pub shape: &'a str,
    #[serde(
        rename = "MailpieceDimensions",
        skip_serializing_if = "Option::is_none"
    )]
    pub dimensions: Option<Dimensions>,
    #[serde(rename = "PartnerCustomerID")]
    pub partner_customer_id: &'a str,
    #[serde(rename = "PartnerTransactionID")]
    pub partner_transaction_id: &'a str,
    #[serde(rename = "ResponseOptions")]
    pub response_options: ResponseOptions,
    #[serde(rename = "FromName")]
    pub from_name: &'a str,
    #[serde(rename = "FromCompany", skip_serializing_if = "str::is_empty")]
    pub from_company: &'a str,
    #[serde(rename = "ReturnAddress1")]
    pub return_address1: &'a str,
    #[serde(rename = "ReturnAddress2", skip_serializing_if = "str::is_empty")]
    pub return_address2: &'a str,
    #[serde(rename = "FromCity")]
    pub from_city: &'a str,
    #[serde(rename = "FromState")]
    pub from_state: &'a str,
    #[serde(rename = "FromPostalCode")]
    pub from_zip: &'a str,
    #[serde(rename = "FromPhone", skip_serializing_if = "str::is_empty")]
    pub from_phone: &'a str,
    #[serde(rename = "ToName")]
    pub to_name: &'a str,
    #[serde(rename = "ToCompany", skip_serializing_if = "str::is_empty")]
    pub to_company: &'a str,
    #[serde(rename = "ToAddress1")]
    pub to_address1: &'a str,
    #[serde(rename = "ToAddress2", skip_serializing_if = "str::is_empty")]
    pub to_address2: &'a str,
    #[serde(rename = "ToCity")]
    pub to_city: &'a str,
    #[serde(rename = "ToState")]
    pub to_state: &'a str,
    #[serde(rename = "ToPostalCode")]
    pub to_zip: &'a str,
    #[serde(rename = "ToZIP4", skip_serializing_if = "str::is_empty")]
    pub to_zip4: &'a str,
}

#[derive(Serialize)]
pub(crate) struct PicNumbers<'a> {
    #[serde(rename = "PicNumber")]
    pub pics: &'a [String],
}

#[derive(Serialize)]
pub(crate) struct RefundRequest<'a> {
    #[serde(rename = "RequesterID")]
    pub requester_id: &'a str,
    #[serde(rename = "RequestID")]
    pub request_id: &'a str,
    #[serde(rename = "CertifiedIntermediary")]
    pub credentials: CertifiedIntermediary<'a>,
    #[serde(rename = "PicNumbers")]
    pub pics: PicNumbers<'a>,
}

#[derive(Serialize)]
pub(crate) struct ScanParameters<'a> {
    #[serde(rename = "@ImageFormat")]
    pub image_format: &'static str,
    #[serde(rename = "@SubmissionID", skip_serializing_if = "Option::is_none")]
    pub submission_id: Option<&'a str>,
    #[serde(rename = "FromZip", skip_serializing_if = "Option::is_none")]
    pub from_zip: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct ScanRequest<'a> {
    #[serde(rename = "RequesterID")]
    pub requester_id: &'a str,
    #[serde(rename = "RequestID")]
    pub request_id: &'a str,
    #[serde(rename = "CertifiedIntermediary")]
    pub credentials: CertifiedIntermediary<'a>,
    #[serde(rename = "GetSCANRequestParameters")]
    pub parameters: ScanParameters<'a>,
    #[serde(rename = "PicNumbers", skip_serializing_if = "Option::is_none")]
    pub pics: Option<PicNumbers<'a>>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PostageOut {
    #[serde(rename = "MailService", default)]
    pub mail_service: Option<String>,
    #[serde(rename = "Zone", default)]
    pub zone: Option<String>,
    #[serde(rename = "Pricing", default)]
    pub pricing: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PostagePriceOut {
    #[serde(rename = "@TotalAmount", default)]
    pub total: Option<String>,
    #[serde(rename = "MailClass", default)]
    pub mail_class: Option<String>,
    #[serde(rename = "Postage", default)]
    pub postage: Option<PostageOut>,
    #[serde(rename = "DeliveryTimeDays", default)]
    pub delivery_days: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RatesAnswer {
    #[serde(rename = "Status", default)]
    pub status: Option<String>,
    #[serde(rename = "ErrorMessage", default)]
    pub error_message: Option<String>,
    #[serde(rename = "PostagePrice", default)]
    pub prices: Vec<PostagePriceOut>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LabelAnswer {
    #[serde(rename = "Status", default)]
    pub status: Option<String>,
    #[serde(rename = "ErrorMessage", default)]
    pub error_message: Option<String>,
    #[serde(rename = "Base64LabelImage", default)]
    pub image: Option<String>,
    #[serde(rename = "TrackingNumber", default)]
    pub tracking_number: Option<String>,
    #[serde(rename = "FinalPostage", default)]
    pub final_postage: Option<String>,
    #[serde(rename = "TransactionID", default)]
    pub transaction_id: Option<String>,
    #[serde(rename = "PostmarkDate", default)]
    pub postmark_date: Option<String>,
    #[serde(rename = "PostageBalance", default)]
    pub balance: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RefundOut {
    #[serde(rename = "@PicNumber", default)]
    pub pic: Option<String>,
    #[serde(rename = "RefundStatus", default)]
    pub status: Option<String>,
    #[serde(rename = "RefundStatusMessage", default)]
    pub message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RefundAnswer {
    #[serde(rename = "ErrorMessage", default)]
    pub error_message: Option<String>,
    #[serde(rename = "Refund", default)]
    pub refunds: Vec<RefundOut>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ScanAnswer {
    #[serde(rename = "ErrorMessage", default)]
    pub error_message: Option<String>,
    #[serde(rename = "SubmissionID", default)]
    pub submission_id: Option<String>,
    #[serde(rename = "SCANForm", default)]
    pub form: Option<String>,
}
