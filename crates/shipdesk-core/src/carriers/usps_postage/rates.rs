//! Prices in the app's terms. One `base-rates-list` call gives the published prices; a second
//! with `accountType`/`accountNumber` gives the contract ones, and USPS's warning 001 ("Contract
//! rate not found for request. Published rate returned.") is surfaced instead of passing a
//! published price off as a negotiated one.
//!
//! "You pay" (`RateQuote::price`) is what the label will be charged: for an account that holds
//! a contract, labels are bought under a payment authorization naming it as `RATE_HOLDER`, so a
//! service with a contract price costs that price; every other service (and every service of an
//! account without a contract) costs the commercial price (`labels::pricing_for`).
//!
//! Destination-entry products are left out: Shipdesk sends every label with destination entry
//! `NONE` (it lets no one choose a destination facility), and USPS converts `PARCEL_SELECT` at
//! `NONE` to USPS Ground Advantage — a Parcel Select row would show a price the label is not
//! charged, for a service it is not.

use std::collections::BTreeMap;

use usps::models::{IntlRateListQuery, RateListQuery, RateListResponse};

use crate::postage::RateRequest;
use crate::postage::model::{QuotePackaging, RateChoice, RateQuote, money, to_f64};

const CONTRACT_NOT_FOUND: &str = "001";

/// Whether a rate is for a product entered at a destination facility (or one USPS converts to
/// another class without one): not offered, see the module docs.
fn is_destination_entry(rate: &usps::models::RateDetails) -> bool {
    let facility = rate
        .destination_entry_facility_type
        .as_deref()
        .unwrap_or("NONE");
    let class = rate.mail_class.as_deref().unwrap_or("");
    facility != "NONE" || matches!(class, "PARCEL_SELECT" | "PARCEL_SELECT_LIGHTWEIGHT")
}

/// What a contract price search says about the account: `Some(true)` when USPS answered a
/// contract price for some service, `Some(false)` when it answered only published prices with
/// warning 001, `None` when the answer says neither.
pub(super) fn contract_found(list: &RateListResponse) -> Option<bool> {
    let rates: Vec<_> = list.rate_options.iter().flat_map(|o| &o.rates).collect();
    let not_found = |r: &&usps::models::RateDetails| {
        r.warnings
            .iter()
            .any(|w| w.warning_code.as_deref() == Some(CONTRACT_NOT_FOUND))
    };
    if rates
        .iter()
        .any(|r| !not_found(r) && matches!(r.price_type.as_deref(), Some("CONTRACT" | "NSA")))
    {
        Some(true)
    } else if !rates.is_empty() && rates.iter().all(not_found) {
        Some(false)
    } else {
        None
    }
}

