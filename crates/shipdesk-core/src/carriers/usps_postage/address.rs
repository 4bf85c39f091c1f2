//! The Addresses API in the app's terms: an order address as USPS's query, USPS's answer as the
//! side-by-side [`AddressCheck`] with a deliverability verdict from the DPV confirmation.

use usps::models::{AddressQuery, AddressResponse};

use crate::orders::Address;
use crate::postage::model::{AddressCheck, Deliverable, FieldDifference};

fn blank_to_none(s: Option<&String>) -> Option<String> {
    s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Compares ignoring case, punctuation and runs of spaces.
fn same(a: Option<&str>, b: Option<&str>) -> bool {
    let norm = |s: Option<&str>| {
        s.unwrap_or("")
            .to_ascii_uppercase()
            .replace(['.', ','], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

pub(super) fn query_for(a: &Address) -> AddressQuery {
    AddressQuery {
        firm: a.company.clone().filter(|c| !c.trim().is_empty()),
        street_address: a.street1.trim().to_owned(),
        secondary_address: a.street2.clone().filter(|s| !s.trim().is_empty()),
        city: Some(a.city.trim().to_owned()).filter(|c| !c.is_empty()),
        state: a.state.trim().to_owned(),
        urbanization: None,
        zip_code: Some(a.zip5.trim().to_owned()).filter(|z| !z.is_empty()),
        zip_plus4: None,
    }
}

/// Reads USPS's answer into the side-by-side check.
pub(crate) fn check_from_response(entered: &Address, answer: &AddressResponse) -> AddressCheck {
    let s = &answer.address;
    let standardized = Address {
        street1: s.street_address.clone().unwrap_or_default(),
        street2: blank_to_none(s.secondary_address.as_ref()),
        city: s.city.clone().unwrap_or_default(),
        state: s.state.clone().unwrap_or_default(),
        zip5: s.zip_code.clone().unwrap_or_default(),
        zip4: blank_to_none(s.zip_plus4.as_ref()),
        ..entered.clone()
    };
    let pairs = [
        (
            "street1",
            Some(entered.street1.as_str()),
            Some(standardized.street1.as_str()),
        ),
        (
            "street2",
            entered.street2.as_deref(),
            standardized.street2.as_deref(),
        ),
        (
            "city",
            Some(entered.city.as_str()),
            Some(standardized.city.as_str()),
        ),
        (
            "state",
            Some(entered.state.as_str()),
            Some(standardized.state.as_str()),
        ),
        (
            "zip5",
            Some(entered.zip5.as_str()),
            Some(standardized.zip5.as_str()),
        ),
        (
            "zip4",
            entered.zip4.as_deref(),
            standardized.zip4.as_deref(),
        ),
    ];
    let differences = pairs
        .iter()
        .filter(|(_, a, b)| !same(*a, *b))
        .map(|(field, a, b)| FieldDifference {
            field: (*field).to_owned(),
            entered: a.map(str::to_owned),
            suggested: b.map(str::to_owned),
        })
        .collect();
    let info = answer.additional_info.clone().unwrap_or_default();
    let dpv = info.dpv_confirmation.clone().filter(|d| !d.is_empty());
    let phantom = info
        .carrier_route
        .as_deref()
        .is_some_and(|r| r == "R777" || r == "R779");
    let deliverable = match dpv.as_deref() {
        _ if phantom => Deliverable::No,
        Some("Y") => Deliverable::Yes,
        Some("N") => Deliverable::No,
        _ => Deliverable::Unknown,
    };
    let notes: Vec<(&str, &str)> = answer
        .corrections
        .iter()
        .chain(&answer.matches)
        .map(|c| {
            let code = c.code.as_deref().unwrap_or("").trim();
            let text = c.text.as_deref().unwrap_or("").trim();
            (code, text)
        })
        .filter(|(code, text)| !code.is_empty() || !text.is_empty())
        .collect();
    let mut usps_notes: Vec<String> = notes
        .iter()
        .map(|(code, text)| match (code.is_empty(), text.is_empty()) {
            (false, false) => format!("{code}: {text}"),
            (true, _) => (*text).to_owned(),
            (false, true) => (*code).to_owned(),
        })
        .collect();
    let mut corrections: Vec<String> = notes
        .iter()
        .filter_map(|(code, text)| plain_note(code, text))
        .collect();
    let warnings = answer.warnings.iter().filter(|w| !w.is_empty());
    corrections.extend(warnings.clone().cloned());
    usps_notes.extend(warnings.cloned());
    if phantom {
        corrections.push("USPS does not deliver to this address (a phantom carrier route).".into());
        usps_notes.push("Carrier route starts with R777 (phantom route)".into());
    }
    let flag = |v: &Option<String>| v.as_deref().map(|x| x == "Y");
    AddressCheck {
        as_entered: entered.clone(),
        standardized: Some(standardized),
        differences,
        corrections,
        usps_notes,
        deliverable,
        dpv_confirmation: dpv,
        carrier_route: info.carrier_route.clone(),
        business: flag(&info.business),
        vacant: flag(&info.vacant),
        message: None,
    }
}

/// A USPS correction or match note in the words a desk worker acts on; `None` for good news
/// the check already shows (an exact match). Codes this list does not know keep USPS's text.
fn plain_note(code: &str, text: &str) -> Option<String> {
    Some(match code {
        "31" => return None,
        "32" => {
            "Add the apartment, suite or unit number: USPS knows several at this address.".into()
        }
        "22" => {
            "USPS found several addresses like this one: check the street number and name.".into()
        }
        _ if text.is_empty() => format!("USPS note {code}"),
        _ => text.to_owned(),
    })
}

/// USPS found no match (404): the address is flagged, with USPS's sentence.
pub(super) fn no_match(entered: &Address, message: String) -> AddressCheck {
    AddressCheck {
        as_entered: entered.clone(),
        standardized: None,
        differences: Vec::new(),
        corrections: Vec::new(),
        usps_notes: Vec::new(),
        deliverable: Deliverable::No,
        dpv_confirmation: None,
        carrier_route: None,
        business: None,
        vacant: None,
        message: Some(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entered() -> Address {
        Address {
            name: "Ada Lovelace".into(),
            street1: "2516 w north avenue".into(),
            city: "Chicago".into(),
            state: "IL".into(),
            zip5: "60647".into(),
            country: "US".into(),
            ..Default::default()
        }
    }

    #[test]
    fn differences_and_deliverability_come_from_the_answer() {
        let body = r#"{"address": {"streetAddress":"2516 W NORTH AVE","secondaryAddress":"",
            "city":"CHICAGO","state":"IL","ZIPCode":"60647","ZIPPlus4":"5202"},
          "additionalInfo": {"carrierRoute":"C022","DPVConfirmation":"Y","business":"Y","vacant":"N"},
          "corrections": [{"code":"","text":""}],
          "matches": [{"code":"31","text":"Single Response - exact match"}], "warnings": []}"#;
        let answer: AddressResponse = serde_json::from_str(body).unwrap();
        let check = check_from_response(&entered(), &answer);
        assert_eq!(check.deliverable, Deliverable::Yes);
        let fields: Vec<_> = check.differences.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, ["street1", "zip4"]);
        assert_eq!(check.standardized.unwrap().zip4.as_deref(), Some("5202"));
        // An exact match is good news the check already shows: no note in plain words, the
        // code kept for Details.
        assert!(check.corrections.is_empty(), "{:?}", check.corrections);
        assert_eq!(check.usps_notes, ["31: Single Response - exact match"]);
        assert_eq!((check.business, check.vacant), (Some(true), Some(false)));
    }

    #[test]
    fn missing_secondary_and_phantom_routes_are_not_yes() {
        let d: AddressResponse = serde_json::from_str(
            r#"{"address":{"streetAddress":"1200 MAIN ST","city":"X","state":"IL","ZIPCode":"60647"},
                "additionalInfo":{"DPVConfirmation":"D"},
                "corrections":[{"code":"32","text":"Default address: more information needed"}]}"#,
        )
        .unwrap();
        let missing_unit = check_from_response(&entered(), &d);
        assert_eq!(missing_unit.deliverable, Deliverable::Unknown);
        assert_eq!(missing_unit.corrections.len(), 1);
        assert!(missing_unit.corrections[0].starts_with("Add the apartment"));
        assert_eq!(
            missing_unit.usps_notes,
            ["32: Default address: more information needed"]
        );
        let p: AddressResponse = serde_json::from_str(
            r#"{"address":{"streetAddress":"1 A ST"},"additionalInfo":{"DPVConfirmation":"Y","carrierRoute":"R777"}}"#,
        )
        .unwrap();
        assert_eq!(
            check_from_response(&entered(), &p).deliverable,
            Deliverable::No
        );
    }
}
