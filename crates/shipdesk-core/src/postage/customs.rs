//! The customs declaration a package abroad carries (USPS prints it with the label as PS Form
//! 2976 / 2976-A), and the rules Shipdesk checks before asking USPS, so a missing HS number or
//! an export that needs AES filing is said beside its field instead of after a refused purchase.
//!
//! The rules, from USPS's international labels API and the Foreign Trade Regulations:
//! - 1 to 30 items; each with a description a customs officer can use (not "gift" or
//!   "merchandise"), a quantity, its value in US dollars and its weight, and the country where it
//!   was made; an HS tariff number (6 to 14 digits) for merchandise and commercial samples.
//! - Exports worth more than USD 2,500 under one Schedule B number need Electronic Export
//!   Information filed in AES, and its Internal Transaction Number (`AES X` and 14 digits) on the
//!   form. Below that the exemption legend `NO EEI 30.37(a)` is printed instead; to Canada,
//!   `NO EEI 30.36` applies whatever the value (FTR 30.36: no EEI for most goods to Canada).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, AppResult};
use crate::orders::countries::country_code;

/// Above this, per Schedule B number, an export needs AES filing (FTR 30.37(a)).
pub const AES_THRESHOLD_USD: Decimal = Decimal::from_parts(2500, 0, 0, false, 0);

/// The most items one declaration holds.
pub const MAX_ITEMS: usize = 30;

const DESCRIPTION_MAX: usize = 30;
const COMMENTS_MAX: usize = 25;

/// What is in the package, as the form's checkboxes say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContentsType {
    #[default]
    Merchandise,
    Gift,
    Documents,
    CommercialSample,
    ReturnedGoods,
    /// Needs a few words in `comments`.
    Other,
}

impl ContentsType {
    /// USPS's `customsContentType`.
    pub fn usps_code(self) -> &'static str {
        match self {
            ContentsType::Merchandise => "MERCHANDISE",
            ContentsType::Gift => "GIFT",
            ContentsType::Documents => "DOCUMENT",
            ContentsType::CommercialSample => "COMMERCIAL_SAMPLE",
            ContentsType::ReturnedGoods => "RETURNED_GOODS",
            ContentsType::Other => "OTHER",
        }
    }

    fn needs_tariff_numbers(self) -> bool {
        matches!(
            self,
            ContentsType::Merchandise | ContentsType::CommercialSample
        )
    }
}

/// What the destination's post office does with a package it cannot deliver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NonDelivery {
    /// Sent back to the sender (at the sender's cost).
    #[default]
    Return,
    /// Treated as abandoned.
    Abandon,
}

impl NonDelivery {
    pub fn usps_code(self) -> &'static str {
        match self {
            NonDelivery::Return => "RETURN",
            NonDelivery::Abandon => "ABANDON",
        }
    }
}

/// Inspections the contents are subject to at the destination (PS Form 2976-A's restrictions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Restriction {
    Quarantine,
    SanitaryInspection,
    PhytosanitaryInspection,
    /// Needs a few words in `restriction_comments`.
    Other,
}

impl Restriction {
    pub fn usps_code(self) -> &'static str {
        match self {
            Restriction::Quarantine => "QUARANTINE",
            Restriction::SanitaryInspection => "SANITARY_INSPECTION",
            Restriction::PhytosanitaryInspection => "PHYTOSANITARY_INSPECTION",
            Restriction::Other => "OTHER",
        }
    }
}

/// One line of the declaration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomsItem {
    /// What it is, specifically ("Hand cream, 50 ml").
    pub description: String,
    pub quantity: u32,
    /// US dollars, for one.
    #[ts(type = "string")]
    pub value_usd: Decimal,
    /// Ounces, for one.
    #[ts(type = "string")]
    pub weight_oz: Decimal,
    /// The Harmonized System tariff number (Schedule B for exports), 6 to 14 digits.
    #[serde(default)]
    pub hs_tariff: Option<String>,
    /// ISO 3166-1 alpha-2 of the country it was made in.
    #[serde(default)]
    pub origin_country: Option<String>,
    /// The product, so its customs data can be saved for the next order of it.
    #[serde(default)]
    pub sku: Option<String>,
}

