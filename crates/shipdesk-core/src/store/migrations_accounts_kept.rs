//! Upgrading to schema 7 (migration 0007, accounts kept): a database written by schema 6 had
//! removed accounts deleted, so purchases, labels, SCAN forms and pickups could name an account
//! that is gone.

use rusqlite_migration::{M, Migrations};

use crate::carriers::{AccountStore, ConnectionMode, ConnectionState, NewAccount};
use crate::shipping::PurchaseJournal;
use crate::{Environment, Store};

/// Migrations up to and including 0006, the schema before accounts were kept.
fn schema_6() -> Migrations<'static> {
    Migrations::new(super::MIGRATION_SQL[..6].iter().map(|s| M::up(s)).collect())
}

const SCHEMA_6_ROWS: &str = r#"
INSERT INTO app_settings (key, value) VALUES ('environment', 'tem');
INSERT INTO usps_accounts (id, nickname, environment, mode, client_id, is_default, state_json,
    created_at, updated_at)
VALUES (1, 'Shop', 'tem', 'own_app', 'app', 1, '{"state":"connected"}', 't', 't'),
       (2, 'Warehouse', 'tem', 'own_app', 'app', 0, '{"state":"connected"}', 't', 't');
INSERT INTO orders (id, order_number, source_kind, source_key, status, ship_name, ship_street1,
    ship_city, ship_state, ship_zip5, ship_country, created_at, updated_at)
VALUES (1, '#1001', 'manual', '1', 'awaiting_shipment', 'Ann', '1 Main St', 'Saint Louis', 'MO',
        '63116', 'US', 't', 't'),
       (2, '#1002', 'manual', '2', 'shipped', 'Bo', '2 Main St', 'Saint Louis', 'MO', '63116',
        'US', 't', 't');
INSERT INTO purchase_attempts (id, order_id, account_id, idempotency_key, state, request_json,
    mail_class, package_json, address_choice, ship_to_json, sends, created_at, updated_at,
    lease_owner, lease_until, sent_at)
VALUES (1, 1, 2, 'key-1', 'sent', '{}', 'USPS_GROUND_ADVANTAGE', '{}', 'as_entered', '{}', 1,
        't', 't', 'gone-process', 42, 'sent-at'),
       (2, 2, 5, 'key-2', 'committed', '{}', 'USPS_GROUND_ADVANTAGE', '{}', 'as_entered', '{}', 1,
        't', 't', NULL, NULL, 't');
INSERT INTO scan_forms (id, account_id, manifest_number, mailing_date, label_count, pdf,
    created_at)
VALUES (1, 9, '9461', '2026-11-20', 1, x'25504446', 't');
INSERT INTO shipments (id, attempt_id, order_id, account_id, tracking_number, mail_class,
    service_name, postage, mailing_date, weight_oz, from_json, ship_to_json, address_choice,
    label_bytes, metadata_json, sample, status, scan_form_id, created_at, updated_at)
VALUES (1, 2, 2, 5, '9400100000000000000001', 'USPS_GROUND_ADVANTAGE', 'Ground Advantage',
        '7.15', '2026-11-20', '20', '{}', '{}', 'as_entered', x'25504446', '{}', 0,
        'label_created', 1, 't', 't');
INSERT INTO pickups (id, account_id, confirmation_number, pickup_date, package_count,
    estimated_weight_lb, package_location, status, created_at, updated_at)
VALUES (1, 1, 'WTC123', '2026-11-21', 1, '2', 'Front Door', 'scheduled', 't', 't');
-- Account 2 removed the schema-6 way, with its purchase still open.
DELETE FROM usps_accounts WHERE id = 2;
"#;

fn pairs(conn: &rusqlite::Connection, sql: &str) -> Vec<(i64, i64)> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Every row survives, naming the same account id — now a removed placeholder account — and
/// every account reference is a foreign key; no id up to the highest ever named is handed out.
#[test]
fn rows_naming_a_deleted_account_survive_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shipdesk.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        schema_6().to_latest(&mut conn).unwrap();
        conn.execute_batch(SCHEMA_6_ROWS).unwrap();
    }

    let store = Store::open_file(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        super::latest_schema_version()
    );
    let accounts: &dyn AccountStore = &store;
    let listed: Vec<_> = accounts.list().unwrap().into_iter().map(|a| a.id).collect();
    assert_eq!(listed, [1], "placeholders are removed accounts");
    assert_eq!(accounts.default_account().unwrap().unwrap().id, 1);
    assert!(accounts.account(2).unwrap().is_none());
    // Still under Purchases to check, through the account it was sent with.
    let to_check = store.purchases_to_check().unwrap();
    assert_eq!(
        to_check
            .iter()
            .map(|p| (p.attempt_id, p.account_id, p.account_name.as_str()))
            .collect::<Vec<_>>(),
        [(1, 2, "Removed account 2")]
    );

    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(
        pairs(
            &conn,
            "SELECT id, account_id FROM purchase_attempts ORDER BY id"
        ),
        [(1, 2), (2, 5)]
    );
    assert_eq!(
        pairs(&conn, "SELECT id, account_id FROM shipments"),
        [(1, 5)]
    );
    assert_eq!(
        pairs(&conn, "SELECT id, account_id FROM scan_forms"),
        [(1, 9)]
    );
    assert_eq!(pairs(&conn, "SELECT id, account_id FROM pickups"), [(1, 1)]);
    let (lease, sent_at, label): (String, String, Vec<u8>) = conn
        .query_row(
            "SELECT p.lease_owner, p.sent_at, s.label_bytes FROM purchase_attempts p, shipments s
             WHERE p.id = 1 AND s.id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(lease, "gone-process");
    assert_eq!(sent_at, "sent-at");
    assert_eq!(label, b"%PDF");

    let mut stmt = conn
        .prepare(
            "SELECT id, nickname, environment, removed_at IS NOT NULL, is_default
             FROM usps_accounts ORDER BY id",
        )
        .unwrap();
    let rows: Vec<(i64, String, String, bool, bool)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let placeholder = |id: i64| {
        (
            id,
            format!("Removed account {id}"),
            "tem".to_owned(),
            true,
            false,
        )
    };
    assert_eq!(
        rows,
        [
            (1, "Shop".to_owned(), "tem".to_owned(), false, true),
            placeholder(2),
            placeholder(5),
            placeholder(9)
        ]
    );
    let violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(violations, 0);
    for (table, parent) in [
        ("purchase_attempts", "usps_accounts"),
        ("shipments", "usps_accounts"),
        ("shipments", "purchase_attempts"),
        ("shipments", "scan_forms"),
        ("scan_forms", "usps_accounts"),
        ("pickups", "usps_accounts"),
    ] {
        let found: bool = conn
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM pragma_foreign_key_list(?1) WHERE \"table\" = ?2)",
                [table, parent],
                |r| r.get(0),
            )
            .unwrap();
        assert!(found, "{table} → {parent}");
    }

    let next = accounts
        .insert(
            &NewAccount {
                nickname: "Warehouse".into(),
                environment: Environment::Tem,
                base_url: None,
                fields: Default::default(),
                mode: ConnectionMode::OwnApp {
                    client_id: "app".into(),
                },
                is_sandbox_demo: false,
                state: ConnectionState::Disconnected,
            },
            "t",
        )
        .unwrap();
    assert_eq!(
        next, 10,
        "past every id a row ever named; the nickname is free"
    );
}
