//! Buying one label exactly once, and finishing attempts a crash or outage left open.
//!
//! Order of events for a purchase: claim the order in this process (a second Buy gets
//! CONFLICT) → commit the intent with a fresh idempotency key and the exact request (or find
//! the order's open attempt and finish that instead) → mark it sent → call USPS → store the
//! label, close the attempt and mark the order shipped in one transaction. When the answer is
//! lost or USPS is unreachable the attempt stays open and every later try re-sends the same
//! payload with the same key; only a USPS rejection (400) closes it as failed.

use serde_json::{Value, json};
use usps::models::{IdempotencyKey, Label, LabelFormat};

use super::ShippingService;
use super::gateway::purchase_stays_open;
use super::journal::{self, Attempt, CommittedLabel, Intent, NewAttempt};
use super::label_request::{LabelParts, label_request, validate_package};
use super::model::{ShipToChoice, money};
use super::model_shipments::Shipment;
use super::model_shipments::{PurchaseOutcome, PurchaseRequest};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::orders::{Address, OrderStatus};

/// How USPS names its mail classes on a label.
pub(crate) fn service_name(mail_class: &str) -> String {
    match mail_class {
        "PRIORITY_MAIL_EXPRESS" => "Priority Mail Express".into(),
        "PRIORITY_MAIL" => "Priority Mail".into(),
        "USPS_GROUND_ADVANTAGE" => "USPS Ground Advantage".into(),
        "PARCEL_SELECT" => "Parcel Select".into(),
        "MEDIA_MAIL" => "Media Mail".into(),
        "LIBRARY_MAIL" => "Library Mail".into(),
        "BOUND_PRINTED_MATTER" => "Bound Printed Matter".into(),
        "USPS_RETAIL_GROUND" => "USPS Retail Ground".into(),
        other => other.replace('_', " "),
    }
}

fn valid_date(s: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, format).is_ok()
}

/// Adds the attempt's ids to an error's details so the UI can point at the purchase.
fn with_attempt(mut error: AppError, attempt: &Attempt) -> AppError {
    let mut details = match error.details.take() {
        Some(Value::Object(map)) => map,
        Some(other) => {
            let mut m = serde_json::Map::new();
            m.insert("cause".into(), other);
            m
        }
        None => serde_json::Map::new(),
    };
    details.insert("order_id".into(), json!(attempt.order_id));
    details.insert("attempt_id".into(), json!(attempt.id));
    error.details = Some(Value::Object(details));
    error
}

impl ShippingService {
    /// Buys a label for one order (see the module docs for the exactly-once rules).
    pub async fn buy_label(&self, request: PurchaseRequest) -> AppResult<PurchaseOutcome> {
        let order = self.order(request.order_id)?;
        if order.status == OrderStatus::Cancelled {
            return Err(AppError::validation(format!(
                "Order {} is cancelled",
                order.order_number
            )));
        }
        // Marked shipped outside Shipdesk (or by an earlier label): a new label is a second one.
        if order.status == OrderStatus::Shipped && !request.allow_additional_label {
            let label = self.store.read(|c| journal::active_label(c, order.id))?;
            let why = match &label {
                Some((_, tracking)) => format!("already has label {tracking}"),
                None => "is already marked shipped".to_owned(),
            };
            return Err(AppError::conflict(format!(
                "Order {} {why}. Void it first, or ask for an additional label.",
                order.order_number
            ))
            .with_details(json!({
                "order_id": order.id,
                "tracking_number": label.map(|(_, t)| t),
            })));
        }
        validate_package(&request.package)?;
        let account = self.account(request.account_id)?;
        let from = self.ship_from(request.ship_from_id)?;
        let mailing_date = request.ship_date.clone().unwrap_or_else(|| self.today());
        if !valid_date(&mailing_date) {
            return Err(AppError::validation(format!(
                "Ship date \"{mailing_date}\" is not a date (YYYY-MM-DD)"
            )));
        }
        let ship_to: Address = match &request.ship_to {
            ShipToChoice::AsEntered => order.ship_to.clone(),
            ShipToChoice::Standardized { address } => (**address).clone(),
        };
        let _slot = self.claim(order.id, &order.order_number)?;
        let usps_request = label_request(&LabelParts {
            from: &from.address,
            to: &ship_to,
            package: &request.package,
            rate: &request.rate,
            mailing_date: &mailing_date,
            ignore_bad_address: request.ignore_bad_address,
        });
        let key = uuid::Uuid::new_v4().to_string();
        let intent = journal::record_intent(
            &self.store,
            &NewAttempt {
                order_id: order.id,
                account_id: account.id,
                key: &key,
                request: &usps_request,
                ship_from_id: Some(from.id),
                package: &request.package,
                address_choice: request.ship_to.as_str(),
                ship_to: &ship_to,
                additional_label: request.allow_additional_label,
            },
            &self.now(),
        )?;
        let (attempt, resumed) = match intent {
            Intent::Created(a) => (a, false),
            Intent::Existing(a) => (a, true),
        };
        let shipment = self.send_attempt(&attempt).await?;
        Ok(PurchaseOutcome {
            shipment,
            resumed_earlier_attempt: resumed,
        })
    }

