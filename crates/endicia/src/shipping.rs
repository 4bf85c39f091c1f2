//! The shipping calls: rates for a parcel, a label (which spends postage), refunds of unused
//! labels, and the End of Day SCAN form.
//!
//! Labels are not idempotent at ELS: a label whose answer is lost may have been made and
//! charged. [`EndiciaClient::postage_label`] therefore never retries; a caller settles a lost
//! one from the account's registers (a label moves its postage from the balance to the
//! ascending register) and refunds any duplicate within ten days.

use base64::Engine as _;
use rust_decimal::Decimal;

use crate::client::{Credentials, EndiciaClient, check_status, ci, decimal};
use crate::error::{ElsRefusal, EndiciaError};
use crate::shipping_wire::{self as w, Dimensions, PicNumbers};

/// What is mailed: weight, USPS shape (`Parcel`, `FlatRateEnvelope`, …) and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parcel {
    pub weight_oz: Decimal,
    pub shape: String,
    /// Length, width, height in inches.
    pub dimensions_in: Option<[Decimal; 3]>,
}

impl Parcel {
    fn dimensions(&self) -> Option<Dimensions> {
        self.dimensions_in.map(|[l, w, h]| Dimensions {
            length: l.to_string(),
            width: w.to_string(),
            height: h.to_string(),
        })
    }

    fn weight(&self) -> String {
        self.weight_oz.round_dp(1).to_string()
    }
}

/// One service's price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostageRate {
    /// ELS's mail class, e.g. `Priority`, `GroundAdvantage`.
    pub mail_class: String,
    /// As people know it, e.g. "Priority Mail".
    pub service: String,
    /// Postage and fees.
    pub total: Decimal,
    pub zone: Option<String>,
    pub pricing: Option<String>,
    pub delivery_days: Option<String>,
}

/// A label address as ELS takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelAddress {
    pub name: String,
    pub company: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub state: String,
    pub zip5: String,
    pub zip4: String,
    /// Ten digits (required for Priority Mail Express and international).
    pub phone: String,
}

/// A label to buy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSpec {
    pub mail_class: String,
    pub parcel: Parcel,
    pub from: LabelAddress,
    pub to: LabelAddress,
    /// The caller's reference for this purchase (≤25), stored by ELS with the label.
    pub partner_transaction_id: String,
    /// A sample: no postage is spent.
    pub test: bool,
    /// e.g. `4x6`.
    pub label_size: String,
    /// e.g. `PDF`, `PNG`, `ZPLII`.
    pub image_format: String,
}

/// A label ELS made (and charged, unless it was a test).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostageLabel {
    pub tracking_number: String,
    pub final_postage: Decimal,
    /// The account's piece number (0 for a test label).
    pub transaction_id: String,
    /// YYYYMMDD.
    pub postmark_date: Option<String>,
    pub balance_after: Option<Decimal>,
    /// The decoded label (PDF, PNG or raw printer bytes).
    pub image: Vec<u8>,
}

/// One tracking number's refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundResult {
    pub tracking_number: String,
    pub approved: bool,
    pub message: String,
}

/// A SCAN form (PS Form 5630).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanForm {
    pub submission_id: String,
    pub image: Vec<u8>,
}

fn decode(field: &str, data: &str) -> Result<Vec<u8>, EndiciaError> {
    let cleaned: String = data.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(cleaned)
        .map_err(|e| EndiciaError::Malformed(format!("{field} is not base64: {e}")))
}

/// Refund and SCAN answers carry no `Status`: an `ErrorMessage` is the refusal, and its code
/// (when it starts "Error 102: …") is kept.
fn message_refusal(message: Option<&str>) -> Result<(), EndiciaError> {
    let Some(message) = message.map(str::trim).filter(|m| !m.is_empty()) else {
        return Ok(());
    };
    let code = message
        .strip_prefix("Error ")
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    Err(EndiciaError::Refused(ElsRefusal::new(code, message)))
}

impl EndiciaClient {
    /// Every domestic service that serves the parcel between two ZIP codes, with its price.
    /// Spends nothing.
    pub async fn rates(
        &self,
        credentials: &Credentials,
        parcel: &Parcel,
        from_zip: &str,
        to_zip: &str,
    ) -> Result<Vec<PostageRate>, EndiciaError> {
        let body = w::PostageRatesRequest {
            requester_id: self.requester_id(),
            credentials: ci(credentials),
            mail_class: "Domestic",
            weight_oz: parcel.weight(),
            shape: &parcel.shape,
            dimensions: parcel.dimensions(),
            from_zip,
            to_zip,
        };
        let text = self
            .post(
                "CalculatePostageRatesXML",
                "postageRatesRequestXML",
                "PostageRatesRequest",
                &body,
            )
            .await?;
        let answer: w::RatesAnswer = quick_xml::de::from_str(&text)
            .map_err(|e| EndiciaError::Malformed(format!("rates: {e}")))?;
        check_status(
            "CalculatePostageRatesXML",
            answer.status.as_deref(),
            answer.error_message.as_deref(),
        )?;
        let mut rates = answer
            .prices
            .into_iter()
            .map(|p| {
                let postage = p.postage.unwrap_or_default();
                Ok(PostageRate {
                    mail_class: p.mail_class.unwrap_or_default(),
                    service: postage.mail_service.unwrap_or_default(),
                    total: decimal("TotalAmount", p.total.as_ref())?,
                    zone: postage.zone,
                    pricing: postage.pricing,
                    delivery_days: p.delivery_days,
                })
            })
            .collect::<Result<Vec<_>, EndiciaError>>()?;
        rates.sort_by_key(|r| r.total);
        Ok(rates)
    }

