//! Buying one label exactly once, and finishing attempts a crash or outage left open.
//!
//! Order of events for a purchase: claim the order in this process (a second Buy gets
//! CONFLICT) → commit the intent with a fresh idempotency key and the exact request (or find
//! the order's open attempt and finish that instead) → mark it sent → ask the provider → store the
//! label, close the attempt and mark the order shipped in one transaction. When the answer is
//! lost or USPS is unreachable the attempt stays open and every later try re-sends the same
//! payload with the same key; only a definitive refusal by the provider closes it as failed.

use super::PurchaseStep;
use super::ShippingService;
use super::model::ShipToChoice;
use super::model_shipments::Shipment;
use super::model_shipments::{PurchaseOutcome, PurchaseRequest};
use super::package::validate_package;
use super::store::{ActiveLabel, Attempt, CommittedLabel, Intent, Lease, NewAttempt};
use crate::error::{AppError, AppResult, ErrorCode, ErrorDetails};
use crate::orders::{Address, OrderStatus};
use crate::postage::customs::{self, CustomsDeclaration};
use crate::postage::{BoughtLabel, LabelOrder, SendOutcome};
use rust_decimal::Decimal;

fn valid_date(s: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, format).is_ok()
}

/// The refusal to buy a second label for an order that has one, unless asked to.
fn already_labelled(order_id: i64, why: String, label: Option<ActiveLabel>) -> AppError {
    AppError::conflict(why).with_details(ErrorDetails::AlreadyShipped {
        order_id,
        shipment_id: label.as_ref().map(|l| l.shipment_id),
        tracking_number: label.map(|l| l.tracking_number),
    })
}

/// The refusal to touch a purchase another running Shipdesk owns right now.
fn bought_elsewhere(order_number: &str, attempt: &Attempt) -> AppError {
    AppError::conflict(format!(
        "A label for order {order_number} is being bought by another Shipdesk window or command \
         right now; wait for it to finish (it shows under Shipments › Purchases to check)"
    ))
    .with_details(ErrorDetails::PurchaseInFlight {
        order_id: attempt.order_id,
    })
}

