//! Purchases a crash, an outage or a refused connection left unfinished: reconcile them (the
//! app at start-up, the CLI before buying), or — when the user wants to buy differently —
//! discard one safely: USPS is first asked to cancel whatever label the attempt's idempotency
//! key may have produced, so nothing stays charged behind the user's back.

use super::ShippingService;
use super::model_shipments::{DiscardOutcome, OpenAttempt, ReconcileReport};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::postage::KeyCancel;

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
        for attempt in self.journal.unfinished()? {
            // One that this process is sending right now is not "unfinished".
            let Ok(_slot) = self.claim(attempt.order_id, "") else {
                continue;
            };
            // Never sent means never sent: nothing was charged, and the user, who saw the app
            // stop, may have bought it elsewhere since. It is closed, not bought. (If another
            // process is about to send it, its own compare-and-set now stops it.)
            if attempt.sends == 0 {
                let reason = AppError::new(
                    ErrorCode::Cancelled,
                    "Never sent before Shipdesk stopped; closed at start-up, nothing was charged",
                );
                if self
                    .journal
                    .close_unsent(attempt.id, &reason, &self.now())?
                {
                    report.failed_attempts.push(attempt.id);
                }
                continue;
            }
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
        Ok(self.journal.unfinished()?.len() as u32)
    }

    /// Closes the order's unfinished purchase so a different one can be bought. USPS cancels
    /// any label the attempt's key produced (or files a refund request once manifested); when
    /// USPS cannot be asked, nothing changes and the error says why.
    pub async fn discard_unfinished_purchase(&self, order_id: i64) -> AppResult<DiscardOutcome> {
        let order = self.order(order_id)?;
        let _slot = self.claim(order_id, &order.order_number)?;
        let attempt = self.journal.open_attempt(order_id)?.ok_or_else(|| {
            AppError::not_found(format!(
                "Order {} has no unfinished label purchase",
                order.order_number
            ))
        })?;
        let account = self.postage.account(attempt.account_id)?;
        let (canceled_label, message) = match self
            .postage
            .cancel_by_key(&account, &attempt.key)
            .await?
        {
            KeyCancel::NeverMade => (None, "USPS never made a label for it".to_owned()),
            KeyCancel::Canceled { tracking_number } => {
                let what = format!("USPS had made label {tracking_number}; it was canceled");
                (Some(tracking_number), what)
            }
            KeyCancel::RefundRequested {
                tracking_number,
                dispute_id,
            } => {
                let what = format!(
                    "USPS had made label {tracking_number}; a refund was requested (dispute {})",
                    dispute_id.as_deref().unwrap_or("?")
                );
                (Some(tracking_number), what)
            }
        };
        let reason = AppError::new(
            ErrorCode::Cancelled,
            format!("Purchase discarded by the user: {message}"),
        );
        self.journal.mark_failed(attempt.id, &reason, &self.now())?;
        Ok(DiscardOutcome {
            attempt_id: attempt.id,
            order_id,
            canceled_label,
            message,
        })
    }
}