    /// Buys a label (spends its postage unless `spec.test`). Never retried: see the module doc.
    pub async fn postage_label(
        &self,
        credentials: &Credentials,
        spec: &LabelSpec,
    ) -> Result<PostageLabel, EndiciaError> {
        let body = w::LabelRequest {
            test: if spec.test { "YES" } else { "NO" },
            label_type: "Default",
            label_size: &spec.label_size,
            image_format: &spec.image_format,
            requester_id: self.requester_id(),
            account_id: &credentials.account_id,
            pass_phrase: credentials.pass_phrase.expose(),
            mail_class: &spec.mail_class,
            weight_oz: spec.parcel.weight(),
            shape: &spec.parcel.shape,
            dimensions: spec.parcel.dimensions(),
            partner_customer_id: &credentials.account_id,
            partner_transaction_id: &spec.partner_transaction_id,
            response_options: w::ResponseOptions {
                postage_price: "TRUE",
            },
            from_name: &spec.from.name,
            from_company: &spec.from.company,
            return_address1: &spec.from.line1,
            return_address2: &spec.from.line2,
            from_city: &spec.from.city,
            from_state: &spec.from.state,
            from_zip: &spec.from.zip5,
            from_phone: &spec.from.phone,
            to_name: &spec.to.name,
            to_company: &spec.to.company,
            to_address1: &spec.to.line1,
            to_address2: &spec.to.line2,
            to_city: &spec.to.city,
            to_state: &spec.to.state,
            to_zip: &spec.to.zip5,
            to_zip4: &spec.to.zip4,
        };
        let text = self
            .post(
                "GetPostageLabelXML",
                "labelRequestXML",
                "LabelRequest",
                &body,
            )
            .await?;
        let answer: w::LabelAnswer = quick_xml::de::from_str(&text)
            .map_err(|e| EndiciaError::Malformed(format!("label: {e}")))?;
        check_status(
            "GetPostageLabelXML",
            answer.status.as_deref(),
            answer.error_message.as_deref(),
        )?;
        let image = answer
            .image
            .as_deref()
            .ok_or_else(|| EndiciaError::Malformed("no Base64LabelImage in the answer".into()))?;
        Ok(PostageLabel {
            tracking_number: answer
                .tracking_number
                .clone()
                .ok_or_else(|| EndiciaError::Malformed("no TrackingNumber in the answer".into()))?,
            final_postage: decimal("FinalPostage", answer.final_postage.as_ref())?,
            transaction_id: answer.transaction_id.clone().unwrap_or_default(),
            postmark_date: answer.postmark_date.clone(),
            balance_after: answer
                .balance
                .as_ref()
                .map(|b| decimal("PostageBalance", Some(b)))
                .transpose()?,
            image: decode("Base64LabelImage", image)?,
        })
    }

    /// Asks for refunds of unused labels (within ten days of printing, not on a SCAN form).
    /// Each tracking number is approved or denied on its own.
    pub async fn refund(
        &self,
        credentials: &Credentials,
        tracking_numbers: &[String],
        request_id: &str,
    ) -> Result<Vec<RefundResult>, EndiciaError> {
        let body = w::RefundRequest {
            requester_id: self.requester_id(),
            request_id,
            credentials: ci(credentials),
            pics: PicNumbers {
                pics: tracking_numbers,
            },
        };
        let text = self
            .post("GetRefundXML", "refundRequestXML", "RefundRequest", &body)
            .await?;
        let answer: w::RefundAnswer = quick_xml::de::from_str(&text)
            .map_err(|e| EndiciaError::Malformed(format!("refund: {e}")))?;
        if answer.refunds.is_empty() {
            message_refusal(answer.error_message.as_deref())?;
        }
        Ok(answer
            .refunds
            .into_iter()
            .map(|r| RefundResult {
                tracking_number: r.pic.unwrap_or_default(),
                approved: r
                    .status
                    .as_deref()
                    .is_some_and(|s| s.trim().eq_ignore_ascii_case("Approved")),
                message: r.message.unwrap_or_default(),
            })
            .collect())
    }

    /// The SCAN form for the account's eligible labels (of `from_zip`, when given), as a PDF.
    pub async fn scan_form(
        &self,
        credentials: &Credentials,
        tracking_numbers: &[String],
        from_zip: Option<&str>,
        request_id: &str,
    ) -> Result<ScanForm, EndiciaError> {
        let body = w::ScanRequest {
            requester_id: self.requester_id(),
            request_id,
            credentials: ci(credentials),
            parameters: w::ScanParameters {
                image_format: "PDF",
                submission_id: None,
                from_zip,
            },
            pics: (!tracking_numbers.is_empty()).then_some(PicNumbers {
                pics: tracking_numbers,
            }),
        };
        let text = self
            .post("GetSCANXML", "scanRequestXML", "SCANRequest", &body)
            .await?;
        let answer: w::ScanAnswer = quick_xml::de::from_str(&text)
            .map_err(|e| EndiciaError::Malformed(format!("SCAN: {e}")))?;
        message_refusal(answer.error_message.as_deref())?;
        Ok(ScanForm {
            submission_id: answer
                .submission_id
                .ok_or_else(|| EndiciaError::Malformed("no SubmissionID in the answer".into()))?,
            image: decode(
                "SCANForm",
                answer
                    .form
                    .as_deref()
                    .ok_or_else(|| EndiciaError::Malformed("no SCANForm in the answer".into()))?,
            )?,
        })
    }
}
