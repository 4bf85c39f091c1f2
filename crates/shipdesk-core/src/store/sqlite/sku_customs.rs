//! [`SkuCustomsBook`] over the `sku_customs` table.

use std::collections::HashMap;

use rusqlite::params;

use crate::error::AppResult;
use crate::shipping::{SkuCustoms, SkuCustomsBook};
use crate::store::Store;

impl SkuCustomsBook for Store {
    fn sku_customs(&self, skus: &[String]) -> AppResult<HashMap<String, SkuCustoms>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT sku, description, hs_tariff, origin_country, weight_oz FROM sku_customs
             WHERE sku = ?1",
        )?;
        let mut found = HashMap::new();
        for sku in skus {
            let mut rows = stmt.query_map([sku], |r| {
                Ok(SkuCustoms {
                    sku: r.get(0)?,
                    description: r.get(1)?,
                    hs_tariff: r.get(2)?,
                    origin_country: r.get(3)?,
                    weight_oz: r.get::<_, Option<String>>(4)?.and_then(|w| w.parse().ok()),
                })
            })?;
            if let Some(entry) = rows.next().transpose()? {
                found.insert(sku.to_lowercase(), entry);
            }
        }
        Ok(found)
    }

    fn save_sku_customs(&self, entries: &[SkuCustoms], now: &str) -> AppResult<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO sku_customs (sku, description, hs_tariff, origin_country, weight_oz,
                     updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(sku) DO UPDATE SET description = excluded.description,
                     hs_tariff = excluded.hs_tariff, origin_country = excluded.origin_country,
                     weight_oz = COALESCE(excluded.weight_oz, weight_oz),
                     updated_at = excluded.updated_at",
            )?;
            for e in entries {
                stmt.execute(params![
                    e.sku,
                    e.description,
                    e.hs_tariff,
                    e.origin_country,
                    e.weight_oz.map(|w| w.to_string()),
                    now
                ])?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_customs_are_found_by_sku_whatever_its_case() {
        let store = Store::open_in_memory().unwrap();
        let book: &dyn SkuCustomsBook = &store;
        let entry = |hs: &str| SkuCustoms {
            sku: "HC-1".into(),
            description: "Hand cream".into(),
            hs_tariff: Some(hs.into()),
            origin_country: Some("US".into()),
            weight_oz: Some(rust_decimal::Decimal::new(35, 1)),
        };
        book.save_sku_customs(&[entry("330499")], "2026-12-02T00:00:00Z")
            .unwrap();
        book.save_sku_customs(&[entry("330410")], "2026-12-02T01:00:00Z")
            .unwrap();
        let found = book.sku_customs(&["hc-1".into(), "nope".into()]).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found["hc-1"].hs_tariff.as_deref(), Some("330410"));
        assert_eq!(
            found["hc-1"].weight_oz.map(|w| w.to_string()).as_deref(),
            Some("3.5")
        );
    }
}
