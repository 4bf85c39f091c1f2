//! The Shipments page: every label with its order, service, tracking number, postage, status
//! and whether it was printed; and tracking refresh where the account has the Tracking product.

use super::ShippingService;
use super::model_shipments::{Shipment, ShipmentQuery, ShipmentStatus};
use crate::error::{AppError, AppResult};
use crate::postage::TrackingProgress;

impl ShippingService {
    pub fn shipment(&self, id: i64) -> AppResult<Shipment> {
        self.shipments
            .shipment(id)?
            .ok_or_else(|| AppError::not_found(format!("There is no shipment {id}")))
    }

    pub fn shipment_by_tracking(&self, tracking_number: &str) -> AppResult<Shipment> {
        let tracking: String = tracking_number
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        self.shipments
            .shipment_by_tracking(&tracking)?
            .ok_or_else(|| {
                AppError::not_found(format!("There is no label with tracking number {tracking}"))
            })
    }

    /// Labels, newest first: a page of 200 unless the query says otherwise (at most 1000).
    pub fn shipments(&self, q: &ShipmentQuery) -> AppResult<Vec<Shipment>> {
        self.shipments.shipments(q)
    }

    /// Asks USPS Tracking about the given labels (active ones only) and stores status and
    /// summary. An account without the Tracking product answers USPS_NOT_ENTITLED.
    pub async fn refresh_tracking(&self, shipment_ids: &[i64]) -> AppResult<Vec<Shipment>> {
        let mut updated = Vec::new();
        for &id in shipment_ids {
            let shipment = self.shipment(id)?;
            if !shipment.status.is_active() {
                updated.push(shipment);
                continue;
            }
            let account = self.postage.account(shipment.account_id)?;
            let answer = self
                .postage
                .track(&account, &shipment.tracking_number)
                .await?;
            let status = answer.progress.map(|p| match p {
                TrackingProgress::InTransit => ShipmentStatus::InTransit,
                TrackingProgress::Delivered => ShipmentStatus::Delivered,
            });
            let summary = answer.summary;
            let now = self.now();
            self.shipments
                .record_tracking(id, summary.as_deref(), status, &now)?;
            updated.push(self.shipment(id)?);
        }
        Ok(updated)
    }
}
