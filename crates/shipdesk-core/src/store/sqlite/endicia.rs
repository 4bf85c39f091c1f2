//! [`RecreditJournal`] over the `endicia_recredits` table, and [`EndiciaPayers`]: the
//! `usps_accounts` rows of Endicia accounts that pay for labels and `endicia_label_sends`.
//!
//! Each journal step is its own IMMEDIATE transaction; the partial unique index `endicia_one_open_recredit` backs "one open purchase
//! per account", across processes too, and every transition must change exactly one open row.

use std::str::FromStr;

use rusqlite::{OptionalExtension, Row, params};
use rust_decimal::Decimal;

use super::accounts::environment_column;
use crate::carriers::endicia::{
    EndiciaPayers, LabelSend, PayerRow, Recredit, RecreditEnd, RecreditJournal, RecreditState,
};
use crate::environment::Environment;
use crate::error::{AppError, AppResult};
use crate::postage::AccountId;
use crate::store::Store;

const COLUMNS: &str = "id, account_number, amount, request_id, state, funded_before, \
                       balance_after, transaction_id, message, created_at, sent_at";

fn bad(what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unreadable postage purchase value {what:?}").into(),
    )
}

fn amount(text: String) -> rusqlite::Result<Decimal> {
    Decimal::from_str(&text).map_err(|_| bad(&text))
}

fn recredit_row(r: &Row<'_>) -> rusqlite::Result<Recredit> {
    let state: String = r.get(4)?;
    Ok(Recredit {
        id: r.get(0)?,
        account_number: r.get(1)?,
        amount: amount(r.get(2)?)?,
        request_id: r.get(3)?,
        state: RecreditState::parse(&state).ok_or_else(|| bad(&state))?,
        funded_before: amount(r.get(5)?)?,
        balance_after: r.get::<_, Option<String>>(6)?.map(amount).transpose()?,
        transaction_id: r.get(7)?,
        message: r.get(8)?,
        created_at: r.get(9)?,
        sent_at: r.get(10)?,
    })
}

fn by_id(conn: &rusqlite::Connection, id: i64) -> AppResult<Recredit> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM endicia_recredits WHERE id = ?1"),
        [id],
        recredit_row,
    )
    .optional()?
    .ok_or_else(|| AppError::not_found(format!("No postage purchase #{id}")))
}

fn settled_meanwhile() -> AppError {
    AppError::conflict(
        "This postage purchase was settled meanwhile (in another window or process). Nothing \
         more was bought.",
    )
}

impl RecreditJournal for Store {
    fn record_recredit(
        &self,
        account_number: &str,
        amount: Decimal,
        request_id: &str,
        funded_before: Decimal,
        now: &str,
    ) -> AppResult<Recredit> {
        self.write(|tx| {
            let open: Option<String> = tx
                .query_row(
                    "SELECT amount FROM endicia_recredits
                     WHERE account_number = ?1 AND state IN ('intent','sent')",
                    [account_number],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(open) = open {
                return Err(AppError::conflict(format!(
                    "A postage purchase of ${open} for account {account_number} is not settled \
                     yet. Check it first: Shipdesk never buys twice for one click."
                )));
            }
            tx.execute(
                "INSERT INTO endicia_recredits
                   (account_number, amount, request_id, state, funded_before, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'intent', ?4, ?5, ?5)",
                params![
                    account_number,
                    amount.to_string(),
                    request_id,
                    funded_before.to_string(),
                    now
                ],
            )?;
            by_id(tx, tx.last_insert_rowid())
        })
    }

    fn mark_recredit_sent(&self, id: i64, now: &str) -> AppResult<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE endicia_recredits SET state = 'sent', sent_at = ?2, updated_at = ?2
                 WHERE id = ?1 AND state = 'intent'",
                params![id, now],
            )?;
            if changed == 1 {
                Ok(())
            } else {
                Err(settled_meanwhile())
            }
        })
    }

    fn settle_recredit(&self, id: i64, end: &RecreditEnd, now: &str) -> AppResult<Recredit> {
        let (state, balance_after, transaction_id, message) = match end {
            RecreditEnd::Done {
                balance_after,
                transaction_id,
            } => (
                RecreditState::Done,
                Some(balance_after.to_string()),
                transaction_id.clone(),
                None,
            ),
            RecreditEnd::Refused { message } => {
                (RecreditState::Refused, None, None, Some(message.clone()))
            }
            RecreditEnd::NotApplied { message } => {
                (RecreditState::NotApplied, None, None, Some(message.clone()))
            }
        };
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE endicia_recredits
                 SET state = ?2, balance_after = ?3, transaction_id = ?4, message = ?5,
                     updated_at = ?6
                 WHERE id = ?1 AND state IN ('intent','sent')",
                params![
                    id,
                    state.as_str(),
                    balance_after,
                    transaction_id,
                    message,
                    now
                ],
            )?;
            if changed != 1 {
                return Err(settled_meanwhile());
            }
            by_id(tx, id)
        })
    }

    fn note_recredit(&self, id: i64, message: &str, now: &str) -> AppResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE endicia_recredits SET message = ?2, updated_at = ?3
                 WHERE id = ?1 AND state IN ('intent','sent')",
                params![id, message, now],
            )?;
            Ok(())
        })
    }

    fn recredit(&self, id: i64) -> AppResult<Recredit> {
        self.read(|conn| by_id(conn, id))
    }

    fn open_recredit(&self, account_number: &str) -> AppResult<Option<Recredit>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    &format!(
                        "SELECT {COLUMNS} FROM endicia_recredits
                         WHERE account_number = ?1 AND state IN ('intent','sent')"
                    ),
                    [account_number],
                    recredit_row,
                )
                .optional()?)
        })
    }

    fn recredits(&self, account_number: &str, limit: u32) -> AppResult<Vec<Recredit>> {
        self.read(|conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM endicia_recredits WHERE account_number = ?1
                 ORDER BY id DESC LIMIT ?2"
            ))?;
            let rows = stmt
                .query_map(params![account_number, limit], recredit_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}

