//! Field checks for the identifiers a USPS account carries, one message per field so the form
//! can show each next to its input (`details.fields.<name>`).
//!
//! Rules from the USPS references: CRID is numeric (typically 8 digits; the Payments spec allows
//! 2–18 characters), MID is 6 or 9 digits, the EPS account number is 10 digits.

use std::collections::BTreeMap;

use super::model::AccountFields;
use crate::error::{AppError, AppResult, ErrorDetails};

const NICKNAME_MAX: usize = 60;
/// The most calls an hour an account can be paced to (the column's limit).
const CALLS_PER_HOUR_MAX: u32 = 1_000_000;

/// Trims every field, turns blanks into `None`, and checks what is set.
pub fn normalize(fields: &AccountFields) -> AppResult<AccountFields> {
    let clean = AccountFields {
        nickname: trimmed(&fields.nickname.as_deref().map(crate::orders::text::line)),
        crid: trimmed(&fields.crid),
        mid: trimmed(&fields.mid),
        manifest_mid: trimmed(&fields.manifest_mid),
        eps_account: trimmed(&fields.eps_account),
        has_contract: fields.has_contract,
        calls_per_hour: fields.calls_per_hour,
    };
    let mut problems = BTreeMap::new();
    if let Some(nickname) = &clean.nickname
        && nickname.chars().count() > NICKNAME_MAX
    {
        problems.insert(
            "nickname",
            format!("Nickname is too long (at most {NICKNAME_MAX} characters)"),
        );
    }
    if let Some(crid) = &clean.crid
        && let Some(problem) = crid_problem(crid)
    {
        problems.insert("crid", problem);
    }
    for (name, label, value) in [
        ("mid", "MID", &clean.mid),
        ("manifest_mid", "Manifest MID", &clean.manifest_mid),
    ] {
        if let Some(v) = value
            && let Some(problem) = mid_problem(label, v)
        {
            problems.insert(name, problem);
        }
    }
    if let Some(eps) = &clean.eps_account
        && let Some(problem) = eps_problem(eps)
    {
        problems.insert("eps_account", problem);
    }
    if let Some(calls) = clean.calls_per_hour
        && !(1..=CALLS_PER_HOUR_MAX).contains(&calls)
    {
        problems.insert(
            "calls_per_hour",
            format!("Calls per hour must be a whole number from 1 to {CALLS_PER_HOUR_MAX}"),
        );
    }
    if problems.is_empty() {
        return Ok(clean);
    }
    let message = problems.values().cloned().collect::<Vec<_>>().join("; ");
    Err(AppError::invalid_fields(message, problems))
}

fn trimmed(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn crid_problem(crid: &str) -> Option<String> {
    if !all_digits(crid) {
        Some("CRID must contain digits only (usually 8)".into())
    } else if !(2..=18).contains(&crid.len()) {
        Some(format!(
            "CRID must be 2 to 18 digits (usually 8); this one has {}",
            crid.len()
        ))
    } else {
        None
    }
}

pub(crate) fn mid_problem(label: &str, mid: &str) -> Option<String> {
    if !all_digits(mid) {
        Some(format!("{label} must contain digits only (6 or 9 digits)"))
    } else if mid.len() != 6 && mid.len() != 9 {
        Some(format!(
            "{label} must be 6 or 9 digits; this one has {}",
            mid.len()
        ))
    } else {
        None
    }
}

pub(crate) fn eps_problem(eps: &str) -> Option<String> {
    if !all_digits(eps) || eps.len() != 10 {
        Some("EPS account number must be exactly 10 digits".into())
    } else {
        None
    }
}

/// A custom USPS host must be an absolute http(s) URL.
pub(crate) fn parse_base_url(raw: &str) -> AppResult<url::Url> {
    let url = url::Url::parse(raw.trim()).map_err(|_| {
        AppError::validation(format!(
            "'{raw}' is not a web address (e.g. https://apis-tem.usps.com)"
        ))
        .with_details(ErrorDetails::fields([("base_url", "Not a web address")]))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(AppError::validation(format!(
            "'{raw}' must be an http(s) address with a host"
        ))
        .with_details(ErrorDetails::fields([(
            "base_url",
            "Use an http(s) address",
        )])));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(crid: &str, mid: &str, manifest: &str, eps: &str) -> AccountFields {
        AccountFields {
            nickname: Some("  Main  ".into()),
            crid: Some(crid.into()),
            mid: Some(mid.into()),
            manifest_mid: Some(manifest.into()),
            eps_account: Some(eps.into()),
            has_contract: None,
            calls_per_hour: None,
        }
    }

    #[test]
    fn accepts_usps_shaped_identifiers_and_trims() {
        let ok = normalize(&fields(" 56982563 ", "902345671", "123456", "1000012345")).unwrap();
        assert_eq!(ok.nickname.as_deref(), Some("Main"));
        assert_eq!(ok.crid.as_deref(), Some("56982563"));
        let blank = normalize(&fields("", " ", "", "")).unwrap();
        assert_eq!(blank.crid, None);
        assert_eq!(blank.eps_account, None);
        // The store's character policy: a nickname never carries control characters.
        let hostile = AccountFields {
            nickname: Some("Main\u{1b}[2J\u{7}".into()),
            ..fields("", "", "", "")
        };
        assert_eq!(
            normalize(&hostile).unwrap().nickname.as_deref(),
            Some("Main[2J")
        );
        let only_controls = AccountFields {
            nickname: Some("\u{1b}\u{7}".into()),
            ..fields("", "", "", "")
        };
        assert_eq!(normalize(&only_controls).unwrap().nickname, None);
    }

    #[test]
    fn one_message_per_bad_field() {
        let err = normalize(&fields("56-98", "12345", "90234567A", "123")).unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::Validation);
        let Some(crate::ErrorDetails::Fields { fields: problems }) = err.details.as_deref() else {
            panic!("field details expected: {:?}", err.details);
        };
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems["crid"].contains("digits only"));
        assert!(problems["mid"].contains("6 or 9 digits"));
        assert!(problems["manifest_mid"].starts_with("Manifest MID"));
        assert!(problems["eps_account"].contains("10 digits"));
    }

    #[test]
    fn calls_per_hour_is_a_whole_number_the_column_takes() {
        let with = |n| AccountFields {
            calls_per_hour: Some(n),
            ..fields("", "", "", "")
        };
        assert_eq!(normalize(&with(5000)).unwrap().calls_per_hour, Some(5000));
        for bad in [0, 1_000_001] {
            let err = normalize(&with(bad)).unwrap_err();
            let Some(crate::ErrorDetails::Fields { fields: problems }) = err.details.as_deref()
            else {
                panic!("field details expected: {:?}", err.details);
            };
            assert_eq!(
                problems["calls_per_hour"],
                "Calls per hour must be a whole number from 1 to 1000000"
            );
        }
    }

    #[test]
    fn length_rules() {
        assert!(crid_problem("1").is_some());
        assert!(crid_problem("12").is_none());
        assert!(crid_problem(&"9".repeat(19)).is_some());
        assert!(mid_problem("MID", "1234567").is_some());
        assert!(mid_problem("MID", "123456789").is_none());
        assert!(eps_problem("10000123456").is_some());
        assert!(eps_problem("1000012345").is_none());
    }
}
