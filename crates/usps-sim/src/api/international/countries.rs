//! Destinations: which two-letter codes are countries at all (ISO 3166-1 alpha-2), which of them
//! USPS serves as domestic mail (the US, its territories and the freely associated states),
//! where service is suspended, the price group each country falls in, the weight ceilings of
//! Priority Mail (Express) International there, and which countries need a postal code.
//!
//! The groups and ceilings are the simulator's own fixed table (docs/usps.md#international):
//! real USPS prices and limits change every year, and a test needs exact values.

/// Every ISO 3166-1 alpha-2 code assigned to a country or territory.
const ISO_CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI \
BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ \
GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN \
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS \
MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT \
PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF \
TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM \
ZW";

/// Codes USPS mails to as domestic mail: the international APIs refuse them.
pub const DOMESTIC: &[&str] = &["US", "PR", "GU", "VI", "AS", "MP", "UM", "FM", "MH", "PW"];

/// Destinations where the simulator, like USPS for some countries at any time, accepts no
/// international mail (service suspended).
pub const SUSPENDED: &[&str] = &["KP", "IR", "SY", "YE", "LY"];

/// A country the international services reach.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Destination {
    pub code: &'static str,
    /// Price group "01"–"09" (Canada 1, Mexico 2, …; every country not listed: 9).
    pub group: u8,
    /// Weight ceiling for Priority Mail International and Priority Mail Express International.
    pub max_weight_lb: f64,
    /// Whether Priority Mail Express International serves it.
    pub express: bool,
    /// Whether an address there needs a postal code.
    pub postal_code_required: bool,
}

/// (code, price group, PMI/PMEI ceiling in lb, PMEI served, postal code required).
const TABLE: &[(&str, u8, f64, bool, bool)] = &[
    ("CA", 1, 66.0, true, true),
    ("MX", 2, 66.0, true, true),
    ("GB", 3, 66.0, true, true),
    ("IE", 3, 66.0, true, false),
    ("DE", 4, 66.0, true, true),
    ("FR", 4, 66.0, true, true),
    ("NL", 4, 66.0, true, true),
    ("BE", 4, 66.0, true, true),
    ("IT", 4, 44.0, true, true),
    ("ES", 4, 44.0, true, true),
    ("CH", 4, 66.0, true, true),
    ("AT", 4, 66.0, true, true),
    ("SE", 4, 66.0, true, true),
    ("DK", 4, 66.0, true, true),
    ("NO", 4, 66.0, true, true),
    ("PT", 4, 44.0, true, true),
    ("AU", 5, 44.0, true, true),
    ("NZ", 5, 44.0, true, true),
    ("JP", 5, 66.0, true, true),
    ("KR", 5, 66.0, true, true),
    ("CN", 5, 66.0, true, true),
    ("HK", 5, 66.0, true, false),
    ("TW", 5, 66.0, true, true),
    ("SG", 5, 66.0, true, true),
    ("IL", 6, 44.0, true, true),
    ("IN", 6, 44.0, true, true),
    ("BR", 6, 66.0, true, true),
    ("AR", 6, 44.0, true, true),
    ("CL", 6, 44.0, true, false),
    ("ZA", 7, 44.0, true, true),
    ("AE", 7, 66.0, true, false),
    ("SA", 7, 44.0, true, true),
    ("PL", 7, 44.0, true, true),
    ("GR", 7, 44.0, true, true),
    ("TR", 7, 44.0, true, true),
    ("UA", 8, 22.0, false, true),
    ("RU", 8, 22.0, false, true),
    ("NG", 8, 44.0, false, false),
    ("AQ", 9, 22.0, false, false),
];

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code.
pub fn is_iso_code(code: &str) -> bool {
    code.len() == 2 && ISO_CODES.split_whitespace().any(|c| c == code)
}

/// Why a destination code cannot be mailed to internationally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not an assigned ISO 3166-1 alpha-2 code.
    Unknown,
    /// Mailed as domestic mail.
    Domestic,
    /// Service suspended.
    Suspended,
}

/// The destination a code names, or why there is none.
pub fn destination(code: &str) -> Result<Destination, Refusal> {
    if !is_iso_code(code) {
        return Err(Refusal::Unknown);
    }
    if DOMESTIC.contains(&code) {
        return Err(Refusal::Domestic);
    }
    if SUSPENDED.contains(&code) {
        return Err(Refusal::Suspended);
    }
    let row = TABLE.iter().find(|r| r.0 == code);
    Ok(match row {
        Some(&(code, group, max_weight_lb, express, postal_code_required)) => Destination {
            code,
            group,
            max_weight_lb,
            express,
            postal_code_required,
        },
        None => Destination {
            code: ISO_CODES
                .split_whitespace()
                .find(|c| *c == code)
                .unwrap_or("ZZ"),
            group: 9,
            max_weight_lb: 44.0,
            express: true,
            postal_code_required: false,
        },
    })
}

/// A postal code's shape where the simulator knows the country's format (Canada: letter,
/// digit, letter, optional space, digit, letter, digit); elsewhere any code up to the schema's
/// length passes.
pub fn postal_code_fits(country: &str, postal_code: &str) -> bool {
    match country {
        "CA" => {
            let compact: Vec<char> = postal_code.chars().filter(|c| *c != ' ').collect();
            compact.len() == 6
                && postal_code.chars().filter(|c| *c == ' ').count() <= 1
                && compact.iter().enumerate().all(|(i, c)| {
                    if i % 2 == 0 {
                        c.is_ascii_alphabetic()
                    } else {
                        c.is_ascii_digit()
                    }
                })
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_checked_against_iso() {
        assert_eq!(ISO_CODES.split_whitespace().count(), 249);
        assert!(is_iso_code("CA") && is_iso_code("ZW") && !is_iso_code("XX"));
        assert!(!is_iso_code("ca") && !is_iso_code("CAN"));
        assert_eq!(destination("XX"), Err(Refusal::Unknown));
        assert_eq!(destination("PR"), Err(Refusal::Domestic));
        assert_eq!(destination("KP"), Err(Refusal::Suspended));
        assert_eq!(destination("CA").unwrap().group, 1);
        assert_eq!(destination("FJ").unwrap().group, 9);
        assert_eq!(destination("FJ").unwrap().code, "FJ");
    }

    #[test]
    fn canadian_postal_codes_have_their_shape() {
        assert!(postal_code_fits("CA", "K1A 0B1") && postal_code_fits("CA", "k1a0b1"));
        assert!(!postal_code_fits("CA", "12345") && !postal_code_fits("CA", "K1A  0B1"));
        assert!(postal_code_fits("GB", "SW1A 1AA"));
    }
}
