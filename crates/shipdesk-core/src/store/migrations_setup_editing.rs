//! Upgrading to schema 9 (migration 0009, setup editing): presets saved before there was a
//! default keep the box the app used then (the first by name) as the default, and every
//! ship-from address stays listed.

use rusqlite_migration::{M, Migrations};

use crate::Store;
use crate::shipping::ShippingSetupStore;

/// Migrations up to and including 0008.
fn schema_8() -> Migrations<'static> {
    Migrations::new(super::MIGRATION_SQL[..8].iter().map(|s| M::up(s)).collect())
}

#[test]
fn presets_get_the_default_the_app_used_and_addresses_stay_listed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shipdesk.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        schema_8().to_latest(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO package_presets (name, length_in, width_in, height_in, created_at)
             VALUES ('mailer', '12', '9', '1', 't'), ('Big box', '20', '16', '12', 't'),
                    ('Tube', '30', '4', '4', 't');
             INSERT INTO ship_from_addresses (nickname, name, street1, city, state, zip5,
                 is_default, created_at, updated_at)
             VALUES ('Shop', 'Ann', '1 Main St', 'Saint Louis', 'MO', '63116', 1, 't', 't');",
        )
        .unwrap();
    }
    let store = Store::open_file(&path).unwrap();
    let setup: &dyn ShippingSetupStore = &store;
    let presets: Vec<_> = setup
        .package_presets()
        .unwrap()
        .into_iter()
        .map(|p| (p.name, p.is_default))
        .collect();
    assert_eq!(
        presets,
        [
            ("Big box".to_owned(), true),
            ("mailer".to_owned(), false),
            ("Tube".to_owned(), false)
        ]
    );
    assert_eq!(setup.ship_from_addresses().unwrap().len(), 1);
    assert_eq!(setup.default_ship_from().unwrap().unwrap().nickname, "Shop");
}
