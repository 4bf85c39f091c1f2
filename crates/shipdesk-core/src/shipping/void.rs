//! Voiding a label, exactly once. USPS cancels a label outright before it is manifested
//! (`CANCELED`, no charge) or files a refund request after (`DISPUTED` with a dispute id).
//! Labels that cannot be voided say why before USPS is asked: already voided, refund already
//! requested, on a SCAN form (USPS refuses those, 160174), or already moving through the mail.
//!
//! A void changes money at USPS, so it is journaled like a purchase ([`VoidJournal`]): claim
//! the label in this process (a second void of it gets CONFLICT) → commit the intent, leased to
//! this process (or take over the label's open void; one another live process is sending is
//! CONFLICT) → commit "sent" → ask the provider → store the label's new status, put its order
//! back in the queue and close the void, in one transaction. When the provider refuses the first
//! send, nothing changed there and the void is closed as failed. Anything else — no answer, a
//! server error, or an answer whose record failed (a busy database, a crash) — leaves the void
//! open: the label is not printed any more (USPS may have canceled it), and the next void of it,
//! or start-up ([`ShippingService::reconcile_voids`]), sends it again; USPS's "already canceled"
//! then settles it. A void that never left the app is closed at start-up, not sent.
//!
//! A label that is voided, has a refund requested, or has a void open is not valid postage:
//! [`not_postage`] is the one rule every path that prints, saves or downloads a label applies.
//!
//! [`VoidJournal`]: super::VoidJournal

use std::collections::HashSet;
use std::sync::Mutex;

use serde::Serialize;

use super::ShippingService;
use super::model_shipments::{Shipment, ShipmentStatus, VoidOutcome};
use super::void_journal::{VoidAttempt, VoidIntent, VoidLease};
use crate::error::{AppError, AppResult, ErrorCode, ErrorDetails, VoidRefusal};
use crate::postage::{AccountSummary, VoidAnswer, VoidResult};

/// What [`ShippingService::reconcile_voids`] did with the voids a previous run left open.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VoidReconcileReport {
    /// Labels whose void is now recorded (voided, or refund requested).
    pub finished: Vec<Shipment>,
    /// Voids that never left the app: closed, their labels unchanged.
    pub closed_unsent: Vec<i64>,
    /// Voids still unresolved (USPS unreachable or refusing, or the record failing again); they
    /// are sent again by the next void of the label or the next start.
    pub still_open: Vec<OpenVoid>,
    /// Voids another running Shipdesk (a second window, the CLI) is sending right now: left to
    /// it.
    pub in_progress_elsewhere: Vec<i64>,
}

/// A void left open, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenVoid {
    pub void_id: i64,
    pub shipment_id: i64,
    pub tracking_number: String,
    pub error: AppError,
}

/// Holds a label's void slot in this process; released on drop, even when the void's future is
/// dropped.
struct VoidSlot<'a> {
    set: &'a Mutex<HashSet<i64>>,
    shipment_id: i64,
}

impl Drop for VoidSlot<'_> {
    fn drop(&mut self) {
        self.set
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.shipment_id);
    }
}

/// Why the label cannot be voided, or `None` when it can.
fn refusal(s: &Shipment) -> Option<AppError> {
    let (reason, why) = match s.status {
        ShipmentStatus::Voided => (
            VoidRefusal::AlreadyVoided,
            format!("Label {} is already voided", s.tracking_number),
        ),
        ShipmentStatus::RefundRequested => (
            VoidRefusal::RefundRequested,
            format!(
                "A refund for label {} was already requested (USPS dispute {})",
                s.tracking_number,
                s.dispute_id.as_deref().unwrap_or("?")
            ),
        ),
        ShipmentStatus::InTransit | ShipmentStatus::Delivered => (
            VoidRefusal::AlreadyScanned,
            format!(
                "Label {} has already been scanned by USPS and can no longer be voided",
                s.tracking_number
            ),
        ),
        ShipmentStatus::LabelCreated if s.scan_form_id.is_some() => (
            VoidRefusal::OnScanForm,
            format!(
                "Label {} is on an End of Day SCAN form; USPS does not cancel labels on a SCAN \
                 form",
                s.tracking_number
            ),
        ),
        ShipmentStatus::LabelCreated => return None,
    };
    Some(refused(s, reason, why))
}

