//! Reading the numbers and dates exports write: money with `$`, `USD` and thousands separators,
//! quantities that a spreadsheet turned into `2.0`, weights with or without a unit, and the
//! marketplaces' date formats. All money and weights stay exact decimals.

use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WeightUnit {
    Oz,
    Lb,
    G,
    Kg,
}

impl WeightUnit {
    fn parse(s: &str) -> Option<Self> {
        Some(
            match s.trim().trim_end_matches('.').to_lowercase().as_str() {
                "oz" | "ozs" | "ounce" | "ounces" => WeightUnit::Oz,
                "lb" | "lbs" | "pound" | "pounds" => WeightUnit::Lb,
                "g" | "gr" | "gram" | "grams" => WeightUnit::G,
                "kg" | "kgs" | "kilogram" | "kilograms" => WeightUnit::Kg,
                _ => return None,
            },
        )
    }

    /// The unit a column header announces, e.g. `Weight (lb)` or `weight_kg`.
    pub fn from_header(header: &str) -> Option<Self> {
        let lower = header.to_lowercase();
        let inner = match (lower.rfind('('), lower.rfind(')')) {
            (Some(a), Some(b)) if a < b => lower[a + 1..b].to_owned(),
            _ => lower
                .rsplit(['_', ' ', '-'])
                .next()
                .unwrap_or("")
                .to_owned(),
        };
        Self::parse(&inner)
    }

    /// `None` when the number is too large to convert (no parcel weighs that).
    fn to_ounces(self, value: Decimal) -> Option<Decimal> {
        // 1 oz = 28.349523125 g exactly (international avoirdupois ounce).
        let grams_per_oz = Decimal::new(28_349_523_125, 9);
        Some(match self {
            WeightUnit::Oz => value,
            WeightUnit::Lb => value.checked_mul(Decimal::from(16))?,
            WeightUnit::G => value.checked_div(grams_per_oz)?.round_dp(2),
            WeightUnit::Kg => value
                .checked_mul(Decimal::from(1000))?
                .checked_div(grams_per_oz)?
                .round_dp(2),
        })
    }
}

/// `$1,234.50`, `1234.5 USD`, ` 12 ` → exact decimal. `None` for text that is not an amount.
pub fn parse_money(raw: &str) -> Option<Decimal> {
    let t = raw
        .trim()
        .trim_start_matches("US")
        .trim_end_matches("USD")
        .trim();
    let negative = t.starts_with('-');
    let t = t
        .trim_start_matches('-')
        .trim()
        .trim_start_matches('$')
        .trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    // Thousands separators must sit between groups of three digits.
    let (int_part, frac) = t.split_once('.').unwrap_or((t, ""));
    if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    if frac.contains(',') {
        return None;
    }
    let d = Decimal::from_str(&t.replace(',', "")).ok()?;
    Some(if negative { -d } else { d })
}

/// A whole, positive count. `2`, `2.0` and ` 2 ` are 2; blank means 1 (most one-item exports
/// leave it out).
pub fn parse_quantity(raw: &str) -> Result<u32, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(1);
    }
    let bad = || format!("quantity \"{t}\" is not a whole number of at least 1");
    let d = Decimal::from_str(&t.replace(',', "")).map_err(|_| bad())?;
    if d.fract() != Decimal::ZERO || d < Decimal::ONE || d > Decimal::from(1_000_000) {
        return Err(bad());
    }
    d.to_u32().ok_or_else(bad)
}

/// A weight in ounces from `12`, `1.5 lb`, `500g`, `0.4 kg`; a bare number is in `default_unit`.
/// Blank is no weight.
pub fn parse_weight(raw: &str, default_unit: WeightUnit) -> Result<Option<Decimal>, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let bad = || format!("weight \"{t}\" is not a number with an optional unit (oz, lb, g, kg)");
    let unit = if unit.trim().is_empty() {
        default_unit
    } else {
        WeightUnit::parse(unit).ok_or_else(bad)?
    };
    let value = Decimal::from_str(&number.replace(',', "")).map_err(|_| bad())?;
    let ounces = unit.to_ounces(value).ok_or_else(bad)?;
    Ok(Some(ounces.normalize()))
}

/// Marketplace dates to RFC 3339 (or `YYYY-MM-DD` when there is no time). Text that matches no
/// known format is kept as written rather than dropped.
pub fn parse_date(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(dt) = OffsetDateTime::parse(t, &Rfc3339) {
        return utc(dt);
    }
    // Shopify: `2026-11-10 09:00:00 -0600`.
    let shopify = format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second] [offset_hour sign:mandatory][offset_minute]"
    );
    if let Ok(dt) = OffsetDateTime::parse(t, shopify) {
        return utc(dt);
    }
    let local_time = [
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        format_description!("[year]-[month]-[day] [hour]:[minute]"),
    ];
    for f in local_time {
        if let Ok(dt) = PrimitiveDateTime::parse(t, f) {
            return dt.assume_utc().format(&Rfc3339).ok();
        }
    }
    if let Ok(d) = Date::parse(t, format_description!("[year]-[month]-[day]")) {
        return Some(iso_date(d));
    }
    if let Ok(d) = Date::parse(
        t,
        format_description!("[month repr:short] [day padding:none], [year]"),
    ) {
        return Some(iso_date(d));
    }
    if let Some(d) = month_day_year(t) {
        return Some(iso_date(d));
    }
    // eBay may add a time zone name after the date: keep the date part if it parses.
    if let Some((date, _)) = t.split_once(' ')
        && date.contains('-')
        && date.len() <= 9
        && let Some(d) = parse_date(date)
    {
        return Some(d);
    }
    Some(t.to_owned())
}

