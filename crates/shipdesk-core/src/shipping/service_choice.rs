//! Which service to preselect for a package, and what each quoted service asks of the shop: one
//! policy for the app's rates views and the CLI's `labels buy` without `--service`, so a front
//! end never decides it on its own.
//!
//! A rates list is not a fitness check. USPS quotes every product the package could be
//! *priced* as: flat-rate envelopes and boxes whatever the package's size (their price does not
//! depend on it), classes only certain contents may use (Media Mail is for books and recorded
//! media, Library Mail for loans between libraries, Bound Printed Matter for bound advertising
//! and catalogs), and products that must be handed in at a particular facility. Any of those
//! can be the cheapest row, and a label bought for it by default is postage due, a return to
//! sender, or a refused drop-off. They stay in the list for the user to pick, each marked with
//! its restriction (`annotate`); the default is:
//!
//! **the cheapest "You pay" price among services any contents may use and any Post Office
//! accepts, in the shop's own box** (`recommended_service`) — or, when the shop says it ships
//! in USPS flat-rate packaging, **the cheapest flat-rate product the package really fits**
//! (`recommended_flat_rate`). A flat-rate product is never the default for a shop's own box:
//! the label would be for a USPS envelope or box the package is not in.
//!
//! - Classes: USPS Ground Advantage, Priority Mail, Priority Mail Express, and abroad First-Class
//!   Package International Service, Priority Mail International and Priority Mail Express
//!   International (First-Class Package International takes contents worth at most $400: the
//!   purchase checks the customs value against it). Every other class
//!   is never a default — the content-restricted ones above, Parcel Select and USPS Connect
//!   (entered at a destination facility), USPS Retail Ground (a retail product for items that
//!   cannot fly) — and neither is a class this list does not know yet.
//! - Packaging, by rate indicator: rates priced from the package's own weight and size (single
//!   piece, Priority Mail Express single piece, cubic, dimensional, oversized) are the shop's
//!   own box and fit by definition: USPS priced those dimensions. A flat-rate envelope fits
//!   when it can wrap the package: a flat envelope's inside length goes round the contents'
//!   length *and* thickness, so a box `a × b × c` (longest first) fits an `L × W` envelope only
//!   when `a + c ≤ L` and `b + c ≤ W`. A flat-rate box fits when the package fits its inside
//!   dimensions in some orientation. Any other indicator (soft-pack cubic tiers, letters,
//!   flats, regional boxes) is never a default. Flat-rate products weigh up to 70 lb like their
//!   class, a limit USPS already applies to the quotes it returns.
//! - Equal prices go to the faster class.

use rust_decimal::Decimal;

use super::model::{Package, QuotePackaging, RateChoice, RateQuote};

const FIRST_CLASS_ABROAD_LIMIT: &str = "Up to 4 lb, and contents worth at most $400.";

/// Fills in what each quote asks of the shop: its packaging, whether `package` fits it, and
/// who may use the service.
pub fn annotate(quotes: &mut [RateQuote], package: &Package) {
    for q in quotes {
        let packaging = packaging(&q.choice.rate_indicator);
        q.packaging = match packaging {
            Some(Packaging::Own) => QuotePackaging::Own,
            Some(_) => QuotePackaging::FlatRate,
            None => QuotePackaging::Other,
        };
        q.fits_package = packaging.is_some_and(|p| p.fits(package));
        q.restriction = restriction(&q.choice.mail_class).map(str::to_owned);
        // A cap on the package, not on who may use the service: said beside it, checked against
        // the customs value at purchase.
        if q.choice.mail_class == "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE"
            && !q.warnings.iter().any(|w| w == FIRST_CLASS_ABROAD_LIMIT)
        {
            q.warnings.push(FIRST_CLASS_ABROAD_LIMIT.to_owned());
        }
    }
}

/// The quote to preselect for `package` in the shop's own box, or `None` when no quote is a
/// safe default (then the user chooses; the CLI asks for `--service`).
pub fn recommended_service(quotes: &[RateQuote], package: &Package) -> Option<RateChoice> {
    cheapest_fitting(quotes, package, |p| matches!(p, Packaging::Own))
}

/// The cheapest USPS flat-rate product `package` fits, for a shop that ships in them.
pub fn recommended_flat_rate(quotes: &[RateQuote], package: &Package) -> Option<RateChoice> {
    cheapest_fitting(quotes, package, |p| !matches!(p, Packaging::Own))
}

