//! The official USPS OpenAPI files in `../shared` as JSON Schemas: what the simulator's answers
//! (every HTTP test here), the schema fuzzer's requests and the typed client's requests and
//! models (`crates/usps/tests/conformance.rs`, which includes this file) are checked against.
//!
//! Each spec is loaded once; a response is matched to its operation by method and path (the
//! server URL's path prefix + the path template), then to the declared response for its status
//! and media type. `$ref`s are inlined and OpenAPI 3.0 keywords translated to JSON Schema
//! draft 4 (`nullable` → a `null` type; doc-only keywords dropped). The specs' own defects are
//! relaxed here and only here, each announced on stderr when used:
//! - `additionalProperties: false` beside an `allOf` with no own `properties` forbids every
//!   member in JSON Schema (the members live in the `allOf`), so it is dropped there;
//! - a `oneOf` of one-member objects (`{email}` | `{cellNumber}`) with nothing required matches
//!   both alternatives for any value, so each alternative requires its one member;
//! - `additionalProperties: false` on one member of an `allOf` (domestic prices' `RateListQuery`
//!   inside `TotalRatesQuery`, which adds `itemValue` and `extraServices`) forbids the members
//!   the other parts add, so a valid total-rates query could never validate; the closing moves
//!   to the whole, which then allows exactly the members of all parts;
//! - the tracking response is `oneOf` a summary and a details object, but every summary is
//!   also a valid details object, so it is checked as `anyOf`;
//! - the pickup eligibility response reuses the request's `PickupAddress`, whose `required`
//!   names (contact, names) an eligibility query never carries, so `required` is not enforced
//!   for that one operation.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

pub struct Spec {
    name: &'static str,
    base_path: String,
    doc: Value,
}

pub struct Catalog {
    specs: Vec<Spec>,
}

/// Every official specification in `../shared/usps/openapi`.
pub const FILES: &[&str] = &[
    "payments",
    "addresses",
    "domestic-prices",
    "international-prices",
    "domestic-labels",
    "international-labels",
    "scan-forms",
    "carrier-pickup",
    "tracking",
    "locations",
    "shipping-options",
];

#[path = "../../../../xtask/src/shared_dir.rs"]
mod shared_dir;

/// The catalog, or `None` (announced once) when `../shared` is absent; under `cargo xtask test`
/// an absent `../shared` fails every test that validates a response.
pub fn catalog() -> Option<&'static Catalog> {
    static CATALOG: OnceLock<Option<Catalog>> = OnceLock::new();
    CATALOG
        .get_or_init(|| {
            let Some(dir) = shared_dir::shared_path("usps/openapi") else {
                println!("SKIPPED: response schema checks are off");
                return None;
            };
            let specs = FILES
                .iter()
                .map(|f| {
                    let text =
                        std::fs::read_to_string(dir.join(format!("{f}.yaml"))).expect("read spec");
                    let doc: Value = serde_yaml_ng::from_str(&text).expect("parse spec");
                    let server = doc["servers"][0]["url"].as_str().expect("server url");
                    let base_path = url::Url::parse(server)
                        .expect("server URL")
                        .path()
                        .trim_end_matches('/')
                        .to_string();
                    Spec {
                        name: f,
                        base_path,
                        doc,
                    }
                })
                .collect();
            Some(Catalog { specs })
        })
        .as_ref()
}

fn template_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.trim_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_matches('/').split('/').collect();
    t.len() == p.len() && t.iter().zip(&p).all(|(a, b)| a.starts_with('{') || a == b)
}

