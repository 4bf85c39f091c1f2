//! Test harness: a simulator on a free loopback port, a plain HTTP client, the consent flow
//! followed form by form, and schema validation of every JSON body a test receives.

#![allow(dead_code)]

pub mod pages;
pub mod raw;
pub mod schema;

pub use pages::*;

use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde_json::{Value, json};
use usps_sim::{Scenario, SimConfig, SimHandle};

pub const CLIENT: &str = "shipdesk-sandbox";
pub const SECRET: &str = "shipdesk-sandbox-secret";
pub const PUBLIC_CLIENT: &str = "shipdesk-public";
pub const PUBLIC_SECRET: &str = "shipdesk-public-secret";
pub const REDIRECT: &str = "http://127.0.0.1:8765/usps/callback";
pub const CRID: &str = "56982563";
pub const MID: &str = "902345671";
pub const MANIFEST_MID: &str = "902345672";
pub const EPS: &str = "1000012345";

pub struct TestSim {
    pub sim: SimHandle,
    pub base: String,
    pub http: reqwest::Client,
}

/// A response with its body decoded as far as it goes.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
    /// Multipart parts: (name, content type, body).
    pub parts: Vec<(String, String, String)>,
}

impl Resp {
    pub fn part(&self, name: &str) -> Option<&str> {
        self.parts
            .iter()
            .find(|p| p.0 == name)
            .map(|p| p.2.as_str())
    }

    pub fn error_codes(&self) -> Vec<String> {
        self.json["error"]["errors"].as_array().map_or(vec![], |e| {
            e.iter()
                .filter_map(|x| x["code"].as_str().map(str::to_string))
                .collect()
        })
    }
}

pub fn parse_multipart(content_type: &str, body: &str) -> Vec<(String, String, String)> {
    let Some(boundary) = content_type.split("boundary=").nth(1) else {
        return vec![];
    };
    let delimiter = format!("--{}", boundary.trim_matches('"'));
    body.split(&delimiter)
        .skip(1)
        .filter(|chunk| !chunk.starts_with("--"))
        .filter_map(|chunk| {
            let (head, content) = chunk.trim_start_matches("\r\n").split_once("\r\n\r\n")?;
            let mut ctype = String::new();
            let mut name = String::new();
            for line in head.lines() {
                let lower = line.to_ascii_lowercase();
                if lower.starts_with("content-type:") {
                    ctype = line[13..].trim().to_string();
                }
                if let Some(i) = line.find("name=\"") {
                    name = line[i + 6..]
                        .split('"')
                        .next()
                        .unwrap_or_default()
                        .to_string();
                }
            }
            Some((name, ctype, content.trim_end_matches("\r\n").to_string()))
        })
        .collect()
}

pub fn demo() -> Scenario {
    Scenario::demo().with_quota_per_hour(10_000)
}

impl TestSim {
    pub async fn start() -> TestSim {
        TestSim::start_with(demo()).await
    }

    pub async fn start_with(scenario: Scenario) -> TestSim {
        TestSim::start_config(SimConfig::new(scenario)).await
    }

    pub async fn start_config(config: SimConfig) -> TestSim {
        let sim = usps_sim::start(config).await.expect("simulator starts");
        let base = sim.base_url().to_string().trim_end_matches('/').to_string();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestSim { sim, base, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends, decodes, and validates every JSON body against the USPS spec for its operation.
    pub async fn send(&self, rb: reqwest::RequestBuilder) -> Resp {
        let req = rb.build().expect("request builds");
        let method = req.method().as_str().to_string();
        let path = req.url().path().to_string();
        let resp = self.http.execute(req).await.expect("response");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        let ctype = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let media = ctype
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        let parts = if media.starts_with("multipart/") {
            parse_multipart(&ctype, &text)
        } else {
            vec![]
        };
        let json = if media.contains("json") {
            serde_json::from_str(&text).unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        let resp = Resp {
            status,
            headers,
            text,
            json,
            parts,
        };
        check_schema(&method, &path, &media, &resp);
        resp
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.send(self.http.get(self.url(path)).bearer_auth(token))
            .await
    }

    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.send(self.http.post(self.url(path)).bearer_auth(token).json(body))
            .await
    }

    /// POST to a `/__sim` control.
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let r = self
            .http
            .post(self.url(&format!("/__sim{path}")))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success(),
            "control {path} failed: {}",
            r.status()
        );
        r.json().await.unwrap()
    }

