//! Purchases a crash, an outage or a refused connection left unfinished: reconcile them (the
//! app at start-up, the CLI before buying), or — when the user wants to buy differently —
//! discard one safely: USPS is first asked to cancel whatever label the attempt's idempotency
//! key may have produced, so nothing stays charged behind the user's back.

use super::model_shipments::{
    DiscardOutcome, OpenAttempt, PurchaseToCheck, ReconcileReport, Shipment,
};
use super::store::{Attempt, Lease};
use super::{InFlight, ShippingService};
use crate::error::{AppError, AppResult, ErrorCode, ErrorDetails};
use crate::postage::KeyCancel;

impl ShippingService {
    /// Settles every attempt left open (crash, outage, quota, reconnect) that no other running
    /// Shipdesk owns: one that was sent is re-sent with its own idempotency key, so USPS returns
    /// the label it may already have made instead of charging again; one never sent is closed.
    /// The app calls this at start-up; the CLI before buying.
    pub async fn reconcile_unfinished(&self) -> AppResult<ReconcileReport> {
        self.reconcile_voids().await?;
        let mut report = ReconcileReport {
            recovered: Vec::new(),
            failed_attempts: Vec::new(),
            still_open: Vec::new(),
            in_progress_elsewhere: Vec::new(),
        };
        for open in self.journal.unfinished()? {
            // One that this process is sending right now is not "unfinished".
            let Ok(_slot) = self.claim(open.order_id, "") else {
                continue;
            };
            let attempt = match self.journal.take_lease(open.id)? {
                Lease::Taken(a) => *a,
                Lease::HeldElsewhere => {
                    report.in_progress_elsewhere.push(open.id);
                    continue;
                }
                Lease::Closed => continue,
            };
            // Never sent means never sent: nothing was charged, and the user, who saw the app
            // stop, may have bought it elsewhere since. It is closed, not bought.
            if attempt.sends == 0 {
                let reason = AppError::new(
                    ErrorCode::Cancelled,
                    "Never sent before Shipdesk stopped; closed at start-up, nothing was charged",
                );
                self.journal.close_failed(&attempt, &reason, &self.now())?;
                report.failed_attempts.push(attempt.id);
                continue;
            }
            match self.send_attempt(&attempt).await {
                Ok(shipment) => report.recovered.push(shipment),
                Err(error) => match self.journal.open_attempt(attempt.order_id)? {
                    Some(a) if a.id == attempt.id => report.still_open.push(OpenAttempt {
                        attempt_id: attempt.id,
                        order_id: attempt.order_id,
                        error,
                    }),
                    _ => report.failed_attempts.push(attempt.id),
                },
            }
        }
        Ok(report)
    }

    /// How many purchase attempts are waiting to be settled (for a start-up banner).
    pub fn unfinished_purchases(&self) -> AppResult<u32> {
        Ok(self.journal.unfinished()?.len() as u32)
    }

    /// Every purchase whose outcome is not settled, for Shipments › Purchases to check.
    pub fn purchases_to_check(&self) -> AppResult<Vec<PurchaseToCheck>> {
        let mut list = self.journal.purchases_to_check()?;
        for item in &mut list {
            item.in_progress |= self.purchase_in_flight(item.order_id);
        }
        Ok(list)
    }

    /// Check again: re-sends the attempt with its own key and payload. USPS returns the label
    /// it made for the key (without a second charge), or makes it now; either way it is stored.
    pub async fn check_purchase_again(&self, attempt_id: i64) -> AppResult<Shipment> {
        let (attempt, _slot) = self.take_open_attempt(attempt_id)?;
        self.send_attempt(&attempt).await
    }

    /// Closes an unfinished purchase so a different one can be bought. One that was sent is
    /// first cancelled at USPS by its key (a refund is requested once manifested), so nothing
    /// stays charged behind the user's back; when USPS cannot be asked, nothing changes and the
    /// error says why. One never sent is closed at once: nothing can have been charged.
    pub async fn discard_purchase(&self, attempt_id: i64) -> AppResult<DiscardOutcome> {
        let (attempt, _slot) = self.take_open_attempt(attempt_id)?;
        let result = self.discard_leased(&attempt).await;
        if result.is_err() {
            let _ = self.journal.release_lease(attempt.id);
        }
        result
    }

