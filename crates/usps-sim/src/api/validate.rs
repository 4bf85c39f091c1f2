//! Request validation helpers. USPS checks a request against its schema first (required
//! fields, types, enums, patterns, unknown fields) and then its business rules; every failure
//! found is reported together in one 400 envelope with the field path in `source.parameter`.

use serde_json::{Map, Value};

use crate::errors::{ApiError, ErrorItem};

/// Collects validation failures for one request body.
pub struct Check<'a> {
    pub body: &'a Value,
    pub errors: Vec<ErrorItem>,
    /// Code used for a missing required field (e.g. "030010" on prices), if the API has one.
    missing_code: Option<&'static str>,
}

/// Looks up a dotted path ("packageDescription.weight") in a JSON value.
pub fn at<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(v, |cur, key| cur.get(key))
        .filter(|v| !v.is_null())
}

impl<'a> Check<'a> {
    pub fn new(body: &'a Value, missing_code: Option<&'static str>) -> Check<'a> {
        Check {
            body,
            errors: Vec::new(),
            missing_code,
        }
    }

    pub fn fail(&mut self, item: ErrorItem) {
        self.errors.push(item);
    }

    fn missing(&mut self, path: &str) {
        let detail = format!("{path} is required.");
        self.errors.push(match self.missing_code {
            Some(code) => ErrorItem::coded(
                code,
                "One or more required field(s) are missing from the request",
                path,
            ),
            None => ErrorItem::field(detail, path),
        });
    }

    /// Rejects members not in `allowed` (schemas with `additionalProperties: false`).
    pub fn only(&mut self, path: &str, allowed: &[&str]) {
        let obj = if path.is_empty() {
            Some(self.body)
        } else {
            at(self.body, path)
        };
        if let Some(Value::Object(map)) = obj {
            for key in map.keys().filter(|k| !allowed.contains(&k.as_str())) {
                let full = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                self.errors.push(ErrorItem::field(
                    format!("{full} is not a recognized field."),
                    &full,
                ));
            }
        }
    }

    pub fn object(&mut self, path: &str, required: bool) -> Option<&'a Map<String, Value>> {
        match at(self.body, path) {
            Some(Value::Object(m)) => Some(m),
            Some(_) => {
                self.errors
                    .push(ErrorItem::field(format!("{path} must be an object."), path));
                None
            }
            None => {
                if required {
                    self.missing(path);
                }
                None
            }
        }
    }

    pub fn string(&mut self, path: &str, required: bool) -> Option<&'a str> {
        match at(self.body, path) {
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => {
                self.errors
                    .push(ErrorItem::field(format!("{path} must be a string."), path));
                None
            }
            None => {
                if required {
                    self.missing(path);
                }
                None
            }
        }
    }

    pub fn number(&mut self, path: &str, required: bool) -> Option<f64> {
        match at(self.body, path) {
            Some(Value::Number(n)) => n.as_f64(),
            Some(_) => {
                self.errors
                    .push(ErrorItem::field(format!("{path} must be a number."), path));
                None
            }
            None => {
                if required {
                    self.missing(path);
                }
                None
            }
        }
    }

    pub fn boolean(&mut self, path: &str) -> Option<bool> {
        match at(self.body, path) {
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.errors.push(ErrorItem::field(
                    format!("{path} must be true or false."),
                    path,
                ));
                None
            }
            None => None,
        }
    }

    /// A string member that must be one of `allowed`.
    pub fn one_of(&mut self, path: &str, required: bool, allowed: &[&str]) -> Option<&'a str> {
        let s = self.string(path, required)?;
        if allowed.contains(&s) {
            Some(s)
        } else {
            self.errors.push(ErrorItem::field(
                format!("{path} must be one of: {}.", allowed.join(", ")),
                path,
            ));
            None
        }
    }

    /// A string member that must satisfy `ok`, with USPS's message when it does not.
    pub fn shaped(
        &mut self,
        path: &str,
        required: bool,
        ok: impl Fn(&str) -> bool,
        fail: ErrorItem,
    ) -> Option<&'a str> {
        let s = self.string(path, required)?;
        if ok(s) {
            Some(s)
        } else {
            self.errors.push(fail);
            None
        }
    }

    /// A number that must be greater than zero.
    pub fn positive(&mut self, path: &str, required: bool) -> Option<f64> {
        let n = self.number(path, required)?;
        if n > 0.0 {
            Some(n)
        } else {
            self.errors.push(ErrorItem::field(
                format!("{path} must be greater than 0."),
                path,
            ));
            None
        }
    }

    pub fn finish(self, api_version: &'static str) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::bad_request(api_version, self.errors))
        }
    }
}

