//! Contract-test harness: a simulator on a free loopback port, a client with short backoffs, the
//! demo business's accounts, the COP consent flow followed form by form, and `/__sim` controls.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use time::OffsetDateTime;
use usps::models::*;
use usps::{
    AccountConfig, AppCredentials, ClientConfig, ConsentRequest, Environment, GrantKind,
    MemoryTokenStore,
};
use usps::{RetryPolicy, UspsAccount, UspsClient};
use usps_sim::{App, Scenario, SimConfig, SimHandle};

pub const CLIENT: &str = "shipdesk-sandbox";
pub const SECRET: &str = "shipdesk-sandbox-secret";
pub const PUBLIC_CLIENT: &str = "shipdesk-public";
pub const PUBLIC_SECRET: &str = "shipdesk-public-secret";
pub const UNLINKED_CLIENT: &str = "unlinked-app";
pub const REDIRECT: &str = "http://127.0.0.1:8765/usps/callback";

pub fn demo_identity() -> AccountIdentity {
    AccountIdentity {
        crid: "56982563".into(),
        mid: "902345671".into(),
        manifest_mid: "902345672".into(),
        eps_account: "1000012345".into(),
    }
}

/// The simulator's hourly allowance in bulk tests, and the client's: no call is held.
pub const BULK_QUOTA: u32 = 100_000;
const QUOTA: usps::Allowance = usps::Allowance::PerHour(BULK_QUOTA);

/// The demo scenario with a quota high enough for bulk tests, plus an app owned by the
/// business that never linked its accounts in COP.
pub fn scenario() -> Scenario {
    let mut scenario = Scenario::demo().with_quota_per_hour(BULK_QUOTA);
    let mut unlinked = scenario.app(CLIENT).expect("demo app").clone();
    unlinked = App {
        client_id: UNLINKED_CLIENT.into(),
        client_secret: "unlinked-secret".into(),
        owner: Some("unlinked".into()),
        ..unlinked
    };
    scenario.apps.push(unlinked);
    scenario
}

pub struct Harness {
    pub sim: SimHandle,
    pub client: UspsClient,
    pub http: reqwest::Client,
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::start_with(scenario()).await
    }

    pub async fn start_with(scenario: Scenario) -> Harness {
        let sim = usps_sim::start(SimConfig::new(scenario))
            .await
            .expect("simulator starts");
        let config = ClientConfig {
            request_timeout: Duration::from_secs(5),
            retry: RetryPolicy {
                max_attempts: 3,
                initial_backoff: Duration::from_millis(10),
                max_backoff: Duration::from_millis(50),
                max_retry_after: Duration::from_secs(2),
            },
            ..ClientConfig::default()
        };
        let client =
            UspsClient::with_config(Environment::sandbox(sim.base_url()), config).expect("client");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Harness { sim, client, http }
    }

    /// "Use my own USPS API app": the sandbox app, owned by the demo business.
    pub fn own_app_account(&self) -> UspsAccount {
        self.client_credentials_account(CLIENT, SECRET, Some(demo_identity()))
    }

    pub fn client_credentials_account(
        &self,
        id: &str,
        secret: &str,
        identity: Option<AccountIdentity>,
    ) -> UspsAccount {
        let config = AccountConfig {
            credentials: AppCredentials::new(id, secret),
            grant: GrantKind::ClientCredentials { scope: None },
            identity,
            allowance: QUOTA,
        };
        self.client
            .account(config, Arc::new(MemoryTokenStore::default()))
    }

    /// "Sign in with USPS": consent as `username`, then exchange the code.
    pub async fn signed_in_account(&self, username: &str) -> (UspsAccount, Arc<MemoryTokenStore>) {
        let store = Arc::new(MemoryTokenStore::default());
        let config = AccountConfig {
            credentials: AppCredentials::new(CLIENT, SECRET),
            grant: GrantKind::AuthorizationCode,
            identity: Some(demo_identity()),
            allowance: QUOTA,
        };
        let account = self.client.account(config, store.clone());
        let code = self.consent(username, "state-123").await;
        account
            .connect_with_code(&code, REDIRECT)
            .await
            .expect("code exchange");
        (account, store)
    }

    /// Walks the simulated COP pages like a browser and returns the authorization code.
    pub async fn consent(&self, username: &str, state: &str) -> String {
        let url = self.client.consent_url(&ConsentRequest {
            client_id: CLIENT.into(),
            state: state.into(),
            redirect_uri: REDIRECT.into(),
            platform: "Shipdesk".into(),
        });
        let page = self
            .http
            .get(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let flow = hidden_flow(&page);
        let page = self
            .form(
                "cop-navigator/sign-in",
                &[
                    ("flow", &flow),
                    ("username", username),
                    ("password", "shipdesk-demo"),
                ],
            )
            .await;
        assert!(
            page.1.contains("Authorize"),
            "consent page expected: {}",
            page.1
        );
        let (status, _, location) = self
            .form_raw(
                "cop-navigator/authorize",
                &[("flow", &flow), ("agree", "on"), ("action", "authorize")],
            )
            .await;
        assert!(status.is_redirection(), "authorize answered {status}");
        let success = self.sim.base_url().join(&location.unwrap()).unwrap();
        let page = self
            .http
            .get(success)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let target =
            attribute_after(&page, "id=\"go-to-platform\"", "href=\"").replace("&amp;", "&");
        let target = url::Url::parse(&target).unwrap();
        assert_eq!(target.as_str().split('?').next(), Some(REDIRECT));
        let param = |k: &str| {
            target
                .query_pairs()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.into_owned())
        };
        assert_eq!(param("state").as_deref(), Some(state));
        param("code").expect("code in redirect")
    }

    async fn form(&self, path: &str, fields: &[(&str, &str)]) -> (reqwest::StatusCode, String) {
        let (status, body, _) = self.form_raw(path, fields).await;
        (status, body)
    }

    async fn form_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (reqwest::StatusCode, String, Option<String>) {
        let response = self
            .http
            .post(self.sim.base_url().join(path).unwrap())
            .form(fields)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        (status, response.text().await.unwrap(), location)
    }

    /// POST to a `/__sim` control.
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let url = self.sim.base_url().join(&format!("__sim/{path}")).unwrap();
        let response = self.http.post(url).json(&body).send().await.unwrap();
        assert!(
            response.status().is_success(),
            "control {path} failed: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    pub async fn ledger(&self) -> Value {
        let url = self.sim.base_url().join("__sim/ledger").unwrap();
        self.http
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Calls the simulator received for one API (`oauth2`, `payments`, `labels`, ...).
    pub fn sim_calls(&self, api: &str) -> u64 {
        self.sim.calls().get(api).copied().unwrap_or(0)
    }
}