fn cheapest_fitting(
    quotes: &[RateQuote],
    package: &Package,
    wanted: impl Fn(Packaging) -> bool,
) -> Option<RateChoice> {
    quotes
        .iter()
        .filter(|q| is_default_class(&q.choice.mail_class))
        .filter_map(|q| {
            let price = q.price?;
            let packaging = packaging(&q.choice.rate_indicator)?;
            (wanted(packaging) && packaging.fits(package)).then_some((price, q))
        })
        .min_by_key(|(price, q)| (*price, class_speed_rank(&q.choice.mail_class)))
        .map(|(_, q)| q.choice.clone())
}

/// Who may use a class, in the words a desk worker needs before choosing it; `None` for the
/// classes anyone may use anywhere.
fn restriction(mail_class: &str) -> Option<&'static str> {
    Some(match mail_class {
        "PRIORITY_MAIL_EXPRESS"
        | "PRIORITY_MAIL"
        | "USPS_GROUND_ADVANTAGE"
        | "PRIORITY_MAIL_EXPRESS_INTERNATIONAL"
        | "PRIORITY_MAIL_INTERNATIONAL"
        | "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE" => return None,
        "MEDIA_MAIL" => {
            "Only books, printed music, sound and video recordings and educational media — no \
             advertising. USPS may open the package and charge the difference."
        }
        "LIBRARY_MAIL" => {
            "Only for items sent between libraries, schools, museums and similar institutions."
        }
        "BOUND_PRINTED_MATTER" => {
            "Only bound advertising, catalogs and directories (mostly printed, up to 15 lb)."
        }
        "PARCEL_SELECT" | "PARCEL_SELECT_LIGHTWEIGHT" => {
            "Must be dropped off at a USPS destination facility, not at a Post Office."
        }
        "USPS_RETAIL_GROUND" => {
            "A Post Office retail service for items that cannot go by air; not for online labels \
             of ordinary parcels."
        }
        class if class.starts_with("USPS_CONNECT") => {
            "Must be dropped off at a participating USPS delivery unit."
        }
        _ => "Check this service's rules before choosing it: Shipdesk does not know them.",
    })
}

/// Classes any contents may use, accepted at any Post Office or carrier pickup.
fn is_default_class(mail_class: &str) -> bool {
    class_speed_rank(mail_class) != u8::MAX
}

/// Faster first; `u8::MAX` for classes that are never a default.
fn class_speed_rank(mail_class: &str) -> u8 {
    match mail_class {
        "PRIORITY_MAIL_EXPRESS" | "PRIORITY_MAIL_EXPRESS_INTERNATIONAL" => 0,
        "PRIORITY_MAIL" | "PRIORITY_MAIL_INTERNATIONAL" => 1,
        "USPS_GROUND_ADVANTAGE" | "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE" => 2,
        _ => u8::MAX,
    }
}

/// Inches, written as USPS publishes them (fractions of an inch).
const fn inches(whole: i64, eighths: i64) -> Decimal {
    Decimal::from_parts((whole * 8 + eighths) as u32 * 125, 0, 0, false, 3)
}

