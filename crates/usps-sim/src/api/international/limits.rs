//! The international specs' limits on request fields, as rows of the crate's one table
//! (`crate::rules`): lengths, patterns, ranges and list sizes the schemas state. The request
//! checks read them through `rules::broken_*` and `validate::Check`, and `tests/spec_limits.rs`
//! holds every row to the OpenAPI files like the domestic ones.
//!
//! Patterns the shared `rules::Shape` cannot express (the two-letter country codes, the HS
//! tariff number's pattern, which the spec states only in prose) are checked in `customs.rs`
//! and `labels.rs` with the spec's wording.

use crate::rules::{FieldLimit, Limit, Operation, Shape};

const fn op(spec: &'static str, path: &'static str) -> Operation {
    Operation {
        spec,
        method: "post",
        path,
    }
}

pub const BASE_RATES: Operation = op("international-prices", "/base-rates/search");
pub const EXTRA_SERVICE_RATES: Operation =
    op("international-prices", "/extra-service-rates/search");
pub const RATE_LIST: Operation = op("international-prices", "/base-rates-list/search");
pub const TOTAL_RATES: Operation = op("international-prices", "/total-rates/search");
pub const LETTER_RATES: Operation = op("international-prices", "/letter-rates/search");
pub const LABEL: Operation = op("international-labels", "/international-label");
pub const INDICIA: Operation = op("international-labels", "/indicia");

const fn len(min: usize, max: usize) -> Limit {
    Limit::Length { min, max }
}

/// A domestic address with an addressee (`fromAddress`, `senderAddress`, the redirect address).
const DOMESTIC: &[(&str, Limit)] = &[
    ("firstName", len(1, 50)),
    ("lastName", len(1, 50)),
    ("firm", len(0, 50)),
    ("streetAddress", len(1, 50)),
    ("secondaryAddress", len(0, 50)),
    ("city", len(1, 28)),
    ("state", Limit::Pattern(Shape::State)),
    ("ZIPCode", Limit::Pattern(Shape::Zip5)),
    ("ZIPPlus4", Limit::Pattern(Shape::Plus4)),
    ("urbanization", len(0, 96)),
    ("phone", Limit::Pattern(Shape::Phone)),
    ("email", len(0, 50)),
    ("email", Limit::Pattern(Shape::Email)),
];

/// The international addressee.
const FOREIGN: &[(&str, Limit)] = &[
    ("firstName", len(1, 50)),
    ("lastName", len(1, 50)),
    ("firm", len(0, 50)),
    ("streetAddress", len(1, 50)),
    ("secondaryAddress", len(0, 50)),
    ("city", len(1, 28)),
    ("postalCode", len(0, 11)),
    ("province", len(0, 40)),
    ("provinceISOAlpha2Code", len(2, 2)),
    ("phone", Limit::Pattern(Shape::Phone)),
];

/// One line of the customs form's `contents`.
const CONTENT: &[(&str, Limit)] = &[
    ("itemDescription", len(1, 30)),
    (
        "itemQuantity",
        Limit::Range {
            min: 1.0,
            max: Some(9999.0),
        },
    ),
    (
        "itemValue",
        Limit::Range {
            min: 0.01,
            max: Some(999_999.99),
        },
    ),
    (
        "itemTotalValue",
        Limit::Range {
            min: 0.01,
            max: Some(999_999.99),
        },
    ),
    ("itemWeight", Limit::Above(0.0)),
    ("itemTotalWeight", Limit::Above(0.0)),
    ("HSTariffNumber", len(6, 14)),
];

