//! Voiding a label: USPS cancels it outright before it is manifested (`CANCELED`, no charge) or
//! files a refund request after (`DISPUTED` with a dispute id). Labels that cannot be voided say
//! why before USPS is asked: already voided, refund already requested, on a SCAN form (USPS
//! refuses those, 160174), or already moving through the mail.

use super::ShippingService;
use super::model_shipments::{ShipmentStatus, VoidOutcome};
use crate::error::{AppError, AppResult, ErrorDetails, VoidRefusal};
use crate::postage::VoidResult;

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
        // The order goes back to the queue unless another label still covers it.
        self.shipments
            .record_void(s.id, s.order_id, status, dispute_id.as_deref(), &now)?;
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
