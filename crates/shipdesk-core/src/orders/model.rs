//! The order as the app, the CLI and the store see it. Every type here crosses IPC, so each is
//! exported to TypeScript. Money and weights are exact decimals serialized as strings (never
//! floats); database ids are plain numbers in JSON.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where an order came from. Marketplaces are recognised by their export's columns; `file` is any
/// other spreadsheet imported through a column mapping; `manual` is typed into Shipdesk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SourceKind {
    Shopify,
    Etsy,
    Ebay,
    Amazon,
    Woocommerce,
    File,
    Manual,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Shopify => "shopify",
            SourceKind::Etsy => "etsy",
            SourceKind::Ebay => "ebay",
            SourceKind::Amazon => "amazon",
            SourceKind::Woocommerce => "woocommerce",
            SourceKind::File => "file",
            SourceKind::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "shopify" => SourceKind::Shopify,
            "etsy" => SourceKind::Etsy,
            "ebay" => SourceKind::Ebay,
            "amazon" => SourceKind::Amazon,
            "woocommerce" => SourceKind::Woocommerce,
            "file" => SourceKind::File,
            "manual" => SourceKind::Manual,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderSource {
    pub kind: SourceKind,
    /// The marketplace's own id for the order (Shopify's `Id`, Amazon's `order-id`…), if any.
    pub source_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderStatus {
    AwaitingShipment,
    Shipped,
    Cancelled,
    OnHold,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::AwaitingShipment => "awaiting_shipment",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::OnHold => "on_hold",
        }
    }

    /// Accepts the canonical spelling and the forms people type (`awaiting`, `on-hold`, `hold`).
    pub fn parse(s: &str) -> Option<Self> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Some(match norm.as_str() {
            "awaiting_shipment" | "awaiting" | "open" | "unshipped" => {
                OrderStatus::AwaitingShipment
            }
            "shipped" => OrderStatus::Shipped,
            "cancelled" | "canceled" => OrderStatus::Cancelled,
            "on_hold" | "hold" => OrderStatus::OnHold,
            _ => return None,
        })
    }
}

impl std::fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Address {
    pub name: String,
    pub company: Option<String>,
    pub street1: String,
    pub street2: Option<String>,
    pub city: String,
    /// In the US: the two-letter USPS code (states, DC, territories, military AA/AE/AP).
    /// Elsewhere: the province or region as written, possibly empty.
    pub state: String,
    /// In the US: the 5-digit ZIP Code. Elsewhere: the whole postal code as written (`K1A 0B1`),
    /// possibly empty.
    pub zip5: String,
    /// In the US only: the ZIP+4 add-on.
    pub zip4: Option<String>,
    /// ISO 3166-1 alpha-2. US territories are `US` (their state code says which). Shipdesk buys
    /// labels only for `US` addresses so far: an order elsewhere is kept and marked
    /// international, and buying its label is refused.
    pub country: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl Address {
    /// Whether the address is in the US (states, territories, military): USPS's domestic APIs.
    pub fn is_domestic(&self) -> bool {
        self.country == "US"
    }

    /// Whether a package to it carries a customs declaration: abroad, and to a military post
    /// office (APO/FPO/DPO, "states" AA, AE, AP), which USPS treats as leaving the US.
    pub fn needs_customs(&self) -> bool {
        !self.is_domestic() || matches!(self.state.trim(), "AA" | "AE" | "AP")
    }

    /// `12345` or `12345-6789`.
    pub fn zip(&self) -> String {
        match &self.zip4 {
            Some(z4) => format!("{}-{z4}", self.zip5),
            None => self.zip5.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LineItem {
    pub sku: Option<String>,
    pub title: String,
    pub quantity: u32,
    /// Dollars, exact, e.g. `"12.50"`; absent when the source has no price (some reports don't).
    #[ts(type = "string | null")]
    pub unit_price: Option<Decimal>,
    /// Ounces per unit, exact, e.g. `"24"` for 1.5 lb.
    #[ts(type = "string | null")]
    pub weight_oz: Option<Decimal>,
    /// The Harmonized System tariff number, when the source carries it (customs abroad).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hs_tariff: Option<String>,
    /// ISO alpha-2 of the country the item was made in, when the source carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub origin_country: Option<String>,
    /// ISO 4217 code of `unit_price` when the source says it is not US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub currency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Order {
    #[ts(type = "number")]
    pub id: i64,
    pub order_number: String,
    pub source: OrderSource,
    pub status: OrderStatus,
    pub ship_to: Address,
    pub items: Vec<LineItem>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub archived: bool,
    /// When the customer placed the order: RFC 3339 in UTC, or `YYYY-MM-DD` when the source gives
    /// only a date, or the source's text as written when it could not be read.
    pub ordered_at: Option<String>,
    /// RFC 3339, UTC: when Shipdesk first stored / last changed this order.
    pub created_at: String,
    pub updated_at: String,
}

/// What a person types into the order form (create and edit). Validated in core.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderInput {
    pub order_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<OrderStatus>,
    pub ship_to: Address,
    pub items: Vec<LineItem>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ArchivedFilter {
    /// Only orders that are not archived (the Orders page's default).
    #[default]
    Active,
    Archived,
    All,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderSort {
    #[default]
    OrderNumber,
    OrderedAt,
    Name,
    Status,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<OrderStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub archived: Option<ArchivedFilter>,
    /// Search as you type: every word must match the start of a word in the order number, name,
    /// company, address, SKUs or item titles. Punctuation and symbols are literal text, never
    /// search syntax; a search with no letters or numbers at all matches nothing (see
    /// [`OrderPage::nothing_to_search`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub search: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sort: Option<OrderSort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub descending: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub offset: Option<u32>,
    /// Page size; defaults to 100, at most 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderPage {
    pub orders: Vec<Order>,
    /// How many orders match the query in all (for the scroll bar of a virtualized table).
    pub total: u32,
    /// The search holds no letters or numbers to look for (`*`, `#`, `—`, an emoji), so it
    /// matched nothing: ask for some rather than report that no order matches.
    #[serde(default)]
    pub nothing_to_search: bool,
}
