//! Every call the client makes, named once. The retry rule, the API family (for call counters
//! and required scopes) and the error classification all key off [`Operation`], so "which call"
//! is a value that tests can pass to the pure classifier.

use std::fmt;

/// API families as USPS meters and scopes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Api {
    OAuth,
    Addresses,
    Prices,
    Payments,
    Labels,
    ScanForms,
    CarrierPickup,
    Tracking,
    InternationalPrices,
    InternationalLabels,
}

/// How many API families there are.
pub(crate) const API_COUNT: usize = 10;

impl Api {
    pub const ALL: [Api; API_COUNT] = [
        Api::OAuth,
        Api::Addresses,
        Api::Prices,
        Api::Payments,
        Api::Labels,
        Api::ScanForms,
        Api::CarrierPickup,
        Api::Tracking,
        Api::InternationalPrices,
        Api::InternationalLabels,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Api::OAuth => "oauth2",
            Api::Addresses => "addresses",
            Api::Prices => "prices",
            Api::Payments => "payments",
            Api::Labels => "labels",
            Api::ScanForms => "scan-forms",
            Api::CarrierPickup => "carrier-pickup",
            Api::Tracking => "tracking",
            Api::InternationalPrices => "international-prices",
            Api::InternationalLabels => "international-labels",
        }
    }

    /// Scope strings that grant this API. Specs and real tokens disagree on several names
    /// (`prices` vs `domestic-prices`, `pickup` vs `carrier-pickup`, `scan-forms` vs `scan-form`),
    /// so any of them counts.
    pub fn scopes(self) -> &'static [&'static str] {
        match self {
            Api::OAuth => &[],
            Api::Addresses => &["addresses"],
            Api::Prices => &["prices", "domestic-prices"],
            Api::Payments => &["payments"],
            Api::Labels => &["labels"],
            Api::ScanForms => &["scan-forms", "scan-form"],
            Api::CarrierPickup => &["pickup", "carrier-pickup"],
            Api::Tracking => &["tracking"],
            Api::InternationalPrices => &["international-prices"],
            Api::InternationalLabels => &["international-labels"],
        }
    }

    pub(crate) fn index(self) -> usize {
        Api::ALL.iter().position(|a| *a == self).expect("listed")
    }
}

/// How safe it is to send the same request again when the first answer was lost or transient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetrySafety {
    /// Reads, searches and token calls: repeating changes nothing a user would notice.
    Safe,
    /// A mutation carrying `X-Idempotency-Key`: USPS returns the first result for a repeat.
    IdempotencyKey,
    /// A mutation without protection: only a request that provably never left is repeated.
    Unsafe,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    Token,
    Revoke,
    AddressValidate,
    CityState,
    BaseRates,
    BaseRatesList,
    TotalRates,
    PaymentAuthorization,
    PaymentAccount,
    LabelCreate,
    LabelCancel,
    LabelCancelByIdempotencyKey,
    LabelReprint,
    ScanFormCreate,
    PickupEligibility,
    PickupCreate,
    PickupGet,
    PickupCancel,
    Tracking,
    IntlBaseRatesList,
    IntlLabelCreate,
    IntlLabelCancel,
    IntlLabelCancelByIdempotencyKey,
}

impl Operation {
    pub fn api(self) -> Api {
        use Operation::*;
        match self {
            Token | Revoke => Api::OAuth,
            AddressValidate | CityState => Api::Addresses,
            BaseRates | BaseRatesList | TotalRates => Api::Prices,
            PaymentAuthorization | PaymentAccount => Api::Payments,
            LabelCreate | LabelCancel | LabelCancelByIdempotencyKey | LabelReprint => Api::Labels,
            ScanFormCreate => Api::ScanForms,
            PickupEligibility | PickupCreate | PickupGet | PickupCancel => Api::CarrierPickup,
            Tracking => Api::Tracking,
            IntlBaseRatesList => Api::InternationalPrices,
            IntlLabelCreate | IntlLabelCancel | IntlLabelCancelByIdempotencyKey => {
                Api::InternationalLabels
            }
        }
    }

    pub fn retry_safety(self) -> RetrySafety {
        use Operation::*;
        match self {
            Token | AddressValidate | CityState | BaseRates | BaseRatesList | TotalRates
            | PaymentAuthorization | PaymentAccount | PickupEligibility | PickupGet | Tracking
            | IntlBaseRatesList => RetrySafety::Safe,
            LabelCreate | IntlLabelCreate => RetrySafety::IdempotencyKey,
            // Revoke is harmless to repeat but its failure is not worth a retry loop; cancels,
            // reprints (limited to 3), SCAN forms and pickups change state on every call.
            Revoke
            | LabelCancel
            | LabelCancelByIdempotencyKey
            | IntlLabelCancel
            | IntlLabelCancelByIdempotencyKey
            | LabelReprint
            | ScanFormCreate
            | PickupCreate
            | PickupCancel => RetrySafety::Unsafe,
        }
    }

    /// Label calls carry the payment authorization token; a 401 may mean either token is stale.
    pub fn needs_payment_token(self) -> bool {
        matches!(self.api(), Api::Labels | Api::InternationalLabels)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}
