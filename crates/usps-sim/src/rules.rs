//! USPS's limits on request fields, as the official specifications state them, in one table.
//!
//! The request checks in `api/` read their lengths, patterns, ranges and list sizes from here,
//! and `tests/spec_limits.rs` holds every row to the OpenAPI files (`minLength`, `maxLength`,
//! `pattern`, `minimum`, `exclusiveMinimum`, `maximum`, `maxItems`), so the simulator cannot
//! drift from them. Limits the specifications do not state (weight and size ceilings per mail
//! class, the characters a label can print) are business rules kept beside their checks; all
//! of them are listed in docs/usps.md#request-validation and the README ("Rules enforced").
//!
//! Field paths are dotted (`toAddress.streetAddress`); `[]` steps into every element of a list
//! (`pickupAddress.contact[].email`). Query parameters are named as they are.

use std::sync::OnceLock;

use crate::api::enums::STATES;

/// An operation of one specification file (`../shared/usps/openapi/<spec>.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    pub spec: &'static str,
    pub method: &'static str,
    /// The path template as the spec writes it (below the server URL).
    pub path: &'static str,
}

const fn op(spec: &'static str, method: &'static str, path: &'static str) -> Operation {
    Operation { spec, method, path }
}

pub const LABEL: Operation = op("domestic-labels", "post", "/label");
pub const BASE_RATES: Operation = op("domestic-prices", "post", "/base-rates/search");
pub const RATE_LIST: Operation = op("domestic-prices", "post", "/base-rates-list/search");
pub const TOTAL_RATES: Operation = op("domestic-prices", "post", "/total-rates/search");
pub const ADDRESS: Operation = op("addresses", "get", "/address");
pub const ZIPCODE: Operation = op("addresses", "get", "/zipcode");
pub const CITY_STATE: Operation = op("addresses", "get", "/city-state");
pub const PICKUP: Operation = op("carrier-pickup", "post", "/carrier-pickup");
pub const SCAN_FORM: Operation = op("scan-forms", "post", "/scan-form");
pub const PAYMENT_AUTHORIZATION: Operation = op("payments", "post", "/payment-authorization");
pub const EXTRA_RATES: Operation = op("domestic-prices", "post", "/extra-service-rates/search");
pub const LETTER_RATES: Operation = op("domestic-prices", "post", "/letter-rates/search");
pub const OPTIONS: Operation = op("shipping-options", "post", "/options/search");
pub const NOTIFICATIONS: Operation = op(
    "tracking",
    "post",
    "/tracking/{trackingNumber}/notifications",
);
pub const PROOF_OF_DELIVERY: Operation = op(
    "tracking",
    "post",
    "/tracking/{trackingNumber}/proof-of-delivery",
);
pub const DROPOFF_LOCATIONS: Operation = op("locations", "get", "/dropoff-locations");
pub const POST_OFFICES: Operation = op("locations", "get", "/post-office-locations");
pub const PARCEL_LOCKERS: Operation = op("locations", "get", "/parcel-locker-locations");
pub const BRANDING: Operation = op("domestic-labels", "post", "/branding");
pub const BRANDING_LIST: Operation = op("domestic-labels", "get", "/branding");
pub const INDICIA: Operation = op("domestic-labels", "post", "/indicia");
pub const INDICIA_IMB: Operation = op("domestic-labels", "post", "/indicia/imb");

/// A string pattern of the specifications, matched without a regex engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `^\d{5}$`
    Zip5,
    /// `^\d{4}$`
    Plus4,
    /// `^\d{5}(?:[-\s]\d{4})?$` (the prices API takes a ZIP+4 too).
    Zip5OrPlus4,
    /// `^\+?[1-9][0-9]{7,14}$|^[0-9]{6,15}$`
    Phone,
    /// The labels API's email pattern.
    Email,
    /// `^(\d{6}|\d{9})$` (MIDs).
    Mid,
    /// `^\d{10}$` (pickup cell numbers).
    TenDigits,
    /// `^\d+$`
    Digits,
    /// `^(AA|AE|…|WY)$`: the two-letter codes of `api::enums::STATES`.
    State,
    /// `\d{5}`, `\d{4}`, `^\d{5}`, `^\d{4}` (the locations and tracking specs): USPS's Bean
    /// Validation matches a pattern against the whole value, so these mean exactly that many
    /// digits, like their anchored spellings.
    Zip5Bare,
    Plus4Bare,
    Zip5Open,
    Plus4Open,
    /// `^\w{1,50}$` (branding image names): 1–50 ASCII letters, digits or underscores.
    Word50,
    /// `^[A-Za-z0-9+/=]+$` (base64 text).
    Base64,
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

