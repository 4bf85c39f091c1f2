//! Just enough US postal geography for plausible answers: which state a 3-digit ZIP prefix
//! belongs to (public USPS ZIP prefix assignments, simplified to ranges), a few dozen named
//! ZIP Codes, and a zone from the distance between two prefixes.

/// (first ZIP3, last ZIP3, state).
const ZIP3_STATES: &[(u16, u16, &str)] = &[
    (5, 5, "NY"),
    (6, 7, "PR"),
    (8, 8, "VI"),
    (9, 9, "PR"),
    (10, 27, "MA"),
    (28, 29, "RI"),
    (30, 38, "NH"),
    (39, 49, "ME"),
    (50, 54, "VT"),
    (55, 55, "MA"),
    (56, 59, "VT"),
    (60, 69, "CT"),
    (70, 89, "NJ"),
    (90, 99, "AE"),
    (100, 149, "NY"),
    (150, 196, "PA"),
    (197, 199, "DE"),
    (200, 200, "DC"),
    (201, 201, "VA"),
    (202, 205, "DC"),
    (206, 219, "MD"),
    (220, 246, "VA"),
    (247, 268, "WV"),
    (270, 289, "NC"),
    (290, 299, "SC"),
    (300, 319, "GA"),
    (320, 339, "FL"),
    (340, 340, "AA"),
    (341, 349, "FL"),
    (350, 369, "AL"),
    (370, 385, "TN"),
    (386, 397, "MS"),
    (398, 399, "GA"),
    (400, 427, "KY"),
    (430, 459, "OH"),
    (460, 479, "IN"),
    (480, 499, "MI"),
    (500, 528, "IA"),
    (530, 549, "WI"),
    (550, 567, "MN"),
    (569, 569, "DC"),
    (570, 577, "SD"),
    (580, 588, "ND"),
    (590, 599, "MT"),
    (600, 629, "IL"),
    (630, 658, "MO"),
    (660, 679, "KS"),
    (680, 693, "NE"),
    (700, 714, "LA"),
    (716, 729, "AR"),
    (730, 749, "OK"),
    (750, 799, "TX"),
    (800, 816, "CO"),
    (820, 831, "WY"),
    (832, 838, "ID"),
    (840, 847, "UT"),
    (850, 865, "AZ"),
    (870, 884, "NM"),
    (885, 885, "TX"),
    (889, 898, "NV"),
    (900, 961, "CA"),
    (962, 966, "AP"),
    (967, 968, "HI"),
    (969, 969, "GU"),
    (970, 979, "OR"),
    (980, 994, "WA"),
    (995, 999, "AK"),
];

/// ZIP Codes with a known city (the rest borrow the nearest known city in their state).
const CITIES: &[(&str, &str, &str)] = &[
    ("02108", "BOSTON", "MA"),
    ("10001", "NEW YORK", "NY"),
    ("19103", "PHILADELPHIA", "PA"),
    ("20007", "WASHINGTON", "DC"),
    ("20500", "WASHINGTON", "DC"),
    ("23227", "RICHMOND", "VA"),
    ("27601", "RALEIGH", "NC"),
    ("28202", "CHARLOTTE", "NC"),
    ("30022", "ALPHARETTA", "GA"),
    ("30303", "ATLANTA", "GA"),
    ("32801", "ORLANDO", "FL"),
    ("33101", "MIAMI", "FL"),
    ("37203", "NASHVILLE", "TN"),
    ("43215", "COLUMBUS", "OH"),
    ("46204", "INDIANAPOLIS", "IN"),
    ("48226", "DETROIT", "MI"),
    ("52404", "CEDAR RAPIDS", "IA"),
    ("53202", "MILWAUKEE", "WI"),
    ("55401", "MINNEAPOLIS", "MN"),
    ("60647", "CHICAGO", "IL"),
    ("63116", "SAINT LOUIS", "MO"),
    ("63118", "SAINT LOUIS", "MO"),
    ("64105", "KANSAS CITY", "MO"),
    ("70112", "NEW ORLEANS", "LA"),
    ("78701", "AUSTIN", "TX"),
    ("75201", "DALLAS", "TX"),
    ("80202", "DENVER", "CO"),
    ("84101", "SALT LAKE CITY", "UT"),
    ("85004", "PHOENIX", "AZ"),
    ("89101", "LAS VEGAS", "NV"),
    ("90210", "BEVERLY HILLS", "CA"),
    ("94043", "MOUNTAIN VIEW", "CA"),
    ("94105", "SAN FRANCISCO", "CA"),
    ("96813", "HONOLULU", "HI"),
    ("97201", "PORTLAND", "OR"),
    ("98101", "SEATTLE", "WA"),
    ("99501", "ANCHORAGE", "AK"),
];

