//! The simulator never panics and never hangs: raw TCP clients that stay silent, announce a
//! body and never send it, send oversized bodies, endless URLs or URLs that are not UTF-8 are
//! cut off or answered in USPS's error envelope; multi-byte text where ASCII is expected is a
//! 400, never a panic; a panic that does happen is answered 500 and fails the owning test.

mod common;

use common::raw::{RawResponse, address, exchange};
use common::*;
use serde_json::json;
use std::time::Duration;
use usps_sim::{HttpLimits, SimConfig};

const WAIT: Duration = Duration::from_secs(5);

/// Short timeouts and a small body limit, so the tests run fast.
async fn strict_sim() -> TestSim {
    TestSim::start_config(SimConfig {
        limits: HttpLimits {
            header_timeout: Duration::from_millis(300),
            body_timeout: Duration::from_millis(300),
            max_body: 64 * 1024,
            ..HttpLimits::default()
        },
        ..SimConfig::new(demo())
    })
    .await
}

/// USPS's envelope with this status, validated against the spec's `ErrorMessage` where the
/// path belongs to a spec.
fn assert_envelope(r: &RawResponse, status: u16, method: &str, path: &str, api_version: &str) {
    assert_eq!(r.status, status, "{r:?}");
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.contains("application/json")),
        "{r:?}"
    );
    assert_eq!(r.json["apiVersion"], api_version, "{r:?}");
    assert_eq!(r.json["error"]["code"], status.to_string());
    assert!(r.json["error"]["message"].is_string());
    let items = r.json["error"]["errors"].as_array().expect("errors[]");
    assert!(items.iter().all(|i| i["detail"].is_string()), "{r:?}");
    if let Some(catalog) = schema::catalog()
        && let Ok(target) = catalog.target(method, path, status, "application/json")
    {
        let errors = schema::validate(&target.schema, &r.json);
        assert!(errors.is_empty(), "{}: {errors:?}", target.label);
    }
}

