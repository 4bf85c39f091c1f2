//! Domestic Prices v3 `letter-rates/search`: First-Class Mail letters, flats and cards, priced
//! by the ounce (the only price search whose weight is in ounces).
//!
//! The size and weight limits per processing category are USPS's published ones (the spec
//! describes them with the category): a letter is 3½–6⅛ in high, 5–11½ in long, 0.007–¼ in
//! thick and at most 3.5 oz; a flat exceeds one of the letter maxima, is at most 12 × 15 × ¾ in
//! and 13 oz; a card is 3½–4¼ in high, 5–6 in long, 0.007–0.016 in thick. Breaking them
//! answers USPS's 030014–030019. Prices are simulated (retail only, as the spec's response
//! enumerates): a base price for the first ounce, a price per further ounce, and a
//! nonmachinable surcharge when any nonmachinable indicator is set (docs/usps.md#prices).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};
use std::sync::Arc;

use super::Api;
use super::extra_rates::{insurance_value_check, no_extra_services, requested_codes, service_json};
use super::prices::{V, incomplete, mailing_date_check, respond};
use super::validate::{Check, json_body};
use crate::Shared;
use crate::auth::guard::authorize;
use crate::errors::{ApiError, ErrorItem};
use crate::pricing::{self, Tier};
use crate::rules::LETTER_RATES;

/// The extra-service codes the letter search's spec enumerates.
const LETTER_EXTRA_SERVICES: &[u64] = &[910, 911, 930, 931, 934, 940, 941, 955, 957, 985];

const NONMACHINABLE_INDICATORS: &[&str] = &[
    "isPolybagged",
    "hasClosureDevices",
    "hasLooseItems",
    "isRigid",
    "isSelfMailer",
    "isBooklet",
];

/// Size limits of one category: (height, length, thickness) minimum and maximum in inches, the
/// weight ceiling in ounces, and the codes for too heavy / too small / too big.
struct Limits {
    min: (f64, f64, f64),
    max: (f64, f64, f64),
    max_oz: f64,
    heavy: (&'static str, &'static str),
    small: (&'static str, &'static str),
    big: (&'static str, &'static str),
}

const LETTER_HEAVY: (&str, &str) = (
    "030014",
    "Provided weight exceeds maximum allowed for First Class Letters.",
);
const LETTER_SMALL: (&str, &str) = (
    "030016",
    "Provided dimensions do not meet minimum allowed for First Class Letters.",
);
const LETTER_BIG: (&str, &str) = (
    "030017",
    "Provided dimensions exceed maximum allowed for First Class Letters.",
);

fn limits(category: &str) -> Limits {
    match category {
        "FLATS" => Limits {
            // A flat must exceed a letter in one dimension; checked separately.
            min: (0.0, 0.0, 0.0),
            max: (12.0, 15.0, 0.75),
            max_oz: 13.0,
            heavy: (
                "030015",
                "Provided weight exceeds maximum allowed for First Class Flats.",
            ),
            small: (
                "030018",
                "Provided dimensions do not meet minimum allowed for First Class Flats.",
            ),
            big: (
                "030019",
                "Provided dimensions exceed maximum allowed for First Class Flats.",
            ),
        },
        "CARDS" => Limits {
            min: (3.5, 5.0, 0.007),
            max: (4.25, 6.0, 0.016),
            max_oz: 3.5,
            heavy: LETTER_HEAVY,
            small: LETTER_SMALL,
            big: LETTER_BIG,
        },
        _ => Limits {
            min: (3.5, 5.0, 0.007),
            max: (6.125, 11.5, 0.25),
            max_oz: 3.5,
            heavy: LETTER_HEAVY,
            small: LETTER_SMALL,
            big: LETTER_BIG,
        },
    }
}

/// Simulated retail prices: (first ounce, each further ounce, SKU stem).
fn price_list(category: &str) -> (f64, f64, &'static str) {
    match category {
        "FLATS" => (1.63, 0.29, "DFFX0XXXXR"),
        "CARDS" => (0.61, 0.0, "DFCX0XXXXR"),
        _ => (0.78, 0.29, "DFLX0XXXXR"),
    }
}

const NONMACHINABLE_SURCHARGE: f64 = 0.49;

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Checks the piece against its category's limits; the failures USPS reports.
fn size_failures(category: &str, weight_oz: f64, h: f64, l: f64, t: f64) -> Vec<ErrorItem> {
    let lim = limits(category);
    let mut out = Vec::new();
    let dims = "length/height/thickness";
    if weight_oz > lim.max_oz {
        out.push(ErrorItem::coded(lim.heavy.0, lim.heavy.1, "weight"));
    }
    if h < lim.min.0 || l < lim.min.1 || t < lim.min.2 {
        out.push(ErrorItem::coded(lim.small.0, lim.small.1, dims));
    } else if h > lim.max.0 || l > lim.max.1 || t > lim.max.2 {
        out.push(ErrorItem::coded(lim.big.0, lim.big.1, dims));
    } else if category == "FLATS" {
        let letter = limits("LETTERS").max;
        if h <= letter.0 && l <= letter.1 && t <= letter.2 {
            out.push(ErrorItem::coded(lim.small.0, lim.small.1, dims));
        }
    }
    out
}

