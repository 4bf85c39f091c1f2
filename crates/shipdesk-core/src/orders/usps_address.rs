//! US address rules that both the order form and the importer enforce: which two-letter codes
//! USPS accepts as a "state", and how ZIP codes are written — including the damage spreadsheets do
//! to them (a leading apostrophe that protected the zero, or the zero itself dropped).

/// The 50 states, DC, the territories and freely associated states USPS delivers to, and the
/// military "states" AA (Americas), AE (Europe etc.) and AP (Pacific).
const STATE_CODES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI", "FM", "MH", "PW", "AA", "AE", "AP",
];

/// Full names people and some exports write instead of the code.
const STATE_NAMES: &[(&str, &str)] = &[
    ("alabama", "AL"),
    ("alaska", "AK"),
    ("arizona", "AZ"),
    ("arkansas", "AR"),
    ("california", "CA"),
    ("colorado", "CO"),
    ("connecticut", "CT"),
    ("delaware", "DE"),
    ("florida", "FL"),
    ("georgia", "GA"),
    ("hawaii", "HI"),
    ("idaho", "ID"),
    ("illinois", "IL"),
    ("indiana", "IN"),
    ("iowa", "IA"),
    ("kansas", "KS"),
    ("kentucky", "KY"),
    ("louisiana", "LA"),
    ("maine", "ME"),
    ("maryland", "MD"),
    ("massachusetts", "MA"),
    ("michigan", "MI"),
    ("minnesota", "MN"),
    ("mississippi", "MS"),
    ("missouri", "MO"),
    ("montana", "MT"),
    ("nebraska", "NE"),
    ("nevada", "NV"),
    ("new hampshire", "NH"),
    ("new jersey", "NJ"),
    ("new mexico", "NM"),
    ("new york", "NY"),
    ("north carolina", "NC"),
    ("north dakota", "ND"),
    ("ohio", "OH"),
    ("oklahoma", "OK"),
    ("oregon", "OR"),
    ("pennsylvania", "PA"),
    ("rhode island", "RI"),
    ("south carolina", "SC"),
    ("south dakota", "SD"),
    ("tennessee", "TN"),
    ("texas", "TX"),
    ("utah", "UT"),
    ("vermont", "VT"),
    ("virginia", "VA"),
    ("washington", "WA"),
    ("west virginia", "WV"),
    ("wisconsin", "WI"),
    ("wyoming", "WY"),
    ("district of columbia", "DC"),
    ("american samoa", "AS"),
    ("guam", "GU"),
    ("northern mariana islands", "MP"),
    ("puerto rico", "PR"),
    ("virgin islands", "VI"),
    ("u.s. virgin islands", "VI"),
    ("us virgin islands", "VI"),
];

pub fn is_state_code(code: &str) -> bool {
    STATE_CODES.contains(&code)
}

/// `"ma"`, `"MA"`, `"Massachusetts"` → `"MA"`; anything else → `None`.
pub fn normalize_state(raw: &str) -> Option<String> {
    let t = raw.trim();
    let upper = t.to_ascii_uppercase();
    if is_state_code(&upper) {
        return Some(upper);
    }
    let lower = t.to_lowercase();
    STATE_NAMES
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, code)| (*code).to_owned())
}