/// Adds the international rows to the table.
pub fn extend(rows: &mut Vec<FieldLimit>) {
    let mut add = |operation: Operation, field: String, limit: Limit| {
        rows.push(FieldLimit {
            operation,
            field,
            limit,
        })
    };
    let at_least_zero = Limit::Range {
        min: 0.0,
        max: None,
    };
    for prices in [BASE_RATES, RATE_LIST, TOTAL_RATES] {
        add(
            prices,
            "originZIPCode".into(),
            Limit::Pattern(Shape::Zip5OrPlus4),
        );
        add(
            prices,
            "accountNumber".into(),
            Limit::Pattern(Shape::Digits),
        );
    }
    add(
        EXTRA_SERVICE_RATES,
        "accountNumber".into(),
        Limit::Pattern(Shape::Digits),
    );
    add(TOTAL_RATES, "itemValue".into(), at_least_zero);
    add(TOTAL_RATES, "destinationCity".into(), len(1, 28));
    add(TOTAL_RATES, "destinationState".into(), len(2, 2));
    add(TOTAL_RATES, "items".into(), Limit::MaxItems(30));
    add(TOTAL_RATES, "items[].itemId".into(), len(1, 20));
    add(
        TOTAL_RATES,
        "items[].itemValue".into(),
        Limit::Range {
            min: 0.01,
            max: Some(999_999.99),
        },
    );
    add(
        TOTAL_RATES,
        "items[].itemQuantity".into(),
        Limit::Range {
            min: 1.0,
            max: None,
        },
    );
    add(
        TOTAL_RATES,
        "items[].weight".into(),
        Limit::Range {
            min: 0.001,
            max: None,
        },
    );
    add(TOTAL_RATES, "items[].HSTariffNumber".into(), len(6, 14));
    for side in ["length", "height", "thickness"] {
        add(LETTER_RATES, side.into(), Limit::Above(0.0));
        add(
            INDICIA,
            format!("indiciaDescription.{side}"),
            Limit::Above(0.0),
        );
    }
    add(LETTER_RATES, "itemValue".into(), at_least_zero);
    add(
        INDICIA,
        "indiciaDescription.weight".into(),
        Limit::Above(0.0),
    );
    add(
        INDICIA,
        "indiciaDescription.destinationCountryCode".into(),
        len(2, 2),
    );

    for (name, limit) in FOREIGN {
        add(LABEL, format!("toAddress.{name}"), *limit);
    }
    for address in ["fromAddress", "senderAddress"] {
        for (name, limit) in DOMESTIC {
            add(LABEL, format!("{address}.{name}"), *limit);
        }
    }
    add(LABEL, "senderAddress.platformUserId".into(), len(0, 30));
    let pd = "packageDescription";
    add(LABEL, format!("{pd}.weight"), Limit::Above(0.0));
    for side in ["length", "width", "height", "girth"] {
        add(LABEL, format!("{pd}.{side}"), Limit::Above(0.0));
    }
    add(LABEL, format!("{pd}.diameter"), at_least_zero);
    add(
        LABEL,
        format!("{pd}.packageOptions.packageValue"),
        at_least_zero,
    );
    add(
        LABEL,
        format!("{pd}.packageOptions.originalPackage.originalTrackingNumber"),
        len(13, 13),
    );
    add(
        LABEL,
        format!("{pd}.packageOptions.originalPackage.originalConstructCode"),
        len(3, 3),
    );
    add(LABEL, format!("{pd}.extraServices"), Limit::MaxItems(3));
    add(LABEL, format!("{pd}.customerReference"), Limit::MaxItems(2));
    add(
        LABEL,
        format!("{pd}.customerReference[].referenceNumber"),
        len(1, 30),
    );
    add(
        LABEL,
        format!("{pd}.inductionZIPCode"),
        Limit::Pattern(Shape::Zip5),
    );
    for mid in ["mailOwnerMID", "logisticsManagerMID"] {
        add(LABEL, format!("{pd}.{mid}"), Limit::Pattern(Shape::Mid));
    }
    let cf = "customsForm";
    for (name, limit) in [
        ("contentComments", len(0, 25)),
        ("restrictionComments", len(0, 25)),
        ("AESITN", len(1, 35)),
        ("invoiceNumber", len(1, 15)),
        ("licenseNumber", len(1, 16)),
        ("certificateNumber", len(1, 12)),
        ("contents", Limit::MaxItems(30)),
    ] {
        add(LABEL, format!("{cf}.{name}"), limit);
    }
    for (name, limit) in CONTENT {
        add(LABEL, format!("{cf}.contents[].{name}"), *limit);
    }
    for reference in ["importersReference", "exportersReference"] {
        add(LABEL, format!("{cf}.{reference}.reference"), len(1, 28));
        for phone in ["phone", "fax"] {
            add(
                LABEL,
                format!("{cf}.{reference}.contact.{phone}"),
                Limit::Pattern(Shape::Phone),
            );
        }
        add(LABEL, format!("{cf}.{reference}.contact.email"), len(0, 50));
        add(
            LABEL,
            format!("{cf}.{reference}.contact.email"),
            Limit::Pattern(Shape::Email),
        );
    }
}