/// USPS's published service standards per class (the prices API carries no commitment).
fn delivery_days(mail_class: &str) -> Option<&'static str> {
    Some(match mail_class {
        "PRIORITY_MAIL_EXPRESS" => "1-2 days",
        "PRIORITY_MAIL" => "1-3 days",
        "USPS_GROUND_ADVANTAGE" | "USPS_RETAIL_GROUND" => "2-5 days",
        "PARCEL_SELECT" => "2-8 days",
        "MEDIA_MAIL" | "LIBRARY_MAIL" | "BOUND_PRINTED_MATTER" => "2-8 days",
        "PRIORITY_MAIL_EXPRESS_INTERNATIONAL" => "3-5 business days",
        "PRIORITY_MAIL_INTERNATIONAL" => "6-10 business days",
        "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE" => "varies by destination",
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Published,
    Contract,
}

/// Folds USPS's rate lists into one row per service; `has_contract` says whether the account's
/// labels are charged its contract prices.
pub(super) fn quotes_from(
    published: &RateListResponse,
    contract: Option<&RateListResponse>,
    has_contract: bool,
) -> Vec<RateQuote> {
    let mut rows: BTreeMap<(String, String, String), RateQuote> = BTreeMap::new();
    let lists = [
        (Column::Published, Some(published)),
        (Column::Contract, contract),
    ];
    for (column, list) in lists {
        let Some(list) = list else { continue };
        for rate in list.rate_options.iter().flat_map(|o| &o.rates) {
            let Some(class) = rate.mail_class.clone() else {
                continue;
            };
            if is_destination_entry(rate) {
                continue;
            }
            let choice = RateChoice {
                mail_class: class.clone(),
                rate_indicator: rate.rate_indicator.clone().unwrap_or_else(|| "SP".into()),
                processing_category: rate
                    .processing_category
                    .clone()
                    .unwrap_or_else(|| "MACHINABLE".into()),
            };
            let key = (
                choice.mail_class.clone(),
                choice.rate_indicator.clone(),
                choice.processing_category.clone(),
            );
            let row = rows.entry(key).or_insert_with(|| RateQuote {
                product_name: rate
                    .product_name
                    .clone()
                    .unwrap_or_else(|| class.replace('_', " ")),
                description: rate.description.clone(),
                zone: rate.zone.clone(),
                retail: None,
                commercial: None,
                contract: None,
                contract_rate_not_found: false,
                price: None,
                delivery_days: delivery_days(&class).map(str::to_owned),
                warnings: Vec::new(),
                // Read by the shipping policy (`shipping::service_choice::annotate`).
                packaging: QuotePackaging::Other,
                fits_package: false,
                restriction: None,
                choice,
            });
            let price = rate.price.map(money);
            let not_found = rate
                .warnings
                .iter()
                .any(|w| w.warning_code.as_deref() == Some(CONTRACT_NOT_FOUND));
            match (column, rate.price_type.as_deref()) {
                (Column::Contract, _) => {
                    row.contract = price;
                    row.contract_rate_not_found |= not_found;
                }
                (Column::Published, Some("RETAIL")) => row.retail = price,
                (Column::Published, Some("CONTRACT" | "NSA")) => {
                    row.contract = price;
                    row.contract_rate_not_found |= not_found;
                }
                (Column::Published, _) => row.commercial = price,
            }
            for w in &rate.warnings {
                if let Some(text) = w.warning_description.as_deref().filter(|t| !t.is_empty())
                    && !row.warnings.iter().any(|x| x == text)
                {
                    row.warnings.push(text.to_owned());
                }
            }
        }
    }
    let mut quotes: Vec<RateQuote> = rows
        .into_values()
        .map(|mut q| {
            q.price = if has_contract && charged_at_contract(&q) {
                q.contract
            } else {
                q.commercial.or(q.retail)
            };
            q
        })
        .collect();
    quotes.sort_by(|a, b| {
        a.price
            .cmp(&b.price)
            .then(a.choice.mail_class.cmp(&b.choice.mail_class))
    });
    quotes
}

/// Whether a contract account's label for this service is bought at its contract price: USPS
/// quoted a contract price for it (not the published one with warning 001).
pub(super) fn charged_at_contract(quote: &RateQuote) -> bool {
    quote.contract.is_some() && !quote.contract_rate_not_found
}

pub(super) fn list_query(request: &RateRequest) -> RateListQuery {
    let (origin, destination, package, date) = (
        request.origin_zip.as_str(),
        request.destination_zip.as_str(),
        &request.package,
        request.mailing_date.as_str(),
    );
    let d = package.dimensions;
    RateListQuery {
        origin_zip_code: origin.to_owned(),
        destination_zip_code: destination.to_owned(),
        weight: (package.weight_lb() * 10_000.0).round() / 10_000.0,
        length: to_f64(d.length_in),
        width: to_f64(d.width_in),
        height: to_f64(d.height_in),
        mailing_date: Some(date.to_owned()),
        ..Default::default()
    }
}

/// The international prices search for a package to `request.destination_country`: retail and
/// commercial prices of every service that takes it (no price type asks for both).
pub(super) fn intl_list_query(request: &RateRequest) -> IntlRateListQuery {
    let d = request.package.dimensions;
    IntlRateListQuery {
        origin_zip_code: request.origin_zip.clone(),
        foreign_postal_code: Some(request.destination_zip.clone()).filter(|p| !p.is_empty()),
        destination_country_code: request.destination_country.clone(),
        weight: (request.package.weight_lb() * 10_000.0).round() / 10_000.0,
        length: to_f64(d.length_in),
        width: to_f64(d.width_in),
        height: to_f64(d.height_in),
        mailing_date: Some(request.mailing_date.clone()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(json: &str) -> RateListResponse {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn one_row_per_service_with_prices_side_by_side() {
        let published = list(
            r#"{"rateOptions":[{"rates":[
              {"mailClass":"PRIORITY_MAIL","rateIndicator":"SP","processingCategory":"MACHINABLE","priceType":"RETAIL","price":10.4,"zone":"05","productName":"Priority Mail"},
              {"mailClass":"PRIORITY_MAIL","rateIndicator":"SP","processingCategory":"MACHINABLE","priceType":"COMMERCIAL","price":9.1,"zone":"05","productName":"Priority Mail"},
              {"mailClass":"USPS_GROUND_ADVANTAGE","rateIndicator":"SP","processingCategory":"MACHINABLE","priceType":"COMMERCIAL","price":6.355,"zone":"05"}]}]}"#,
        );
        let contract = list(
            r#"{"rateOptions":[{"rates":[
              {"mailClass":"PRIORITY_MAIL","rateIndicator":"SP","processingCategory":"MACHINABLE","priceType":"CONTRACT","price":8.5},
              {"mailClass":"USPS_GROUND_ADVANTAGE","rateIndicator":"SP","processingCategory":"MACHINABLE","priceType":"COMMERCIAL","price":6.36,
               "warnings":[{"warningCode":"001","warningDescription":"Contract rate not found for request. Published rate returned."}]}]}]}"#,
        );
        let quotes = quotes_from(&published, Some(&contract), false);
        assert_eq!(quotes.len(), 2);
        let ga = &quotes[0];
        assert_eq!(ga.choice.mail_class, "USPS_GROUND_ADVANTAGE");
        assert!(ga.contract_rate_not_found);
        assert_eq!(ga.warnings.len(), 1);
        assert_eq!(ga.commercial.unwrap().to_string(), "6.36");
        let pm = &quotes[1];
        assert_eq!(
            (
                pm.retail.unwrap().to_string(),
                pm.commercial.unwrap().to_string()
            ),
            ("10.40".into(), "9.10".into())
        );
        assert_eq!(pm.contract.unwrap().to_string(), "8.50");
        assert_eq!(pm.price, pm.commercial);
        assert!(!pm.contract_rate_not_found);
        assert_eq!(pm.delivery_days.as_deref(), Some("1-3 days"));

        // A contract account pays the contract price where USPS has one, commercial elsewhere.
        let quotes = quotes_from(&published, Some(&contract), true);
        let (ga, pm) = (&quotes[0], &quotes[1]);
        assert_eq!(pm.choice.mail_class, "PRIORITY_MAIL");
        assert_eq!(pm.price.unwrap().to_string(), "8.50");
        assert_eq!(ga.price, ga.commercial);
        assert_eq!(contract_found(&contract), Some(true));
    }

    #[test]
    fn only_published_prices_with_warning_001_mean_no_contract() {
        let answer = list(
            r#"{"rateOptions":[{"rates":[
              {"mailClass":"PRIORITY_MAIL","rateIndicator":"SP","processingCategory":"MACHINABLE","priceType":"COMMERCIAL","price":9.1,
               "warnings":[{"warningCode":"001","warningDescription":"Contract rate not found for request. Published rate returned."}]}]}]}"#,
        );
        assert_eq!(contract_found(&answer), Some(false));
        assert_eq!(contract_found(&list(r#"{"rateOptions":[]}"#)), None);
    }

    #[test]
    fn destination_entry_products_are_not_offered() {
        let published = list(
            r#"{"rateOptions":[{"rates":[
              {"mailClass":"PARCEL_SELECT","rateIndicator":"SP","processingCategory":"MACHINABLE","priceType":"COMMERCIAL","price":5.1,"destinationEntryFacilityType":"NONE"},
              {"mailClass":"USPS_GROUND_ADVANTAGE","rateIndicator":"SP","processingCategory":"MACHINABLE","priceType":"COMMERCIAL","price":4.2,"destinationEntryFacilityType":"DESTINATION_DELIVERY_UNIT"},
              {"mailClass":"USPS_GROUND_ADVANTAGE","rateIndicator":"SP","processingCategory":"MACHINABLE","priceType":"COMMERCIAL","price":6.2,"destinationEntryFacilityType":"NONE"}]}]}"#,
        );
        let quotes = quotes_from(&published, None, false);
        assert_eq!(quotes.len(), 1);
        assert_eq!(quotes[0].choice.mail_class, "USPS_GROUND_ADVANTAGE");
        assert_eq!(quotes[0].price.unwrap().to_string(), "6.20");
    }
}
