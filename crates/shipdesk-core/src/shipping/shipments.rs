//! The Shipments page: every label with its order, service, tracking number, postage, status
//! and whether it was printed; and tracking refresh where the account has the Tracking product.

use rusqlite::{OptionalExtension, Row, params};

use super::ShippingService;
use super::model_shipments::{Shipment, ShipmentQuery, ShipmentStatus};
use crate::postage::TrackingProgress;
use crate::error::{AppError, AppResult};

const DEFAULT_LIMIT: u32 = 200;
const MAX_LIMIT: u32 = 1000;

pub(crate) const SHIPMENT_COLUMNS: &str = "s.id, s.order_id, o.order_number, s.account_id, \
    s.tracking_number, s.mail_class, s.service_name, s.postage, s.zone, s.commitment, \
    s.mailing_date, s.weight_oz, s.ship_from_id, s.from_json, s.ship_to_json, s.address_choice, \
    s.status, s.dispute_id, s.printed_at, s.scan_form_id, s.sample, s.tracking_status, \
    s.tracking_checked_at, s.created_at";

fn conversion(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

pub(crate) fn shipment_row(r: &Row<'_>) -> rusqlite::Result<Shipment> {
    let status: String = r.get(16)?;
    let printed_at: Option<String> = r.get(18)?;
    Ok(Shipment {
        id: r.get(0)?,
        order_id: r.get(1)?,
        order_number: r.get(2)?,
        account_id: r.get(3)?,
        tracking_number: r.get(4)?,
        mail_class: r.get(5)?,
        service_name: r.get(6)?,
        postage: r.get::<_, String>(7)?.parse().map_err(conversion)?,
        zone: r.get(8)?,
        commitment: r.get(9)?,
        mailing_date: r.get(10)?,
        weight_oz: r.get::<_, String>(11)?.parse().map_err(conversion)?,
        ship_from_id: r.get(12)?,
        ship_from: serde_json::from_str(&r.get::<_, String>(13)?).map_err(conversion)?,
        ship_to: serde_json::from_str(&r.get::<_, String>(14)?).map_err(conversion)?,
        address_choice: r.get(15)?,
        status: ShipmentStatus::parse(&status).unwrap_or(ShipmentStatus::LabelCreated),
        dispute_id: r.get(17)?,
        printed: printed_at.is_some(),
        printed_at,
        scan_form_id: r.get(19)?,
        sample: r.get(20)?,
        tracking_status: r.get(21)?,
        tracking_checked_at: r.get(22)?,
        created_at: r.get(23)?,
    })
}

impl ShippingService {
    pub fn shipment(&self, id: i64) -> AppResult<Shipment> {
        self.store
            .read(|c| {
                Ok(c.query_row(
                    &format!(
                        "SELECT {SHIPMENT_COLUMNS} FROM shipments s JOIN orders o ON o.id = s.order_id
                         WHERE s.id = ?1"
                    ),
                    [id],
                    shipment_row,
                )
                .optional()?)
            })?
            .ok_or_else(|| AppError::not_found(format!("There is no shipment {id}")))
    }

    pub fn shipment_by_tracking(&self, tracking_number: &str) -> AppResult<Shipment> {
        let tracking: String = tracking_number
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        self.store
            .read(|c| {
                Ok(c.query_row(
                    &format!(
                        "SELECT {SHIPMENT_COLUMNS} FROM shipments s JOIN orders o ON o.id = s.order_id
                         WHERE s.tracking_number = ?1"
                    ),
                    [&tracking],
                    shipment_row,
                )
                .optional()?)
            })?
            .ok_or_else(|| AppError::not_found(format!("There is no label with tracking number {tracking}")))
    }

    /// Labels, newest first.
    pub fn shipments(&self, q: &ShipmentQuery) -> AppResult<Vec<Shipment>> {
        let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        let offset = q.offset.unwrap_or(0);
        self.store.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {SHIPMENT_COLUMNS} FROM shipments s JOIN orders o ON o.id = s.order_id
                 WHERE (?1 IS NULL OR s.status = ?1)
                   AND (?2 IS NULL OR s.order_id = ?2)
                   AND (?3 IS NULL OR s.mailing_date = ?3)
                 ORDER BY s.id DESC LIMIT ?4 OFFSET ?5"
            ))?;
            let rows = stmt.query_map(
                params![
                    q.status.map(|s| s.as_str()),
                    q.order_id,
                    q.mailing_date,
                    limit,
                    offset
                ],
                shipment_row,
            )?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
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
            self.store.write(|tx| {
                tx.execute(
                    "UPDATE shipments SET tracking_status = ?2, tracking_checked_at = ?3,
                         status = coalesce(?4, status), updated_at = ?3
                     WHERE id = ?1 AND status NOT IN ('voided','refund_requested')",
                    params![id, summary, now, status.map(|s| s.as_str())],
                )?;
                Ok(())
            })?;
            updated.push(self.shipment(id)?);
        }
        Ok(updated)
    }
}

