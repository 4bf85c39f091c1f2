//! What a shop sets up once: ship-from addresses (several, one default), package presets (one
//! default, the box a new shipment starts with), and the label layout it prints on (remembered
//! in settings).
//!
//! Removing a ship-from address never breaks what was done with it: labels keep their own copy
//! of the address, and an address a purchase, label, SCAN form or pickup points at is archived
//! (hidden from pickers) instead of deleted. An address with an unfinished purchase cannot be
//! edited until the purchase is settled, so the label is stored with the address it was bought
//! from.

use rust_decimal::Decimal;

use super::ShippingService;
use super::model::{
    Dimensions, LabelLayout, PackagePreset, PackagePresetInput, ShipFromAddress, ShipFromInput,
    ShipFromRemoval,
};
use super::store::{PresetEdit, ShipFromEdit};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::orders::label_fields::label_problems;
use crate::orders::text;
use crate::orders::usps_address::is_state_code;
use crate::orders::validate::into_error;

const LABEL_LAYOUT_SETTING: &str = "label_format";

/// The checks a ship-from address needs before USPS sees it, every problem named at its field
/// (`ship_from.zip5`) so a form shows it where it was typed.
fn validate_ship_from(input: &ShipFromInput) -> AppResult<()> {
    let a = &input.address;
    let mut problems = Vec::new();
    for (field, what, value) in [
        ("name", "a name", &a.name),
        ("street1", "a street address", &a.street1),
        ("city", "a city", &a.city),
    ] {
        if value.trim().is_empty() {
            problems.push(FieldProblem::new(
                format!("ship_from.{field}"),
                format!("The ship-from address needs {what}"),
            ));
        }
    }
    if !is_state_code(&a.state) {
        problems.push(FieldProblem::new(
            "ship_from.state",
            format!("\"{}\" is not a USPS state code", a.state),
        ));
    }
    if a.zip5.len() != 5 || !a.zip5.bytes().all(|b| b.is_ascii_digit()) {
        problems.push(FieldProblem::new(
            "ship_from.zip5",
            "The ship-from ZIP Code must be 5 digits",
        ));
    }
    if let Some(zip4) = &a.zip4
        && (zip4.len() != 4 || !zip4.bytes().all(|b| b.is_ascii_digit()))
    {
        problems.push(FieldProblem::new(
            "ship_from.zip4",
            "The ZIP+4 extension must be 4 digits",
        ));
    }
    // Ship-from addresses are in the US (labels are domestic), whatever the country field says.
    problems.extend(label_problems(
        "ship_from",
        &crate::orders::Address {
            country: "US".into(),
            ..a.clone()
        },
    ));
    if !problems.is_empty() {
        return Err(into_error(problems));
    }
    Ok(())
}

/// Every text field of a ship-from address through the store's character policy, trimmed
/// (blank optional fields become `None`).
fn clean_ship_from(mut input: ShipFromInput) -> ShipFromInput {
    if input.nickname.trim().is_empty() {
        input.nickname = input.address.name.clone();
    }
    let a = &mut input.address;
    for field in [
        &mut input.nickname,
        &mut a.name,
        &mut a.street1,
        &mut a.city,
        &mut a.state,
        &mut a.zip5,
        &mut a.country,
    ] {
        *field = text::line(field);
    }
    for field in [
        &mut a.company,
        &mut a.street2,
        &mut a.zip4,
        &mut a.phone,
        &mut a.email,
    ] {
        *field = field.as_deref().map(text::line).filter(|v| !v.is_empty());
    }
    input
}

pub(crate) fn validate_dimensions(d: &Dimensions) -> AppResult<()> {
    for (what, field, v) in [
        ("length", "length_in", d.length_in),
        ("width", "width_in", d.width_in),
        ("height", "height_in", d.height_in),
    ] {
        if v <= Decimal::ZERO || v > Decimal::from(108) {
            let message = format!("The package {what} must be more than 0 and at most 108 inches");
            return Err(AppError::invalid_fields(
                message.clone(),
                [(format!("dimensions.{field}"), message)],
            ));
        }
    }
    Ok(())
}

fn no_ship_from(id: i64) -> AppError {
    AppError::not_found(format!("There is no ship-from address {id}"))
}

fn no_preset(id: i64) -> AppError {
    AppError::not_found(format!("There is no package preset {id}"))
}

fn name_taken(name: &str) -> AppError {
    AppError::conflict(format!("A package preset named \"{name}\" already exists"))
}

/// The preset's name through the store's character policy; a name and a valid box are required,
/// and a usual weight, when given, is more than 0 and at most 70 lb (USPS's domestic limit).
fn clean_preset(input: PackagePresetInput) -> AppResult<PackagePresetInput> {
    let input = PackagePresetInput {
        name: text::line(&input.name),
        ..input
    };
    if input.name.is_empty() {
        return Err(AppError::invalid_fields(
            "Give the package preset a name",
            [("name", "Give the package preset a name")],
        ));
    }
    validate_dimensions(&input.dimensions)?;
    if let Some(w) = input.weight_oz
        && (w <= Decimal::ZERO || w > Decimal::from(70 * 16))
    {
        let message = "The usual weight must be more than 0 and at most 70 lb";
        return Err(AppError::invalid_fields(message, [("weight_oz", message)]));
    }
    Ok(input)
}