    /// Sends (or re-sends, same key and payload) one journaled attempt and records the result.
    pub(crate) async fn send_attempt(&self, attempt: &Attempt) -> AppResult<Shipment> {
        let account = self.gateway.account(attempt.account_id)?;
        let session = match self.gateway.session(account.id).await {
            Ok(s) => s,
            Err(e) => {
                // Nothing reached USPS if this attempt was never sent, so nothing can have been
                // charged: close it, so a later start-up does not buy what the user was told
                // failed. One sent before keeps its key open for reconciliation.
                if attempt.sends == 0 {
                    journal::mark_failed(&self.store, attempt.id, &e, &self.now())?;
                } else {
                    journal::note_open_error(&self.store, attempt.id, &e, &self.now())?;
                }
                return Err(with_attempt(e, attempt));
            }
        };
        journal::mark_sent(&self.store, attempt.id, &self.now())?;
        let key = IdempotencyKey::new(attempt.key.clone());
        match session
            .create_label(&attempt.request, &key, LabelFormat::VendorJson)
            .await
        {
            Ok(label) => {
                self.gateway.report_success(account.id);
                let committed = self.committed_label(attempt, &label, account.is_sandbox())?;
                let id = journal::commit_label(&self.store, attempt, &committed, &self.now())?;
                self.shipment(id)
            }
            Err(e) => {
                let error = with_attempt(self.gateway.report_failure(account.id, &e), attempt);
                if purchase_stays_open(e.class()) {
                    journal::note_open_error(&self.store, attempt.id, &error, &self.now())?;
                } else {
                    journal::mark_failed(&self.store, attempt.id, &error, &self.now())?;
                }
                Err(error)
            }
        }
    }

    fn committed_label(
        &self,
        attempt: &Attempt,
        label: &Label,
        sample: bool,
    ) -> AppResult<CommittedLabel> {
        let meta = &label.metadata;
        if meta.tracking_number.trim().is_empty() {
            return Err(AppError::new(
                ErrorCode::PurchaseOutcomeUnknown,
                "USPS answered without a tracking number; the purchase will be checked again",
            ));
        }
        let ship_from = match self.ship_from(attempt.ship_from_id) {
            Ok(f) => f.address,
            Err(_) => Address::default(),
        };
        Ok(CommittedLabel {
            tracking_number: meta.tracking_number.trim().to_owned(),
            service_name: service_name(&attempt.request.package_description.mail_class),
            postage: money(meta.total_charge()),
            zone: meta.zone.clone(),
            commitment: meta.commitment.as_ref().and_then(|c| c.name.clone()),
            mailing_date: attempt
                .request
                .package_description
                .mailing_date
                .chars()
                .take(10)
                .collect(),
            label_bytes: label.label_image.as_ref().map(|d| d.bytes.clone()),
            label_content_type: label.label_image.as_ref().map(|d| {
                d.content_type
                    .clone()
                    .unwrap_or_else(|| "application/pdf".into())
            }),
            metadata_json: serde_json::to_string(meta).unwrap_or_default(),
            sample,
            ship_from,
        })
    }
}
