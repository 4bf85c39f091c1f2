//! The purchase journal's rows: `intent` → `sent` → `committed` → `printed`, or `failed` when
//! USPS refused. Each step is its own committed IMMEDIATE transaction (`synchronous=FULL`), so
//! after a crash the row says exactly how far the attempt got. The rules the rows serve are in
//! docs/connection.md#purchase-journal.

use rusqlite::{Connection, OptionalExtension, Row, params};
use super::model::Package;
use crate::error::{AppError, AppResult, ErrorDetails};
use crate::orders::{Address, OrderStatus};
use crate::postage::{BoughtLabel, LabelPayload};
use crate::store::{OrderWriter, Store};

#[derive(Debug, Clone)]
pub(crate) struct Attempt {
    pub id: i64,
    pub order_id: i64,
    pub account_id: i64,
    pub key: String,
    /// The provider's request, exactly as first prepared.
    pub payload: LabelPayload,
    pub ship_from_id: Option<i64>,
    pub package: Package,
    pub address_choice: String,
    pub ship_to: Address,
    /// How many times the request went out; 0 means USPS never saw this attempt.
    pub sends: i64,
}

pub(crate) struct NewAttempt<'a> {
    pub order_id: i64,
    pub account_id: i64,
    pub key: &'a str,
    pub payload: &'a LabelPayload,
    pub mail_class: &'a str,
    pub ship_from_id: Option<i64>,
    pub package: &'a Package,
    pub address_choice: &'a str,
    pub ship_to: &'a Address,
    pub additional_label: bool,
}

/// A label the provider sold, ready to be stored with the address it ships from.
pub(crate) struct CommittedLabel {
    pub label: BoughtLabel,
    pub ship_from: Address,
}

pub(crate) enum Intent {
    Created(Attempt),
    /// An earlier attempt for the order is still open: it must be finished, not duplicated.
    Existing(Attempt),
}

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

/// The order's unfinished attempt, if any.
pub(crate) fn open_attempt_for(store: &Store, order_id: i64) -> AppResult<Option<Attempt>> {
    store.read(|c| open_attempt(c, order_id))
}

/// The order's label that still counts (not voided or refunded), if any.
pub(crate) fn active_label(conn: &Connection, order_id: i64) -> AppResult<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, tracking_number FROM shipments
             WHERE order_id = ?1 AND status NOT IN ('voided','refund_requested')
             ORDER BY id LIMIT 1",
            [order_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Writes the intent, unless the order has an open attempt (returned instead) or already a
/// label and no second one was asked for. Check and insert share one IMMEDIATE transaction,
/// so two processes cannot both pass the check.
pub(crate) fn record_intent(store: &Store, new: &NewAttempt<'_>, now: &str) -> AppResult<Intent> {
    store.write(|tx| {
        if let Some(open) = open_attempt(tx, new.order_id)? {
            return Ok(Intent::Existing(open));
        }
        if !new.additional_label
            && let Some((shipment_id, tracking)) = active_label(tx, new.order_id)?
        {
            return Err(AppError::conflict(format!(
                "This order already has label {tracking}. Void it first, or ask for an \
                 additional label."
            ))
            .with_details(ErrorDetails::AlreadyShipped {
                order_id: new.order_id,
                shipment_id: Some(shipment_id),
                tracking_number: Some(tracking),
            }));
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

fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value)
        .map_err(|e| AppError::internal("Could not record the purchase", &e))
}

/// The request may leave now: from here on its outcome is unknown until an answer is stored.
pub(crate) fn mark_sent(store: &Store, id: i64, now: &str) -> AppResult<()> {
    store.write(|tx| {
        tx.execute(
            "UPDATE purchase_attempts SET state = 'sent', sends = sends + 1, updated_at = ?2
             WHERE id = ?1 AND state IN ('intent','sent')",
            params![id, now],
        )?;
        Ok(())
    })
}

/// The attempt stays open (to be re-sent with its key); remember why it is not finished.
pub(crate) fn note_open_error(
    store: &Store,
    id: i64,
    error: &AppError,
    now: &str,
) -> AppResult<()> {
    store.write(|tx| {
        tx.execute(
            "UPDATE purchase_attempts SET last_error_code = ?2, last_error = ?3, updated_at = ?4
             WHERE id = ?1",
            params![id, code_text(error), error.message, now],
        )?;
        Ok(())
    })
}

fn code_text(error: &AppError) -> String {
    serde_json::to_value(error.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// USPS refused the request: nothing was charged, the attempt is closed.
pub(crate) fn mark_failed(store: &Store, id: i64, error: &AppError, now: &str) -> AppResult<()> {
    store.write(|tx| {
        tx.execute(
            "UPDATE purchase_attempts SET state = 'failed', last_error_code = ?2, last_error = ?3,
                 failure_details = ?4, updated_at = ?5
             WHERE id = ?1 AND state IN ('intent','sent')",
            params![
                id,
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

/// Stores the label, closes the attempt and marks the order shipped — one transaction.
/// Returns the shipment id (the existing one if another process stored this attempt first).
pub(crate) fn commit_label(
    store: &Store,
    attempt: &Attempt,
    committed: &CommittedLabel,
    now: &str,
) -> AppResult<i64> {
    let label = &committed.label;
    store.write(|tx| {
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
            "INSERT INTO shipments (attempt_id, order_id, account_id, tracking_number, mail_class,
                 service_name, rate_indicator, postage, zone, commitment, mailing_date, weight_oz,
                 ship_from_id, from_json, ship_to_json, address_choice, label_bytes,
                 label_content_type, metadata_json, sample, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, 'label_created', ?21, ?21)",
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

/// Every attempt a previous run (or an earlier failure) left open, oldest first.
pub(crate) fn unfinished(store: &Store) -> AppResult<Vec<Attempt>> {
    store.read(|c| {
        let mut stmt = c.prepare(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM purchase_attempts
             WHERE state IN ('intent','sent') ORDER BY id"
        ))?;
        let rows = stmt.query_map([], attempt_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    })
}

/// Marks labels printed (journal state `printed`, shipment `printed_at`).
pub(crate) fn mark_printed(store: &Store, shipment_ids: &[i64], now: &str) -> AppResult<()> {
    store.write(|tx| {
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
