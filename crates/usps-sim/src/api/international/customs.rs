//! The integrated customs form of an international label: what it must say (contents type, one
//! to thirty items each with description, quantity, value, weight and country of origin, the HS
//! tariff number for commercial contents), the comments some choices require, and the export
//! filing rule — goods of one Schedule B number worth more than USD 2,500 need an Internal
//! Transaction Number (ITN) from the Automated Export System; below that, or to Canada, an
//! exemption legend ("NO EEI 30.37(a)", "NO EEI 30.36") takes its place. Facts and the
//! simulator's choices: docs/usps.md#international.

use serde_json::Value;

use super::countries;
use super::limits::LABEL;
use super::services::PMEI;
use crate::api::validate::Check;
use crate::errors::ErrorItem;
use crate::rules;

pub const CONTENT_TYPES: &[&str] = &[
    "MERCHANDISE",
    "GIFT",
    "DOCUMENT",
    "COMMERCIAL_SAMPLE",
    "RETURNED_GOODS",
    "OTHER",
    "HUMANITARIAN_DONATIONS",
    "DANGEROUS_GOODS",
    "CREMATED_REMAINS",
    "NON_NEGOTIABLE_DOCUMENT",
    "MEDICAL_SUPPLIES",
    "PHARMACEUTICALS",
];
const RESTRICTION_TYPES: &[&str] = &[
    "QUARANTINE",
    "SANITARY_INSPECTION",
    "PHYTOSANITARY_INSPECTION",
    "OTHER",
];
const FIELDS: &[&str] = &[
    "customsContentType",
    "contentComments",
    "restrictionType",
    "restrictionComments",
    "AESITN",
    "invoiceNumber",
    "licenseNumber",
    "certificateNumber",
    "importersReference",
    "exportersReference",
    "contents",
];
/// Descriptions USPS does not accept, whatever their case.
const VAGUE_DESCRIPTIONS: &[&str] = &[
    "none",
    "not applicable",
    "n/a",
    "null",
    "gift",
    "merchandise",
];
/// Contents types whose items are commercial goods: the simulator cannot look an HS tariff
/// number up as USPS offers to, so these items must carry one.
const COMMERCIAL: &[&str] = &["MERCHANDISE", "COMMERCIAL_SAMPLE"];

/// Goods of one Schedule B number above this value (USD) need an ITN.
pub const AES_THRESHOLD: f64 = 2500.0;

/// One line of the form, with its totals.
#[derive(Debug, Clone)]
pub struct Line {
    pub description: String,
    pub value: f64,
    pub weight: f64,
    pub hs_tariff: Option<String>,
}

/// A checked customs form.
#[derive(Debug, Clone)]
pub struct Customs {
    pub lines: Vec<Line>,
}

impl Customs {
    pub fn total_value(&self) -> f64 {
        self.lines.iter().map(|l| l.value).sum()
    }

    pub fn total_weight(&self) -> f64 {
        self.lines.iter().map(|l| l.weight).sum()
    }
}

/// The spec's HS tariff pattern, `^\.*(?:[A-Za-z\d]\.*){6,14}$`: 6–14 letters or digits,
/// dots anywhere.
pub fn hs_tariff_fits(s: &str) -> bool {
    let significant = s.chars().filter(|c| *c != '.').count();
    s.chars().all(|c| c == '.' || c.is_ascii_alphanumeric()) && (6..=14).contains(&significant)
}

/// An Internal Transaction Number as USPS takes it: `AES X` (or `X`) and 14 digits.
pub fn is_itn(s: &str) -> bool {
    let s = s.trim();
    let s = s
        .strip_prefix("AES ")
        .or_else(|| s.strip_prefix("AES"))
        .unwrap_or(s)
        .trim_start();
    s.len() == 15 && s.starts_with(['X', 'x']) && s[1..].bytes().all(|b| b.is_ascii_digit())
}

fn normalized(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase()
}

