//! The customs form of an order abroad, filled in from what Shipdesk knows: each line item's
//! title, quantity, price and weight, and per SKU the description, HS tariff number and country
//! of origin saved the last time a label abroad was bought with it. What is still missing is
//! listed per field, so the Ship dialog shows it beside its input and `shipdesk labels buy`
//! names it.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ShippingService;
use crate::error::AppResult;
use crate::orders::LineItem;
use crate::postage::customs::{self, ContentsType, CustomsDeclaration, CustomsItem};

/// What customs needs to know about one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SkuCustoms {
    pub sku: String,
    pub description: String,
    pub hs_tariff: Option<String>,
    pub origin_country: Option<String>,
    /// Ounces, for one.
    #[ts(type = "string | null")]
    pub weight_oz: Option<Decimal>,
}

/// Saved customs data per SKU.
pub trait SkuCustomsBook: Send + Sync {
    /// What is saved for each of `skus` (matched without regard to case).
    fn sku_customs(&self, skus: &[String]) -> AppResult<HashMap<String, SkuCustoms>>;
    fn save_sku_customs(&self, entries: &[SkuCustoms], now: &str) -> AppResult<()>;
}

/// An order's customs form as far as Shipdesk can fill it in, and what is left to fill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomsDraft {
    pub declaration: CustomsDeclaration,
    /// Each field still to fill in or fix (`customs.items[0].hs_tariff`), with what it needs.
    pub missing: BTreeMap<String, String>,
    /// Items whose HS number and origin came from an earlier label of the same SKU.
    pub from_saved: u32,
}

const DESCRIPTION_MAX: usize = 30;

impl ShippingService {
    /// The customs form of order `order_id` as far as its items and the saved SKU data fill it.
    pub fn customs_draft(&self, order_id: i64) -> AppResult<CustomsDraft> {
        let order = self.order(order_id)?;
        let skus: Vec<String> = order.items.iter().filter_map(|i| i.sku.clone()).collect();
        let saved = self.customs_book.sku_customs(&skus)?;
        Ok(draft(&order.ship_to.country, &order.items, &saved))
    }

    /// Saves each item's description, HS number and origin under its SKU, for the next order.
    pub(crate) fn remember_customs(&self, declaration: &CustomsDeclaration) -> AppResult<()> {
        let entries: Vec<SkuCustoms> = declaration
            .items
            .iter()
            .filter_map(|i| {
                Some(SkuCustoms {
                    sku: i.sku.clone().filter(|s| !s.trim().is_empty())?,
                    description: i.description.clone(),
                    hs_tariff: i.hs_tariff.clone(),
                    origin_country: i.origin_country.clone(),
                    weight_oz: Some(i.weight_oz).filter(|w| *w > Decimal::ZERO),
                })
            })
            .collect();
        if entries.is_empty() {
            return Ok(());
        }
        self.customs_book.save_sku_customs(&entries, &self.now())
    }
}

fn draft(country: &str, lines: &[LineItem], saved: &HashMap<String, SkuCustoms>) -> CustomsDraft {
    let mut from_saved = 0;
    let items = lines
        .iter()
        .map(|line| {
            let known = line
                .sku
                .as_deref()
                .and_then(|s| saved.get(&s.to_lowercase()));
            if known.is_some() {
                from_saved += 1;
            }
            // A price in another currency is not a value in dollars: asked for, not guessed.
            let in_dollars = line.currency.is_none();
            CustomsItem {
                description: known
                    .map(|k| k.description.clone())
                    .unwrap_or_else(|| line.title.chars().take(DESCRIPTION_MAX).collect()),
                quantity: line.quantity,
                value_usd: line
                    .unit_price
                    .filter(|_| in_dollars)
                    .unwrap_or(Decimal::ZERO),
                weight_oz: line
                    .weight_oz
                    .or_else(|| known.and_then(|k| k.weight_oz))
                    .unwrap_or(Decimal::ZERO),
                hs_tariff: line
                    .hs_tariff
                    .clone()
                    .or_else(|| known.and_then(|k| k.hs_tariff.clone())),
                origin_country: line
                    .origin_country
                    .clone()
                    .or_else(|| known.and_then(|k| k.origin_country.clone())),
                sku: line.sku.clone(),
            }
        })
        .collect();
    let declaration = CustomsDeclaration {
        contents: ContentsType::Merchandise,
        items,
        ..Default::default()
    };
    let mut missing = customs::problems(&declaration, country);
    for (i, line) in lines.iter().enumerate() {
        if let Some(currency) = &line.currency {
            missing.insert(
                format!("customs.items[{i}].value_usd"),
                format!(
                    "Its value in US dollars: the order's price is {} {currency}",
                    line.unit_price.map(|p| p.to_string()).unwrap_or_default()
                ),
            );
        }
    }
    CustomsDraft {
        missing,
        declaration,
        from_saved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines() -> Vec<LineItem> {
        vec![
            LineItem {
                sku: Some("HC-1".into()),
                title: "Hand Cream, 50 ml, lavender and shea butter".into(),
                quantity: 2,
                unit_price: Some(Decimal::new(1250, 2)),
                weight_oz: Some(Decimal::from(3)),
                hs_tariff: None,
                origin_country: None,
                currency: None,
            },
            LineItem {
                sku: Some("LB-2".into()),
                title: "Lip Balm".into(),
                quantity: 1,
                unit_price: Some(Decimal::from(4)),
                weight_oz: Some(Decimal::from(1)),
                hs_tariff: None,
                origin_country: None,
                currency: None,
            },
        ]
    }

    #[test]
    fn items_fill_the_form_and_saved_skus_fill_what_items_do_not_know() {
        let mut saved = HashMap::new();
        saved.insert(
            "hc-1".to_owned(),
            SkuCustoms {
                sku: "HC-1".into(),
                description: "Hand cream".into(),
                hs_tariff: Some("330499".into()),
                origin_country: Some("US".into()),
                weight_oz: Some(Decimal::from(5)),
            },
        );
        let d = draft("CA", &lines(), &saved);
        assert_eq!(d.from_saved, 1);
        let items = &d.declaration.items;
        assert_eq!(items[0].description, "Hand cream");
        assert_eq!(items[0].hs_tariff.as_deref(), Some("330499"));
        assert_eq!(items[0].value_usd, Decimal::new(1250, 2));
        assert_eq!(items[1].description, "Lip Balm");
        // The lip balm was never shipped abroad: its HS number and origin are still to fill.
        assert_eq!(
            d.missing.keys().collect::<Vec<_>>(),
            [
                "customs.items[1].hs_tariff",
                "customs.items[1].origin_country"
            ]
        );
        let mut from_export = lines();
        from_export[1].hs_tariff = Some("330410".into());
        from_export[1].origin_country = Some("FR".into());
        from_export[1].currency = Some("CAD".into());
        let d = draft("CA", &from_export, &saved);
        assert_eq!(d.declaration.items[1].hs_tariff.as_deref(), Some("330410"));
        assert_eq!(d.declaration.items[1].origin_country.as_deref(), Some("FR"));
        assert_eq!(d.declaration.items[1].value_usd, Decimal::ZERO);
        assert_eq!(
            d.missing.keys().collect::<Vec<_>>(),
            ["customs.items[1].value_usd"]
        );
        assert!(d.missing["customs.items[1].value_usd"].contains("4 CAD"));
        let none = draft("CA", &lines(), &HashMap::new());
        assert_eq!(none.declaration.items[0].description.chars().count(), 30);
        assert_eq!(none.missing.len(), 4);
    }
}
