//! [`VoidJournal`] over the `void_attempts` table, plus the `shipments` and `orders` rows a
//! finished void changes.
//!
//! Each step is its own IMMEDIATE transaction, committed under `synchronous=FULL` before the
//! method returns. The partial unique index `void_one_open_attempt` backs the rule that a label
//! has at most one open (`intent` or `sent`) void; every transition is an `UPDATE … WHERE id = ?
//! AND state = ? AND sends = ?` that must change exactly one row.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::journal::code_text;
use super::shipments::store_void_result;
use crate::error::{AppError, AppResult};
use crate::postage::{VoidAnswer, VoidResult};
use crate::shipping::{ShipmentStatus, VoidAttempt, VoidIntent, VoidJournal, VoidLease, VoidState};
use crate::store::Store;

/// How long a void's lease holds: longer than any one cancel request can take (the USPS client
/// gives up well before), short enough that a void whose owner hung is not stuck for long. An
/// owner whose process is gone loses its lease at once.
const VOID_LEASE_SECONDS: i64 = 300;

const VOID_COLUMNS: &str = "v.id, v.shipment_id, s.order_id, s.account_id, s.tracking_number, \
                            v.state, v.sends";

fn conversion(what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unknown void state {what:?}").into(),
    )
}

fn void_row(r: &Row<'_>) -> rusqlite::Result<VoidAttempt> {
    let state: String = r.get(5)?;
    Ok(VoidAttempt {
        id: r.get(0)?,
        shipment_id: r.get(1)?,
        order_id: r.get(2)?,
        account_id: r.get(3)?,
        tracking_number: r.get(4)?,
        state: VoidState::parse(&state).ok_or_else(|| conversion(&state))?,
        sends: r.get(6)?,
    })
}

fn void_by_id(conn: &Connection, void_id: i64) -> AppResult<Option<VoidAttempt>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {VOID_COLUMNS} FROM void_attempts v JOIN shipments s ON s.id = v.shipment_id
                 WHERE v.id = ?1"
            ),
            [void_id],
            void_row,
        )
        .optional()?)
}

/// An open void's lease as stored: its owner and until when (unix seconds).
struct LeaseRow {
    id: i64,
    owner: Option<String>,
    until: Option<i64>,
}

