//! A plausible price list: per mail class a zone × weight formula, flat-rate prices for the
//! flat-rate rate indicators, dimensional weight for big boxes, and the tier ordering USPS
//! publishes — Retail above Commercial above Contract (NSA) prices.
//!
//! Prices depend only on the inputs, so a run is reproducible.

/// Mail classes the simulator prices (outbound).
pub const PRICED_CLASSES: &[&str] = &[
    "USPS_GROUND_ADVANTAGE",
    "PRIORITY_MAIL",
    "PRIORITY_MAIL_EXPRESS",
    "MEDIA_MAIL",
    "LIBRARY_MAIL",
    "BOUND_PRINTED_MATTER",
    "PARCEL_SELECT",
    "USPS_RETAIL_GROUND",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Retail,
    Commercial,
    Contract,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Retail => "RETAIL",
            Tier::Commercial => "COMMERCIAL",
            Tier::Contract => "CONTRACT",
        }
    }

    fn factor(self) -> f64 {
        match self {
            Tier::Retail => 1.0,
            Tier::Commercial => 0.86,
            Tier::Contract => 0.78,
        }
    }
}

/// Static facts about a mail class.
pub struct ClassInfo {
    pub product_name: &'static str,
    pub service_type_code: &'static str,
    pub sku_code: &'static str,
    pub max_weight_lb: f64,
    /// (zone-1 price for 1 lb, per extra zone, per extra lb at zone 1, per extra lb per zone)
    curve: (f64, f64, f64, f64),
    /// Commitment in days for zone 1 and zone 8.
    pub days: (u32, u32),
}

pub fn class_info(mail_class: &str) -> Option<ClassInfo> {
    let c = |product_name, service_type_code, sku_code, max_weight_lb, curve, days| ClassInfo {
        product_name,
        service_type_code,
        sku_code,
        max_weight_lb,
        curve,
        days,
    };
    Some(match mail_class {
        "USPS_GROUND_ADVANTAGE" => c(
            "USPS Ground Advantage",
            "001",
            "UX",
            70.0,
            (7.20, 0.45, 0.90, 0.25),
            (2, 5),
        ),
        "PRIORITY_MAIL" => c(
            "Priority Mail",
            "055",
            "PX",
            70.0,
            (9.35, 0.75, 1.20, 0.45),
            (1, 3),
        ),
        "PRIORITY_MAIL_EXPRESS" => c(
            "Priority Mail Express",
            "701",
            "EX",
            70.0,
            (30.45, 2.20, 2.50, 0.90),
            (1, 2),
        ),
        "MEDIA_MAIL" => c(
            "Media Mail",
            "071",
            "MX",
            70.0,
            (4.13, 0.0, 0.76, 0.0),
            (2, 8),
        ),
        "LIBRARY_MAIL" => c(
            "Library Mail",
            "081",
            "LX",
            70.0,
            (3.94, 0.0, 0.72, 0.0),
            (2, 8),
        ),
        "BOUND_PRINTED_MATTER" => c(
            "Bound Printed Matter",
            "091",
            "BX",
            15.0,
            (4.50, 0.20, 0.35, 0.05),
            (2, 8),
        ),
        "PARCEL_SELECT" => c(
            "Parcel Select",
            "612",
            "SX",
            70.0,
            (6.60, 0.40, 0.85, 0.22),
            (2, 7),
        ),
        "USPS_RETAIL_GROUND" => c(
            "USPS Retail Ground",
            "001",
            "RX",
            70.0,
            (7.90, 0.50, 1.00, 0.28),
            (2, 5),
        ),
        _ => return None,
    })
}

/// Flat-rate prices (retail) by mail class and rate indicator.
fn flat_rate(mail_class: &str, rate_indicator: &str) -> Option<(f64, &'static str)> {
    Some(match (mail_class, rate_indicator) {
        ("PRIORITY_MAIL", "FE") => (10.40, "Flat Rate Envelope"),
        ("PRIORITY_MAIL", "FA") => (10.70, "Legal Flat Rate Envelope"),
        ("PRIORITY_MAIL", "FP") => (11.05, "Padded Flat Rate Envelope"),
        ("PRIORITY_MAIL", "FS") => (11.00, "Small Flat Rate Box"),
        ("PRIORITY_MAIL", "FB") => (19.30, "Medium Flat Rate Box"),
        ("PRIORITY_MAIL", "PL") => (26.80, "Large Flat Rate Box"),
        ("PRIORITY_MAIL_EXPRESS", "FE") => (31.40, "Flat Rate Envelope"),
        ("PRIORITY_MAIL_EXPRESS", "FA") => (31.60, "Legal Flat Rate Envelope"),
        ("PRIORITY_MAIL_EXPRESS", "FP") => (32.10, "Padded Flat Rate Envelope"),
        _ => return None,
    })
}