/// A package's customs declaration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomsDeclaration {
    pub contents: ContentsType,
    /// Required for `other` (at most 25 characters).
    #[serde(default)]
    pub comments: Option<String>,
    pub items: Vec<CustomsItem>,
    #[serde(default)]
    pub non_delivery: NonDelivery,
    /// An inspection the contents are subject to, if any.
    #[serde(default)]
    pub restriction: Option<Restriction>,
    /// Required with `other` (at most 25 characters).
    #[serde(default)]
    pub restriction_comments: Option<String>,
    /// The AES Internal Transaction Number, when the export was filed (`AES X…`).
    #[serde(default)]
    pub aes_itn: Option<String>,
    #[serde(default)]
    pub invoice_number: Option<String>,
}

impl CustomsDeclaration {
    /// The declared value of everything in the package.
    pub fn total_value(&self) -> Decimal {
        self.items
            .iter()
            .map(|i| i.value_usd * Decimal::from(i.quantity))
            .sum()
    }

    /// The declared weight of everything in the package, in ounces.
    pub fn total_weight_oz(&self) -> Decimal {
        self.items
            .iter()
            .map(|i| i.weight_oz * Decimal::from(i.quantity))
            .sum()
    }

    /// What prints in the form's AES/ITN box for a package to `country`: the ITN when filed,
    /// else the exemption legend that applies; `None` when the value needs an ITN and there is
    /// none.
    pub fn aes_itn_text(&self, country: &str) -> Option<String> {
        if let Some(itn) = self
            .aes_itn
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            return Some(itn.to_owned());
        }
        if country.eq_ignore_ascii_case("CA") {
            return Some("NO EEI 30.36".into());
        }
        match self.over_aes_threshold() {
            Some(_) => None,
            None => Some("NO EEI 30.37(a)".into()),
        }
    }

    /// The first Schedule B number (or description, for items without one) whose items are
    /// worth more than USD 2,500 together, and their value.
    fn over_aes_threshold(&self) -> Option<(String, Decimal)> {
        let mut by_number: BTreeMap<String, Decimal> = BTreeMap::new();
        for item in &self.items {
            let key = match item.hs_tariff.as_deref().map(tariff_digits) {
                Some(digits) if !digits.is_empty() => digits,
                _ => item.description.trim().to_lowercase(),
            };
            *by_number.entry(key).or_default() += item.value_usd * Decimal::from(item.quantity);
        }
        by_number.into_iter().find(|(_, v)| *v > AES_THRESHOLD_USD)
    }
}

fn tariff_digits(hs: &str) -> String {
    hs.chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect::<String>()
        .to_uppercase()
}

fn is_itn(text: &str) -> bool {
    let t = text.trim().to_uppercase();
    let digits = t
        .strip_prefix("AES X")
        .or_else(|| t.strip_prefix("AESX"))
        .or_else(|| t.strip_prefix('X'));
    digits.is_some_and(|d| d.len() == 14 && d.chars().all(|c| c.is_ascii_digit()))
}

/// Words a customs officer cannot act on (USPS refuses them as descriptions).
const VAGUE: &[&str] = &[
    "gift",
    "gifts",
    "merchandise",
    "goods",
    "item",
    "items",
    "none",
    "n/a",
    "na",
    "not applicable",
    "null",
    "sample",
    "stuff",
];

