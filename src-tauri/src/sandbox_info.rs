//! What Carrier Settings shows about Sandbox mode: the demo businesses' sign-in, which
//! the user types on the simulator's consent pages, and the in-process simulator's address —
//! where a developer (and the end-to-end tests) reach its `/__sim` controls. It starts the
//! simulator if it is not running yet.

use serde::Serialize;
use shipdesk_core::AppError;
use shipdesk_core::carriers::Connections;
use shipdesk_sandbox::{CONTRACT_USERNAME, DEMO_PASSWORD, DEMO_USERNAME};

/// Matches `SandboxInfo` in `ui/src/ipc/carriers.ts`.
#[derive(Debug, Clone, Serialize)]
pub struct SandboxInfo {
    pub base_url: String,
    pub demo_username: &'static str,
    pub demo_password: &'static str,
    /// The business with contract prices (same password).
    pub contract_username: &'static str,
}

pub async fn sandbox_info(connections: &Connections) -> Result<SandboxInfo, AppError> {
    Ok(SandboxInfo {
        base_url: connections.sandbox_base_url().await?.to_string(),
        demo_username: DEMO_USERNAME,
        demo_password: DEMO_PASSWORD,
        contract_username: CONTRACT_USERNAME,
    })
}
