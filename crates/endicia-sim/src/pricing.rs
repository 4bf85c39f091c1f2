//! The simulator's own price list. It is not USPS's: it only has to be deterministic, plausible
//! and shared by labels and rate calls, so a rate quote and the label bought with the same
//! services cost the same (and differ by exactly the fees a label adds by default).
//!
//! - Zone: from the first three digits of the two ZIP codes. Same prefix → 1; otherwise the
//!   distance `d` between the prefixes gives 2 (d ≤ 50), 3 (≤ 150), 4 (≤ 300), 5 (≤ 450),
//!   6 (≤ 600), 7 (≤ 750) or 8.
//! - Postage: `base + per_unit × (units − 1) + per_zone × (zone − 1)`, where the unit is the
//!   pound (weight rounded up) for parcels and the ounce for First-Class; Media and Library Mail
//!   ignore the zone and are always `Retail` (as the guide says); the rest are `CommercialBase`.
//!   A request for `Retail` pricing adds 10 % (rounded to the cent); `CommercialPlus` is refused
//!   with 100201 (simulated accounts are not qualified for it).
//! - Fees (only for services switched on, plus Delivery Confirmation that labels add by
//!   default): see [`FEES`].

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::wire::{Doc, EwsError, Node, enum_value, money, parse_flag};

/// The domestic classes the simulator prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailClass {
    PriorityExpress,
    Priority,
    GroundAdvantage,
    First,
    LibraryMail,
    MediaMail,
    ParcelSelect,
}

pub const DOMESTIC: [MailClass; 7] = [
    MailClass::PriorityExpress,
    MailClass::Priority,
    MailClass::GroundAdvantage,
    MailClass::First,
    MailClass::ParcelSelect,
    MailClass::MediaMail,
    MailClass::LibraryMail,
];

/// International and consolidator classes: real names, but the simulator has no international
/// rates or customs forms, so they are answered `404 MailClassNotSupported`.
const NOT_SIMULATED: [&str; 8] = [
    "ExpressMailInternational",
    "PriorityMailExpressInternational",
    "FirstClassMailInternational",
    "FirstClassPackageInternationalService",
    "PriorityMailInternational",
    "GXG",
    "CriticalMail",
    "International",
];

impl MailClass {
    /// Parses a request's MailClass, case-insensitively, with the legacy names of §7: `Express`
    /// is Priority Mail Express; `ParcelPost`, `StandardPost` and `RetailGround` became Ground
    /// Advantage.
    pub fn parse(text: &str) -> Result<MailClass, EwsError> {
        let t = text.trim().to_ascii_lowercase();
        let class = match t.as_str() {
            "priorityexpress" | "express" => MailClass::PriorityExpress,
            "priority" => MailClass::Priority,
            "groundadvantage" | "parcelpost" | "standardpost" | "retailground" => {
                MailClass::GroundAdvantage
            }
            "first" => MailClass::First,
            "librarymail" => MailClass::LibraryMail,
            "mediamail" => MailClass::MediaMail,
            "parcelselect" => MailClass::ParcelSelect,
            _ if NOT_SIMULATED.iter().any(|n| n.eq_ignore_ascii_case(&t)) => {
                return Err(EwsError::new(
                    404,
                    "This mail class is not supported by the simulator.",
                ));
            }
            _ => return Err(EwsError::code(405)),
        };
        Ok(class)
    }

