//! The types that cross the postage-provider seam: what a package is, which service to buy,
//! what a rate costs, what an address check found. They also cross IPC (exported to
//! TypeScript); money, weights and dimensions are exact decimals serialized as strings.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::orders::Address;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dimensions {
    #[ts(type = "string")]
    pub length_in: Decimal,
    #[ts(type = "string")]
    pub width_in: Decimal,
    #[ts(type = "string")]
    pub height_in: Decimal,
}

/// What is being shipped: weight in ounces and outer dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Package {
    #[ts(type = "string")]
    pub weight_oz: Decimal,
    pub dimensions: Dimensions,
}

impl Package {
    /// USPS takes pounds.
    pub fn weight_lb(&self) -> f64 {
        to_f64(self.weight_oz / Decimal::from(16))
    }
}

pub(crate) fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

/// How USPS names a mail class (`PRIORITY_MAIL`) on a label and in the shipment list,
/// whoever sold the label.
pub fn service_name(mail_class: &str) -> String {
    match mail_class {
        "PRIORITY_MAIL_EXPRESS" => "Priority Mail Express".into(),
        "PRIORITY_MAIL" => "Priority Mail".into(),
        "USPS_GROUND_ADVANTAGE" => "USPS Ground Advantage".into(),
        "FIRST-CLASS_MAIL" => "First-Class Mail".into(),
        "PARCEL_SELECT" => "Parcel Select".into(),
        "MEDIA_MAIL" => "Media Mail".into(),
        "LIBRARY_MAIL" => "Library Mail".into(),
        "BOUND_PRINTED_MATTER" => "Bound Printed Matter".into(),
        "USPS_RETAIL_GROUND" => "USPS Retail Ground".into(),
        "PRIORITY_MAIL_EXPRESS_INTERNATIONAL" => "Priority Mail Express International".into(),
        "PRIORITY_MAIL_INTERNATIONAL" => "Priority Mail International".into(),
        "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE" => {
            "First-Class Package International Service".into()
        }
        other => other.replace('_', " "),
    }
}

/// USPS money (JSON numbers) as exact cents.
pub(crate) fn money(value: f64) -> Decimal {
    let mut cents = Decimal::from_f64_retain(value)
        .unwrap_or_default()
        .round_dp(2);
    cents.rescale(2);
    cents
}

/// Whether USPS can deliver to an address, from the addresses API's DPV confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Deliverable {
    /// DPV `Y`: primary and secondary numbers confirmed.
    Yes,
    /// No match, DPV `N`, or a phantom carrier route.
    No,
    /// Matched but not fully confirmed (DPV `D` secondary missing, `S` secondary unconfirmed),
    /// or USPS gave no DPV answer.
    Unknown,
    /// Not checked: no USPS account to ask (labels paid from Endicia, which checks no
    /// address). The message says why; the address is used as entered.
    NotChecked,
}

/// One field where USPS's standardized address differs from what was entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldDifference {
    /// `street1`, `street2`, `city`, `state`, `zip5`, `zip4`.
    pub field: String,
    pub entered: Option<String>,
    pub suggested: Option<String>,
}

/// USPS's verdict on an address, side by side with what was entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AddressCheck {
    pub as_entered: Address,
    /// `None` when USPS found no match.
    pub standardized: Option<Address>,
    /// Field-by-field differences (ignoring case and spacing).
    pub differences: Vec<FieldDifference>,
    /// What USPS's correction and match codes and warnings mean for the person shipping, in
    /// plain words (e.g. "Add the apartment or suite number: USPS knows several units here.").
    pub corrections: Vec<String>,
    /// The same notes as USPS sent them ("32: Default address: …"), for the Details view and
    /// the log.
    pub usps_notes: Vec<String>,
    pub deliverable: Deliverable,
    /// DPV confirmation code as USPS sent it (Y, D, S, N).
    pub dpv_confirmation: Option<String>,
    pub carrier_route: Option<String>,
    /// Business address (USPS's `business` flag), when known.
    pub business: Option<bool>,
    pub vacant: Option<bool>,
    /// USPS's sentence when there was no match.
    pub message: Option<String>,
}

