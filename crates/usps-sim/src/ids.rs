//! Identifiers. Business identifiers a test may assert on (tracking numbers, SCAN form numbers,
//! dispute ids, pickup confirmations) are derived from the scenario seed and a counter so a run
//! is reproducible; secrets (codes, refresh tokens, flow ids) are random.

use rand::Rng;
use sha2::{Digest, Sha256};
use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A number in `0..modulus` that depends only on the seed and a label.
pub fn seeded(seed: u64, label: &str, modulus: u64) -> u64 {
    let mut h = Sha256::new();
    h.update(seed.to_be_bytes());
    h.update(label.as_bytes());
    let d = h.finalize();
    u64::from_be_bytes(d[..8].try_into().expect("8 bytes")) % modulus
}

/// USPS "mod 10" check digit used by IMpb tracking numbers: weights 3 and 1 alternating from
/// the rightmost data digit.
pub fn mod10_check_digit(digits: &str) -> u32 {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { d })
        .sum();
    (10 - sum % 10) % 10
}

/// A 22-digit IMpb: "92" + 3-digit service type code + 9-digit MID + 7-digit serial + check.
/// A 6-digit MID gets a 10-digit serial so the length stays 22.
pub fn tracking_number(seed: u64, service_type_code: &str, mid: &str, n: u64) -> String {
    let serial_len: u32 = if mid.len() == 6 { 10 } else { 7 };
    let space = 10u64.pow(serial_len);
    let serial = (seeded(seed, &format!("serial/{mid}"), space / 2) + n) % space;
    let body = format!(
        "92{service_type_code}{mid}{serial:0width$}",
        width = serial_len as usize
    );
    let check = mod10_check_digit(&body);
    format!("{body}{check}")
}

/// An Electronic File Number for a SCAN form (22 digits, "92750" prefix).
pub fn manifest_number(seed: u64, mid: &str, n: u64) -> String {
    let serial = (seeded(seed, "efn", 5_000_000) + n) % 10_000_000;
    let mid9 = format!("{mid:0>9}");
    let body = format!("92750{mid9}{serial:07}");
    let check = mod10_check_digit(&body);
    format!("{body}{check}")
}

pub fn dispute_id(seed: u64, n: u64) -> String {
    (100_000 + (seeded(seed, "dispute", 400_000) + n) % 900_000).to_string()
}

pub fn pickup_confirmation(seed: u64, n: u64) -> String {
    format!(
        "WTC{:09}",
        (seeded(seed, "pickup", 500_000_000) + n) % 1_000_000_000
    )
}

/// A random token of `len` characters from `[A-Za-z0-9]`.
pub fn random_token(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Hex SHA-256 of a byte string.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// JSON with object keys sorted at every level, so equal payloads hash equally whatever order
/// the client serialised them in.
pub fn canonical_json(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical_json(&map[k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(canonical_json)
                .collect::<Vec<_>>()
                .join(",")
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_matches_published_example() {
        // The worked example tracking number in the USPS label docs.
        assert_eq!(mod10_check_digit("920559000666220216955"), 6);
    }

    #[test]
    fn tracking_numbers_are_22_digits_reproducible_and_distinct() {
        let a = tracking_number(7, "055", "902345671", 1);
        assert_eq!(a.len(), 22);
        assert!(a.starts_with("92055902345671"));
        assert_eq!(a, tracking_number(7, "055", "902345671", 1));
        assert_ne!(a, tracking_number(7, "055", "902345671", 2));
        assert_ne!(a, tracking_number(8, "055", "902345671", 1));
        assert_eq!(tracking_number(7, "001", "123456", 3).len(), 22);
        let check = a[21..].parse::<u32>().unwrap();
        assert_eq!(check, mod10_check_digit(&a[..21]));
    }

    #[test]
    fn canonical_json_ignores_key_order() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"b":1,"a":{"y":[1,2],"x":null}}"#).unwrap();
        let b: serde_json::Value =
            serde_json::from_str(r#"{"a":{"x":null,"y":[1,2]},"b":1}"#).unwrap();
        assert_eq!(canonical_json(&a), canonical_json(&b));
        let c: serde_json::Value =
            serde_json::from_str(r#"{"a":{"x":null,"y":[2,1]},"b":1}"#).unwrap();
        assert_ne!(canonical_json(&a), canonical_json(&c));
    }
}