impl Shape {
    /// The pattern exactly as the specifications write it.
    pub fn spec_pattern(self) -> String {
        match self {
            Shape::Zip5 => r"^\d{5}$".into(),
            Shape::Plus4 => r"^\d{4}$".into(),
            Shape::Zip5OrPlus4 => r"^\d{5}(?:[-\s]\d{4})?$".into(),
            Shape::Phone => r"^\+?[1-9][0-9]{7,14}$|^[0-9]{6,15}$".into(),
            Shape::Email => {
                r"^[a-zA-Z0-9_+&*-]+(?:\.[a-zA-Z0-9_+&*-]+)*@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}$"
                    .into()
            }
            Shape::Mid => r"^(\d{6}|\d{9})$".into(),
            Shape::TenDigits => r"^\d{10}$".into(),
            Shape::Digits => r"^\d+$".into(),
            Shape::State => format!("^({})$", STATES.join("|")),
            Shape::Zip5Bare => r"\d{5}".into(),
            Shape::Plus4Bare => r"\d{4}".into(),
            Shape::Zip5Open => r"^\d{5}".into(),
            Shape::Plus4Open => r"^\d{4}".into(),
            Shape::Word50 => r"^\w{1,50}$".into(),
            Shape::Base64 => r"^[A-Za-z0-9+/=]+$".into(),
        }
    }

    pub fn matches(self, s: &str) -> bool {
        let digits_of = |n: usize| s.len() == n && all_digits(s);
        match self {
            Shape::Zip5 | Shape::Zip5Bare | Shape::Zip5Open => digits_of(5),
            Shape::Plus4 | Shape::Plus4Bare | Shape::Plus4Open => digits_of(4),
            Shape::Zip5OrPlus4 => match s.as_bytes() {
                [zip @ .., sep, p1, p2, p3, p4] if s.len() == 10 => {
                    zip.iter().all(u8::is_ascii_digit)
                        && matches!(sep, b'-' | b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
                        && [p1, p2, p3, p4].iter().all(|b| b.is_ascii_digit())
                }
                _ => digits_of(5),
            },
            Shape::Phone => {
                let international = s
                    .strip_prefix('+')
                    .unwrap_or(s)
                    .as_bytes()
                    .split_first()
                    .is_some_and(|(first, rest)| {
                        (b'1'..=b'9').contains(first)
                            && (7..=14).contains(&rest.len())
                            && rest.iter().all(u8::is_ascii_digit)
                    });
                international || ((6..=15).contains(&s.len()) && all_digits(s))
            }
            Shape::Email => email(s),
            Shape::Mid => digits_of(6) || digits_of(9),
            Shape::TenDigits => digits_of(10),
            Shape::Digits => all_digits(s),
            Shape::State => STATES.contains(&s),
            Shape::Word50 => {
                (1..=50).contains(&s.len())
                    && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            }
            Shape::Base64 => {
                !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
            }
        }
    }
}

/// `local@domain.tld` with the specification's character classes.
fn email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_char = |c: char| c.is_ascii_alphanumeric() || "_+&*-".contains(c);
    let local_ok = local
        .split('.')
        .all(|part| !part.is_empty() && part.chars().all(local_char));
    let labels: Vec<&str> = domain.split('.').collect();
    let Some((tld, hosts)) = labels.split_last() else {
        return false;
    };
    let domain_ok = !hosts.is_empty()
        && hosts
            .iter()
            .all(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic());
    local_ok && domain_ok
}

/// One constraint of the specifications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// `minLength` ..= `maxLength`, counted in characters.
    Length {
        min: usize,
        max: usize,
    },
    Pattern(Shape),
    /// `minimum` with `exclusiveMinimum: true`.
    Above(f64),
    /// `minimum` ..= `maximum` (no `maximum`: unbounded).
    Range {
        min: f64,
        max: Option<f64>,
    },
    /// `maxItems`.
    MaxItems(usize),
}

/// A row of the table.
#[derive(Debug, Clone)]
pub struct FieldLimit {
    pub operation: Operation,
    pub field: String,
    pub limit: Limit,
}