fn refused(s: &Shipment, reason: VoidRefusal, why: String) -> AppError {
    AppError::conflict(why).with_details(ErrorDetails::NotVoidable {
        shipment_id: s.id,
        tracking_number: s.tracking_number.clone(),
        reason,
    })
}

fn in_progress(s: &Shipment) -> AppError {
    refused(
        s,
        VoidRefusal::InProgress,
        format!(
            "Label {} is being voided right now (in this or another Shipdesk window or command); \
             wait for that to finish",
            s.tracking_number
        ),
    )
}

/// The CONFLICT for printing, saving or downloading a label that is not valid postage (voided,
/// refund requested, or a void open), or `None` for a label that still is.
pub(crate) fn not_postage(s: &Shipment) -> Option<AppError> {
    let tracking = &s.tracking_number;
    let why = match s.status {
        ShipmentStatus::Voided => format!(
            "Label {tracking} was voided: it is no longer valid postage, so it cannot be printed, \
             saved or downloaded"
        ),
        ShipmentStatus::RefundRequested => format!(
            "Label {tracking} was voided (USPS refund requested{}): it is no longer valid \
             postage, so it cannot be printed, saved or downloaded",
            s.dispute_id
                .as_deref()
                .map(|d| format!(", dispute {d}"))
                .unwrap_or_default()
        ),
        _ if s.void_pending => format!(
            "Label {tracking} is being voided and USPS may already have canceled it, so it \
             cannot be printed, saved or downloaded. Void it again to finish."
        ),
        _ => return None,
    };
    Some(AppError::conflict(why))
}

/// Whether the provider turned the cancel down without changing anything: it refused the
/// request's content (a 409 "still being worked on" is not a refusal), the account's
/// authorization or quota, or the request could not be made at all.
fn refused_outright(error: &AppError) -> bool {
    match error.code {
        ErrorCode::UspsRejected => !matches!(
            error.details.as_deref(),
            Some(ErrorDetails::UspsRejected { status: 409, .. })
        ),
        ErrorCode::UspsReconnectRequired
        | ErrorCode::UspsNotEntitled
        | ErrorCode::UspsAccountNotAuthorized
        | ErrorCode::UspsQuotaExceeded
        | ErrorCode::Validation
        | ErrorCode::SecretStoreUnavailable => true,
        _ => false,
    }
}

impl ShippingService {
    /// Voids a label (see the module docs for the exactly-once rules). A label whose earlier
    /// void is still open has that void sent again.
    pub async fn void_label(&self, shipment_id: i64) -> AppResult<VoidOutcome> {
        let s = self.shipment(shipment_id)?;
        if let Some(refused) = refusal(&s) {
            return Err(refused);
        }
        let account = self.postage.account(s.account_id)?;
        let Some(_slot) = self.void_slot(s.id) else {
            return Err(in_progress(&s));
        };
        let attempt = match self.voids.record_void_intent(s.id, &self.now())? {
            VoidIntent::Created(a) | VoidIntent::Resumed(a) => a,
            VoidIntent::HeldElsewhere => return Err(in_progress(&s)),
            // Voided by another Shipdesk since the label was read.
            VoidIntent::NotActive(_) => {
                let latest = self.shipment(s.id)?;
                return Err(refusal(&latest).unwrap_or_else(|| in_progress(&latest)));
            }
        };
        let answer = self.send_void(&attempt, &account).await?;
        Ok(VoidOutcome {
            shipment: self.shipment(s.id)?,
            usps_status: answer.provider_status,
        })
    }

    pub async fn void_by_tracking(&self, tracking_number: &str) -> AppResult<VoidOutcome> {
        let s = self.shipment_by_tracking(tracking_number)?;
        self.void_label(s.id).await
    }