    pub fn name(self) -> &'static str {
        match self {
            MailClass::PriorityExpress => "PriorityExpress",
            MailClass::Priority => "Priority",
            MailClass::GroundAdvantage => "GroundAdvantage",
            MailClass::First => "First",
            MailClass::LibraryMail => "LibraryMail",
            MailClass::MediaMail => "MediaMail",
            MailClass::ParcelSelect => "ParcelSelect",
        }
    }

    pub fn service(self) -> &'static str {
        match self {
            MailClass::PriorityExpress => "Priority Mail Express",
            MailClass::Priority => "Priority Mail",
            MailClass::GroundAdvantage => "USPS Ground Advantage",
            MailClass::First => "First-Class Mail",
            MailClass::LibraryMail => "Library Mail",
            MailClass::MediaMail => "Media Mail",
            MailClass::ParcelSelect => "Parcel Select",
        }
    }

    /// Heaviest piece, in ounces: 13 oz for First-Class Mail, 70 lb for the rest.
    pub fn max_weight_oz(self) -> Decimal {
        match self {
            MailClass::First => Decimal::from(13),
            _ => Decimal::from(1120),
        }
    }

    /// Whether a label adds free Delivery Confirmation when no tracking service is asked for:
    /// the guide names Priority, First, Parcel Select (and Critical Mail). Ground Advantage
    /// replaced the First-Class and Parcel Select parcels, so it gets it too (inferred).
    pub fn auto_delivery_confirmation(self) -> bool {
        matches!(
            self,
            MailClass::Priority
                | MailClass::First
                | MailClass::ParcelSelect
                | MailClass::GroundAdvantage
        )
    }

    /// (base, per unit, per zone above 1, priced per ounce?)
    fn table(self) -> (Decimal, Decimal, Decimal, bool) {
        let c = |cents: i64| Decimal::new(cents, 2);
        match self {
            MailClass::PriorityExpress => (c(2875), c(310), c(185), false),
            // Zone 2, 1 lb: 5.44 — the guide's worked example price.
            MailClass::Priority => (c(449), c(145), c(95), false),
            MailClass::GroundAdvantage => (c(540), c(110), c(60), false),
            MailClass::ParcelSelect => (c(510), c(105), c(55), false),
            MailClass::First => (c(73), c(24), c(0), true),
            MailClass::MediaMail => (c(413), c(75), c(0), false),
            MailClass::LibraryMail => (c(393), c(72), c(0), false),
        }
    }
}

/// Zone 1–8 from the first three digits of each ZIP (`None` when a ZIP is not 5 digits).
pub fn zone(from_zip: &str, to_zip: &str) -> Option<u8> {
    let a: i32 = zip5(from_zip)?[..3].parse().ok()?;
    let b: i32 = zip5(to_zip)?[..3].parse().ok()?;
    let d = (a - b).abs();
    Some(match d {
        0 => 1,
        1..=50 => 2,
        51..=150 => 3,
        151..=300 => 4,
        301..=450 => 5,
        451..=600 => 6,
        601..=750 => 7,
        _ => 8,
    })
}

/// The ZIP5 of `12345` or `12345-6789` / `123456789`.
pub fn zip5(zip: &str) -> Option<&str> {
    let z = zip.trim();
    let ok = match z.len() {
        5 | 9 => z.chars().all(|c| c.is_ascii_digit()),
        10 => {
            z.as_bytes()[5] == b'-'
                && z.chars()
                    .enumerate()
                    .all(|(i, c)| i == 5 || c.is_ascii_digit())
        }
        _ => false,
    };
    ok.then(|| &z[..5])
}

/// Fee names in the order of the `Fees` block, with the simulator's price for each.
pub const FEES: [(&str, i64); 14] = [
    ("CertificateOfMailing", 165),
    ("CertifiedMail", 445),
    ("CollectOnDelivery", 985),
    ("DeliveryConfirmation", 0),
    ("ElectronicReturnReceipt", 255),
    ("InsuredMail", 0),
    ("RegisteredMail", 1745),
    ("RestrictedDelivery", 810),
    ("ReturnReceipt", 405),
    ("ReturnReceiptForMerchandise", 0),
    ("SignatureConfirmation", 195),
    ("SpecialHandling", 0),
    ("AdultSignature", 915),
    ("AdultSignatureRestrictedDelivery", 935),
];

/// `Services` attributes that carry a fee, mapped to their fee name.
const SERVICE_FEES: [(&str, &str); 10] = [
    ("CertifiedMail", "CertifiedMail"),
    ("COD", "CollectOnDelivery"),
    ("DeliveryConfirmation", "DeliveryConfirmation"),
    ("ElectronicReturnReceipt", "ElectronicReturnReceipt"),
    ("RegisteredMail", "RegisteredMail"),
    ("RestrictedDelivery", "RestrictedDelivery"),
    ("ReturnReceipt", "ReturnReceipt"),
    ("SignatureConfirmation", "SignatureConfirmation"),
    ("AdultSignature", "AdultSignature"),
    (
        "AdultSignatureRestrictedDelivery",
        "AdultSignatureRestrictedDelivery",
    ),
];

/// The extra services of a request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Services {
    /// Fee names switched on.
    pub on: Vec<&'static str>,
    /// USPS insurance (Endicia insurance is billed separately, so it costs no postage).
    pub usps_insurance: bool,
}

