//! The package a purchase ships: the defaults it falls back on (the order's weight, the default
//! package preset) and the limits every package must meet.

use rust_decimal::Decimal;
use usps::limits::WEIGHT_MAX_LB;

use super::ShippingService;
use super::model::{Dimensions, Package, PackagePreset};
use crate::error::{AppError, AppResult};
use crate::orders::Order;

/// A common mailer box, for orders with no preset and no dimensions.
const FALLBACK_DIMENSIONS: (i64, i64, i64) = (10, 8, 4);

impl ShippingService {
    pub(crate) fn order(&self, id: i64) -> AppResult<Order> {
        self.orders
            .order(id)?
            .ok_or_else(|| AppError::not_found(format!("There is no order with id {id}")))
    }

    /// The package a purchase uses when none is given: the default preset's box (or 10x8x4 in),
    /// weighing what the order's items weigh (or the preset's weight, or 1 lb).
    pub fn default_package(&self, order: &Order) -> AppResult<Package> {
        let preset = self.default_package_preset()?;
        let weight_oz = order_weight_oz(order).unwrap_or_else(|| {
            preset
                .as_ref()
                .and_then(|p| p.weight_oz)
                .unwrap_or(Decimal::from(16))
        });
        Ok(Package {
            weight_oz,
            dimensions: box_of(preset.map(|p| p.dimensions)),
        })
    }

    /// The box a package ships in when none is given: the default preset's, or 10x8x4 in.
    pub(crate) fn default_dimensions(&self) -> AppResult<Dimensions> {
        Ok(box_of(self.default_package_preset()?.map(|p| p.dimensions)))
    }

    /// The preset a new shipment starts with (listed first), if the shop saved any.
    pub fn default_package_preset(&self) -> AppResult<Option<PackagePreset>> {
        Ok(self.package_presets()?.into_iter().find(|p| p.is_default))
    }
}

/// What the order's items weigh together (ounces), or `None` when no item carries a weight.
pub(crate) fn order_weight_oz(order: &Order) -> Option<Decimal> {
    let items_oz: Decimal = order
        .items
        .iter()
        .filter_map(|i| i.weight_oz.map(|w| w * Decimal::from(i.quantity)))
        .sum();
    (items_oz > Decimal::ZERO).then_some(items_oz)
}

fn box_of(preset: Option<Dimensions>) -> Dimensions {
    let (l, w, h) = FALLBACK_DIMENSIONS;
    preset.unwrap_or(Dimensions {
        length_in: Decimal::from(l),
        width_in: Decimal::from(w),
        height_in: Decimal::from(h),
    })
}

pub(crate) fn validate_package(p: &Package) -> AppResult<()> {
    super::setup::validate_dimensions(&p.dimensions)?;
    if p.weight_oz <= Decimal::ZERO || p.weight_oz > Decimal::from(WEIGHT_MAX_LB * 16) {
        return Err(AppError::validation(format!(
            "The package weight must be more than 0 and at most {WEIGHT_MAX_LB} lb"
        )));
    }
    Ok(())
}
