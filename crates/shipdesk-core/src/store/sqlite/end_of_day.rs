//! [`EndOfDayStore`] over the `scan_forms` table (with `shipments.scan_form_id`, which puts a
//! label on a form) and the `pickups` table.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::AppResult;
use crate::shipping::{
    EndOfDayStore, NewPickup, NewScanForm, PICKUP_HISTORY, Pickup, PickupStatus, SCAN_FORM_HISTORY,
    ScanFormRecord,
};
use crate::store::Store;

const PICKUP_COLUMNS: &str = "id, account_id, ship_from_id, confirmation_number, pickup_date, \
    package_count, estimated_weight_lb, package_location, status, created_at";

fn pickup_row(r: &Row<'_>) -> rusqlite::Result<Pickup> {
    let status: String = r.get(8)?;
    Ok(Pickup {
        id: r.get(0)?,
        account_id: r.get(1)?,
        ship_from_id: r.get(2)?,
        confirmation_number: r.get(3)?,
        pickup_date: r.get(4)?,
        package_count: r.get(5)?,
        estimated_weight_lb: r.get::<_, String>(6)?.parse().unwrap_or_default(),
        package_location: r.get(7)?,
        status: if status == "canceled" {
            PickupStatus::Canceled
        } else {
            PickupStatus::Scheduled
        },
        created_at: r.get(9)?,
    })
}

fn scan_form(conn: &Connection, id: i64) -> AppResult<Option<ScanFormRecord>> {
    let row = conn
        .query_row(
            "SELECT id, account_id, ship_from_id, manifest_number, mailing_date, label_count,
                    created_at
             FROM scan_forms WHERE id = ?1",
            [id],
            |r| {
                Ok(ScanFormRecord {
                    id: r.get(0)?,
                    account_id: r.get(1)?,
                    ship_from_id: r.get(2)?,
                    manifest_number: r.get(3)?,
                    mailing_date: r.get(4)?,
                    label_count: r.get(5)?,
                    tracking_numbers: Vec::new(),
                    created_at: r.get(6)?,
                })
            },
        )
        .optional()?;
    let Some(mut record) = row else {
        return Ok(None);
    };
    let mut stmt =
        conn.prepare("SELECT tracking_number FROM shipments WHERE scan_form_id = ?1 ORDER BY id")?;
    record.tracking_numbers = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(Some(record))
}

impl EndOfDayStore for Store {
    fn add_scan_form(&self, form: &NewScanForm<'_>, now: &str) -> AppResult<i64> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO scan_forms (account_id, ship_from_id, manifest_number, mailing_date,
                     label_count, pdf, rendered_locally, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    form.account_id,
                    form.ship_from_id,
                    form.manifest_number,
                    form.mailing_date,
                    form.shipment_ids.len() as i64,
                    form.pdf,
                    form.rendered_locally,
                    now
                ],
            )?;
            let id = tx.last_insert_rowid();
            for shipment_id in form.shipment_ids {
                tx.execute(
                    "UPDATE shipments SET scan_form_id = ?2, updated_at = ?3 WHERE id = ?1",
                    params![shipment_id, id, now],
                )?;
            }
            Ok(id)
        })
    }

    fn scan_form(&self, id: i64) -> AppResult<Option<ScanFormRecord>> {
        self.read(|c| scan_form(c, id))
    }

    fn scan_forms(&self) -> AppResult<Vec<ScanFormRecord>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT id FROM scan_forms ORDER BY id DESC LIMIT ?1")?;
            let ids = stmt
                .query_map([SCAN_FORM_HISTORY], |r| r.get(0))?
                .collect::<Result<Vec<i64>, _>>()?;
            let mut forms = Vec::with_capacity(ids.len());
            for id in ids {
                forms.extend(scan_form(c, id)?);
            }
            Ok(forms)
        })
    }

    fn scan_form_pdf(&self, id: i64) -> AppResult<Option<Vec<u8>>> {
        self.read(|c| {
            Ok(
                c.query_row("SELECT pdf FROM scan_forms WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?,
            )
        })
    }

    fn add_pickup(&self, pickup: &NewPickup<'_>, now: &str) -> AppResult<i64> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO pickups (account_id, ship_from_id, confirmation_number, pickup_date,
                     etag, package_count, estimated_weight_lb, package_location, status,
                     created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'scheduled', ?9, ?9)",
                params![
                    pickup.account_id,
                    pickup.ship_from_id,
                    pickup.confirmation_number,
                    pickup.pickup_date,
                    pickup.etag,
                    pickup.package_count,
                    pickup.estimated_weight_lb.to_string(),
                    pickup.package_location,
                    now
                ],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    fn pickup(&self, id: i64) -> AppResult<Option<Pickup>> {
        self.read(|c| {
            Ok(c.query_row(
                &format!("SELECT {PICKUP_COLUMNS} FROM pickups WHERE id = ?1"),
                [id],
                pickup_row,
            )
            .optional()?)
        })
    }

    fn pickups(&self) -> AppResult<Vec<Pickup>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {PICKUP_COLUMNS} FROM pickups ORDER BY id DESC LIMIT ?1"
            ))?;
            let rows = stmt.query_map([PICKUP_HISTORY], pickup_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn pickup_etag(&self, id: i64) -> AppResult<Option<String>> {
        self.read(|c| {
            Ok(
                c.query_row("SELECT etag FROM pickups WHERE id = ?1", [id], |r| r.get(0))
                    .optional()?
                    .flatten(),
            )
        })
    }

    fn mark_pickup_canceled(&self, id: i64, now: &str) -> AppResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE pickups SET status = 'canceled', updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            Ok(())
        })
    }
}