/// Why `aesitn` does not cover these lines to this destination (`None`: it does).
pub fn aes_problem(aesitn: &str, lines: &[Line], destination: &str) -> Option<String> {
    if is_itn(aesitn) {
        return None;
    }
    let legend = normalized(aesitn);
    let mut by_schedule_b: Vec<(String, f64)> = Vec::new();
    for l in lines {
        let key = match &l.hs_tariff {
            Some(hs) => hs.replace('.', "").to_ascii_uppercase(),
            None => format!("({})", l.description.to_ascii_uppercase()),
        };
        match by_schedule_b.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v += l.value,
            None => by_schedule_b.push((key, l.value)),
        }
    }
    let over = by_schedule_b.iter().find(|(_, v)| *v > AES_THRESHOLD);
    if legend == "NO EEI 30.36" {
        return (destination != "CA").then(|| {
            "The exemption NO EEI 30.36 applies only to shipments to Canada.".to_string()
        });
    }
    if !legend.starts_with("NO EEI 30.") {
        return Some(
            "AESITN must be an Internal Transaction Number (AES X followed by 14 digits) or an exemption legend such as NO EEI 30.37(a).".into(),
        );
    }
    over.map(|(key, value)| {
        format!(
            "Goods of Schedule B number {key} are valued at ${value:.2}, over ${AES_THRESHOLD:.0}: an Internal Transaction Number from AES is required (AES X followed by 14 digits), not the exemption {legend}."
        )
    })
}

/// One `contents` item, its errors reported at `customsForm.contents[i].…`.
fn check_line(c: &mut Check, item: &Value, i: usize, commercial: bool) -> Option<Line> {
    let path = |f: &str| format!("customsForm.contents[{i}].{f}");
    let row = |f: &str| format!("customsForm.contents[].{f}");
    let mut sub = Check::new(item, None);
    if !item.is_object() {
        c.fail(ErrorItem::field(
            "Each contents item must be an object.",
            &format!("customsForm.contents[{i}]"),
        ));
        return None;
    }
    let description = sub.string("itemDescription", true).map(str::to_string);
    let quantity = sub.number("itemQuantity", true);
    let numbers: Vec<Option<f64>> = [
        "itemValue",
        "itemTotalValue",
        "itemWeight",
        "itemTotalWeight",
    ]
    .iter()
    .map(|f| sub.number(f, false))
    .collect();
    let hs = sub.string("HSTariffNumber", false).map(str::to_string);
    let origin = sub.string("countryofOrigin", true).map(str::to_string);
    sub.one_of("weightUOM", false, &["lb"]);
    for e in sub.errors.drain(..) {
        let p = e.parameter.clone().unwrap_or_default();
        c.fail(ErrorItem {
            parameter: Some(path(&p)),
            ..e
        });
    }
    let mut ok = true;
    if let Some(d) = &description {
        if let Some(why) = rules::broken_text(LABEL, &row("itemDescription"), d) {
            c.fail(ErrorItem::field(why, &path("itemDescription")));
            ok = false;
        } else if VAGUE_DESCRIPTIONS.contains(&d.trim().to_ascii_lowercase().as_str()) {
            c.fail(ErrorItem::field(
                format!("itemDescription '{d}' is not a valid description; describe the item."),
                &path("itemDescription"),
            ));
            ok = false;
        }
        c.printable_text(d, &path("itemDescription"));
    }
    let quantity = match quantity {
        Some(q) => match rules::broken_number(LABEL, &row("itemQuantity"), q) {
            Some(why) => {
                c.fail(ErrorItem::field(why, &path("itemQuantity")));
                None
            }
            None if q.fract() != 0.0 => {
                c.fail(ErrorItem::field(
                    "itemQuantity must be a whole number",
                    &path("itemQuantity"),
                ));
                None
            }
            None => Some(q as u64),
        },
        None => None,
    };
    let names = [
        "itemValue",
        "itemTotalValue",
        "itemWeight",
        "itemTotalWeight",
    ];
    for (name, n) in names.iter().zip(&numbers) {
        if let Some(why) = n.and_then(|n| rules::broken_number(LABEL, &row(name), n)) {
            c.fail(ErrorItem::field(why, &path(name)));
            ok = false;
        }
    }
    let [value, total_value, weight, total_weight] = numbers[..] else {
        return None;
    };
    let totals = match (total_value, total_weight, value, weight, quantity) {
        (Some(v), Some(w), _, _, _) => Some((v, w)),
        (_, _, Some(v), Some(w), Some(q)) => Some((v * q as f64, w * q as f64)),
        (_, _, Some(_), Some(_), None) => None,
        _ => {
            c.fail(ErrorItem::field(
                "Either itemValue and itemWeight or itemTotalValue and itemTotalWeight are required.",
                &path("itemTotalValue"),
            ));
            None
        }
    };
    if let Some(hs) = &hs
        && !hs_tariff_fits(hs)
    {
        let why = rules::broken_text(LABEL, &row("HSTariffNumber"), hs)
            .unwrap_or_else(|| "must match \"^\\.*(?:[A-Za-z\\d]\\.*){6,14}$\"".to_string());
        c.fail(ErrorItem::field(why, &path("HSTariffNumber")));
        ok = false;
    }
    if hs.is_none() && commercial {
        c.fail(ErrorItem::field(
            "HSTariffNumber is required for commercial contents (MERCHANDISE, COMMERCIAL_SAMPLE).",
            &path("HSTariffNumber"),
        ));
        ok = false;
    }
    if let Some(o) = &origin {
        if !(o.len() == 2 && o.bytes().all(|b| b.is_ascii_uppercase())) {
            c.fail(ErrorItem::field(
                "must match \"[A-Z]{2}\"",
                &path("countryofOrigin"),
            ));
            ok = false;
        } else if !countries::is_iso_code(o) {
            c.fail(ErrorItem::field(
                format!("{o} is not an ISO 3166-1 alpha-2 country code."),
                &path("countryofOrigin"),
            ));
            ok = false;
        }
    }
    let (Some(description), Some(_), Some((value, weight)), Some(_), true) =
        (description, quantity, totals, origin, ok)
    else {
        return None;
    };
    Some(Line {
        description,
        value,
        weight,
        hs_tariff: hs,
    })
}

