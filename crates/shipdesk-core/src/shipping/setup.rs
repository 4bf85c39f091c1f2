//! What a shop sets up once: ship-from addresses (several, one default), package presets, and
//! the label layout it prints on (remembered in settings).

use rusqlite::{OptionalExtension, Row, params};
use rust_decimal::Decimal;

use super::ShippingService;
use super::model::{
    Dimensions, LabelLayout, PackagePreset, PackagePresetInput, ShipFromAddress, ShipFromInput,
};
use crate::error::{AppError, AppResult};
use crate::orders::Address;
use crate::orders::usps_address::is_state_code;

const LABEL_LAYOUT_SETTING: &str = "label_format";

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

/// The checks a ship-from address needs before USPS sees it.
fn validate_ship_from(input: &ShipFromInput) -> AppResult<()> {
    let a = &input.address;
    let mut missing = Vec::new();
    for (field, value) in [
        ("name", &a.name),
        ("street1", &a.street1),
        ("city", &a.city),
    ] {
        if value.trim().is_empty() {
            missing.push(field);
        }
    }
    if !missing.is_empty() {
        return Err(AppError::validation(format!(
            "The ship-from address needs: {}",
            missing.join(", ")
        )));
    }
    if !is_state_code(&a.state) {
        return Err(AppError::validation(format!(
            "\"{}\" is not a USPS state code",
            a.state
        )));
    }
    if a.zip5.len() != 5 || !a.zip5.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::validation(
            "The ship-from ZIP Code must be 5 digits",
        ));
    }
    Ok(())
}

pub(crate) fn validate_dimensions(d: &Dimensions) -> AppResult<()> {
    for (what, v) in [
        ("length", d.length_in),
        ("width", d.width_in),
        ("height", d.height_in),
    ] {
        if v <= Decimal::ZERO || v > Decimal::from(108) {
            return Err(AppError::validation(format!(
                "The package {what} must be more than 0 and at most 108 inches"
            )));
        }
    }
    Ok(())
}

impl ShippingService {
    pub fn ship_from_addresses(&self) -> AppResult<Vec<ShipFromAddress>> {
        self.store.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {SHIP_FROM_COLUMNS} FROM ship_from_addresses ORDER BY is_default DESC, nickname"
            ))?;
            let rows = stmt.query_map([], ship_from_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// The address `id`, or the default one (or the only one) when `id` is `None`.
    pub fn ship_from(&self, id: Option<i64>) -> AppResult<ShipFromAddress> {
        let found = self.store.read(|c| {
            let sql = match id {
                Some(_) => format!("SELECT {SHIP_FROM_COLUMNS} FROM ship_from_addresses WHERE id = ?1"),
                None => format!(
                    "SELECT {SHIP_FROM_COLUMNS} FROM ship_from_addresses ORDER BY is_default DESC, id LIMIT 1"
                ),
            };
            let mut stmt = c.prepare(&sql)?;
            let row = match id {
                Some(id) => stmt.query_row([id], ship_from_row).optional()?,
                None => stmt.query_row([], ship_from_row).optional()?,
            };
            Ok(row)
        })?;
        found.ok_or_else(|| match id {
            Some(id) => AppError::not_found(format!("There is no ship-from address {id}")),
            None => AppError::validation("Add a ship-from address in Settings › Ship From first"),
        })
    }

    /// Saves a new ship-from address; the first one saved becomes the default.
    pub fn add_ship_from(&self, input: ShipFromInput) -> AppResult<ShipFromAddress> {
        validate_ship_from(&input)?;
        let now = self.now();
        let id = self.store.write(|tx| {
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
                    input.nickname.trim(),
                    a.name.trim(),
                    a.company,
                    a.street1.trim(),
                    a.street2,
                    a.city.trim(),
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
        })?;
        self.ship_from(Some(id))
    }

    pub fn set_default_ship_from(&self, id: i64) -> AppResult<()> {
        self.ship_from(Some(id))?;
        self.store.write(|tx| {
            tx.execute("UPDATE ship_from_addresses SET is_default = 0", [])?;
            tx.execute(
                "UPDATE ship_from_addresses SET is_default = 1 WHERE id = ?1",
                [id],
            )?;
            Ok(())
        })
    }

    pub fn package_presets(&self) -> AppResult<Vec<PackagePreset>> {
        self.store.read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, name, length_in, width_in, height_in, weight_oz
                 FROM package_presets ORDER BY name",
            )?;
            let rows = stmt.query_map([], preset_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    pub fn package_preset(&self, name: &str) -> AppResult<PackagePreset> {
        self.package_presets()?
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| AppError::not_found(format!("There is no package preset \"{name}\"")))
    }

    pub fn add_package_preset(&self, input: PackagePresetInput) -> AppResult<PackagePreset> {
        if input.name.trim().is_empty() {
            return Err(AppError::validation("Give the package preset a name"));
        }
        validate_dimensions(&input.dimensions)?;
        let now = self.now();
        let d = input.dimensions;
        self.store.write(|tx| {
            let clash: Option<i64> = tx
                .query_row(
                    "SELECT id FROM package_presets WHERE name = ?1",
                    [input.name.trim()],
                    |r| r.get(0),
                )
                .optional()?;
            if clash.is_some() {
                return Err(AppError::conflict(format!(
                    "A package preset named \"{}\" already exists",
                    input.name.trim()
                )));
            }
            tx.execute(
                "INSERT INTO package_presets (name, length_in, width_in, height_in, weight_oz, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    input.name.trim(),
                    d.length_in.to_string(),
                    d.width_in.to_string(),
                    d.height_in.to_string(),
                    input.weight_oz.map(|w| w.to_string()),
                    now
                ],
            )?;
            Ok(())
        })?;
        self.package_preset(&input.name)
    }

    pub fn delete_package_preset(&self, id: i64) -> AppResult<()> {
        let n = self
            .store
            .write(|tx| Ok(tx.execute("DELETE FROM package_presets WHERE id = ?1", [id])?))?;
        if n == 0 {
            return Err(AppError::not_found(format!(
                "There is no package preset {id}"
            )));
        }
        Ok(())
    }

    /// The label layout the user last chose (4x6 until they choose).
    pub fn label_layout(&self) -> AppResult<LabelLayout> {
        Ok(self
            .store
            .setting(LABEL_LAYOUT_SETTING)?
            .and_then(|s| LabelLayout::parse(&s))
            .unwrap_or_default())
    }

    pub fn set_label_layout(&self, layout: LabelLayout) -> AppResult<()> {
        self.store
            .set_setting(LABEL_LAYOUT_SETTING, layout.as_str())
    }
}