fn hidden_flow(page: &str) -> String {
    attribute_after(page, "name=\"flow\"", "value=\"")
}

fn attribute_after(page: &str, marker: &str, attribute: &str) -> String {
    let at = page
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in page: {page}"));
    let rest = &page[at..];
    let start = rest.find(attribute).expect("attribute") + attribute.len();
    rest[start..].split('"').next().unwrap().to_owned()
}

/// A mailing date the simulator accepts (today..+7 days).
pub fn mailing_date() -> String {
    date_string(OffsetDateTime::now_utc().date() + time::Duration::days(1))
}

pub fn date_string(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

pub fn label_request() -> LabelRequest {
    LabelRequest {
        image_info: Some(ImageInfo {
            image_type: Some("PDF".into()),
            label_type: Some("4X6LABEL".into()),
            receipt_option: Some("NONE".into()),
            ..Default::default()
        }),
        to_address: LabelAddress {
            first_name: Some("Joe".into()),
            last_name: Some("Doe".into()),
            street_address: "1100 Wyoming St".into(),
            city: "Saint Louis".into(),
            state: "MO".into(),
            zip_code: "63118".into(),
            ..Default::default()
        },
        from_address: LabelAddress {
            firm: Some("ACME Widgets".into()),
            first_name: Some("John".into()),
            last_name: Some("Smith".into()),
            street_address: "4120 Bingham Ave".into(),
            city: "Saint Louis".into(),
            state: "MO".into(),
            zip_code: "63116".into(),
            ..Default::default()
        },
        package_description: PackageDescription {
            mail_class: "USPS_GROUND_ADVANTAGE".into(),
            rate_indicator: Some("SP".into()),
            weight_uom: Some("lb".into()),
            weight: 1.5,
            dimensions_uom: Some("in".into()),
            length: Some(9.0),
            width: Some(6.0),
            height: Some(2.0),
            processing_category: "MACHINABLE".into(),
            mailing_date: mailing_date(),
            destination_entry_facility_type: "NONE".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

pub fn new_key() -> IdempotencyKey {
    IdempotencyKey::new(uuid::Uuid::new_v4().to_string())
}

pub fn json_of<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

pub fn empty() -> Value {
    json!({})
}
