//! From an order, a ship-from address, a package and a chosen rate to USPS's `LabelRequest`,
//! plus the defaults a purchase falls back on (the order's weight, the first package preset).

use rust_decimal::Decimal;
use usps::models::{ImageInfo, LabelAddress, LabelRequest, PackageDescription};

use super::ShippingService;
use super::model::{Dimensions, Package, RateChoice, to_f64};
use crate::error::{AppError, AppResult};
use crate::orders::{Address, Order, OrdersService};

/// A common mailer box, for orders with no preset and no dimensions.
const FALLBACK_DIMENSIONS: (i64, i64, i64) = (10, 8, 4);

/// USPS wants a first and last name, or a firm.
fn split_name(name: &str) -> (Option<String>, Option<String>) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((first, last)) => (Some(first.trim().to_owned()), Some(last.to_owned())),
        None if name.is_empty() => (None, None),
        None => (None, None),
    }
}

fn digits(phone: &Option<String>) -> Option<String> {
    let d: String = phone
        .as_deref()?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let d = d
        .strip_prefix('1')
        .filter(|r| r.len() == 10)
        .map(str::to_owned)
        .unwrap_or(d);
    (d.len() == 10).then_some(d)
}

pub(crate) fn label_address(a: &Address, ignore_bad_address: bool) -> LabelAddress {
    let (first, last) = split_name(&a.name);
    let company = a.company.clone().filter(|c| !c.trim().is_empty());
    // A one-word name without a company still needs a firm for USPS to accept it.
    let firm = company.or_else(|| first.is_none().then(|| a.name.trim().to_owned()));
    LabelAddress {
        first_name: first,
        last_name: last,
        firm,
        street_address: a.street1.trim().to_owned(),
        secondary_address: a.street2.clone().filter(|s| !s.trim().is_empty()),
        city: a.city.trim().to_owned(),
        state: a.state.trim().to_owned(),
        zip_code: a.zip5.trim().to_owned(),
        zip_plus4: a.zip4.clone().filter(|z| z.len() == 4),
        phone: digits(&a.phone),
        email: a.email.clone().filter(|e| e.contains('@')),
        ignore_bad_address: ignore_bad_address.then_some(true),
        ..Default::default()
    }
}

pub(crate) struct LabelParts<'a> {
    pub from: &'a Address,
    pub to: &'a Address,
    pub package: &'a Package,
    pub rate: &'a RateChoice,
    pub mailing_date: &'a str,
    pub ignore_bad_address: bool,
}

pub(crate) fn label_request(p: &LabelParts<'_>) -> LabelRequest {
    let d = p.package.dimensions;
    LabelRequest {
        image_info: Some(ImageInfo {
            image_type: Some("PDF".into()),
            label_type: Some("4X6LABEL".into()),
            receipt_option: Some("NONE".into()),
            ..Default::default()
        }),
        to_address: label_address(p.to, p.ignore_bad_address),
        from_address: label_address(p.from, false),
        package_description: PackageDescription {
            mail_class: p.rate.mail_class.clone(),
            rate_indicator: Some(p.rate.rate_indicator.clone()),
            weight_uom: Some("lb".into()),
            weight: (p.package.weight_lb() * 10_000.0).round() / 10_000.0,
            dimensions_uom: Some("in".into()),
            length: Some(to_f64(d.length_in)),
            width: Some(to_f64(d.width_in)),
            height: Some(to_f64(d.height_in)),
            processing_category: p.rate.processing_category.clone(),
            mailing_date: p.mailing_date.to_owned(),
            destination_entry_facility_type: "NONE".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

impl ShippingService {
    pub(crate) fn order(&self, id: i64) -> AppResult<Order> {
        OrdersService::new(&self.store, &*self.clock).get(id)
    }

    /// The package a purchase uses when none is given: the first preset's box (or 10x8x4 in),
    /// weighing what the order's items weigh (or the preset's weight, or 1 lb).
    pub fn default_package(&self, order: &Order) -> AppResult<Package> {
        let preset = self.package_presets()?.into_iter().next();
        let items_oz: Decimal = order
            .items
            .iter()
            .filter_map(|i| i.weight_oz.map(|w| w * Decimal::from(i.quantity)))
            .sum();
        let weight_oz = if items_oz > Decimal::ZERO {
            items_oz
        } else {
            preset
                .as_ref()
                .and_then(|p| p.weight_oz)
                .unwrap_or(Decimal::from(16))
        };
        let (l, w, h) = FALLBACK_DIMENSIONS;
        let dimensions = preset.map(|p| p.dimensions).unwrap_or(Dimensions {
            length_in: Decimal::from(l),
            width_in: Decimal::from(w),
            height_in: Decimal::from(h),
        });
        Ok(Package {
            weight_oz,
            dimensions,
        })
    }
}

pub(crate) fn validate_package(p: &Package) -> AppResult<()> {
    super::setup::validate_dimensions(&p.dimensions)?;
    if p.weight_oz <= Decimal::ZERO || p.weight_oz > Decimal::from(70 * 16) {
        return Err(AppError::validation(
            "The package weight must be more than 0 and at most 70 lb",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_or_become_a_firm() {
        let mut a = Address {
            name: "Mary Ann Smith".into(),
            street1: "1 Main St".into(),
            city: "X".into(),
            state: "MO".into(),
            zip5: "63116".into(),
            phone: Some("+1 (314) 555-0100".into()),
            ..Default::default()
        };
        let l = label_address(&a, false);
        assert_eq!(
            (l.first_name.as_deref(), l.last_name.as_deref(), l.firm),
            (Some("Mary Ann"), Some("Smith"), None)
        );
        assert_eq!(l.phone.as_deref(), Some("3145550100"));
        a.name = "Cher".into();
        let l = label_address(&a, true);
        assert_eq!(l.firm.as_deref(), Some("Cher"));
        assert_eq!(l.ignore_bad_address, Some(true));
    }
}
