//! The international services the simulator sells, what each accepts (rate indicators, weight,
//! size and value limits) and its fixed price table by price group. Prices follow one formula
//! per service — a price for the first pound in each group plus a price per further pound, with
//! quarter-pound steps under a pound — and flat prices per group for the flat rate products.
//! Every number is listed in docs/usps.md#international.

use super::countries::Destination;
use crate::pricing::dim_weight;

pub const PMEI: &str = "PRIORITY_MAIL_EXPRESS_INTERNATIONAL";
pub const PMI: &str = "PRIORITY_MAIL_INTERNATIONAL";
pub const FCPIS: &str = "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE";
/// Suspended since 2024-09-29: in the enums, priced nowhere.
pub const GXG: &str = "GLOBAL_EXPRESS_GUARANTEED";

/// The mail classes of the price searches' enums.
pub const PRICE_CLASSES: &[&str] = &[FCPIS, PMI, PMEI, GXG];
/// The mail classes of the labels API.
pub const LABEL_CLASSES: &[&str] = &[FCPIS, PMI, PMEI];
/// The rate indicators of the price searches' enums.
pub const PRICE_INDICATORS: &[&str] = &[
    "E4", "E6", "E7", "FA", "FB", "FE", "FP", "FS", "PA", "PL", "SP", "EP", "HA", "HB", "HE", "HL",
    "HP", "HS", "LE",
];
/// The rate indicators of the labels API.
pub const LABEL_INDICATORS: &[&str] = &["E4", "E6", "FA", "FB", "FE", "FP", "FS", "PA", "PL", "SP"];

/// Declared contents value a customs form CN22 (small packages and envelopes) allows, in USD.
pub const SMALL_PACKAGE_VALUE_LIMIT: f64 = 400.0;
/// Insurance USPS sells on an international package, at most (extra services 930/931).
pub const MAX_INSURED_VALUE: f64 = 5000.0;

/// One service.
pub struct Service {
    pub mail_class: &'static str,
    pub product_name: &'static str,
    /// SKU letter after the leading `I`.
    sku_letter: char,
    /// Two-letter prefix of its 13-character tracking numbers.
    pub tracking_prefix: &'static str,
    /// Price of the first pound by group 1–9, and of each further pound.
    first_pound: [f64; 9],
    per_pound: [f64; 9],
    /// Longest side, in inches.
    pub max_length: f64,
    /// Length plus girth (PMI, PMEI) or length plus width plus height (FCPIS), in inches.
    pub max_size: f64,
    /// Weight ceiling regardless of destination (FCPIS); `None`: the destination's.
    fixed_max_weight: Option<f64>,
    /// Contents value the service takes at most, whatever the packaging.
    pub max_value: Option<f64>,
}

const SERVICES: &[Service] = &[
    Service {
        mail_class: PMEI,
        product_name: "Priority Mail Express International",
        sku_letter: 'E',
        tracking_prefix: "EZ",
        first_pound: [
            48.50, 54.10, 62.40, 66.80, 70.95, 74.30, 78.65, 83.20, 88.75,
        ],
        per_pound: [2.10, 2.90, 3.80, 4.30, 4.75, 5.20, 5.60, 6.10, 6.70],
        max_length: 42.0,
        max_size: 79.0,
        fixed_max_weight: None,
        max_value: None,
    },
    Service {
        mail_class: PMI,
        product_name: "Priority Mail International",
        sku_letter: 'P',
        tracking_prefix: "CP",
        first_pound: [
            31.20, 35.80, 41.05, 44.60, 47.90, 50.35, 53.10, 56.40, 60.20,
        ],
        per_pound: [1.55, 2.10, 3.05, 3.40, 3.75, 4.10, 4.45, 4.80, 5.30],
        max_length: 42.0,
        max_size: 79.0,
        fixed_max_weight: None,
        max_value: None,
    },
    Service {
        mail_class: FCPIS,
        product_name: "First-Class Package International Service",
        sku_letter: 'F',
        tracking_prefix: "LZ",
        first_pound: [
            17.85, 19.60, 24.90, 26.40, 27.75, 29.10, 30.35, 31.85, 33.50,
        ],
        per_pound: [5.10, 6.20, 7.90, 8.40, 8.90, 9.30, 9.80, 10.20, 10.90],
        max_length: 24.0,
        max_size: 36.0,
        fixed_max_weight: Some(4.0),
        max_value: Some(SMALL_PACKAGE_VALUE_LIMIT),
    },
];

