//! [`PurchaseJournal`] over the `purchase_attempts` table, plus the `shipments` rows the journal
//! writes when it stores a label.
//!
//! Each step is its own IMMEDIATE transaction, committed under `synchronous=FULL` before the
//! method returns. The partial unique index `purchase_one_open_attempt` backs the rule that an
//! order has at most one open (`intent` or `sent`) attempt, and `shipments.attempt_id UNIQUE`
//! the rule that an attempt stores at most one label.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::orders::OrderWriter;
use super::shipments::active_label;
use crate::error::{AppError, AppResult};
use crate::orders::{OrderStatus, OrderTransaction};
use crate::shipping::{Attempt, CommittedLabel, Intent, NewAttempt, PurchaseJournal};
use crate::store::Store;

const ATTEMPT_COLUMNS: &str = "id, order_id, account_id, idempotency_key, request_json, \
                               ship_from_id, package_json, address_choice, ship_to_json, sends";

fn json_err(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

fn attempt_row(r: &Row<'_>) -> rusqlite::Result<Attempt> {
    Ok(Attempt {
        id: r.get(0)?,
        order_id: r.get(1)?,
        account_id: r.get(2)?,
        key: r.get(3)?,
        payload: serde_json::from_str(&r.get::<_, String>(4)?).map_err(json_err)?,
        ship_from_id: r.get(5)?,
        package: serde_json::from_str(&r.get::<_, String>(6)?).map_err(json_err)?,
        address_choice: r.get(7)?,
        ship_to: serde_json::from_str(&r.get::<_, String>(8)?).map_err(json_err)?,
        sends: r.get(9)?,
    })
}

fn open_attempt(conn: &Connection, order_id: i64) -> AppResult<Option<Attempt>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {ATTEMPT_COLUMNS} FROM purchase_attempts
                 WHERE order_id = ?1 AND state IN ('intent','sent')"
            ),
            [order_id],
            attempt_row,
        )
        .optional()?)
}

fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value)
        .map_err(|e| AppError::internal("Could not record the purchase", &e))
}