/// The fields of an address with an addressee, as the labels and SCAN form specs define them.
const ADDRESSEE: &[(&str, Limit)] = &[
    ("firstName", Limit::Length { min: 1, max: 50 }),
    ("lastName", Limit::Length { min: 1, max: 50 }),
    ("firm", Limit::Length { min: 0, max: 50 }),
    ("streetAddress", Limit::Length { min: 1, max: 50 }),
    ("secondaryAddress", Limit::Length { min: 0, max: 50 }),
    ("city", Limit::Length { min: 1, max: 28 }),
    ("state", Limit::Pattern(Shape::State)),
    ("ZIPCode", Limit::Pattern(Shape::Zip5)),
    ("ZIPPlus4", Limit::Pattern(Shape::Plus4)),
    ("urbanization", Limit::Length { min: 0, max: 96 }),
];

/// What the labels spec adds to an address.
const CONTACT: &[(&str, Limit)] = &[
    ("phone", Limit::Pattern(Shape::Phone)),
    ("email", Limit::Length { min: 0, max: 50 }),
    ("email", Limit::Pattern(Shape::Email)),
];

fn build() -> Vec<FieldLimit> {
    let mut rows = Vec::new();
    let mut add = |operation: Operation, field: String, limit: Limit| {
        rows.push(FieldLimit {
            operation,
            field,
            limit,
        })
    };
    for address in ["toAddress", "fromAddress", "senderAddress", "returnAddress"] {
        for (name, limit) in ADDRESSEE.iter().chain(CONTACT) {
            add(LABEL, format!("{address}.{name}"), *limit);
        }
    }
    add(
        LABEL,
        "toAddress.facilityId".into(),
        Limit::Length { min: 0, max: 7 },
    );
    add(
        LABEL,
        "senderAddress.platformUserId".into(),
        Limit::Length { min: 0, max: 30 },
    );
    let pd = "packageDescription";
    add(LABEL, format!("{pd}.weight"), Limit::Above(0.0));
    for dim in ["length", "width", "height", "girth"] {
        add(LABEL, format!("{pd}.{dim}"), Limit::Above(0.0));
    }
    add(
        LABEL,
        format!("{pd}.packageOptions.packageValue"),
        Limit::Range {
            min: 0.0,
            max: None,
        },
    );
    add(LABEL, format!("{pd}.extraServices"), Limit::MaxItems(5));
    add(LABEL, format!("{pd}.customerReference"), Limit::MaxItems(4));
    add(
        LABEL,
        format!("{pd}.customerReference[].referenceNumber"),
        Limit::Length { min: 1, max: 30 },
    );
    add(
        LABEL,
        format!("{pd}.inductionZIPCode"),
        Limit::Pattern(Shape::Zip5),
    );
    add(
        LABEL,
        format!("{pd}.mailOwnerMID"),
        Limit::Pattern(Shape::Mid),
    );
    add(
        LABEL,
        format!("{pd}.logisticsManagerMID"),
        Limit::Pattern(Shape::Mid),
    );
    for n in ["packageNumber", "totalPackages"] {
        add(
            LABEL,
            format!("imageInfo.{n}"),
            Limit::Range {
                min: 1.0,
                max: Some(9999.0),
            },
        );
    }

    for prices in [BASE_RATES, RATE_LIST, TOTAL_RATES] {
        for zip in ["originZIPCode", "destinationZIPCode"] {
            add(prices, zip.into(), Limit::Pattern(Shape::Zip5OrPlus4));
        }
        add(
            prices,
            "accountNumber".into(),
            Limit::Pattern(Shape::Digits),
        );
    }
    add(
        TOTAL_RATES,
        "itemValue".into(),
        Limit::Range {
            min: 0.0,
            max: None,
        },
    );

    for lookup in [ADDRESS, ZIPCODE] {
        add(lookup, "firm".into(), Limit::Length { min: 0, max: 50 });
        add(lookup, "state".into(), Limit::Pattern(Shape::State));
        add(lookup, "ZIPCode".into(), Limit::Pattern(Shape::Zip5));
        add(lookup, "ZIPPlus4".into(), Limit::Pattern(Shape::Plus4));
    }
    add(CITY_STATE, "ZIPCode".into(), Limit::Pattern(Shape::Zip5));

    let pa = "pickupAddress";
    for (name, limit) in &ADDRESSEE[..3] {
        add(PICKUP, format!("{pa}.{name}"), *limit);
    }
    for (name, limit) in ADDRESSEE[3..].iter().filter(|(n, _)| *n != "state") {
        add(PICKUP, format!("{pa}.address.{name}"), *limit);
    }
    add(PICKUP, format!("{pa}.contact"), Limit::MaxItems(2));
    add(
        PICKUP,
        format!("{pa}.contact[].email"),
        Limit::Length { min: 0, max: 50 },
    );
    add(
        PICKUP,
        format!("{pa}.contact[].cellNumber"),
        Limit::Pattern(Shape::TenDigits),
    );

    for (name, limit) in ADDRESSEE {
        add(SCAN_FORM, format!("fromAddress.{name}"), *limit);
    }
    add(
        SCAN_FORM,
        "entryFacilityZIPCode".into(),
        Limit::Pattern(Shape::Zip5),
    );
    add(
        SCAN_FORM,
        "shipment.trackingNumbers".into(),
        Limit::MaxItems(40_000),
    );
    add(SCAN_FORM, "shipment.MID".into(), Limit::Pattern(Shape::Mid));
    add(
        SCAN_FORM,
        "shipment.manifestMID".into(),
        Limit::Pattern(Shape::Mid),
    );

    let role = "roles[]";
    add(
        PAYMENT_AUTHORIZATION,
        format!("{role}.CRID"),
        Limit::Length { min: 2, max: 18 },
    );
    add(
        PAYMENT_AUTHORIZATION,
        format!("{role}.MID"),
        Limit::Pattern(Shape::Mid),
    );
    add(
        PAYMENT_AUTHORIZATION,
        format!("{role}.manifestMID"),
        Limit::Pattern(Shape::Mid),
    );
    add(
        PAYMENT_AUTHORIZATION,
        format!("{role}.permitZIP"),
        Limit::Length { min: 0, max: 5 },
    );
    domestic_extras(&mut add);
    crate::api::international::limits::extend(&mut rows);
    rows
}

