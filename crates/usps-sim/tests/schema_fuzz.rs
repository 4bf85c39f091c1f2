//! Schema-driven fuzzing: every operation of every official spec in `../shared/usps/openapi`,
//! sent requests generated from its own request schema (path and query parameters, JSON body),
//! half of them valid and half broken in one spot (`common/generator.rs`) or at the request level
//! (wrong `Content-Type`, malformed JSON, a body that is not an object, a required header left
//! out), with a valid access token and payment authorization. Each answer must
//! - arrive (no dropped connection, no hang) and not be a 5xx, nor a panic in the simulator;
//! - carry a status the operation declares, or one every USPS API answers in its error envelope
//!   (401, 403, 404, 429, 503), 415 for a wrong `Content-Type` and 412 for a stale `If-Match`;
//! - conform to the spec's schema for that status and media type (JSON bodies and the JSON parts
//!   of multipart bodies), checked by `common/schema.rs`, which is also the one place where the
//!   spec's own defects are listed and relaxed.
//!
//! An operation the simulator does not route yet (404 or 405 from the router itself) is listed
//! and fails `every_spec_operation_is_served`; the fuzzing test skips it, so the two failures say
//! different things.
//!
//! Deterministic: `SHIPDESK_SCHEMA_FUZZ_SEED` (default below) and the case number seed each
//! request; a failure prints the seed, operation and case. `SHIPDESK_SCHEMA_FUZZ_CASES` sets the
//! cases per operation. The last line is the summary `cargo xtask test` puts in its own.
//!
//! This target is not run by `cargo test --workspace` (`test = false` in Cargo.toml): it has its
//! own step in `cargo xtask test`, which runs `cargo test -p usps-sim --test schema_fuzz` and
//! reports its counts. Run it the same way by hand.

mod common;
#[path = "common/generator.rs"]
mod generator;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use common::schema::{self, SpecOperation};
use common::*;
use generator::{Generator, NON_FINITE, NON_FINITE_TEXT};
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

const CASES_VAR: &str = "SHIPDESK_SCHEMA_FUZZ_CASES";
const SEED_VAR: &str = "SHIPDESK_SCHEMA_FUZZ_SEED";
/// Cases per operation: about 50 operations × 100 cases take well under a minute.
const DEFAULT_CASES: u64 = 100;
const DEFAULT_SEED: u64 = 0x5eed_2026;
/// Statuses every USPS API answers in its error envelope, declared for the operation or not.
const GENERAL_STATUSES: [u16; 5] = [401, 403, 404, 429, 503];
/// Detailed failures printed per operation (all are counted).
const SHOWN_PER_OPERATION: usize = 4;

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => {
            let v = v.trim();
            let parsed = match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => v.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("{name}={v:?} is not a number"))
        }
        Err(_) => default,
    }
}

/// What a case sends.
struct Case {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    /// Body text and its `Content-Type`.
    body: Option<(String, String)>,
    /// `None` for a valid request, else what was broken.
    broken: Option<String>,
    /// Extra statuses this case may get besides the declared and general ones.
    also_allowed: Vec<u16>,
}

impl Case {
    fn describe(&self) -> String {
        let query: Vec<String> = self
            .query
            .iter()
            .map(|(k, v)| format!("{k}={}", clip(v, 60)))
            .collect();
        let body = self.body.as_ref().map_or(String::new(), |(text, ctype)| {
            format!(" [{ctype}] {}", clip(text, 400))
        });
        format!("{} {}?{}{body}", self.method, self.path, query.join("&"))
    }
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max).collect();
    format!("{head}…({} chars)", s.chars().count())
}

/// Values that exist in the simulator, so valid cases reach past "not found" sometimes.
struct Fixtures {
    path_values: HashMap<&'static str, Vec<String>>,
    etag: String,
}

struct Fuzz<'a> {
    t: &'a TestSim,
    access: String,
    payment: String,
    fixtures: Fixtures,
    seed: u64,
    validators: HashMap<String, jsonschema::Validator>,
    request_validators: HashMap<String, jsonschema::Validator>,
}

