//! Where requests go. Production, TEM and a custom base (the simulator in Sandbox mode) differ
//! only in these two URLs; every other code path is identical.

use url::Url;

/// The USPS Customer Onboarding Portal, where a business grants a platform access (COP consent).
/// USPS publishes no separate TEM portal; TEM uses the production business identities.
const COP_PORTAL: &str = "https://cop.usps.com/";
const PRODUCTION_API: &str = "https://apis.usps.com/";
const TEM_API: &str = "https://apis-tem.usps.com/";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Environment {
    Production,
    /// Test Environment for Mailers: production account data, non-billable labels.
    Tem,
    /// Any other host pair, e.g. the in-process simulator (Sandbox).
    Custom {
        api_base: Url,
        portal_base: Url,
    },
}

impl Environment {
    /// Sandbox: the simulator serves both the API and the consent pages from one base URL.
    pub fn sandbox(base: Url) -> Self {
        Environment::Custom {
            api_base: base.clone(),
            portal_base: base,
        }
    }

    pub fn api_base(&self) -> Url {
        match self {
            Environment::Production => Url::parse(PRODUCTION_API).expect("constant URL"),
            Environment::Tem => Url::parse(TEM_API).expect("constant URL"),
            Environment::Custom { api_base, .. } => with_trailing_slash(api_base),
        }
    }

    pub fn portal_base(&self) -> Url {
        match self {
            Environment::Production | Environment::Tem => {
                Url::parse(COP_PORTAL).expect("constant URL")
            }
            Environment::Custom { portal_base, .. } => with_trailing_slash(portal_base),
        }
    }
}

/// `Url::join` drops the last path segment unless the base ends with `/`; a custom base such as
/// `http://127.0.0.1:4000/usps` must keep its prefix.
fn with_trailing_slash(url: &Url) -> Url {
    let mut url = url.clone();
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_per_environment() {
        assert_eq!(
            Environment::Production.api_base().as_str(),
            "https://apis.usps.com/"
        );
        assert_eq!(
            Environment::Tem.api_base().as_str(),
            "https://apis-tem.usps.com/"
        );
        assert_eq!(
            Environment::Production.portal_base().host_str(),
            Some("cop.usps.com")
        );
    }

    #[test]
    fn custom_base_keeps_its_path_prefix() {
        let env = Environment::sandbox(Url::parse("http://127.0.0.1:4000/usps").unwrap());
        let joined = env.api_base().join("labels/v3/label").unwrap();
        assert_eq!(
            joined.as_str(),
            "http://127.0.0.1:4000/usps/labels/v3/label"
        );
    }
}