fn request(method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!("{method} {target} HTTP/1.1\r\nHost: sim\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out.into_bytes()
}

#[tokio::test]
async fn a_silent_connection_is_closed_after_the_header_timeout() {
    let t = strict_sim().await;
    let r = exchange(&address(&t.base), b"", WAIT).await;
    assert!(r.closed, "still open after {WAIT:?}");
    assert_eq!(r.status, 0, "nothing to answer: {r:?}");
    assert!(r.elapsed < Duration::from_secs(3), "{:?}", r.elapsed);
}

#[tokio::test]
async fn a_head_that_stops_halfway_gets_408() {
    let t = strict_sim().await;
    let r = exchange(
        &address(&t.base),
        b"GET /labels/v3/label HTTP/1.1\r\nHos",
        WAIT,
    )
    .await;
    assert!(r.closed);
    assert_envelope(&r, 408, "GET", "/labels/v3/label", "/labels/v3");
    assert!(
        r.json["error"]["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("head")
    );
}

#[tokio::test]
async fn an_announced_body_that_never_comes_gets_408_and_the_connection_closes() {
    let t = strict_sim().await;
    let token = t.client_token(CLIENT, SECRET).await;
    let auth = format!("Bearer {token}");
    let head = request(
        "POST",
        "/prices/v3/base-rates/search",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
            ("Content-Length", "100"),
        ],
        "{\"originZIPCode\":",
    );
    let r = exchange(&address(&t.base), &head, WAIT).await;
    assert!(r.closed, "{r:?}");
    assert!(r.elapsed < Duration::from_secs(3), "{:?}", r.elapsed);
    assert_envelope(
        &r,
        408,
        "POST",
        "/prices/v3/base-rates/search",
        "/prices/v3",
    );
}

#[tokio::test]
async fn oversized_bodies_get_413_announced_or_chunked() {
    let t = strict_sim().await;
    let announced = request(
        "POST",
        "/labels/v3/label",
        &[
            ("Content-Type", "application/json"),
            ("Content-Length", "65537"),
        ],
        "",
    );
    let r = exchange(&address(&t.base), &announced, WAIT).await;
    assert_envelope(&r, 413, "POST", "/labels/v3/label", "/labels/v3");
    assert_eq!(
        r.json["error"]["errors"][0]["source"]["parameter"],
        "Content-Length"
    );

    let chunk = "x".repeat(16 * 1024);
    let mut body = String::new();
    for _ in 0..5 {
        body.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    body.push_str("0\r\n\r\n");
    let chunked = request(
        "POST",
        "/labels/v3/label",
        &[
            ("Content-Type", "application/json"),
            ("Transfer-Encoding", "chunked"),
        ],
        &body,
    );
    let r = exchange(&address(&t.base), &chunked, WAIT).await;
    assert_envelope(&r, 413, "POST", "/labels/v3/label", "/labels/v3");
}

#[tokio::test]
async fn a_long_url_gets_414() {
    let t = strict_sim().await;
    let street = "A".repeat(8 * 1024);
    let target = format!("/addresses/v3/address?streetAddress={street}&state=MO&ZIPCode=63118");
    let r = exchange(&address(&t.base), &request("GET", &target, &[], ""), WAIT).await;
    assert_envelope(&r, 414, "GET", "/addresses/v3/address", "/addresses/v3");
    let endless = format!(
        "GET /addresses/v3/address?streetAddress={}",
        "B".repeat(64 * 1024)
    );
    let r = exchange(&address(&t.base), endless.as_bytes(), WAIT).await;
    assert_envelope(&r, 414, "GET", "/addresses/v3/address", "/addresses/v3");
}

#[tokio::test]
async fn urls_that_are_not_utf8_get_400() {
    let t = strict_sim().await;
    let mut raw_bytes = b"GET /labels/v3/label/92\xff\xfe HTTP/1.1\r\nHost: sim\r\n\r\n".to_vec();
    let r = exchange(&address(&t.base), &raw_bytes, WAIT).await;
    assert_envelope(&r, 400, "GET", "/labels/v3/label/92", "/labels/v3");
    assert_eq!(r.json["error"]["errors"][0]["source"]["parameter"], "URL");
    raw_bytes = request("DELETE", "/labels/v3/label/92%FF%FE", &[], "");
    let r = exchange(&address(&t.base), &raw_bytes, WAIT).await;
    assert_envelope(&r, 400, "DELETE", "/labels/v3/label/92", "/labels/v3");
    raw_bytes = request("GET", "/addresses/v3/city-state?ZIPCode=%C3", &[], "");
    let r = exchange(&address(&t.base), &raw_bytes, WAIT).await;
    assert_envelope(&r, 400, "GET", "/addresses/v3/city-state", "/addresses/v3");
    raw_bytes = b"GET /a b c HTTP/1.1\r\n\r\n".to_vec();
    assert_eq!(
        exchange(&address(&t.base), &raw_bytes, WAIT).await.status,
        400
    );
}

#[tokio::test]
async fn multibyte_zip_codes_are_refused_not_panicked_on() {
    let t = strict_sim().await;
    let (access, payment) = t.label_tokens().await;
    // Ten bytes with 'é' across the ZIP+4 separator: once a byte-slicing panic.
    for zip in [
        "12345\u{e9}789",
        "1234\u{e9}-6789",
        "9\u{e9}210",
        "\u{ff11}2345",
    ] {
        let q = json!({"originZIPCode": zip, "destinationZIPCode": "02108", "weight": 1, "length": 1, "width": 1, "height": 1,
            "mailClass": "PRIORITY_MAIL", "processingCategory": "MACHINABLE", "rateIndicator": "SP",
            "destinationEntryFacilityType": "NONE", "priceType": "RETAIL"});
        let r = t
            .post_json("/prices/v3/base-rates/search", &access, &q)
            .await;
        assert_eq!(
            (r.status, r.error_codes()),
            (400, vec!["010002".to_string()]),
            "{zip}"
        );
        let mut label = label_request(1.0);
        label["toAddress"]["ZIPCode"] = json!(zip);
        let r = t.create_label(&access, &payment, None, &label, false).await;
        assert_eq!(r.status, 400, "{zip}: {}", r.text);
        assert!(r.error_codes().contains(&"160119".to_string()), "{zip}");
        let url = reqwest::Url::parse_with_params(
            &t.url("/addresses/v3/address"),
            &[
                ("streetAddress", "1 Main St"),
                ("state", "MO"),
                ("ZIPCode", zip),
            ],
        )
        .unwrap();
        let r = t.send(t.http.get(url).bearer_auth(&access)).await;
        assert_eq!(r.error_codes(), vec!["010002"], "{zip}");
    }
    // A number beyond a double's range cannot become an infinite weight or a null price.
    let huge = label_request(1.0)
        .to_string()
        .replace("\"weight\":1.0", "\"weight\":1e999");
    assert!(huge.contains("1e999"));
    let r = t
        .send(
            t.http
                .post(t.url("/labels/v3/label"))
                .bearer_auth(&access)
                .header("X-Payment-Authorization-Token", &payment)
                .header("Content-Type", "application/json")
                .body(huge),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(r.text.contains("not valid JSON"), "{}", r.text);
    assert!(t.sim.panics().is_empty());
    assert_eq!(t.read("/ledger").await["charges"], 0);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_envelope() {
    let t = strict_sim().await;
    let r = exchange(
        &address(&t.base),
        &request("GET", "/nowhere", &[], ""),
        WAIT,
    )
    .await;
    assert_envelope(&r, 404, "GET", "/nowhere", "v3");
    let r = exchange(
        &address(&t.base),
        &request("GET", "/labels/v3/nowhere", &[], ""),
        WAIT,
    )
    .await;
    assert_envelope(&r, 404, "GET", "/labels/v3/nowhere", "/labels/v3");
    let r = exchange(
        &address(&t.base),
        &request("PUT", "/labels/v3/label", &[], ""),
        WAIT,
    )
    .await;
    assert_envelope(&r, 405, "PUT", "/labels/v3/label", "/labels/v3");
    // An extractor's plain-text rejection (a control with a broken JSON body) is rewritten.
    let bad_json = request(
        "POST",
        "/__sim/fail",
        &[
            ("Content-Type", "application/json"),
            ("Content-Length", "1"),
        ],
        "{",
    );
    let r = exchange(&address(&t.base), &bad_json, WAIT).await;
    assert!(r.status >= 400, "{r:?}");
    assert_envelope(&r, r.status, "POST", "/__sim/fail", "v3");
}

#[tokio::test]
async fn every_connection_carries_one_request_and_is_closed_after_its_answer() {
    let t = strict_sim().await;
    let two = [
        request("GET", "/addresses/v3/city-state?ZIPCode=63118", &[], ""),
        request("GET", "/addresses/v3/city-state?ZIPCode=63118", &[], ""),
    ]
    .concat();
    let r = exchange(&address(&t.base), &two, WAIT).await;
    assert!(r.closed && r.elapsed < Duration::from_secs(3), "{r:?}");
    assert_envelope(&r, 401, "GET", "/addresses/v3/city-state", "/addresses/v3");
    assert_eq!(r.header("connection").as_deref(), Some("close"));
    assert_eq!(r.head.matches("HTTP/1.1 ").count(), 1, "{}", r.head);
}

#[tokio::test]
async fn json_sent_as_anything_but_application_json_gets_415() {
    let t = TestSim::start().await;
    let (access, payment) = t.label_tokens().await;
    let body = label_request(1.0).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin1",
    ] {
        let r = t
            .send(
                t.http
                    .post(t.url("/labels/v3/label"))
                    .bearer_auth(&access)
                    .header("X-Payment-Authorization-Token", &payment)
                    .header("Content-Type", content_type)
                    .body(body.clone()),
            )
            .await;
        assert_eq!(r.status, 415, "{content_type}: {}", r.text);
        assert_eq!(
            r.json["error"]["errors"][0]["source"]["parameter"],
            "Content-Type"
        );
    }
    let r = t
        .send(
            t.http
                .post(t.url("/prices/v3/base-rates-list/search"))
                .bearer_auth(&access)
                .body(json!({"originZIPCode": "63116", "destinationZIPCode": "02108", "weight": 1, "length": 1, "width": 1, "height": 1}).to_string()),
        )
        .await;
    assert_eq!(r.status, 415, "no Content-Type: {}", r.text);
    let ok = t
        .send(
            t.http
                .post(t.url("/labels/v3/label"))
                .bearer_auth(&access)
                .header("X-Payment-Authorization-Token", &payment)
                .header("Content-Type", "application/json; charset=UTF-8")
                .body(body),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(t.read("/ledger").await["charges"], 1);
}

#[tokio::test]
async fn a_panic_is_answered_500_and_recorded() {
    let t = strict_sim().await;
    let token = t.client_token(CLIENT, SECRET).await;
    t.control("/panic", json!({"count": 1})).await;
    let r = t
        .get("/addresses/v3/city-state?ZIPCode=63118", &token)
        .await;
    assert_eq!(r.status, 500, "{}", r.text);
    assert_eq!(r.json["apiVersion"], "/addresses/v3");
    assert_eq!(r.json["error"]["code"], "500");
    let after = t
        .get("/addresses/v3/city-state?ZIPCode=63118", &token)
        .await;
    assert_eq!(after.status, 200, "the simulator keeps serving");
    let panics = t.sim.take_panics();
    assert_eq!(panics.len(), 1, "{panics:?}");
    assert!(
        panics[0].starts_with("GET /addresses/v3/city-state: injected"),
        "{panics:?}"
    );
}

#[tokio::test]
async fn a_panic_nobody_acknowledged_fails_whoever_drops_the_simulator() {
    let t = strict_sim().await;
    let token = t.client_token(CLIENT, SECRET).await;
    t.control("/panic", json!({})).await;
    assert_eq!(
        t.get("/addresses/v3/city-state?ZIPCode=63118", &token)
            .await
            .status,
        500
    );
    let TestSim { sim, .. } = t;
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(sim)));
    let message = dropped.expect_err("dropping must fail the test");
    let text = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(text.contains("1 request(s) panicked"), "{text}");
}