/// Every problem of `declaration` for a package to `country`, keyed by field
/// (`customs.items[0].hs_tariff`, `customs.aes_itn`, ...), so a form shows each beside its input.
pub fn problems(declaration: &CustomsDeclaration, country: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let d = declaration;
    if d.items.is_empty() {
        out.insert(
            "customs.items".into(),
            "List what is in the package (at least one item)".into(),
        );
    }
    if d.items.len() > MAX_ITEMS {
        out.insert(
            "customs.items".into(),
            format!("A customs form holds at most {MAX_ITEMS} items; combine similar ones"),
        );
    }
    let comments = d.comments.as_deref().map(str::trim).unwrap_or("");
    if d.contents == ContentsType::Other && comments.is_empty() {
        out.insert(
            "customs.comments".into(),
            "Say in a few words what the contents are".into(),
        );
    }
    if comments.chars().count() > COMMENTS_MAX {
        out.insert(
            "customs.comments".into(),
            format!("At most {COMMENTS_MAX} characters"),
        );
    }
    let restriction_comments = d
        .restriction_comments
        .as_deref()
        .map(str::trim)
        .unwrap_or("");
    if d.restriction == Some(Restriction::Other) && restriction_comments.is_empty() {
        out.insert(
            "customs.restriction_comments".into(),
            "Say in a few words which restriction applies".into(),
        );
    }
    if restriction_comments.chars().count() > COMMENTS_MAX {
        out.insert(
            "customs.restriction_comments".into(),
            format!("At most {COMMENTS_MAX} characters"),
        );
    }
    for (i, item) in d.items.iter().enumerate() {
        let field = |name: &str| format!("customs.items[{i}].{name}");
        let description = item.description.trim();
        if description.is_empty() {
            out.insert(field("description"), "Describe the item".into());
        } else if description.chars().count() > DESCRIPTION_MAX {
            out.insert(
                field("description"),
                format!("At most {DESCRIPTION_MAX} characters"),
            );
        } else if VAGUE.contains(&description.to_lowercase().as_str()) {
            out.insert(
                field("description"),
                format!(
                    "\"{description}\" is too vague for customs: say what it is (\"Hand cream\")"
                ),
            );
        }
        if !(1..=9999).contains(&item.quantity) {
            out.insert(field("quantity"), "A quantity from 1 to 9999".into());
        }
        if item.value_usd <= Decimal::ZERO {
            out.insert(
                field("value_usd"),
                "Its value in US dollars (more than 0)".into(),
            );
        }
        if item.weight_oz <= Decimal::ZERO {
            out.insert(field("weight_oz"), "Its weight (more than 0 oz)".into());
        }
        match item
            .hs_tariff
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None if d.contents.needs_tariff_numbers() => {
                out.insert(
                    field("hs_tariff"),
                    "The HS tariff number (6 to 14 digits) is required for merchandise".into(),
                );
            }
            Some(hs) => {
                let digits = tariff_digits(hs);
                let ok = (6..=14).contains(&digits.len())
                    && digits.chars().all(|c| c.is_ascii_alphanumeric());
                if !ok {
                    out.insert(
                        field("hs_tariff"),
                        format!("\"{hs}\" is not an HS tariff number (6 to 14 digits)"),
                    );
                }
            }
            None => {}
        }
        match item
            .origin_country
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                out.insert(
                    field("origin_country"),
                    "The country where it was made".into(),
                );
            }
            Some(raw) if country_code(raw).is_none() => {
                out.insert(
                    field("origin_country"),
                    format!("\"{raw}\" is not a country"),
                );
            }
            Some(_) => {}
        }
    }
    match d
        .aes_itn
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(itn) if !is_itn(itn) => {
            out.insert(
                "customs.aes_itn".into(),
                format!(
                    "\"{itn}\" is not an AES Internal Transaction Number (AES X and 14 digits)"
                ),
            );
        }
        Some(_) => {}
        None if !country.eq_ignore_ascii_case("CA") => {
            if let Some((number, value)) = d.over_aes_threshold() {
                out.insert(
                    "customs.aes_itn".into(),
                    format!(
                        "Goods under Schedule B number {number} are worth ${value:.2}, over \
                         $2,500: file the export in AES (aesdirect) and enter its ITN"
                    ),
                );
            }
        }
        None => {}
    }
    out
}