/// How one operation fared.
#[derive(Default)]
struct Outcome {
    cases: u64,
    valid_cases: u64,
    statuses: BTreeMap<u16, u64>,
    failures: Vec<String>,
    /// Time spent making the requests (the rest is the simulator's and the checks').
    generating: Duration,
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) if s == NON_FINITE => "NaN".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn percent_encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Fuzz<'_> {
    fn validator(&mut self, key: &str, schema: &Value, request: bool) -> &jsonschema::Validator {
        let map = if request {
            &mut self.request_validators
        } else {
            &mut self.validators
        };
        map.entry(key.to_string())
            .or_insert_with(|| schema::compile(schema))
    }

    /// An instance of `schema` that validates, from a few attempts (the last one otherwise).
    fn valid_instance(&mut self, g: &mut Generator, key: &str, schema: &Value) -> (Value, bool) {
        let mut last = Value::Null;
        for _ in 0..6 {
            let candidate = g.valid(schema);
            if self.validator(key, schema, true).is_valid(&candidate) {
                return (candidate, true);
            }
            last = candidate;
        }
        (last, false)
    }

    fn build(&mut self, op: &SpecOperation<'_>, case: u64) -> (Case, bool) {
        let label = op.label();
        let mut g = Generator::new(self.seed, &label, case);
        let want_valid = case.is_multiple_of(2);

        let (mut path_values, mut valid) =
            self.valid_instance(&mut g, &format!("{label} path"), &op.path_params);
        for (name, value) in path_values.as_object_mut().into_iter().flatten() {
            if let Some(known) = self.fixtures.path_values.get(name.as_str())
                && g.chance(60)
            {
                *value = json!(g.pick(known));
            }
        }
        let known = known_good(&label);
        let from_known = known.is_some() && g.chance(50);
        let (mut query, query_ok) = match &known {
            Some((Some(q), _)) if from_known => {
                let mut q = q.clone();
                g.vary(&op.query, &mut q);
                let ok = self
                    .validator(&format!("{label} query"), &op.query, true)
                    .is_valid(&q);
                (q, ok)
            }
            _ => self.valid_instance(&mut g, &format!("{label} query"), &op.query),
        };
        valid &= query_ok;
        let mut body = match &op.body {
            Some(schema) if from_known && known.as_ref().is_some_and(|k| k.1.is_some()) => {
                let mut b = known.as_ref().unwrap().1.clone().unwrap();
                g.vary(schema, &mut b);
                valid &= self
                    .validator(&format!("{label} body"), schema, true)
                    .is_valid(&b);
                Some(b)
            }
            Some(schema) => {
                let examples: Vec<Value> = op.media_examples(
                    &schema::resolve(op.doc, &op.raw["requestBody"])["content"]["application/json"],
                );
                if !examples.is_empty() && want_valid && g.chance(30) {
                    let example = g.pick(&examples).clone();
                    let ok = self
                        .validator(&format!("{label} body"), schema, true)
                        .is_valid(&example);
                    valid &= ok;
                    Some(example)
                } else {
                    let (b, ok) = self.valid_instance(&mut g, &format!("{label} body"), schema);
                    valid &= ok;
                    Some(b)
                }
            }
            None => None,
        };

        // A PDF takes a debug build of the simulator about a second to draw, and the label tests
        // cover drawing: most cases ask for no image, every eighth for the PDF it asked for.
        if !case.is_multiple_of(8)
            && let Some(image) = body.as_mut().and_then(|b| b.get_mut("imageInfo"))
            && image.get("imageType").and_then(Value::as_str) == Some("PDF")
        {
            image["imageType"] = json!("NONE");
        }
        let mut headers = vec![(
            "Authorization".to_string(),
            format!("Bearer {}", self.access),
        )];
        for (name, _) in &op.headers {
            let value = match name.as_str() {
                "X-Payment-Authorization-Token" => self.payment.clone(),
                "X-Idempotency-Key" => uuid::Uuid::from_u64_pair(self.seed, case).to_string(),
                "If-Match" if g.chance(50) => self.fixtures.etag.clone(),
                "If-Match" => format!("\"{}\"", g.below(1_000_000)),
                _ => continue,
            };
            headers.push((name.clone(), value));
        }
        let declares = |media: &str| {
            op.raw["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .any(|(_, r)| !schema::resolve(op.doc, r)["content"][media].is_null())
        };
        if declares("application/vnd.usps.labels+json") && g.chance(50) {
            headers.push(("Accept".into(), "application/vnd.usps.labels+json".into()));
        }

        let mut broken = None;
        let mut also_allowed = vec![];
        let mut content_type = "application/json".to_string();
        let mut raw_body: Option<String> = None;
        if !want_valid {
            // Request-level breakage now and then; otherwise one spot in path, query or body.
            let request_level = g.chance(20);
            if request_level && body.is_some() {
                match g.below(3) {
                    0 => {
                        content_type = g
                            .pick(&[
                                "text/plain",
                                "application/x-www-form-urlencoded",
                                "application/xml",
                                "application/json; charset=latin1",
                            ])
                            .to_string();
                        also_allowed.push(415);
                        broken = Some(format!("Content-Type {content_type}"));
                    }
                    1 => {
                        let text = body.as_ref().unwrap().to_string();
                        let cut = g.below(text.len().max(1));
                        raw_body = Some(text[..cut].to_string());
                        broken = Some(format!("JSON cut at byte {cut}"));
                    }
                    _ => {
                        body = Some(json!([body.take().unwrap()]));
                        broken = Some("body not an object".into());
                    }
                }
            } else if request_level && headers.len() > 1 {
                let i = 1 + g.below(headers.len() - 1);
                let (name, _) = headers.remove(i);
                broken = Some(format!("header {name} left out"));
            } else {
                let mut spots: Vec<(&str, &Value)> = vec![];
                if !op.path_params["properties"]
                    .as_object()
                    .is_none_or(|p| p.is_empty())
                {
                    spots.push(("path", &op.path_params));
                }
                if !op.query["properties"]
                    .as_object()
                    .is_none_or(|p| p.is_empty())
                {
                    spots.push(("query", &op.query));
                }
                if let Some(schema) = &op.body {
                    spots.push(("body", schema));
                    spots.push(("body", schema));
                }
                if !spots.is_empty() {
                    let (where_, schema) = *g.pick(&spots);
                    let target = match where_ {
                        "path" => &mut path_values,
                        "query" => &mut query,
                        _ => body.as_mut().unwrap(),
                    };
                    // Past USPS's request-line limit in a URL, well past any field in a body.
                    let unbounded_len = if where_ == "body" { 100_000 } else { 3_000 };
                    broken = g
                        .mutate(schema, target, unbounded_len)
                        .map(|what| format!("{where_}: {what}"));
                }
            }
            if broken.is_none() {
                broken = Some("nothing to break (sent as generated)".into());
            }
        }

        // Path: a required path parameter left out or emptied would address another route, so
        // path values are always present (possibly broken).
        let mut path = op.template.clone();
        for (name, value) in path_values.as_object().into_iter().flatten() {
            let mut text = scalar_text(value);
            if text.is_empty() {
                text = "0".into();
            }
            path = path.replace(&format!("{{{name}}}"), &percent_encode_segment(&text));
        }
        let query: Vec<(String, String)> = query
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), scalar_text(v)))
            .collect();
        let body = match (raw_body, body) {
            (Some(raw), _) => Some((raw, content_type)),
            (None, Some(b)) => {
                let marker = serde_json::to_string(NON_FINITE).unwrap();
                let text = b.to_string().replace(&marker, NON_FINITE_TEXT);
                Some((text, content_type))
            }
            (None, None) => None,
        };
        if op.headers.iter().any(|(n, _)| n == "If-Match") {
            also_allowed.push(412);
        }
        // USPS's gateway (Apigee) limits the request line to 7 KiB and answers 414 beyond.
        let url_len = path.len()
            + query
                .iter()
                .map(|(k, v)| k.len() + v.len() * 3 + 2)
                .sum::<usize>();
        if url_len > 7 * 1024 - 64 {
            also_allowed.push(414);
        }
        let case = Case {
            method: op.method.clone(),
            path,
            query,
            headers,
            body,
            broken,
            also_allowed,
        };
        (case, want_valid && valid)
    }

    async fn send(&self, case: &Case) -> Result<(u16, String, String), String> {
        let method = reqwest::Method::from_bytes(case.method.as_bytes()).unwrap();
        let mut rb = self
            .t
            .http
            .request(method, self.t.url(&case.path))
            .timeout(Duration::from_secs(20));
        if !case.query.is_empty() {
            rb = rb.query(&case.query);
        }
        for (k, v) in &case.headers {
            rb = rb.header(k, v);
        }
        if let Some((text, ctype)) = &case.body {
            rb = rb.header(CONTENT_TYPE, ctype).body(text.clone());
        }
        let resp = rb
            .send()
            .await
            .map_err(|e| format!("no answer: {}", clip(&format!("{e:?}"), 300)))?;
        let status = resp.status().as_u16();
        let ctype = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let text = resp
            .text()
            .await
            .map_err(|e| format!("answer cut off: {}", clip(&format!("{e:?}"), 300)))?;
        Ok((status, ctype, text))
    }

    /// Everything wrong with one answer.
    fn judge(
        &mut self,
        op: &SpecOperation<'_>,
        case: &Case,
        status: u16,
        ctype: &str,
        text: &str,
    ) -> Vec<String> {
        let mut problems = vec![];
        if status >= 500 {
            problems.push(format!("status {status}"));
        }
        let allowed = op.statuses.contains(&status)
            || GENERAL_STATUSES.contains(&status)
            || case.also_allowed.contains(&status);
        if !allowed {
            problems.push(format!(
                "status {status} is not one the operation declares ({:?})",
                op.statuses
            ));
        }
        let media = ctype
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        if text.is_empty() {
            let declared_content = op
                .response(status)
                .and_then(|r| r["content"].as_object())
                .is_some_and(|c| !c.is_empty());
            if status >= 400 || declared_content {
                problems.push(format!("empty body for {status}"));
            }
            return problems;
        }
        if status >= 400 && media != "application/json" {
            problems.push(format!(
                "error answered as {ctype:?}, not the JSON envelope"
            ));
            return problems;
        }
        let Some(catalog) = schema::catalog() else {
            return problems;
        };
        let target = match catalog.target(&op.method, &case.path, status, &media) {
            Ok(t) => t,
            Err(e) => {
                problems.push(e);
                return problems;
            }
        };
        if media.starts_with("multipart/") {
            for (name, part_type, part) in parse_multipart(ctype, text) {
                if !part_type.contains("json") {
                    continue;
                }
                let part_schema = target.schema["properties"][name.as_str()].clone();
                if part_schema.is_null() {
                    problems.push(format!("part {name} is not in the spec"));
                    continue;
                }
                let key = format!("{} [{name}]", target.label);
                match serde_json::from_str::<Value>(&part) {
                    Ok(value) => {
                        let v = self.validator(&key, &part_schema, false);
                        problems.extend(
                            schema::violations(v, &value)
                                .into_iter()
                                .map(|e| format!("part {name}: {e}")),
                        );
                    }
                    Err(e) => problems.push(format!("part {name} is not JSON: {e}")),
                }
            }
        } else if media.contains("json") {
            match serde_json::from_str::<Value>(text) {
                Ok(value) => {
                    let v = self.validator(&target.label, &target.schema, false);
                    problems.extend(schema::violations(v, &value));
                }
                Err(e) => problems.push(format!("body is not JSON: {e}")),
            }
        }
        problems
    }

    async fn operation(&mut self, op: &SpecOperation<'_>, cases: u64) -> Outcome {
        let mut out = Outcome::default();
        for case_no in 0..cases {
            let started = Instant::now();
            let (case, valid) = self.build(op, case_no);
            out.generating += started.elapsed();
            out.cases += 1;
            out.valid_cases += u64::from(valid);
            let problems = match self.send(&case).await {
                Ok((status, ctype, text)) => {
                    *out.statuses.entry(status).or_default() += 1;
                    self.judge(op, &case, status, &ctype, &text)
                        .into_iter()
                        .map(|p| format!("{p}\n      answer {status}: {}", clip(&text, 600)))
                        .collect()
                }
                Err(e) => vec![e],
            };
            let panics = self.t.sim.take_panics();
            let problems = problems
                .into_iter()
                .chain(panics.into_iter().map(|p| format!("panic: {p}")));
            for problem in problems {
                out.failures.push(format!(
                    "{} case {case_no} (seed {:#x}; {}):\n      {}\n      {problem}",
                    op.label(),
                    self.seed,
                    case.broken
                        .as_deref()
                        .unwrap_or(if valid { "valid" } else { "meant valid" }),
                    case.describe(),
                ));
            }
        }
        out
    }

    /// Whether the simulator routes the operation: its router answers 404 for an unknown path
    /// and 405 for a known path without this method; a handler's own 404 (an unknown tracking
    /// number) is told apart by asking the same path with a method no route has.
    async fn served(&mut self, op: &SpecOperation<'_>) -> bool {
        let (case, _) = self.build(op, 0);
        let Ok((status, _, text)) = self.send(&case).await else {
            return true; // the fuzzing reports it
        };
        let router_message = |text: &str, message: &str| {
            serde_json::from_str::<Value>(text).is_ok_and(|v| v["error"]["message"] == message)
        };
        match status {
            405 => !router_message(&text, "Method Not Allowed"),
            404 if router_message(&text, "The requested resource was not found.") => {
                let probe = self
                    .t
                    .http
                    .request(reqwest::Method::TRACE, self.t.url(&case.path))
                    .bearer_auth(&self.access)
                    .send()
                    .await;
                probe.is_ok_and(|r| r.status().as_u16() == 405)
            }
            _ => true,
        }
    }
}

