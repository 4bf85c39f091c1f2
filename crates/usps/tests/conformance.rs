//! Conformance of the typed client with the official USPS specs (`../shared/usps/openapi`).
//!
//! The client's own calls run against a spec server: a loopback HTTP server that records every
//! request and answers each operation with the spec's own examples (the `example`/`examples` of
//! the response's media type, or, where the spec gives none, one assembled from the examples of
//! the schema's members). So both halves go through the code the app runs:
//! - every request the client builds — each call of [`UspsAccount`], fed its request models with
//!   ordinary values and values at USPS's limits (`usps::limits`) — must validate against the
//!   operation's request schema: path and query parameters, required headers, JSON body;
//! - every response model must read every success example of its operation, and the error
//!   classifier every error example.
//!
//! The specs are read by the same catalog the simulator's tests use
//! (`crates/usps-sim/tests/common/schema.rs`, included by path, as `shared_dir.rs` is): one
//! loader, one list of the specs' own defects. Without `../shared` the test is skipped with a
//! `SKIPPED` line, and fails under `cargo xtask test`.

#[allow(dead_code)]
#[path = "../../usps-sim/tests/common/schema.rs"]
mod schema;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use schema::SpecOperation;
use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use usps::classify::{ScopeGrant, classify_response};
use usps::limits;
use usps::models::*;
use usps::{
    AccountConfig, AppCredentials, ClientConfig, Environment, GrantKind, MemoryTokenStore,
    Operation, RetryPolicy, UspsAccount, UspsClient, UspsError,
};

/// A request as the spec server received it.
#[derive(Clone, Debug)]
struct Recorded {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// What the spec server answers for one operation.
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    content_type: String,
    body: String,
}

#[derive(Default)]
struct ServerState {
    recorded: Vec<Recorded>,
    /// By operation label (`POST /labels/v3/label`).
    answers: HashMap<String, Answer>,
}

struct SpecServer {
    base: url::Url,
    state: Arc<Mutex<ServerState>>,
}

/// `(method, template)` of every spec operation, for the server to name what it received.
fn matching_label(ops: &[(String, String)], method: &str, path: &str) -> Option<String> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    ops.iter()
        .filter(|(m, _)| m == method)
        .find(|(_, template)| {
            let t: Vec<&str> = template.trim_matches('/').split('/').collect();
            t.len() == segments.len()
                && t.iter()
                    .zip(&segments)
                    .all(|(a, b)| a.starts_with('{') || a == b)
        })
        .map(|(m, t)| format!("{m} {t}"))
}

impl SpecServer {
    async fn start(ops: Vec<(String, String)>) -> SpecServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = url::Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let state = Arc::new(Mutex::new(ServerState::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let state = shared.clone();
                let ops = ops.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    let answer = if request.path == "/oauth2/v3/token" {
                        Answer {
                            status: 200,
                            content_type: "application/json".into(),
                            body: json!({"access_token": "opaque-access-token", "token_type": "Bearer",
                                "expires_in": 28799, "issued_at": 1_700_000_000_000u64, "status": "approved",
                                "scope": "addresses prices payments labels scan-forms pickup tracking"})
                            .to_string(),
                        }
                    } else {
                        let label = matching_label(&ops, &request.method, &request.path);
                        let mut st = state.lock().unwrap();
                        st.recorded.push(request);
                        label
                            .and_then(|l| st.answers.get(&l).cloned())
                            .unwrap_or(Answer {
                                status: 404,
                                content_type: "application/json".into(),
                                body: json!({"apiVersion": "v3", "error": {"code": "404", "message": "No answer set"}}).to_string(),
                            })
                    };
                    let head = format!(
                        "HTTP/1.1 {} Answer\r\nContent-Type: {}\r\nContent-Length: {}\r\nETag: \"1\"\r\nConnection: close\r\n\r\n",
                        answer.status,
                        answer.content_type,
                        answer.body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(answer.body.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        SpecServer { base, state }
    }

    fn answer(&self, label: &str, answer: Answer) {
        self.state
            .lock()
            .unwrap()
            .answers
            .insert(label.to_string(), answer);
    }

    fn take_recorded(&self) -> Vec<Recorded> {
        std::mem::take(&mut self.state.lock().unwrap().recorded)
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let url = url::Url::parse(&format!("http://spec{target}")).ok()?;
    Some(Recorded {
        method,
        path: url.path().to_string(),
        query: url.query_pairs().into_owned().collect(),
        headers,
        body,
    })
}

/// A member's example, or one assembled from its members' examples; one per `oneOf`/`anyOf`
/// alternative at the top.
fn assembled_examples(doc: &Value, node: &Value) -> Vec<Value> {
    let node = schema::resolve(doc, node);
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = node[key].as_array() {
            return alternatives
                .iter()
                .filter_map(|a| assembled(doc, a, 0))
                .collect();
        }
    }
    assembled(doc, node, 0).into_iter().collect()
}

fn assembled(doc: &Value, node: &Value, depth: usize) -> Option<Value> {
    if depth > 16 {
        return None;
    }
    let node = schema::resolve(doc, node);
    if let Some(example) = node.get("example") {
        return Some(example.clone());
    }
    if let Some(parts) = node["allOf"].as_array() {
        let mut out = Map::new();
        for part in parts {
            if let Some(Value::Object(members)) = assembled(doc, part, depth + 1) {
                out.extend(members);
            }
        }
        return (!out.is_empty()).then_some(Value::Object(out));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = node[key].as_array() {
            return alternatives
                .iter()
                .find_map(|a| assembled(doc, a, depth + 1));
        }
    }
    if let Some(props) = node["properties"].as_object() {
        let out: Map<String, Value> = props
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), assembled(doc, v, depth + 1)?)))
            .collect();
        return (!out.is_empty()).then_some(Value::Object(out));
    }
    if node["type"] == "array" {
        return assembled(doc, &node["items"], depth + 1).map(|v| json!([v]));
    }
    None
}