/// The declaration with its text trimmed and origin countries as ISO codes, or a VALIDATION
/// error naming each field to fix.
pub fn validated(declaration: &CustomsDeclaration, country: &str) -> AppResult<CustomsDeclaration> {
    let found = problems(declaration, country);
    if !found.is_empty() {
        let first = found.values().next().cloned().unwrap_or_default();
        let message = if found.len() == 1 {
            format!("The customs form needs one more thing: {first}")
        } else {
            format!(
                "The customs form needs {} more things, first: {first}",
                found.len()
            )
        };
        return Err(AppError::invalid_fields(message, found));
    }
    let mut clean = declaration.clone();
    clean.comments = clean
        .comments
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    clean.restriction_comments = clean
        .restriction_comments
        .filter(|_| clean.restriction.is_some())
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    clean.aes_itn = clean
        .aes_itn
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty());
    for item in &mut clean.items {
        item.description = item.description.trim().to_owned();
        item.hs_tariff = item
            .hs_tariff
            .as_deref()
            .map(tariff_digits)
            .filter(|h| !h.is_empty());
        item.origin_country = item
            .origin_country
            .as_deref()
            .and_then(country_code)
            .map(str::to_owned);
    }
    Ok(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(value: i64, hs: Option<&str>) -> CustomsItem {
        CustomsItem {
            description: "Hand cream".into(),
            quantity: 2,
            value_usd: Decimal::from(value),
            weight_oz: Decimal::from(4),
            hs_tariff: hs.map(str::to_owned),
            origin_country: Some("United States".into()),
            sku: Some("HC-1".into()),
        }
    }

    fn declaration(items: Vec<CustomsItem>) -> CustomsDeclaration {
        CustomsDeclaration {
            items,
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_declaration_is_cleaned_and_takes_the_exemption_legend() {
        let d = validated(&declaration(vec![item(12, Some("3304.99"))]), "GB").unwrap();
        assert_eq!(d.items[0].hs_tariff.as_deref(), Some("330499"));
        assert_eq!(d.items[0].origin_country.as_deref(), Some("US"));
        assert_eq!(d.total_value(), Decimal::from(24));
        assert_eq!(d.total_weight_oz(), Decimal::from(8));
        assert_eq!(d.aes_itn_text("GB").as_deref(), Some("NO EEI 30.37(a)"));
        assert_eq!(d.aes_itn_text("CA").as_deref(), Some("NO EEI 30.36"));
    }

    #[test]
    fn each_missing_or_wrong_field_is_named() {
        let mut bad = item(0, None);
        bad.description = "Gift".into();
        bad.origin_country = Some("Narnia".into());
        bad.quantity = 0;
        let found = problems(&declaration(vec![bad]), "GB");
        for field in [
            "customs.items[0].description",
            "customs.items[0].quantity",
            "customs.items[0].value_usd",
            "customs.items[0].hs_tariff",
            "customs.items[0].origin_country",
        ] {
            assert!(found.contains_key(field), "{field}: {found:?}");
        }
        let gift = CustomsDeclaration {
            contents: ContentsType::Gift,
            ..declaration(vec![item(12, None)])
        };
        assert!(problems(&gift, "GB").is_empty(), "gifts need no HS number");
        let other = CustomsDeclaration {
            contents: ContentsType::Other,
            ..declaration(vec![item(12, None)])
        };
        assert!(problems(&other, "GB").contains_key("customs.comments"));
        let inspected = CustomsDeclaration {
            restriction: Some(Restriction::Other),
            ..declaration(vec![item(12, Some("330499"))])
        };
        assert!(problems(&inspected, "GB").contains_key("customs.restriction_comments"));
        let quarantine = CustomsDeclaration {
            restriction: Some(Restriction::Quarantine),
            restriction_comments: Some("  ".into()),
            ..declaration(vec![item(12, Some("330499"))])
        };
        assert!(problems(&quarantine, "GB").is_empty());
        let err = validated(&declaration(vec![]), "GB").unwrap_err();
        assert!(err.message.contains("at least one item"), "{}", err.message);
    }

    #[test]
    fn over_2500_under_one_schedule_b_number_needs_an_itn_except_to_canada() {
        // Two lines under one number, $1,400 each: $2,800 together.
        let d = declaration(vec![item(700, Some("3304.99")), item(700, Some("330499"))]);
        let found = problems(&d, "GB");
        assert!(found["customs.aes_itn"].contains("330499"), "{found:?}");
        assert_eq!(d.aes_itn_text("GB"), None);
        assert!(problems(&d, "CA").is_empty());
        // Split across two numbers, each under the threshold: the legend applies.
        let split = declaration(vec![item(700, Some("330499")), item(700, Some("340111"))]);
        assert!(problems(&split, "GB").is_empty());
        let filed = CustomsDeclaration {
            aes_itn: Some("aes x20261202123456".into()),
            ..d.clone()
        };
        assert!(problems(&filed, "GB").is_empty());
        assert_eq!(
            validated(&filed, "GB")
                .unwrap()
                .aes_itn_text("GB")
                .as_deref(),
            Some("AES X20261202123456")
        );
        let wrong = CustomsDeclaration {
            aes_itn: Some("12345".into()),
            ..d
        };
        assert!(problems(&wrong, "GB")["customs.aes_itn"].contains("not an AES"));
    }
}