/// Inlines `$ref`s and converts OpenAPI 3.0 schema keywords to draft 4.
fn to_json_schema(node: &Value, components: &Value, relax_required: bool, depth: usize) -> Value {
    assert!(depth < 64, "schema nesting too deep (recursive $ref?)");
    match node {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                let name = r.rsplit('/').next().expect("ref name");
                let target = &components["schemas"][name];
                assert!(!target.is_null(), "unresolved $ref {r}");
                return to_json_schema(target, components, relax_required, depth + 1);
            }
            let mut out = Map::new();
            for (k, v) in map {
                match k.as_str() {
                    // Kept verbatim (validators ignore it): request generation starts from it.
                    "example" => {
                        out.insert(k.clone(), v.clone());
                    }
                    "examples" | "xml" | "readOnly" | "writeOnly" | "deprecated"
                    | "description" | "externalDocs" | "discriminator" | "nullable" => {}
                    "required" if relax_required => {}
                    "properties" => {
                        let props: Map<String, Value> = v
                            .as_object()
                            .expect("properties object")
                            .iter()
                            .map(|(pk, pv)| {
                                (
                                    pk.clone(),
                                    to_json_schema(pv, components, relax_required, depth + 1),
                                )
                            })
                            .collect();
                        out.insert(k.clone(), Value::Object(props));
                    }
                    _ => {
                        out.insert(
                            k.clone(),
                            to_json_schema(v, components, relax_required, depth + 1),
                        );
                    }
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true))
                && let Some(Value::String(t)) = out.get("type").cloned()
            {
                out.insert("type".into(), serde_json::json!([t, "null"]));
            }
            if let Some(Value::Array(alternatives)) = out.get_mut("oneOf") {
                for alt in alternatives.iter_mut().filter_map(Value::as_object_mut) {
                    let single = alt
                        .get("properties")
                        .and_then(Value::as_object)
                        .filter(|p| p.len() == 1)
                        .map(|p| p.keys().next().unwrap().clone());
                    if let (Some(name), None) = (single, alt.get("required")) {
                        alt.insert("required".into(), serde_json::json!([name]));
                        relaxed_once("oneOf of single-member objects read as 'the member present'");
                    }
                }
            }
            if let Some(Value::Array(members)) = out.get_mut("allOf") {
                let closed = |m: &Value| m.get("additionalProperties") == Some(&Value::Bool(false));
                if members.len() > 1 && members.iter().any(closed) {
                    // Closed in one member, extended in another: close the whole instead.
                    let mut names = Map::new();
                    for member in members.iter_mut() {
                        if let Some(props) = member.get("properties").and_then(Value::as_object) {
                            names.extend(props.keys().map(|k| (k.clone(), serde_json::json!({}))));
                        }
                        if let Some(m) = member.as_object_mut() {
                            m.remove("additionalProperties");
                        }
                    }
                    let props = out
                        .entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(props) = props {
                        for (name, any) in names {
                            props.entry(name).or_insert(any);
                        }
                    }
                    out.insert("additionalProperties".into(), Value::Bool(false));
                    relaxed_once("additionalProperties:false inside an allOf member");
                }
            }
            if out.get("additionalProperties") == Some(&Value::Bool(false))
                && out.contains_key("allOf")
                && !out.contains_key("properties")
            {
                out.remove("additionalProperties");
                relaxed_once("additionalProperties:false beside allOf");
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| to_json_schema(i, components, relax_required, depth + 1))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn relaxed_once(what: &'static str) {
    static SEEN: OnceLock<std::sync::Mutex<Vec<&'static str>>> = OnceLock::new();
    let mut seen = SEEN.get_or_init(Default::default).lock().unwrap();
    if !seen.contains(&what) {
        seen.push(what);
        eprintln!("schema check: relaxed spec quirk: {what}");
    }
}

/// Follows a local `$ref` (`#/components/responses/…`, `#/components/parameters/…`,
/// `#/components/examples/…`) to what it names; anything else is returned as is.
pub fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..8 {
        let Some(r) = node.get("$ref").and_then(Value::as_str) else {
            return node;
        };
        let pointer = r.strip_prefix('#').expect("local $ref");
        node = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("unresolved $ref {r}"));
    }
    panic!("$ref chain too long")
}

