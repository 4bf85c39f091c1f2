//! Shared fixtures for the carriers tests: a `Desk` on a temp data dir whose Sandbox simulator
//! runs in-process, a recording secret store, and a fake browser that follows the simulator's
//! consent pages like a person would and then lands on our loopback listener.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use shipdesk_core::carriers::{AccountFields, AccountId, ConnectionsConfig, SignInRequest};
use shipdesk_core::environment::Environment;
use shipdesk_core::error::AppResult;
use shipdesk_core::ports::url_like::HttpUrl;
use shipdesk_core::ports::{Opener, SecretStore};
use shipdesk_core::{AppError, DataDir, Desk, ErrorCode};
use shipdesk_sandbox::UspsSimSandbox;
use shipdesk_sandbox::consent_pages::{SandboxConsent, drive_sandbox_consent};

/// A secret store tests can look into (and make fail, as a locked keyring does).
#[derive(Default)]
pub struct RecordingSecrets {
    map: Mutex<HashMap<String, String>>,
    pub fail_writes: AtomicBool,
}

impl RecordingSecrets {
    pub fn values(&self) -> Vec<String> {
        self.map.lock().unwrap().values().cloned().collect()
    }
    pub fn len(&self) -> usize {
        self.map.lock().unwrap().len()
    }
    /// The stored value whose key ends with `suffix` (e.g. "/refresh-token").
    pub fn find(&self, suffix: &str) -> Option<String> {
        self.map
            .lock()
            .unwrap()
            .iter()
            .find(|(k, _)| k.ends_with(suffix))
            .map(|(_, v)| v.clone())
    }
}

impl SecretStore for RecordingSecrets {
    fn set(&self, key: &str, secret: &str) -> AppResult<()> {
        if self.fail_writes.load(Ordering::SeqCst) {
            return Err(AppError::new(
                ErrorCode::SecretStoreUnavailable,
                "keyring locked (test)",
            ));
        }
        self.map.lock().unwrap().insert(key.into(), secret.into());
        Ok(())
    }
    fn get(&self, key: &str) -> AppResult<Option<String>> {
        Ok(self.map.lock().unwrap().get(key).cloned())
    }
    fn delete(&self, key: &str) -> AppResult<()> {
        self.map.lock().unwrap().remove(key);
        Ok(())
    }
}

/// What the fake browser does with the consent URL.
#[derive(Debug, Clone)]
pub enum Browser {
    /// Completes the consent pages with these choices and follows the redirect home.
    Consent(SandboxConsent),
    /// Completes consent but comes back with a different `state`.
    TamperState(SandboxConsent),
    /// Never comes back (the user closed the tab).
    Idle,
}

pub struct FakeBrowser {
    pub plan: Mutex<Browser>,
    pub opened: Mutex<Vec<String>>,
    /// Errors the consent pages showed (e.g. wrong password).
    pub page_errors: Arc<Mutex<Vec<AppError>>>,
}

impl FakeBrowser {
    pub fn new(plan: Browser) -> Arc<Self> {
        Arc::new(Self {
            plan: Mutex::new(plan),
            opened: Mutex::new(Vec::new()),
            page_errors: Arc::new(Mutex::new(Vec::new())),
        })
    }
    pub fn set(&self, plan: Browser) {
        *self.plan.lock().unwrap() = plan;
    }
}

impl Opener for FakeBrowser {
    fn open(&self, url: &HttpUrl) -> AppResult<()> {
        let url = url.as_str().to_owned();
        self.opened.lock().unwrap().push(url.clone());
        let plan = self.plan.lock().unwrap().clone();
        let errors = self.page_errors.clone();
        tokio::spawn(async move {
            let (choices, tamper) = match plan {
                Browser::Idle => return,
                Browser::Consent(c) => (c, false),
                Browser::TamperState(c) => (c, true),
            };
            match drive_sandbox_consent(&url, &choices).await {
                Ok(mut back) => {
                    if tamper {
                        let pairs: Vec<(String, String)> = back
                            .query_pairs()
                            .into_owned()
                            .map(|(k, v)| {
                                if k == "state" {
                                    (k, "forged".into())
                                } else {
                                    (k, v)
                                }
                            })
                            .collect();
                        back.query_pairs_mut().clear().extend_pairs(pairs);
                    }
                    let _ = reqwest::get(back).await;
                }
                Err(e) => errors.lock().unwrap().push(e),
            }
        });
        Ok(())
    }
}

pub fn demo_user() -> SandboxConsent {
    SandboxConsent::demo()
}

pub fn user(name: &str) -> SandboxConsent {
    SandboxConsent {
        username: name.into(),
        ..SandboxConsent::demo()
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Harness {
    pub dir: tempfile::TempDir,
    pub desk: Desk,
    pub browser: Arc<FakeBrowser>,
    pub secrets: Arc<RecordingSecrets>,
}

pub fn config(port: u16) -> ConnectionsConfig {
    let retry = usps::RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        ..Default::default()
    };
    ConnectionsConfig {
        redirect_port: port,
        sign_in_timeout: Duration::from_secs(20),
        usps_client: usps::ClientConfig {
            retry,
            ..Default::default()
        },
        platform_apps: Vec::new(),
        local_offset: time::UtcOffset::UTC,
        sandbox_demo_account: false,
    }
}

impl Harness {
    pub fn new(plan: Browser) -> Self {
        Self::with_config(plan, |_| {})
    }

    pub fn with_config(plan: Browser, tweak: impl FnOnce(&mut ConnectionsConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let browser = FakeBrowser::new(plan);
        let secrets = Arc::new(RecordingSecrets::default());
        let mut config = config(free_port());
        tweak(&mut config);
        let desk = Desk::builder(DataDir::at(dir.path()))
            .secrets(secrets.clone())
            .opener(browser.clone())
            .usps(config)
            .sandbox(UspsSimSandbox::host())
            .build()
            .unwrap();
        Self {
            dir,
            desk,
            browser,
            secrets,
        }
    }

    /// POST a `/__sim` control to the running Sandbox simulator.
    pub async fn sim(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let base = self.desk.connections().sandbox_base_url().await.unwrap();
        let url = base.join(&format!("__sim/{path}")).unwrap();
        let answer = reqwest::Client::new()
            .post(url)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{path}: {}", answer.status());
        answer.json().await.unwrap_or(serde_json::Value::Null)
    }

    /// All bytes of the SQLite database files (main file and WAL).
    pub fn database_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        for entry in std::fs::read_dir(self.dir.path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("shipdesk.sqlite3") && path.is_file() {
                bytes.extend(std::fs::read(&path).unwrap());
            }
        }
        bytes
    }
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

impl Harness {
    /// Adds an account by Sign in with USPS in the Sandbox (the fake browser's plan answers the
    /// consent pages); its id.
    pub async fn signed_in(&self, nickname: Option<&str>) -> AccountId {
        let conns = self.desk.connections();
        let handle = conns
            .begin_sign_in(SignInRequest {
                environment: Some(Environment::Sandbox),
                fields: AccountFields {
                    nickname: nickname.map(str::to_owned),
                    ..Default::default()
                },
                ..Default::default()
            })
            .await
            .unwrap();
        conns.finish_sign_in(&handle).await.unwrap().account.id
    }
}
