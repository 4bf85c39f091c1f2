//! [`AccountStore`] over the `usps_accounts` table. Bound parameters only; no secret is ever
//! written here.
//!
//! A removed account keeps its row (`removed_at` set) so its id is never given to another
//! account and every purchase, label, SCAN form and pickup keeps naming the account it was made
//! through (foreign keys, migration 0007). Every query here sees live USPS accounts only: the
//! rows of Endicia accounts that pay for labels (`provider = 'endicia'`) are `endicia.rs`'s.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::carriers::{
    AccountFields, AccountId, AccountStore, ConnectionMode, ConnectionState, ContractSource,
    Identifier, NewAccount, UspsAccountRecord, nickname_taken, no_such_account,
    open_purchases_block_removal, open_purchases_keep_identifiers,
};
use crate::environment::Environment;
use crate::error::{AppError, AppResult};
use crate::store::Store;

const COLUMNS: &str = "id, nickname, environment, base_url, crid, mid, manifest_mid, eps_account, \
     mode, client_id, is_default, is_sandbox_demo, state_json, last_verified_at, created_at, updated_at, \
     has_contract, contract_source, calls_per_hour";

fn contract_source_column(source: ContractSource) -> &'static str {
    match source {
        ContractSource::Detected => "detected",
        ContractSource::Entered => "entered",
    }
}

pub(super) fn environment_column(env: Environment) -> &'static str {
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
fn from_row(row: &Row<'_>) -> rusqlite::Result<UspsAccountRecord> {
    let environment: String = row.get(2)?;
    let mode: String = row.get(8)?;
    let client_id: String = row.get(9)?;
    let state_json: String = row.get(12)?;
    let contract_source: Option<String> = row.get(17)?;
    let contract_source = match contract_source.as_deref() {
        Some("entered") => Some(ContractSource::Entered),
        Some("detected") => Some(ContractSource::Detected),
        _ => None,
    };
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
        has_contract: row.get(16)?,
        contract_source,
        calls_per_hour: row.get(18)?,
    })
}

fn state_json(state: &ConnectionState) -> AppResult<String> {
    serde_json::to_string(state).map_err(|e| AppError::internal("Could not save the state", &e))
}

