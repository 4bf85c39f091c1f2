//! [`ReportStore`] over `shipments` (with the order number and the last finished void).

use crate::error::AppResult;
use crate::reports::{ReportLabel, ReportStore};
use crate::shipping::ShipmentStatus;
use crate::store::Store;

impl ReportStore for Store {
    fn labels_bought(&self, from: &str, until: &str) -> AppResult<Vec<ReportLabel>> {
        self.read(|c| {
            let mut statement = c.prepare_cached(
                "SELECT s.id, s.order_id, o.order_number, s.tracking_number, s.service_name,
                        s.postage, s.status, s.dispute_id, s.sample, s.created_at,
                        EXISTS (SELECT 1 FROM void_attempts v
                                WHERE v.shipment_id = s.id AND v.state IN ('intent','sent')),
                        (SELECT v.provider_status FROM void_attempts v
                         WHERE v.shipment_id = s.id AND v.state = 'done'
                         ORDER BY v.id DESC LIMIT 1)
                 FROM shipments s JOIN orders o ON o.id = s.order_id
                 WHERE s.created_at >= ?1 AND s.created_at < ?2
                 ORDER BY s.created_at, s.id",
            )?;
            let rows = statement.query_map([from, until], |r| {
                let postage: String = r.get(5)?;
                let status: String = r.get(6)?;
                Ok(ReportLabel {
                    shipment_id: r.get(0)?,
                    order_id: r.get(1)?,
                    order_number: r.get(2)?,
                    tracking_number: r.get(3)?,
                    service_name: r.get(4)?,
                    postage: postage.parse().map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            5,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        )
                    })?,
                    status: ShipmentStatus::parse(&status).unwrap_or(ShipmentStatus::LabelCreated),
                    dispute_id: r.get(7)?,
                    sample: r.get(8)?,
                    created_at: r.get(9)?,
                    void_pending: r.get(10)?,
                    void_status: r.get(11)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }
}
