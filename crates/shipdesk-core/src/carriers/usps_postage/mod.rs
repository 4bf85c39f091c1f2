//! USPS-direct postage: the [`PostageProvider`] a USPS business account is, implemented by the
//! connection service. Every call takes the account's cached session ([`Connections::session`])
//! and passes its outcome through [`Connections::report_success`] or
//! [`Connections::report_failure`], so the account's connection state (and the UI's banner)
//! follows every shipping call, and every USPS failure reaches shipping already classified.
//!
//! The submodules translate between the app's types and USPS's request/answer models; this
//! module only sequences the calls.

mod address;
mod labels;
mod payload;
mod pickup;
mod rates;
mod scan_forms;
mod tracking;

use usps::models::{
    IdempotencyKey, LabelFormat, RateListQuery, ReprintImageInfo, ReprintRequest, TrackingExpand,
};
use usps::{Allowance, Api, ErrorClass, UspsError};

use super::{Connections, UspsAccountRecord};
use crate::error::{AppError, AppResult};
use crate::orders::Address;
use crate::postage::model::{AddressCheck, PickupEligibility};
use crate::postage::{
    AccountId, AccountSummary, BoughtLabel, CallNeeds, CallWait, KeyCancel, LabelDocument,
    LabelOrder, LabelPayload, Payer, PickupBooked, PickupOrder, PostageBalance, PostageProvider,
    PricesFound, ProviderFuture, PurchaseFailure, RateRequest, ScanFormMade, ScanFormOrder,
    SendOutcome, TrackingAnswer, VoidAnswer, VoidResult,
};

/// USPS's "Order not found": no label exists for the idempotency key.
const ORDER_NOT_FOUND: &str = "160185";
/// USPS's "order already canceled" for a label cancel.
const ALREADY_CANCELED: &str = "160186";

fn summary(record: UspsAccountRecord) -> AccountSummary {
    AccountSummary {
        id: record.id,
        nickname: record.nickname,
        environment: record.environment,
        eps_account: record.eps_account,
        has_contract: record.has_contract,
        payer: Payer::UspsDirect,
    }
}

/// USPS's "no such thing" for a lookup (no match, no scan yet, not eligible): an answer about
/// the subject, not a failed call.
fn is_not_found(error: &UspsError) -> bool {
    matches!(error, UspsError::Rejected(r) if r.status == 404 || r.status == 400)
}

/// USPS's "A refund request for this order has already been submitted today" — a refusal
/// without a message code, recognized by its words.
fn refund_already_requested(rejection: &usps::Rejection) -> bool {
    rejection
        .details
        .iter()
        .filter_map(|d| d.detail.as_deref().or(d.title.as_deref()))
        .chain([rejection.message.as_str()])
        .any(|text| text.to_ascii_lowercase().contains("already been submitted"))
}

fn rejection_text(error: &UspsError) -> String {
    match error {
        UspsError::Rejected(r) if r.message.is_empty() => r.to_string(),
        UspsError::Rejected(r) => r.message.clone(),
        other => other.to_string(),
    }
}

impl Connections {
    /// The outcome of one USPS call, recorded against the account.
    fn settle<T>(&self, account: AccountId, result: Result<T, UspsError>) -> AppResult<T> {
        match result {
            Ok(value) => {
                self.report_success(account);
                Ok(value)
            }
            Err(e) => Err(self.report_failure(account, &e)),
        }
    }