/// The Domestic Prices searches beyond base and total rates, Shipping Options, tracking
/// requests and the locations searches.
fn domestic_extras(add: &mut impl FnMut(Operation, String, Limit)) {
    let any_amount = Limit::Range {
        min: 0.0,
        max: None,
    };
    for zip in ["originZIPCode", "destinationZIPCode"] {
        add(EXTRA_RATES, zip.into(), Limit::Pattern(Shape::Zip5OrPlus4));
        add(OPTIONS, zip.into(), Limit::Pattern(Shape::Zip5OrPlus4));
    }
    add(
        EXTRA_RATES,
        "accountNumber".into(),
        Limit::Pattern(Shape::Digits),
    );
    add(EXTRA_RATES, "itemValue".into(), any_amount);
    for dim in ["length", "height", "thickness"] {
        add(LETTER_RATES, dim.into(), Limit::Above(0.0));
    }
    add(LETTER_RATES, "itemValue".into(), any_amount);

    let pd = "packageDescription";
    for dim in ["weight", "length", "height", "width", "girth"] {
        add(OPTIONS, format!("{pd}.{dim}"), Limit::Above(0.0));
    }
    add(OPTIONS, format!("{pd}.extraServices"), Limit::MaxItems(5));
    add(OPTIONS, format!("{pd}.packageValue"), any_amount);

    for name in ["firstName", "lastName"] {
        add(
            NOTIFICATIONS,
            name.into(),
            Limit::Length { min: 0, max: 50 },
        );
    }
    add(NOTIFICATIONS, "notifyEventTypes".into(), Limit::MaxItems(7));
    add(NOTIFICATIONS, "notifications".into(), Limit::MaxItems(3));
    add(
        NOTIFICATIONS,
        "notifications[].email".into(),
        Limit::Length { min: 0, max: 50 },
    );
    add(PROOF_OF_DELIVERY, "email".into(), Limit::MaxItems(3));
    add(
        PROOF_OF_DELIVERY,
        "email[]".into(),
        Limit::Length { min: 0, max: 50 },
    );
    add(
        PROOF_OF_DELIVERY,
        "email[]".into(),
        Limit::Pattern(Shape::Email),
    );
    add(
        PROOF_OF_DELIVERY,
        "CRID".into(),
        Limit::Length { min: 2, max: 18 },
    );
    add(
        PROOF_OF_DELIVERY,
        "ZIPCode".into(),
        Limit::Pattern(Shape::Zip5Open),
    );

    add(
        DROPOFF_LOCATIONS,
        "destinationZIPCode".into(),
        Limit::Pattern(Shape::Zip5Bare),
    );
    add(
        DROPOFF_LOCATIONS,
        "destinationZIPPlus4".into(),
        Limit::Pattern(Shape::Plus4Bare),
    );
    for lookup in [POST_OFFICES, PARCEL_LOCKERS, PROOF_OF_DELIVERY] {
        add(lookup, "state".into(), Limit::Length { min: 2, max: 2 });
        add(lookup, "state".into(), Limit::Pattern(Shape::State));
    }
    add(
        POST_OFFICES,
        "ZIPCode".into(),
        Limit::Pattern(Shape::Zip5Open),
    );
    add(
        POST_OFFICES,
        "ZIPPlus4".into(),
        Limit::Pattern(Shape::Plus4Open),
    );
    add(
        POST_OFFICES,
        "radius".into(),
        Limit::Range {
            min: 1.0,
            max: Some(100.0),
        },
    );
    for dim in ["length", "width", "height"] {
        add(POST_OFFICES, dim.into(), Limit::Above(0.0));
    }
    add(POST_OFFICES, "offset".into(), any_amount);
    add(
        PARCEL_LOCKERS,
        "offset".into(),
        Limit::Range {
            min: 0.0,
            max: Some(500.0),
        },
    );
    for lookup in [POST_OFFICES, PARCEL_LOCKERS] {
        add(
            lookup,
            "limit".into(),
            Limit::Range {
                min: 1.0,
                max: Some(100.0),
            },
        );
    }
    add(
        PARCEL_LOCKERS,
        "city".into(),
        Limit::Length { min: 0, max: 200 },
    );
    add(
        PARCEL_LOCKERS,
        "ZIPCode".into(),
        Limit::Pattern(Shape::Zip5),
    );

    add(
        BRANDING,
        "imageName".into(),
        Limit::Length { min: 0, max: 50 },
    );
    add(BRANDING, "imageName".into(), Limit::Pattern(Shape::Word50));
    add(
        BRANDING,
        "imageData".into(),
        Limit::Length { min: 1, max: 13336 },
    );
    add(BRANDING, "imageData".into(), Limit::Pattern(Shape::Base64));
    add(
        BRANDING_LIST,
        "limit".into(),
        Limit::Range {
            min: 1.0,
            max: Some(100.0),
        },
    );
    add(BRANDING_LIST, "offset".into(), any_amount);
    for indicia in [INDICIA, INDICIA_IMB] {
        let d = "indiciaDescription";
        for dim in ["weight", "length", "height", "thickness"] {
            add(indicia, format!("{d}.{dim}"), Limit::Above(0.0));
        }
    }
    add(
        INDICIA_IMB,
        "indiciaDescription.itemValue".into(),
        Limit::Range {
            min: 0.01,
            max: Some(999_999.99),
        },
    );
    add(
        INDICIA_IMB,
        "indiciaDescription.extraServices".into(),
        Limit::MaxItems(3),
    );
    for address in ["toAddress", "returnAddress"] {
        for (name, limit) in ADDRESSEE {
            add(INDICIA_IMB, format!("{address}.{name}"), *limit);
        }
    }
}

