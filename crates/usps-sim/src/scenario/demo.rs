//! The demo business the app's Sandbox mode shows on screen, a second business that holds a
//! contract (NSA) so Sandbox can show contract prices being charged, plus two accounts that
//! exist to exercise failures: one whose COP linking was never done and one with an MFA step.

use super::{App, Contract, PUBLIC_ACCESS, PaymentAccountStatus, Quotas, SHIPPING, Scenario, User};

/// The username of the demo business that holds a contract.
pub const CONTRACT_USER: &str = "nsa";

impl Scenario {
    /// The demo business shown on screen in the app's Sandbox mode.
    ///
    /// - app `shipdesk-sandbox` (secret `shipdesk-sandbox-secret`), platform "Shipdesk", Public
    ///   Access + Shipping, owned by `demo`;
    /// - app `shipdesk-public` (secret `shipdesk-public-secret`), Public Access only;
    /// - user `demo` / `shipdesk-demo`: CRID 56982563, MIDs 902345671 (manifest MID 902345672),
    ///   EPS 1000012345, COP linked, no contract (labels at commercial prices);
    /// - user `nsa` / `shipdesk-demo`: CRID 56982588, MIDs 902345688 (manifest MID 902345689),
    ///   EPS 1000012388, COP linked, contract NSA-2026-0001 for every class (labels at contract
    ///   prices with a RATE_HOLDER role);
    /// - user `unlinked` / `shipdesk-demo`: COP linking not done (tokens carry no business);
    /// - user `mfa` / `shipdesk-demo` with MFA code `123456`.
    pub fn demo() -> Scenario {
        let redirects = vec!["http://127.0.0.1:8765/usps/callback".to_string()];
        Scenario {
            seed: 20_260_621,
            apps: vec![
                App {
                    client_id: "shipdesk-sandbox".into(),
                    client_secret: "shipdesk-sandbox-secret".into(),
                    platform: "Shipdesk".into(),
                    name: Some("Shipdesk Sandbox".into()),
                    redirect_uris: redirects.clone(),
                    products: vec![PUBLIC_ACCESS.into(), SHIPPING.into()],
                    scopes: vec![],
                    owner: Some("demo".into()),
                    quota_per_hour: None,
                },
                App {
                    client_id: "shipdesk-public".into(),
                    client_secret: "shipdesk-public-secret".into(),
                    platform: "Shipdesk".into(),
                    name: Some("Shipdesk Public".into()),
                    redirect_uris: redirects,
                    products: vec![PUBLIC_ACCESS.into()],
                    scopes: vec![],
                    owner: Some("demo".into()),
                    quota_per_hour: None,
                },
            ],
            users: vec![
                User {
                    username: "demo".into(),
                    password: "shipdesk-demo".into(),
                    mfa_code: None,
                    crid: "56982563".into(),
                    mids: vec!["902345671".into()],
                    manifest_mid: Some("902345672".into()),
                    eps_accounts: vec!["1000012345".into()],
                    cop_linked: true,
                    funded: true,
                    payment_account: PaymentAccountStatus::Active,
                    returns_enrolled: true,
                    contract: None,
                },
                User {
                    username: CONTRACT_USER.into(),
                    password: "shipdesk-demo".into(),
                    mfa_code: None,
                    crid: "56982588".into(),
                    mids: vec!["902345688".into()],
                    manifest_mid: Some("902345689".into()),
                    eps_accounts: vec!["1000012388".into()],
                    cop_linked: true,
                    funded: true,
                    payment_account: PaymentAccountStatus::Active,
                    returns_enrolled: true,
                    contract: Some(Contract {
                        number: "NSA-2026-0001".into(),
                        mail_classes: Vec::new(),
                    }),
                },
                User {
                    username: "unlinked".into(),
                    password: "shipdesk-demo".into(),
                    mfa_code: None,
                    crid: "56982599".into(),
                    mids: vec!["902345699".into()],
                    manifest_mid: Some("902345698".into()),
                    eps_accounts: vec!["1000012399".into()],
                    cop_linked: false,
                    funded: true,
                    payment_account: PaymentAccountStatus::Active,
                    returns_enrolled: true,
                    contract: None,
                },
                User {
                    username: "mfa".into(),
                    password: "shipdesk-demo".into(),
                    mfa_code: Some("123456".into()),
                    crid: "56982577".into(),
                    mids: vec!["902345677".into()],
                    manifest_mid: Some("902345678".into()),
                    eps_accounts: vec!["1000012377".into()],
                    cop_linked: true,
                    funded: true,
                    payment_account: PaymentAccountStatus::Active,
                    returns_enrolled: true,
                    contract: None,
                },
            ],
            quotas: Quotas::default(),
        }
    }
}
