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
use crate::shipping::{
    Attempt, CommittedLabel, Intent, Lease, NewAttempt, PurchaseJournal, PurchaseToCheck,
};
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
pub(super) fn code_text(error: &AppError) -> String {
    serde_json::to_value(error.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// How long a lease holds without its owner renewing it: longer than any one send can take
/// (the USPS client gives up on a request well before), short enough that a purchase whose
/// owner hung is not stuck for long. An owner whose process is gone loses its lease at once.
const LEASE_SECONDS: i64 = 300;

/// The error for a transition that matched no row: another process changed the attempt since
/// this one read it.
fn changed_elsewhere(attempt_id: i64, step: &str) -> AppError {
    tracing::warn!(
        attempt_id,
        step,
        "purchase attempt changed by another process"
    );
    AppError::conflict(
        "Another Shipdesk window or command changed this purchase just now, so this one stopped. \
         Look at the order (and Shipments › Purchases to check) before buying again.",
    )
}

fn one_row(changed: usize, attempt_id: i64, step: &str) -> AppResult<()> {
    if changed == 1 {
        Ok(())
    } else {
        Err(changed_elsewhere(attempt_id, step))
    }
}

fn attempt_by_id(conn: &Connection, attempt_id: i64) -> AppResult<Option<Attempt>> {
    Ok(conn
        .query_row(
            &format!("SELECT {ATTEMPT_COLUMNS} FROM purchase_attempts WHERE id = ?1"),
            [attempt_id],
            attempt_row,
        )
        .optional()?)
}

impl Store {
    /// Whether `owner`, holding a lease until `until` (unix seconds), still owns it.
    fn lease_is_live(&self, conn: &Connection, owner: Option<&str>, until: Option<i64>) -> bool {
        let (Some(owner), Some(until)) = (owner, until) else {
            return false;
        };
        if owner == self.owner.id() {
            return true;
        }
        let now: i64 = conn
            .query_row("SELECT unixepoch()", [], |r| r.get(0))
            .unwrap_or(i64::MAX);
        until > now && self.owner.is_alive(owner)
    }
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
                     ship_to_json, additional_label, created_at, updated_at, lease_owner,
                     lease_until)
                 VALUES (?1, ?2, ?3, 'intent', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12,
                     unixepoch() + ?13)",
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
                    now,
                    self.owner.id(),
                    LEASE_SECONDS,
                ],
            )?;
            let created = attempt_by_id(tx, tx.last_insert_rowid())?
                .ok_or_else(|| changed_elsewhere(0, "intent"))?;
            Ok(Intent::Created(created))
        })
    }

    fn take_lease(&self, attempt_id: i64) -> AppResult<Lease> {
        self.write(|tx| {
            let row: Option<(String, Option<String>, Option<i64>)> = tx
                .query_row(
                    "SELECT state, lease_owner, lease_until FROM purchase_attempts WHERE id = ?1",
                    [attempt_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((state, owner, until)) = row else {
                return Ok(Lease::Closed);
            };
            if state != "intent" && state != "sent" {
                return Ok(Lease::Closed);
            }
            if owner.as_deref() != Some(self.owner.id())
                && self.lease_is_live(tx, owner.as_deref(), until)
            {
                return Ok(Lease::HeldElsewhere);
            }
            let changed = tx.execute(
                "UPDATE purchase_attempts SET lease_owner = ?2, lease_until = unixepoch() + ?3
                 WHERE id = ?1 AND lease_owner IS ?4",
                params![attempt_id, self.owner.id(), LEASE_SECONDS, owner],
            )?;
            one_row(changed, attempt_id, "lease")?;
            let attempt = attempt_by_id(tx, attempt_id)?
                .ok_or_else(|| changed_elsewhere(attempt_id, "lease"))?;
            Ok(Lease::Taken(Box::new(attempt)))
        })
    }

    fn release_lease(&self, attempt_id: i64) -> AppResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE purchase_attempts SET lease_owner = NULL, lease_until = NULL
                 WHERE id = ?1 AND lease_owner = ?2",
                params![attempt_id, self.owner.id()],
            )?;
            Ok(())
        })
    }

    fn mark_sent(&self, attempt: &Attempt, now: &str) -> AppResult<Attempt> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE purchase_attempts SET state = 'sent', sends = sends + 1, sent_at = ?3,
                     updated_at = ?3, lease_until = unixepoch() + ?5
                 WHERE id = ?1 AND state IN ('intent','sent') AND sends = ?2 AND lease_owner = ?4",
                params![
                    attempt.id,
                    attempt.sends,
                    now,
                    self.owner.id(),
                    LEASE_SECONDS
                ],
            )?;
            one_row(changed, attempt.id, "sent")?;
            Ok(Attempt {
                sends: attempt.sends + 1,
                ..attempt.clone()
            })
        })
    }

    fn note_open_error(&self, attempt: &Attempt, error: &AppError, now: &str) -> AppResult<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE purchase_attempts SET last_error_code = ?3, last_error = ?4, updated_at = ?5
                 WHERE id = ?1 AND state IN ('intent','sent') AND sends = ?2 AND lease_owner = ?6",
                params![
                    attempt.id,
                    attempt.sends,
                    code_text(error),
                    error.message,
                    now,
                    self.owner.id()
                ],
            )?;
            one_row(changed, attempt.id, "open error")
        })
    }

    fn close_failed(&self, attempt: &Attempt, error: &AppError, now: &str) -> AppResult<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE purchase_attempts SET state = 'failed', last_error_code = ?3,
                     last_error = ?4, failure_details = ?5, updated_at = ?6,
                     lease_owner = NULL, lease_until = NULL
                 WHERE id = ?1 AND state IN ('intent','sent') AND sends = ?2 AND lease_owner = ?7",
                params![
                    attempt.id,
                    attempt.sends,
                    code_text(error),
                    error.message,
                    error
                        .details
                        .as_ref()
                        .and_then(|d| serde_json::to_string(d).ok()),
                    now,
                    self.owner.id()
                ],
            )?;
            one_row(changed, attempt.id, "failed")
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
            let changed = tx.execute(
                "UPDATE purchase_attempts SET state = 'committed', last_error_code = NULL,
                     last_error = NULL, updated_at = ?2, lease_owner = NULL, lease_until = NULL
                 WHERE id = ?1 AND state IN ('intent','sent')",
                params![attempt.id, now],
            )?;
            if changed != 1 {
                tracing::error!(
                    attempt_id = attempt.id,
                    tracking_number = %label.tracking_number,
                    "a label arrived for a purchase that was closed meanwhile"
                );
                return Err(AppError::conflict(format!(
                    "USPS answered with label {} for a purchase that another Shipdesk window or \
                     command closed meanwhile (discarded: its label is cancelled). It was not \
                     stored; look at the order before buying again.",
                    label.tracking_number
                )));
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

    fn attempt(&self, attempt_id: i64) -> AppResult<Option<Attempt>> {
        self.read(|c| attempt_by_id(c, attempt_id))
    }

    fn open_attempt(&self, order_id: i64) -> AppResult<Option<Attempt>> {
        self.read(|c| open_attempt(c, order_id))
    }

    fn purchases_to_check(&self) -> AppResult<Vec<PurchaseToCheck>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT p.id, p.order_id, o.order_number, p.account_id,
                        coalesce(a.nickname, 'Account ' || p.account_id), p.mail_class, p.sends,
                        p.created_at, p.sent_at, p.last_error_code, p.last_error,
                        p.lease_owner, p.lease_until
                 FROM purchase_attempts p
                 JOIN orders o ON o.id = p.order_id
                 LEFT JOIN usps_accounts a ON a.id = p.account_id
                 WHERE p.state IN ('intent','sent') ORDER BY p.id",
            )?;
            let rows = stmt.query_map([], |r| {
                let owner: Option<String> = r.get(11)?;
                let until: Option<i64> = r.get(12)?;
                Ok((
                    PurchaseToCheck {
                        attempt_id: r.get(0)?,
                        order_id: r.get(1)?,
                        order_number: r.get(2)?,
                        account_id: r.get(3)?,
                        account_name: r.get(4)?,
                        mail_class: r.get(5)?,
                        sends: r.get(6)?,
                        created_at: r.get(7)?,
                        sent_at: r.get(8)?,
                        last_error_code: r.get(9)?,
                        last_error: r.get(10)?,
                        in_progress: false,
                    },
                    owner,
                    until,
                ))
            })?;
            let mut list = Vec::new();
            for row in rows {
                let (mut item, owner, until) = row?;
                item.in_progress = owner.as_deref() != Some(self.owner.id())
                    && self.lease_is_live(c, owner.as_deref(), until);
                list.push(item);
            }
            Ok(list)
        })
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
