//! [`AccountStore`] over the `usps_accounts` table. Bound parameters only; no secret is ever
//! written here.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::carriers::{
    AccountFields, AccountId, AccountStore, ConnectionMode, ConnectionState, Identifier,
    NewAccount, UspsAccountRecord, nickname_taken, no_such_account,
};
use crate::environment::Environment;
use crate::error::{AppError, AppResult};
use crate::store::Store;

const COLUMNS: &str = "id, nickname, environment, base_url, crid, mid, manifest_mid, eps_account, \
     mode, client_id, is_default, is_sandbox_demo, state_json, last_verified_at, created_at, updated_at";

fn environment_column(env: Environment) -> &'static str {
    match env {
        Environment::Sandbox => "sandbox",
        Environment::Tem => "tem",
        Environment::Production => "production",
    }
}

fn mode_column(mode: &ConnectionMode) -> &'static str {
    match mode {
        ConnectionMode::SignIn { .. } => "sign_in",
        ConnectionMode::OwnApp { .. } => "own_app",
    }
}

fn identifier_column(identifier: Identifier) -> &'static str {
    match identifier {
        Identifier::Crid => "crid",
        Identifier::Mid => "mid",
        Identifier::ManifestMid => "manifest_mid",
        Identifier::EpsAccount => "eps_account",
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

fn select_one(conn: &Connection, id: AccountId) -> AppResult<Option<UspsAccountRecord>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM usps_accounts WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

impl AccountStore for Store {
    fn insert(&self, new: &NewAccount, now: &str) -> AppResult<AccountId> {
        self.write(|tx| {
            let has_default: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM usps_accounts WHERE is_default = 1)",
                [],
                |r| r.get(0),
            )?;
            let inserted = tx.execute(
                "INSERT INTO usps_accounts (nickname, environment, base_url, crid, mid,
                     manifest_mid, eps_account, mode, client_id, is_default, is_sandbox_demo,
                     state_json, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
                params![
                    new.nickname,
                    environment_column(new.environment),
                    new.base_url,
                    new.fields.crid,
                    new.fields.mid,
                    new.fields.manifest_mid,
                    new.fields.eps_account,
                    mode_column(&new.mode),
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

    fn account(&self, id: AccountId) -> AppResult<Option<UspsAccountRecord>> {
        self.read(|conn| select_one(conn, id))
    }

    fn account_named(&self, nickname: &str) -> AppResult<Option<UspsAccountRecord>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    &format!("SELECT {COLUMNS} FROM usps_accounts WHERE nickname = ?1"),
                    [nickname],
                    from_row,
                )
                .optional()?)
        })
    }

    fn list(&self) -> AppResult<Vec<UspsAccountRecord>> {
        self.read(|conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM usps_accounts ORDER BY is_default DESC, nickname"
            ))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn default_account(&self) -> AppResult<Option<UspsAccountRecord>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    &format!("SELECT {COLUMNS} FROM usps_accounts WHERE is_default = 1"),
                    [],
                    from_row,
                )
                .optional()?)
        })
    }

    fn set_state(
        &self,
        id: AccountId,
        state: &ConnectionState,
        verified_at: Option<&str>,
        now: &str,
    ) -> AppResult<UspsAccountRecord> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE usps_accounts SET state_json = ?2,
                     last_verified_at = COALESCE(?3, last_verified_at), updated_at = ?4
                 WHERE id = ?1",
                params![id, state_json(state)?, verified_at, now],
            )?;
            if changed == 0 {
                return Err(no_such_account(id));
            }
            select_one(tx, id)?.ok_or_else(|| no_such_account(id))
        })
    }

    fn update_fields(
        &self,
        id: AccountId,
        fields: &AccountFields,
        now: &str,
    ) -> AppResult<UspsAccountRecord> {
        self.write(|tx| {
            let updated = tx.execute(
                "UPDATE usps_accounts SET nickname = COALESCE(?2, nickname),
                     crid = COALESCE(?3, crid), mid = COALESCE(?4, mid),
                     manifest_mid = COALESCE(?5, manifest_mid),
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
                Ok(0) => Err(no_such_account(id)),
                Ok(_) => select_one(tx, id)?.ok_or_else(|| no_such_account(id)),
                Err(e) if unique_violation(&e) => {
                    Err(nickname_taken(fields.nickname.as_deref().unwrap_or("")))
                }
                Err(e) => Err(e.into()),
            }
        })
    }

    fn clear_identifiers(&self, id: AccountId, which: &[Identifier], now: &str) -> AppResult<()> {
        if which.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            for &identifier in which {
                // The column name comes from the fixed list above, never from input.
                tx.execute(
                    &format!(
                        "UPDATE usps_accounts SET {} = NULL, updated_at = ?2 WHERE id = ?1",
                        identifier_column(identifier)
                    ),
                    params![id, now],
                )?;
            }
            Ok(())
        })
    }

    fn set_mode(&self, id: AccountId, mode: &ConnectionMode, now: &str) -> AppResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE usps_accounts SET mode = ?2, client_id = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, mode_column(mode), mode.client_id(), now],
            )?;
            Ok(())
        })
    }

    fn set_default(&self, id: AccountId, now: &str) -> AppResult<()> {
        self.write(|tx| {
            if select_one(tx, id)?.is_none() {
                return Err(no_such_account(id));
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

    fn delete(&self, id: AccountId) -> AppResult<()> {
        self.write(|tx| {
            let deleted = tx.execute("DELETE FROM usps_accounts WHERE id = ?1", [id])?;
            if deleted == 0 {
                return Err(no_such_account(id));
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    const NOW: &str = "2026-11-20T12:00:00Z";

    fn new_account(nickname: &str) -> NewAccount {
        NewAccount {
            nickname: nickname.into(),
            environment: Environment::Tem,
            base_url: None,
            fields: AccountFields {
                crid: Some("56982563".into()),
                ..Default::default()
            },
            mode: ConnectionMode::OwnApp {
                client_id: "client".into(),
            },
            is_sandbox_demo: false,
            state: ConnectionState::Disconnected,
        }
    }

    /// The rules every backend must keep: one default (the first account, then the oldest left
    /// when the default goes), nicknames unique whatever their case, and the same errors.
    #[test]
    fn one_default_and_unique_nicknames() {
        let store = Store::open_in_memory().unwrap();
        let accounts: &dyn AccountStore = &store;
        let first = accounts.insert(&new_account("Shop"), NOW).unwrap();
        let second = accounts.insert(&new_account("Warehouse"), NOW).unwrap();
        let third = accounts.insert(&new_account("Outlet"), NOW).unwrap();
        assert_eq!(accounts.default_account().unwrap().unwrap().id, first);

        let taken = accounts.insert(&new_account("SHOP"), NOW).unwrap_err();
        assert_eq!(taken.code, ErrorCode::Conflict);
        let rename = AccountFields {
            nickname: Some("warehouse".into()),
            ..Default::default()
        };
        let taken = accounts.update_fields(third, &rename, NOW).unwrap_err();
        assert_eq!(taken.code, ErrorCode::Conflict);
        assert_eq!(accounts.find("shop").unwrap().id, first);
        assert_eq!(accounts.find(&format!("#{third}")).unwrap().id, third);

        accounts.set_default(third, NOW).unwrap();
        let listed: Vec<_> = accounts.list().unwrap().iter().map(|a| a.id).collect();
        assert_eq!(listed, [third, first, second]);

        accounts.delete(third).unwrap();
        assert_eq!(accounts.default_account().unwrap().unwrap().id, first);
        for missing in [
            accounts.delete(third),
            accounts.set_default(third, NOW),
            accounts
                .set_state(third, &ConnectionState::Connected, None, NOW)
                .map(|_| ()),
        ] {
            assert_eq!(missing.unwrap_err().code, ErrorCode::NotFound);
        }
    }

    #[test]
    fn identifiers_clear_and_state_round_trips() {
        let store = Store::open_in_memory().unwrap();
        let accounts: &dyn AccountStore = &store;
        let id = accounts.insert(&new_account("Shop"), NOW).unwrap();
        accounts
            .clear_identifiers(id, &[Identifier::Crid], NOW)
            .unwrap();
        let state = ConnectionState::NeedsReconnect {
            reason: "expired".into(),
        };
        let saved = accounts
            .set_state(id, &state, Some("2026-11-20T12:05:00Z"), NOW)
            .unwrap();
        assert_eq!(saved.crid, None);
        assert_eq!(saved.state, state);
        assert_eq!(
            saved.last_verified_at.as_deref(),
            Some("2026-11-20T12:05:00Z")
        );
        // No new verification keeps the last one.
        let saved = accounts
            .set_state(id, &ConnectionState::Connected, None, NOW)
            .unwrap();
        assert_eq!(
            saved.last_verified_at.as_deref(),
            Some("2026-11-20T12:05:00Z")
        );
    }
}