impl Services {
    /// Reads the `Services` element: each attribute ON/OFF (case-insensitive; unknown service
    /// names are ignored, a value that is neither is 1001). `InsuredMail` is OFF, UspsOnline or
    /// Endicia. Insurance and COD need InsuredValue / CODAmount.
    pub fn parse(req: &Node) -> Result<Services, EwsError> {
        let mut s = Services::default();
        let Some(node) = req.child("Services") else {
            return Ok(s);
        };
        for (name, value) in &node.attrs {
            if name.eq_ignore_ascii_case("InsuredMail") {
                match enum_value(value, &["OFF", "UspsOnline", "Endicia"]) {
                    Some("UspsOnline") => s.usps_insurance = true,
                    Some(_) => {}
                    None => return Err(EwsError::element("Services")),
                }
                continue;
            }
            let Some((_, fee)) = SERVICE_FEES
                .iter()
                .find(|(attr, _)| attr.eq_ignore_ascii_case(name))
            else {
                continue;
            };
            if parse_flag(value).ok_or_else(|| EwsError::element("Services"))? {
                s.on.push(fee);
            }
        }
        if s.usps_insurance {
            positive(req, "InsuredValue")?;
        }
        if s.on.contains(&"CollectOnDelivery") {
            positive(req, "CODAmount")?;
            positive(req, "InsuredValue")?;
        }
        Ok(s)
    }

    /// Which tracking service the piece carries (for the tracking number's service code).
    pub fn tracking(&self) -> Tracking {
        if self.on.contains(&"CertifiedMail") {
            Tracking::Certified
        } else if self.on.contains(&"SignatureConfirmation") {
            Tracking::Signature
        } else if self.on.contains(&"DeliveryConfirmation") {
            Tracking::Delivery
        } else {
            Tracking::None
        }
    }

