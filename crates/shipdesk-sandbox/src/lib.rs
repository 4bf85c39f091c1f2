//! Shipdesk's Sandbox: the `usps-sim` simulator (and `endicia-sim`, for prepaid postage
//! accounts) run in-process, behind core's [`SandboxHost`] port, so core's production path never
//! depends on a simulator.
//!
//! The binaries (app, CLI) and the tests that need Sandbox accounts give a desk
//! [`UspsSimSandbox`] with `Desk::builder(..).sandbox(..)`. For each desk it runs the simulator's
//! demo scenario on a free loopback port, keeps its state in `<data dir>/sandbox/usps-sim.json`
//! (consents, tokens, labels and the ledger survive restarts), and registers the desk's loopback
//! redirect URI. The demo account's consent is given through the simulator's library API
//! ([`usps_sim::SimHandle::consent`]), never by reading its pages; the code is then exchanged by
//! core's ordinary USPS client.
//!
//! [`consent_pages`] follows the simulator's consent pages the way a person at a browser would,
//! for tests of "Sign in with USPS" that have no browser.

pub mod consent_pages;

use std::path::PathBuf;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use shipdesk_core::carriers::endicia::SandboxDemo;
use shipdesk_core::carriers::{
    AccountFields, PlatformApp, RunningEndiciaSandbox, RunningSandbox, SandboxHost,
};
use shipdesk_core::{AppError, Environment};
use usps_sim::{Scenario, SimConfig, SimHandle};

/// The demo business's sign-in on the simulator's consent pages (Carrier Settings shows it).
pub const DEMO_USERNAME: &str = "demo";
pub const DEMO_PASSWORD: &str = "shipdesk-demo";
/// The simulator's business that holds a contract (NSA): signing in as it (same password) adds
/// an account whose labels are charged contract prices.
pub const CONTRACT_USERNAME: &str = usps_sim::CONTRACT_USER;
/// The demo scenario's platform app with the Shipping product, which Sign in with USPS uses.
const PLATFORM_CLIENT_ID: &str = "shipdesk-sandbox";
/// Inside the folder core gives each desk's simulator.
pub const STATE_FILE: &str = "usps-sim.json";
/// The Endicia simulator's state, beside it: balances and purchases survive restarts.
pub const ENDICIA_STATE_FILE: &str = "endicia-sim.json";

/// `usps-sim`'s demo scenario, started in-process per desk.
#[derive(Debug, Default, Clone, Copy)]
pub struct UspsSimSandbox;

impl UspsSimSandbox {
    /// The host as a desk takes it.
    pub fn host() -> Arc<dyn SandboxHost> {
        Arc::new(Self)
    }
}

impl SandboxHost for UspsSimSandbox {
    fn start(
        &self,
        state_dir: PathBuf,
        redirect_uri: String,
    ) -> BoxFuture<'static, Result<Arc<dyn RunningSandbox>, AppError>> {
        Box::pin(async move {
            std::fs::create_dir_all(&state_dir)
                .map_err(|e| AppError::internal("Could not create the Sandbox folder", &e))?;
            let mut config = SimConfig::new(Scenario::demo().with_redirect_uri(redirect_uri));
            config.state_file = Some(state_dir.join(STATE_FILE));
            // The app must not crash when it drops its Sandbox: a simulator panic is logged
            // (and was answered 500), not raised again on drop as in tests.
            config.panics = usps_sim::PanicPolicy::Log;
            let handle = usps_sim::start(config)
                .await
                .map_err(|e| AppError::internal("The USPS Sandbox could not start", &e))?;
            Ok(Arc::new(RunningSim { handle }) as Arc<dyn RunningSandbox>)
        })
    }

    fn platform_app(&self) -> PlatformApp {
        let scenario = Scenario::demo();
        let app = scenario
            .app(PLATFORM_CLIENT_ID)
            .expect("the demo scenario has the Shipdesk platform app");
        PlatformApp {
            environment: Environment::Sandbox,
            client_id: app.client_id.clone(),
            client_secret: app.client_secret.clone(),
            // The simulator registers whatever port the desk is configured with.
            redirect_port: None,
        }
    }

    fn demo_business(&self) -> AccountFields {
        let scenario = Scenario::demo();
        let user = scenario
            .user(DEMO_USERNAME)
            .expect("the demo scenario has the demo user");
        let mid = user.mids.first().cloned();
        AccountFields {
            nickname: None,
            crid: Some(user.crid.clone()),
            manifest_mid: user.manifest_mid.clone().or_else(|| mid.clone()),
            mid,
            eps_account: user.eps_accounts.first().cloned(),
            has_contract: None,
            calls_per_hour: None,
        }
    }

    fn start_endicia(
        &self,
        state_dir: PathBuf,
    ) -> BoxFuture<'static, Result<Arc<dyn RunningEndiciaSandbox>, AppError>> {
        Box::pin(async move {
            std::fs::create_dir_all(&state_dir)
                .map_err(|e| AppError::internal("Could not create the Sandbox folder", &e))?;
            let mut config = endicia_sim::EndiciaSimConfig::sandbox();
            config.state_file = Some(state_dir.join(ENDICIA_STATE_FILE));
            let handle = endicia_sim::start(config)
                .await
                .map_err(|e| AppError::internal("The Endicia Sandbox could not start", &e))?;
            Ok(Arc::new(RunningEndicia { handle }) as Arc<dyn RunningEndiciaSandbox>)
        })
    }

    fn endicia_demo_login(&self) -> SandboxDemo {
        SandboxDemo {
            account_number: endicia_sim::DEMO_ACCOUNT_ID.to_owned(),
            pass_phrase: endicia_sim::DEMO_PASS_PHRASE.to_owned(),
            email: endicia_sim::DEMO_EMAIL.to_owned(),
            challenge_answer: endicia_sim::DEMO_CHALLENGE_ANSWER.to_owned(),
        }
    }
}

/// One desk's Endicia simulator; dropping it stops the simulator.
struct RunningEndicia {
    handle: endicia_sim::EndiciaSimHandle,
}

impl RunningEndiciaSandbox for RunningEndicia {
    fn service_url(&self) -> url::Url {
        self.handle.service_url()
    }
}

/// One desk's simulator; dropping it stops the simulator.
struct RunningSim {
    handle: SimHandle,
}

impl RunningSandbox for RunningSim {
    fn base_url(&self) -> url::Url {
        self.handle.base_url()
    }

    fn demo_authorization_code(
        &self,
        client_id: &str,
        redirect_uri: &str,
    ) -> Result<String, AppError> {
        self.handle
            .consent(client_id, DEMO_USERNAME, redirect_uri)
            .map_err(|e| AppError::internal("The Sandbox demo business could not consent", &e))
    }
}
