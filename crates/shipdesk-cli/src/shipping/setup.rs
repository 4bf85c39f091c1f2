//! `shipdesk ship-from edit|delete|default` and `shipdesk presets …`: the ship-from addresses and
//! package presets Settings manages in the app, through the same core calls. An address or
//! preset is named by its id or its nickname/name.

use clap::{Args, Subcommand};
use rust_decimal::Decimal;
use shipdesk_core::AppError;
use shipdesk_core::shipping::{
    PackagePreset, PackagePresetInput, ShipFromAddress, ShipFromInput, ShipFromRemoval,
    ShippingService,
};

use super::parse_dims;
use crate::output::Output;

/// The fields `ship-from edit` changes; the others keep their value. An empty value clears an
/// optional field (`--company ""`).
#[derive(Debug, Args)]
pub struct ShipFromEditArgs {
    /// The address's id or nickname.
    pub(super) address: String,
    #[arg(long)]
    nickname: Option<String>,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    company: Option<String>,
    #[arg(long)]
    street: Option<String>,
    #[arg(long)]
    street2: Option<String>,
    #[arg(long)]
    city: Option<String>,
    #[arg(long)]
    state: Option<String>,
    /// ZIP Code, 12345 or 12345-6789.
    #[arg(long)]
    zip: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    /// Make it the default ship-from address.
    #[arg(long)]
    default: bool,
}

#[derive(Debug, Subcommand)]
pub enum PresetsCommand {
    /// Every preset, the default (the box a new shipment starts with) first.
    List,
    /// Save a box: its name, dimensions and (optionally) usual weight.
    Add {
        #[arg(long)]
        name: String,
        /// Dimensions in inches, LxWxH, e.g. 10x8x4.
        #[arg(long, value_name = "LxWxH")]
        dims: String,
        /// The usual weight in ounces (left out: weigh each package).
        #[arg(long, value_name = "OZ")]
        weight_oz: Option<Decimal>,
        /// Make it the default preset (the first preset is the default anyway).
        #[arg(long)]
        default: bool,
    },
    /// Change a preset's name, dimensions or usual weight; the others keep their value.
    Edit {
        /// The preset's id or name.
        preset: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_name = "LxWxH")]
        dims: Option<String>,
        #[arg(long, value_name = "OZ", conflicts_with = "no_weight")]
        weight_oz: Option<Decimal>,
        /// Forget the usual weight (weigh each package).
        #[arg(long)]
        no_weight: bool,
        #[arg(long)]
        default: bool,
    },
    /// Make a preset the default: new shipments start with its box (and weight).
    Default {
        /// The preset's id or name.
        preset: String,
    },
    /// Delete a preset (labels keep the box they were bought with).
    Delete {
        /// The preset's id or name.
        preset: String,
    },
}

/// The listed address whose id or nickname (case-insensitively) is `key`.
fn find_ship_from(shipping: &ShippingService, key: &str) -> Result<ShipFromAddress, AppError> {
    let key = key.trim();
    shipping
        .ship_from_addresses()?
        .into_iter()
        .find(|a| a.id.to_string() == key || a.nickname.eq_ignore_ascii_case(key))
        .ok_or_else(|| AppError::not_found(format!("There is no ship-from address \"{key}\"")))
}

fn find_preset(shipping: &ShippingService, key: &str) -> Result<PackagePreset, AppError> {
    let key = key.trim();
    shipping
        .package_presets()?
        .into_iter()
        .find(|p| p.id.to_string() == key || p.name.eq_ignore_ascii_case(key))
        .ok_or_else(|| AppError::not_found(format!("There is no package preset \"{key}\"")))
}

/// `Some("")` clears an optional field; `None` keeps it.
fn optional(new: Option<String>, old: Option<String>) -> Option<String> {
    match new {
        Some(v) if v.trim().is_empty() => None,
        Some(v) => Some(v),
        None => old,
    }
}

