//! [`ShippingSetupStore`] over the `ship_from_addresses` table (the partial unique index
//! `ship_from_one_default` allows one default; `archived_at` marks an address removed while
//! records still point at it) and the `package_presets` table (`name` is `COLLATE NOCASE` and
//! unique; `package_presets_one_default` allows one default). Dimensions and weights are kept as
//! decimal text.

use rusqlite::{OptionalExtension, Row, Transaction, params};
use rust_decimal::Decimal;

use crate::error::AppResult;
use crate::orders::Address;
use crate::shipping::{
    Dimensions, PackagePreset, PackagePresetInput, PresetEdit, ShipFromAddress, ShipFromEdit,
    ShipFromInput, ShipFromRemoval, ShippingSetupStore,
};
use crate::store::Store;

const SHIP_FROM_COLUMNS: &str = "id, nickname, name, company, street1, street2, city, state, \
                                 zip5, zip4, phone, email, is_default";

fn ship_from_row(r: &Row<'_>) -> rusqlite::Result<ShipFromAddress> {
    Ok(ShipFromAddress {
        id: r.get(0)?,
        nickname: r.get(1)?,
        address: Address {
            name: r.get(2)?,
            company: r.get(3)?,
            street1: r.get(4)?,
            street2: r.get(5)?,
            city: r.get(6)?,
            state: r.get(7)?,
            zip5: r.get(8)?,
            zip4: r.get(9)?,
            country: "US".into(),
            phone: r.get(10)?,
            email: r.get(11)?,
        },
        is_default: r.get(12)?,
    })
}

fn decimal(text: String) -> rusqlite::Result<Decimal> {
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn preset_row(r: &Row<'_>) -> rusqlite::Result<PackagePreset> {
    Ok(PackagePreset {
        id: r.get(0)?,
        name: r.get(1)?,
        dimensions: Dimensions {
            length_in: decimal(r.get(2)?)?,
            width_in: decimal(r.get(3)?)?,
            height_in: decimal(r.get(4)?)?,
        },
        weight_oz: r.get::<_, Option<String>>(5)?.map(decimal).transpose()?,
        is_default: r.get(6)?,
    })
}

const PRESET_COLUMNS: &str = "id, name, length_in, width_in, height_in, weight_oz, is_default";

/// Whether any journaled purchase, label, SCAN form or pickup points at the address.
fn ship_from_in_use(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM purchase_attempts WHERE ship_from_id = ?1)
             OR EXISTS (SELECT 1 FROM shipments WHERE ship_from_id = ?1)
             OR EXISTS (SELECT 1 FROM scan_forms WHERE ship_from_id = ?1)
             OR EXISTS (SELECT 1 FROM pickups WHERE ship_from_id = ?1)",
        [id],
        |r| r.get(0),
    )
}

/// Gives the default to the oldest address still listed when none has it.
fn keep_a_default_ship_from(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE ship_from_addresses SET is_default = 1
         WHERE id = (SELECT id FROM ship_from_addresses WHERE archived_at IS NULL ORDER BY id
                     LIMIT 1)
           AND NOT EXISTS (SELECT 1 FROM ship_from_addresses WHERE is_default = 1)",
        [],
    )?;
    Ok(())
}

/// Gives the default to the first preset by name when none has it.
fn keep_a_default_preset(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE package_presets SET is_default = 1
         WHERE id = (SELECT id FROM package_presets ORDER BY name LIMIT 1)
           AND NOT EXISTS (SELECT 1 FROM package_presets WHERE is_default = 1)",
        [],
    )?;
    Ok(())
}

fn preset_name_taken(tx: &Transaction<'_>, name: &str, except: i64) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM package_presets WHERE name = ?1 AND id <> ?2)",
        params![name, except],
        |r| r.get(0),
    )
}