/// The error code as the UI knows it (`USPS_REJECTED`), for `last_error_code`.
fn code_text(error: &AppError) -> String {
    serde_json::to_value(error.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl PurchaseJournal for Store {
    fn record_intent(&self, new: &NewAttempt<'_>, now: &str) -> AppResult<Intent> {
        self.write(|tx| {
            if let Some(open) = open_attempt(tx, new.order_id)? {
                return Ok(Intent::Existing(open));
            }
            if !new.additional_label
                && let Some(label) = active_label(tx, new.order_id)?
            {
                return Ok(Intent::AlreadyLabelled(label));
            }
            tx.execute(
                "INSERT INTO purchase_attempts (order_id, account_id, idempotency_key, state,
                     request_json, mail_class, ship_from_id, package_json, address_choice,
                     ship_to_json, additional_label, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'intent', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
                params![
                    new.order_id,
                    new.account_id,
                    new.key,
                    to_json(new.payload)?,
                    new.mail_class,
                    new.ship_from_id,
                    to_json(new.package)?,
                    new.address_choice,
                    to_json(new.ship_to)?,
                    new.additional_label,
                    now
                ],
            )?;
            let id = tx.last_insert_rowid();
            let created = tx.query_row(
                &format!("SELECT {ATTEMPT_COLUMNS} FROM purchase_attempts WHERE id = ?1"),
                [id],
                attempt_row,
            )?;
            Ok(Intent::Created(created))
        })
    }

    fn mark_sent(&self, attempt_id: i64, sends: i64, now: &str) -> AppResult<bool> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE purchase_attempts SET state = 'sent', sends = sends + 1, updated_at = ?3
                 WHERE id = ?1 AND state IN ('intent','sent') AND sends = ?2",
                params![attempt_id, sends, now],
            )?;
            Ok(changed == 1)
        })
    }

    fn close_unsent(&self, attempt_id: i64, reason: &AppError, now: &str) -> AppResult<bool> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE purchase_attempts SET state = 'failed', last_error_code = ?2,
                     last_error = ?3, updated_at = ?4
                 WHERE id = ?1 AND state = 'intent' AND sends = 0",
                params![attempt_id, code_text(reason), reason.message, now],
            )?;
            Ok(changed == 1)
        })
    }

    fn note_open_error(&self, attempt_id: i64, error: &AppError, now: &str) -> AppResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE purchase_attempts SET last_error_code = ?2, last_error = ?3, updated_at = ?4
                 WHERE id = ?1",
                params![attempt_id, code_text(error), error.message, now],
            )?;
            Ok(())
        })
    }

    fn mark_failed(&self, attempt_id: i64, error: &AppError, now: &str) -> AppResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE purchase_attempts SET state = 'failed', last_error_code = ?2,
                     last_error = ?3, failure_details = ?4, updated_at = ?5
                 WHERE id = ?1 AND state IN ('intent','sent')",
                params![
                    attempt_id,
                    code_text(error),
                    error.message,
                    error
                        .details
                        .as_ref()
                        .and_then(|d| serde_json::to_string(d).ok()),
                    now
                ],
            )?;
            Ok(())
        })
    }

    fn commit_label(
        &self,
        attempt: &Attempt,
        committed: &CommittedLabel,
        now: &str,
    ) -> AppResult<i64> {
        let label = &committed.label;
        self.write(|tx| {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM shipments WHERE attempt_id = ?1",
                    [attempt.id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = existing {
                return Ok(id);
            }
            tx.execute(
                "INSERT INTO shipments (attempt_id, order_id, account_id, tracking_number,
                     mail_class, service_name, rate_indicator, postage, zone, commitment,
                     mailing_date, weight_oz, ship_from_id, from_json, ship_to_json,
                     address_choice, label_bytes, label_content_type, metadata_json, sample,
                     status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                     ?17, ?18, ?19, ?20, 'label_created', ?21, ?21)",
                params![
                    attempt.id,
                    attempt.order_id,
                    attempt.account_id,
                    label.tracking_number,
                    label.mail_class,
                    label.service_name,
                    label.rate_indicator,
                    label.postage.to_string(),
                    label.zone,
                    label.commitment,
                    label.mailing_date,
                    attempt.package.weight_oz.to_string(),
                    attempt.ship_from_id,
                    serde_json::to_string(&committed.ship_from).unwrap_or_default(),
                    serde_json::to_string(&attempt.ship_to).unwrap_or_default(),
                    attempt.address_choice,
                    label.label_bytes,
                    label.label_content_type,
                    label.metadata_json,
                    label.sample,
                    now
                ],
            )?;
            let shipment_id = tx.last_insert_rowid();
            tx.execute(
                "UPDATE purchase_attempts SET state = 'committed', last_error_code = NULL,
                     last_error = NULL, updated_at = ?2 WHERE id = ?1",
                params![attempt.id, now],
            )?;
            OrderWriter::within(tx, now).set_status(attempt.order_id, OrderStatus::Shipped)?;
            Ok(shipment_id)
        })
    }

    fn unfinished(&self) -> AppResult<Vec<Attempt>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {ATTEMPT_COLUMNS} FROM purchase_attempts
                 WHERE state IN ('intent','sent') ORDER BY id"
            ))?;
            let rows = stmt.query_map([], attempt_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn open_attempt(&self, order_id: i64) -> AppResult<Option<Attempt>> {
        self.read(|c| open_attempt(c, order_id))
    }

    fn mark_printed(&self, shipment_ids: &[i64], now: &str) -> AppResult<()> {
        self.write(|tx| {
            for id in shipment_ids {
                tx.execute(
                    "UPDATE shipments SET printed_at = coalesce(printed_at, ?2), updated_at = ?2
                     WHERE id = ?1",
                    params![id, now],
                )?;
                tx.execute(
                    "UPDATE purchase_attempts SET state = 'printed', updated_at = ?2
                     WHERE state = 'committed'
                       AND id = (SELECT attempt_id FROM shipments WHERE id = ?1)",
                    params![id, now],
                )?;
            }
            Ok(())
        })
    }
}
