//! What a shop sets up once: ship-from addresses (several, one default), package presets, and
//! the label layout it prints on (remembered in settings).

use rust_decimal::Decimal;

use super::ShippingService;
use super::model::{
    Dimensions, LabelLayout, PackagePreset, PackagePresetInput, ShipFromAddress, ShipFromInput,
};
use crate::error::{AppError, AppResult};
use crate::orders::label_fields::label_problems;
use crate::orders::text;
use crate::orders::usps_address::is_state_code;
use crate::orders::validate::into_error;

const LABEL_LAYOUT_SETTING: &str = "label_format";

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
    // Ship-from addresses are in the US (labels are domestic), whatever the country field says.
    let problems = label_problems(
        "ship_from",
        &crate::orders::Address {
            country: "US".into(),
            ..a.clone()
        },
    );
    if !problems.is_empty() {
        return Err(into_error(problems));
    }
    Ok(())
}

/// Every text field of a ship-from address through the store's character policy, trimmed
/// (blank optional fields become `None`).
fn clean_ship_from(mut input: ShipFromInput) -> ShipFromInput {
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
            Some(id) => AppError::not_found(format!("There is no ship-from address {id}")),
            None => AppError::validation("Add a ship-from address in Settings › Ship From first"),
        })
    }

    /// Saves a new ship-from address; the first one saved becomes the default.
    pub fn add_ship_from(&self, input: ShipFromInput) -> AppResult<ShipFromAddress> {
        let input = clean_ship_from(input);
        validate_ship_from(&input)?;
        let id = self.setup.add_ship_from(&input, &self.now())?;
        self.ship_from(Some(id))
    }

    pub fn set_default_ship_from(&self, id: i64) -> AppResult<()> {
        self.ship_from(Some(id))?;
        self.setup.set_default_ship_from(id)
    }

    /// Package presets, by name.
    pub fn package_presets(&self) -> AppResult<Vec<PackagePreset>> {
        self.setup.package_presets()
    }

    pub fn package_preset(&self, name: &str) -> AppResult<PackagePreset> {
        self.package_presets()?
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| AppError::not_found(format!("There is no package preset \"{name}\"")))
    }

    pub fn add_package_preset(&self, input: PackagePresetInput) -> AppResult<PackagePreset> {
        let input = PackagePresetInput {
            name: text::line(&input.name),
            ..input
        };
        if input.name.is_empty() {
            return Err(AppError::validation("Give the package preset a name"));
        }
        validate_dimensions(&input.dimensions)?;
        if self
            .setup
            .add_package_preset(&input, &self.now())?
            .is_none()
        {
            return Err(AppError::conflict(format!(
                "A package preset named \"{}\" already exists",
                input.name
            )));
        }
        self.package_preset(&input.name)
    }

    pub fn delete_package_preset(&self, id: i64) -> AppResult<()> {
        if !self.setup.delete_package_preset(id)? {
            return Err(AppError::not_found(format!(
                "There is no package preset {id}"
            )));
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