    async fn prices(
        &self,
        account: &AccountSummary,
        request: &RateRequest,
    ) -> AppResult<PricesFound> {
        let session = self.session(account.id).await?;
        if request.is_international() {
            let query = rates::intl_list_query(request);
            let published = self.settle(account.id, session.intl_base_rates_list(&query).await)?;
            // USPS charges international labels its commercial prices; there is no contract
            // price search abroad.
            return Ok(PricesFound {
                quotes: rates::quotes_from(&published, None, false),
                contract_requested: false,
                contract_unavailable: None,
                contract_prices: false,
            });
        }
        let query = rates::list_query(request);
        let published = self.settle(account.id, session.base_rates_list(&query).await)?;
        let mut has_contract = account.has_contract;
        // USPS prices contract rates per mail class, so the contract search names the classes
        // the published answer offered. A refusal leaves the published prices standing.
        let mut contract_unavailable = None;
        let contract = match &account.eps_account {
            Some(eps) => {
                let mut classes: Vec<String> = published
                    .rate_options
                    .iter()
                    .flat_map(|o| &o.rates)
                    .filter_map(|r| r.mail_class.clone())
                    .collect();
                classes.sort();
                classes.dedup();
                let contract_query = RateListQuery {
                    mail_classes: classes,
                    price_type: Some("CONTRACT".into()),
                    account_type: Some("EPS".into()),
                    account_number: Some(eps.clone()),
                    ..query.clone()
                };
                match session.base_rates_list(&contract_query).await {
                    Ok(list) => {
                        if let Some(holds) = rates::contract_found(&list) {
                            has_contract = self
                                .contract_detected(&self.account(account.id)?, holds)?
                                .has_contract;
                        }
                        Some(list)
                    }
                    Err(UspsError::Rejected(r)) => {
                        contract_unavailable = Some(format!("USPS gave no contract prices: {r}"));
                        None
                    }
                    Err(e) => return Err(self.report_failure(account.id, &e)),
                }
            }
            None => None,
        };
        let quotes = rates::quotes_from(&published, contract.as_ref(), has_contract);
        if contract.is_some() {
            let gaps = quotes
                .iter()
                .filter(|q| !rates::charged_at_contract(q))
                .map(|q| q.choice.mail_class.clone())
                .collect();
            self.note_contract_gaps(account.id, gaps);
        }
        Ok(PricesFound {
            quotes,
            contract_requested: account.eps_account.is_some(),
            contract_unavailable,
            contract_prices: has_contract,
        })
    }

    async fn send_label(
        &self,
        account: &AccountSummary,
        payload: &LabelPayload,
        key: &str,
    ) -> Result<BoughtLabel, PurchaseFailure> {
        let unknown = |error| PurchaseFailure {
            error,
            outcome: SendOutcome::Unknown,
        };
        let recorded = payload::decode_any(payload).map_err(|e| PurchaseFailure {
            error: AppError::internal("The recorded label request could not be read", &e),
            outcome: SendOutcome::Refused,
        })?;
        let session = self.session(account.id).await.map_err(unknown)?;
        let key = IdempotencyKey::new(key.to_owned());
        let answer = match &recorded {
            payload::Recorded::Domestic(request, pricing) => {
                session
                    .create_label_priced(request, &key, LabelFormat::VendorJson, *pricing)
                    .await
            }
            payload::Recorded::International(request) => {
                session
                    .create_intl_label(request, &key, LabelFormat::VendorJson)
                    .await
            }
        };
        match answer {
            Ok(label) => {
                self.report_success(account.id);
                let sample = account.is_sandbox();
                match &recorded {
                    payload::Recorded::Domestic(request, _) => {
                        labels::bought_label(request, &label, sample)
                    }
                    payload::Recorded::International(request) => {
                        labels::bought_intl_label(request, &label, sample)
                    }
                }
                .map_err(unknown)
            }
            Err(e) => {
                // 409: a request with this key is still being worked on at USPS — whatever it
                // makes is charged, so it is not a refusal.
                let in_progress = matches!(&e, UspsError::Rejected(r) if r.status == 409);
                let outcome = if !in_progress
                    && matches!(e.class(), ErrorClass::Rejected | ErrorClass::Config)
                {
                    SendOutcome::Refused
                } else {
                    SendOutcome::Unknown
                };
                Err(PurchaseFailure {
                    error: self.report_failure(account.id, &e),
                    outcome,
                })
            }
        }
    }

    async fn cancel_key(&self, account: &AccountSummary, key: &str) -> AppResult<KeyCancel> {
        let session = self.session(account.id).await?;
        let key = IdempotencyKey::new(key.to_owned());
        let mut answer = session.cancel_label_by_idempotency_key(&key).await;
        // The key may have made a label abroad: International Labels keeps its own keys.
        if matches!(&answer, Err(UspsError::Rejected(r)) if r.status == 404 || r.codes().contains(&ORDER_NOT_FOUND))
        {
            answer = session.cancel_intl_label_by_idempotency_key(&key).await;
        }
        match answer {
            Ok(answer) => {
                self.report_success(account.id);
                let tracking_number = answer.tracking_number.clone().unwrap_or_default();
                Ok(if answer.is_refund_requested() {
                    KeyCancel::RefundRequested {
                        tracking_number,
                        dispute_id: answer.dispute_id.clone(),
                    }
                } else {
                    KeyCancel::Canceled { tracking_number }
                })
            }
            Err(UspsError::Rejected(r))
                if r.status == 404 || r.codes().contains(&ORDER_NOT_FOUND) =>
            {
                self.report_success(account.id);
                Ok(KeyCancel::NeverMade)
            }
            Err(e) => Err(self.report_failure(account.id, &e)),
        }
    }