/// Digits only, of one of the given lengths.
pub fn digits(s: &str, lens: &[usize]) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && lens.contains(&s.len())
}

/// "12345", "12345-6789" or "12345 6789" (prices accept ZIP+4 with a separator).
pub fn zip_with_optional_plus4(s: &str) -> bool {
    match s.len() {
        5 => digits(s, &[5]),
        10 => digits(&s[..5], &[5]) && matches!(&s[5..6], "-" | " ") && digits(&s[6..], &[4]),
        _ => false,
    }
}

/// Parses a JSON request body, answering USPS-style when it is not a JSON object.
pub fn json_body(bytes: &[u8], api_version: &'static str) -> Result<Value, ApiError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(ApiError::bad_request(
            api_version,
            vec![ErrorItem::field(
                "The request body must be a JSON object.",
                "body",
            )],
        )),
    }
}

/// The calendar days that are "today" somewhere in the US right now (Hawaii, UTC−10, to
/// Guam, UTC+10). Mailing and pickup dates are local to the mailer, so a request dated with the
/// mailer's own today must pass whatever the UTC date is.
pub fn us_today_span() -> (time::Date, time::Date) {
    let now = time::OffsetDateTime::now_utc();
    (
        (now - time::Duration::hours(10)).date(),
        (now + time::Duration::hours(10)).date(),
    )
}

/// Whether `date` lies within `days_ahead` days of some US "today".
pub fn date_in_window(date: time::Date, days_ahead: i64) -> bool {
    let (earliest, latest) = us_today_span();
    date >= earliest && date <= latest + time::Duration::days(days_ahead)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn collects_all_failures_with_paths() {
        let body = json!({"a": {"b": "x", "n": -1}, "extra": 1});
        let mut c = Check::new(&body, Some("030010"));
        c.only("", &["a"]);
        c.one_of("a.b", true, &["Y", "Z"]);
        c.positive("a.n", true);
        c.string("a.missing", true);
        let errs = &c.errors;
        assert_eq!(errs.len(), 4);
        assert_eq!(errs[0].parameter.as_deref(), Some("extra"));
        assert_eq!(errs[3].code, Some("030010"));
        assert!(c.finish("/prices/v3").is_err());
    }

    #[test]
    fn date_window_spans_us_time_zones() {
        let (earliest, latest) = us_today_span();
        assert!(earliest <= latest && (latest - earliest).whole_days() <= 1);
        let today = time::OffsetDateTime::now_utc().date();
        assert!(date_in_window(today, 0));
        assert!(date_in_window(today + time::Duration::days(7), 7));
        assert!(!date_in_window(today - time::Duration::days(2), 7));
        assert!(!date_in_window(today + time::Duration::days(9), 7));
    }

    #[test]
    fn zip_shapes() {
        assert!(zip_with_optional_plus4("63118"));
        assert!(zip_with_optional_plus4("63118-2628"));
        assert!(zip_with_optional_plus4("63118 2628"));
        assert!(!zip_with_optional_plus4("6311"));
        assert!(!zip_with_optional_plus4("63118_2628"));
        assert!(digits("902345671", &[6, 9]));
        assert!(!digits("90234567", &[6, 9]));
    }
}
