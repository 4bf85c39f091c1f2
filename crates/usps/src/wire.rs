//! Lenient decoding helpers for USPS quirks: numbers that sometimes arrive as strings
//! (`"expires_in": "28799"`), booleans as `"true"`, and values that are either one object or an
//! array of them.

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrString {
    Unsigned(u64),
    Float(f64),
    Text(String),
}

/// `Option<u64>` from a JSON number, a numeric string, `""` or null.
pub fn lenient_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let value = Option::<NumberOrString>::deserialize(deserializer)?;
    Ok(match value {
        None => None,
        Some(NumberOrString::Unsigned(n)) => Some(n),
        Some(NumberOrString::Float(f)) if f >= 0.0 => Some(f as u64),
        Some(NumberOrString::Float(_)) => None,
        Some(NumberOrString::Text(s)) if s.trim().is_empty() => None,
        Some(NumberOrString::Text(s)) => {
            Some(s.trim().parse::<u64>().map_err(serde::de::Error::custom)?)
        }
    })
}

#[derive(Deserialize)]
#[serde(untagged)]
enum BoolOrString {
    Bool(bool),
    Text(String),
}

/// `Option<bool>` from `true`, `"true"`, `"Y"`, `""` or null (tracking and token quirks).
pub fn lenient_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<BoolOrString>::deserialize(deserializer)? {
        None => None,
        Some(BoolOrString::Bool(b)) => Some(b),
        Some(BoolOrString::Text(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "y" | "yes" => Some(true),
            "false" | "n" | "no" => Some(false),
            _ => None,
        },
    })
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
}

/// A list the spec types as an array but older servers send as one object.
pub fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(match OneOrMany::<T>::deserialize(deserializer)? {
        OneOrMany::Many(v) => v,
        OneOrMany::One(one) => vec![one],
    })
}

/// A required unsigned number that may arrive as a string.
pub fn lenient_u64_required<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    lenient_u64(deserializer)?.ok_or_else(|| serde::de::Error::custom("missing number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "lenient_u64")]
        n: Option<u64>,
        #[serde(default, deserialize_with = "lenient_bool")]
        b: Option<bool>,
    }

    #[test]
    fn numbers_as_numbers_or_strings() {
        let p: Probe = serde_json::from_str(r#"{"n":"28799","b":"true"}"#).unwrap();
        assert_eq!((p.n, p.b), (Some(28799), Some(true)));
        let p: Probe = serde_json::from_str(r#"{"n":28799,"b":false}"#).unwrap();
        assert_eq!((p.n, p.b), (Some(28799), Some(false)));
        let p: Probe = serde_json::from_str(r#"{"n":"","b":null}"#).unwrap();
        assert_eq!((p.n, p.b), (None, None));
        let p: Probe = serde_json::from_str(r#"{}"#).unwrap();
        assert_eq!((p.n, p.b), (None, None));
        assert!(serde_json::from_str::<Probe>(r#"{"n":"soon"}"#).is_err());
    }
}