/// Every row.
pub fn all() -> &'static [FieldLimit] {
    static TABLE: OnceLock<Vec<FieldLimit>> = OnceLock::new();
    TABLE.get_or_init(build)
}

fn limits_of(operation: Operation, field: &str) -> impl Iterator<Item = Limit> + '_ {
    all()
        .iter()
        .filter(move |r| r.operation == operation && r.field == field)
        .map(|r| r.limit)
}

/// Why a string breaks the table's limits for this field, in the wording of USPS's
/// schema-level errors (Bean Validation's): `None` when it keeps them all.
pub fn broken_text(operation: Operation, field: &str, s: &str) -> Option<String> {
    limits_of(operation, field).find_map(|limit| match limit {
        Limit::Length { min, max } => {
            let n = s.chars().count();
            (n < min || n > max).then(|| format!("size must be between {min} and {max}"))
        }
        Limit::Pattern(shape) => {
            (!shape.matches(s)).then(|| format!("must match \"{}\"", shape.spec_pattern()))
        }
        _ => None,
    })
}

/// Why a number breaks the table's limits for this field (non-finite numbers never pass).
pub fn broken_number(operation: Operation, field: &str, n: f64) -> Option<String> {
    if !n.is_finite() {
        return Some("must be a finite number".into());
    }
    limits_of(operation, field).find_map(|limit| match limit {
        Limit::Above(min) => (n <= min).then(|| format!("must be greater than {min}")),
        Limit::Range { min, max } => {
            if n < min {
                Some(format!("must be greater than or equal to {min}"))
            } else {
                max.filter(|m| n > *m)
                    .map(|m| format!("must be less than or equal to {m}"))
            }
        }
        _ => None,
    })
}

