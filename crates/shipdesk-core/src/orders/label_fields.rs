//! Whether an address fits on a USPS label: the lengths USPS refuses beyond ([`usps::limits`]),
//! counted as the label prints them (plain ASCII). One check for the order form, the import, the
//! ship-from form and the purchase, so a name or street USPS would refuse is named at the field
//! it was typed in, not at the Buy button.
//!
//! Only US addresses are checked: they are the only ones Shipdesk buys labels for so far, and
//! other countries' labels have other limits.

use usps::limits::{
    CITY_MAX, NAME_PART_MAX, SECONDARY_ADDRESS_MAX, STREET_ADDRESS_MAX, label_len, split_name,
};

use super::model::Address;
use crate::error::FieldProblem;

/// The problems of `address` for a USPS label, each naming its field as `{prefix}.{field}`
/// (`ship_to.street1`).
pub fn label_problems(prefix: &str, address: &Address) -> Vec<FieldProblem> {
    if !address.is_domestic() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    let mut check = |field: &str, what: &str, value: &str, max: usize, hint: &str| {
        let len = label_len(value);
        if len > max {
            problems.push(FieldProblem::new(
                format!("{prefix}.{field}"),
                format!("{what} is {len} characters; a USPS label takes at most {max}{hint}"),
            ));
        }
    };
    match split_name(&address.name) {
        (Some(first), Some(last)) => {
            check("name", "the first name", first, NAME_PART_MAX, "");
            check("name", "the last name", last, NAME_PART_MAX, "");
        }
        _ => check("name", "the name", &address.name, NAME_PART_MAX, ""),
    }
    if let Some(company) = &address.company {
        check("company", "the company", company, NAME_PART_MAX, "");
    }
    check(
        "street1",
        "the street address",
        &address.street1,
        STREET_ADDRESS_MAX,
        " (move the apartment or suite to address line 2)",
    );
    if let Some(street2) = &address.street2 {
        check(
            "street2",
            "address line 2",
            street2,
            SECONDARY_ADDRESS_MAX,
            "",
        );
    }
    check(
        "city",
        "the city",
        &address.city,
        CITY_MAX,
        " (use the USPS abbreviation of the city name)",
    );
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address() -> Address {
        Address {
            name: "Ana Lee".into(),
            street1: "1 Main St".into(),
            city: "Springfield".into(),
            state: "IL".into(),
            zip5: "62701".into(),
            country: "US".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_ordinary_address_fits() {
        assert!(label_problems("ship_to", &address()).is_empty());
    }

    #[test]
    fn each_field_over_its_limit_is_named() {
        let a = Address {
            name: format!("{} Lee", "A".repeat(51)),
            company: Some("C".repeat(51)),
            street1: "1".repeat(51),
            street2: Some("2".repeat(51)),
            city: "C".repeat(29),
            ..address()
        };
        let fields: Vec<String> = label_problems("ship_to", &a)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "ship_to.name",
                "ship_to.company",
                "ship_to.street1",
                "ship_to.street2",
                "ship_to.city"
            ]
        );
    }

    #[test]
    fn limits_count_the_text_as_printed() {
        // 25 × "ß" prints as 50 letters: fits; 26 do not.
        let fits = Address {
            street1: "ß".repeat(25),
            ..address()
        };
        assert!(label_problems("ship_to", &fits).is_empty());
        let over = Address {
            street1: "ß".repeat(26),
            ..address()
        };
        let problems = label_problems("ship_to", &over);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.contains("is 52 characters"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_one_word_name_is_the_firm_and_has_the_same_limit() {
        let a = Address {
            name: "N".repeat(51),
            ..address()
        };
        assert_eq!(label_problems("ship_from", &a)[0].field, "ship_from.name");
    }

    #[test]
    fn foreign_addresses_are_not_held_to_domestic_limits() {
        let a = Address {
            country: "CA".into(),
            city: "C".repeat(40),
            ..address()
        };
        assert!(label_problems("ship_to", &a).is_empty());
    }
}