fn open_void_lease(conn: &Connection, shipment_id: i64) -> AppResult<Option<LeaseRow>> {
    Ok(conn
        .query_row(
            "SELECT id, lease_owner, lease_until FROM void_attempts
             WHERE shipment_id = ?1 AND state IN ('intent','sent')",
            [shipment_id],
            |r| {
                Ok(LeaseRow {
                    id: r.get(0)?,
                    owner: r.get(1)?,
                    until: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// The error for a transition that matched no row: another process changed the void since this
/// one read it (or took it over after its lease ran out).
fn changed_elsewhere(void_id: i64, step: &str) -> AppError {
    tracing::warn!(void_id, step, "void attempt changed by another process");
    AppError::conflict(
        "Another Shipdesk window or command changed this void just now, so this one stopped. \
         Look at the label again before voiding it.",
    )
}

fn one_row(changed: usize, void_id: i64, step: &str) -> AppResult<()> {
    if changed == 1 {
        Ok(())
    } else {
        Err(changed_elsewhere(void_id, step))
    }
}

/// Whether another live process holds the lease: not this store, not expired, and its owner's
/// process still running.
fn held_elsewhere(store: &Store, conn: &Connection, lease: &LeaseRow) -> AppResult<bool> {
    let (Some(owner), Some(until)) = (lease.owner.as_deref(), lease.until) else {
        return Ok(false);
    };
    if owner == store.owner.id() {
        return Ok(false);
    }
    let now: i64 = conn.query_row("SELECT unixepoch()", [], |r| r.get(0))?;
    Ok(until > now && store.owner.is_alive(owner))
}

/// Leases the open void to this store, compared against the lease as it was read.
fn take(store: &Store, conn: &Connection, lease: &LeaseRow) -> AppResult<VoidAttempt> {
    let changed = conn.execute(
        "UPDATE void_attempts SET lease_owner = ?2, lease_until = unixepoch() + ?3
         WHERE id = ?1 AND state IN ('intent','sent') AND lease_owner IS ?4",
        params![lease.id, store.owner.id(), VOID_LEASE_SECONDS, lease.owner],
    )?;
    one_row(changed, lease.id, "lease")?;
    void_by_id(conn, lease.id)?.ok_or_else(|| changed_elsewhere(lease.id, "lease"))
}

impl VoidJournal for Store {
    fn record_void_intent(&self, shipment_id: i64, now: &str) -> AppResult<VoidIntent> {
        self.write(|tx| {
            let status: Option<String> = tx
                .query_row(
                    "SELECT status FROM shipments WHERE id = ?1",
                    [shipment_id],
                    |r| r.get(0),
                )
                .optional()?;
            let status = status
                .as_deref()
                .and_then(ShipmentStatus::parse)
                .ok_or_else(|| {
                    AppError::not_found(format!("There is no shipment {shipment_id}"))
                })?;
            if let Some(lease) = open_void_lease(tx, shipment_id)? {
                if held_elsewhere(self, tx, &lease)? {
                    return Ok(VoidIntent::HeldElsewhere);
                }
                return Ok(VoidIntent::Resumed(take(self, tx, &lease)?));
            }
            if !status.is_active() {
                return Ok(VoidIntent::NotActive(status));
            }
            tx.execute(
                "INSERT INTO void_attempts (shipment_id, state, sends, lease_owner, lease_until,
                     created_at, updated_at)
                 VALUES (?1, 'intent', 0, ?2, unixepoch() + ?3, ?4, ?4)",
                params![shipment_id, self.owner.id(), VOID_LEASE_SECONDS, now],
            )?;
            let created = void_by_id(tx, tx.last_insert_rowid())?
                .ok_or_else(|| changed_elsewhere(0, "intent"))?;
            Ok(VoidIntent::Created(created))
        })
    }

    fn take_void_lease(&self, void_id: i64) -> AppResult<VoidLease> {
        self.write(|tx| {
            let lease = tx
                .query_row(
                    "SELECT id, lease_owner, lease_until FROM void_attempts
                     WHERE id = ?1 AND state IN ('intent','sent')",
                    [void_id],
                    |r| {
                        Ok(LeaseRow {
                            id: r.get(0)?,
                            owner: r.get(1)?,
                            until: r.get(2)?,
                        })
                    },
                )
                .optional()?;
            let Some(lease) = lease else {
                return Ok(VoidLease::Closed);
            };
            if held_elsewhere(self, tx, &lease)? {
                return Ok(VoidLease::HeldElsewhere);
            }
            Ok(VoidLease::Taken(take(self, tx, &lease)?))
        })
    }

    fn mark_void_sent(&self, attempt: &VoidAttempt, now: &str) -> AppResult<VoidAttempt> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE void_attempts SET state = 'sent', sends = sends + 1, sent_at = ?4,
                     updated_at = ?4, lease_until = unixepoch() + ?6
                 WHERE id = ?1 AND state = ?2 AND sends = ?3 AND lease_owner = ?5
                   AND state IN ('intent','sent')",
                params![
                    attempt.id,
                    attempt.state.as_str(),
                    attempt.sends,
                    now,
                    self.owner.id(),
                    VOID_LEASE_SECONDS
                ],
            )?;
            one_row(changed, attempt.id, "sent")?;
            Ok(VoidAttempt {
                state: VoidState::Sent,
                sends: attempt.sends + 1,
                ..attempt.clone()
            })
        })
    }

    fn note_void_error(&self, attempt: &VoidAttempt, error: &AppError, now: &str) -> AppResult<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE void_attempts SET last_error_code = ?4, last_error = ?5, updated_at = ?6,
                     lease_owner = NULL, lease_until = NULL
                 WHERE id = ?1 AND state = ?2 AND sends = ?3 AND lease_owner = ?7
                   AND state IN ('intent','sent')",
                params![
                    attempt.id,
                    attempt.state.as_str(),
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

    fn close_void_failed(
        &self,
        attempt: &VoidAttempt,
        error: &AppError,
        now: &str,
    ) -> AppResult<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE void_attempts SET state = 'failed', last_error_code = ?4, last_error = ?5,
                     updated_at = ?6, lease_owner = NULL, lease_until = NULL
                 WHERE id = ?1 AND state = ?2 AND sends = ?3 AND lease_owner = ?7
                   AND state IN ('intent','sent')",
                params![
                    attempt.id,
                    attempt.state.as_str(),
                    attempt.sends,
                    code_text(error),
                    error.message,
                    now,
                    self.owner.id()
                ],
            )?;
            one_row(changed, attempt.id, "failed")
        })
    }

    fn commit_void(&self, attempt: &VoidAttempt, answer: &VoidAnswer, now: &str) -> AppResult<()> {
        let (status, dispute_id) = match &answer.result {
            VoidResult::Canceled => (ShipmentStatus::Voided, None),
            VoidResult::RefundRequested { dispute_id } => {
                (ShipmentStatus::RefundRequested, dispute_id.as_deref())
            }
        };
        self.write(|tx| {
            // What the provider answered for this label is stored whoever holds the lease, as
            // long as nobody has sent the void again since this answer's request left.
            let changed = tx.execute(
                "UPDATE void_attempts SET state = 'done', result = ?4, dispute_id = ?5,
                     provider_status = ?6, last_error_code = NULL, last_error = NULL,
                     updated_at = ?7, lease_owner = NULL, lease_until = NULL
                 WHERE id = ?1 AND state = ?2 AND sends = ?3 AND state IN ('intent','sent')",
                params![
                    attempt.id,
                    attempt.state.as_str(),
                    attempt.sends,
                    status.as_str(),
                    dispute_id,
                    answer.provider_status,
                    now
                ],
            )?;
            one_row(changed, attempt.id, "done")?;
            store_void_result(
                tx,
                attempt.shipment_id,
                attempt.order_id,
                status,
                dispute_id,
                now,
            )
        })
    }

    fn open_voids(&self) -> AppResult<Vec<VoidAttempt>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {VOID_COLUMNS} FROM void_attempts v JOIN shipments s ON s.id = v.shipment_id
                 WHERE v.state IN ('intent','sent') ORDER BY v.id"
            ))?;
            let rows = stmt.query_map([], void_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::shipping::ShipmentStore;

    const ADDRESS: &str = r#"{"name":"Ada Park","street1":"12 Elm St","city":"Austin","state":"TX","zip5":"78701","country":"US"}"#;

    /// A store with a USPS account, one shipped order and one active label for it (the rows the
    /// purchase journal writes); returns the label's id.
    fn store_with_label(store: &Store) -> i64 {
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO usps_accounts (id, nickname, environment, mode, client_id,
                         state_json, created_at, updated_at)
                     VALUES (1, 'Shop', 'sandbox', 'own_app', 'c', '{\"state\":\"connected\"}',
                         't', 't')",
                    [],
                )?;
                tx.execute(
                    "INSERT INTO orders (id, order_number, source_kind, source_key, status,
                         ship_name, ship_street1, ship_city, ship_state, ship_zip5, ship_country,
                         created_at, updated_at)
                     VALUES (1, 'A-1', 'manual', 'A-1', 'shipped', 'Ada Park', '12 Elm St',
                         'Austin', 'TX', '78701', 'US', 't', 't')",
                    [],
                )?;
                tx.execute(
                    "INSERT INTO purchase_attempts (id, order_id, account_id, idempotency_key,
                         state, request_json, mail_class, package_json, address_choice,
                         ship_to_json, created_at, updated_at)
                     VALUES (1, 1, 1, 'k', 'committed', '{}', 'X', '{}', 'as_entered', ?1,
                         't', 't')",
                    [ADDRESS],
                )?;
                tx.execute(
                    "INSERT INTO shipments (id, attempt_id, order_id, account_id, tracking_number,
                         mail_class, service_name, postage, mailing_date, weight_oz, from_json,
                         ship_to_json, address_choice, metadata_json, sample, status, created_at,
                         updated_at)
                     VALUES (1, 1, 1, 1, '9400', 'X', 'X', '5.00', '2026-01-01', '8', ?1, ?1,
                         'as_entered', '{}', 0, 'label_created', 't', 't')",
                    [ADDRESS],
                )?;
                Ok(())
            })
            .unwrap();
        1
    }

    fn created(store: &Store, shipment_id: i64) -> VoidAttempt {
        match store.record_void_intent(shipment_id, "t1").unwrap() {
            VoidIntent::Created(a) => a,
            other => panic!("a new void expected: {other:?}"),
        }
    }

    fn canceled() -> VoidAnswer {
        VoidAnswer {
            result: VoidResult::Canceled,
            provider_status: "CANCELED".into(),
        }
    }

    fn state_of(store: &Store, void_id: i64) -> (String, i64) {
        store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT state, sends FROM void_attempts WHERE id = ?1",
                    [void_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap()
    }

    #[test]
    fn a_void_moves_intent_sent_done_and_settles_the_label_in_one_step() {
        let store = Store::open_in_memory().unwrap();
        let label = store_with_label(&store);
        let intent = created(&store, label);
        assert_eq!((intent.state, intent.sends), (VoidState::Intent, 0));
        assert!(store.shipment(label).unwrap().unwrap().void_pending);
        let sent = store.mark_void_sent(&intent, "t2").unwrap();
        assert_eq!((sent.state, sent.sends), (VoidState::Sent, 1));
        store.commit_void(&sent, &canceled(), "t3").unwrap();
        assert_eq!(state_of(&store, sent.id), ("done".into(), 1));
        let s = store.shipment(label).unwrap().unwrap();
        assert_eq!(s.status, ShipmentStatus::Voided);
        assert!(!s.void_pending);
        assert!(store.active_label(1).unwrap().is_none());
        assert!(store.open_voids().unwrap().is_empty());
        // The label no longer counts: nothing is journaled for it.
        assert_eq!(
            store.record_void_intent(label, "t4").unwrap(),
            VoidIntent::NotActive(ShipmentStatus::Voided)
        );
    }

    #[test]
    fn a_stale_copy_changes_nothing_and_says_so() {
        let store = Store::open_in_memory().unwrap();
        let label = store_with_label(&store);
        let intent = created(&store, label);
        let sent = store.mark_void_sent(&intent, "t2").unwrap();
        // The copy read before "sent" was committed can neither send, close nor note.
        let again = store.mark_void_sent(&intent, "t3").unwrap_err();
        assert_eq!(again.code, ErrorCode::Conflict);
        let why = AppError::conflict("x");
        assert_eq!(
            store
                .close_void_failed(&intent, &why, "t3")
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );
        assert_eq!(
            store.note_void_error(&intent, &why, "t3").unwrap_err().code,
            ErrorCode::Conflict
        );
        assert_eq!(
            store
                .commit_void(&intent, &canceled(), "t3")
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );
        assert_eq!(state_of(&store, sent.id), ("sent".into(), 1));
        // Committing twice: the second matches nothing, and nothing is written twice.
        store.commit_void(&sent, &canceled(), "t4").unwrap();
        assert_eq!(
            store
                .commit_void(&sent, &canceled(), "t5")
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );
    }

    #[test]
    fn a_failed_result_write_leaves_the_void_open_and_the_label_untouched() {
        let store = Store::open_in_memory().unwrap();
        let label = store_with_label(&store);
        let sent = store.mark_void_sent(&created(&store, label), "t2").unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "CREATE TRIGGER refuse BEFORE UPDATE OF status ON shipments
                     BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
                )?;
                Ok(())
            })
            .unwrap();
        assert!(store.commit_void(&sent, &canceled(), "t3").is_err());
        // One transaction: the attempt did not close without the label.
        assert_eq!(state_of(&store, sent.id), ("sent".into(), 1));
        let s = store.shipment(label).unwrap().unwrap();
        assert_eq!(s.status, ShipmentStatus::LabelCreated);
        assert!(s.void_pending);
        // The next void of the label finishes this one instead of starting another.
        store
            .note_void_error(&sent, &AppError::conflict("x"), "t3")
            .unwrap();
        match store.record_void_intent(label, "t4").unwrap() {
            VoidIntent::Resumed(a) => assert_eq!((a.id, a.sends), (sent.id, 1)),
            other => panic!("the open void expected: {other:?}"),
        }
    }

    #[test]
    fn a_label_has_one_open_void_and_a_live_owner_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shipdesk.sqlite3");
        let first = Store::open_file(&path).unwrap();
        let label = store_with_label(&first);
        let mine = created(&first, label);
        // A second process (its own store) finds the void leased by a live owner.
        let second = Store::open_file(&path).unwrap();
        assert_eq!(
            second.record_void_intent(label, "t2").unwrap(),
            VoidIntent::HeldElsewhere
        );
        assert_eq!(
            second.take_void_lease(mine.id).unwrap(),
            VoidLease::HeldElsewhere
        );
        // The owner is gone (its process ended): the void is free to finish.
        drop(first);
        match second.take_void_lease(mine.id).unwrap() {
            VoidLease::Taken(a) => assert_eq!(a.id, mine.id),
            other => panic!("the lease expected: {other:?}"),
        }
        let taken = match second.record_void_intent(label, "t3").unwrap() {
            VoidIntent::Resumed(a) => a,
            other => panic!("{other:?}"),
        };
        second
            .close_void_failed(&taken, &AppError::conflict("x"), "t4")
            .unwrap();
        assert_eq!(second.take_void_lease(mine.id).unwrap(), VoidLease::Closed);
        assert!(second.open_voids().unwrap().is_empty());
    }
}