/// Requests the simulator is known to accept (as `tests/schema.rs` sends them), the starting
/// point of half the valid cases of their operation, so success answers are checked too.
fn known_good(label: &str) -> Option<(Option<Value>, Option<Value>)> {
    let rates = json!({"originZIPCode": "63116", "destinationZIPCode": "02108", "weight": 3, "length": 12, "width": 10, "height": 8});
    let mut base = rates.clone();
    for (k, v) in [
        ("mailClass", "USPS_GROUND_ADVANTAGE"),
        ("processingCategory", "MACHINABLE"),
        ("rateIndicator", "SP"),
        ("destinationEntryFacilityType", "NONE"),
        ("priceType", "CONTRACT"),
    ] {
        base[k] = json!(v);
    }
    let mut total = rates.clone();
    total["extraServices"] = json!([921]);
    let mut date = time::OffsetDateTime::now_utc().date() + time::Duration::days(3);
    if date.weekday() == time::Weekday::Sunday {
        date += time::Duration::days(1);
    }
    let body = |b: Value| Some((None, Some(b)));
    let query = |q: Value| Some((Some(q), None));
    match label {
        "POST /payments/v3/payment-authorization" => body(roles(CRID, MID, MANIFEST_MID, EPS)),
        "GET /payments/v3/payment-account/{account-number}" => {
            query(json!({"accountType": "EPS", "amount": 5}))
        }
        "GET /addresses/v3/address" => query(
            json!({"streetAddress": "8 Harbor Way", "city": "Seattle", "state": "WA", "ZIPCode": "98101"}),
        ),
        "GET /addresses/v3/city-state" => query(json!({"ZIPCode": "37203"})),
        "GET /addresses/v3/zipcode" => {
            query(json!({"streetAddress": "42 Elm Ct", "city": "Denver", "state": "CO"}))
        }
        "POST /prices/v3/base-rates/search" => body(base),
        "POST /prices/v3/base-rates-list/search" => body(rates),
        "POST /prices/v3/total-rates/search" => body(total),
        "POST /labels/v3/label" => {
            // No image: rendering a PDF takes a debug build most of a second.
            let mut label = label_request(1.25);
            label["imageInfo"]["imageType"] = json!("NONE");
            body(label)
        }
        "POST /labels/v3/label-reprint/{trackingNumber}" => body(json!({})),
        "POST /scan-forms/v3/scan-form" => body(
            json!({"mailingDate": today(), "entryFacilityZIPCode": "63116", "destinationEntryFacilityType": "NONE",
            "shipment": {"manifestMID": MANIFEST_MID}, "fromAddress": {"firstName": "John", "lastName": "Smith", "streetAddress": "4120 Bingham Ave", "city": "Saint Louis", "state": "MO", "ZIPCode": "63116"}}),
        ),
        "GET /pickup/v3/carrier-pickup/eligibility" => {
            query(json!({"streetAddress": "21 Beacon St", "ZIPCode": "02108"}))
        }
        "POST /pickup/v3/carrier-pickup" => body(json!({"pickupDate": date.to_string(),
            "pickupAddress": {"firstName": "Rita", "lastName": "Gomez", "address": {"streetAddress": "500 Congress Ave", "secondaryAddress": "Ste 300", "city": "Austin", "state": "TX", "ZIPCode": "78701"},
                "contact": [{"cellNumber": "5125550110"}]},
            "packages": [{"packageType": "USPS_GROUND_ADVANTAGE", "packageCount": 3}], "estimatedWeight": 7.5,
            "pickupLocation": {"packageLocation": "FRONT_DOOR", "dogPresent": false}})),
        "GET /tracking/v3/tracking/{trackingNumber}" => query(json!({"expand": "DETAIL"})),
        _ => None,
    }
}

