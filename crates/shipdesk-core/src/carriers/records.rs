//! SQL for `usps_accounts` (migration 0003). Bound parameters only; no secret is ever written.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::model::{AccountFields, AccountId, ConnectionMode, ConnectionState, UspsAccountRecord};
use crate::environment::Environment;
use crate::error::{AppError, AppResult};
use crate::store::Store;

const COLUMNS: &str = "id, nickname, environment, base_url, crid, mid, manifest_mid, eps_account, \
     mode, client_id, is_default, is_sandbox_demo, state_json, last_verified_at, created_at, updated_at";

/// What a new account row holds.
#[derive(Debug, Clone)]
pub(crate) struct NewAccount {
    pub nickname: String,
    pub environment: Environment,
    pub base_url: Option<String>,
    pub fields: AccountFields,
    pub mode: ConnectionMode,
    pub is_sandbox_demo: bool,
    pub state: ConnectionState,
}

fn environment_column(env: Environment) -> &'static str {
    match env {
        Environment::Sandbox => "sandbox",
        Environment::Tem => "tem",
        Environment::Production => "production",
    }
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<UspsAccountRecord> {
    let environment: String = row.get(2)?;
    let mode: String = row.get(8)?;
    let client_id: String = row.get(9)?;
    let state_json: String = row.get(12)?;
    let environment = environment.parse().unwrap_or(Environment::Sandbox);
    let mode = if mode == "own_app" {
        ConnectionMode::OwnApp { client_id }
    } else {
        ConnectionMode::SignIn { client_id }
    };
    // A state this build cannot read is treated as "needs reconnect" rather than hidden.
    let state = serde_json::from_str(&state_json).unwrap_or(ConnectionState::NeedsReconnect {
        reason: "The saved connection state could not be read".into(),
    });
    Ok(UspsAccountRecord {
        id: row.get(0)?,
        nickname: row.get(1)?,
        environment,
        base_url: row.get(3)?,
        crid: row.get(4)?,
        mid: row.get(5)?,
        manifest_mid: row.get(6)?,
        eps_account: row.get(7)?,
        mode,
        is_default: row.get(10)?,
        is_sandbox_demo: row.get(11)?,
        state,
        last_verified_at: row.get(13)?,
        created_at: row.get(14)?,
        updated_at: row.get(15)?,
    })
}

fn state_json(state: &ConnectionState) -> AppResult<String> {
    serde_json::to_string(state).map_err(|e| AppError::internal("Could not save the state", &e))
}

fn unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation
    )
}

fn nickname_taken(nickname: &str) -> AppError {
    AppError::conflict(format!("A USPS account named '{nickname}' already exists")).with_details(
        serde_json::json!({"fields": {"nickname": "This nickname is already used by another USPS account"}}),
    )
}

pub(crate) fn insert(store: &Store, new: &NewAccount, now: &str) -> AppResult<AccountId> {
    store.write(|tx| {
        let has_default: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM usps_accounts WHERE is_default = 1)",
            [],
            |r| r.get(0),
        )?;
        let inserted = tx.execute(
            "INSERT INTO usps_accounts (nickname, environment, base_url, crid, mid, manifest_mid,
                 eps_account, mode, client_id, is_default, is_sandbox_demo, state_json,
                 created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            params![
                new.nickname,
                environment_column(new.environment),
                new.base_url,
                new.fields.crid,
                new.fields.mid,
                new.fields.manifest_mid,
                new.fields.eps_account,
                new.mode.column(),
                new.mode.client_id(),
                !has_default,
                new.is_sandbox_demo,
                state_json(&new.state)?,
                now,
            ],
        );
        match inserted {
            Ok(_) => Ok(tx.last_insert_rowid()),
            Err(e) if unique_violation(&e) => Err(nickname_taken(&new.nickname)),
            Err(e) => Err(e.into()),
        }
    })
}

fn select_one(conn: &Connection, id: AccountId) -> AppResult<Option<UspsAccountRecord>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM usps_accounts WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

pub(crate) fn get(store: &Store, id: AccountId) -> AppResult<UspsAccountRecord> {
    store
        .read(|conn| select_one(conn, id))?
        .ok_or_else(|| AppError::not_found(format!("There is no USPS account #{id}")))
}

/// An account by id or nickname (case-insensitive), as the CLI's `ACCOUNT` argument.
pub(crate) fn find(store: &Store, id_or_nickname: &str) -> AppResult<UspsAccountRecord> {
    let wanted = id_or_nickname.trim();
    let by_name = store.read(|conn| {
        Ok(conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM usps_accounts WHERE nickname = ?1"),
                [wanted],
                from_row,
            )
            .optional()?)
    })?;
    if let Some(found) = by_name {
        return Ok(found);
    }
    match wanted.trim_start_matches('#').parse::<AccountId>() {
        Ok(id) => get(store, id),
        Err(_) => Err(AppError::not_found(format!(
            "There is no USPS account named '{wanted}'"
        ))),
    }
}

