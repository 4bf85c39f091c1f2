//! The plain data the renderers take. Callers (core services, the CLI, the app) fill these from
//! their own records; everything here is already formatted text, so this crate makes no decisions
//! about money, weights or addresses — it only lays them out.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Everything printed on one shipping label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSpec {
    /// Digits only, e.g. "9405511899223197428490". Spaces are tolerated and dropped.
    pub tracking_number: String,
    /// Printed in the service banner, e.g. "USPS GROUND ADVANTAGE".
    pub service_name: String,
    /// Sender address, one printed line per entry.
    pub from_address: Vec<String>,
    /// Recipient address, one printed line per entry.
    pub to_address: Vec<String>,
    /// Destination ZIP (first five digits); drawn as the "420" + ZIP routing barcode.
    pub to_zip5: String,
    /// Formatted weight, e.g. "1 lb 4 oz".
    pub weight: String,
    /// Formatted postage, e.g. "$8.50"; `None` leaves the postage line off.
    pub postage: Option<String>,
    /// Formatted ship date, e.g. "2026-11-21".
    pub ship_date: String,
    /// USPS zone, e.g. "5"; `None` leaves it off.
    pub zone: Option<String>,
    /// Labels not bought from real USPS (sandbox, simulator) carry a "SAMPLE" banner.
    pub sample: bool,
}

/// How labels are arranged on paper.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PageLayout {
    /// One label per 4 x 6 in page (288 x 432 pt), for thermal printers.
    #[default]
    FourBySix,
    /// US Letter (612 x 792 pt), two labels per page, top and bottom halves.
    LetterTwoUp,
}

impl PageLayout {
    /// The command-line / settings spelling: "4x6" or "letter".
    pub fn as_str(self) -> &'static str {
        match self {
            PageLayout::FourBySix => "4x6",
            PageLayout::LetterTwoUp => "letter",
        }
    }
}

impl fmt::Display for PageLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for an unknown page layout name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown label format {0:?}; expected \"4x6\" or \"letter\"")]
pub struct UnknownPageLayout(pub String);

impl FromStr for PageLayout {
    type Err = UnknownPageLayout;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "4x6" | "fourbysix" => Ok(PageLayout::FourBySix),
            "letter" | "lettertwoup" => Ok(PageLayout::LetterTwoUp),
            _ => Err(UnknownPageLayout(s.to_string())),
        }
    }
}

/// One order's packing slip.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackingSlip {
    pub order_number: String,
    pub order_date: String,
    pub ship_to: Vec<String>,
    pub ship_from: Vec<String>,
    pub items: Vec<PackingSlipItem>,
    /// Free text for the buyer (gift message, thank-you note); `None` leaves the box off.
    pub note: Option<String>,
}

/// One line of a packing slip.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackingSlipItem {
    pub sku: String,
    pub title: String,
    pub quantity: u32,
}

/// A SCAN form (PS Form 5630-style shipment confirmation acceptance notice).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanFormSpec {
    /// The SCAN form's own barcode number (as USPS or the simulator returned it).
    pub form_id: String,
    pub mailer_name: String,
    pub from_address: Vec<String>,
    pub date: String,
    pub packages: Vec<ScanFormPackage>,
}

/// One package listed on a SCAN form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanFormPackage {
    pub tracking_number: String,
    pub service_name: String,
    pub weight: String,
}