/// Why a list is too long for this field.
pub fn broken_list(operation: Operation, field: &str, len: usize) -> Option<String> {
    limits_of(operation, field).find_map(|limit| match limit {
        Limit::MaxItems(max) => (len > max).then(|| format!("size must be between 0 and {max}")),
        _ => None,
    })
}

/// Whether text can be printed on a label or form: Latin script (ASCII, the accented Latin
/// letters and Latin-1 signs) and common punctuation (dashes, typographic quotes), no control
/// characters. Other scripts are refused rather than printed as `?`
/// (docs/usps.md#request-validation).
pub fn printable_on_label(s: &str) -> bool {
    s.chars().all(|c| {
        matches!(c as u32,
            0x20..=0x7E | 0xA0..=0x24F | 0x1E00..=0x1EFF | 0x2010..=0x201F | 0x2026)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_match_like_the_spec_patterns() {
        assert!(Shape::Zip5.matches("63118") && !Shape::Zip5.matches("6311"));
        assert!(!Shape::Zip5.matches("9\u{e9}210") && !Shape::Zip5.matches("６３１１８"));
        assert!(
            Shape::Zip5OrPlus4.matches("63118-2628") && Shape::Zip5OrPlus4.matches("63118 2628")
        );
        assert!(
            !Shape::Zip5OrPlus4.matches("63118_2628")
                && !Shape::Zip5OrPlus4.matches("12345\u{e9}789")
        );
        assert!(Shape::Phone.matches("3145550100") && Shape::Phone.matches("+493012345678"));
        assert!(!Shape::Phone.matches("314-555-0100") && !Shape::Phone.matches("12345"));
        assert!(Shape::Email.matches("joe.doe@example.com") && Shape::Email.matches("a+b@x-y.co"));
        assert!(!Shape::Email.matches("joe@example") && !Shape::Email.matches("jo\u{eb}@x.com"));
        assert!(!Shape::Email.matches("a..b@x.com") && !Shape::Email.matches("@x.com"));
        assert!(Shape::Mid.matches("902345671") && !Shape::Mid.matches("9023456"));
        assert!(Shape::State.matches("MO") && !Shape::State.matches("mo"));
        assert!(Shape::State.spec_pattern().starts_with("^(AA|AE|AL|AK|"));
    }

    #[test]
    fn lengths_count_characters_and_numbers_must_be_finite() {
        let street = "\u{e9}".repeat(50);
        assert_eq!(broken_text(LABEL, "toAddress.streetAddress", &street), None);
        assert_eq!(
            broken_text(LABEL, "toAddress.streetAddress", &format!("{street}x")).as_deref(),
            Some("size must be between 1 and 50")
        );
        assert!(broken_text(LABEL, "toAddress.city", "").is_some());
        assert!(broken_number(LABEL, "packageDescription.weight", 0.0).is_some());
        assert!(broken_number(LABEL, "packageDescription.weight", f64::NAN).is_some());
        assert!(broken_number(LABEL, "packageDescription.weight", f64::INFINITY).is_some());
        assert_eq!(broken_number(LABEL, "packageDescription.weight", 0.1), None);
        assert!(broken_number(LABEL, "imageInfo.packageNumber", 10_000.0).is_some());
        assert!(broken_list(LABEL, "packageDescription.extraServices", 6).is_some());
    }

    #[test]
    fn label_text_is_latin() {
        assert!(printable_on_label(
            "Jos\u{e9} M\u{fc}ller-\u{141}\u{f3}d\u{17a} O\u{2019}Brien #5"
        ));
        assert!(!printable_on_label(
            "\u{41c}\u{43e}\u{441}\u{43a}\u{432}\u{430}"
        ));
        assert!(!printable_on_label("\u{6771}\u{4eac}"));
        assert!(!printable_on_label("line\nbreak"));
        assert!(!printable_on_label("\u{1F4E6}"));
    }
}