/// Dimensional weight (lb) for packages over one cubic foot, else 0.
pub fn dim_weight(length: f64, width: f64, height: f64) -> f64 {
    let cubic_in = length * width * height;
    if cubic_in > 1728.0 {
        (cubic_in / 166.0).ceil()
    } else {
        0.0
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One priced product.
#[derive(Debug, Clone)]
pub struct Quote {
    pub price: f64,
    pub tier: Tier,
    pub sku: String,
    pub description: String,
    pub product_name: &'static str,
    pub service_type_code: &'static str,
    pub zone: u8,
    pub dim_weight: f64,
    pub days: u32,
}

/// Prices a package, or `None` when the class/indicator combination has no rate.
pub fn quote(
    mail_class: &str,
    rate_indicator: &str,
    zone: u8,
    weight_lb: f64,
    dims: (f64, f64, f64),
    tier: Tier,
) -> Option<Quote> {
    let info = class_info(mail_class)?;
    if tier == Tier::Retail && mail_class == "PARCEL_SELECT" {
        return None;
    }
    let dim = dim_weight(dims.0, dims.1, dims.2);
    let z = f64::from(zone.max(1));
    let (retail, description) = match flat_rate(mail_class, rate_indicator) {
        Some((p, name)) => (p, format!("{} {}", info.product_name, name)),
        None if ["SP", "DR", "DN", "CP", "NP", "OS"].contains(&rate_indicator)
            || !rate_indicator.starts_with('F') =>
        {
            let billable = weight_lb.max(dim);
            let (base, per_zone, per_lb, per_lb_zone) = info.curve;
            let at_one_lb = base + per_zone * (z - 1.0);
            let price = if billable < 1.0 {
                // Ounce tiers under a pound: quarter-pound steps.
                let quarters = (billable * 4.0).ceil().max(1.0);
                at_one_lb * (0.70 + 0.075 * quarters)
            } else {
                let extra = billable.ceil() - 1.0;
                at_one_lb + extra * (per_lb + per_lb_zone * z)
            };
            let description = format!(
                "{} {}",
                info.product_name,
                if dim > weight_lb {
                    "Dimensional"
                } else {
                    "Machinable Single-piece"
                }
            );
            (price, description)
        }
        None => return None,
    };
    let days =
        info.days.0 + ((info.days.1 - info.days.0) * u32::from(zone.min(8).saturating_sub(1))) / 7;
    let weight_code = (weight_lb.max(dim).ceil() as u32).min(999);
    let price = round2(retail * tier.factor());
    if !price.is_finite() || price < 0.0 {
        return None;
    }
    Some(Quote {
        price,
        tier,
        sku: format!(
            "D{}{}0XXXXC{zone:02}{weight_code:03}",
            info.sku_code,
            rate_indicator.chars().next().unwrap_or('S')
        ),
        description,
        product_name: info.product_name,
        service_type_code: info.service_type_code,
        zone,
        dim_weight: dim,
        days,
    })
}

/// Extra services the simulator prices: (code, name, retail price for the given item value).
pub fn extra_service(code: u32, item_value: f64) -> Option<(&'static str, f64)> {
    Some(match code {
        920 => ("USPS Tracking", 0.0),
        921 => ("Signature Confirmation", 4.40),
        922 => ("Adult Signature Required", 10.20),
        923 => ("Adult Signature Restricted Delivery", 10.65),
        924 => ("Signature Confirmation Restricted Delivery", 10.65),
        910 => ("Certified Mail", 4.85),
        955 => ("Return Receipt", 4.10),
        957 => ("Return Receipt Electronic", 2.62),
        930 => (
            "Insurance <= $500",
            round2(2.85 + 1.25 * (item_value.clamp(0.0, 500.0) / 100.0).ceil()),
        ),
        931 => (
            "Insurance > $500",
            round2(9.10 + 1.60 * ((item_value - 500.0).max(0.0) / 100.0).ceil()),
        ),
        415 => ("USPS Label Delivery", 1.50),
        991 => ("Sunday Delivery", 12.50),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_order_retail_above_commercial_above_contract() {
        for class in PRICED_CLASSES.iter().filter(|c| **c != "PARCEL_SELECT") {
            let r = quote(class, "SP", 5, 2.0, (10.0, 8.0, 4.0), Tier::Retail).unwrap();
            let c = quote(class, "SP", 5, 2.0, (10.0, 8.0, 4.0), Tier::Commercial).unwrap();
            let k = quote(class, "SP", 5, 2.0, (10.0, 8.0, 4.0), Tier::Contract).unwrap();
            assert!(r.price > c.price && c.price > k.price, "{class}");
        }
    }

    #[test]
    fn price_grows_with_zone_and_weight() {
        let p = |z, w| {
            quote(
                "PRIORITY_MAIL",
                "SP",
                z,
                w,
                (1.0, 1.0, 1.0),
                Tier::Commercial,
            )
            .unwrap()
            .price
        };
        assert!(p(1, 1.0) < p(5, 1.0));
        assert!(p(5, 1.0) < p(5, 6.0));
        assert!(p(5, 0.25) < p(5, 1.0));
    }

    #[test]
    fn flat_rate_ignores_zone_and_big_boxes_pay_dimensional_weight() {
        let a = quote("PRIORITY_MAIL", "FB", 1, 3.0, (1.0, 1.0, 1.0), Tier::Retail).unwrap();
        let b = quote("PRIORITY_MAIL", "FB", 8, 3.0, (1.0, 1.0, 1.0), Tier::Retail).unwrap();
        assert_eq!(a.price, b.price);
        let small = quote(
            "USPS_GROUND_ADVANTAGE",
            "SP",
            4,
            2.0,
            (10.0, 10.0, 10.0),
            Tier::Retail,
        )
        .unwrap();
        let big = quote(
            "USPS_GROUND_ADVANTAGE",
            "SP",
            4,
            2.0,
            (20.0, 20.0, 20.0),
            Tier::Retail,
        )
        .unwrap();
        assert!(big.price > small.price);
        assert_eq!(big.dim_weight, 49.0);
        assert!(quote("MEDIA_MAIL", "FB", 1, 1.0, (1.0, 1.0, 1.0), Tier::Retail).is_none());
    }
}
