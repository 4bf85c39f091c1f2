//! [`ShippingSetupStore`] over the `ship_from_addresses` table (the partial unique index
//! `ship_from_one_default` allows one default) and the `package_presets` table (`name` is
//! `COLLATE NOCASE` and unique). Dimensions and weights are kept as decimal text.

use rusqlite::{OptionalExtension, Row, params};
use rust_decimal::Decimal;

use crate::error::AppResult;
use crate::orders::Address;
use crate::shipping::{
    Dimensions, PackagePreset, PackagePresetInput, ShipFromAddress, ShipFromInput,
    ShippingSetupStore,
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
    })
}

impl ShippingSetupStore for Store {
    fn ship_from_addresses(&self) -> AppResult<Vec<ShipFromAddress>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {SHIP_FROM_COLUMNS} FROM ship_from_addresses
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
                    "SELECT {SHIP_FROM_COLUMNS} FROM ship_from_addresses
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
            let count: i64 =
                tx.query_row("SELECT count(*) FROM ship_from_addresses", [], |r| r.get(0))?;
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

    fn set_default_ship_from(&self, id: i64) -> AppResult<()> {
        self.write(|tx| {
            tx.execute("UPDATE ship_from_addresses SET is_default = 0", [])?;
            tx.execute(
                "UPDATE ship_from_addresses SET is_default = 1 WHERE id = ?1",
                [id],
            )?;
            Ok(())
        })
    }

    fn package_presets(&self) -> AppResult<Vec<PackagePreset>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, name, length_in, width_in, height_in, weight_oz
                 FROM package_presets ORDER BY name",
            )?;
            let rows = stmt.query_map([], preset_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn add_package_preset(&self, input: &PackagePresetInput, now: &str) -> AppResult<Option<i64>> {
        let d = &input.dimensions;
        self.write(|tx| {
            let clash: Option<i64> = tx
                .query_row(
                    "SELECT id FROM package_presets WHERE name = ?1",
                    [&input.name],
                    |r| r.get(0),
                )
                .optional()?;
            if clash.is_some() {
                return Ok(None);
            }
            tx.execute(
                "INSERT INTO package_presets (name, length_in, width_in, height_in, weight_oz,
                     created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    input.name,
                    d.length_in.to_string(),
                    d.width_in.to_string(),
                    d.height_in.to_string(),
                    input.weight_oz.map(|w| w.to_string()),
                    now
                ],
            )?;
            Ok(Some(tx.last_insert_rowid()))
        })
    }

    fn delete_package_preset(&self, id: i64) -> AppResult<bool> {
        self.write(|tx| Ok(tx.execute("DELETE FROM package_presets WHERE id = ?1", [id])? > 0))
    }
}
