//! What USPS refuses in the fields the app sends, so the app can say so at the order form and the
//! import instead of at purchase time (docs/usps.md#field-limits).
//!
//! The lengths are the `maxLength` of the domestic labels and addresses schemas;
//! `tests/spec_limits.rs` reads the official specs and fails if one of them moves. USPS prints
//! label text in plain ASCII, so the lengths count the text as it will be printed: after
//! [`label_text`], which can lengthen a name (`ß` becomes `ss`).

/// `firstName`, `lastName` and `firm` of an addressee.
pub const NAME_PART_MAX: usize = 50;
/// `streetAddress`.
pub const STREET_ADDRESS_MAX: usize = 50;
/// `secondaryAddress`.
pub const SECONDARY_ADDRESS_MAX: usize = 50;
/// `city`.
pub const CITY_MAX: usize = 28;
/// `email`.
pub const EMAIL_MAX: usize = 50;
/// The heaviest package any domestic class takes, in pounds.
pub const WEIGHT_MAX_LB: u32 = 70;
/// Bound Printed Matter's lower ceiling, in pounds.
pub const BOUND_PRINTED_MATTER_MAX_LB: u32 = 15;

/// The heaviest package `mail_class` takes, in pounds (USPS answers 160098 beyond it).
pub fn max_weight_lb(mail_class: &str) -> u32 {
    match mail_class {
        "BOUND_PRINTED_MATTER" => BOUND_PRINTED_MATTER_MAX_LB,
        _ => WEIGHT_MAX_LB,
    }
}

/// The largest length plus girth `mail_class` takes, in inches (USPS answers 160042 beyond it):
/// 130 for the ground products, 108 for the others.
pub fn max_length_plus_girth_in(mail_class: &str) -> u32 {
    match mail_class {
        "USPS_GROUND_ADVANTAGE"
        | "PARCEL_SELECT"
        | "PARCEL_SELECT_LIGHTWEIGHT"
        | "USPS_RETAIL_GROUND" => 130,
        _ => 108,
    }
}

/// Length (the longest side) plus girth (twice the sum of the other two), in the sides' unit.
pub fn length_plus_girth(sides: [f64; 3]) -> f64 {
    let mut sides = sides;
    sides.sort_by(f64::total_cmp);
    sides[2] + 2.0 * (sides[0] + sides[1])
}

/// `text` as USPS prints it on a label: ASCII only. Letters with accents lose them, other scripts
/// are spelled in Latin letters, pictographs (emoji and the like) are dropped, and runs of spaces
/// become one.
pub fn label_text(text: &str) -> String {
    if text.is_ascii() {
        return collapse_spaces(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if !is_pictograph(c)
            && let Some(ascii) = deunicode::deunicode_char(c)
        {
            out.push_str(ascii);
        }
    }
    collapse_spaces(&out)
}

/// The number of characters `text` takes on a label.
pub fn label_len(text: &str) -> usize {
    label_text(text).len()
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Symbols a transliteration would spell out as words ("unicorn"): on a label they are noise.
fn is_pictograph(c: char) -> bool {
    matches!(c as u32,
        0x2190..=0x21FF     // arrows
        | 0x2300..=0x23FF   // technical symbols
        | 0x2460..=0x27BF   // enclosed alphanumerics, shapes, dingbats
        | 0x2B00..=0x2BFF   // more arrows and shapes
        | 0xFE00..=0xFE0F   // variation selectors
        | 0x1F000..=0x1FAFF // emoji and pictographs
        | 0xE0000..=0xE007F // tags
    )
}

/// A first and last name as USPS takes them: the last word is the last name. A one-word name has
/// no first name; the app sends it as the firm.
pub fn split_name(name: &str) -> (Option<&str>, Option<&str>) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((first, last)) => (Some(first.trim()), Some(last)),
        None => (None, None),
    }
}

/// Whether USPS takes `email`: its schema's pattern (`local@domain.tld`, a limited set of
/// characters in the local part) and length.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_+&*-".contains(c))
        });
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels[..labels.len() - 1]
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    email.len() <= EMAIL_MAX && local_ok && domain_ok
}

/// A US phone number as USPS takes it: ten digits, a leading country code 1 dropped.
pub fn us_phone_digits(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.strip_prefix('1') {
        Some(rest) if rest.len() == 10 => rest.to_owned(),
        _ => digits,
    };
    (digits.len() == 10).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_text_is_ascii_and_reads_like_the_original() {
        assert_eq!(label_text("José Müller"), "Jose Muller");
        assert_eq!(label_text("Straße 5"), "Strasse 5");
        assert_eq!(label_text("北京 Road"), "Bei Jing Road");
        assert_eq!(label_text("Ana 🦄  Lee"), "Ana Lee");
        assert_eq!(label_text("  plain   text "), "plain text");
        for s in ["Дмитрий", "Ελένη", "محمد", "😀😀", "ǅ"] {
            assert!(label_text(s).is_ascii(), "{s}");
        }
    }

    #[test]
    fn names_split_at_the_last_word() {
        assert_eq!(
            split_name("Mary Ann Smith"),
            (Some("Mary Ann"), Some("Smith"))
        );
        assert_eq!(split_name("Cher"), (None, None));
    }

    #[test]
    fn emails_follow_the_schema_pattern() {
        assert!(is_valid_email("ana.lee+shop@mail.example.com"));
        for bad in [
            "ana",
            "ana@",
            "@x.com",
            "ana@x",
            "ana@x.c",
            "a..b@x.com",
            "añ@x.com",
            "a b@x.com",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
        assert!(!is_valid_email(&format!("{}@x.com", "a".repeat(50))));
    }

    #[test]
    fn length_plus_girth_measures_around_the_two_shorter_sides() {
        assert_eq!(
            length_plus_girth([10.0, 30.0, 20.0]),
            30.0 + 2.0 * (10.0 + 20.0)
        );
        assert_eq!(max_length_plus_girth_in("PRIORITY_MAIL"), 108);
        assert_eq!(max_length_plus_girth_in("USPS_GROUND_ADVANTAGE"), 130);
        assert_eq!(max_weight_lb("BOUND_PRINTED_MATTER"), 15);
    }

    #[test]
    fn phones_are_ten_digits() {
        assert_eq!(
            us_phone_digits("+1 (555) 010-2000").as_deref(),
            Some("5550102000")
        );
        assert_eq!(us_phone_digits("555-0100"), None);
    }
}