pub(super) fn edit_ship_from(
    shipping: &ShippingService,
    args: ShipFromEditArgs,
    out: &Output,
) -> Result<(), AppError> {
    let current = find_ship_from(shipping, &args.address)?;
    let mut a = current.address;
    if let Some(zip) = args.zip {
        let (zip5, zip4) = match zip.split_once('-') {
            Some((five, four)) => (five.to_owned(), Some(four.to_owned())),
            None => (zip, None),
        };
        a.zip5 = zip5;
        a.zip4 = zip4;
    }
    a.name = args.name.unwrap_or(a.name);
    a.company = optional(args.company, a.company);
    a.street1 = args.street.unwrap_or(a.street1);
    a.street2 = optional(args.street2, a.street2);
    a.city = args.city.unwrap_or(a.city);
    a.state = args
        .state
        .map(|s| s.to_ascii_uppercase())
        .unwrap_or(a.state);
    a.phone = optional(args.phone, a.phone);
    a.email = optional(args.email, a.email);
    let saved = shipping.update_ship_from(
        current.id,
        ShipFromInput {
            nickname: args.nickname.unwrap_or(current.nickname),
            address: a,
            is_default: args.default,
        },
    )?;
    out.value(&saved, |s| {
        format!("Saved ship-from address {} ({})", s.nickname, s.id)
    })
}

pub(super) fn delete_ship_from(
    shipping: &ShippingService,
    key: &str,
    out: &Output,
) -> Result<(), AppError> {
    let address = find_ship_from(shipping, key)?;
    let removal = shipping.remove_ship_from(address.id)?;
    out.value(&removal, |r| match r {
        ShipFromRemoval::Deleted => format!("Deleted ship-from address {}", address.nickname),
        ShipFromRemoval::Archived => format!(
            "Archived ship-from address {}: labels, SCAN forms or pickups use it, so it is kept \
             for them and no longer offered",
            address.nickname
        ),
    })
}

pub(super) fn default_ship_from(
    shipping: &ShippingService,
    key: &str,
    out: &Output,
) -> Result<(), AppError> {
    let address = find_ship_from(shipping, key)?;
    shipping.set_default_ship_from(address.id)?;
    let now = shipping.ship_from(Some(address.id))?;
    out.value(&now, |s| {
        format!("{} is the default ship-from address", s.nickname)
    })
}

fn preset_line(p: &PackagePreset) -> String {
    let d = &p.dimensions;
    let weight = p
        .weight_oz
        .map(|w| format!(", usually {w} oz"))
        .unwrap_or_default();
    format!(
        "{:>3} {}{}: {}x{}x{} in{weight}",
        p.id,
        p.name,
        if p.is_default { " (default)" } else { "" },
        d.length_in,
        d.width_in,
        d.height_in
    )
}

pub(super) fn presets(
    shipping: &ShippingService,
    cmd: PresetsCommand,
    out: &Output,
) -> Result<(), AppError> {
    match cmd {
        PresetsCommand::List => {
            let list = shipping.package_presets()?;
            out.value(&list, |l| {
                l.iter().map(preset_line).collect::<Vec<_>>().join("\n")
            })
        }
        PresetsCommand::Add {
            name,
            dims,
            weight_oz,
            default,
        } => {
            let saved = shipping.add_package_preset(PackagePresetInput {
                name,
                dimensions: parse_dims(&dims)?,
                weight_oz,
                is_default: Some(default),
            })?;
            out.value(&saved, |p| {
                format!("Saved package preset {}", preset_line(p).trim())
            })
        }
        PresetsCommand::Edit {
            preset,
            name,
            dims,
            weight_oz,
            no_weight,
            default,
        } => {
            let current = find_preset(shipping, &preset)?;
            let saved = shipping.update_package_preset(
                current.id,
                PackagePresetInput {
                    name: name.unwrap_or(current.name),
                    dimensions: match dims {
                        Some(d) => parse_dims(&d)?,
                        None => current.dimensions,
                    },
                    weight_oz: if no_weight {
                        None
                    } else {
                        weight_oz.or(current.weight_oz)
                    },
                    is_default: Some(default),
                },
            )?;
            out.value(&saved, |p| {
                format!("Saved package preset {}", preset_line(p).trim())
            })
        }
        PresetsCommand::Default { preset } => {
            let found = find_preset(shipping, &preset)?;
            shipping.set_default_package_preset(found.id)?;
            let now = find_preset(shipping, &found.id.to_string())?;
            out.value(&now, |p| {
                format!("{} is the default package preset", p.name)
            })
        }
        PresetsCommand::Delete { preset } => {
            let found = find_preset(shipping, &preset)?;
            shipping.delete_package_preset(found.id)?;
            out.value(&found, |p| format!("Deleted package preset {}", p.name))
        }
    }
}