pub fn service(mail_class: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.mail_class == mail_class)
}

/// A flat rate product: (first-group price, step per group, name, weight ceiling in lb,
/// whether the contents value is held to [`SMALL_PACKAGE_VALUE_LIMIT`]).
struct Flat {
    price: f64,
    step: f64,
    name: &'static str,
    max_weight: f64,
    small: bool,
}

fn flat(mail_class: &str, indicator: &str) -> Option<Flat> {
    let f = |price, step, name, max_weight, small| Flat {
        price,
        step,
        name,
        max_weight,
        small,
    };
    Some(match (mail_class, indicator) {
        (PMI, "FE") => f(34.15, 2.05, "Flat Rate Envelope", 4.0, true),
        (PMI, "FA") => f(34.65, 2.05, "Legal Flat Rate Envelope", 4.0, true),
        (PMI, "FP") => f(35.35, 2.10, "Padded Flat Rate Envelope", 4.0, true),
        (PMI, "FS") => f(35.40, 2.15, "Small Flat Rate Box", 4.0, true),
        (PMI, "FB") => f(71.35, 4.35, "Medium Flat Rate Box", 20.0, false),
        (PMI, "PL") => f(92.30, 5.60, "Large Flat Rate Box", 20.0, false),
        (PMEI, "E4") => f(47.80, 3.15, "Flat Rate Envelope", 4.0, true),
        (PMEI, "E6") => f(48.30, 3.15, "Legal Flat Rate Envelope", 4.0, true),
        (PMEI, "FP") => f(49.10, 3.20, "Padded Flat Rate Envelope", 4.0, true),
        _ => return None,
    })
}

/// The rate indicators a service prices: its single-piece indicator first.
pub fn indicators(mail_class: &str) -> &'static [&'static str] {
    match mail_class {
        PMEI => &["PA", "E4", "E6", "FP"],
        PMI => &["SP", "FE", "FA", "FP", "FS", "FB", "PL"],
        FCPIS => &["SP"],
        _ => &[],
    }
}

/// The price tier of a search or label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Retail,
    CommercialBase,
    CommercialPlus,
    Contract,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Retail => "RETAIL",
            Tier::CommercialBase => "COMMERCIAL_BASE",
            Tier::CommercialPlus => "COMMERCIAL_PLUS",
            Tier::Contract => "CONTRACT",
        }
    }

    fn factor(self) -> f64 {
        match self {
            Tier::Retail => 1.0,
            Tier::CommercialBase => 0.94,
            Tier::CommercialPlus => 0.91,
            Tier::Contract => 0.86,
        }
    }

    fn sku_letter(self) -> char {
        match self {
            Tier::Retail => 'R',
            Tier::CommercialBase => 'B',
            Tier::CommercialPlus => 'P',
            Tier::Contract => 'C',
        }
    }
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Why a package cannot go by a service (price searches answer these codes; lists leave the
/// option out).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unfit {
    /// 030004: over the weight ceiling (service, product or destination).
    Weight(f64),
    /// 030008: longer or bigger than the service takes.
    Size,
    /// 030020: the service or product does not serve the destination or has no price.
    NoRate,
}

/// A priced international product.
#[derive(Debug, Clone)]
pub struct Quote {
    pub mail_class: &'static str,
    pub indicator: &'static str,
    pub product_name: &'static str,
    pub description: String,
    pub sku: String,
    pub price: f64,
    pub tier: Tier,
    pub group: u8,
    pub weight: f64,
    pub dim_weight: f64,
    /// Contents value limit of this product, if it has one.
    pub max_value: Option<f64>,
}

/// The weight ceiling of a service and rate indicator to a destination.
pub fn max_weight(s: &Service, indicator: &str, to: &Destination) -> f64 {
    let product = flat(s.mail_class, indicator).map(|f| f.max_weight);
    let service = s.fixed_max_weight.unwrap_or(to.max_weight_lb);
    product.map_or(service, |p| p.min(service))
}

