//! Rates: every eligible service for a package with retail, commercial and (for accounts that
//! price against their EPS account) contract prices side by side. One `base-rates-list` call
//! gives the published prices; a second with `accountType`/`accountNumber` gives the contract
//! ones, and USPS's warning 001 ("Contract rate not found for request. Published rate
//! returned.") is surfaced instead of passing a published price off as a negotiated one.

use std::collections::BTreeMap;

use futures_util::StreamExt;
use usps::UspsError;
use usps::models::{RateListQuery, RateListResponse};

use super::ShippingService;
use super::gateway::{AccountId, AccountSummary};
use super::model::{OrderRates, Package, RateChoice, RateQuote, RatesAnswer, money, to_f64};
use crate::error::{AppError, AppResult};
use crate::orders::Address;

const CONTRACT_NOT_FOUND: &str = "001";
/// Distinct rate requests in flight at once for a many-order rates view.
const RATE_CONCURRENCY: usize = 4;

/// USPS's published service standards per class (the prices API carries no commitment).
fn delivery_days(mail_class: &str) -> Option<&'static str> {
    Some(match mail_class {
        "PRIORITY_MAIL_EXPRESS" => "1-2 days",
        "PRIORITY_MAIL" => "1-3 days",
        "USPS_GROUND_ADVANTAGE" | "USPS_RETAIL_GROUND" => "2-5 days",
        "PARCEL_SELECT" => "2-8 days",
        "MEDIA_MAIL" | "LIBRARY_MAIL" | "BOUND_PRINTED_MATTER" => "2-8 days",
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Published,
    Contract,
}

/// Folds USPS's rate lists into one row per service.
pub(crate) fn quotes_from(
    published: &RateListResponse,
    contract: Option<&RateListResponse>,
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
            // Labels are bought with a PAYER + LABEL_OWNER payment authorization; USPS applies
            // contract (NSA) prices to a label only with a RATE_HOLDER role, which Shipdesk does
            // not send yet (USPS refuses it for accounts without an approved contract). So the
            // price a label will really cost is the commercial one; contract is shown beside it.
            q.price = q.commercial.or(q.retail);
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

fn list_query(origin: &str, destination: &str, package: &Package, date: &str) -> RateListQuery {
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

fn zip5(zip: &str) -> String {
    zip.trim().chars().take(5).collect()
}

impl ShippingService {
    /// Every eligible service for `package` from `origin_zip` to `destination_zip`, cached.
    pub async fn rates(
        &self,
        account_id: Option<AccountId>,
        origin_zip: &str,
        destination_zip: &str,
        package: &Package,
        mailing_date: Option<&str>,
    ) -> AppResult<RatesAnswer> {
        super::setup::validate_dimensions(&package.dimensions)?;
        if package.weight_oz <= rust_decimal::Decimal::ZERO {
            return Err(AppError::validation("Enter the package weight"));
        }
        let account = self.account(account_id)?;
        let date = mailing_date
            .map(str::to_owned)
            .unwrap_or_else(|| self.today());
        let query = list_query(&zip5(origin_zip), &zip5(destination_zip), package, &date);
        let key = format!(
            "{}|{}|{}",
            account.id,
            account.eps_account.as_deref().unwrap_or(""),
            serde_json::to_string(&query).unwrap_or_default()
        );
        if let Some(hit) = self.rate_cache.get(&key) {
            return Ok(hit);
        }
        let answer = self.fetch_rates(&account, query, package).await?;
        self.rate_cache.put(key, &answer);
        Ok(answer)
    }

    async fn fetch_rates(
        &self,
        account: &AccountSummary,
        query: RateListQuery,
        package: &Package,
    ) -> AppResult<RatesAnswer> {
        let session = self.gateway.session(account.id).await?;
        let published = session
            .base_rates_list(&query)
            .await
            .map_err(|e| self.gateway.report_failure(account.id, &e))?;
        // USPS prices contract rates per mail class, so the contract search names the classes
        // the published answer offered. A refusal leaves the published prices standing.
        let mut contract_unavailable = None;
        let contract = match &account.eps_account {
            Some(eps) => {
                let mut classes: Vec<String> = published
                    .rate_options
                    .iter()
                    .flat_map(|o| &o.rates)
                    .filter_map(|r| r.mail_class.clone())
                    .collect();
                classes.sort();
                classes.dedup();
                let contract_query = RateListQuery {
                    mail_classes: classes,
                    price_type: Some("CONTRACT".into()),
                    account_type: Some("EPS".into()),
                    account_number: Some(eps.clone()),
                    ..query.clone()
                };
                match session.base_rates_list(&contract_query).await {
                    Ok(list) => Some(list),
                    Err(UspsError::Rejected(r)) => {
                        contract_unavailable = Some(format!("USPS gave no contract prices: {r}"));
                        None
                    }
                    Err(e) => return Err(self.gateway.report_failure(account.id, &e)),
                }
            }
            None => None,
        };
        self.gateway.report_success(account.id);
        Ok(RatesAnswer {
            origin_zip: query.origin_zip_code.clone(),
            destination_zip: query.destination_zip_code.clone(),
            package: *package,
            quotes: quotes_from(&published, contract.as_ref()),
            contract_requested: account.eps_account.is_some(),
            contract_unavailable,
            from_cache: false,
        })
    }

    /// Rates for many orders in one view. Orders that make the same request share one USPS
    /// answer; distinct requests run a few at a time. `package` applies to every order (else
    /// each order's own default package); `ship_to` per order defaults to its address.
    pub async fn rates_for_orders(
        &self,
        account_id: Option<AccountId>,
        order_ids: &[i64],
        package: Option<Package>,
        ship_from_id: Option<i64>,
    ) -> AppResult<Vec<OrderRates>> {
        let from = self.ship_from(ship_from_id)?;
        let mut plans = Vec::with_capacity(order_ids.len());
        for &id in order_ids {
            let order = self.order(id)?;
            let pkg = match package {
                Some(p) => p,
                None => self.default_package(&order)?,
            };
            plans.push((order, pkg));
        }
        // Identical requests are asked once; distinct ones a few at a time.
        let origin: &str = &from.address.zip5;
        let mut seen = std::collections::HashSet::new();
        let unique: Vec<(String, Package)> = plans
            .iter()
            .map(|(o, p)| (zip5(&o.ship_to.zip5), *p))
            .filter(|k| seen.insert(k.clone()))
            .collect();
        let answers: std::collections::HashMap<(String, Package), AppResult<RatesAnswer>> =
            futures_util::stream::iter(unique)
                .map(|(zip, p)| async move {
                    let r = self.rates(account_id, origin, &zip, &p, None).await;
                    ((zip, p), r)
                })
                .buffer_unordered(RATE_CONCURRENCY)
                .collect()
                .await;
        let results: Vec<AppResult<RatesAnswer>> = plans
            .iter()
            .map(|(o, p)| answers[&(zip5(&o.ship_to.zip5), *p)].clone())
            .collect();
        Ok(plans
            .into_iter()
            .zip(results)
            .map(|((order, pkg), result)| {
                let (rates, error) = match result {
                    Ok(r) => (Some(r), None),
                    Err(e) => (None, Some(e)),
                };
                OrderRates {
                    order_id: order.id,
                    order_number: order.order_number,
                    package: pkg,
                    rates,
                    error,
                }
            })
            .collect())
    }

    /// Rates for one order to `ship_to` (its own address when `None`).
    pub async fn rates_for_order(
        &self,
        account_id: Option<AccountId>,
        order_id: i64,
        package: Option<Package>,
        ship_from_id: Option<i64>,
        ship_to: Option<&Address>,
    ) -> AppResult<RatesAnswer> {
        let order = self.order(order_id)?;
        let from = self.ship_from(ship_from_id)?;
        let pkg = match package {
            Some(p) => p,
            None => self.default_package(&order)?,
        };
        let to = ship_to.unwrap_or(&order.ship_to);
        self.rates(account_id, &from.address.zip5, &to.zip5, &pkg, None)
            .await
    }

    /// Forget cached rates (e.g. after the user changed the account's contract settings).
    pub fn clear_rate_cache(&self) {
        self.rate_cache.clear();
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
        let quotes = quotes_from(&published, Some(&contract));
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
    }
}