/// One operation of a spec, its request described in the same draft-4 form as responses.
pub struct SpecOperation<'a> {
    pub spec: &'static str,
    /// Upper case: `POST`.
    pub method: String,
    /// The server's path prefix and the path template: `/labels/v3/label/{trackingNumber}`.
    pub template: String,
    /// Path parameters as one object schema (`properties`, `required`).
    pub path_params: Value,
    /// Query parameters as one object schema.
    pub query: Value,
    /// Header parameters: name and whether it is required.
    pub headers: Vec<(String, bool)>,
    /// The `application/json` request body's schema.
    pub body: Option<Value>,
    pub body_required: bool,
    /// Every numeric status the operation declares.
    pub statuses: Vec<u16>,
    /// The operation object as written, and its document (to resolve its `$ref`s).
    pub raw: &'a Value,
    pub doc: &'a Value,
}

impl SpecOperation<'_> {
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.template)
    }

    /// The declared response for `status`, `$ref`s followed.
    pub fn response(&self, status: u16) -> Option<&Value> {
        let r = &self.raw["responses"][status.to_string()];
        (!r.is_null()).then(|| resolve(self.doc, r))
    }

    /// The schema of a response's media type, converted like [`Catalog::target`]'s.
    pub fn response_schema(&self, status: u16, media: &str) -> Option<Value> {
        let schema = &self.response(status)?["content"][media]["schema"];
        (!schema.is_null()).then(|| to_json_schema(schema, &self.doc["components"], false, 0))
    }

    /// The `example` and every `examples.*.value` of a media type object, `$ref`s followed.
    pub fn media_examples(&self, media_object: &Value) -> Vec<Value> {
        let mut out: Vec<Value> = media_object.get("example").cloned().into_iter().collect();
        if let Some(named) = media_object.get("examples").and_then(Value::as_object) {
            for example in named.values() {
                let example = resolve(self.doc, example);
                if let Some(value) = example.get("value") {
                    out.push(value.clone());
                }
            }
        }
        out
    }
}

impl Catalog {
    /// Every operation of every specification, in file order.
    pub fn operations(&self) -> Vec<SpecOperation<'_>> {
        let mut out = Vec::new();
        for spec in &self.specs {
            let doc = &spec.doc;
            let components = &doc["components"];
            for (template, item) in doc["paths"].as_object().expect("paths") {
                let shared: Vec<&Value> = item["parameters"]
                    .as_array()
                    .map(|a| a.iter().collect())
                    .unwrap_or_default();
                for method in ["get", "post", "put", "patch", "delete"] {
                    let op = &item[method];
                    if op.is_null() {
                        continue;
                    }
                    let mut path_params =
                        serde_json::json!({"type": "object", "properties": {}, "required": []});
                    let mut query = path_params.clone();
                    let mut headers = Vec::new();
                    let own = op["parameters"].as_array().into_iter().flatten();
                    for param in shared.iter().copied().chain(own) {
                        let param = resolve(doc, param);
                        let name = param["name"].as_str().expect("parameter name").to_string();
                        let required = param["required"] == Value::Bool(true);
                        let target = match param["in"].as_str() {
                            Some("path") => &mut path_params,
                            Some("query") => &mut query,
                            Some("header") => {
                                headers.push((name, required));
                                continue;
                            }
                            _ => continue,
                        };
                        target["properties"][&name] =
                            to_json_schema(&param["schema"], components, false, 0);
                        if required {
                            target["required"].as_array_mut().unwrap().push(name.into());
                        }
                    }
                    // Draft 4 wants a `required` list to be non-empty.
                    for params in [&mut path_params, &mut query] {
                        if params["required"].as_array().is_some_and(Vec::is_empty) {
                            params.as_object_mut().unwrap().remove("required");
                        }
                    }
                    let request_body = resolve(doc, &op["requestBody"]);
                    let body = request_body["content"]["application/json"]
                        .get("schema")
                        .map(|s| to_json_schema(s, components, false, 0));
                    let statuses = op["responses"]
                        .as_object()
                        .expect("responses")
                        .keys()
                        .filter_map(|k| k.parse().ok())
                        .collect();
                    out.push(SpecOperation {
                        spec: spec.name,
                        method: method.to_ascii_uppercase(),
                        template: format!("{}{template}", spec.base_path),
                        path_params,
                        query,
                        headers,
                        body,
                        body_required: request_body["required"] == Value::Bool(true),
                        statuses,
                        raw: op,
                        doc,
                    });
                }
            }
        }
        out
    }
}