    /// Settles every void a previous run (or a failed record) left open that no other running
    /// Shipdesk owns: one that was sent is sent again — USPS's "already canceled" settles it —
    /// and one never sent is closed, its label unchanged. Called at start-up, before unfinished
    /// purchases are settled; a failure with one void does not stop the others.
    pub async fn reconcile_voids(&self) -> AppResult<VoidReconcileReport> {
        let mut report = VoidReconcileReport::default();
        for open in self.voids.open_voids()? {
            if let Err(error) = self.reconcile_void(&open, &mut report).await {
                report.still_open.push(OpenVoid {
                    void_id: open.id,
                    shipment_id: open.shipment_id,
                    tracking_number: open.tracking_number.clone(),
                    error,
                });
            }
        }
        if report != VoidReconcileReport::default() {
            tracing::info!(
                finished = report.finished.len(),
                closed_unsent = report.closed_unsent.len(),
                still_open = report.still_open.len(),
                in_progress_elsewhere = report.in_progress_elsewhere.len(),
                "reconciled unfinished voids"
            );
        }
        Ok(report)
    }

    async fn reconcile_void(
        &self,
        open: &VoidAttempt,
        report: &mut VoidReconcileReport,
    ) -> AppResult<()> {
        // One this process is sending right now is not unfinished.
        let Some(_slot) = self.void_slot(open.shipment_id) else {
            return Ok(());
        };
        let attempt = match self.voids.take_void_lease(open.id)? {
            VoidLease::Taken(a) => a,
            VoidLease::HeldElsewhere => {
                report.in_progress_elsewhere.push(open.id);
                return Ok(());
            }
            VoidLease::Closed => return Ok(()),
        };
        // Never sent means never sent: USPS changed nothing, and the user, who saw the app
        // stop, decides again whether to void the label.
        if attempt.sends == 0 {
            let reason = AppError::new(
                ErrorCode::Cancelled,
                "Never sent before Shipdesk stopped; closed at start-up, the label was not voided",
            );
            self.voids
                .close_void_failed(&attempt, &reason, &self.now())?;
            report.closed_unsent.push(attempt.id);
            return Ok(());
        }
        let account = match self.postage.account(attempt.account_id) {
            Ok(account) => account,
            Err(e) => {
                self.keep_void_open(&attempt, &e);
                return Err(e);
            }
        };
        self.send_void(&attempt, &account).await?;
        report.finished.push(self.shipment(attempt.shipment_id)?);
        Ok(())
    }