pub(crate) fn list(store: &Store) -> AppResult<Vec<UspsAccountRecord>> {
    store.read(|conn| {
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM usps_accounts ORDER BY is_default DESC, nickname"
        ))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    })
}

pub(crate) fn default_account(store: &Store) -> AppResult<Option<UspsAccountRecord>> {
    store.read(|conn| {
        Ok(conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM usps_accounts WHERE is_default = 1"),
                [],
                from_row,
            )
            .optional()?)
    })
}

/// Writes a new state; `verified_at` also stamps `last_verified_at`. Returns the old state.
pub(crate) fn set_state(
    store: &Store,
    id: AccountId,
    state: &ConnectionState,
    verified_at: Option<&str>,
    now: &str,
) -> AppResult<UspsAccountRecord> {
    store.write(|tx| {
        let changed = tx.execute(
            "UPDATE usps_accounts SET state_json = ?2,
                 last_verified_at = COALESCE(?3, last_verified_at), updated_at = ?4
             WHERE id = ?1",
            params![id, state_json(state)?, verified_at, now],
        )?;
        if changed == 0 {
            return Err(AppError::not_found(format!(
                "There is no USPS account #{id}"
            )));
        }
        select_one(tx, id)?.ok_or_else(|| AppError::not_found("The USPS account vanished"))
    })
}

/// Replaces identifiers that are `Some` in `fields` (already validated).
pub(crate) fn update_fields(
    store: &Store,
    id: AccountId,
    fields: &AccountFields,
    now: &str,
) -> AppResult<UspsAccountRecord> {
    store.write(|tx| {
        let updated = tx.execute(
            "UPDATE usps_accounts SET nickname = COALESCE(?2, nickname), crid = COALESCE(?3, crid),
                 mid = COALESCE(?4, mid), manifest_mid = COALESCE(?5, manifest_mid),
                 eps_account = COALESCE(?6, eps_account), updated_at = ?7
             WHERE id = ?1",
            params![
                id,
                fields.nickname,
                fields.crid,
                fields.mid,
                fields.manifest_mid,
                fields.eps_account,
                now
            ],
        );
        match updated {
            Ok(0) => Err(AppError::not_found(format!(
                "There is no USPS account #{id}"
            ))),
            Ok(_) => {
                select_one(tx, id)?.ok_or_else(|| AppError::not_found("The USPS account vanished"))
            }
            Err(e) if unique_violation(&e) => {
                Err(nickname_taken(fields.nickname.as_deref().unwrap_or("")))
            }
            Err(e) => Err(e.into()),
        }
    })
}

/// The identifier columns an edit may clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Identifier {
    Crid,
    Mid,
    ManifestMid,
    EpsAccount,
}

impl Identifier {
    fn column(self) -> &'static str {
        match self {
            Identifier::Crid => "crid",
            Identifier::Mid => "mid",
            Identifier::ManifestMid => "manifest_mid",
            Identifier::EpsAccount => "eps_account",
        }
    }
}

pub(crate) fn clear_identifiers(
    store: &Store,
    id: AccountId,
    which: &[Identifier],
    now: &str,
) -> AppResult<()> {
    if which.is_empty() {
        return Ok(());
    }
    store.write(|tx| {
        for identifier in which {
            // The column name comes from the fixed list above, never from input.
            tx.execute(
                &format!(
                    "UPDATE usps_accounts SET {} = NULL, updated_at = ?2 WHERE id = ?1",
                    identifier.column()
                ),
                params![id, now],
            )?;
        }
        Ok(())
    })
}

pub(crate) fn set_mode(
    store: &Store,
    id: AccountId,
    mode: &ConnectionMode,
    now: &str,
) -> AppResult<()> {
    store.write(|tx| {
        tx.execute(
            "UPDATE usps_accounts SET mode = ?2, client_id = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, mode.column(), mode.client_id(), now],
        )?;
        Ok(())
    })
}

pub(crate) fn set_default(store: &Store, id: AccountId, now: &str) -> AppResult<()> {
    store.write(|tx| {
        if select_one(tx, id)?.is_none() {
            return Err(AppError::not_found(format!(
                "There is no USPS account #{id}"
            )));
        }
        tx.execute(
            "UPDATE usps_accounts SET is_default = 0 WHERE is_default = 1",
            [],
        )?;
        tx.execute(
            "UPDATE usps_accounts SET is_default = 1, updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        Ok(())
    })
}

/// Deletes the row; when it was the default, the oldest remaining account becomes the default.
pub(crate) fn delete(store: &Store, id: AccountId) -> AppResult<()> {
    store.write(|tx| {
        let deleted = tx.execute("DELETE FROM usps_accounts WHERE id = ?1", [id])?;
        if deleted == 0 {
            return Err(AppError::not_found(format!(
                "There is no USPS account #{id}"
            )));
        }
        tx.execute(
            "UPDATE usps_accounts SET is_default = 1
             WHERE id = (SELECT MIN(id) FROM usps_accounts)
               AND NOT EXISTS (SELECT 1 FROM usps_accounts WHERE is_default = 1)",
            [],
        )?;
        Ok(())
    })
}
