//! Documents the simulator hands out — label and SCAN form PDFs rendered by the `labels` crate
//! (marked SAMPLE) — and the multipart framing USPS wraps them in: parts with a JSON metadata
//! part first and base64 image parts after it (docs/usps.md#labels).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;

use crate::errors::ApiError;

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Renders one 4x6 label PDF.
pub fn label_pdf(spec: &labels::LabelSpec, api_version: &'static str) -> Result<Vec<u8>, ApiError> {
    labels::render_labels_pdf(std::slice::from_ref(spec), labels::PageLayout::FourBySix)
        .map_err(|e| render_failed(api_version, e))
}

/// Renders a SCAN form PDF.
pub fn scan_form_pdf(
    spec: &labels::ScanFormSpec,
    api_version: &'static str,
) -> Result<Vec<u8>, ApiError> {
    labels::render_scan_form_pdf(spec).map_err(|e| render_failed(api_version, e))
}

fn render_failed(api_version: &'static str, e: labels::RenderError) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        api_version,
        format!("Label image could not be generated: {e}"),
    )
}

/// One part of a multipart response.
pub struct Part {
    pub name: &'static str,
    pub filename: Option<&'static str>,
    pub content_type: &'static str,
    pub body: String,
}

impl Part {
    pub fn json(name: &'static str, value: &serde_json::Value) -> Part {
        Part {
            name,
            filename: None,
            content_type: "application/json",
            body: value.to_string(),
        }
    }

    pub fn pdf(name: &'static str, filename: &'static str, bytes: &[u8]) -> Part {
        Part {
            name,
            filename: Some(filename),
            content_type: "application/pdf",
            body: b64(bytes),
        }
    }
}

/// A `multipart/form-data` response with CRLF framing, parts in the given order.
pub fn multipart(parts: &[Part]) -> Response {
    let boundary = format!("usps-sim-{}", crate::ids::random_token(20));
    let mut body = String::new();
    for p in parts {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Type: {}\r\n",
            p.content_type
        ));
        match p.filename {
            Some(f) => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{}\"; filename=\"{f}\"\r\n\r\n",
                p.name
            )),
            None => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                p.name
            )),
        }
        body.push_str(&p.body);
        body.push_str("\r\n");
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let mut resp = body.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
            .expect("ascii boundary"),
    );
    resp
}

/// Whether the client asked for the single-JSON label variant.
pub fn wants_vendor_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/vnd.usps.labels+json"))
}

/// A JSON response with the vendor media type.
pub fn vendor_json(value: serde_json::Value) -> Response {
    let mut resp = axum::Json(value).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.usps.labels+json"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn multipart_frames_parts_in_order() {
        let resp = multipart(&[
            Part::json("labelMetadata", &serde_json::json!({"a":1})),
            Part::pdf("labelImage", "labelImage.pdf", b"%PDF"),
        ]);
        let ct = resp.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_string();
        let boundary = ct.split("boundary=").nth(1).unwrap().to_string();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.starts_with(&format!(
            "--{boundary}\r\nContent-Type: application/json\r\n"
        )));
        assert!(
            text.contains("name=\"labelImage\"; filename=\"labelImage.pdf\"\r\n\r\nJVBERg==\r\n")
        );
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
        assert!(text.find("labelMetadata").unwrap() < text.find("labelImage").unwrap());
    }
}