    async fn void(&self, account: &AccountSummary, tracking: &str) -> AppResult<VoidAnswer> {
        let session = self.session(account.id).await?;
        let cancelled = if labels::is_international_tracking(tracking) {
            session.cancel_intl_label(tracking).await
        } else {
            session.cancel_label(tracking).await
        };
        let answer = match cancelled {
            // USPS says the label is canceled already (an earlier void whose answer was lost, or
            // whose local record failed): the label is not postage any more, which is what the
            // user asked for.
            Err(UspsError::Rejected(r)) if r.codes().contains(&ALREADY_CANCELED) => {
                self.report_success(account.id);
                return Ok(VoidAnswer {
                    result: VoidResult::Canceled,
                    provider_status: "CANCELED".into(),
                });
            }
            // USPS says a refund request for the label was filed today already (an earlier void
            // whose answer or local record was lost): the label is not postage any more. That
            // refusal repeats no dispute id.
            Err(UspsError::Rejected(r)) if refund_already_requested(&r) => {
                self.report_success(account.id);
                return Ok(VoidAnswer {
                    result: VoidResult::RefundRequested { dispute_id: None },
                    provider_status: "DISPUTED".into(),
                });
            }
            other => self.settle(account.id, other)?,
        };
        let result = if answer.is_refund_requested() {
            VoidResult::RefundRequested {
                dispute_id: answer.dispute_id.clone(),
            }
        } else if answer.is_canceled() {
            VoidResult::Canceled
        } else {
            return Err(AppError::internal(
                "USPS answered the cancel with an unknown status",
                &answer.status,
            ));
        };
        Ok(VoidAnswer {
            result,
            provider_status: answer.status,
        })
    }

    async fn reprint(&self, account: &AccountSummary, tracking: &str) -> AppResult<LabelDocument> {
        let session = self.session(account.id).await?;
        let request = ReprintRequest {
            image_info: Some(ReprintImageInfo {
                image_type: Some("PDF".into()),
                label_type: Some("4X6LABEL".into()),
                ..Default::default()
            }),
        };
        let label = self.settle(
            account.id,
            session
                .reprint_label(tracking, &request, LabelFormat::VendorJson)
                .await,
        )?;
        let image = label
            .label_image
            .filter(|d| !d.bytes.is_empty())
            .ok_or_else(|| {
                AppError::internal("USPS reprinted the label without an image", &tracking)
            })?;
        Ok(LabelDocument {
            bytes: image.bytes,
            content_type: image
                .content_type
                .unwrap_or_else(|| "application/pdf".into()),
        })
    }

    async fn tracking_answer(
        &self,
        account: &AccountSummary,
        tracking: &str,
    ) -> AppResult<TrackingAnswer> {
        let session = self.session(account.id).await?;
        match session.tracking(tracking, TrackingExpand::Detail).await {
            Ok(t) => {
                self.report_success(account.id);
                Ok(TrackingAnswer {
                    progress: tracking::progress_from_tracking(
                        t.status_category.as_deref(),
                        t.event_summaries.len() + t.tracking_events.len(),
                    ),
                    summary: t
                        .status_summary
                        .clone()
                        .or(t.status.clone())
                        .or_else(|| t.event_summaries.first().cloned()),
                })
            }
            // No scan yet: USPS knows nothing about the label so far.
            Err(e) if is_not_found(&e) => {
                self.report_success(account.id);
                Ok(TrackingAnswer {
                    progress: None,
                    summary: Some(rejection_text(&e)).filter(|m| !m.is_empty()),
                })
            }
            Err(e) => Err(self.report_failure(account.id, &e)),
        }
    }

    async fn address_check(
        &self,
        account: &AccountSummary,
        entered: &Address,
    ) -> AppResult<AddressCheck> {
        let session = self.session(account.id).await?;
        match session.validate_address(&address::query_for(entered)).await {
            Ok(answer) => {
                self.report_success(account.id);
                Ok(address::check_from_response(entered, &answer))
            }
            Err(e) if is_not_found(&e) => {
                self.report_success(account.id);
                Ok(address::no_match(entered, rejection_text(&e)))
            }
            Err(e) => Err(self.report_failure(account.id, &e)),
        }
    }

    async fn scan_form(
        &self,
        account: &AccountSummary,
        order: &ScanFormOrder<'_>,
    ) -> AppResult<ScanFormMade> {
        let session = self.session(account.id).await?;
        let request = scan_forms::scan_form_request(order);
        let form = self.settle(
            account.id,
            session
                .create_scan_form(&request, LabelFormat::VendorJson)
                .await,
        )?;
        Ok(ScanFormMade {
            manifest_number: form.metadata.manifest_number.clone().unwrap_or_default(),
            tracking_numbers: form.metadata.tracking_numbers.clone(),
            pdf: form.image.map(|i| i.bytes).filter(|b| !b.is_empty()),
        })
    }

