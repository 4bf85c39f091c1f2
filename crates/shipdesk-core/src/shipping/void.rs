//! Voiding a label: USPS cancels it outright before it is manifested (`CANCELED`, no charge) or
//! files a refund request after (`DISPUTED` with a dispute id). Labels that cannot be voided say
//! why before USPS is asked: already voided, refund already requested, on a SCAN form (USPS
//! refuses those, 160174), or already moving through the mail.

use rusqlite::params;

use super::ShippingService;
use super::journal::active_label;
use super::model_shipments::{ShipmentStatus, VoidOutcome};
use crate::error::{AppError, AppResult, ErrorDetails, VoidRefusal};
use crate::orders::OrderStatus;
use crate::postage::VoidResult;
use crate::store::OrderWriter;

impl ShippingService {
    pub async fn void_label(&self, shipment_id: i64) -> AppResult<VoidOutcome> {
        let s = self.shipment(shipment_id)?;
        let reason = match s.status {
            ShipmentStatus::Voided => VoidRefusal::AlreadyVoided,
            ShipmentStatus::RefundRequested => VoidRefusal::RefundRequested,
            ShipmentStatus::InTransit | ShipmentStatus::Delivered => VoidRefusal::AlreadyScanned,
            ShipmentStatus::LabelCreated => VoidRefusal::OnScanForm,
        };
        let details = ErrorDetails::NotVoidable {
            shipment_id: s.id,
            tracking_number: s.tracking_number.clone(),
            reason,
        };
        let refuse = |why: String| Err(AppError::conflict(why).with_details(details.clone()));
        match s.status {
            ShipmentStatus::Voided => {
                return refuse(format!("Label {} is already voided", s.tracking_number));
            }
            ShipmentStatus::RefundRequested => {
                return refuse(format!(
                    "A refund for label {} was already requested (USPS dispute {})",
                    s.tracking_number,
                    s.dispute_id.as_deref().unwrap_or("?")
                ));
            }
            ShipmentStatus::InTransit | ShipmentStatus::Delivered => {
                return refuse(format!(
                    "Label {} has already been scanned by USPS and can no longer be voided",
                    s.tracking_number
                ));
            }
            ShipmentStatus::LabelCreated => {}
        }
        if s.scan_form_id.is_some() {
            return refuse(format!(
                "Label {} is on an End of Day SCAN form; USPS does not cancel labels on a SCAN form",
                s.tracking_number
            ));
        }
        let account = self.postage.account(s.account_id)?;
        let answer = self
            .postage
            .void_label(&account, &s.tracking_number)
            .await?;
        let (status, dispute_id) = match answer.result {
            VoidResult::Canceled => (ShipmentStatus::Voided, None),
            VoidResult::RefundRequested { dispute_id } => {
                (ShipmentStatus::RefundRequested, dispute_id)
            }
        };
        let now = self.now();
        self.store.write(|tx| {
            tx.execute(
                "UPDATE shipments SET status = ?2, dispute_id = ?3, updated_at = ?4 WHERE id = ?1",
                params![s.id, status.as_str(), dispute_id, now],
            )?;
            // The order goes back to the queue unless another label still covers it.
            if active_label(tx, s.order_id)?.is_none() {
                OrderWriter::within(tx, &now)
                    .set_status(s.order_id, OrderStatus::AwaitingShipment)?;
            }
            Ok(())
        })?;
        Ok(VoidOutcome {
            shipment: self.shipment(s.id)?,
            usps_status: answer.provider_status,
        })
    }

    pub async fn void_by_tracking(&self, tracking_number: &str) -> AppResult<VoidOutcome> {
        let s = self.shipment_by_tracking(tracking_number)?;
        self.void_label(s.id).await
    }
}