async fn fixtures(t: &TestSim, access: &str, payment: &str) -> Fixtures {
    let label = t
        .create_label(
            access,
            payment,
            Some(&uuid::Uuid::new_v4().to_string()),
            &label_request(1.0),
            true,
        )
        .await;
    assert_eq!(label.status, 200, "{}", label.text);
    let tracking = label.json["trackingNumber"].as_str().unwrap().to_string();
    let mut date = time::OffsetDateTime::now_utc().date() + time::Duration::days(3);
    if date.weekday() == time::Weekday::Sunday {
        date += time::Duration::days(1);
    }
    let pickup = json!({"pickupDate": date.to_string(),
        "pickupAddress": {"firstName": "Rita", "lastName": "Gomez", "address": {"streetAddress": "500 Congress Ave", "city": "Austin", "state": "TX", "ZIPCode": "78701"},
            "contact": [{"cellNumber": "5125550110"}]},
        "packages": [{"packageType": "USPS_GROUND_ADVANTAGE", "packageCount": 3}], "estimatedWeight": 7.5,
        "pickupLocation": {"packageLocation": "FRONT_DOOR", "dogPresent": false}});
    let created = t
        .post_json("/pickup/v3/carrier-pickup", access, &pickup)
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let confirmation = created.json["confirmationNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let etag = created.headers["etag"].to_str().unwrap().to_string();
    let path_values = HashMap::from([
        ("trackingNumber", vec![tracking]),
        ("confirmationNumber", vec![confirmation]),
        ("account-number", vec![EPS.to_string()]),
    ]);
    Fixtures { path_values, etag }
}

async fn start() -> (TestSim, String, String) {
    let t = TestSim::start_with(usps_sim::Scenario::demo().with_quota_per_hour(10_000_000)).await;
    let (access, payment) = t.label_tokens().await;
    (t, access, payment)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_spec_operation_is_served() {
    let Some(catalog) = schema::catalog() else {
        return;
    };
    let (t, access, payment) = start().await;
    let fixtures = fixtures(&t, &access, &payment).await;
    let mut fuzz = Fuzz {
        t: &t,
        access,
        payment,
        fixtures,
        seed: DEFAULT_SEED,
        validators: HashMap::new(),
        request_validators: HashMap::new(),
    };
    let operations = catalog.operations();
    let mut missing = vec![];
    for op in &operations {
        if !fuzz.served(op).await {
            missing.push(op.label());
        }
    }
    t.sim.take_panics();
    assert!(
        missing.is_empty(),
        "{} of {} spec operations are not served by the simulator (the router answers 404/405):\n  {}",
        missing.len(),
        operations.len(),
        missing.join("\n  ")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schema_driven_fuzzing_of_every_operation() {
    let Some(catalog) = schema::catalog() else {
        return;
    };
    let cases = env_number(CASES_VAR, DEFAULT_CASES);
    let seed = env_number(SEED_VAR, DEFAULT_SEED);
    let (t, access, payment) = start().await;
    let fixtures = fixtures(&t, &access, &payment).await;
    let mut fuzz = Fuzz {
        t: &t,
        access,
        payment,
        fixtures,
        seed,
        validators: HashMap::new(),
        request_validators: HashMap::new(),
    };
    let operations = catalog.operations();
    let started = Instant::now();
    let (mut total_cases, mut total_failures, mut not_served) = (0u64, 0usize, vec![]);
    let mut shown = vec![];
    for op in &operations {
        if !fuzz.served(op).await {
            not_served.push(op.label());
            continue;
        }
        let op_started = Instant::now();
        let outcome = fuzz.operation(op, cases).await;
        let statuses: Vec<String> = outcome
            .statuses
            .iter()
            .map(|(s, n)| format!("{s}×{n}"))
            .collect();
        println!(
            "  {:<62} {} cases ({} valid), {} failures, {} ms ({} ms generating); statuses {}",
            op.label(),
            outcome.cases,
            outcome.valid_cases,
            outcome.failures.len(),
            op_started.elapsed().as_millis(),
            outcome.generating.as_millis(),
            statuses.join(" ")
        );
        total_cases += outcome.cases;
        total_failures += outcome.failures.len();
        shown.extend(outcome.failures.into_iter().take(SHOWN_PER_OPERATION));
    }
    if !not_served.is_empty() {
        println!(
            "not served by the simulator (not fuzzed; every_spec_operation_is_served fails):\n  {}",
            not_served.join("\n  ")
        );
    }
    for failure in &shown {
        println!("FAILURE {failure}");
    }
    let served = operations.len() - not_served.len();
    println!(
        "schema fuzz: {} operations ({served} served), {total_cases} cases, {total_failures} failures, seed {seed:#x}, {:.1} s",
        operations.len(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        total_failures, 0,
        "schema fuzzing failed; see the FAILURE lines above"
    );
}