/// A customs reference (importer's or exporter's).
fn check_reference(c: &mut Check, path: &str) {
    if c.object(path, false).is_none() {
        return;
    }
    c.only(path, &["referenceType", "reference", "contact"]);
    c.one_of(
        &format!("{path}.referenceType"),
        false,
        &["TAX_CODE", "VAT_NUMBER", "IMPORTER_CODE"],
    );
    c.text(LABEL, &format!("{path}.reference"), false);
    c.object(&format!("{path}.contact"), false);
    c.only(&format!("{path}.contact"), &["phone", "fax", "email"]);
    for f in ["phone", "fax", "email"] {
        c.text(LABEL, &format!("{path}.contact.{f}"), false);
    }
}

/// Checks `customsForm` of a label request for `mail_class` to `destination` with these extra
/// services; `None` when something failed (the failures are in `c`).
pub fn check(
    c: &mut Check,
    mail_class: Option<&str>,
    destination: Option<&str>,
    extra_services: &[u32],
) -> Option<Customs> {
    let cf = "customsForm";
    c.object(cf, true)?;
    c.only(cf, FIELDS);
    let content_type = c.one_of("customsForm.customsContentType", true, CONTENT_TYPES);
    let comments = c.text(LABEL, "customsForm.contentComments", false);
    c.printable("customsForm.contentComments");
    if content_type == Some("OTHER") && comments.is_none_or(|s| s.trim().is_empty()) {
        c.fail(ErrorItem::field(
            "contentComments is required when customsContentType is OTHER.",
            "customsForm.contentComments",
        ));
    }
    if content_type == Some("CREMATED_REMAINS") && mail_class.is_some_and(|m| m != PMEI) {
        c.fail(ErrorItem::field(
            "CREMATED_REMAINS can be sent only by PRIORITY_MAIL_EXPRESS_INTERNATIONAL.",
            "customsForm.customsContentType",
        ));
    }
    if extra_services.iter().any(|s| [813, 826].contains(s))
        && content_type.is_some_and(|t| t != "DANGEROUS_GOODS")
    {
        c.fail(ErrorItem::field(
            "customsContentType must be DANGEROUS_GOODS with extra services 813 and 826.",
            "customsForm.customsContentType",
        ));
    }
    let restriction = c.one_of("customsForm.restrictionType", false, RESTRICTION_TYPES);
    let restriction_comments = c.text(LABEL, "customsForm.restrictionComments", false);
    c.printable("customsForm.restrictionComments");
    if restriction == Some("OTHER") && restriction_comments.is_none_or(|s| s.trim().is_empty()) {
        c.fail(ErrorItem::field(
            "restrictionComments is required when restrictionType is OTHER.",
            "customsForm.restrictionComments",
        ));
    }
    let aesitn = c.text(LABEL, "customsForm.AESITN", true);
    for f in ["invoiceNumber", "licenseNumber", "certificateNumber"] {
        c.text(LABEL, &format!("{cf}.{f}"), false);
        c.printable(&format!("{cf}.{f}"));
    }
    check_reference(c, "customsForm.importersReference");
    check_reference(c, "customsForm.exportersReference");
    let commercial = content_type.is_some_and(|t| COMMERCIAL.contains(&t));
    let mut lines = Vec::new();
    let mut complete = true;
    match c.list(LABEL, "customsForm.contents") {
        Some(items) if items.is_empty() => {
            c.fail(ErrorItem::field(
                "size must be between 1 and 30",
                "customsForm.contents",
            ));
            complete = false;
        }
        Some(items) => {
            for (i, item) in items.iter().enumerate() {
                match check_line(c, item, i, commercial) {
                    Some(l) => lines.push(l),
                    None => complete = false,
                }
            }
        }
        None => {
            if crate::api::validate::at(c.body, "customsForm.contents").is_none() {
                c.fail(ErrorItem::field(
                    "customsForm.contents is required.",
                    "customsForm.contents",
                ));
            }
            complete = false;
        }
    }
    let (Some(_), Some(aesitn), true) = (content_type, aesitn, complete) else {
        return None;
    };
    if let Some(to) = destination
        && let Some(why) = aes_problem(aesitn, &lines, to)
    {
        c.fail(ErrorItem::field(why, "customsForm.AESITN"));
        return None;
    }
    Some(Customs { lines })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(hs: &str, value: f64) -> Line {
        Line {
            description: "Wool sweater".into(),
            value,
            weight: 1.0,
            hs_tariff: Some(hs.into()),
        }
    }

    #[test]
    fn itns_and_tariff_numbers_have_their_shape() {
        assert!(is_itn("AES X20260101123456") && is_itn("X20260101123456"));
        assert!(!is_itn("AES X2026010112345") && !is_itn("NO EEI 30.37(a)"));
        assert!(hs_tariff_fits("6110.20.2075") && hs_tariff_fits("611020"));
        assert!(!hs_tariff_fits("6110") && !hs_tariff_fits("6110-20-20"));
    }

    #[test]
    fn the_aes_rule_counts_value_per_schedule_b_number() {
        let two = [line("6110.20", 1500.0), line("611020", 1500.0)];
        let split = [line("6110.20", 1500.0), line("4202.92", 1500.0)];
        assert!(aes_problem("NO EEI 30.37(a)", &two, "GB").is_some());
        assert!(aes_problem("NO EEI 30.37(a)", &split, "GB").is_none());
        assert!(aes_problem("AES X20260101123456", &two, "GB").is_none());
        assert!(aes_problem("NO EEI 30.36", &two, "CA").is_none());
        assert!(aes_problem("NO EEI 30.36", &split, "GB").is_some());
        assert!(aes_problem("none", &split, "GB").is_some());
    }
}