    async fn pickup_check(
        &self,
        account: &AccountSummary,
        at: &Address,
    ) -> AppResult<PickupEligibility> {
        let session = self.session(account.id).await?;
        match session
            .pickup_eligibility(&pickup::eligibility_query(at))
            .await
        {
            Ok(answer) => {
                self.report_success(account.id);
                let s = &answer.address;
                Ok(PickupEligibility {
                    eligible: true,
                    address: Some(Address {
                        street1: s.street_address.clone(),
                        street2: s.secondary_address.clone(),
                        city: s.city.clone().unwrap_or_default(),
                        state: s.state.clone().unwrap_or_default(),
                        zip5: s.zip_code.clone().unwrap_or_default(),
                        zip4: s.zip_plus4.clone(),
                        ..at.clone()
                    }),
                    message: None,
                })
            }
            Err(e) if is_not_found(&e) => {
                self.report_success(account.id);
                Ok(PickupEligibility {
                    eligible: false,
                    address: None,
                    message: Some(match &e {
                        UspsError::Rejected(r) => r.to_string(),
                        other => other.to_string(),
                    }),
                })
            }
            Err(e) => Err(self.report_failure(account.id, &e)),
        }
    }

    async fn book_pickup(
        &self,
        account: &AccountSummary,
        order: &PickupOrder<'_>,
    ) -> AppResult<PickupBooked> {
        let session = self.session(account.id).await?;
        let answer = self.settle(
            account.id,
            session
                .schedule_pickup(&pickup::schedule_request(order))
                .await,
        )?;
        Ok(PickupBooked {
            confirmation_number: answer.value.confirmation_number,
            pickup_date: answer.value.pickup_date,
            etag: answer.etag,
        })
    }

    /// Cancels with the stored `ETag` as `If-Match`; when it is missing or stale (another
    /// device changed the pickup), reads the pickup again once.
    async fn drop_pickup(
        &self,
        account: &AccountSummary,
        confirmation: &str,
        stored_etag: Option<&str>,
    ) -> AppResult<()> {
        let session = self.session(account.id).await?;
        let mut etag = stored_etag.map(str::to_owned);
        for round in 0..2 {
            let tag = match etag.clone() {
                Some(t) => t,
                None => self
                    .settle(account.id, session.get_pickup(confirmation).await)?
                    .etag
                    .unwrap_or_default(),
            };
            match session.cancel_pickup(confirmation, &tag).await {
                Ok(()) => break,
                Err(UspsError::Rejected(r)) if r.status == 412 && round == 0 => etag = None,
                Err(e) => return Err(self.report_failure(account.id, &e)),
            }
        }
        self.report_success(account.id);
        Ok(())
    }
}

impl PostageProvider for Connections {
    fn default_account(&self) -> AppResult<AccountSummary> {
        Connections::default_account(self).map(summary)
    }

    fn account(&self, id: AccountId) -> AppResult<AccountSummary> {
        Connections::account(self, id).map(summary)
    }