    /// Claims the label for one void in this process; `None` while another runs.
    fn void_slot(&self, shipment_id: i64) -> Option<VoidSlot<'_>> {
        let mut set = self
            .voids_in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        // Built only once the id is in: a slot dropped unused would release another's claim.
        set.insert(shipment_id).then(|| VoidSlot {
            set: &self.voids_in_flight,
            shipment_id,
        })
    }

    /// Sends (or sends again) one journaled void this process holds, and records the result.
    async fn send_void(
        &self,
        attempt: &VoidAttempt,
        account: &AccountSummary,
    ) -> AppResult<VoidAnswer> {
        let first_send = attempt.sends == 0;
        if let Err(e) = self.postage.prepare_purchase(account).await {
            // Nothing reached the provider: a void never sent is closed (nothing changed there),
            // one sent before stays open.
            if first_send {
                self.close_void(attempt, &e);
            } else {
                self.keep_void_open(attempt, &e);
            }
            return Err(e);
        }
        let sent = self.voids.mark_void_sent(attempt, &self.now())?;
        match self
            .postage
            .void_label(account, &sent.tracking_number)
            .await
        {
            Ok(answer) => match self.voids.commit_void(&sent, &answer, &self.now()) {
                Ok(()) => Ok(answer),
                Err(e) => {
                    let done = match answer.result {
                        VoidResult::Canceled => "canceled",
                        VoidResult::RefundRequested { .. } => "filed a refund request for",
                    };
                    let error = AppError {
                        message: format!(
                            "USPS {done} label {}, but Shipdesk could not record it ({}). The \
                             label is kept as being voided and is not printed; void it again, \
                             or restart Shipdesk, to finish.",
                            sent.tracking_number, e.message
                        ),
                        ..e
                    };
                    tracing::error!(
                        void_id = sent.id,
                        tracking_number = %sent.tracking_number,
                        "a void USPS carried out could not be recorded"
                    );
                    self.keep_void_open(&sent, &error);
                    Err(error)
                }
            },
            Err(e) if first_send && refused_outright(&e) => {
                self.close_void(&sent, &e);
                Err(e)
            }
            Err(e) => {
                self.keep_void_open(&sent, &e);
                Err(e)
            }
        }
    }

    /// Closes a void USPS never acted on. A failure to record that is logged: the error the
    /// user must see is the one that ended the void, and the void, still open, is settled later.
    fn close_void(&self, attempt: &VoidAttempt, error: &AppError) {
        if let Err(e) = self.voids.close_void_failed(attempt, error, &self.now()) {
            tracing::warn!(
                void_id = attempt.id,
                "could not close the void: {}",
                e.message
            );
        }
    }

    /// Notes why a void stays open and gives its lease back. A failure to note it is logged:
    /// the void stays open either way.
    fn keep_void_open(&self, attempt: &VoidAttempt, error: &AppError) {
        if let Err(e) = self.voids.note_void_error(attempt, error, &self.now()) {
            tracing::warn!(
                void_id = attempt.id,
                "could not note why the void is open: {}",
                e.message
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(status: ShipmentStatus, void_pending: bool) -> Shipment {
        Shipment {
            id: 3,
            order_id: 1,
            order_number: "A-1".into(),
            account_id: 1,
            tracking_number: "9400".into(),
            mail_class: "USPS_GROUND_ADVANTAGE".into(),
            service_name: "USPS Ground Advantage".into(),
            postage: 5.into(),
            zone: None,
            commitment: None,
            mailing_date: "2026-01-01".into(),
            weight_oz: 8.into(),
            ship_from_id: None,
            ship_from: Default::default(),
            ship_to: Default::default(),
            address_choice: "as_entered".into(),
            status,
            dispute_id: Some("104660".into()),
            printed: false,
            printed_at: None,
            scan_form_id: None,
            sample: false,
            tracking_status: None,
            tracking_checked_at: None,
            created_at: "2026-01-01T00:00:00Z".into(),
            void_pending,
        }
    }

    #[test]
    fn only_a_label_that_still_counts_and_has_no_open_void_is_postage() {
        assert!(not_postage(&label(ShipmentStatus::LabelCreated, false)).is_none());
        assert!(not_postage(&label(ShipmentStatus::InTransit, false)).is_none());
        for (status, pending, says) in [
            (ShipmentStatus::Voided, false, "was voided"),
            (ShipmentStatus::RefundRequested, false, "dispute 104660"),
            (ShipmentStatus::LabelCreated, true, "is being voided"),
        ] {
            let e = not_postage(&label(status, pending)).expect("refused");
            assert_eq!(e.code, ErrorCode::Conflict);
            assert!(e.message.contains("Label 9400"), "{}", e.message);
            assert!(e.message.contains(says), "{}", e.message);
        }
    }

    #[test]
    fn only_a_refusal_that_changed_nothing_closes_a_first_void() {
        let rejected = |status| {
            AppError::new(ErrorCode::UspsRejected, "no").with_details(ErrorDetails::UspsRejected {
                account_id: 1,
                nickname: "Shop".into(),
                status,
                usps_codes: vec![],
                fields: vec![],
                problems: vec![],
            })
        };
        assert!(refused_outright(&rejected(400)));
        assert!(!refused_outright(&rejected(409)), "still being worked on");
        assert!(refused_outright(&AppError::new(
            ErrorCode::UspsReconnectRequired,
            "sign in"
        )));
        for unknown in [
            ErrorCode::UspsUnavailable,
            ErrorCode::PurchaseOutcomeUnknown,
            ErrorCode::Internal,
        ] {
            assert!(
                !refused_outright(&AppError::new(unknown, "?")),
                "{unknown:?}"
            );
        }
    }
}
