//! Purchases a crash, an outage or a refused connection left unfinished: reconcile them (the
//! app at start-up, the CLI before buying), or — when the user wants to buy differently —
//! discard one safely: USPS is first asked to cancel whatever label the attempt's idempotency
//! key may have produced, so nothing stays charged behind the user's back.

use usps::UspsError;
use usps::models::IdempotencyKey;

use super::ShippingService;
use super::journal;
use super::model_shipments::{DiscardOutcome, OpenAttempt, ReconcileReport};
use crate::error::{AppError, AppResult, ErrorCode};

/// USPS's "Order not found": no label exists for the key.
const ORDER_NOT_FOUND: &str = "160185";

impl ShippingService {
    /// Finishes every attempt left open (crash, outage, quota, reconnect): re-sends each with
    /// its own idempotency key, so USPS returns the label it may already have made instead of
    /// charging again. The app calls this at start-up; the CLI before buying.
    pub async fn reconcile_unfinished(&self) -> AppResult<ReconcileReport> {
        let mut report = ReconcileReport {
            recovered: Vec::new(),
            failed_attempts: Vec::new(),
            still_open: Vec::new(),
        };
        for attempt in journal::unfinished(&self.store)? {
            // One that this process is sending right now is not "unfinished".
            let Ok(_slot) = self.claim(attempt.order_id, "") else {
                continue;
            };
            match self.send_attempt(&attempt).await {
                Ok(shipment) => report.recovered.push(shipment),
                Err(e) if e.code == ErrorCode::UspsRejected => {
                    report.failed_attempts.push(attempt.id)
                }
                Err(error) => report.still_open.push(OpenAttempt {
                    attempt_id: attempt.id,
                    order_id: attempt.order_id,
                    error,
                }),
            }
        }
        Ok(report)
    }

    /// How many purchase attempts are waiting to be reconciled (for a start-up banner).
    pub fn unfinished_purchases(&self) -> AppResult<u32> {
        Ok(journal::unfinished(&self.store)?.len() as u32)
    }

    /// Closes the order's unfinished purchase so a different one can be bought. USPS cancels
    /// any label the attempt's key produced (or files a refund request once manifested); when
    /// USPS cannot be asked, nothing changes and the error says why.
    pub async fn discard_unfinished_purchase(&self, order_id: i64) -> AppResult<DiscardOutcome> {
        let order = self.order(order_id)?;
        let _slot = self.claim(order_id, &order.order_number)?;
        let attempt = journal::open_attempt_for(&self.store, order_id)?.ok_or_else(|| {
            AppError::not_found(format!(
                "Order {} has no unfinished label purchase",
                order.order_number
            ))
        })?;
        let session = self.gateway.session(attempt.account_id).await?;
        let key = IdempotencyKey::new(attempt.key.clone());
        let (canceled_label, message) = match session.cancel_label_by_idempotency_key(&key).await {
            Ok(answer) => {
                self.gateway.report_success(attempt.account_id);
                let tracking = answer.tracking_number.clone().unwrap_or_default();
                let what = if answer.is_refund_requested() {
                    format!(
                        "USPS had made label {tracking}; a refund was requested (dispute {})",
                        answer.dispute_id.as_deref().unwrap_or("?")
                    )
                } else {
                    format!("USPS had made label {tracking}; it was canceled")
                };
                (Some(tracking), what)
            }
            Err(UspsError::Rejected(r))
                if r.status == 404 || r.codes().contains(&ORDER_NOT_FOUND) =>
            {
                self.gateway.report_success(attempt.account_id);
                (None, "USPS never made a label for it".to_owned())
            }
            Err(e) => return Err(self.gateway.report_failure(attempt.account_id, &e)),
        };
        let reason = AppError::new(
            ErrorCode::Cancelled,
            format!("Purchase discarded by the user: {message}"),
        );
        journal::mark_failed(&self.store, attempt.id, &reason, &self.now())?;
        Ok(DiscardOutcome {
            attempt_id: attempt.id,
            order_id,
            canceled_label,
            message,
        })
    }
}
