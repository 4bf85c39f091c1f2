//! Domestic Labels v3 label branding: SVG logos a business uploads (`POST /labels/v3/branding`),
//! lists, fetches, renames (`PATCH`, a JSON Patch replacing `/imageName`) and deletes, for
//! labels and return labels to print.
//!
//! Images belong to the CRID of the payment token's `LABEL_OWNER` and are kept in the durable
//! state, so they survive restarts like labels. An upload must be a base64 SVG whose root element
//! has a `viewBox` (or `width` and `height`), with no `<script>`, `<style>`, DOCTYPE, or
//! `xlink:href` on `<image>`/`<use>` (160333, 160337, 160339–160342); at most 100 per CRID (the
//! spec's limit; USPS's message for 160331 still says 50). An image another CRID owns, or none,
//! answers 160335 on fetch and rename, 160334 on delete (docs/usps.md#label-branding).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::labels::{V, label_caller};
use super::validate::{Check, json_body};
use crate::Shared;
use crate::errors::{ApiError, ErrorItem};
use crate::ids::now_ms;
use crate::rules::{self, BRANDING, BRANDING_LIST};

/// Images one CRID may keep.
pub const MAX_IMAGES: usize = 100;

/// An uploaded branding image.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BrandingImage {
    pub uuid: String,
    pub crid: String,
    pub name: String,
    /// The base64 SVG as uploaded.
    pub data: String,
    pub created_ms: u64,
}

fn slot(crid: &str, uuid: &str) -> String {
    format!("{crid}/{uuid}")
}

