//! The two error shapes USPS answers with: the v3 resource envelope
//! (`apiVersion` + `error{code,message,errors[]}`) and RFC 6749 bodies on the OAuth endpoints.
//! Handlers return [`ApiError`] / [`OAuthError`] and these types render the exact wire form.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::api::Api;

/// One entry of `error.errors[]`.
#[derive(Debug, Clone)]
pub struct ErrorItem {
    pub code: Option<&'static str>,
    pub title: String,
    pub detail: String,
    pub parameter: Option<String>,
}

impl ErrorItem {
    /// A validation failure with a USPS message code and the field it concerns.
    pub fn coded(code: &'static str, detail: impl Into<String>, parameter: &str) -> ErrorItem {
        ErrorItem {
            code: Some(code),
            title: "Bad Request".into(),
            detail: detail.into(),
            parameter: Some(parameter.to_string()),
        }
    }

    /// A schema-level failure (missing field, bad enum or pattern) that USPS reports without a code.
    pub fn field(detail: impl Into<String>, parameter: &str) -> ErrorItem {
        ErrorItem {
            code: None,
            title: "Bad Request".into(),
            detail: detail.into(),
            parameter: Some(parameter.to_string()),
        }
    }
}

/// A USPS v3 resource-API error response.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub api_version: &'static str,
    pub message: String,
    pub errors: Vec<ErrorItem>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, api_version: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            api_version,
            message: message.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// 400 "Bad Request" carrying the given items.
    pub fn bad_request(api_version: &'static str, errors: Vec<ErrorItem>) -> Self {
        let mut e = ApiError::new(StatusCode::BAD_REQUEST, api_version, "Bad Request");
        e.errors = errors;
        e
    }

    pub fn with_item(mut self, item: ErrorItem) -> Self {
        self.errors.push(item);
        self
    }

    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Missing, malformed, badly signed or unknown bearer token.
    pub fn malformed_token(api_version: &'static str) -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            api_version,
            "Missing or malformed access token.",
        )
        .with_item(ErrorItem {
            code: None,
            title: "invalid_token".into(),
            detail:
                "The access token presented with the request is missing or malformed (not a JWT)."
                    .into(),
            parameter: Some("Authorization".into()),
        })
    }

    /// A well-formed token past its life (or expired through `/__sim`).
    pub fn expired_token(api_version: &'static str) -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            api_version,
            "Access token expired.",
        )
        .with_item(ErrorItem {
            code: None,
            title: "invalid_token".into(),
            detail: "The access token presented with the request has expired.".into(),
            parameter: Some("Authorization".into()),
        })
    }

    /// Token without the API's product/scope: USPS answers 401 with no error items.
    pub fn missing_product(api_version: &'static str) -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            api_version,
            "The client application identifier is invalid.",
        )
    }

    /// Valid token, but the CRID/MID/EPS account is not one the token is tied to.
    pub fn forbidden(api_version: &'static str, path: &str) -> Self {
        let text =
            format!("The requested contract information is not authorized to access, {path}.");
        ApiError::new(StatusCode::FORBIDDEN, api_version, text.clone()).with_item(ErrorItem {
            code: None,
            title: text,
            detail: String::new(),
            parameter: None,
        })
    }

    pub fn not_found(api_version: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, api_version, message)
    }

    pub fn quota_exceeded(api_version: &'static str, retry_after: u64) -> Self {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            api_version,
            "Exceeded quota limit. Please contact https://emailus.usps.com/s/web-tools-inquiry and a representative will assist.",
        )
        .with_item(ErrorItem {
            code: None,
            title: "Too Many Requests.".into(),
            detail: "Quota limit exceeded.".into(),
            parameter: None,
        })
        .with_retry_after(retry_after)
    }

    pub fn body(&self) -> Value {
        let errors: Vec<Value> = self
            .errors
            .iter()
            .map(|e| {
                let mut item = json!({
                    "status": self.status.as_u16().to_string(),
                    "title": e.title,
                    "detail": e.detail,
                });
                if let Some(code) = e.code {
                    item["code"] = json!(code);
                }
                if let Some(p) = &e.parameter {
                    item["source"] = json!({ "parameter": p });
                }
                item
            })
            .collect();
        json!({
            "apiVersion": self.api_version,
            "error": {
                "code": self.status.as_u16().to_string(),
                "message": self.message,
                "errors": errors,
            }
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, axum::Json(self.body())).into_response();
        let headers = resp.headers_mut();
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"usps-sim\""),
            );
        }
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

/// The answer to a request refused before (or instead of) its handler: a size, time or URL
/// limit, a panic, an extractor's rejection. The OAuth endpoints answer in RFC 6749's shape,
/// every other path in the v3 envelope with its API's `apiVersion` ("v3" for unknown paths),
/// `error.message` being the status's reason phrase.
pub fn refusal(
    path: &str,
    status: StatusCode,
    detail: impl Into<String>,
    parameter: Option<&str>,
) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    match Api::from_path(path) {
        Some(Api::OAuth) => OAuthError::new(status, "invalid_request", detail).into_response(),
        api => ApiError::new(status, api.map_or("v3", Api::version), reason)
            .with_item(ErrorItem {
                code: None,
                title: reason.to_string(),
                detail: detail.into(),
                parameter: parameter.map(str::to_string),
            })
            .into_response(),
    }
}

/// An RFC 6749 error body as the USPS OAuth endpoints send it.
#[derive(Debug, Clone)]
pub struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
    /// Extra members (e.g. `refresh_token_status`).
    pub extra: Vec<(&'static str, Value)>,
    pub retry_after: Option<u64>,
}

impl OAuthError {
    pub fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            error,
            description: description.into(),
            extra: Vec::new(),
            retry_after: None,
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        OAuthError::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub fn unknown_client() -> Self {
        OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "InvalidApiKey: The client application credentials provided in the request are missing, invalid, inactive or not approved for access.",
        )
    }

    pub fn bad_secret() -> Self {
        OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
        )
    }

    pub fn with(mut self, key: &'static str, value: Value) -> Self {
        self.extra.push((key, value));
        self
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "error": self.error,
            "error_description": self.description,
            "error_uri": "https://datatracker.ietf.org/doc/html/rfc6749#section-5.2",
        });
        for (k, v) in self.extra {
            body[k] = v;
        }
        let mut resp = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"usps-sim\""),
            );
        }
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_has_string_codes_and_source_object() {
        let e = ApiError::bad_request(
            "/labels/v3",
            vec![ErrorItem::coded(
                "160017",
                "packageValue is required",
                "packageDescription",
            )],
        );
        let b = e.body();
        assert_eq!(b["apiVersion"], "/labels/v3");
        assert_eq!(b["error"]["code"], "400");
        assert_eq!(b["error"]["errors"][0]["code"], "160017");
        assert_eq!(
            b["error"]["errors"][0]["source"]["parameter"],
            "packageDescription"
        );
    }

    #[test]
    fn missing_product_has_empty_errors() {
        let b = ApiError::missing_product("/tracking/v3").body();
        assert_eq!(b["error"]["code"], "401");
        assert_eq!(b["error"]["errors"].as_array().unwrap().len(), 0);
    }
}