/// The success examples of an operation in `media`: the spec's own, else assembled ones (none
/// when the schema's members have no examples either).
fn success_examples(op: &SpecOperation<'_>, media: &str) -> (u16, Vec<Value>) {
    let (status, response) = op
        .statuses
        .iter()
        .filter(|s| (200..300).contains(*s))
        .find_map(|s| Some((*s, op.response(*s)?)))
        .unwrap_or_else(|| panic!("{}: no success response", op.label()));
    let content = &response["content"][media];
    if content.is_null() {
        // A success without a body (carrier pickup's DELETE): nothing to read.
        return (status, vec![]);
    }
    let own = op.media_examples(content);
    if !own.is_empty() {
        return (status, own);
    }
    (status, assembled_examples(op.doc, &content["schema"]))
}

/// The string values in `value` long enough to be telling (3 to 200 characters).
fn string_leaves(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) if (3..=200).contains(&s.len()) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(string_leaves).collect(),
        Value::Object(members) => members.values().flat_map(string_leaves).collect(),
        _ => vec![],
    }
}

/// A query or path value typed as its schema says (the wire carries text).
fn typed(schema: &Value, text: &str) -> Value {
    let kind = match &schema["type"] {
        Value::String(t) => t.as_str(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("string"),
        _ => "string",
    };
    match kind {
        "number" => text.parse::<f64>().map_or(json!(text), |n| json!(n)),
        "integer" => text.parse::<i64>().map_or(json!(text), |n| json!(n)),
        "boolean" => match text {
            "true" => json!(true),
            "false" => json!(false),
            _ => json!(text),
        },
        "array" => Value::Array(
            text.split(',')
                .map(|t| typed(&schema["items"], t))
                .collect(),
        ),
        _ => json!(text),
    }
}

/// Everything in `request` the operation's request schema refuses.
fn request_violations(op: &SpecOperation<'_>, request: &Recorded) -> Vec<String> {
    let mut problems = vec![];
    let template: Vec<&str> = op.template.trim_matches('/').split('/').collect();
    let segments: Vec<&str> = request.path.trim_matches('/').split('/').collect();
    let mut path_values = Map::new();
    for (t, s) in template.iter().zip(&segments) {
        if let Some(name) = t.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
            let text = percent_decode(s);
            path_values.insert(
                name.into(),
                typed(&op.path_params["properties"][name], &text),
            );
        }
    }
    problems.extend(
        schema::validate(&op.path_params, &Value::Object(path_values))
            .into_iter()
            .map(|e| format!("path: {e}")),
    );
    let mut query = Map::new();
    for (k, v) in &request.query {
        let declared = &op.query["properties"][k.as_str()];
        if declared.is_null() {
            problems.push(format!("query parameter {k} is not in the spec"));
            continue;
        }
        query.insert(k.clone(), typed(declared, v));
    }
    problems.extend(
        schema::validate(&op.query, &Value::Object(query))
            .into_iter()
            .map(|e| format!("query: {e}")),
    );
    for (name, required) in &op.headers {
        if *required && !request.headers.contains_key(&name.to_ascii_lowercase()) {
            problems.push(format!("required header {name} missing"));
        }
    }
    match (&op.body, request.body.is_empty()) {
        (Some(schema_), false) => {
            let ctype = request
                .headers
                .get("content-type")
                .cloned()
                .unwrap_or_default();
            if !ctype.starts_with("application/json") {
                problems.push(format!("body sent as {ctype:?}"));
            }
            match serde_json::from_slice::<Value>(&request.body) {
                Ok(body) => problems.extend(
                    schema::validate(schema_, &body)
                        .into_iter()
                        .map(|e| format!("body: {e}")),
                ),
                Err(e) => problems.push(format!("body is not JSON: {e}")),
            }
        }
        (Some(_), true) if op.body_required => problems.push("required body missing".into()),
        (None, false) => problems.push("a body the operation does not take".into()),
        _ => {}
    }
    problems
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("v={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Every call the client makes, with the request it is given.
#[derive(Clone, Debug)]
enum Call {
    ValidateAddress(AddressQuery),
    CityState(String),
    BaseRates(BaseRatesQuery),
    BaseRatesList(RateListQuery),
    TotalRates(RateListQuery),
    AuthorizePayment,
    AuthorizePaymentWith(PaymentAuthorizationRequest),
    PaymentAccount(String, PaymentAccountQuery),
    CreateLabel(Box<LabelRequest>),
    CancelLabel(String),
    CancelLabelByKey(String),
    ReprintLabel(String, ReprintRequest),
    ScanForm(Box<ScanFormRequest>),
    PickupEligibility(PickupEligibilityQuery),
    SchedulePickup(Box<SchedulePickupRequest>),
    GetPickup(String),
    CancelPickup(String),
    Tracking(String, TrackingExpand),
    IntlRates(IntlRateListQuery),
    CreateIntlLabel(Box<IntlLabelRequest>),
    CancelIntlLabel(String),
    CancelIntlLabelByKey(String),
}

impl Call {
    /// The operation it calls, its label in the spec and the media type it asks for.
    fn target(&self) -> (Operation, &'static str, &'static str) {
        const JSON: &str = "application/json";
        const VENDOR: &str = "application/vnd.usps.labels+json";
        match self {
            Call::ValidateAddress(_) => (
                Operation::AddressValidate,
                "GET /addresses/v3/address",
                JSON,
            ),
            Call::CityState(_) => (Operation::CityState, "GET /addresses/v3/city-state", JSON),
            Call::BaseRates(_) => (
                Operation::BaseRates,
                "POST /prices/v3/base-rates/search",
                JSON,
            ),
            Call::BaseRatesList(_) => (
                Operation::BaseRatesList,
                "POST /prices/v3/base-rates-list/search",
                JSON,
            ),
            Call::TotalRates(_) => (
                Operation::TotalRates,
                "POST /prices/v3/total-rates/search",
                JSON,
            ),
            Call::AuthorizePayment | Call::AuthorizePaymentWith(_) => (
                Operation::PaymentAuthorization,
                "POST /payments/v3/payment-authorization",
                JSON,
            ),
            Call::PaymentAccount(..) => (
                Operation::PaymentAccount,
                "GET /payments/v3/payment-account/{account-number}",
                JSON,
            ),
            Call::CreateLabel(_) => (Operation::LabelCreate, "POST /labels/v3/label", VENDOR),
            Call::CancelLabel(_) => (
                Operation::LabelCancel,
                "DELETE /labels/v3/label/{trackingNumber}",
                JSON,
            ),
            Call::CancelLabelByKey(_) => (
                Operation::LabelCancelByIdempotencyKey,
                "DELETE /labels/v3/label",
                JSON,
            ),
            Call::ReprintLabel(..) => (
                Operation::LabelReprint,
                "POST /labels/v3/label-reprint/{trackingNumber}",
                VENDOR,
            ),
            Call::ScanForm(_) => (
                Operation::ScanFormCreate,
                "POST /scan-forms/v3/scan-form",
                VENDOR,
            ),
            Call::PickupEligibility(_) => (
                Operation::PickupEligibility,
                "GET /pickup/v3/carrier-pickup/eligibility",
                JSON,
            ),
            Call::SchedulePickup(_) => (
                Operation::PickupCreate,
                "POST /pickup/v3/carrier-pickup",
                JSON,
            ),
            Call::GetPickup(_) => (
                Operation::PickupGet,
                "GET /pickup/v3/carrier-pickup/{confirmationNumber}",
                JSON,
            ),
            Call::CancelPickup(_) => (
                Operation::PickupCancel,
                "DELETE /pickup/v3/carrier-pickup/{confirmationNumber}",
                JSON,
            ),
            Call::Tracking(..) => (
                Operation::Tracking,
                "GET /tracking/v3/tracking/{trackingNumber}",
                JSON,
            ),
            Call::IntlRates(_) => (
                Operation::IntlBaseRatesList,
                "POST /international-prices/v3/base-rates-list/search",
                JSON,
            ),
            Call::CreateIntlLabel(_) => (
                Operation::IntlLabelCreate,
                "POST /international-labels/v3/international-label",
                VENDOR,
            ),
            Call::CancelIntlLabel(_) => (
                Operation::IntlLabelCancel,
                "DELETE /international-labels/v3/international-label/{trackingNumber}",
                JSON,
            ),
            Call::CancelIntlLabelByKey(_) => (
                Operation::IntlLabelCancelByIdempotencyKey,
                "DELETE /international-labels/v3/international-label",
                JSON,
            ),
        }
    }

    /// Runs the call; `Debug` of what the client made of the answer.
    async fn run(&self, account: &UspsAccount) -> Result<String, UspsError> {
        Ok(match self {
            Call::ValidateAddress(q) => format!("{:?}", account.validate_address(q).await?),
            Call::CityState(zip) => format!("{:?}", account.city_state(zip).await?),
            Call::BaseRates(q) => format!("{:?}", account.base_rates(q).await?),
            Call::BaseRatesList(q) => format!("{:?}", account.base_rates_list(q).await?),
            Call::TotalRates(q) => format!("{:?}", account.total_rates(q).await?),
            Call::AuthorizePayment => format!("{:?}", account.authorize_payment().await?),
            Call::AuthorizePaymentWith(r) => {
                format!("{:?}", account.authorize_payment_with(r).await?)
            }
            Call::PaymentAccount(n, q) => format!("{:?}", account.payment_account(n, q).await?),
            Call::CreateLabel(r) => format!(
                "{:?}",
                account
                    .create_label(
                        r,
                        &IdempotencyKey::new("6f1c1c1e-8f0e-4c39-9d0a-3c2b4a5d6e7f"),
                        LabelFormat::VendorJson
                    )
                    .await?
            ),
            Call::CancelLabel(tn) => format!("{:?}", account.cancel_label(tn).await?),
            Call::CancelLabelByKey(key) => format!(
                "{:?}",
                account
                    .cancel_label_by_idempotency_key(&IdempotencyKey::new(key.clone()))
                    .await?
            ),
            Call::ReprintLabel(tn, r) => format!(
                "{:?}",
                account
                    .reprint_label(tn, r, LabelFormat::VendorJson)
                    .await?
            ),
            Call::ScanForm(r) => format!(
                "{:?}",
                account.create_scan_form(r, LabelFormat::VendorJson).await?
            ),
            Call::PickupEligibility(q) => format!("{:?}", account.pickup_eligibility(q).await?),
            Call::SchedulePickup(r) => format!("{:?}", account.schedule_pickup(r).await?),
            Call::GetPickup(n) => format!("{:?}", account.get_pickup(n).await?),
            Call::CancelPickup(n) => format!("{:?}", account.cancel_pickup(n, "\"1\"").await?),
            Call::Tracking(tn, expand) => format!("{:?}", account.tracking(tn, *expand).await?),
            Call::IntlRates(q) => format!("{:?}", account.intl_base_rates_list(q).await?),
            Call::CreateIntlLabel(r) => format!(
                "{:?}",
                account
                    .create_intl_label(
                        r,
                        &IdempotencyKey::new("6f1c1c1e-8f0e-4c39-9d0a-3c2b4a5d6e7f"),
                        LabelFormat::VendorJson
                    )
                    .await?
            ),
            Call::CancelIntlLabel(tn) => format!("{:?}", account.cancel_intl_label(tn).await?),
            Call::CancelIntlLabelByKey(key) => format!(
                "{:?}",
                account
                    .cancel_intl_label_by_idempotency_key(&IdempotencyKey::new(key.clone()))
                    .await?
            ),
        })
    }
}

fn identity() -> AccountIdentity {
    AccountIdentity {
        crid: "56982563".into(),
        mid: "902345671".into(),
        manifest_mid: "902345672".into(),
        eps_account: "1000012345".into(),
    }
}

fn mailing_date() -> String {
    (time::OffsetDateTime::now_utc().date() + time::Duration::days(1)).to_string()
}

/// Street-like text of exactly `len` characters, not ending in a space.
fn text(len: usize) -> String {
    let mut s: String = "1234 North Harbor Boulevard West Apartment Unit "
        .chars()
        .cycle()
        .take(len)
        .collect();
    if s.ends_with(' ') {
        s.pop();
        s.push('X');
    }
    s
}

fn label_address(edge: bool) -> LabelAddress {
    if edge {
        LabelAddress {
            first_name: Some("F".repeat(limits::NAME_PART_MAX)),
            last_name: Some("L".repeat(limits::NAME_PART_MAX)),
            firm: Some("M".repeat(limits::NAME_PART_MAX)),
            street_address: text(limits::STREET_ADDRESS_MAX),
            secondary_address: Some(text(limits::SECONDARY_ADDRESS_MAX)),
            city: "C".repeat(limits::CITY_MAX),
            state: "WY".into(),
            zip_code: "99999".into(),
            zip_plus4: Some("0000".into()),
            phone: Some("+123456789012345".into()),
            email: Some(format!(
                "{}@example.com",
                "e".repeat(limits::EMAIL_MAX - 12)
            )),
            ignore_bad_address: Some(true),
            ..Default::default()
        }
    } else {
        LabelAddress {
            first_name: Some("Joe".into()),
            last_name: Some("Doe".into()),
            street_address: "1100 Wyoming St".into(),
            city: "St. Louis".into(),
            state: "MO".into(),
            zip_code: "63118".into(),
            ..Default::default()
        }
    }
}

fn label_request(edge: bool) -> LabelRequest {
    LabelRequest {
        image_info: Some(ImageInfo {
            image_type: Some("PDF".into()),
            label_type: Some("4X6LABEL".into()),
            receipt_option: Some(if edge { "SEPARATE_PAGE" } else { "NONE" }.into()),
            suppress_postage: edge.then_some(true),
            suppress_mail_date: edge.then_some(false),
            return_label: edge.then_some(false),
        }),
        to_address: label_address(edge),
        from_address: label_address(false),
        sender_address: edge.then(|| label_address(true)),
        return_address: edge.then(|| label_address(false)),
        package_description: PackageDescription {
            mail_class: if edge {
                "BOUND_PRINTED_MATTER"
            } else {
                "USPS_GROUND_ADVANTAGE"
            }
            .into(),
            rate_indicator: Some("SP".into()),
            weight_uom: Some("lb".into()),
            weight: if edge {
                f64::from(limits::BOUND_PRINTED_MATTER_MAX_LB)
            } else {
                1.25
            },
            dimensions_uom: Some("in".into()),
            length: Some(if edge { 65.0 } else { 9.0 }),
            width: Some(if edge { 16.0 } else { 6.0 }),
            height: Some(if edge { 16.0 } else { 0.25 }),
            girth: edge.then_some(64.0),
            processing_category: "MACHINABLE".into(),
            mailing_date: mailing_date(),
            extra_services: if edge {
                vec![920, 930, 955, 957, 910]
            } else {
                vec![]
            },
            destination_entry_facility_type: "NONE".into(),
            package_options: edge.then(|| PackageOptions {
                package_value: Some(5000.0),
                non_delivery_option: Some("RETURN".into()),
                immediate_manifest: Some(true),
                ..Default::default()
            }),
            customer_reference: if edge {
                (0..4)
                    .map(|i| CustomerReference {
                        reference_number: format!("{i}{}", "R".repeat(29)),
                        print_reference_number: Some(i % 2 == 0),
                    })
                    .collect()
            } else {
                vec![]
            },
            ..Default::default()
        },
        customs_form: None,
    }
}

fn rate_list(edge: bool) -> RateListQuery {
    RateListQuery {
        origin_zip_code: "63116".into(),
        destination_zip_code: if edge { "99501-1234" } else { "02108" }.into(),
        weight: if edge {
            f64::from(limits::WEIGHT_MAX_LB)
        } else {
            3.0
        },
        length: if edge { 0.0 } else { 12.0 },
        width: if edge { 0.0 } else { 10.0 },
        height: if edge { 0.0 } else { 8.0 },
        mail_class: edge.then(|| "PRIORITY_MAIL".into()),
        mail_classes: if edge {
            vec!["PRIORITY_MAIL".into(), "USPS_GROUND_ADVANTAGE".into()]
        } else {
            vec![]
        },
        price_type: Some("COMMERCIAL".into()),
        mailing_date: edge.then(mailing_date),
        account_type: edge.then(|| "EPS".into()),
        account_number: edge.then(|| "1000012345".into()),
        has_nonstandard_characteristics: edge.then_some(false),
        ..Default::default()
    }
}

fn intl_label_request(edge: bool) -> IntlLabelRequest {
    IntlLabelRequest {
        image_info: IntlImageInfo::default(),
        to_address: IntlAddress {
            first_name: Some(if edge {
                "F".repeat(50)
            } else {
                "Amelie".into()
            }),
            last_name: Some("Tremblay".into()),
            firm: edge.then(|| "M".repeat(50)),
            street_address: if edge {
                text(50)
            } else {
                "24 Sussex Dr".into()
            },
            secondary_address: edge.then(|| text(50)),
            city: if edge {
                "C".repeat(28)
            } else {
                "Ottawa".into()
            },
            province: Some(if edge { "P".repeat(40) } else { "ON".into() }),
            postal_code: Some("K1M 1M4".into()),
            country: "Canada".into(),
            country_iso_alpha2_code: "CA".into(),
            phone: edge.then(|| "6135550123".into()),
        },
        from_address: label_address(edge),
        package_description: IntlPackageDescription {
            mail_class: "PRIORITY_MAIL_INTERNATIONAL".into(),
            rate_indicator: "SP".into(),
            processing_category: "MACHINABLE".into(),
            destination_entry_facility_type: "NONE".into(),
            weight_uom: "lb".into(),
            weight: 2.0,
            dimensions_uom: "in".into(),
            length: 10.0,
            width: 8.0,
            height: 4.0,
            mailing_date: mailing_date(),
            package_options: Some(IntlPackageOptions {
                non_delivery_option: Some("RETURN".into()),
                package_value: None,
            }),
        },
        customs_form: CustomsForm {
            customs_content_type: "MERCHANDISE".into(),
            aes_itn: "NO EEI 30.37(a)".into(),
            invoice_number: edge.then(|| "I".repeat(15)),
            contents: vec![CustomsItem {
                item_description: if edge {
                    "D".repeat(30)
                } else {
                    "Hand cream".into()
                },
                item_quantity: 2,
                item_value: 12.5,
                weight_uom: "lb".into(),
                item_weight: 0.5,
                hs_tariff_number: Some(if edge {
                    "3".repeat(14)
                } else {
                    "330499".into()
                }),
                country_of_origin: "US".into(),
            }],
            ..Default::default()
        },
    }
}

fn calls() -> Vec<Call> {
    let mut out = vec![];
    for edge in [false, true] {
        out.push(Call::IntlRates(IntlRateListQuery {
            origin_zip_code: "63116".into(),
            foreign_postal_code: edge.then(|| "K1M 1M4".into()),
            destination_country_code: "CA".into(),
            weight: 2.0,
            length: 10.0,
            width: 8.0,
            height: 4.0,
            price_type: edge.then(|| "COMMERCIAL_BASE".into()),
            mailing_date: Some(mailing_date()),
            ..Default::default()
        }));
        out.push(Call::CreateIntlLabel(Box::new(intl_label_request(edge))));
        out.push(Call::ValidateAddress(AddressQuery {
            firm: edge.then(|| "M".repeat(limits::NAME_PART_MAX)),
            street_address: if edge {
                text(limits::STREET_ADDRESS_MAX)
            } else {
                "3120 M St".into()
            },
            secondary_address: edge.then(|| text(limits::SECONDARY_ADDRESS_MAX)),
            city: Some(if edge {
                "C".repeat(limits::CITY_MAX)
            } else {
                "Washington".into()
            }),
            state: "DC".into(),
            urbanization: None,
            zip_code: Some("20007".into()),
            zip_plus4: edge.then(|| "3841".into()),
        }));
        out.push(Call::BaseRates(BaseRatesQuery {
            origin_zip_code: "63116".into(),
            destination_zip_code: "02108".into(),
            weight: if edge {
                f64::from(limits::WEIGHT_MAX_LB)
            } else {
                3.0
            },
            length: 12.0,
            width: 10.0,
            height: 8.0,
            mail_class: "USPS_GROUND_ADVANTAGE".into(),
            processing_category: "MACHINABLE".into(),
            rate_indicator: "SP".into(),
            destination_entry_facility_type: "NONE".into(),
            price_type: if edge { "CONTRACT" } else { "RETAIL" }.into(),
            mailing_date: edge.then(mailing_date),
            account_type: edge.then(|| "EPS".into()),
            account_number: edge.then(|| "1000012345".into()),
            has_nonstandard_characteristics: edge.then_some(true),
        }));
        out.push(Call::BaseRatesList(rate_list(edge)));
        let mut total = rate_list(edge);
        if edge {
            total.item_value = Some(5000.0);
            total.extra_services = vec![920, 930];
        }
        out.push(Call::TotalRates(total));
        out.push(Call::CreateLabel(Box::new(label_request(edge))));
        out.push(Call::ReprintLabel(
            "9205590164917312751089".into(),
            ReprintRequest {
                image_info: edge.then(|| ReprintImageInfo {
                    image_type: Some("PDF".into()),
                    label_type: Some("4X6LABEL".into()),
                    suppress_postage: Some(true),
                    suppress_mail_date: Some(true),
                }),
            },
        ));
        out.push(Call::PickupEligibility(PickupEligibilityQuery {
            street_address: if edge {
                text(limits::STREET_ADDRESS_MAX)
            } else {
                "21 Beacon St".into()
            },
            secondary_address: edge.then(|| "Ste 5".into()),
            city: edge.then(|| "Boston".into()),
            state: edge.then(|| "MA".into()),
            zip_code: Some("02108".into()),
            zip_plus4: edge.then(|| "1234".into()),
            urbanization: None,
        }));
        out.push(Call::SchedulePickup(Box::new(SchedulePickupRequest {
            pickup_date: mailing_date(),
            pickup_address: PickupAddress {
                first_name: if edge {
                    "F".repeat(limits::NAME_PART_MAX)
                } else {
                    "Rita".into()
                },
                last_name: if edge {
                    "L".repeat(limits::NAME_PART_MAX)
                } else {
                    "Gomez".into()
                },
                firm: edge.then(|| "M".repeat(limits::NAME_PART_MAX)),
                address: PickupStreetAddress {
                    street_address: if edge {
                        text(limits::STREET_ADDRESS_MAX)
                    } else {
                        "500 Congress Ave".into()
                    },
                    secondary_address: edge.then(|| "Ste 300".into()),
                    city: Some("Austin".into()),
                    state: Some("TX".into()),
                    zip_code: Some("78701".into()),
                    zip_plus4: edge.then(|| "1234".into()),
                    ..Default::default()
                },
                contact: if edge {
                    vec![
                        PickupContact {
                            email: Some(format!(
                                "{}@example.com",
                                "e".repeat(limits::EMAIL_MAX - 12)
                            )),
                            cell_number: None,
                        },
                        PickupContact {
                            email: None,
                            cell_number: Some("5125550110".into()),
                        },
                    ]
                } else {
                    vec![PickupContact {
                        email: None,
                        cell_number: Some("5125550110".into()),
                    }]
                },
            },
            packages: vec![PickupPackage {
                package_type: "USPS_GROUND_ADVANTAGE".into(),
                package_count: if edge { 9999 } else { 3 },
            }],
            estimated_weight: if edge { 0.1 } else { 7.5 },
            pickup_location: PickupLocation {
                package_location: if edge { "OTHER" } else { "FRONT_DOOR" }.into(),
                special_instructions: edge.then(|| "S".repeat(255)),
                dog_present: Some(edge),
            },
            next_available_pickup: edge.then_some(false),
        })));
        let shipments = [
            ScanFormShipment::TrackingNumbers {
                tracking_numbers: vec!["9205590164917312751089".into()],
            },
            ScanFormShipment::Mid {
                mid: "902345671".into(),
            },
            ScanFormShipment::ManifestMid {
                manifest_mid: "902345672".into(),
            },
        ];
        for shipment in shipments {
            out.push(Call::ScanForm(Box::new(ScanFormRequest {
                image_info: edge.then(|| ScanFormImageInfo {
                    image_type: Some("PDF".into()),
                    label_type: Some("8.5X11LABEL".into()),
                }),
                mailing_date: mailing_date(),
                overwrite_mailing_date: edge.then_some(true),
                entry_facility_zip_code: "63116".into(),
                destination_entry_facility_type: "NONE".into(),
                shipment,
                from_address: ScanFormAddress {
                    first_name: Some(if edge {
                        "F".repeat(limits::NAME_PART_MAX)
                    } else {
                        "John".into()
                    }),
                    last_name: Some("Smith".into()),
                    firm: edge.then(|| "M".repeat(limits::NAME_PART_MAX)),
                    street_address: if edge {
                        text(limits::STREET_ADDRESS_MAX)
                    } else {
                        "4120 Bingham Ave".into()
                    },
                    secondary_address: edge.then(|| text(limits::SECONDARY_ADDRESS_MAX)),
                    city: if edge {
                        "C".repeat(limits::CITY_MAX)
                    } else {
                        "Saint Louis".into()
                    },
                    state: "MO".into(),
                    zip_code: "63116".into(),
                    zip_plus4: edge.then(|| "1234".into()),
                    ignore_bad_address: edge.then_some(true),
                },
            })));
        }
    }
    out.extend([
        Call::CityState("37203".into()),
        Call::AuthorizePayment,
        Call::AuthorizePaymentWith(PaymentAuthorizationRequest {
            roles: vec![
                PaymentRole {
                    role_name: "PAYER".into(),
                    crid: Some("56982563".into()),
                    account_type: Some("PERMIT".into()),
                    account_number: Some("123456".into()),
                    permit_number: Some("1234".into()),
                    permit_zip: Some("63116".into()),
                    ..Default::default()
                },
                PaymentRole {
                    role_name: "LABEL_OWNER".into(),
                    crid: Some("56982563".into()),
                    mid: Some("123456".into()),
                    manifest_mid: Some("123456".into()),
                    ..Default::default()
                },
            ],
        }),
        Call::PaymentAccount(
            "1000012345".into(),
            PaymentAccountQuery {
                account_type: "EPS".into(),
                permit_zip_code: None,
                amount: None,
            },
        ),
        Call::PaymentAccount(
            "1234".into(),
            PaymentAccountQuery {
                account_type: "PERMIT".into(),
                permit_zip_code: Some("63116".into()),
                amount: Some(0.01),
            },
        ),
        Call::CancelLabel("9205590164917312751089".into()),
        Call::CancelIntlLabel("CP123456785US".into()),
        Call::CancelIntlLabelByKey("6f1c1c1e-8f0e-4c39-9d0a-3c2b4a5d6e7f".into()),
        Call::CancelLabelByKey("6f1c1c1e-8f0e-4c39-9d0a-3c2b4a5d6e7f".into()),
        Call::GetPickup("WTC123456789".into()),
        Call::CancelPickup("WTC123456789".into()),
        Call::Tracking("9400111899223100000000".into(), TrackingExpand::Summary),
        Call::Tracking("9400111899223100000000".into(), TrackingExpand::Detail),
    ]);
    out
}

#[tokio::test]
async fn every_client_request_and_response_model_conforms_to_the_specs() {
    let Some(catalog) = schema::catalog() else {
        return;
    };
    let operations = catalog.operations();
    let by_label: HashMap<String, &SpecOperation<'_>> =
        operations.iter().map(|op| (op.label(), op)).collect();
    let server = SpecServer::start(
        operations
            .iter()
            .map(|op| (op.method.clone(), op.template.clone()))
            .collect(),
    )
    .await;
    let config = ClientConfig {
        request_timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_attempts: 1,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(1),
            max_retry_after: Duration::from_millis(1),
        },
        ..ClientConfig::default()
    };
    let client =
        UspsClient::with_config(Environment::sandbox(server.base.clone()), config).unwrap();
    let account = client.account(
        AccountConfig {
            credentials: AppCredentials::new("conformance", "conformance-secret"),
            grant: GrantKind::ClientCredentials { scope: None },
            identity: Some(identity()),
            allowance: usps::Allowance::Unlimited,
        },
        Arc::new(MemoryTokenStore::default()),
    );

    let answer_with = |label: &str, media: &str, status: u16, body: &Value| {
        server.answer(
            label,
            Answer {
                status,
                content_type: media.to_string(),
                body: body.to_string(),
            },
        );
    };
    // The payment token every label call fetches first.
    let payments = by_label["POST /payments/v3/payment-authorization"];
    let (status, examples) = success_examples(payments, "application/json");
    answer_with(&payments.label(), "application/json", status, &examples[0]);

    let mut problems = vec![];
    let mut requests_checked = 0;
    let mut examples_read = 0;
    let mut operations_called = std::collections::BTreeSet::new();
    let mut no_examples = vec![];
    for call in calls() {
        let (operation, label, media) = call.target();
        let op = by_label
            .get(label)
            .unwrap_or_else(|| panic!("{label} is not an operation of the specs"));
        operations_called.insert(label);
        let (status, examples) = success_examples(op, media);
        // Without an example the call still runs (its request is checked) on an empty object.
        let without_example = examples.is_empty();
        if without_example && !no_examples.contains(&label) {
            no_examples.push(label);
        }
        let answers = if without_example {
            vec![json!({})]
        } else {
            examples
        };
        for (i, example) in answers.iter().enumerate() {
            answer_with(label, media, status, example);
            server.take_recorded();
            match call.run(&account).await {
                Ok(_) if without_example => {}
                // Lenient models read any object; the text of the example must come through.
                Ok(read) if !string_leaves(example).iter().any(|t| read.contains(t.as_str())) => {
                    problems.push(format!("{label}: none of example {i}'s text came through: {read}"));
                }
                Ok(_) => examples_read += 1,
                Err(e) => problems.push(format!("{label}: the client could not read example {i} ({operation}): {e:?}\n  {example}")),
            }
            for request in server.take_recorded() {
                let Some(request_label) = matching_label(
                    &[
                        (request.method.clone(), op.template.clone()),
                        (payments.method.clone(), payments.template.clone()),
                    ],
                    &request.method,
                    &request.path,
                ) else {
                    problems.push(format!(
                        "{label}: the client called {} {}, not this operation",
                        request.method, request.path
                    ));
                    continue;
                };
                let request_op = by_label[&request_label];
                requests_checked += 1;
                for p in request_violations(request_op, &request) {
                    problems.push(format!("{request_label} as sent for {call:?}: {p}"));
                }
            }
        }
        // Error answers of the same operation go through the classifier.
        for (code, response) in op.raw["responses"].as_object().into_iter().flatten() {
            let Ok(code) = code.parse::<u16>() else {
                continue;
            };
            if code < 400 {
                continue;
            }
            let response = schema::resolve(op.doc, response);
            let mut headers = HeaderMap::new();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            for example in op.media_examples(&response["content"]["application/json"]) {
                examples_read += 1;
                let error = classify_response(
                    operation,
                    code,
                    &headers,
                    example.to_string().as_bytes(),
                    ScopeGrant::Granted,
                );
                if let UspsError::Decode { .. } = error {
                    problems.push(format!(
                        "{label} {code}: the classifier could not read the example: {error:?}"
                    ));
                }
                if let (UspsError::Rejected(rejection), Some(message)) =
                    (&error, example["error"]["message"].as_str())
                    && rejection.message != message
                {
                    problems.push(format!(
                        "{label} {code}: message {:?} read as {:?}",
                        message, rejection.message
                    ));
                }
            }
        }
    }
    if !no_examples.is_empty() {
        println!(
            "no success example in the spec (not even on the schema's members), request checked only:\n  {}",
            no_examples.join("\n  ")
        );
    }
    println!(
        "conformance: {} client operations, {requests_checked} requests validated, {examples_read} spec examples read, {} problems",
        operations_called.len(),
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "the client disagrees with the specs:\n{}",
        problems.join("\n")
    );
}