    pub fn has_tracking(&self) -> bool {
        self.tracking() != Tracking::None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tracking {
    Delivery,
    Signature,
    Certified,
    None,
}

fn positive(req: &Node, name: &str) -> Result<Decimal, EwsError> {
    req.text_of(name)
        .and_then(crate::wire::parse_decimal)
        .filter(|v| *v > Decimal::ZERO)
        .ok_or_else(|| EwsError::element(name))
}

/// A price, itemised.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub class: MailClass,
    pub zone: u8,
    pub pricing: &'static str,
    pub postage: Decimal,
    /// (fee name, amount) for every fee of [`FEES`]; zero where not used.
    pub fees: Vec<(&'static str, Decimal)>,
}

impl Quote {
    pub fn fees_total(&self) -> Decimal {
        self.fees.iter().map(|(_, v)| *v).sum()
    }

    pub fn total(&self) -> Decimal {
        self.postage + self.fees_total()
    }

    /// The `PostagePrice` block (with `MailClass`, as W15+ answers carry it).
    pub fn write(&self, doc: &mut Doc) {
        doc.open("PostagePrice", &[("TotalAmount", money(self.total()))])
            .leaf("MailClass", self.class.name())
            .open("Postage", &[("TotalAmount", money(self.postage))])
            .leaf("MailService", self.class.service())
            .leaf("Zone", self.zone)
            // TRG spells it IntraNDC, W15 and the sandbox IntraBMC: we follow the newer answers.
            .leaf("IntraBMC", if self.zone <= 2 { "true" } else { "false" })
            .leaf("Pricing", self.pricing)
            .close()
            .open("Fees", &[("TotalAmount", money(self.fees_total()))]);
        for (name, amount) in &self.fees {
            doc.leaf(name, money(*amount));
        }
        doc.close().close();
    }
}

/// Prices one piece. `weight_oz` must already be checked (> 0, within the class maximum).
pub fn quote(
    class: MailClass,
    weight_oz: Decimal,
    zone: u8,
    pricing: Option<&str>,
    services: &Services,
    insured_value: Option<Decimal>,
) -> Result<Quote, EwsError> {
    let (base, per_unit, per_zone, by_ounce) = class.table();
    let units = if by_ounce {
        weight_oz.ceil()
    } else {
        (weight_oz / Decimal::from(16)).ceil()
    }
    .max(Decimal::ONE);
    let zone_steps = Decimal::from(zone.saturating_sub(1));
    let mut postage = base + per_unit * (units - Decimal::ONE) + per_zone * zone_steps;
    let retail_only = matches!(class, MailClass::MediaMail | MailClass::LibraryMail);
    let pricing =
        match pricing.map(|p| enum_value(p, &["Retail", "CommercialBase", "CommercialPlus"])) {
            None => {
                if retail_only {
                    "Retail"
                } else {
                    "CommercialBase"
                }
            }
            Some(None) => return Err(EwsError::element("Pricing")),
            Some(Some("CommercialPlus")) => return Err(EwsError::code(100201)),
            Some(Some("Retail")) if !retail_only => {
                postage = (postage * Decimal::new(110, 2)).round_dp(2);
                "Retail"
            }
            Some(Some(_)) if retail_only => "Retail",
            Some(Some(p)) => p,
        };
    let fees = FEES
        .iter()
        .map(|&(name, cents)| {
            let amount = if name == "InsuredMail" && services.usps_insurance {
                // 2.05 per started $100 of declared value.
                let hundreds = (insured_value.unwrap_or_default() / Decimal::from(100)).ceil();
                Decimal::new(205, 2) * hundreds.max(Decimal::ONE)
            } else if services.on.contains(&name) {
                Decimal::new(cents, 2)
            } else {
                Decimal::ZERO
            };
            (name, amount)
        })
        .collect();
    Ok(Quote {
        class,
        zone,
        pricing,
        postage,
        fees,
    })
}

/// Weight in ounces as the request gives it: 1001 when missing or not a number, 406 when not
/// above zero, 407 above the class maximum.
pub fn weight(req: &Node, class: Option<MailClass>) -> Result<Decimal, EwsError> {
    let w = req
        .text_of("WeightOz")
        .and_then(crate::wire::parse_decimal)
        .ok_or_else(|| EwsError::element("WeightOz"))?;
    if w <= Decimal::ZERO {
        return Err(EwsError::code(406));
    }
    let max = class.map_or(Decimal::from(1120), MailClass::max_weight_oz);
    if w > max {
        return Err(EwsError::code(407));
    }
    Ok(w)
}

/// "1 lb 4 oz" for the printed label.
pub fn weight_text(oz: Decimal) -> String {
    let total = oz.ceil().to_u64().unwrap_or(0);
    match (total / 16, total % 16) {
        (0, o) => format!("{o} oz"),
        (l, 0) => format!("{l} lb"),
        (l, o) => format!("{l} lb {o} oz"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn zones_from_prefixes() {
        assert_eq!(zone("10001", "10002"), Some(1));
        assert_eq!(zone("10001", "12345"), Some(2));
        assert_eq!(zone("10001", "90210"), Some(8));
        assert_eq!(zone("10001", "9021"), None);
        assert_eq!(zip5("90210-1234"), Some("90210"));
        assert_eq!(zip5("9021O"), None);
    }

    #[test]
    fn guide_example_priority_zone2_with_signature() {
        let s = Services {
            on: vec!["SignatureConfirmation"],
            usps_insurance: false,
        };
        let q = quote(MailClass::Priority, d("12"), 2, None, &s, None).unwrap();
        assert_eq!(q.postage, d("5.44"));
        assert_eq!(q.total(), d("7.39"));
        assert_eq!(q.pricing, "CommercialBase");
    }

    #[test]
    fn weight_rounds_up_and_media_is_retail() {
        let none = Services::default();
        let q = quote(MailClass::Priority, d("16.1"), 1, None, &none, None).unwrap();
        assert_eq!(q.postage, d("5.94"));
        let m = quote(MailClass::MediaMail, d("40"), 8, None, &none, None).unwrap();
        assert_eq!((m.postage, m.pricing), (d("5.63"), "Retail"));
        let f = quote(MailClass::First, d("3.2"), 5, None, &none, None).unwrap();
        assert_eq!(f.postage, d("1.45"));
        let r = quote(MailClass::Priority, d("1"), 1, Some("retail"), &none, None).unwrap();
        assert_eq!(r.postage, d("4.94"));
        assert_eq!(
            quote(
                MailClass::Priority,
                d("1"),
                1,
                Some("CommercialPlus"),
                &none,
                None
            )
            .unwrap_err()
            .code,
            100201
        );
        assert_eq!(weight_text(d("20")), "1 lb 4 oz");
    }

    #[test]
    fn mail_class_names() {
        assert_eq!(
            MailClass::parse("express").unwrap(),
            MailClass::PriorityExpress
        );
        assert_eq!(
            MailClass::parse("ParcelPost").unwrap(),
            MailClass::GroundAdvantage
        );
        assert_eq!(MailClass::parse("Bogus").unwrap_err().code, 405);
        assert_eq!(
            MailClass::parse("PriorityMailInternational")
                .unwrap_err()
                .code,
            404
        );
    }
}