impl ShippingSetupStore for Store {
    fn ship_from_addresses(&self) -> AppResult<Vec<ShipFromAddress>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {SHIP_FROM_COLUMNS} FROM ship_from_addresses WHERE archived_at IS NULL
                 ORDER BY is_default DESC, nickname"
            ))?;
            let rows = stmt.query_map([], ship_from_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn ship_from(&self, id: i64) -> AppResult<Option<ShipFromAddress>> {
        self.read(|c| {
            Ok(c.query_row(
                &format!("SELECT {SHIP_FROM_COLUMNS} FROM ship_from_addresses WHERE id = ?1"),
                [id],
                ship_from_row,
            )
            .optional()?)
        })
    }

    fn default_ship_from(&self) -> AppResult<Option<ShipFromAddress>> {
        self.read(|c| {
            Ok(c.query_row(
                &format!(
                    "SELECT {SHIP_FROM_COLUMNS} FROM ship_from_addresses WHERE archived_at IS NULL
                     ORDER BY is_default DESC, id LIMIT 1"
                ),
                [],
                ship_from_row,
            )
            .optional()?)
        })
    }

    fn add_ship_from(&self, input: &ShipFromInput, now: &str) -> AppResult<i64> {
        self.write(|tx| {
            let count: i64 = tx.query_row(
                "SELECT count(*) FROM ship_from_addresses WHERE archived_at IS NULL",
                [],
                |r| r.get(0),
            )?;
            let make_default = input.is_default || count == 0;
            if make_default {
                tx.execute("UPDATE ship_from_addresses SET is_default = 0", [])?;
            }
            let a = &input.address;
            tx.execute(
                "INSERT INTO ship_from_addresses (nickname, name, company, street1, street2, city,
                     state, zip5, zip4, phone, email, is_default, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
                params![
                    input.nickname,
                    a.name,
                    a.company,
                    a.street1,
                    a.street2,
                    a.city,
                    a.state,
                    a.zip5,
                    a.zip4,
                    a.phone,
                    a.email,
                    make_default,
                    now
                ],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    fn update_ship_from(
        &self,
        id: i64,
        input: &ShipFromInput,
        now: &str,
    ) -> AppResult<ShipFromEdit> {
        self.write(|tx| {
            let listed: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM ship_from_addresses
                                WHERE id = ?1 AND archived_at IS NULL)",
                [id],
                |r| r.get(0),
            )?;
            if !listed {
                return Ok(ShipFromEdit::NotFound);
            }
            // An open purchase stores its label with the address as it stands when USPS answers.
            let open: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM purchase_attempts
                                WHERE ship_from_id = ?1 AND state IN ('intent', 'sent'))",
                [id],
                |r| r.get(0),
            )?;
            if open {
                return Ok(ShipFromEdit::PurchaseOpen);
            }
            if input.is_default {
                tx.execute("UPDATE ship_from_addresses SET is_default = 0", [])?;
            }
            let a = &input.address;
            tx.execute(
                "UPDATE ship_from_addresses SET nickname = ?2, name = ?3, company = ?4,
                     street1 = ?5, street2 = ?6, city = ?7, state = ?8, zip5 = ?9, zip4 = ?10,
                     phone = ?11, email = ?12, is_default = (is_default OR ?13), updated_at = ?14
                 WHERE id = ?1",
                params![
                    id,
                    input.nickname,
                    a.name,
                    a.company,
                    a.street1,
                    a.street2,
                    a.city,
                    a.state,
                    a.zip5,
                    a.zip4,
                    a.phone,
                    a.email,
                    input.is_default,
                    now
                ],
            )?;
            Ok(ShipFromEdit::Updated)
        })
    }

    fn remove_ship_from(&self, id: i64, now: &str) -> AppResult<Option<ShipFromRemoval>> {
        self.write(|tx| {
            let listed: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM ship_from_addresses
                                WHERE id = ?1 AND archived_at IS NULL)",
                [id],
                |r| r.get(0),
            )?;
            if !listed {
                return Ok(None);
            }
            let removal = if ship_from_in_use(tx, id)? {
                tx.execute(
                    "UPDATE ship_from_addresses SET archived_at = ?2, is_default = 0,
                         updated_at = ?2
                     WHERE id = ?1",
                    params![id, now],
                )?;
                ShipFromRemoval::Archived
            } else {
                tx.execute("DELETE FROM ship_from_addresses WHERE id = ?1", [id])?;
                ShipFromRemoval::Deleted
            };
            keep_a_default_ship_from(tx)?;
            Ok(Some(removal))
        })
    }

    fn set_default_ship_from(&self, id: i64) -> AppResult<bool> {
        self.write(|tx| {
            let listed: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM ship_from_addresses
                                WHERE id = ?1 AND archived_at IS NULL)",
                [id],
                |r| r.get(0),
            )?;
            if listed {
                tx.execute("UPDATE ship_from_addresses SET is_default = 0", [])?;
                tx.execute(
                    "UPDATE ship_from_addresses SET is_default = 1 WHERE id = ?1",
                    [id],
                )?;
            }
            Ok(listed)
        })
    }

    fn package_presets(&self) -> AppResult<Vec<PackagePreset>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {PRESET_COLUMNS} FROM package_presets ORDER BY is_default DESC, name"
            ))?;
            let rows = stmt.query_map([], preset_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn add_package_preset(&self, input: &PackagePresetInput, now: &str) -> AppResult<Option<i64>> {
        let d = &input.dimensions;
        self.write(|tx| {
            if preset_name_taken(tx, &input.name, 0)? {
                return Ok(None);
            }
            let count: i64 =
                tx.query_row("SELECT count(*) FROM package_presets", [], |r| r.get(0))?;
            let make_default = input.is_default == Some(true) || count == 0;
            if make_default {
                tx.execute("UPDATE package_presets SET is_default = 0", [])?;
            }
            tx.execute(
                "INSERT INTO package_presets (name, length_in, width_in, height_in, weight_oz,
                     is_default, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    input.name,
                    d.length_in.to_string(),
                    d.width_in.to_string(),
                    d.height_in.to_string(),
                    input.weight_oz.map(|w| w.to_string()),
                    make_default,
                    now
                ],
            )?;
            Ok(Some(tx.last_insert_rowid()))
        })
    }

    fn update_package_preset(&self, id: i64, input: &PackagePresetInput) -> AppResult<PresetEdit> {
        let d = &input.dimensions;
        self.write(|tx| {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM package_presets WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            if !exists {
                return Ok(PresetEdit::NotFound);
            }
            if preset_name_taken(tx, &input.name, id)? {
                return Ok(PresetEdit::NameTaken);
            }
            let make_default = input.is_default == Some(true);
            if make_default {
                tx.execute("UPDATE package_presets SET is_default = 0", [])?;
            }
            tx.execute(
                "UPDATE package_presets SET name = ?2, length_in = ?3, width_in = ?4,
                     height_in = ?5, weight_oz = ?6, is_default = (is_default OR ?7)
                 WHERE id = ?1",
                params![
                    id,
                    input.name,
                    d.length_in.to_string(),
                    d.width_in.to_string(),
                    d.height_in.to_string(),
                    input.weight_oz.map(|w| w.to_string()),
                    make_default
                ],
            )?;
            Ok(PresetEdit::Updated)
        })
    }

    fn set_default_package_preset(&self, id: i64) -> AppResult<bool> {
        self.write(|tx| {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM package_presets WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            if exists {
                tx.execute("UPDATE package_presets SET is_default = 0", [])?;
                tx.execute(
                    "UPDATE package_presets SET is_default = 1 WHERE id = ?1",
                    [id],
                )?;
            }
            Ok(exists)
        })
    }

    fn delete_package_preset(&self, id: i64) -> AppResult<bool> {
        self.write(|tx| {
            let deleted = tx.execute("DELETE FROM package_presets WHERE id = ?1", [id])? > 0;
            keep_a_default_preset(tx)?;
            Ok(deleted)
        })
    }
}