/// The order numbers of the account's unfinished purchases and unfinished voids (`intent` or
/// `sent`): USPS must still be asked about each through this account.
fn open_purchase_orders(conn: &Connection, id: AccountId) -> AppResult<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT o.order_number FROM purchase_attempts p JOIN orders o ON o.id = p.order_id
         WHERE p.account_id = ?1 AND p.state IN ('intent','sent')
         UNION ALL
         SELECT o.order_number FROM void_attempts v
           JOIN shipments s ON s.id = v.shipment_id JOIN orders o ON o.id = s.order_id
         WHERE s.account_id = ?1 AND v.state IN ('intent','sent')",
    )?;
    let numbers = stmt.query_map([id], |r| r.get(0))?;
    Ok(numbers.collect::<Result<Vec<String>, _>>()?)
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
            &format!("SELECT {COLUMNS} FROM usps_accounts WHERE id = ?1 AND removed_at IS NULL AND provider = 'usps'"),
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
                     state_json, created_at, updated_at, has_contract, contract_source,
                     calls_per_hour)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15,
                     ?16)",
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
                    new.fields.has_contract.unwrap_or(false),
                    new.fields
                        .has_contract
                        .map(|_| contract_source_column(ContractSource::Entered)),
                    new.fields.calls_per_hour,
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
                    &format!(
                        "SELECT {COLUMNS} FROM usps_accounts
                         WHERE nickname = ?1 AND removed_at IS NULL AND provider = 'usps'"
                    ),
                    [nickname],
                    from_row,
                )
                .optional()?)
        })
    }

    fn list(&self) -> AppResult<Vec<UspsAccountRecord>> {
        self.read(|conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM usps_accounts WHERE removed_at IS NULL AND provider = 'usps'
                 ORDER BY is_default DESC, nickname"
            ))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn default_account(&self) -> AppResult<Option<UspsAccountRecord>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    &format!(
                        "SELECT {COLUMNS} FROM usps_accounts
                         WHERE is_default = 1 AND removed_at IS NULL AND provider = 'usps'"
                    ),
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
                 WHERE id = ?1 AND removed_at IS NULL AND provider = 'usps'",
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
        cleared: &[Identifier],
        now: &str,
    ) -> AppResult<UspsAccountRecord> {
        self.write(|tx| {
            let current = select_one(tx, id)?.ok_or_else(|| no_such_account(id))?;
            let next = |which: Identifier, new: &Option<String>, old: &Option<String>| {
                if new.is_some() {
                    new.clone()
                } else if cleared.contains(&which) {
                    None
                } else {
                    old.clone()
                }
            };
            let crid = next(Identifier::Crid, &fields.crid, &current.crid);
            let mid = next(Identifier::Mid, &fields.mid, &current.mid);
            let manifest_mid = next(
                Identifier::ManifestMid,
                &fields.manifest_mid,
                &current.manifest_mid,
            );
            let eps_account = next(
                Identifier::EpsAccount,
                &fields.eps_account,
                &current.eps_account,
            );
            let identifiers_change = (&crid, &mid, &manifest_mid, &eps_account)
                != (
                    &current.crid,
                    &current.mid,
                    &current.manifest_mid,
                    &current.eps_account,
                );
            if identifiers_change {
                let open = open_purchase_orders(tx, id)?;
                if !open.is_empty() {
                    return Err(open_purchases_keep_identifiers(
                        id,
                        &current.nickname,
                        &open,
                    ));
                }
            }
            let (has_contract, contract_source) = match fields.has_contract {
                Some(entered) => (entered, Some(ContractSource::Entered)),
                None => (current.has_contract, current.contract_source),
            };
            let updated = tx.execute(
                "UPDATE usps_accounts SET nickname = COALESCE(?2, nickname), crid = ?3, mid = ?4,
                     manifest_mid = ?5, eps_account = ?6, updated_at = ?7, has_contract = ?8,
                     contract_source = ?9, calls_per_hour = COALESCE(?10, calls_per_hour)
                 WHERE id = ?1",
                params![
                    id,
                    fields.nickname,
                    crid,
                    mid,
                    manifest_mid,
                    eps_account,
                    now,
                    has_contract,
                    contract_source.map(contract_source_column),
                    fields.calls_per_hour,
                ],
            );
            match updated {
                Ok(_) => select_one(tx, id)?.ok_or_else(|| no_such_account(id)),
                Err(e) if unique_violation(&e) => {
                    Err(nickname_taken(fields.nickname.as_deref().unwrap_or("")))
                }
                Err(e) => Err(e.into()),
            }
        })
    }

    fn set_contract(
        &self,
        id: AccountId,
        has_contract: bool,
        source: ContractSource,
        now: &str,
    ) -> AppResult<UspsAccountRecord> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE usps_accounts SET has_contract = ?2, contract_source = ?3, updated_at = ?4
                 WHERE id = ?1 AND removed_at IS NULL AND provider = 'usps'",
                params![id, has_contract, contract_source_column(source), now],
            )?;
            if changed == 0 {
                return Err(no_such_account(id));
            }
            select_one(tx, id)?.ok_or_else(|| no_such_account(id))
        })
    }

    fn set_mode(&self, id: AccountId, mode: &ConnectionMode, now: &str) -> AppResult<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE usps_accounts SET mode = ?2, client_id = ?3, updated_at = ?4
                 WHERE id = ?1 AND removed_at IS NULL AND provider = 'usps'",
                params![id, mode_column(mode), mode.client_id(), now],
            )?;
            if changed == 0 {
                return Err(no_such_account(id));
            }
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

    fn remove(&self, id: AccountId, now: &str) -> AppResult<()> {
        self.write(|tx| {
            let account = select_one(tx, id)?.ok_or_else(|| no_such_account(id))?;
            let open = open_purchase_orders(tx, id)?;
            if !open.is_empty() {
                return Err(open_purchases_block_removal(id, &account.nickname, &open));
            }
            tx.execute(
                "UPDATE usps_accounts SET removed_at = ?2, is_default = 0, updated_at = ?2
                 WHERE id = ?1",
                params![id, now],
            )?;
            tx.execute(
                "UPDATE usps_accounts SET is_default = 1
                 WHERE id = (SELECT MIN(id) FROM usps_accounts WHERE removed_at IS NULL AND provider = 'usps')
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
    use crate::error::{ErrorCode, ErrorDetails};

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

    /// Adds order `number` with a purchase attempt through `account` in `state`; the attempt id.
    fn try_purchase(
        store: &Store,
        number: &str,
        account: AccountId,
        state: &str,
    ) -> AppResult<i64> {
        store.write(|tx| {
            tx.execute(
                "INSERT INTO orders (order_number, source_kind, source_key, status, ship_name,
                     ship_street1, ship_city, ship_state, ship_zip5, ship_country,
                     created_at, updated_at)
                 VALUES (?1, 'manual', ?1, 'awaiting_shipment', 'Ann', '1 Main St',
                     'Saint Louis', 'MO', '63116', 'US', ?2, ?2)",
                params![number, NOW],
            )?;
            tx.execute(
                "INSERT INTO purchase_attempts (order_id, account_id, idempotency_key, state,
                     request_json, mail_class, package_json, address_choice, ship_to_json,
                     created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, '{}', 'USPS_GROUND_ADVANTAGE', '{}', 'as_entered',
                     '{}', ?5, ?5)",
                params![tx.last_insert_rowid(), account, number, state, NOW],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    fn purchase(store: &Store, number: &str, account: AccountId, state: &str) -> i64 {
        try_purchase(store, number, account, state).unwrap()
    }

    fn set_attempt_state(store: &Store, attempt: i64, state: &str) {
        store
            .write(|tx| {
                tx.execute(
                    "UPDATE purchase_attempts SET state = ?2 WHERE id = ?1",
                    params![attempt, state],
                )?;
                Ok(())
            })
            .unwrap();
    }

    fn crid(value: &str) -> AccountFields {
        AccountFields {
            crid: Some(value.into()),
            ..Default::default()
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
        let taken = accounts
            .update_fields(third, &rename, &[], NOW)
            .unwrap_err();
        assert_eq!(taken.code, ErrorCode::Conflict);
        assert_eq!(accounts.find("shop").unwrap().id, first);
        assert_eq!(accounts.find(&format!("#{third}")).unwrap().id, third);

        accounts.set_default(third, NOW).unwrap();
        let listed: Vec<_> = accounts.list().unwrap().iter().map(|a| a.id).collect();
        assert_eq!(listed, [third, first, second]);

        accounts.remove(third, NOW).unwrap();
        assert_eq!(accounts.default_account().unwrap().unwrap().id, first);
        for missing in [
            accounts.remove(third, NOW),
            accounts.set_default(third, NOW),
            accounts.set_mode(
                third,
                &ConnectionMode::SignIn {
                    client_id: "app".into(),
                },
                NOW,
            ),
            accounts
                .set_state(third, &ConnectionState::Connected, None, NOW)
                .map(|_| ()),
            accounts
                .update_fields(third, &crid("56982599"), &[], NOW)
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
        let saved = accounts
            .update_fields(
                id,
                &AccountFields {
                    mid: Some("902345671".into()),
                    ..Default::default()
                },
                &[Identifier::Crid],
                NOW,
            )
            .unwrap();
        assert_eq!(saved.crid, None);
        assert_eq!(saved.mid.as_deref(), Some("902345671"));
        let state = ConnectionState::NeedsReconnect {
            reason: "expired".into(),
        };
        let saved = accounts
            .set_state(id, &state, Some("2026-11-20T12:05:00Z"), NOW)
            .unwrap();
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

    /// A removed account leaves every list, the default and every lookup, and frees its
    /// nickname; its row stays, so its id — even the highest — is never given out again.
    #[test]
    fn a_removed_account_is_hidden_and_its_id_never_reused() {
        let store = Store::open_in_memory().unwrap();
        let accounts: &dyn AccountStore = &store;
        let shop = accounts.insert(&new_account("Shop"), NOW).unwrap();
        let warehouse = accounts.insert(&new_account("Warehouse"), NOW).unwrap();
        let label = purchase(&store, "#1001", warehouse, "committed");

        accounts.remove(warehouse, NOW).unwrap();
        let listed: Vec<_> = accounts.list().unwrap().iter().map(|a| a.id).collect();
        assert_eq!(listed, [shop]);
        assert!(accounts.account(warehouse).unwrap().is_none());
        assert!(accounts.account_named("warehouse").unwrap().is_none());
        for lookup in ["Warehouse", "#2", "2"] {
            assert_eq!(
                accounts.find(lookup).unwrap_err().code,
                ErrorCode::NotFound,
                "{lookup}"
            );
        }

        let again = accounts.insert(&new_account("warehouse"), NOW).unwrap();
        assert_eq!(
            again,
            warehouse + 1,
            "a new account, under the freed nickname"
        );
        assert_eq!(accounts.find("Warehouse").unwrap().id, again);
        // The purchase made through the removed account still names it.
        let named: AccountId = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT account_id FROM purchase_attempts WHERE id = ?1",
                    [label],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(named, warehouse);

        // The default goes to the oldest account left; removing the newest keeps its id taken.
        accounts.remove(shop, NOW).unwrap();
        assert_eq!(accounts.default_account().unwrap().unwrap().id, again);
        accounts.remove(again, NOW).unwrap();
        assert!(accounts.default_account().unwrap().is_none());
        assert!(accounts.list().unwrap().is_empty());
        let next = accounts.insert(&new_account("Shop"), NOW).unwrap();
        assert_eq!(next, again + 1);
        assert_eq!(accounts.default_account().unwrap().unwrap().id, next);
    }

    /// While a purchase through the account is unfinished, the account stays and so do its CRID,
    /// MIDs and EPS account; the refusal names the orders.
    #[test]
    fn unfinished_purchases_keep_the_account_and_its_identifiers() {
        let store = Store::open_in_memory().unwrap();
        let accounts: &dyn AccountStore = &store;
        let shop = accounts.insert(&new_account("Shop"), NOW).unwrap();
        let other = accounts.insert(&new_account("Other"), NOW).unwrap();
        let sent = purchase(&store, "#1001", shop, "sent");
        let intent = purchase(&store, "#1002", shop, "intent");
        purchase(&store, "#1003", shop, "failed");
        purchase(&store, "#1004", other, "sent");

        let refused = accounts.remove(shop, NOW).unwrap_err();
        assert_eq!(refused.code, ErrorCode::Conflict);
        assert_eq!(
            refused.details.as_deref(),
            Some(&ErrorDetails::AccountHasOpenPurchases {
                account_id: shop,
                order_numbers: vec!["#1001".into(), "#1002".into()],
            })
        );
        assert!(
            refused.message.contains("orders #1001, #1002")
                && refused.message.contains("Shipments › Purchases to check"),
            "{}",
            refused.message
        );
        assert_eq!(accounts.find("Shop").unwrap().id, shop);

        let changed = accounts
            .update_fields(shop, &crid("56982599"), &[], NOW)
            .unwrap_err();
        assert_eq!(changed.code, ErrorCode::Conflict);
        assert!(matches!(
            changed.details.as_deref(),
            Some(ErrorDetails::AccountHasOpenPurchases { .. })
        ));
        let cleared = accounts
            .update_fields(shop, &AccountFields::default(), &[Identifier::Crid], NOW)
            .unwrap_err();
        assert_eq!(cleared.code, ErrorCode::Conflict);
        // Saving the same identifiers (a form saved whole) and a new nickname is fine.
        let renamed = accounts
            .update_fields(
                shop,
                &AccountFields {
                    nickname: Some("Front shop".into()),
                    ..crid("56982563")
                },
                &[],
                NOW,
            )
            .unwrap();
        assert_eq!(renamed.nickname, "Front shop");
        assert_eq!(renamed.crid.as_deref(), Some("56982563"));

        set_attempt_state(&store, sent, "committed");
        let one_left = accounts.remove(shop, NOW).unwrap_err();
        assert!(
            one_left.message.contains("order #1002"),
            "{}",
            one_left.message
        );
        set_attempt_state(&store, intent, "failed");
        accounts
            .update_fields(shop, &crid("56982599"), &[], NOW)
            .unwrap();
        accounts.remove(shop, NOW).unwrap();
    }

    /// Whichever process removed the account, no purchase starts through it afterwards: the
    /// database refuses the intent, as it refuses one through an account that never existed.
    #[test]
    fn no_purchase_starts_through_a_removed_account() {
        let store = Store::open_in_memory().unwrap();
        let accounts: &dyn AccountStore = &store;
        let removed = accounts.insert(&new_account("Shop"), NOW).unwrap();
        accounts.remove(removed, NOW).unwrap();
        let live = accounts.insert(&new_account("Shop"), NOW).unwrap();
        assert!(try_purchase(&store, "#1", removed, "intent").is_err());
        assert!(try_purchase(&store, "#2", live + 1, "intent").is_err());
        try_purchase(&store, "#3", live, "intent").unwrap();
    }
}