/// Prices a package, or says why the service cannot take it.
pub fn quote(
    mail_class: &str,
    indicator: &str,
    to: &Destination,
    weight: f64,
    dims: (f64, f64, f64),
    tier: Tier,
    isc: bool,
) -> Result<Quote, Unfit> {
    let s = service(mail_class).ok_or(Unfit::NoRate)?;
    let indicator = *indicators(mail_class)
        .iter()
        .find(|i| **i == indicator)
        .ok_or(Unfit::NoRate)?;
    if mail_class == PMEI && !to.express {
        return Err(Unfit::NoRate);
    }
    let ceiling = max_weight(s, indicator, to);
    if weight > ceiling {
        return Err(Unfit::Weight(ceiling));
    }
    let mut sides = [dims.0, dims.1, dims.2];
    sides.sort_by(f64::total_cmp);
    let size = if mail_class == FCPIS {
        sides.iter().sum::<f64>()
    } else {
        sides[2] + 2.0 * (sides[0] + sides[1])
    };
    if sides[2] > s.max_length || size > s.max_size {
        return Err(Unfit::Size);
    }
    let g = usize::from(to.group.clamp(1, 9)) - 1;
    let product = flat(mail_class, indicator);
    let dim = if product.is_some() || mail_class == FCPIS {
        0.0
    } else {
        dim_weight(dims.0, dims.1, dims.2)
    };
    let billable = weight.max(dim);
    let (retail, name) = match &product {
        Some(f) => (f.price + f.step * g as f64, f.name),
        None if billable < 1.0 => {
            let quarters = (billable * 4.0).ceil().max(1.0);
            (s.first_pound[g] * (0.70 + 0.075 * quarters), "")
        }
        None => (
            s.first_pound[g] + s.per_pound[g] * (billable.ceil() - 1.0),
            "",
        ),
    };
    let isc_text = if isc { " ISC" } else { "" };
    let description = match (&product, mail_class) {
        (Some(_), _) => format!("{}{isc_text} {name}", s.product_name),
        (None, FCPIS) => format!("{}{isc_text} Package", s.product_name),
        (None, _) => format!("{}{isc_text} Single-piece", s.product_name),
    };
    let indicator_code = match indicator {
        "SP" | "PA" => "XX0".to_string(),
        other => format!("{other}0"),
    };
    let weight_code = ((billable.ceil() as u32) * 10).min(999);
    let max_value = match &product {
        Some(f) if f.small => Some(SMALL_PACKAGE_VALUE_LIMIT),
        _ => s.max_value,
    };
    Ok(Quote {
        mail_class: s.mail_class,
        indicator,
        product_name: s.product_name,
        description,
        sku: format!(
            "I{}{indicator_code}XXXX{}{:02}{weight_code:03}",
            s.sku_letter,
            tier.sku_letter(),
            to.group
        ),
        price: round2(retail * tier.factor()),
        tier,
        group: to.group,
        weight,
        dim_weight: dim,
        max_value,
    })
}

/// An extra service on international packages: (code, name, SKU, price for the contents value),
/// or `None` when the service is not sold with `mail_class`. Insurance is not sold with First-Class
/// Package International Service; Return Receipt (955) is no longer sold.
pub fn extra_service(
    code: u32,
    mail_class: &str,
    value: f64,
) -> Option<(&'static str, &'static str, f64)> {
    let insurable = mail_class != FCPIS;
    Some(match code {
        370 => ("USPS Delivery Duties Paid Fee", "IX370XXXXCX0000", 2.50),
        813 if insurable => ("HAZMAT Class 7 - Radioactive Materials Package", "NA", 0.0),
        820 => (
            "HAZMAT Class 9 - Lithium batteries, unmarked package",
            "NA",
            0.0,
        ),
        826 if insurable => (
            "HAZMAT Division 6.2 - Infectious Substances Package",
            "NA",
            0.0,
        ),
        857 => ("Hazardous Material", "NA", 0.0),
        930 if insurable => (
            "Insurance <= $500",
            "IXIP0XXXXCX0200",
            round2(1.60 * (value.clamp(0.0, 500.0) / 100.0).ceil()),
        ),
        931 if insurable => (
            "Insurance > $500",
            "IXIP1XXXXCX0200",
            round2(8.00 + 1.45 * ((value - 500.0).max(0.0) / 100.0).ceil()),
        ),
        480..=484 => ("USPS Tracking Plus", "IX480XXXXCX0000", 1.75),
        486..=488 => ("USPS Tracking Plus Signature", "IX486XXXXCX0000", 4.25),
        _ => return None,
    })
}