fn created(image: &BrandingImage) -> String {
    time::OffsetDateTime::from_unix_timestamp((image.created_ms / 1000) as i64)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn image_json(image: &BrandingImage) -> Value {
    json!({
        "imageUUID": image.uuid,
        "imageName": image.name,
        "createdDateTime": created(image),
        "imageData": image.data,
    })
}

fn svg_refusal(code: &'static str, detail: &str) -> ErrorItem {
    ErrorItem::coded(code, detail, "imageinfo.imagedata")
}

/// Why an uploaded image is refused, USPS's way; `None` for an acceptable SVG.
fn svg_problem(base64_data: &str) -> Option<ErrorItem> {
    let invalid = || {
        svg_refusal(
            "160333",
            "Invalid image provided. Image must be a valid SVG element base64 encoded.",
        )
    };
    let decoded = base64::engine::general_purpose::STANDARD.decode(base64_data);
    let Some(text) = decoded.ok().and_then(|b| String::from_utf8(b).ok()) else {
        return Some(invalid());
    };
    let lower = text.to_ascii_lowercase();
    let Some(start) = lower.find("<svg") else {
        return Some(invalid());
    };
    if lower.contains("<!doctype") {
        return Some(invalid());
    }
    let root = &lower[start..lower[start..].find('>').map_or(lower.len(), |e| start + e)];
    let sized = root.contains("viewbox=") || (root.contains("width=") && root.contains("height="));
    if !sized {
        return Some(svg_refusal(
            "160337",
            "The svg must contain a viewbox or length + width attributes",
        ));
    }
    let tags_with_href = |tag: &str| {
        lower.match_indices(&format!("<{tag}")).any(|(i, _)| {
            let end = lower[i..].find('>').map_or(lower.len(), |e| i + e);
            lower[i..end].contains("xlink:href")
        })
    };
    if tags_with_href("image") {
        return Some(svg_refusal(
            "160339",
            "SVG element type 'image' with attribute 'xlink:href' is forbidden",
        ));
    }
    if lower.contains("<script") {
        return Some(svg_refusal(
            "160340",
            "SVG element type `script` is forbidden",
        ));
    }
    if lower.contains("<style") {
        return Some(svg_refusal(
            "160341",
            "SVG element type `style` is forbidden",
        ));
    }
    if tags_with_href("use") {
        return Some(svg_refusal(
            "160342",
            "SVG element type 'use' with attribute 'xlink:href' is forbidden",
        ));
    }
    None
}

fn not_found_for(code: &'static str, what: &str) -> ApiError {
    ApiError::bad_request(
        V,
        vec![ErrorItem::coded(
            code,
            format!("Image with provided CRID + imageUUID does not exist for {what}"),
            "imageUUID CRID",
        )],
    )
}

fn answer(result: Result<(StatusCode, Value), ApiError>) -> Response {
    match result {
        Ok((status, v)) => (status, axum::Json(v)).into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn upload(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let (_, payment) = label_caller(&shared, &headers, "/labels/v3/branding")?;
        let body = json_body(&headers, &body, V)?;
        let mut c = Check::new(&body, None);
        c.only("", &["imageName", "imageData"]);
        let name = c.text(BRANDING, "imageName", false);
        let data = c.text(BRANDING, "imageData", true);
        if let Some(data) = data
            && let Some(problem) = svg_problem(data)
        {
            c.fail(problem);
        }
        c.finish(V)?;
        let data = data.unwrap_or_default().to_string();
        let mut st = shared.lock();
        let owned = st
            .durable
            .branding
            .values()
            .filter(|i| i.crid == payment.crid)
            .count();
        if owned >= MAX_IMAGES {
            return Err(ApiError::bad_request(
                V,
                vec![ErrorItem::coded(
                    "160331",
                    format!(
                        "Max image count {MAX_IMAGES} reached. Unable to upload. Images may be deleted to free space."
                    ),
                    "imageinfo.imagedata",
                )],
            ));
        }
        let uuid = uuid::Uuid::new_v4().to_string();
        let image = BrandingImage {
            uuid: uuid.clone(),
            crid: payment.crid.clone(),
            name: name.unwrap_or(&uuid[..8]).to_string(),
            data,
            created_ms: now_ms(),
        };
        let answer = json!({ "imageUUID": image.uuid, "imageName": image.name });
        st.durable
            .branding
            .insert(slot(&payment.crid, &uuid), image);
        shared.persist(&st);
        Ok((StatusCode::CREATED, answer))
    })();
    answer(result)
}

pub async fn list(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let result = (|| {
        let (_, payment) = label_caller(&shared, &headers, "/labels/v3/branding")?;
        let mut errors = Vec::new();
        let mut whole = |name: &str, default: u64| match q.get(name) {
            None => default,
            Some(raw) => match raw.trim().parse::<f64>().ok().filter(|n| n.fract() == 0.0) {
                Some(n) => match rules::broken_number(BRANDING_LIST, name, n) {
                    None => n as u64,
                    Some(why) => {
                        errors.push(ErrorItem::field(why, name));
                        default
                    }
                },
                None => {
                    errors.push(ErrorItem::field("must be a whole number", name));
                    default
                }
            },
        };
        let limit = whole("limit", 10) as usize;
        let offset = whole("offset", 0) as usize;
        let mut pick = |name: &str, allowed: &[&'static str], default: &'static str| match q
            .get(name)
            .map(String::as_str)
        {
            None => default,
            Some(v) => allowed
                .iter()
                .copied()
                .find(|a| *a == v)
                .unwrap_or_else(|| {
                    errors.push(ErrorItem::field(
                        format!("{name} must be one of: {}.", allowed.join(", ")),
                        name,
                    ));
                    default
                }),
        };
        let order = pick("orderBy", &["asc", "desc"], "desc");
        let sort = pick(
            "sortBy",
            &["imageName", "createdDateTime"],
            "createdDateTime",
        );
        if !errors.is_empty() {
            return Err(ApiError::bad_request(V, errors));
        }
        let st = shared.lock();
        let mut images: Vec<&BrandingImage> = st
            .durable
            .branding
            .values()
            .filter(|i| i.crid == payment.crid)
            .collect();
        images.sort_by(|a, b| match sort {
            "imageName" => a.name.cmp(&b.name),
            _ => a.created_ms.cmp(&b.created_ms).then(a.uuid.cmp(&b.uuid)),
        });
        if order == "desc" {
            images.reverse();
        }
        let total = images.len();
        let page: Vec<Value> = images
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(image_json)
            .collect();
        Ok((
            StatusCode::OK,
            json!({ "images": page, "limit": limit, "offset": offset, "totalCount": total }),
        ))
    })();
    answer(result)
}

pub async fn fetch(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(uuid): Path<String>,
) -> Response {
    let result = (|| {
        let path = format!("/labels/v3/branding/{uuid}");
        let (_, payment) = label_caller(&shared, &headers, &path)?;
        let st = shared.lock();
        let image = st
            .durable
            .branding
            .get(&slot(&payment.crid, &uuid))
            .ok_or_else(|| not_found_for("160335", "retrieval"))?;
        Ok((StatusCode::OK, image_json(image)))
    })();
    answer(result)
}

pub async fn delete(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(uuid): Path<String>,
) -> Response {
    let result = (|| {
        let path = format!("/labels/v3/branding/{uuid}");
        let (_, payment) = label_caller(&shared, &headers, &path)?;
        let mut st = shared.lock();
        let image = st
            .durable
            .branding
            .remove(&slot(&payment.crid, &uuid))
            .ok_or_else(|| not_found_for("160334", "deletion"))?;
        shared.persist(&st);
        Ok((
            StatusCode::OK,
            json!({ "imageName": image.name, "imageUUID": image.uuid }),
        ))
    })();
    answer(result)
}

pub async fn rename(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(uuid): Path<String>,
    body: Bytes,
) -> Response {
    let result = (|| {
        let path = format!("/labels/v3/branding/{uuid}");
        let (_, payment) = label_caller(&shared, &headers, &path)?;
        let ops = super::label_edits::patch_body(&headers, &body)?;
        let mut errors = Vec::new();
        let mut name = None;
        for (i, op) in ops.iter().enumerate() {
            let here = format!("[{i}]");
            let Some(obj) = op.as_object() else {
                errors.push(ErrorItem::field("must be an object", &here));
                continue;
            };
            for key in obj
                .keys()
                .filter(|k| !["op", "path", "value"].contains(&k.as_str()))
            {
                errors.push(ErrorItem::field(
                    format!("{key} is not a recognized field."),
                    &format!("{here}.{key}"),
                ));
            }
            if obj.get("op").and_then(Value::as_str) != Some("replace") {
                errors.push(ErrorItem::field(
                    "op must be replace",
                    &format!("{here}.op"),
                ));
            }
            if obj.get("path").and_then(Value::as_str) != Some("/imageName") {
                errors.push(ErrorItem::field(
                    "path must be /imageName",
                    &format!("{here}.path"),
                ));
            }
            match obj.get("value") {
                Some(Value::String(v)) => match rules::broken_text(BRANDING, "imageName", v) {
                    None => name = Some(v.clone()),
                    Some(why) => errors.push(ErrorItem::field(why, &format!("{here}.value"))),
                },
                _ => errors.push(ErrorItem::field(
                    "value must be a string",
                    &format!("{here}.value"),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::bad_request(V, errors));
        }
        let mut st = shared.lock();
        let image = st
            .durable
            .branding
            .get_mut(&slot(&payment.crid, &uuid))
            .ok_or_else(|| not_found_for("160335", "retrieval"))?;
        if let Some(name) = name {
            image.name = name;
        }
        let answer = image_json(image);
        shared.persist(&st);
        Ok((StatusCode::OK, answer))
    })();
    answer(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn svg_rules() {
        let ok = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>"#;
        assert!(svg_problem(&b64(ok)).is_none());
        let code = |s: &str| svg_problem(&b64(s)).and_then(|e| e.code);
        assert_eq!(code("hello"), Some("160333"));
        assert_eq!(code("<svg><rect/></svg>"), Some("160337"));
        assert_eq!(
            code(r#"<svg viewBox="0 0 1 1"><script>x</script></svg>"#),
            Some("160340")
        );
        assert_eq!(
            code(r#"<svg viewBox="0 0 1 1"><style>a{}</style></svg>"#),
            Some("160341")
        );
        assert_eq!(
            code(r#"<svg viewBox="0 0 1 1"><image xlink:href="http://x"/></svg>"#),
            Some("160339")
        );
        assert_eq!(
            code(r#"<svg viewBox="0 0 1 1"><use xlink:href="x"/></svg>"#),
            Some("160342")
        );
    }
}