    fn check_address<'a>(
        &'a self,
        account: &'a AccountSummary,
        address: &'a Address,
    ) -> ProviderFuture<'a, AppResult<AddressCheck>> {
        Box::pin(self.address_check(account, address))
    }

    fn rates<'a>(
        &'a self,
        account: &'a AccountSummary,
        request: &'a RateRequest,
    ) -> ProviderFuture<'a, AppResult<PricesFound>> {
        Box::pin(self.prices(account, request))
    }

    fn label_payload(
        &self,
        account: &AccountSummary,
        order: &LabelOrder<'_>,
    ) -> AppResult<LabelPayload> {
        if !order.to.is_domestic() {
            let customs = order.customs.ok_or_else(|| {
                AppError::validation("A label abroad needs its customs declaration")
            })?;
            labels::check_label_fields("ship_from", order.from)?;
            return payload::encode_international(&labels::intl_label_request(order, customs)?);
        }
        labels::check_label_fields("ship_to", order.to)?;
        let customs_form = order
            .customs
            .map(|c| labels::customs_form(c, &order.to.country))
            .transpose()?;
        labels::check_label_fields("ship_from", order.from)?;
        labels::check_package_for_class(order)?;
        // The pricing is journaled with the request: a re-send goes under the same roles.
        let pricing = self.label_pricing(account.id, account.has_contract, &order.rate.mail_class);
        let mut request = labels::label_request(order);
        // A military post office's label carries its customs form (USPS: 160120 without).
        request.customs_form = customs_form
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| AppError::internal("The customs form could not be prepared", &e))?;
        payload::encode(&request, pricing)
    }

    fn prepare_purchase<'a>(
        &'a self,
        account: &'a AccountSummary,
    ) -> ProviderFuture<'a, AppResult<()>> {
        Box::pin(async move { self.session(account.id).await.map(|_| ()) })
    }

    fn buy_label<'a>(
        &'a self,
        account: &'a AccountSummary,
        payload: &'a LabelPayload,
        idempotency_key: &'a str,
    ) -> ProviderFuture<'a, Result<BoughtLabel, PurchaseFailure>> {
        Box::pin(self.send_label(account, payload, idempotency_key))
    }

    fn cancel_by_key<'a>(
        &'a self,
        account: &'a AccountSummary,
        idempotency_key: &'a str,
    ) -> ProviderFuture<'a, AppResult<KeyCancel>> {
        Box::pin(self.cancel_key(account, idempotency_key))
    }

    fn void_label<'a>(
        &'a self,
        account: &'a AccountSummary,
        tracking_number: &'a str,
    ) -> ProviderFuture<'a, AppResult<VoidAnswer>> {
        Box::pin(self.void(account, tracking_number))
    }

    fn reprint_label<'a>(
        &'a self,
        account: &'a AccountSummary,
        tracking_number: &'a str,
    ) -> ProviderFuture<'a, AppResult<LabelDocument>> {
        Box::pin(self.reprint(account, tracking_number))
    }

    fn track<'a>(
        &'a self,
        account: &'a AccountSummary,
        tracking_number: &'a str,
    ) -> ProviderFuture<'a, AppResult<TrackingAnswer>> {
        Box::pin(self.tracking_answer(account, tracking_number))
    }

    fn create_scan_form<'a>(
        &'a self,
        account: &'a AccountSummary,
        order: &'a ScanFormOrder<'a>,
    ) -> ProviderFuture<'a, AppResult<ScanFormMade>> {
        Box::pin(self.scan_form(account, order))
    }

    fn pickup_eligibility<'a>(
        &'a self,
        account: &'a AccountSummary,
        at: &'a Address,
    ) -> ProviderFuture<'a, AppResult<PickupEligibility>> {
        Box::pin(self.pickup_check(account, at))
    }

    fn schedule_pickup<'a>(
        &'a self,
        account: &'a AccountSummary,
        order: &'a PickupOrder<'a>,
    ) -> ProviderFuture<'a, AppResult<PickupBooked>> {
        Box::pin(self.book_pickup(account, order))
    }

    fn cancel_pickup<'a>(
        &'a self,
        account: &'a AccountSummary,
        confirmation_number: &'a str,
        etag: Option<&'a str>,
    ) -> ProviderFuture<'a, AppResult<()>> {
        Box::pin(self.drop_pickup(account, confirmation_number, etag))
    }

    fn balance<'a>(
        &'a self,
        _account: &'a AccountSummary,
    ) -> ProviderFuture<'a, AppResult<Option<PostageBalance>>> {
        // An Enterprise Payment Account is billed, not prepaid: USPS offers no balance to read.
        Box::pin(async { Ok(None) })
    }

    fn call_wait<'a>(
        &'a self,
        account: &'a AccountSummary,
        needs: CallNeeds,
    ) -> ProviderFuture<'a, AppResult<CallWait>> {
        Box::pin(self.forecast_calls(account, needs))
    }
}

impl Connections {
    /// The pacer's forecast for the account's app, at the allowance the account records.
    async fn forecast_calls(
        &self,
        account: &AccountSummary,
        needs: CallNeeds,
    ) -> AppResult<CallWait> {
        let record = Connections::account(self, account.id)?;
        let client = self.client_for(&record).await?;
        let client_id = record.mode.client_id();
        client.pacer().set_allowance(client_id, record.allowance());
        let forecast = client.pacer().forecast(
            client_id,
            &[
                (Api::Addresses, needs.address_checks),
                (Api::Prices, needs.rate_requests),
                (Api::Labels, needs.labels),
            ],
        );
        Ok(CallWait {
            wait: forecast.wait,
            limited_by: forecast.limited_by.map(|api| match api {
                Api::Addresses => "address checks",
                Api::Prices => "price requests",
                _ => "label requests",
            }),
            calls_per_hour: match forecast.allowance {
                Allowance::PerHour(n) => Some(n),
                Allowance::Unlimited => None,
            },
        })
    }
}