/// Wraps an error's details in the purchase they happened in, so the UI can point at the
/// order and its attempt and still read what the failure was about.
fn with_attempt(mut error: AppError, attempt: &Attempt) -> AppError {
    let cause = error.details.take();
    error.with_details(ErrorDetails::Purchase {
        order_id: attempt.order_id,
        attempt_id: attempt.id,
        cause,
    })
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
            let label = self.shipments.active_label(order.id)?;
            let why = match &label {
                Some(l) => format!("already has label {}", l.tracking_number),
                None => "is already marked shipped".to_owned(),
            };
            return Err(already_labelled(
                order.id,
                format!(
                    "Order {} {why}. Void it first, or ask for an additional label.",
                    order.order_number
                ),
                label,
            ));
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
            // Sent by the caller (the Ship dialog relays USPS's answer): cleaned like any text
            // the store keeps, since it is stored with the label.
            ShipToChoice::Standardized { address } => crate::orders::text::clean_address(address),
        };
        let customs = customs_for(&order.order_number, &ship_to, &request)?;
        let _slot = self.claim(order.id, &order.order_number)?;
        let payload = self.postage.label_payload(
            &account,
            &LabelOrder {
                from: &from.address,
                to: &ship_to,
                customs: customs.as_ref(),
                package: &request.package,
                rate: &request.rate,
                mailing_date: &mailing_date,
                ignore_bad_address: request.ignore_bad_address,
            },
        )?;
        let key = uuid::Uuid::new_v4().to_string();
        let new_attempt = NewAttempt {
            order_id: order.id,
            account_id: account.id,
            key: &key,
            payload: &payload,
            mail_class: &request.rate.mail_class,
            ship_from_id: Some(from.id),
            package: &request.package,
            address_choice: request.ship_to.as_str(),
            ship_to: &ship_to,
            additional_label: request.allow_additional_label,
        };
        let (attempt, resumed) = self.journal_intent(&new_attempt, &order.order_number)?;
        self.observer
            .reached(PurchaseStep::IntentCommitted, &attempt)
            .await;
        let shipment = self.send_attempt(&attempt).await?;
        if let Some(declaration) = &customs
            && let Err(e) = self.remember_customs(declaration)
        {
            // The label is bought; only the next order's prefill is lost.
            tracing::warn!(error = %e.message, "could not save the items' customs data");
        }
        Ok(PurchaseOutcome {
            shipment,
            resumed_earlier_attempt: resumed,
        })
    }

    /// Journals the purchase, leased to this process — or takes over the order's open attempt:
    /// one never sent is closed and replaced (it charged nothing, and the user is now asking
    /// for this one); one sent before is resumed with its own key, never duplicated.
    fn journal_intent(
        &self,
        new_attempt: &NewAttempt<'_>,
        order_number: &str,
    ) -> AppResult<(Attempt, bool)> {
        let mut replaced_unsent = false;
        loop {
            match self.journal.record_intent(new_attempt, &self.now())? {
                Intent::Created(a) => return Ok((a, false)),
                Intent::AlreadyLabelled(label) => {
                    return Err(already_labelled(
                        new_attempt.order_id,
                        format!(
                            "This order already has label {}. Void it first, or ask for an \
                             additional label.",
                            label.tracking_number
                        ),
                        Some(label),
                    ));
                }
                Intent::Existing(open) => match self.journal.take_lease(open.id)? {
                    Lease::HeldElsewhere => return Err(bought_elsewhere(order_number, &open)),
                    Lease::Taken(old) if old.sends == 0 && !replaced_unsent => {
                        let reason = AppError::new(
                            ErrorCode::Cancelled,
                            "Never sent; replaced by a new purchase for the order",
                        );
                        self.journal.close_failed(&old, &reason, &self.now())?;
                        replaced_unsent = true;
                    }
                    Lease::Taken(old) => return Ok((*old, true)),
                    Lease::Closed if !replaced_unsent => replaced_unsent = true,
                    Lease::Closed => return Err(bought_elsewhere(order_number, &open)),
                },
            }
        }
    }

    /// Sends (or re-sends, same key and payload) one journaled attempt this process holds the
    /// lease of, and records the result; the lease is given back whatever happens.
    pub(crate) async fn send_attempt(&self, attempt: &Attempt) -> AppResult<Shipment> {
        let result = self.send_leased(attempt).await;
        if result.is_err()
            && let Err(e) = self.journal.release_lease(attempt.id)
        {
            tracing::warn!(
                attempt_id = attempt.id,
                "could not release a purchase lease: {}",
                e.message
            );
        }
        result
    }

    async fn send_leased(&self, attempt: &Attempt) -> AppResult<Shipment> {
        let account = self.postage.account(attempt.account_id)?;
        if let Err(e) = self.postage.prepare_purchase(&account).await {
            // Nothing reached the provider if this attempt was never sent, so nothing can have
            // been charged: close it, so a later start-up does not buy what the user was told
            // failed. One sent before keeps its key open for a later check.
            let error = with_attempt(e, attempt);
            if attempt.sends == 0 {
                self.journal.close_failed(attempt, &error, &self.now())?;
            } else {
                self.journal.note_open_error(attempt, &error, &self.now())?;
            }
            return Err(error);
        }
        // The compare-and-set that lets the request leave; if another process moved the
        // purchase since it was read, nothing is sent.
        let sent = self
            .journal
            .mark_sent(attempt, &self.now())
            .map_err(|e| with_attempt(e, attempt))?;
        self.observer
            .reached(PurchaseStep::SentCommitted, &sent)
            .await;
        let answer = self
            .postage
            .buy_label(&account, &sent.payload, &sent.key)
            .await;
        self.observer
            .reached(PurchaseStep::AnswerReceived, &sent)
            .await;
        match answer {
            Ok(label) => {
                let committed = self.committed_label(&sent, label);
                let id = self
                    .journal
                    .commit_label(&sent, &committed, &self.now())
                    .map_err(|e| with_attempt(e, &sent))?;
                self.observer
                    .reached(PurchaseStep::LabelCommitted, &sent)
                    .await;
                self.shipment(id)
            }
            Err(failure) => {
                let error = with_attempt(failure.error, &sent);
                // Only a refusal of the first send settles the purchase: nothing was made for
                // the key. After an earlier send whose answer was lost, a refusal (a date now in
                // the past, a request "in progress") says nothing about what that send bought.
                if failure.outcome == SendOutcome::Refused && attempt.sends == 0 {
                    self.journal.close_failed(&sent, &error, &self.now())?;
                } else {
                    self.journal.note_open_error(&sent, &error, &self.now())?;
                }
                Err(error)
            }
        }
    }

    fn committed_label(&self, attempt: &Attempt, label: BoughtLabel) -> CommittedLabel {
        let ship_from = match self.ship_from(attempt.ship_from_id) {
            Ok(f) => f.address,
            Err(_) => Address::default(),
        };
        CommittedLabel { label, ship_from }
    }
}

/// The checked customs declaration of a package abroad; `None` at home. A package abroad
/// without one, or with one that misses something, is refused naming the fields to fill in.
fn customs_for(
    order_number: &str,
    to: &Address,
    request: &PurchaseRequest,
) -> AppResult<Option<CustomsDeclaration>> {
    if !to.needs_customs() {
        return Ok(None);
    }
    let Some(declaration) = &request.customs else {
        let place = if to.is_domestic() {
            "a military post office (APO/FPO/DPO)".to_owned()
        } else {
            crate::orders::countries::country_name(&to.country).to_owned()
        };
        return Err(AppError::invalid_fields(
            format!("Order {order_number} ships to {place}: fill in its customs form first"),
            [("customs", "A package abroad needs its customs declaration")],
        ));
    };
    let declaration = customs::validated(declaration, &to.country)?;
    let value = declaration.total_value();
    let capped = request.rate.mail_class == "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE"
        || matches!(
            request.rate.rate_indicator.as_str(),
            "FE" | "FA" | "FP" | "FS" | "E4" | "E6"
        );
    if capped && value > Decimal::from(400) {
        return Err(AppError::invalid_fields(
            format!(
                "{} takes contents worth at most $400; these are declared at ${value:.2}. \
                 Choose Priority Mail International in your own box",
                crate::postage::model::service_name(&request.rate.mail_class)
            ),
            [("rate", "At most $400 of contents")],
        ));
    }
    Ok(Some(declaration))
}