impl ShippingService {
    /// Every ship-from address, the default first.
    pub fn ship_from_addresses(&self) -> AppResult<Vec<ShipFromAddress>> {
        self.setup.ship_from_addresses()
    }

    /// The address `id`, or the default one (or the only one) when `id` is `None`.
    pub fn ship_from(&self, id: Option<i64>) -> AppResult<ShipFromAddress> {
        let found = match id {
            Some(id) => self.setup.ship_from(id)?,
            None => self.setup.default_ship_from()?,
        };
        found.ok_or_else(|| match id {
            Some(id) => no_ship_from(id),
            None => AppError::validation(
                "Add a ship-from address in Settings › Ship-from addresses first",
            ),
        })
    }

    /// Saves a new ship-from address; the first one saved becomes the default.
    pub fn add_ship_from(&self, input: ShipFromInput) -> AppResult<ShipFromAddress> {
        let input = clean_ship_from(input);
        validate_ship_from(&input)?;
        let id = self.setup.add_ship_from(&input, &self.now())?;
        self.ship_from(Some(id))
    }

    /// Replaces the address's nickname and fields (the same checks as adding one); with
    /// `is_default` it becomes the default. Labels already bought keep the address they show.
    pub fn update_ship_from(&self, id: i64, input: ShipFromInput) -> AppResult<ShipFromAddress> {
        let input = clean_ship_from(input);
        validate_ship_from(&input)?;
        match self.setup.update_ship_from(id, &input, &self.now())? {
            ShipFromEdit::Updated => self.ship_from(Some(id)),
            ShipFromEdit::NotFound => Err(no_ship_from(id)),
            ShipFromEdit::PurchaseOpen => Err(AppError::conflict(
                "A label purchase from this address is not finished. Settle it under Shipments › \
                 Purchases to check, then edit the address.",
            )),
        }
    }

    /// Deletes the address, or archives it when a purchase, label, SCAN form or pickup points at
    /// it (hidden from pickers, kept for those records). Says which.
    pub fn remove_ship_from(&self, id: i64) -> AppResult<ShipFromRemoval> {
        self.setup
            .remove_ship_from(id, &self.now())?
            .ok_or_else(|| no_ship_from(id))
    }

    pub fn set_default_ship_from(&self, id: i64) -> AppResult<()> {
        if !self.setup.set_default_ship_from(id)? {
            return Err(no_ship_from(id));
        }
        Ok(())
    }

    /// Package presets, the default first, then by name.
    pub fn package_presets(&self) -> AppResult<Vec<PackagePreset>> {
        self.setup.package_presets()
    }

    pub fn package_preset(&self, name: &str) -> AppResult<PackagePreset> {
        self.package_presets()?
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| AppError::not_found(format!("There is no package preset \"{name}\"")))
    }

    fn package_preset_by_id(&self, id: i64) -> AppResult<PackagePreset> {
        self.package_presets()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| no_preset(id))
    }

    /// Saves a new preset; the first one saved becomes the default.
    pub fn add_package_preset(&self, input: PackagePresetInput) -> AppResult<PackagePreset> {
        let input = clean_preset(input)?;
        match self.setup.add_package_preset(&input, &self.now())? {
            Some(id) => self.package_preset_by_id(id),
            None => Err(name_taken(&input.name)),
        }
    }

    /// Replaces the preset's name, box and usual weight; with `is_default` it becomes the
    /// default.
    pub fn update_package_preset(
        &self,
        id: i64,
        input: PackagePresetInput,
    ) -> AppResult<PackagePreset> {
        let input = clean_preset(input)?;
        match self.setup.update_package_preset(id, &input)? {
            PresetEdit::Updated => self.package_preset_by_id(id),
            PresetEdit::NotFound => Err(no_preset(id)),
            PresetEdit::NameTaken => Err(name_taken(&input.name)),
        }
    }

    pub fn set_default_package_preset(&self, id: i64) -> AppResult<()> {
        if !self.setup.set_default_package_preset(id)? {
            return Err(no_preset(id));
        }
        Ok(())
    }

    /// Deletes the preset (labels keep the box they were bought with); a deleted default hands
    /// the default to the first remaining preset by name.
    pub fn delete_package_preset(&self, id: i64) -> AppResult<()> {
        if !self.setup.delete_package_preset(id)? {
            return Err(no_preset(id));
        }
        Ok(())
    }

    /// The label layout the user last chose (4x6 until they choose).
    pub fn label_layout(&self) -> AppResult<LabelLayout> {
        Ok(self
            .settings
            .setting(LABEL_LAYOUT_SETTING)?
            .and_then(|s| LabelLayout::parse(&s))
            .unwrap_or_default())
    }

    pub fn set_label_layout(&self, layout: LabelLayout) -> AppResult<()> {
        self.settings
            .set_setting(LABEL_LAYOUT_SETTING, layout.as_str())
    }
}