impl EndiciaPayers for Store {
    fn payer_row(
        &self,
        account_number: &str,
        environment: Environment,
        now: &str,
    ) -> AppResult<AccountId> {
        let env = environment_column(environment);
        self.write(|tx| {
            let found = tx
                .query_row(
                    "SELECT id FROM usps_accounts
                     WHERE provider = 'endicia' AND endicia_account = ?1 AND environment = ?2",
                    params![account_number, env],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = found {
                return Ok(id);
            }
            tx.execute(
                "INSERT INTO usps_accounts (nickname, environment, mode, client_id, is_default,
                     is_sandbox_demo, state_json, created_at, updated_at, provider,
                     endicia_account)
                 VALUES (?1, ?2, 'sign_in', '', 0, 0, '{\"state\":\"connected\"}', ?3, ?3,
                     'endicia', ?4)",
                params![
                    format!("Endicia {account_number}"),
                    env,
                    now,
                    account_number
                ],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    AppError::conflict(format!(
                        "A USPS account is already named \"Endicia {account_number}\": rename it \
                         in Carrier Settings to pay labels from this Endicia account."
                    ))
                }
                e => e.into(),
            })?;
            Ok(tx.last_insert_rowid())
        })
    }

    fn payer(&self, id: AccountId) -> AppResult<Option<PayerRow>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT id, endicia_account, environment, nickname FROM usps_accounts
                     WHERE id = ?1 AND provider = 'endicia'",
                    [id],
                    |r| {
                        let env: String = r.get(2)?;
                        Ok(PayerRow {
                            id: r.get(0)?,
                            account_number: r.get(1)?,
                            environment: env.parse().map_err(|_| bad(&env))?,
                            nickname: r.get(3)?,
                        })
                    },
                )
                .optional()?)
        })
    }

    fn label_send(&self, idempotency_key: &str) -> AppResult<Option<LabelSend>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT account_number, serial_before, printed_before, sends, updated_at
                     FROM endicia_label_sends WHERE idempotency_key = ?1",
                    [idempotency_key],
                    |r| {
                        Ok(LabelSend {
                            account_number: r.get(0)?,
                            serial_before: r.get::<_, i64>(1)?.try_into().unwrap_or(0),
                            printed_before: amount(r.get(2)?)?,
                            sends: r.get(3)?,
                            sent_at: r.get(4)?,
                        })
                    },
                )
                .optional()?)
        })
    }

    fn record_label_send(
        &self,
        idempotency_key: &str,
        account_number: &str,
        serial_before: u64,
        printed_before: Decimal,
        now: &str,
    ) -> AppResult<()> {
        let serial = i64::try_from(serial_before)
            .map_err(|e| AppError::internal("Endicia serial number", &e))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO endicia_label_sends (idempotency_key, account_number, serial_before,
                     printed_before, sends, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)
                 ON CONFLICT (idempotency_key) DO UPDATE SET serial_before = ?3,
                     printed_before = ?4, sends = sends + 1, updated_at = ?5",
                params![
                    idempotency_key,
                    account_number,
                    serial,
                    printed_before.to_string(),
                    now
                ],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn one_open_purchase_per_account_and_each_end_is_final() {
        let store = Store::open_in_memory().unwrap();
        let now = "2026-12-02T10:00:00Z";
        let first = store
            .record_recredit("2500123", d("50.00"), "r1", d("100.00"), now)
            .unwrap();
        assert_eq!(first.state, RecreditState::Intent);
        let again = store
            .record_recredit("2500123", d("50.00"), "r2", d("100.00"), now)
            .unwrap_err();
        assert_eq!(again.code, crate::error::ErrorCode::Conflict);
        // Another account is not blocked.
        store
            .record_recredit("2500124", d("10"), "r3", d("0"), now)
            .unwrap();
        store.mark_recredit_sent(first.id, now).unwrap();
        assert_eq!(
            store.open_recredit("2500123").unwrap().unwrap().state,
            RecreditState::Sent
        );
        let done = store
            .settle_recredit(
                first.id,
                &RecreditEnd::Done {
                    balance_after: d("150.00"),
                    transaction_id: Some("7".into()),
                },
                now,
            )
            .unwrap();
        assert_eq!(done.balance_after, Some(d("150.00")));
        assert!(store.open_recredit("2500123").unwrap().is_none());
        let twice = store.settle_recredit(
            first.id,
            &RecreditEnd::NotApplied {
                message: "x".into(),
            },
            now,
        );
        assert!(twice.is_err(), "a settled purchase stays settled");
        assert_eq!(store.recredits("2500123", 10).unwrap().len(), 1);
    }
}
