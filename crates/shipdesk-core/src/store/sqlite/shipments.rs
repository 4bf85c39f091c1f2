//! [`ShipmentStore`] over the `shipments` table (joined with `orders` for the order number).
//! Money and weights are kept as decimal text, addresses as JSON.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::orders::OrderWriter;
use crate::error::AppResult;
use crate::orders::{OrderStatus, OrderTransaction};
use crate::postage::LabelDocument;
use crate::shipping::{
    ActiveLabel, DEFAULT_SHIPMENT_PAGE, MAX_SHIPMENT_PAGE, Shipment, ShipmentQuery, ShipmentStatus,
    ShipmentStore,
};
use crate::store::Store;

const SHIPMENT_COLUMNS: &str = "s.id, s.order_id, o.order_number, s.account_id, \
    s.tracking_number, s.mail_class, s.service_name, s.postage, s.zone, s.commitment, \
    s.mailing_date, s.weight_oz, s.ship_from_id, s.from_json, s.ship_to_json, s.address_choice, \
    s.status, s.dispute_id, s.printed_at, s.scan_form_id, s.sample, s.tracking_status, \
    s.tracking_checked_at, s.created_at, \
    EXISTS (SELECT 1 FROM void_attempts v WHERE v.shipment_id = s.id AND v.state IN ('intent','sent'))";

/// Words of a shipments search beyond this are ignored (each is one more SQL condition).
const MAX_SEARCH_WORDS: usize = 8;

fn conversion(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

fn shipment_row(r: &Row<'_>) -> rusqlite::Result<Shipment> {
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
        void_pending: r.get(24)?,
    })
}

/// [`ShipmentStore::active_label`] on a connection, so the journal's and the void's
/// transactions check it inside themselves.
pub(super) fn active_label(conn: &Connection, order_id: i64) -> AppResult<Option<ActiveLabel>> {
    Ok(conn
        .query_row(
            "SELECT id, tracking_number FROM shipments
             WHERE order_id = ?1 AND status NOT IN ('voided','refund_requested')
             ORDER BY id LIMIT 1",
            [order_id],
            |r| {
                Ok(ActiveLabel {
                    shipment_id: r.get(0)?,
                    tracking_number: r.get(1)?,
                })
            },
        )
        .optional()?)
}

/// How a void ended, inside the caller's transaction: the label's new status (and dispute id),
/// and its order back to awaiting shipment unless another label still counts for it.
pub(super) fn store_void_result(
    conn: &Connection,
    shipment_id: i64,
    order_id: i64,
    status: ShipmentStatus,
    dispute_id: Option<&str>,
    now: &str,
) -> AppResult<()> {
    conn.execute(
        "UPDATE shipments SET status = ?2, dispute_id = ?3, updated_at = ?4 WHERE id = ?1",
        params![shipment_id, status.as_str(), dispute_id, now],
    )?;
    if active_label(conn, order_id)?.is_none() {
        OrderWriter::within(conn, now).set_status(order_id, OrderStatus::AwaitingShipment)?;
    }
    Ok(())
}

impl ShipmentStore for Store {
    fn shipment(&self, id: i64) -> AppResult<Option<Shipment>> {
        self.read(|c| {
            Ok(c.query_row(
                &format!(
                    "SELECT {SHIPMENT_COLUMNS} FROM shipments s JOIN orders o ON o.id = s.order_id
                     WHERE s.id = ?1"
                ),
                [id],
                shipment_row,
            )
            .optional()?)
        })
    }

    fn shipment_by_tracking(&self, tracking_number: &str) -> AppResult<Option<Shipment>> {
        self.read(|c| {
            Ok(c.query_row(
                &format!(
                    "SELECT {SHIPMENT_COLUMNS} FROM shipments s JOIN orders o ON o.id = s.order_id
                     WHERE s.tracking_number = ?1"
                ),
                [tracking_number],
                shipment_row,
            )
            .optional()?)
        })
    }