    /// The order's unfinished purchase, discarded (see [`Self::discard_purchase`]).
    pub async fn discard_unfinished_purchase(&self, order_id: i64) -> AppResult<DiscardOutcome> {
        let order = self.order(order_id)?;
        let attempt = self.journal.open_attempt(order_id)?.ok_or_else(|| {
            AppError::not_found(format!(
                "Order {} has no unfinished label purchase",
                order.order_number
            ))
        })?;
        self.discard_purchase(attempt.id).await
    }

    /// The open attempt, claimed in this process and leased to it.
    fn take_open_attempt(&self, attempt_id: i64) -> AppResult<(Attempt, InFlight<'_>)> {
        let not_open = || {
            AppError::not_found(format!(
                "Purchase {attempt_id} is not unfinished any more (it was settled meanwhile); \
                 look at the order"
            ))
        };
        let found = self.journal.attempt(attempt_id)?.ok_or_else(not_open)?;
        let order = self.order(found.order_id)?;
        let slot = self.claim(order.id, &order.order_number)?;
        match self.journal.take_lease(attempt_id)? {
            Lease::Taken(a) => Ok((*a, slot)),
            Lease::Closed => Err(not_open()),
            Lease::HeldElsewhere => Err(AppError::conflict(format!(
                "The label purchase for order {} is being handled by another Shipdesk window or \
                 command right now; wait for it to finish",
                order.order_number
            ))
            .with_details(ErrorDetails::PurchaseInFlight { order_id: order.id })),
        }
    }

    async fn discard_leased(&self, attempt: &Attempt) -> AppResult<DiscardOutcome> {
        let (canceled_label, message) = if attempt.sends == 0 {
            (
                None,
                "it was never sent to USPS, so nothing was charged".to_owned(),
            )
        } else {
            let account = match self.postage.account(attempt.account_id) {
                Ok(account) => account,
                // Only purchases from before removal was blocked can point at a removed
                // account; nobody can ask USPS about them any more, so the user is told what
                // to check instead of being stuck with the order.
                Err(e) if e.code == ErrorCode::NotFound => {
                    let reason = AppError::new(
                        ErrorCode::Cancelled,
                        "Purchase discarded by the user; its USPS account was removed, so USPS \
                         could not be asked to cancel it",
                    );
                    self.journal.close_failed(attempt, &reason, &self.now())?;
                    return Ok(DiscardOutcome {
                        attempt_id: attempt.id,
                        order_id: attempt.order_id,
                        canceled_label: None,
                        message: "its USPS account was removed, so USPS could not be asked to \
                                  cancel it: check that account's USPS activity for a label \
                                  made for this order"
                            .to_owned(),
                    });
                }
                Err(e) => return Err(e),
            };
            let seller = account.payer.seller();
            match self.postage.cancel_by_key(&account, &attempt.key).await? {
                KeyCancel::NeverMade => (None, format!("{seller} never made a label for it")),
                KeyCancel::Unknown { advice } => (None, advice),
                KeyCancel::Canceled { tracking_number } => {
                    let what =
                        format!("{seller} had made label {tracking_number}; it was canceled");
                    (Some(tracking_number), what)
                }
                KeyCancel::RefundRequested {
                    tracking_number,
                    dispute_id,
                } => {
                    let what = format!(
                        "{seller} had made label {tracking_number}; a refund was requested \
                         (dispute {})",
                        dispute_id.as_deref().unwrap_or("?")
                    );
                    (Some(tracking_number), what)
                }
            }
        };
        let reason = AppError::new(
            ErrorCode::Cancelled,
            format!("Purchase discarded by the user: {message}"),
        );
        self.journal.close_failed(attempt, &reason, &self.now())?;
        Ok(DiscardOutcome {
            attempt_id: attempt.id,
            order_id: attempt.order_id,
            canceled_label,
            message,
        })
    }
}
