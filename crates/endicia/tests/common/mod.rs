//! The simulator and client every contract test starts from.

use std::time::Duration;

use endicia::{ClientConfig, Credentials, EndiciaClient, Secret};
use endicia_sim::{DEMO_ACCOUNT_ID, EndiciaSimConfig};

/// A fresh Sandbox simulator (its demo accounts) and a client pointed at it.
pub async fn sim() -> (endicia_sim::EndiciaSimHandle, EndiciaClient) {
    let handle = endicia_sim::start(EndiciaSimConfig::sandbox())
        .await
        .unwrap();
    let client = EndiciaClient::new(ClientConfig {
        service_url: handle.service_url(),
        requester_id: "lxxx".into(),
        timeout: Duration::from_secs(10),
    })
    .unwrap();
    (handle, client)
}

/// The demo account with `pass_phrase`.
pub fn demo_with(pass_phrase: &str) -> Credentials {
    Credentials {
        account_id: DEMO_ACCOUNT_ID.into(),
        pass_phrase: Secret::new(pass_phrase),
    }
}
