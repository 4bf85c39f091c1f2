//! The USPS resource APIs. Each submodule serves one API family; this module names them, knows
//! which scopes open each, and holds the small request-validation helpers they share.

pub mod addresses;
pub mod branding;
pub mod enums;
pub mod extra_rates;
pub mod geo;
pub mod indicia;
pub mod international;
pub mod label_build;
pub mod label_changes;
pub mod label_edits;
pub mod label_print;
pub mod labels;
pub mod letter_rates;
pub mod locations;
pub mod payments;
pub mod pickup;
pub mod pickup_request;
pub mod prices;
pub mod rate_lists;
pub mod return_labels;
pub mod scan_forms;
pub mod shipping_options;
pub mod tracking;
pub mod tracking_requests;
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
    Locations,
    ShippingOptions,
    InternationalPrices,
    InternationalLabels,
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
            "international-prices" => Api::InternationalPrices,
            "international-labels" => Api::InternationalLabels,
            "locations" => Api::Locations,
            "shipments" => Api::ShippingOptions,
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
            Api::InternationalPrices => "international-prices",
            Api::InternationalLabels => "international-labels",
            Api::Locations => "locations",
            Api::ShippingOptions => "shipments",
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
            Api::InternationalPrices => international::PRICES_V,
            Api::InternationalLabels => international::LABELS_V,
            Api::Locations => "/locations/v3",
            Api::ShippingOptions => "/shipments/v3",
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
            Api::InternationalPrices => &["international-prices"],
            Api::InternationalLabels => &["international-labels"],
            // The parcel-locker search names its own scope in the spec.
            Api::Locations => &["locations", "parcel-locker"],
            Api::ShippingOptions => &["shipments"],
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