/// Stored in UTC so that dates sort as text, whatever offset each export wrote.
fn utc(dt: OffsetDateTime) -> Option<String> {
    dt.to_offset(time::UtcOffset::UTC).format(&Rfc3339).ok()
}

fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `11/10/26`, `11/10/2026` (Etsy, US spreadsheets) and `Nov-10-26` (eBay): month first, and a
/// two-digit year means 20xx.
fn month_day_year(t: &str) -> Option<Date> {
    let parts: Vec<&str> = t.split(['/', '-']).collect();
    let [m, d, y] = parts.as_slice() else {
        return None;
    };
    let month: u8 = match m.parse() {
        Ok(n) => n,
        Err(_) => {
            const MONTHS: [&str; 12] = [
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ];
            let lower = m.to_lowercase();
            MONTHS.iter().position(|name| *name == lower)? as u8 + 1
        }
    };
    let day: u8 = d.parse().ok()?;
    let year: i32 = match y.len() {
        2 => 2000 + y.parse::<i32>().ok()?,
        4 => y.parse().ok()?,
        _ => return None,
    };
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// Tags as exports list them: `a, b` or `a; b`.
pub fn split_tags(raw: &str) -> Vec<String> {
    raw.split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn money() {
        assert_eq!(parse_money("$1,234.50"), Some(d("1234.50")));
        assert_eq!(parse_money(" 12 "), Some(d("12")));
        assert_eq!(parse_money("US $9.99"), Some(d("9.99")));
        assert_eq!(parse_money("1234.5 USD"), Some(d("1234.5")));
        assert_eq!(parse_money("-$3.00"), Some(d("-3.00")));
        assert_eq!(parse_money("12,34"), None);
        assert_eq!(parse_money("1.234,56"), None);
        assert_eq!(parse_money("abc"), None);
        assert_eq!(parse_money(""), None);
        // Exact: no float rounding.
        assert_eq!(
            parse_money("0.10").unwrap() + parse_money("0.20").unwrap(),
            d("0.30")
        );
    }

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("2"), Ok(2));
        assert_eq!(parse_quantity(" 3.0 "), Ok(3));
        assert_eq!(parse_quantity(""), Ok(1));
        assert!(parse_quantity("0").is_err());
        assert!(parse_quantity("1.5").is_err());
        assert!(parse_quantity("two").unwrap_err().contains("\"two\""));
    }

    #[test]
    fn weights_in_every_unit() {
        let oz = |s: &str, u| parse_weight(s, u).unwrap().unwrap();
        assert_eq!(oz("12", WeightUnit::Oz), d("12"));
        assert_eq!(oz("1.5", WeightUnit::Lb), d("24"));
        assert_eq!(oz("1.5 lb", WeightUnit::Oz), d("24"));
        assert_eq!(oz("2lbs", WeightUnit::Oz), d("32"));
        assert_eq!(oz("500 g", WeightUnit::Oz), d("17.64"));
        assert_eq!(oz("1 kg", WeightUnit::Oz), d("35.27"));
        assert_eq!(oz("0.25", WeightUnit::Lb), d("4"));
        assert_eq!(parse_weight("", WeightUnit::Oz), Ok(None));
        assert!(parse_weight("heavy", WeightUnit::Oz).is_err());
        assert!(parse_weight("3 stone", WeightUnit::Oz).is_err());
        assert!(parse_weight("79228162514264337593543950335 kg", WeightUnit::Oz).is_err());
        assert_eq!(WeightUnit::from_header("Weight (lb)"), Some(WeightUnit::Lb));
        assert_eq!(WeightUnit::from_header("weight_kg"), Some(WeightUnit::Kg));
        assert_eq!(WeightUnit::from_header("Weight"), None);
    }

    #[test]
    fn marketplace_dates() {
        let p = |s| parse_date(s).unwrap();
        assert_eq!(p("2026-11-10 09:00:00 -0600"), "2026-11-10T15:00:00Z");
        assert_eq!(p("2018-07-24T23:36:18+00:00"), "2018-07-24T23:36:18Z");
        assert_eq!(p("2023-10-28 14:05:00"), "2023-10-28T14:05:00Z");
        assert_eq!(p("11/10/26"), "2026-11-10");
        assert_eq!(p("3/7/2026"), "2026-03-07");
        assert_eq!(p("Nov-10-26"), "2026-11-10");
        assert_eq!(p("Nov 10, 2026"), "2026-11-10");
        assert_eq!(p("Nov-10-26 PST"), "2026-11-10");
        assert_eq!(p("sometime"), "sometime");
        assert_eq!(parse_date("  "), None);
    }

    #[test]
    fn tags() {
        assert_eq!(
            split_tags("wholesale, vip;gift"),
            ["wholesale", "vip", "gift"]
        );
        assert!(split_tags(" , ").is_empty());
    }
}