/// How many leading zeros every ZIP code of `state` has: New England, New Jersey and APO/FPO AE
/// ZIPs start with `0`; Puerto Rico and the US Virgin Islands with `00`. Only there may a short
/// all-digit ZIP have lost zeros to a spreadsheet, so only there are they put back.
fn leading_zeros(state: &str) -> usize {
    match state {
        "CT" | "MA" | "ME" | "NH" | "NJ" | "RI" | "VT" | "AE" => 1,
        "PR" | "VI" => 2,
        _ => 0,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zip {
    pub zip5: String,
    pub zip4: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZipError {
    Missing,
    Malformed(String),
}

impl ZipError {
    pub fn message(&self) -> String {
        match self {
            ZipError::Missing => "ZIP is missing".to_owned(),
            ZipError::Malformed(raw) => {
                format!("ZIP \"{raw}\" is not a 5-digit ZIP or ZIP+4 (12345 or 12345-6789)")
            }
        }
    }
}

/// Reads a ZIP as exports write it: `02134`, `'02134`, `02134-1234`, `021341234`, or — for states
/// whose ZIPs start with zeros (see [`leading_zeros`]) — with those zeros stripped (`2134`).
/// `state` must already be a normalized code (or empty when unknown: then nothing is restored).
pub fn normalize_zip(raw: &str, state: &str) -> Result<Zip, ZipError> {
    let trimmed = raw.trim().trim_start_matches('\'').trim();
    if trimmed.is_empty() {
        return Err(ZipError::Missing);
    }
    let malformed = || ZipError::Malformed(raw.trim().to_owned());
    let (head, tail) = match trimmed.split_once('-') {
        Some((h, t)) => (h.trim(), Some(t.trim())),
        None => (trimmed, None),
    };
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    if let Some(t) = tail
        && (t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(malformed());
    }
    let zeros = leading_zeros(state);
    let mut digits = head.to_owned();
    let restorable =
        |len: usize| zeros > 0 && (len + zeros == 5 || (tail.is_none() && len + zeros == 9));
    if restorable(digits.len()) {
        digits = format!("{}{digits}", "0".repeat(zeros));
    }
    match (digits.len(), tail) {
        (5, Some(t)) => Ok(Zip {
            zip5: digits,
            zip4: Some(t.to_owned()),
        }),
        (5, None) => Ok(Zip {
            zip5: digits,
            zip4: None,
        }),
        (9, None) => Ok(Zip {
            zip5: digits[..5].to_owned(),
            zip4: Some(digits[5..].to_owned()),
        }),
        _ => Err(malformed()),
    }
}

/// `US`, `USA`, `United States`, `United States of America` → `US`.
pub fn normalize_country(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    let lower = t.to_lowercase().replace('.', "");
    match lower.as_str() {
        "us" | "usa" | "united states" | "united states of america" => Some("US".to_owned()),
        _ => Some(t.to_ascii_uppercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip(raw: &str, state: &str) -> (String, Option<String>) {
        let z = normalize_zip(raw, state).unwrap();
        (z.zip5, z.zip4)
    }

    #[test]
    fn states_territories_and_military_codes_are_accepted() {
        for code in ["TX", "DC", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP"] {
            assert!(is_state_code(code), "{code}");
        }
        assert!(!is_state_code("XX"));
        assert_eq!(normalize_state(" ma ").as_deref(), Some("MA"));
        assert_eq!(normalize_state("Massachusetts").as_deref(), Some("MA"));
        assert_eq!(normalize_state("Puerto Rico").as_deref(), Some("PR"));
        assert_eq!(normalize_state("Ontario"), None);
    }

    #[test]
    fn zip_forms() {
        assert_eq!(zip("78701", "TX"), ("78701".into(), None));
        assert_eq!(zip("'02108", "MA"), ("02108".into(), None));
        assert_eq!(
            zip("94043-1351", "CA"),
            ("94043".into(), Some("1351".into()))
        );
        assert_eq!(
            zip("940431351", "CA"),
            ("94043".into(), Some("1351".into()))
        );
        assert_eq!(
            zip(" 12345 - 6789 ", "NY"),
            ("12345".into(), Some("6789".into()))
        );
    }

    #[test]
    fn stripped_zeros_are_restored_only_where_the_state_says_so() {
        assert_eq!(zip("2134", "MA"), ("02134".into(), None));
        assert_eq!(zip("7030", "NJ"), ("07030".into(), None));
        assert_eq!(zip("9012", "AE"), ("09012".into(), None));
        assert_eq!(zip("601", "PR"), ("00601".into(), None));
        assert_eq!(zip("21341234", "MA"), ("02134".into(), Some("1234".into())));
        assert_eq!(
            zip("2134-1234", "MA"),
            ("02134".into(), Some("1234".into()))
        );
        // Texas ZIPs never start with 0: a 4-digit one is an error, not a guess.
        assert_eq!(
            normalize_zip("7870", "TX"),
            Err(ZipError::Malformed("7870".into()))
        );
        assert_eq!(
            normalize_zip("2134", ""),
            Err(ZipError::Malformed("2134".into()))
        );
    }

    #[test]
    fn bad_zips_are_named() {
        assert_eq!(normalize_zip("  ", "TX"), Err(ZipError::Missing));
        assert_eq!(normalize_zip("'", "TX"), Err(ZipError::Missing));
        for bad in ["ABCDE", "123456", "12345-67", "1234-56789", "K1A 0B1"] {
            assert!(normalize_zip(bad, "TX").is_err(), "{bad}");
        }
        assert!(ZipError::Missing.message().contains("ZIP is missing"));
    }

    #[test]
    fn countries() {
        assert_eq!(normalize_country("United States").as_deref(), Some("US"));
        assert_eq!(normalize_country("U.S.A.").as_deref(), Some("US"));
        assert_eq!(normalize_country("ca").as_deref(), Some("CA"));
        assert_eq!(normalize_country(""), None);
    }
}