    fn shipments(&self, q: &ShipmentQuery) -> AppResult<Vec<Shipment>> {
        let limit = q
            .limit
            .unwrap_or(DEFAULT_SHIPMENT_PAGE)
            .clamp(1, MAX_SHIPMENT_PAGE);
        let offset = q.offset.unwrap_or(0);
        // Each word is one more condition; LIKE's wildcards in a word are matched literally.
        let words: Vec<String> = q
            .search
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .take(MAX_SEARCH_WORDS)
            .map(|w| {
                let escaped = w
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                format!("%{escaped}%")
            })
            .collect();
        let mut sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments s JOIN orders o ON o.id = s.order_id
             WHERE (?1 IS NULL OR s.status = ?1)
               AND (?2 IS NULL OR s.order_id = ?2)
               AND (?3 IS NULL OR s.mailing_date = ?3)"
        );
        for i in 0..words.len() {
            let p = i + 6;
            sql.push_str(&format!(
                " AND (s.tracking_number LIKE ?{p} ESCAPE '\\' OR o.order_number LIKE ?{p} ESCAPE '\\'
                   OR coalesce(json_extract(s.ship_to_json, '$.name'), '') LIKE ?{p} ESCAPE '\\'
                   OR coalesce(json_extract(s.ship_to_json, '$.company'), '') LIKE ?{p} ESCAPE '\\'
                   OR coalesce(json_extract(s.ship_to_json, '$.city'), '') LIKE ?{p} ESCAPE '\\'
                   OR coalesce(json_extract(s.ship_to_json, '$.zip5'), '') LIKE ?{p} ESCAPE '\\')"
            ));
        }
        sql.push_str(" ORDER BY s.id DESC LIMIT ?4 OFFSET ?5");
        self.read(|c| {
            let mut stmt = c.prepare(&sql)?;
            let mut values: Vec<&dyn rusqlite::ToSql> = Vec::new();
            let status = q.status.map(|s| s.as_str());
            values.push(&status);
            values.push(&q.order_id);
            values.push(&q.mailing_date);
            values.push(&limit);
            values.push(&offset);
            for w in &words {
                values.push(w);
            }
            let rows = stmt.query_map(values.as_slice(), shipment_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn active_label(&self, order_id: i64) -> AppResult<Option<ActiveLabel>> {
        self.read(|c| active_label(c, order_id))
    }

    fn record_tracking(
        &self,
        shipment_id: i64,
        summary: Option<&str>,
        status: Option<ShipmentStatus>,
        now: &str,
    ) -> AppResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE shipments SET tracking_status = ?2, tracking_checked_at = ?3,
                     status = coalesce(?4, status), updated_at = ?3
                 WHERE id = ?1 AND status NOT IN ('voided','refund_requested')",
                params![shipment_id, summary, now, status.map(|s| s.as_str())],
            )?;
            Ok(())
        })
    }

    fn label_document(&self, shipment_id: i64) -> AppResult<Option<Option<LabelDocument>>> {
        let found: Option<(Option<Vec<u8>>, Option<String>)> = self.read(|c| {
            Ok(c.query_row(
                "SELECT label_bytes, label_content_type FROM shipments WHERE id = ?1",
                [shipment_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })?;
        Ok(found.map(|(bytes, content_type)| {
            bytes.map(|bytes| LabelDocument {
                bytes,
                content_type: content_type.unwrap_or_else(|| "application/pdf".into()),
            })
        }))
    }

    fn replace_label_document(
        &self,
        shipment_id: i64,
        document: &LabelDocument,
        now: &str,
    ) -> AppResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE shipments SET label_bytes = ?2, label_content_type = ?3, updated_at = ?4
                 WHERE id = ?1",
                params![shipment_id, document.bytes, document.content_type, now],
            )?;
            Ok(())
        })
    }
}
