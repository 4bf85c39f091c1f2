//! The shipping types the app, the CLI and the store share: ship-from addresses, packages,
//! address checks and rates. Every type here crosses IPC and is exported to TypeScript; money,
//! weights and dimensions are exact decimals serialized as strings, never floats.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::orders::Address;

pub use crate::postage::model::{
    AddressCheck, Deliverable, Dimensions, FieldDifference, Package, PickupEligibility,
    PickupPackageCount, QuotePackaging, RateChoice, RateQuote,
};

/// A saved place labels are shipped from (a shop may have several: store, warehouse, home).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShipFromAddress {
    #[ts(type = "number")]
    pub id: i64,
    /// What the user calls it in pickers, e.g. "Warehouse".
    pub nickname: String,
    pub address: Address,
    pub is_default: bool,
}

/// The ship-from form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShipFromInput {
    pub nickname: String,
    pub address: Address,
    #[serde(default)]
    pub is_default: bool,
}

/// A box the shop uses often, with its dimensions and (optionally) a usual weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackagePreset {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub dimensions: Dimensions,
    #[ts(type = "string | null")]
    pub weight_oz: Option<Decimal>,
    /// The box a new shipment starts with (at most one preset; the first one saved until the
    /// user picks another).
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PackagePresetInput {
    pub name: String,
    pub dimensions: Dimensions,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub weight_oz: Option<Decimal>,
    /// Make this the default preset (the first preset saved becomes it anyway).
    #[serde(default)]
    #[ts(optional)]
    pub is_default: Option<bool>,
}

/// What removing a ship-from address did: an address no label, SCAN form or pickup mentions is
/// deleted; one they mention is archived — hidden from every picker and list, kept for those
/// records (a label also keeps its own copy of the address it was bought from).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ShipFromRemoval {
    Deleted,
    Archived,
}

/// Inches.
/// How labels are laid out when Shipdesk prints them: one per 4x6 page (thermal printers) or
/// two per US Letter page. Remembered in settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum LabelLayout {
    #[default]
    #[serde(rename = "4x6")]
    FourBySix,
    #[serde(rename = "letter")]
    Letter,
}

impl LabelLayout {
    pub fn as_str(self) -> &'static str {
        match self {
            LabelLayout::FourBySix => "4x6",
            LabelLayout::Letter => "letter",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "4x6" => Some(LabelLayout::FourBySix),
            "letter" | "8.5x11" => Some(LabelLayout::Letter),
            _ => None,
        }
    }

    pub(crate) fn page_layout(self) -> labels::PageLayout {
        match self {
            LabelLayout::FourBySix => labels::PageLayout::FourBySix,
            LabelLayout::Letter => labels::PageLayout::LetterTwoUp,
        }
    }
}

/// Which recipient address goes on the label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "choice", rename_all = "snake_case")]
#[ts(export)]
pub enum ShipToChoice {
    /// The order's address exactly as entered.
    #[default]
    AsEntered,
    /// USPS's standardized suggestion (from an [`AddressCheck`]), accepted by the user.
    Standardized { address: Box<Address> },
}

impl ShipToChoice {
    pub fn as_str(&self) -> &'static str {
        match self {
            ShipToChoice::AsEntered => "as_entered",
            ShipToChoice::Standardized { .. } => "standardized",
        }
    }
}

/// Every eligible service for one package between two ZIP codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RatesAnswer {
    pub origin_zip: String,
    /// ISO alpha-2; `US` at home.
    pub destination_country: String,
    /// The ZIP Code at home, the postal code abroad.
    pub destination_zip: String,
    pub package: Package,
    /// Cheapest first.
    pub quotes: Vec<RateQuote>,
    /// The service to preselect for the shop's own box (see `shipping::service_choice`);
    /// `None` when no quote is a safe default and the user must choose.
    pub recommended: Option<RateChoice>,
    /// The cheapest USPS flat-rate product the package fits, for a shop shipping in USPS
    /// flat-rate packaging.
    pub recommended_flat_rate: Option<RateChoice>,
    /// Whether contract prices were asked for (the account has an EPS account to price against).
    pub contract_requested: bool,
    /// Why contract prices are missing when they were asked for (USPS refused the search).
    pub contract_unavailable: Option<String>,
    /// Whether the account holds a contract: "You pay" is then its contract price for every
    /// service USPS quoted one for (the commercial price for the others).
    pub contract_prices: bool,
    /// True when this answer came from the cache instead of a new USPS call.
    pub from_cache: bool,
    /// The account the postage is paid from (its nickname, e.g. "Endicia 2500123").
    pub paid_from: String,
}

/// The rates view for one order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderRates {
    #[ts(type = "number")]
    pub order_id: i64,
    pub order_number: String,
    pub package: Package,
    pub rates: Option<RatesAnswer>,
    /// Why there are no rates for this order.
    pub error: Option<crate::error::AppError>,
}