impl AddressCheck {
    /// No check was made (`why` says why): the address prints as entered.
    pub fn not_checked(address: &Address, why: &str) -> Self {
        AddressCheck {
            as_entered: address.clone(),
            standardized: None,
            differences: Vec::new(),
            corrections: Vec::new(),
            usps_notes: Vec::new(),
            deliverable: Deliverable::NotChecked,
            dpv_confirmation: None,
            carrier_route: None,
            business: None,
            vacant: None,
            message: Some(why.to_owned()),
        }
    }
}

/// The service to buy, as a rate row names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateChoice {
    /// USPS mail class, e.g. `USPS_GROUND_ADVANTAGE`, `PRIORITY_MAIL`.
    pub mail_class: String,
    /// e.g. `SP` (single piece), `FS` (small flat-rate box).
    pub rate_indicator: String,
    /// e.g. `MACHINABLE`, `NONSTANDARD`.
    pub processing_category: String,
}

impl RateChoice {
    /// A single-piece machinable parcel of `mail_class`: what `--service CLASS` means.
    pub fn single_piece(mail_class: &str) -> Self {
        let class = mail_class.trim().to_ascii_uppercase().replace('-', "_");
        // USPS spells its First-Class products with a hyphen.
        let class = match class.strip_prefix("FIRST_CLASS") {
            Some(rest) => format!("FIRST-CLASS{rest}"),
            None => class,
        };
        Self {
            mail_class: class,
            rate_indicator: "SP".into(),
            processing_category: "MACHINABLE".into(),
        }
    }
}

/// One service USPS offers for a package, with its prices side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateQuote {
    pub choice: RateChoice,
    /// USPS's product name, e.g. "Priority Mail".
    pub product_name: String,
    pub description: Option<String>,
    /// "01".."09".
    pub zone: Option<String>,
    #[ts(type = "string | null")]
    pub retail: Option<Decimal>,
    #[ts(type = "string | null")]
    pub commercial: Option<Decimal>,
    /// The account's negotiated (contract / NSA) price, when the account has one.
    #[ts(type = "string | null")]
    pub contract: Option<Decimal>,
    /// USPS answered "Contract rate not found for request. Published rate returned.": the
    /// `contract` column then holds the published price, not a negotiated one.
    pub contract_rate_not_found: bool,
    /// What a label bought now will cost: commercial, else retail (see `rates.rs` on why not the
    /// contract price).
    #[ts(type = "string | null")]
    pub price: Option<Decimal>,
    /// USPS's published service standard for the class (e.g. "1-3 days"); the prices API
    /// gives no per-package commitment, the label's own commitment is kept on the shipment.
    pub delivery_days: Option<String>,
    /// USPS warnings on this rate, as text.
    pub warnings: Vec<String>,
    /// What the shop packs the shipment in for this rate. This and the two fields below are the
    /// shipping policy's reading of the quote (`shipping::service_choice::annotate`); a postage
    /// provider fills them in as `Other`, `false`, `None`.
    pub packaging: QuotePackaging,
    /// Whether the package fits this rate's packaging (always true for the shop's own box).
    pub fits_package: bool,
    /// Who or what may use this service, when not everyone may (Media Mail, Parcel Select, …).
    pub restriction: Option<String>,
}

/// The packaging a rate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum QuotePackaging {
    /// The shop's own box or envelope, priced by its weight and size.
    Own,
    /// A USPS flat-rate envelope or box: the shop must ship in that USPS product.
    FlatRate,
    /// Anything else (soft-pack tiers, letters, flats, regional boxes): chosen only by hand.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PickupPackageCount {
    /// USPS pickup package type: PRIORITY_MAIL, USPS_GROUND_ADVANTAGE, PRIORITY_MAIL_EXPRESS,
    /// OTHER, ...
    pub package_type: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PickupEligibility {
    pub eligible: bool,
    /// USPS's standardized pickup address when eligible.
    pub address: Option<Address>,
    pub message: Option<String>,
}
