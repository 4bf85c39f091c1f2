//! Rates: every eligible service for a package, with retail, commercial and (for accounts that
//! price against a contract) contract prices side by side, from the account's provider. Answers
//! are cached briefly per account and request; a many-order view asks each distinct request once.

use futures_util::StreamExt;

use super::ShippingService;
use super::model::{OrderRates, Package, RatesAnswer};
use crate::error::{AppError, AppResult};
use crate::orders::Address;
use crate::postage::{AccountId, RateRequest};

/// Distinct rate requests in flight at once for a many-order rates view.
const RATE_CONCURRENCY: usize = 4;

fn zip5(zip: &str) -> String {
    zip.trim().chars().take(5).collect()
}

/// `(country, postal code)` of an address as USPS prices it.
fn destination_of(to: &Address) -> (&str, &str) {
    let country = to.country.trim();
    let country = if country.is_empty() { "US" } else { country };
    (country, to.zip5.as_str())
}

impl ShippingService {
    /// Every eligible service for `package` from `origin_zip` to `destination_zip` (in the US),
    /// cached.
    pub async fn rates(
        &self,
        account_id: Option<AccountId>,
        origin_zip: &str,
        destination_zip: &str,
        package: &Package,
        mailing_date: Option<&str>,
    ) -> AppResult<RatesAnswer> {
        self.rates_to(
            account_id,
            origin_zip,
            ("US", destination_zip),
            package,
            mailing_date,
        )
        .await
    }

    /// Rates to an address, at home or abroad.
    pub(crate) async fn rates_to_address(
        &self,
        account_id: Option<AccountId>,
        origin_zip: &str,
        to: &Address,
        package: &Package,
        mailing_date: Option<&str>,
    ) -> AppResult<RatesAnswer> {
        self.rates_to(
            account_id,
            origin_zip,
            destination_of(to),
            package,
            mailing_date,
        )
        .await
    }

    /// Every eligible service for `package` from `origin_zip` to `(country, postal code)`.
    async fn rates_to(
        &self,
        account_id: Option<AccountId>,
        origin_zip: &str,
        (country, postal_code): (&str, &str),
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
        let request = RateRequest {
            origin_zip: zip5(origin_zip),
            destination_country: country.to_owned(),
            destination_zip: match country {
                "US" => zip5(postal_code),
                _ => postal_code.trim().to_owned(),
            },
            package: *package,
            mailing_date: date,
        };
        let key = format!(
            "{}|{}|{}|{}|{}|{}|{}|{:?}",
            account.id,
            account.eps_account.as_deref().unwrap_or(""),
            account.has_contract,
            request.origin_zip,
            request.destination_country,
            request.destination_zip,
            request.mailing_date,
            request.package
        );
        if let Some(hit) = self.rate_cache.get(&key) {
            return Ok(hit);
        }
        let mut found = self.postage.rates(&account, &request).await?;
        super::service_choice::annotate(&mut found.quotes, package);
        let answer = RatesAnswer {
            origin_zip: request.origin_zip,
            destination_country: request.destination_country,
            destination_zip: request.destination_zip,
            package: *package,
            recommended: super::recommended_service(&found.quotes, package),
            recommended_flat_rate: super::recommended_flat_rate(&found.quotes, package),
            quotes: found.quotes,
            contract_requested: found.contract_requested,
            contract_unavailable: found.contract_unavailable,
            contract_prices: found.contract_prices,
            from_cache: false,
            paid_from: account.nickname.clone(),
        };
        self.rate_cache.put(key, &answer);
        Ok(answer)
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
        // Identical requests are asked once; distinct ones a few at a time. Abroad, USPS prices
        // by country: orders to one country share an answer.
        let origin: &str = &from.address.zip5;
        let request_of = |o: &crate::orders::Order, p: &Package| {
            let (country, postal) = destination_of(&o.ship_to);
            let postal = if country == "US" {
                zip5(postal)
            } else {
                String::new()
            };
            (country.to_owned(), postal, *p)
        };
        let mut seen = std::collections::HashSet::new();
        let unique: Vec<(String, String, Package)> = plans
            .iter()
            .map(|(o, p)| request_of(o, p))
            .filter(|k| seen.insert(k.clone()))
            .collect();
        let answers: std::collections::HashMap<(String, String, Package), AppResult<RatesAnswer>> =
            futures_util::stream::iter(unique)
                .map(|(country, postal, p)| async move {
                    let r = self
                        .rates_to(account_id, origin, (&country, &postal), &p, None)
                        .await;
                    ((country, postal, p), r)
                })
                .buffer_unordered(RATE_CONCURRENCY)
                .collect()
                .await;
        let results: Vec<AppResult<RatesAnswer>> = plans
            .iter()
            .map(|(o, p)| answers[&request_of(o, p)].clone())
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
        self.rates_to_address(account_id, &from.address.zip5, to, &pkg, None)
            .await
    }

    /// Forget cached rates (e.g. after the user changed the account's contract settings).
    pub fn clear_rate_cache(&self) {
        self.rate_cache.clear();
    }
}