/// Which schema a response should satisfy.
pub struct Target {
    pub schema: Value,
    pub label: String,
}

impl Catalog {
    /// One specification file as parsed, by its name (`domestic-labels`).
    pub fn spec(&self, name: &str) -> Option<&Value> {
        self.specs.iter().find(|s| s.name == name).map(|s| &s.doc)
    }

    /// The schema for a response, or an error message when the spec has no match.
    pub fn target(
        &self,
        method: &str,
        path: &str,
        status: u16,
        media: &str,
    ) -> Result<Target, String> {
        for spec in &self.specs {
            let Some(rest) = path.strip_prefix(&spec.base_path) else {
                continue;
            };
            let paths = spec.doc["paths"].as_object().expect("paths");
            let Some((template, item)) = paths.iter().find(|(t, _)| template_matches(t, rest))
            else {
                continue;
            };
            let op = &item[method.to_ascii_lowercase()];
            if op.is_null() && status == 405 {
                let components = &spec.doc["components"];
                let schema =
                    to_json_schema(&components["schemas"]["ErrorMessage"], components, false, 0);
                return Ok(Target {
                    schema,
                    label: format!(
                        "{method} {}{template} 405 ErrorMessage (method not in spec)",
                        spec.base_path
                    ),
                });
            }
            if op.is_null() {
                return Err(format!("{method} {path}: no such operation in the spec"));
            }
            let responses = &op["responses"];
            let components = &spec.doc["components"];
            let declared = resolve(&spec.doc, &responses[status.to_string()]);
            let (response, note) = if !declared.is_null() {
                (declared, "")
            } else if status >= 400 {
                // Statuses the spec does not list still use the API's error envelope.
                relaxed_once("undeclared error status checked against ErrorMessage");
                let schema =
                    to_json_schema(&components["schemas"]["ErrorMessage"], components, false, 0);
                return Ok(Target {
                    schema,
                    label: format!(
                        "{method} {}{template} {status} ErrorMessage (undeclared status)",
                        spec.base_path
                    ),
                });
            } else {
                return Err(format!("{method} {path}: status {status} not declared"));
            };
            let content = response["content"].as_object().cloned().unwrap_or_default();
            let schema = content.get(media).map(|c| &c["schema"]).ok_or_else(|| {
                format!(
                    "{method} {path} {status}: media type {media} not declared (has {:?}){note}",
                    content.keys().collect::<Vec<_>>()
                )
            })?;
            let relax = template == "/carrier-pickup/eligibility";
            if relax {
                relaxed_once("required not enforced on the pickup eligibility response");
            }
            let mut schema = to_json_schema(schema, components, relax, 0);
            if template == "/tracking/{trackingNumber}"
                && let Some(alternatives) = schema.as_object_mut().and_then(|o| o.remove("oneOf"))
            {
                // A summary is also a valid TrackingDetails (no required members, open object),
                // so "exactly one" can never hold for it.
                relaxed_once("tracking oneOf(TrackingSummary, TrackingDetails) checked as anyOf");
                schema["anyOf"] = alternatives;
            }
            return Ok(Target {
                schema,
                label: format!("{method} {}{template} {status} {media}", spec.base_path),
            });
        }
        Err(format!("{method} {path}: no spec covers this path"))
    }
}

/// Validates `instance`; returns every violation.
pub fn validate(schema: &Value, instance: &Value) -> Vec<String> {
    violations(&compile(schema), instance)
}

/// A converted schema compiled once, for callers that validate many instances against it.
pub fn compile(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("schema does not compile: {e}"))
}

pub fn violations(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

/// Counts checks per operation so the coverage test can see what was validated.
pub fn record(label: &str) {
    let mut m = checked().lock().unwrap();
    *m.entry(label.to_string()).or_default() += 1;
}

pub fn checked() -> &'static std::sync::Mutex<HashMap<String, u32>> {
    static CHECKED: OnceLock<std::sync::Mutex<HashMap<String, u32>>> = OnceLock::new();
    CHECKED.get_or_init(Default::default)
}
