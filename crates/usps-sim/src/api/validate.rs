//! Request validation helpers. USPS checks a request against its schema first (required
//! fields, types, enums, patterns, unknown fields) and then its business rules; every failure
//! found is reported together in one 400 envelope with the field path in `source.parameter`.

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Map, Value};

use crate::errors::{ApiError, ErrorItem};
use crate::rules::{self, Operation};

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
            Some(Value::Number(n)) => match n.as_f64().filter(|n| n.is_finite()) {
                Some(n) => Some(n),
                None => {
                    self.errors
                        .push(ErrorItem::field("must be a finite number", path));
                    None
                }
            },
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

    /// A string member held to the limits `rules` gives this field of `operation`; a broken
    /// one fails in the schema-level wording.
    pub fn text(&mut self, operation: Operation, path: &str, required: bool) -> Option<&'a str> {
        self.text_or(operation, path, required, None)
    }

    /// Like [`Check::text`], failing with `coded` (USPS's message code for this field) instead.
    pub fn text_or(
        &mut self,
        operation: Operation,
        path: &str,
        required: bool,
        coded: Option<ErrorItem>,
    ) -> Option<&'a str> {
        let s = self.string(path, required)?;
        match rules::broken_text(operation, path, s) {
            None => Some(s),
            Some(why) => {
                self.errors
                    .push(coded.unwrap_or_else(|| ErrorItem::field(why, path)));
                None
            }
        }
    }

    /// A number held to the limits `rules` gives this field of `operation`.
    pub fn limited(&mut self, operation: Operation, path: &str, required: bool) -> Option<f64> {
        let n = self.number(path, required)?;
        match rules::broken_number(operation, path, n) {
            None => Some(n),
            Some(why) => {
                self.errors.push(ErrorItem::field(why, path));
                None
            }
        }
    }

    /// A whole number held to the limits `rules` gives this field of `operation`.
    pub fn whole(&mut self, operation: Operation, path: &str, required: bool) -> Option<u64> {
        let n = self.limited(operation, path, required)?;
        if n.fract() == 0.0 && n >= 0.0 {
            Some(n as u64)
        } else {
            self.errors
                .push(ErrorItem::field("must be a whole number", path));
            None
        }
    }

    /// A list held to the `maxItems` `rules` gives this field of `operation`.
    pub fn list(&mut self, operation: Operation, path: &str) -> Option<&'a Vec<Value>> {
        match at(self.body, path) {
            Some(Value::Array(items)) => match rules::broken_list(operation, path, items.len()) {
                None => Some(items),
                Some(why) => {
                    self.errors.push(ErrorItem::field(why, path));
                    None
                }
            },
            Some(_) => {
                self.errors
                    .push(ErrorItem::field(format!("{path} must be an array."), path));
                None
            }
            None => None,
        }
    }

    /// Text that will be printed on a label or form must be Latin script
    /// (`rules::printable_on_label`).
    pub fn printable(&mut self, path: &str) {
        if let Some(Value::String(s)) = at(self.body, path) {
            self.printable_text(s, path);
        }
    }

    /// [`Check::printable`] for text found elsewhere than at a dotted path (a list element).
    pub fn printable_text(&mut self, s: &str, path: &str) {
        if !rules::printable_on_label(s) {
            self.errors.push(ErrorItem::field(
                "contains characters that cannot be printed on a label: only Latin letters, digits and common punctuation are accepted",
                path,
            ));
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

/// Parses a JSON request body the way USPS does: 415 unless `Content-Type` says
/// `application/json` (parameters such as `charset=utf-8` are accepted, other charsets are
/// not; docs/usps.md#content-types), 400 unless the body is a JSON object.
pub fn json_body(
    headers: &HeaderMap,
    bytes: &[u8],
    api_version: &'static str,
) -> Result<Value, ApiError> {
    if let Err(given) = json_content_type(headers) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            api_version,
            "Unsupported Media Type",
        )
        .with_item(ErrorItem {
            code: None,
            title: "Unsupported Media Type".into(),
            detail: format!("Content type '{given}' is not supported; send application/json."),
            parameter: Some("Content-Type".into()),
        }));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(ApiError::bad_request(
            api_version,
            vec![ErrorItem::field(
                "The request body must be a JSON object.",
                "body",
            )],
        )),
        // Includes numbers beyond a double's range (1e999): JSON has no infinities.
        Err(e) => Err(ApiError::bad_request(
            api_version,
            vec![ErrorItem::field(
                format!("The request body is not valid JSON: {e}."),
                "body",
            )],
        )),
    }
}

/// `Ok` for `application/json` with at most a UTF-8 charset; otherwise the header as given.
fn json_content_type(headers: &HeaderMap) -> Result<(), String> {
    let raw = headers.get(header::CONTENT_TYPE);
    let given = raw
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let mut parts = given.split(';').map(str::trim);
    let media = parts.next().unwrap_or_default();
    let utf8 = parts.all(|p| match p.split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            let v = value.trim().trim_matches('"');
            v.eq_ignore_ascii_case("utf-8") || v.eq_ignore_ascii_case("utf8")
        }
        Some(_) => true,
        None => p.is_empty(),
    });
    if media.eq_ignore_ascii_case("application/json") && utf8 {
        Ok(())
    } else if raw.is_none() {
        Err("(none)".into())
    } else {
        Err(given)
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
    fn json_needs_its_media_type() {
        let with = |ct: Option<&str>| {
            let mut h = HeaderMap::new();
            if let Some(ct) = ct {
                h.insert(header::CONTENT_TYPE, ct.parse().unwrap());
            }
            json_body(&h, b"{}", "/labels/v3").map_err(|e| e.status.as_u16())
        };
        assert!(with(Some("application/json")).is_ok());
        assert!(with(Some("Application/JSON; charset=UTF-8")).is_ok());
        assert_eq!(with(Some("text/plain")), Err(415));
        assert_eq!(with(Some("application/json; charset=latin1")), Err(415));
        assert_eq!(with(Some("application/xml")), Err(415));
        assert_eq!(with(None), Err(415));
    }
}
