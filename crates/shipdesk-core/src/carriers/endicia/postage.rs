//! Labels paid from an Endicia prepaid postage account: the [`PostageProvider`] an Endicia
//! account is. ELS prices parcels (CalculatePostageRates), sells labels (GetPostageLabel),
//! refunds unused ones and makes SCAN forms. It has no address check, tracking or pickup: those
//! are USPS's whoever pays the postage, so they go through the desk's default USPS account (and
//! say so when there is none).
//!
//! ELS labels are not idempotent (a second request is a second label and a second charge), and
//! no documented call finds a label by our reference. So before each request the account's
//! registers — the serial number of its last piece and the postage printed to date — are
//! committed under the purchase's idempotency key (`EndiciaPayers::record_label_send`). A
//! purchase whose answer was lost is sent again only when the registers have not moved since,
//! and only once a request still on its way can no longer land; when a piece was made meanwhile
//! it may be ours, and Shipdesk says so instead of buying again.

use endicia::{Credentials, EndiciaError, LabelAddress, LabelSpec, Parcel};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{EndiciaAccounts, PayerRow};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::orders::Address;
use crate::postage::model::{AddressCheck, QuotePackaging, RateChoice, RateQuote, service_name};
use crate::postage::{
    AccountId, AccountSummary, BoughtLabel, KeyCancel, LabelDocument, LabelOrder, LabelPayload,
    Payer, PostageBalance, PricesFound, PurchaseFailure, RateRequest, ScanFormMade, ScanFormOrder,
    SendOutcome, VoidAnswer, VoidResult,
};

/// The setting naming the account row that pays for labels when none is chosen (empty: the
/// default USPS account does).
pub(crate) const PAYS_LABELS: &str = "postage.pays_labels";

/// ELS's mail classes and USPS's names for them (the rate rows and the shipping policy speak
/// USPS's).
const MAIL_CLASSES: [(&str, &str); 7] = [
    ("PriorityExpress", "PRIORITY_MAIL_EXPRESS"),
    ("Priority", "PRIORITY_MAIL"),
    ("GroundAdvantage", "USPS_GROUND_ADVANTAGE"),
    ("First", "FIRST-CLASS_MAIL"),
    ("ParcelSelect", "PARCEL_SELECT"),
    ("MediaMail", "MEDIA_MAIL"),
    ("LibraryMail", "LIBRARY_MAIL"),
];

fn usps_class(els: &str) -> Option<&'static str> {
    MAIL_CLASSES
        .iter()
        .find(|(e, _)| e.eq_ignore_ascii_case(els))
        .map(|(_, u)| *u)
}

fn els_class(usps: &str) -> AppResult<&'static str> {
    MAIL_CLASSES
        .iter()
        .find(|(_, u)| u.eq_ignore_ascii_case(usps))
        .map(|(e, _)| *e)
        .ok_or_else(|| {
            AppError::validation(format!(
                "Endicia does not sell {usps} labels: choose another service."
            ))
        })
}

/// The label request as journaled: everything GetPostageLabel is sent, in the app's terms.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct EndiciaLabelPayload {
    account_number: String,
    els_mail_class: String,
    mail_class: String,
    rate_indicator: String,
    weight_oz: Decimal,
    dimensions_in: [Decimal; 3],
    from: PayloadAddress,
    to: PayloadAddress,
    mailing_date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct PayloadAddress {
    name: String,
    company: String,
    line1: String,
    line2: String,
    city: String,
    state: String,
    zip5: String,
    zip4: String,
    phone: String,
}

impl PayloadAddress {
    fn of(a: &Address) -> Self {
        let digits: String = a
            .phone
            .as_deref()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        Self {
            name: a.name.clone(),
            company: a.company.clone().unwrap_or_default(),
            line1: a.street1.clone(),
            line2: a.street2.clone().unwrap_or_default(),
            city: a.city.clone(),
            state: a.state.clone(),
            zip5: a.zip5.clone(),
            zip4: a.zip4.clone().unwrap_or_default(),
            phone: digits.trim_start_matches('1').chars().take(10).collect(),
        }
    }