#[derive(Debug, Clone, Copy)]
enum Packaging {
    /// The shop's own box or envelope; USPS priced its weight and dimensions.
    Own,
    /// A USPS flat envelope, outside length × width.
    FlatRateEnvelope { length: Decimal, width: Decimal },
    /// A USPS flat-rate box; each entry is one version's inside dimensions.
    FlatRateBox(&'static [[Decimal; 3]]),
}

const SMALL_BOX: &[[Decimal; 3]] = &[[inches(8, 5), inches(5, 3), inches(1, 5)]];
/// The top-loading and the side-loading versions.
const MEDIUM_BOX: &[[Decimal; 3]] = &[
    [inches(11, 2), inches(8, 6), inches(6, 0)],
    [inches(13, 5), inches(11, 7), inches(3, 3)],
];
const LARGE_BOX: &[[Decimal; 3]] = &[[inches(12, 2), inches(12, 2), inches(6, 0)]];

/// What a rate indicator means the package ships in; `None` for indicators that are never a
/// default.
fn packaging(rate_indicator: &str) -> Option<Packaging> {
    Some(match rate_indicator {
        // Single piece, Priority Mail Express single piece, cubic, dimensional rectangular and
        // non-rectangular, oversized.
        "SP" | "PA" | "CP" | "DR" | "DN" | "OS" => Packaging::Own,
        // Flat Rate Envelope and Padded Flat Rate Envelope: 12-1/2" × 9-1/2" (E4: Priority
        // Mail Express International's).
        "FE" | "FP" | "E4" => Packaging::FlatRateEnvelope {
            length: inches(12, 4),
            width: inches(9, 4),
        },
        // Legal Flat Rate Envelope: 15" × 9-1/2" (E6: Priority Mail Express International's).
        "FA" | "E6" => Packaging::FlatRateEnvelope {
            length: inches(15, 0),
            width: inches(9, 4),
        },
        "FS" => Packaging::FlatRateBox(SMALL_BOX),
        "FB" => Packaging::FlatRateBox(MEDIUM_BOX),
        "PL" => Packaging::FlatRateBox(LARGE_BOX),
        _ => return None,
    })
}

impl Packaging {
    fn fits(self, package: &Package) -> bool {
        let [longest, middle, thickness] = longest_first(package);
        match self {
            Packaging::Own => true,
            Packaging::FlatRateEnvelope { length, width } => {
                longest + thickness <= length && middle + thickness <= width
            }
            Packaging::FlatRateBox(versions) => versions.iter().any(|inside| {
                let mut inside = *inside;
                inside.sort_unstable_by(|a, b| b.cmp(a));
                longest <= inside[0] && middle <= inside[1] && thickness <= inside[2]
            }),
        }
    }
}

fn longest_first(package: &Package) -> [Decimal; 3] {
    let d = package.dimensions;
    let mut sides = [d.length_in, d.width_in, d.height_in];
    sides.sort_unstable_by(|a, b| b.cmp(a));
    sides
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shipping::Dimensions;

    fn package(weight_oz: &str, l: &str, w: &str, h: &str) -> Package {
        Package {
            weight_oz: weight_oz.parse().unwrap(),
            dimensions: Dimensions {
                length_in: l.parse().unwrap(),
                width_in: w.parse().unwrap(),
                height_in: h.parse().unwrap(),
            },
        }
    }

    fn quote(mail_class: &str, rate_indicator: &str, price: &str) -> RateQuote {
        RateQuote {
            choice: RateChoice {
                mail_class: mail_class.into(),
                rate_indicator: rate_indicator.into(),
                processing_category: "MACHINABLE".into(),
            },
            product_name: mail_class.replace('_', " "),
            description: None,
            zone: Some("05".into()),
            retail: None,
            commercial: price.parse().ok(),
            contract: None,
            contract_rate_not_found: false,
            price: price.parse().ok(),
            delivery_days: None,
            warnings: Vec::new(),
            packaging: QuotePackaging::Other,
            fits_package: false,
            restriction: None,
        }
    }

    fn pick(quotes: &[RateQuote], package: &Package) -> Option<(String, String)> {
        recommended_service(quotes, package).map(|c| (c.mail_class, c.rate_indicator))
    }

    fn pick_flat(quotes: &[RateQuote], package: &Package) -> Option<(String, String)> {
        recommended_flat_rate(quotes, package).map(|c| (c.mail_class, c.rate_indicator))
    }

    fn choice(mail_class: &str, rate_indicator: &str) -> Option<(String, String)> {
        Some((mail_class.into(), rate_indicator.into()))
    }

    #[test]
    fn inches_are_exact_eighths() {
        assert_eq!(inches(12, 4), "12.5".parse::<Decimal>().unwrap());
        assert_eq!(inches(8, 5), "8.625".parse::<Decimal>().unwrap());
        assert_eq!(inches(6, 0), Decimal::from(6));
    }

    #[test]
    fn content_restricted_and_facility_entry_classes_are_never_the_default() {
        let book = package("32", "9", "6", "2");
        let quotes = [
            quote("LIBRARY_MAIL", "SP", "3.90"),
            quote("MEDIA_MAIL", "SP", "4.10"),
            quote("BOUND_PRINTED_MATTER", "SP", "4.30"),
            quote("PARCEL_SELECT", "SP", "6.10"),
            quote("USPS_CONNECT_LOCAL", "SP", "5.00"),
            quote("USPS_RETAIL_GROUND", "SP", "7.00"),
            quote("USPS_GROUND_ADVANTAGE", "SP", "7.40"),
            quote("PRIORITY_MAIL", "SP", "9.90"),
        ];
        assert_eq!(pick(&quotes, &book), choice("USPS_GROUND_ADVANTAGE", "SP"));
    }

    #[test]
    fn nothing_is_recommended_when_only_restricted_classes_are_priced() {
        let book = package("32", "9", "6", "2");
        let quotes = [
            quote("MEDIA_MAIL", "SP", "4.10"),
            quote("LIBRARY_MAIL", "SP", "3.90"),
        ];
        assert_eq!(pick(&quotes, &book), None);
        assert_eq!(pick(&[], &book), None);
    }

    #[test]
    fn an_unknown_class_or_rate_indicator_is_never_the_default() {
        let small = package("8", "6", "4", "1");
        let quotes = [
            quote("SOME_NEW_CLASS", "SP", "1.00"),
            quote("PRIORITY_MAIL", "Q6", "2.00"),
            quote("USPS_GROUND_ADVANTAGE", "ZZ", "2.50"),
            quote("USPS_GROUND_ADVANTAGE", "SP", "5.20"),
        ];
        assert_eq!(pick(&quotes, &small), choice("USPS_GROUND_ADVANTAGE", "SP"));
    }

    #[test]
    fn a_quote_without_a_price_is_skipped() {
        let small = package("8", "6", "4", "1");
        let quotes = [
            quote("USPS_GROUND_ADVANTAGE", "SP", "none"),
            quote("PRIORITY_MAIL", "SP", "9.10"),
        ];
        assert_eq!(pick(&quotes, &small), choice("PRIORITY_MAIL", "SP"));
    }

    #[test]
    fn a_flat_rate_envelope_is_offered_when_it_wraps_the_package_but_never_for_the_own_box() {
        // 10 + 1 <= 12.5 and 7 + 1 <= 9.5.
        let thin = package("40", "10", "7", "1");
        let quotes = [
            quote("PRIORITY_MAIL", "FE", "9.85"),
            quote("USPS_GROUND_ADVANTAGE", "SP", "11.20"),
        ];
        assert_eq!(pick_flat(&quotes, &thin), choice("PRIORITY_MAIL", "FE"));
        assert_eq!(pick(&quotes, &thin), choice("USPS_GROUND_ADVANTAGE", "SP"));
    }

    #[test]
    fn a_heavy_box_never_defaults_to_a_flat_rate_envelope() {
        // Fits 12.5 × 9.5 flat, but not once its 4" thickness is wrapped.
        let boxed = package("160", "10", "8", "4");
        let quotes = [
            quote("PRIORITY_MAIL", "FE", "9.85"),
            quote("PRIORITY_MAIL", "FP", "10.40"),
            quote("PRIORITY_MAIL", "FA", "10.15"),
            quote("PRIORITY_MAIL_EXPRESS", "FE", "29.00"),
            quote("USPS_GROUND_ADVANTAGE", "SP", "16.75"),
            quote("PRIORITY_MAIL", "SP", "18.20"),
        ];
        assert_eq!(pick(&quotes, &boxed), choice("USPS_GROUND_ADVANTAGE", "SP"));
        assert_eq!(pick_flat(&quotes, &boxed), None);
    }

    #[test]
    fn the_envelope_wrap_rule_is_exact_at_the_edges() {
        let quotes = [
            quote("PRIORITY_MAIL", "FE", "9.85"),
            quote("USPS_GROUND_ADVANTAGE", "SP", "12.00"),
        ];
        // 11.5 + 1 = 12.5 and 8.5 + 1 = 9.5: just fits.
        assert_eq!(
            pick_flat(&quotes, &package("16", "11.5", "8.5", "1")),
            choice("PRIORITY_MAIL", "FE")
        );
        // One sixteenth thicker: no longer.
        assert_eq!(
            pick_flat(&quotes, &package("16", "11.5", "8.5", "1.0625")),
            None
        );
        // The orientation the dimensions were typed in does not matter.
        assert_eq!(
            pick_flat(&quotes, &package("16", "1", "8.5", "11.5")),
            choice("PRIORITY_MAIL", "FE")
        );
    }

    #[test]
    fn the_legal_envelope_takes_a_longer_package_than_the_letter_size_ones() {
        let long = package("20", "13.5", "8", "0.75");
        let quotes = [
            quote("PRIORITY_MAIL", "FE", "9.85"),
            quote("PRIORITY_MAIL", "FP", "10.40"),
            quote("PRIORITY_MAIL", "FA", "10.15"),
            quote("USPS_GROUND_ADVANTAGE", "SP", "12.00"),
        ];
        assert_eq!(pick_flat(&quotes, &long), choice("PRIORITY_MAIL", "FA"));
    }

    #[test]
    fn a_flat_rate_box_is_the_default_only_when_the_package_fits_inside() {
        let quotes = [
            quote("PRIORITY_MAIL", "FS", "10.20"),
            quote("USPS_GROUND_ADVANTAGE", "SP", "13.00"),
        ];
        assert_eq!(
            pick_flat(&quotes, &package("24", "8", "5", "1.5")),
            choice("PRIORITY_MAIL", "FS")
        );
        assert_eq!(pick_flat(&quotes, &package("24", "9", "5", "1.5")), None);
    }

    #[test]
    fn either_medium_box_version_counts() {
        let quotes = [
            quote("PRIORITY_MAIL", "FB", "17.10"),
            quote("USPS_GROUND_ADVANTAGE", "SP", "21.00"),
        ];
        // Only the side-loading box (13-5/8 × 11-7/8 × 3-3/8) takes this one.
        assert_eq!(
            pick_flat(&quotes, &package("200", "13", "11", "3")),
            choice("PRIORITY_MAIL", "FB")
        );
        // Only the top-loading one (11-1/4 × 8-3/4 × 6) takes this one.
        assert_eq!(
            pick_flat(&quotes, &package("200", "11", "8", "5.5")),
            choice("PRIORITY_MAIL", "FB")
        );
        // Neither takes this one.
        assert_eq!(pick_flat(&quotes, &package("200", "13", "11", "5")), None);
    }

    #[test]
    fn equal_prices_go_to_the_faster_class() {
        let small = package("8", "8", "5", "1");
        let quotes = [
            quote("PRIORITY_MAIL", "FS", "9.00"),
            quote("USPS_GROUND_ADVANTAGE", "SP", "9.00"),
            quote("PRIORITY_MAIL", "SP", "9.00"),
        ];
        assert_eq!(pick(&quotes, &small), choice("PRIORITY_MAIL", "SP"));
    }

    #[test]
    fn annotate_marks_packaging_fit_and_restrictions() {
        let small = package("8", "8", "5", "1");
        let mut quotes = [
            quote("MEDIA_MAIL", "SP", "4.10"),
            quote("PRIORITY_MAIL", "FS", "9.00"),
            quote("PRIORITY_MAIL", "FB", "16.00"),
            quote("PRIORITY_MAIL", "PL", "22.00"),
            quote("USPS_GROUND_ADVANTAGE", "SP", "6.00"),
            quote("PARCEL_SELECT", "SP", "5.00"),
            quote("PRIORITY_MAIL", "Q6", "3.00"),
        ];
        annotate(&mut quotes, &package("8", "9", "5", "1"));
        let read: Vec<_> = quotes
            .iter()
            .map(|q| (q.packaging, q.fits_package, q.restriction.is_some()))
            .collect();
        assert_eq!(
            read,
            [
                (QuotePackaging::Own, true, true),
                // 9" is longer than the small box's 8-5/8".
                (QuotePackaging::FlatRate, false, false),
                (QuotePackaging::FlatRate, true, false),
                (QuotePackaging::FlatRate, true, false),
                (QuotePackaging::Own, true, false),
                (QuotePackaging::Own, true, true),
                (QuotePackaging::Other, false, false),
            ]
        );
        assert!(quotes[0].restriction.as_deref().unwrap().contains("books"));
        annotate(&mut quotes, &small);
        assert!(quotes[1].fits_package);
    }

    #[test]
    fn the_processing_category_is_kept_as_quoted() {
        let big = package("300", "30", "20", "20");
        let mut nonstandard = quote("USPS_GROUND_ADVANTAGE", "SP", "40.00");
        nonstandard.choice.processing_category = "NONSTANDARD".into();
        let chosen = recommended_service(&[nonstandard.clone()], &big).unwrap();
        assert_eq!(chosen, nonstandard.choice);
    }
}