/// First-Class Mail International letters, flats and cards: the price for `weight_oz` to a
/// price group, or `None` over the category's ceiling (letters and cards 3.5 oz, flats 13 oz).
pub fn letter_price(category: &str, group: u8, weight_oz: f64) -> Option<f64> {
    let g = f64::from(group.clamp(1, 9) - 1);
    let ounces = weight_oz.ceil().max(1.0);
    match category {
        "CARDS" if weight_oz <= 3.5 => Some(round2(1.65 + 0.05 * g)),
        "LETTERS" if weight_oz <= 3.5 => Some(round2(1.65 + 0.05 * g + (ounces - 1.0) * 0.31)),
        "FLATS" if weight_oz <= 13.0 => Some(round2(3.30 + 0.25 * g + (ounces - 1.0) * 0.62)),
        _ => None,
    }
}

/// The nonmachinable letter fee.
pub const NONMACHINABLE_FEE: f64 = 0.49;

#[cfg(test)]
mod tests {
    use super::super::countries::destination;
    use super::*;

    #[test]
    fn prices_follow_the_table() {
        let ca = destination("CA").unwrap();
        let au = destination("AU").unwrap();
        let q = |class, ri, to: &Destination, w| {
            quote(class, ri, to, w, (10.0, 8.0, 4.0), Tier::Retail, false)
        };
        assert_eq!(q(PMI, "SP", &ca, 1.0).unwrap().price, 31.20);
        assert_eq!(q(PMI, "SP", &ca, 3.0).unwrap().price, 34.30);
        assert_eq!(q(PMI, "FB", &au, 3.0).unwrap().price, 88.75);
        assert_eq!(q(PMI, "SP", &ca, 1.0).unwrap().sku, "IPXX0XXXXR01010");
        assert!(q(PMI, "SP", &au, 1.0).unwrap().price > q(PMI, "SP", &ca, 1.0).unwrap().price);
        assert_eq!(q(FCPIS, "SP", &ca, 5.0).unwrap_err(), Unfit::Weight(4.0));
        assert_eq!(q(PMI, "FE", &ca, 5.0).unwrap_err(), Unfit::Weight(4.0));
        assert_eq!(q(PMI, "SP", &au, 50.0).unwrap_err(), Unfit::Weight(44.0));
        assert_eq!(q(PMI, "E4", &ca, 1.0).unwrap_err(), Unfit::NoRate);
        let ua = destination("UA").unwrap();
        assert_eq!(q(PMEI, "PA", &ua, 1.0).unwrap_err(), Unfit::NoRate);
        let big = quote(PMI, "SP", &ca, 1.0, (43.0, 5.0, 5.0), Tier::Retail, false);
        assert_eq!(big.unwrap_err(), Unfit::Size);
    }

    #[test]
    fn tiers_order_and_letters_grow_with_weight() {
        let ca = destination("CA").unwrap();
        let p = |t| {
            quote(PMI, "SP", &ca, 2.0, (1.0, 1.0, 1.0), t, false)
                .unwrap()
                .price
        };
        assert!(p(Tier::Retail) > p(Tier::CommercialBase));
        assert!(p(Tier::CommercialBase) > p(Tier::CommercialPlus));
        assert!(p(Tier::CommercialPlus) > p(Tier::Contract));
        assert!(letter_price("LETTERS", 1, 1.0) < letter_price("LETTERS", 1, 3.0));
        assert_eq!(letter_price("LETTERS", 1, 4.0), None);
        assert_eq!(letter_price("FLATS", 1, 13.5), None);
    }
}