    fn label_address(&self) -> LabelAddress {
        LabelAddress {
            name: self.name.clone(),
            company: self.company.clone(),
            line1: self.line1.clone(),
            line2: self.line2.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            zip5: self.zip5.clone(),
            zip4: self.zip4.clone(),
            phone: self.phone.clone(),
        }
    }
}

fn parcel(weight_oz: Decimal, dimensions_in: [Decimal; 3]) -> Parcel {
    Parcel {
        weight_oz,
        shape: "Parcel".into(),
        dimensions_in: Some(dimensions_in),
    }
}

/// ELS's pricing names in words: `CommercialBase` → "Commercial Base".
fn words(pricing: &str) -> String {
    let mut out = String::new();
    for (i, c) in pricing.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Our reference for a label at ELS (`PartnerTransactionID`, at most 25 characters).
fn partner_reference(idempotency_key: &str) -> String {
    idempotency_key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(25)
        .collect()
}

fn refused(error: AppError) -> PurchaseFailure {
    PurchaseFailure {
        error,
        outcome: SendOutcome::Refused,
    }
}

fn unknown(error: AppError) -> PurchaseFailure {
    PurchaseFailure {
        error,
        outcome: SendOutcome::Unknown,
    }
}

/// A piece was made on the account after this purchase's answer was lost.
fn maybe_made(account_number: &str) -> String {
    format!(
        "Endicia account {account_number} printed postage after this label's answer was lost, so \
         the label may have been made and charged. Shipdesk will not buy it again: look for it in \
         the account's transaction history at Endicia and ask for a refund there if you do not \
         use it (within 10 days)."
    )
}

impl EndiciaAccounts {
    pub(crate) fn summary(row: PayerRow) -> AccountSummary {
        AccountSummary {
            id: row.id,
            nickname: row.nickname,
            environment: row.environment,
            eps_account: None,
            has_contract: false,
            payer: Payer::Endicia {
                account_number: row.account_number,
            },
        }
    }

    /// The Endicia account behind row `id`, when it is one.
    pub(crate) fn payer_account(&self, id: AccountId) -> AppResult<Option<AccountSummary>> {
        Ok(self.payers.payer(id)?.map(Self::summary))
    }

    /// The Endicia account that pays for labels when none is chosen, if the user chose one in
    /// this environment.
    pub(crate) fn paying_account(&self) -> AppResult<Option<AccountSummary>> {
        let Some(id) = self
            .connections
            .settings()
            .setting(PAYS_LABELS)?
            .and_then(|v| v.parse::<AccountId>().ok())
        else {
            return Ok(None);
        };
        let env = self.environment()?;
        Ok(self.payer_account(id)?.filter(|a| a.environment == env))
    }

    /// "Pay for labels from this account": the logged-in account pays for every label,
    /// batch and SCAN form from now on (`false`: the default USPS account does again).
    pub async fn set_pays_labels(&self, pays: bool) -> AppResult<super::PostageAccount> {
        if pays {
            let (credentials, _) = self.credentials().await?;
            let id =
                self.payers
                    .payer_row(&credentials.account_id, self.environment()?, &self.now())?;
            self.connections
                .settings()
                .set_setting(PAYS_LABELS, &id.to_string())?;
        } else {
            self.connections.settings().set_setting(PAYS_LABELS, "")?;
            self.connections.endicia_login_back(None);
        }
        self.account().await
    }

    /// The account number that pays for labels now, if an Endicia account does.
    pub(crate) fn paying_account_number(&self) -> AppResult<Option<String>> {
        Ok(self.paying_account()?.and_then(|a| match a.payer {
            Payer::Endicia { account_number } => Some(account_number),
            Payer::UspsDirect => None,
        }))
    }

    /// The login to pay from `account_number`: this session's, else the remembered one.
    async fn payer_credentials(&self, account_number: &str) -> AppResult<Credentials> {
        if let Ok((credentials, _)) = self.credentials().await
            && credentials.account_id == account_number
        {
            return Ok(credentials);
        }
        let remembered = self.remembered_secret(super::ACCOUNT_NUMBER)?;
        if remembered.as_deref() == Some(account_number)
            && self.remembered_secret(super::PASS_PHRASE)?.is_some()
        {
            if let Err(e) = self.login_remembered().await {
                if e.code == ErrorCode::EndiciaLoginRequired {
                    self.login_lost(account_number, &e.message);
                }
                return Err(e);
            }
            return Ok(self.credentials().await?.0);
        }
        let error = AppError::new(
            ErrorCode::EndiciaLoginRequired,
            format!(
                "Log in to Endicia account {account_number} (Settings › Postage accounts) to pay \
                 for labels from it."
            ),
        );
        self.login_lost(account_number, &error.message);
        Err(error)
    }

    pub(super) fn number_of(account: &AccountSummary) -> AppResult<&str> {
        match &account.payer {
            Payer::Endicia { account_number } => Ok(account_number),
            Payer::UspsDirect => Err(AppError::internal(
                "Endicia provider",
                &"a USPS account reached the Endicia provider",
            )),
        }
    }

    pub(crate) async fn endicia_rates(
        &self,
        account: &AccountSummary,
        request: &RateRequest,
    ) -> AppResult<PricesFound> {
        let credentials = self.payer_credentials(Self::number_of(account)?).await?;
        let d = request.package.dimensions;
        let client = self.client().await?;
        let rates = match client
            .rates(
                &credentials,
                &parcel(
                    request.package.weight_oz,
                    [d.length_in, d.width_in, d.height_in],
                ),
                &request.origin_zip,
                &request.destination_zip,
            )
            .await
        {
            Ok(r) => r,
            Err(e) => return Err(self.failed(&e, None).await),
        };
        let mut quotes: Vec<RateQuote> = rates
            .into_iter()
            .filter_map(|r| {
                let mail_class = usps_class(&r.mail_class)?;
                Some(RateQuote {
                    choice: RateChoice {
                        mail_class: mail_class.to_owned(),
                        rate_indicator: "SP".into(),
                        processing_category: "MACHINABLE".into(),
                    },
                    product_name: r.service,
                    description: r.pricing.map(|p| format!("{} price (Endicia)", words(&p))),
                    zone: r.zone.map(|z| format!("{z:0>2}")),
                    retail: None,
                    commercial: Some(r.total),
                    contract: None,
                    contract_rate_not_found: false,
                    price: Some(r.total),
                    delivery_days: r.delivery_days,
                    warnings: Vec::new(),
                    packaging: QuotePackaging::Other,
                    fits_package: false,
                    restriction: None,
                })
            })
            .collect();
        quotes.sort_by_key(|q| q.price);
        Ok(PricesFound {
            quotes,
            contract_requested: false,
            contract_unavailable: None,
            contract_prices: false,
        })
    }

    pub(crate) fn endicia_label_payload(
        &self,
        account: &AccountSummary,
        order: &LabelOrder<'_>,
    ) -> AppResult<LabelPayload> {
        let d = order.package.dimensions;
        let payload = EndiciaLabelPayload {
            account_number: Self::number_of(account)?.to_owned(),
            els_mail_class: els_class(&order.rate.mail_class)?.to_owned(),
            mail_class: order.rate.mail_class.clone(),
            rate_indicator: order.rate.rate_indicator.clone(),
            weight_oz: order.package.weight_oz,
            dimensions_in: [d.length_in, d.width_in, d.height_in],
            from: PayloadAddress::of(order.from),
            to: PayloadAddress::of(order.to),
            mailing_date: order.mailing_date.to_owned(),
        };
        serde_json::to_value(payload)
            .map(LabelPayload)
            .map_err(|e| AppError::internal("Endicia label request", &e))
    }

    pub(crate) async fn endicia_prepare(&self, account: &AccountSummary) -> AppResult<()> {
        self.payer_credentials(Self::number_of(account)?)
            .await
            .map(|_| ())
    }

    /// Sends the label request under `key` — the first time, or again when the account's
    /// registers prove the lost one made nothing.
    pub(crate) async fn endicia_buy(
        &self,
        account: &AccountSummary,
        payload: &LabelPayload,
        key: &str,
    ) -> Result<BoughtLabel, PurchaseFailure> {
        let p: EndiciaLabelPayload = serde_json::from_value(payload.0.clone())
            .map_err(|e| refused(AppError::internal("Endicia label request", &e)))?;
        let credentials = self
            .payer_credentials(&p.account_number)
            .await
            .map_err(refused)?;
        let client = self.client().await.map_err(refused)?;
        let status = match client
            .account_status(&credentials, &Self::request_id())
            .await
        {
            Ok(s) => s,
            Err(e) => return Err(refused(self.failed(&e, None).await)),
        };
        // "Buy postage automatically" tops the balance up before the label, not after: a
        // label's answer is never held up (or lost in a crash) behind a postage purchase.
        let status = if self.auto_buy_due(status.postage_balance) {
            self.auto_buy_now(status.postage_balance).await;
            match client
                .account_status(&credentials, &Self::request_id())
                .await
            {
                Ok(s) => s,
                Err(e) => return Err(refused(self.failed(&e, None).await)),
            }
        } else {
            status
        };
        let serial = status.serial_number.unwrap_or(0);
        if let Some(before) = self.payers.label_send(key).map_err(unknown)? {
            if serial != before.serial_before || status.ascending_balance != before.printed_before {
                return Err(unknown(AppError::new(
                    ErrorCode::EndiciaRefused,
                    maybe_made(&p.account_number),
                )));
            }
            if !self.sent_long_ago(Some(&before.sent_at)) {
                return Err(unknown(AppError::new(
                    ErrorCode::EndiciaUnavailable,
                    "Endicia has not recorded this label yet, and the first request may still \
                     be on its way. Check again in two minutes: it is never bought twice.",
                )));
            }
        }
        self.payers
            .record_label_send(
                key,
                &p.account_number,
                serial,
                status.ascending_balance,
                &self.now(),
            )
            .map_err(refused)?;
        let spec = LabelSpec {
            mail_class: p.els_mail_class.clone(),
            parcel: parcel(p.weight_oz, p.dimensions_in),
            from: p.from.label_address(),
            to: p.to.label_address(),
            partner_transaction_id: partner_reference(key),
            test: false,
            label_size: "4x6".into(),
            image_format: "PDF".into(),
        };
        let label = match client.postage_label(&credentials, &spec).await {
            Ok(label) => label,
            Err(e) => {
                let lost = matches!(e, EndiciaError::AnswerLost(_) | EndiciaError::Malformed(_));
                let error = self.failed(&e, None).await;
                return Err(if lost { unknown(error) } else { refused(error) });
            }
        };
        let metadata = serde_json::json!({
            "provider": "endicia",
            "account_number": p.account_number,
            "transaction_id": label.transaction_id,
            "postmark_date": label.postmark_date,
            "balance_after": label.balance_after.map(|b| b.to_string()),
            "partner_transaction_id": spec.partner_transaction_id,
        });
        Ok(BoughtLabel {
            tracking_number: label.tracking_number,
            service_name: service_name(&p.mail_class),
            mail_class: p.mail_class,
            rate_indicator: Some(p.rate_indicator),
            postage: label.final_postage,
            zone: None,
            commitment: None,
            mailing_date: p.mailing_date,
            label_bytes: Some(label.image),
            label_content_type: Some("application/pdf".into()),
            metadata_json: metadata.to_string(),
            sample: account.is_sandbox(),
        })
    }

    /// Whatever `key` may have made: Endicia cannot cancel a label (only refund it), and
    /// cannot find one by our reference; the registers say whether anything was made.
    pub(crate) async fn endicia_cancel_by_key(
        &self,
        account: &AccountSummary,
        key: &str,
    ) -> AppResult<KeyCancel> {
        let Some(before) = self.payers.label_send(key)? else {
            return Ok(KeyCancel::NeverMade);
        };
        let credentials = self.payer_credentials(Self::number_of(account)?).await?;
        let client = self.client().await?;
        let status = match client
            .account_status(&credentials, &Self::request_id())
            .await
        {
            Ok(s) => s,
            Err(e) => return Err(self.failed(&e, None).await),
        };
        let unmoved = status.serial_number.unwrap_or(0) == before.serial_before
            && status.ascending_balance == before.printed_before;
        if unmoved && self.sent_long_ago(Some(&before.sent_at)) {
            Ok(KeyCancel::NeverMade)
        } else if unmoved {
            Err(AppError::new(
                ErrorCode::EndiciaUnavailable,
                "The label request may still be on its way to Endicia. Try again in two minutes.",
            ))
        } else {
            Ok(KeyCancel::Unknown {
                advice: maybe_made(&before.account_number),
            })
        }
    }

    /// A void is a refund request at Endicia: approved requests are credited back later.
    pub(crate) async fn endicia_refund(
        &self,
        account: &AccountSummary,
        tracking_number: &str,
    ) -> AppResult<VoidAnswer> {
        let credentials = self.payer_credentials(Self::number_of(account)?).await?;
        let client = self.client().await?;
        let results = match client
            .refund(
                &credentials,
                &[tracking_number.to_owned()],
                &Self::request_id(),
            )
            .await
        {
            Ok(r) => r,
            Err(e) => return Err(self.failed(&e, None).await),
        };
        let result = results
            .into_iter()
            .find(|r| r.tracking_number == tracking_number)
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::EndiciaUnavailable,
                    format!(
                        "Endicia's refund answer did not mention {tracking_number}. Try again."
                    ),
                )
            })?;
        if result.approved {
            Ok(VoidAnswer {
                result: VoidResult::RefundRequested { dispute_id: None },
                provider_status: format!(
                    "Refund approved by Endicia: {}",
                    result.message.trim().trim_end_matches('.')
                ),
            })
        } else {
            Err(AppError::new(
                ErrorCode::EndiciaRefused,
                format!("Endicia refused the refund: {}", result.message),
            ))
        }
    }

    pub(crate) async fn endicia_scan_form(
        &self,
        account: &AccountSummary,
        order: &ScanFormOrder<'_>,
    ) -> AppResult<ScanFormMade> {
        let credentials = self.payer_credentials(Self::number_of(account)?).await?;
        let client = self.client().await?;
        match client
            .scan_form(
                &credentials,
                &order.tracking_numbers,
                Some(&order.from.zip5),
                &Self::request_id(),
            )
            .await
        {
            Ok(form) => Ok(ScanFormMade {
                manifest_number: form.submission_id,
                tracking_numbers: Vec::new(),
                pdf: Some(form.image),
            }),
            Err(e) => Err(self.failed(&e, None).await),
        }
    }

    pub(crate) async fn endicia_balance(
        &self,
        account: &AccountSummary,
    ) -> AppResult<Option<PostageBalance>> {
        let credentials = self.payer_credentials(Self::number_of(account)?).await?;
        let client = self.client().await?;
        match client
            .account_status(&credentials, &Self::request_id())
            .await
        {
            Ok(s) => Ok(Some(PostageBalance {
                available: s.postage_balance,
            })),
            Err(e) => Err(self.failed(&e, None).await),
        }
    }

    /// Endicia reprints nothing: the label Shipdesk saved is the one to print.
    pub(crate) fn endicia_no_reprint() -> AppResult<LabelDocument> {
        Err(AppError::validation(
            "Endicia does not send a label a second time: print the copy Shipdesk saved.",
        ))
    }

    /// ELS checks no address: with no USPS account to ask, the address is used as entered.
    pub(crate) fn unchecked(address: &Address, why: &str) -> AddressCheck {
        AddressCheck::not_checked(address, why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_classes_map_both_ways() {
        for (els, usps) in MAIL_CLASSES {
            assert_eq!(usps_class(els), Some(usps));
            assert_eq!(els_class(usps).unwrap(), els);
        }
        assert!(els_class("PRIORITY_MAIL_INTERNATIONAL").is_err());
        assert_eq!(usps_class("priority"), Some("PRIORITY_MAIL"));
    }

    #[test]
    fn pricing_names_read_as_words() {
        assert_eq!(words("CommercialBase"), "Commercial Base");
        assert_eq!(words("Retail"), "Retail");
    }

    #[test]
    fn the_partner_reference_fits_elss_25_characters() {
        let key = "9f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f";
        let r = partner_reference(key);
        assert_eq!(r.len(), 25);
        assert_eq!(r, "9f1c2d3e4a5b6c7d8e9f0a1b2");
    }
}