pub async fn search(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        authorize(&shared, &headers, Api::Prices)?;
        let body = json_body(&headers, &body, V)?;
        let mut c = Check::new(&body, Some("030010"));
        c.only(
            "",
            &[
                "weight",
                "length",
                "height",
                "thickness",
                "processingCategory",
                "mailingDate",
                "nonMachinableIndicators",
                "extraServices",
                "itemValue",
            ],
        );
        c.only("nonMachinableIndicators", NONMACHINABLE_INDICATORS);
        c.object("nonMachinableIndicators", false);
        let weight = c.positive("weight", true);
        let length = c.limited(LETTER_RATES, "length", true);
        let height = c.limited(LETTER_RATES, "height", true);
        let thickness = c.limited(LETTER_RATES, "thickness", true);
        let category = c.one_of("processingCategory", true, &["LETTERS", "FLATS", "CARDS"]);
        mailing_date_check(&mut c);
        let mut nonmachinable = false;
        for flag in NONMACHINABLE_INDICATORS {
            let path = format!("nonMachinableIndicators.{flag}");
            nonmachinable |= c.boolean(&path).unwrap_or(false);
        }
        let item_value = c.limited(LETTER_RATES, "itemValue", false).unwrap_or(0.0);
        let codes = requested_codes(&mut c, LETTER_RATES, "extraServices", LETTER_EXTRA_SERVICES)
            .unwrap_or_default();
        insurance_value_check(&mut c, &codes, item_value, "itemValue");
        c.finish(V)?;
        let (Some(weight), Some(length), Some(height), Some(thickness), Some(category)) =
            (weight, length, height, thickness, category)
        else {
            return Err(incomplete());
        };
        let piece = price_piece(category, weight, (length, height, thickness), nonmachinable)
            .map_err(|failures| ApiError::bad_request(V, failures))?;
        let mut extras = Vec::new();
        for code in &codes {
            let (name, fee) =
                pricing::extra_service(*code, item_value).ok_or_else(no_extra_services)?;
            extras.push(service_json(*code, name, fee, Tier::Retail));
        }
        let mut rate = json!({
            "SKU": piece.sku,
            "description": format!("First-Class Mail {}", title(category)),
            "priceType": "RETAIL",
            "price": piece.price,
            "weight": weight,
            "fees": piece.fees_json(),
            "startDate": "2026-01-18",
            "endDate": "",
            "mailClass": "FIRST-CLASS_MAIL",
        });
        if !extras.is_empty() {
            rate["extraServices"] = json!(extras);
        }
        Ok::<Value, ApiError>(json!({
            "totalBasePrice": piece.total(),
            "rates": [rate],
        }))
    })();
    respond(result)
}

/// A priced First-Class Mail piece: postage and fees.
pub struct Piece {
    pub sku: String,
    pub price: f64,
    pub fees: Vec<(&'static str, &'static str, f64)>,
}

impl Piece {
    pub fn fees_json(&self) -> Vec<Value> {
        self.fees
            .iter()
            .map(|(name, sku, price)| json!({ "name": name, "SKU": sku, "price": price }))
            .collect()
    }

    pub fn total(&self) -> f64 {
        round2(self.price + self.fees.iter().map(|f| f.2).sum::<f64>())
    }
}

/// Prices a letter, flat or card of `weight_oz` and (length, height, thickness) inches, or the
/// size and weight failures USPS reports for it. Letter indicia are priced the same way.
pub fn price_piece(
    category: &str,
    weight_oz: f64,
    (length, height, thickness): (f64, f64, f64),
    nonmachinable: bool,
) -> Result<Piece, Vec<ErrorItem>> {
    let failures = size_failures(category, weight_oz, height, length, thickness);
    if !failures.is_empty() {
        return Err(failures);
    }
    let ounces = weight_oz.ceil().max(1.0);
    let (first, per_ounce, sku) = price_list(category);
    let mut fees = Vec::new();
    // Cards are never surcharged: a nonmachinable card is mailed as a letter.
    if nonmachinable && category != "CARDS" {
        fees.push((
            "Nonmachinable Surcharge",
            "DFLXNSXXXXR00000",
            NONMACHINABLE_SURCHARGE,
        ));
    }
    Ok(Piece {
        sku: format!("{sku}{:05}", (ounces as u32).min(99_999)),
        price: round2(first + per_ounce * (ounces - 1.0)),
        fees,
    })
}

pub const NONMACHINABLE_FLAGS: &[&str] = NONMACHINABLE_INDICATORS;

fn title(category: &str) -> &'static str {
    match category {
        "FLATS" => "Flats",
        "CARDS" => "Postcards",
        _ => "Letters",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_keep_their_limits() {
        assert!(size_failures("LETTERS", 1.0, 4.0, 9.0, 0.1).is_empty());
        assert_eq!(
            size_failures("LETTERS", 4.0, 4.0, 9.0, 0.1)[0].code,
            Some("030014")
        );
        assert_eq!(
            size_failures("LETTERS", 1.0, 3.0, 9.0, 0.1)[0].code,
            Some("030016")
        );
        assert_eq!(
            size_failures("LETTERS", 1.0, 7.0, 9.0, 0.1)[0].code,
            Some("030017")
        );
        assert!(size_failures("FLATS", 5.0, 9.0, 12.0, 0.5).is_empty());
        assert_eq!(
            size_failures("FLATS", 5.0, 4.0, 9.0, 0.1)[0].code,
            Some("030018")
        );
        assert_eq!(
            size_failures("FLATS", 14.0, 9.0, 12.0, 0.5)[0].code,
            Some("030015")
        );
        assert_eq!(
            size_failures("FLATS", 5.0, 13.0, 12.0, 0.5)[0].code,
            Some("030019")
        );
        assert_eq!(
            size_failures("CARDS", 0.5, 4.0, 7.0, 0.01)[0].code,
            Some("030017")
        );
    }
}
