//! The USPS resource APIs. Each submodule serves one API family; this module names them, knows
//! which scopes open each, and holds the small request-validation helpers they share.

pub mod addresses;
pub mod enums;
pub mod geo;
pub mod label_build;
pub mod label_changes;
pub mod label_print;
pub mod labels;
pub mod payments;
pub mod pickup;
pub mod pickup_request;
pub mod prices;
pub mod rate_lists;
pub mod scan_forms;
pub mod tracking;
pub mod validate;

/// An API family as quotas, call counters, faults and error envelopes see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    OAuth,
    Consent,
    Payments,
    Addresses,
    Prices,
    Labels,
    ScanForms,
    Pickup,
    Tracking,
}

impl Api {
    pub fn from_path(path: &str) -> Option<Api> {
        let first = path.trim_start_matches('/').split('/').next()?;
        Some(match first {
            "oauth2" => Api::OAuth,
            "cop-navigator" => Api::Consent,
            "payments" => Api::Payments,
            "addresses" => Api::Addresses,
            "prices" => Api::Prices,
            "labels" => Api::Labels,
            "scan-forms" => Api::ScanForms,
            "pickup" => Api::Pickup,
            "tracking" => Api::Tracking,
            _ => return None,
        })
    }

    /// The name used by `/__sim` targets and the call counter.
    pub fn name(self) -> &'static str {
        match self {
            Api::OAuth => "oauth2",
            Api::Consent => "consent",
            Api::Payments => "payments",
            Api::Addresses => "addresses",
            Api::Prices => "prices",
            Api::Labels => "labels",
            Api::ScanForms => "scan-forms",
            Api::Pickup => "pickup",
            Api::Tracking => "tracking",
        }
    }

    /// `apiVersion` in error envelopes.
    pub fn version(self) -> &'static str {
        match self {
            Api::OAuth => "/oauth2/v3",
            Api::Consent => "/cop-navigator",
            Api::Payments => "/payments/v3",
            Api::Addresses => "/addresses/v3",
            Api::Prices => "/prices/v3",
            Api::Labels => "/labels/v3",
            Api::ScanForms => "/scan-forms/v3",
            Api::Pickup => "/pickup/v3",
            Api::Tracking => "/tracking/v3",
        }
    }

    /// Any one of these scopes opens the API (names differ between specs and real tokens).
    pub fn scopes(self) -> &'static [&'static str] {
        match self {
            Api::OAuth | Api::Consent => &[],
            Api::Payments => &["payments"],
            Api::Addresses => &["addresses"],
            Api::Prices => &["prices", "domestic-prices"],
            Api::Labels => &["labels"],
            Api::ScanForms => &["scan-forms", "scan-form"],
            Api::Pickup => &["pickup", "carrier-pickup"],
            Api::Tracking => &["tracking"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Api;

    #[test]
    fn paths_map_to_apis() {
        assert_eq!(Api::from_path("/labels/v3/label/92"), Some(Api::Labels));
        assert_eq!(Api::from_path("/oauth2/v3/token"), Some(Api::OAuth));
        assert_eq!(Api::from_path("/__sim/ledger"), None);
        assert_eq!(Api::Prices.version(), "/prices/v3");
    }
}
