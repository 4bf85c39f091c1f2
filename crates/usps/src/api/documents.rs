//! Decoding document-bearing responses (labels, reprints, SCAN forms) in both media types USPS
//! uses: a multipart body whose JSON part holds metadata and whose other parts hold base64
//! images, or the `application/vnd.usps.labels+json` single object with base64 fields.

use std::collections::HashMap;
use std::convert::Infallible;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use serde_json::{Map, Value};

use crate::models::Document;

/// One part of a multipart answer.
#[derive(Debug)]
pub(crate) struct Part {
    pub content_type: Option<String>,
    pub body: Bytes,
}

/// Parts keyed by their `Content-Disposition` name.
pub(crate) async fn multipart_parts(
    content_type: &str,
    body: Bytes,
) -> Result<HashMap<String, Part>, String> {
    let boundary = boundary_of(content_type)
        .ok_or_else(|| format!("no multipart boundary in {content_type:?}"))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = HashMap::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
        let name = field
            .name()
            .map(str::to_owned)
            .or_else(|| {
                field
                    .file_name()
                    .map(|f| f.split('.').next().unwrap_or(f).to_owned())
            })
            .unwrap_or_default();
        let content_type = field.content_type().map(|m| m.essence_str().to_owned());
        let body = field.bytes().await.map_err(|e| e.to_string())?;
        parts.insert(name, Part { content_type, body });
    }
    Ok(parts)
}

/// `boundary=` of any `multipart/*` type (multer's own helper accepts only form-data, and USPS
/// documentation also calls the label body multipart/mixed).
pub(crate) fn boundary_of(content_type: &str) -> Option<String> {
    let mut pieces = content_type.split(';');
    let essence = pieces.next()?.trim().to_ascii_lowercase();
    if !essence.starts_with("multipart/") {
        return None;
    }
    pieces.find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

pub(crate) fn is_multipart(content_type: &str) -> bool {
    content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/")
}

/// An image part: base64 text per the spec, tolerated raw if it is not base64.
pub(crate) fn document_from_part(part: &Part) -> Document {
    Document {
        content_type: part.content_type.clone(),
        bytes: decode_base64_lenient(&part.body),
    }
}

/// A base64 field of a vendor JSON body.
pub(crate) fn document_from_field(
    object: &Map<String, Value>,
    key: &str,
) -> Result<Option<Document>, String> {
    match object.get(key) {
        Some(Value::String(text)) if !text.is_empty() => {
            let bytes =
                decode_base64(text.as_bytes()).ok_or_else(|| format!("{key} is not base64"))?;
            Ok(Some(Document {
                content_type: None,
                bytes,
            }))
        }
        _ => Ok(None),
    }
}

fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    STANDARD.decode(compact).ok()
}

fn decode_base64_lenient(raw: &[u8]) -> Vec<u8> {
    decode_base64(raw).unwrap_or_else(|| raw.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn reference_multipart(metadata: &str, pdf: &[u8]) -> (String, Bytes) {
        let boundary = "FNfrpx9bbvOkzqOIlaOc8mp+";
        let body = format!(
            "--{boundary}\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name=\"labelMetadata\"\r\n\r\n{metadata}\r\n\
--{boundary}\r\nContent-Type: application/pdf\r\nContent-Disposition: form-data; filename=\"labelImage.pdf\"; name=\"labelImage\"\r\n\r\n{}\r\n--{boundary}--\r\n",
            STANDARD.encode(pdf)
        );
        (
            format!("multipart/form-data; boundary={boundary}"),
            Bytes::from(body),
        )
    }

    #[tokio::test]
    async fn parses_the_reference_multipart_framing() {
        let (content_type, body) = reference_multipart(
            r#"{"trackingNumber":"9205590006662202169556"}"#,
            b"%PDF-1.4 sample",
        );
        let parts = multipart_parts(&content_type, body).await.unwrap();
        let metadata: Value = serde_json::from_slice(&parts["labelMetadata"].body).unwrap();
        assert_eq!(metadata["trackingNumber"], "9205590006662202169556");
        let image = document_from_part(&parts["labelImage"]);
        assert_eq!(image.bytes, b"%PDF-1.4 sample");
        assert_eq!(image.content_type.as_deref(), Some("application/pdf"));
    }

    #[test]
    fn boundary_from_form_data_and_mixed() {
        assert_eq!(
            boundary_of("multipart/form-data; boundary=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(
            boundary_of("Multipart/Mixed;boundary=\"x y\"").as_deref(),
            Some("x y")
        );
        assert_eq!(boundary_of("application/json"), None);
    }

    #[test]
    fn vendor_field_base64_with_line_breaks() {
        let mut object = Map::new();
        object.insert("labelImage".into(), Value::String("JVBERi0x\nLjQK".into()));
        let doc = document_from_field(&object, "labelImage").unwrap().unwrap();
        assert_eq!(doc.bytes, b"%PDF-1.4\n");
        object.insert("bad".into(), Value::String("***".into()));
        assert!(document_from_field(&object, "bad").is_err());
        assert!(document_from_field(&object, "absent").unwrap().is_none());
    }
}