/// Whether `s` is exactly five digits.
pub fn is_zip5(s: &str) -> bool {
    s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit())
}

pub fn zip3(zip: &str) -> Option<u16> {
    zip.get(..3)?.parse().ok()
}

/// The state (or military/territory code) a ZIP Code belongs to.
pub fn state_of(zip: &str) -> Option<&'static str> {
    let p = zip3(zip)?;
    ZIP3_STATES
        .iter()
        .find(|(lo, hi, _)| (*lo..=*hi).contains(&p))
        .map(|(_, _, s)| *s)
}

/// City and state for a ZIP Code: the named city if known, else the nearest named ZIP in the
/// same state (so every assigned prefix answers), else `None` for unassigned prefixes.
pub fn city_state(zip: &str) -> Option<(&'static str, &'static str)> {
    if !is_zip5(zip) {
        return None;
    }
    if let Some((_, c, s)) = CITIES.iter().find(|(z, _, _)| *z == zip) {
        return Some((c, s));
    }
    let state = state_of(zip)?;
    let n: i64 = zip.parse().ok()?;
    CITIES
        .iter()
        .filter(|(_, _, s)| *s == state)
        .min_by_key(|(z, _, _)| (z.parse::<i64>().unwrap_or(0) - n).abs())
        .map(|(_, c, s)| (*c, *s))
        .or(Some(("POST OFFICE", state)))
}

/// The first known ZIP of a city/state, for address lookups without a ZIP Code.
pub fn zip_of_city(city: &str, state: &str) -> Option<&'static str> {
    let city = city
        .trim()
        .to_ascii_uppercase()
        .replace("ST. ", "SAINT ")
        .replace("ST ", "SAINT ");
    CITIES
        .iter()
        .find(|(_, c, s)| *c == city && *s == state)
        .map(|(z, _, _)| *z)
}

/// Pricing zone "01".."09" from the distance between ZIP prefixes (a stand-in for USPS's
/// zone charts: same prefix is zone 1, then roughly every 100 prefixes one zone further).
pub fn zone(origin: &str, destination: &str) -> Option<u8> {
    let (a, b) = (zip3(origin)?, zip3(destination)?);
    let d = a.abs_diff(b);
    let far = |z: &str| {
        matches!(
            state_of(z),
            Some("AK" | "HI" | "PR" | "VI" | "GU" | "AA" | "AE" | "AP")
        )
    };
    Some(match d {
        _ if far(origin) != far(destination) => 9,
        0 => 1,
        1..=10 => 2,
        11..=60 => 3,
        61..=150 => 4,
        151..=300 => 5,
        301..=500 => 6,
        501..=700 => 7,
        _ => 8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_map_to_states() {
        assert_eq!(state_of("02108"), Some("MA"));
        assert_eq!(state_of("63118"), Some("MO"));
        assert_eq!(state_of("98101"), Some("WA"));
        assert_eq!(state_of("00100"), None);
    }

    #[test]
    fn cities_known_and_borrowed() {
        assert_eq!(city_state("80202"), Some(("DENVER", "CO")));
        assert_eq!(city_state("63101").unwrap().1, "MO");
        assert_eq!(city_state("1234"), None);
        assert_eq!(zip_of_city("St. Louis", "MO"), Some("63116"));
    }

    #[test]
    fn zones_grow_with_distance() {
        assert_eq!(zone("63116", "63118"), Some(1));
        let near = zone("63116", "64105").unwrap();
        let far = zone("02108", "98101").unwrap();
        assert!(near < far);
        assert_eq!(zone("98101", "99501"), Some(9));
    }
}