    pub async fn read(&self, path: &str) -> Value {
        self.http
            .get(self.url(&format!("/__sim{path}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn token_request(&self, form: &[(&str, &str)]) -> Resp {
        self.send(self.http.post(self.url("/oauth2/v3/token")).form(form))
            .await
    }

    pub async fn client_token(&self, client: &str, secret: &str) -> String {
        let r = self
            .token_request(&[
                ("grant_type", "client_credentials"),
                ("client_id", client),
                ("client_secret", secret),
            ])
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json["access_token"].as_str().unwrap().to_string()
    }

    /// Runs the consent pages as `username` and returns the authorization code.
    pub async fn consent_code(
        &self,
        client: &str,
        username: &str,
        password: &str,
        state: &str,
    ) -> String {
        let page = self.consent_start(client, REDIRECT, state).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let flow = hidden(&page.text, "flow");
        let mut page = self
            .form(
                "/cop-navigator/sign-in",
                &[
                    ("flow", &flow),
                    ("username", username),
                    ("password", password),
                ],
            )
            .await;
        if page.text.contains("id=\"mfa_code\"") {
            let code = if username == "mfa" { "123456" } else { "" };
            page = self
                .form("/cop-navigator/mfa", &[("flow", &flow), ("mfa_code", code)])
                .await;
        }
        assert!(
            page.text.contains("id=\"agree\""),
            "consent page expected: {}",
            page.text
        );
        let done = self
            .form(
                "/cop-navigator/authorize",
                &[("flow", &flow), ("agree", "on"), ("action", "authorize")],
            )
            .await;
        assert_eq!(done.status, 303);
        let next = done.headers["location"].to_str().unwrap().to_string();
        let success = self.send(self.http.get(self.url(&next))).await;
        let target = link(&success.text, "go-to-platform");
        let url = url::Url::parse(&target).unwrap();
        assert_eq!(
            format!("{}://{}{}", url.scheme(), url.authority(), url.path()),
            REDIRECT
        );
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["state"], state);
        q["code"].clone()
    }

    pub async fn consent_start(&self, client: &str, redirect: &str, state: &str) -> Resp {
        let url = reqwest::Url::parse_with_params(
            &self.url("/cop-navigator"),
            &[
                ("wf", "apis_merchant_user"),
                ("client_id", client),
                ("state", state),
                ("redirect_uri", redirect),
                ("platform", "Shipdesk"),
                ("reauth", "true"),
            ],
        )
        .unwrap();
        self.send(self.http.get(url)).await
    }

    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        self.send(self.http.post(self.url(path)).form(fields)).await
    }

    /// Full authorization-code grant for a user: (access token, refresh token).
    pub async fn user_tokens(
        &self,
        client: &str,
        secret: &str,
        username: &str,
    ) -> (String, String) {
        let code = self
            .consent_code(client, username, "shipdesk-demo", "st-1")
            .await;
        let r = self
            .token_request(&[
                ("grant_type", "authorization_code"),
                ("client_id", client),
                ("client_secret", secret),
                ("code", &code),
                ("redirect_uri", REDIRECT),
            ])
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        (
            r.json["access_token"].as_str().unwrap().into(),
            r.json["refresh_token"].as_str().unwrap().into(),
        )
    }

    pub async fn payment_token(&self, access: &str) -> String {
        let r = self
            .post_json(
                "/payments/v3/payment-authorization",
                access,
                &roles(CRID, MID, MANIFEST_MID, EPS),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json["paymentAuthorizationToken"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Bearer + payment token for the demo business.
    pub async fn label_tokens(&self) -> (String, String) {
        let access = self.client_token(CLIENT, SECRET).await;
        let payment = self.payment_token(&access).await;
        (access, payment)
    }

    pub async fn create_label(
        &self,
        access: &str,
        payment: &str,
        key: Option<&str>,
        body: &Value,
        vendor_json: bool,
    ) -> Resp {
        let mut rb = self
            .http
            .post(self.url("/labels/v3/label"))
            .bearer_auth(access)
            .header("X-Payment-Authorization-Token", payment)
            .json(body);
        if let Some(k) = key {
            rb = rb.header("X-Idempotency-Key", k);
        }
        if vendor_json {
            rb = rb.header("Accept", "application/vnd.usps.labels+json");
        }
        self.send(rb).await
    }
}

pub fn roles(crid: &str, mid: &str, manifest: &str, eps: &str) -> Value {
    json!({"roles": [
        {"roleName": "PAYER", "CRID": crid, "MID": mid, "manifestMID": manifest, "accountType": "EPS", "accountNumber": eps},
        {"roleName": "LABEL_OWNER", "CRID": crid, "MID": mid, "manifestMID": manifest},
    ]})
}

pub fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

pub fn label_request(weight: f64) -> Value {
    json!({
        "imageInfo": {"imageType": "PDF", "labelType": "4X6LABEL", "receiptOption": "NONE"},
        "toAddress": {"firstName": "Joe", "lastName": "Doe", "streetAddress": "1100 Wyoming", "secondaryAddress": "Suite 150", "city": "St. Louis", "state": "MO", "ZIPCode": "63118"},
        "fromAddress": {"firstName": "John", "lastName": "Smith", "streetAddress": "4120 Bingham Ave", "city": "St. Louis", "state": "MO", "ZIPCode": "63116"},
        "packageDescription": {"mailClass": "USPS_GROUND_ADVANTAGE", "rateIndicator": "SP", "weightUOM": "lb", "weight": weight,
            "dimensionsUOM": "in", "length": 9, "width": 0.25, "height": 6, "processingCategory": "MACHINABLE",
            "mailingDate": today(), "extraServices": [930], "destinationEntryFacilityType": "NONE",
            "packageOptions": {"packageValue": 40}}
    })
}

fn check_schema(method: &str, path: &str, media: &str, resp: &Resp) {
    let skip = ["/oauth2/", "/cop-navigator", "/__sim"];
    if skip.iter().any(|p| path.starts_with(p)) || resp.text.is_empty() {
        return;
    }
    let Some(catalog) = schema::catalog() else {
        return;
    };
    if media.starts_with("multipart/") {
        let target = catalog
            .target(method, path, resp.status, media)
            .unwrap_or_else(|e| panic!("{e}"));
        for (name, ctype, body) in &resp.parts {
            if !ctype.contains("json") {
                continue;
            }
            let part_schema = &target.schema["properties"][name.as_str()];
            assert!(
                !part_schema.is_null(),
                "{}: part {name} not in the spec",
                target.label
            );
            let value: Value = serde_json::from_str(body).expect("JSON part");
            let errors = schema::validate(part_schema, &value);
            assert!(
                errors.is_empty(),
                "{} part {name} violates the spec: {errors:#?}\n{body}",
                target.label
            );
            schema::record(&format!("{} [{name}]", target.label));
        }
        return;
    }
    if !media.contains("json") {
        return;
    }
    let target = catalog
        .target(method, path, resp.status, media)
        .unwrap_or_else(|e| panic!("{e}"));
    let errors = schema::validate(&target.schema, &resp.json);
    assert!(
        errors.is_empty(),
        "{} violates the spec: {errors:#?}\n{}",
        target.label,
        resp.text
    );
    schema::record(&target.label);
}
