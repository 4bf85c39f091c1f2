//! What shipping needs from storage, in domain types: [`PurchaseJournal`] (the purchase
//! attempts behind exactly-once buying), [`ShipmentStore`] (the labels), [`EndOfDayStore`]
//! (SCAN forms and pickups) and [`ShippingSetupStore`] (ship-from addresses and package presets;
//! the label layout is a [`crate::settings::SettingsStore`] value). [`super::ShippingService`]
//! depends on these traits only; the SQLite implementation, with all of its SQL, is in
//! `crate::store::sqlite`. A second backend implements these traits and nothing in the service
//! changes.
//!
//! Where a method says "one transaction", a backend must make its writes atomic and durable
//! together before returning: the exactly-once rules (docs/connection.md#purchase-journal)
//! depend on it.

use rust_decimal::Decimal;

use super::model::{
    Package, PackagePreset, PackagePresetInput, ShipFromAddress, ShipFromInput, ShipFromRemoval,
};
use super::model_shipments::{
    Pickup, PurchaseToCheck, ScanFormRecord, Shipment, ShipmentQuery, ShipmentStatus,
};
use crate::error::{AppError, AppResult};
use crate::orders::Address;
use crate::postage::{BoughtLabel, LabelDocument, LabelPayload};

/// The page size of [`ShipmentStore::shipments`] when the query sets none.
pub const DEFAULT_SHIPMENT_PAGE: u32 = 200;
/// The most labels one [`ShipmentStore::shipments`] page holds, whatever the query asks.
pub const MAX_SHIPMENT_PAGE: u32 = 1000;
/// How many SCAN forms [`EndOfDayStore::scan_forms`] lists.
pub const SCAN_FORM_HISTORY: u32 = 500;
/// How many pickups [`EndOfDayStore::pickups`] lists.
pub const PICKUP_HISTORY: u32 = 200;

/// One journaled label purchase, as [`PurchaseJournal`] keeps it.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub id: i64,
    pub order_id: i64,
    pub account_id: i64,
    /// The idempotency key every send of this attempt carries.
    pub key: String,
    /// The provider's request, exactly as first built.
    pub payload: LabelPayload,
    pub ship_from_id: Option<i64>,
    pub package: Package,
    pub address_choice: String,
    pub ship_to: Address,
    /// How many times the request went out; 0 means USPS never saw this attempt.
    pub sends: i64,
}

/// An attempt about to be journaled (see [`PurchaseJournal::record_intent`]).
#[derive(Debug, Clone, Copy)]
pub struct NewAttempt<'a> {
    pub order_id: i64,
    pub account_id: i64,
    pub key: &'a str,
    pub payload: &'a LabelPayload,
    pub mail_class: &'a str,
    pub ship_from_id: Option<i64>,
    pub package: &'a Package,
    pub address_choice: &'a str,
    pub ship_to: &'a Address,
    /// A second label for an order that has one was asked for.
    pub additional_label: bool,
}

/// What [`PurchaseJournal::record_intent`] found.
#[derive(Debug, Clone)]
pub enum Intent {
    /// The intent is committed: the request may be sent.
    Created(Attempt),
    /// An earlier attempt for the order is still open: it must be finished, not duplicated.
    Existing(Attempt),
    /// The order already has this label and no additional one was asked for; nothing written.
    AlreadyLabelled(ActiveLabel),
}

/// A label that still counts for its order (not voided, no refund requested).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveLabel {
    pub shipment_id: i64,
    pub tracking_number: String,
}

/// A label the provider sold, ready to be stored with the address it ships from.
#[derive(Debug, Clone)]
pub struct CommittedLabel {
    pub label: BoughtLabel,
    pub ship_from: Address,
}

/// What [`PurchaseJournal::take_lease`] found.
#[derive(Debug, Clone)]
pub enum Lease {
    /// This process owns the attempt now; here it is as it stands in the journal.
    Taken(Box<Attempt>),
    /// Another live Shipdesk (a second window, the CLI) owns it: leave it alone.
    HeldElsewhere,
    /// It is no longer open: finished or closed meanwhile.
    Closed,
}

/// The purchase journal: one row per attempt to buy a label, moving
/// `intent` → `sent` → `committed` → `printed`, or to `failed` when the provider refused (or the
/// user discarded it). An attempt in `intent` or `sent` is *open*; an order has at most one.
///
/// **One owner per attempt.** A process changes an open attempt only while it holds the
/// attempt's lease (this store's owner id, with an expiry): [`Self::record_intent`] creates an
/// attempt leased to its caller, [`Self::take_lease`] takes an existing one unless another live
/// process holds it. **Every transition is a compare-and-set** on the state, the send count the
/// caller last read and the lease; one that matches no row changes nothing and is an error
/// (CONFLICT), never a silent no-op — the caller must stop.
///
/// Every method that changes an attempt is its own committed transaction, durable when it
/// returns, so after a crash the journal says exactly how far each attempt got.
pub trait PurchaseJournal: Send + Sync {
    /// Journals a new attempt in state `intent`, leased to this store — unless the order has an
    /// open attempt ([`Intent::Existing`], nothing written) or an active label while
    /// `additional_label` is false ([`Intent::AlreadyLabelled`], nothing written). The checks and
    /// the insert are one transaction that excludes every other writer.
    fn record_intent(&self, new: &NewAttempt<'_>, now: &str) -> AppResult<Intent>;

    /// Takes the lease of an open attempt: free, already this store's, expired, or held by an
    /// owner whose process is gone. One transaction that excludes every other writer.
    fn take_lease(&self, attempt_id: i64) -> AppResult<Lease>;

    /// Gives the lease back (nothing happens when this store does not hold it).
    fn release_lease(&self, attempt_id: i64) -> AppResult<()>;

    /// The request may leave now: the attempt (open, sent `attempt.sends` times, leased to this
    /// store) moves to `sent` and counts one more send; returned as it now stands. From here
    /// on its outcome is unknown until an answer is stored.
    fn mark_sent(&self, attempt: &Attempt, now: &str) -> AppResult<Attempt>;

    /// Remembers why an attempt is not finished yet; it stays open ("needs review") to be
    /// re-sent with its key or discarded.
    fn note_open_error(&self, attempt: &Attempt, error: &AppError, now: &str) -> AppResult<()>;

    /// Closes an open attempt as `failed`, keeping the error: the provider refused its only
    /// send, it was never sent, or the user discarded it after the provider cancelled what its
    /// key made. The lease is released.
    fn close_failed(&self, attempt: &Attempt, error: &AppError, now: &str) -> AppResult<()>;

    /// Stores the label, moves the attempt to `committed` and marks the order shipped — one
    /// transaction. The label the provider sold for this attempt's key is stored whoever holds
    /// the lease, as long as the attempt is open; returns the existing shipment, with nothing
    /// written, when this attempt's label was stored already (by another process), and an error
    /// when the attempt was closed meanwhile (discarded: its key's label was cancelled).
    fn commit_label(&self, attempt: &Attempt, label: &CommittedLabel, now: &str) -> AppResult<i64>;

    /// Every open attempt, oldest first.
    fn unfinished(&self) -> AppResult<Vec<Attempt>>;

    /// One attempt, open or not.
    fn attempt(&self, attempt_id: i64) -> AppResult<Option<Attempt>>;

    /// The order's open attempt, if any.
    fn open_attempt(&self, order_id: i64) -> AppResult<Option<Attempt>>;

    /// Every open attempt with what the user needs to decide about it, oldest first.
    fn purchases_to_check(&self) -> AppResult<Vec<PurchaseToCheck>>;

    /// Stamps the labels printed (the first time only) and moves their `committed` attempts to
    /// `printed` — one transaction. Unknown ids are skipped.
    fn mark_printed(&self, shipment_ids: &[i64], now: &str) -> AppResult<()>;
}

/// The labels bought, with their orders' numbers.
pub trait ShipmentStore: Send + Sync {
    fn shipment(&self, id: i64) -> AppResult<Option<Shipment>>;

    /// The label with exactly this tracking number.
    fn shipment_by_tracking(&self, tracking_number: &str) -> AppResult<Option<Shipment>>;

    /// Labels matching every filter the query sets, newest first: `limit` of them (default
    /// [`DEFAULT_SHIPMENT_PAGE`], clamped to `1..=`[`MAX_SHIPMENT_PAGE`]) from `offset`.
    fn shipments(&self, query: &ShipmentQuery) -> AppResult<Vec<Shipment>>;

    /// The order's first label that still counts, if any.
    fn active_label(&self, order_id: i64) -> AppResult<Option<ActiveLabel>>;

    /// Stores what tracking said (`summary`, and the new status when it moved on) for a label
    /// that still counts; a voided label or one with a refund requested is left as it is.
    fn record_tracking(
        &self,
        shipment_id: i64,
        summary: Option<&str>,
        status: Option<ShipmentStatus>,
        now: &str,
    ) -> AppResult<()>;

    /// The label document as the provider returned it: `None` for an unknown shipment,
    /// `Some(None)` for a label stored without one. A document stored without its media type
    /// is a PDF.
    fn label_document(&self, shipment_id: i64) -> AppResult<Option<Option<LabelDocument>>>;

    /// Keeps a fresh copy of the label's document, replacing any stored one.
    fn replace_label_document(
        &self,
        shipment_id: i64,
        document: &LabelDocument,
        now: &str,
    ) -> AppResult<()>;
}

/// A SCAN form to keep (see [`EndOfDayStore::add_scan_form`]).
#[derive(Debug, Clone, Copy)]
pub struct NewScanForm<'a> {
    pub account_id: i64,
    pub ship_from_id: Option<i64>,
    pub manifest_number: &'a str,
    /// YYYY-MM-DD.
    pub mailing_date: &'a str,
    pub pdf: &'a [u8],
    /// Drawn by Shipdesk because the provider sent no image.
    pub rendered_locally: bool,
    /// The labels on the form.
    pub shipment_ids: &'a [i64],
}

/// A booked pickup to keep (see [`EndOfDayStore::add_pickup`]).
#[derive(Debug, Clone, Copy)]
pub struct NewPickup<'a> {
    pub account_id: i64,
    pub ship_from_id: i64,
    pub confirmation_number: &'a str,
    /// YYYY-MM-DD.
    pub pickup_date: &'a str,
    /// The version tag a later cancel quotes.
    pub etag: Option<&'a str>,
    pub package_count: u32,
    pub estimated_weight_lb: Decimal,
    pub package_location: &'a str,
}

/// The End of Day hand-over: SCAN forms with their PDFs, and carrier pickups.
pub trait EndOfDayStore: Send + Sync {
    /// Keeps the form and puts its labels on it — one transaction. Returns the form's id.
    fn add_scan_form(&self, form: &NewScanForm<'_>, now: &str) -> AppResult<i64>;

    /// The form with the tracking numbers of its labels.
    fn scan_form(&self, id: i64) -> AppResult<Option<ScanFormRecord>>;

    /// The last [`SCAN_FORM_HISTORY`] forms, newest first.
    fn scan_forms(&self) -> AppResult<Vec<ScanFormRecord>>;

    fn scan_form_pdf(&self, id: i64) -> AppResult<Option<Vec<u8>>>;

    /// Keeps a pickup as scheduled. Returns its id.
    fn add_pickup(&self, pickup: &NewPickup<'_>, now: &str) -> AppResult<i64>;

    fn pickup(&self, id: i64) -> AppResult<Option<Pickup>>;

    /// The last [`PICKUP_HISTORY`] pickups, newest first.
    fn pickups(&self) -> AppResult<Vec<Pickup>>;

    /// The version tag the provider last gave the pickup, if any.
    fn pickup_etag(&self, id: i64) -> AppResult<Option<String>>;

    fn mark_pickup_canceled(&self, id: i64, now: &str) -> AppResult<()>;
}

/// What [`ShippingSetupStore::update_ship_from`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipFromEdit {
    Updated,
    /// No such address, or it is archived.
    NotFound,
    /// A label purchase from this address is not finished; nothing written.
    PurchaseOpen,
}

/// What [`ShippingSetupStore::update_package_preset`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresetEdit {
    Updated,
    NotFound,
    /// Another preset has that name; nothing written.
    NameTaken,
}

/// What a shop sets up once: where it ships from and the boxes it uses. Archived ship-from
/// addresses are left out of every list and default; only [`Self::ship_from`] still finds them,
/// for the records that point at them.
pub trait ShippingSetupStore: Send + Sync {
    /// Every ship-from address not archived, the default first, then by nickname.
    fn ship_from_addresses(&self) -> AppResult<Vec<ShipFromAddress>>;

    /// The address `id`, archived or not.
    fn ship_from(&self, id: i64) -> AppResult<Option<ShipFromAddress>>;

    /// The default address, or else the oldest one; `None` when there is none.
    fn default_ship_from(&self) -> AppResult<Option<ShipFromAddress>>;

    /// Adds an address as given; it becomes the only default when `input.is_default` is set or
    /// it is the first — one transaction. Returns its id.
    fn add_ship_from(&self, input: &ShipFromInput, now: &str) -> AppResult<i64>;

    /// Replaces the nickname and address of `id` (and makes it the only default when
    /// `input.is_default`) — one transaction, refused while a purchase from it is unfinished.
    fn update_ship_from(
        &self,
        id: i64,
        input: &ShipFromInput,
        now: &str,
    ) -> AppResult<ShipFromEdit>;

    /// Deletes `id` when no purchase, label, SCAN form or pickup mentions it, else archives it;
    /// a removed default hands the default to the oldest remaining address — one transaction.
    /// `None` when there is no such address (or it is archived already).
    fn remove_ship_from(&self, id: i64, now: &str) -> AppResult<Option<ShipFromRemoval>>;

    /// Makes `id` the only default — one transaction. Returns whether it exists (not archived).
    fn set_default_ship_from(&self, id: i64) -> AppResult<bool>;

    /// Every preset, the default first, then by name.
    fn package_presets(&self) -> AppResult<Vec<PackagePreset>>;

    /// Adds a preset as given; `None`, with nothing written, when a preset has that name
    /// (names compare case-insensitively). It becomes the only default when asked or when it is
    /// the first. The check and the insert are one transaction.
    fn add_package_preset(&self, input: &PackagePresetInput, now: &str) -> AppResult<Option<i64>>;

    /// Replaces the preset's name, box and weight (and makes it the only default when asked) —
    /// one transaction.
    fn update_package_preset(&self, id: i64, input: &PackagePresetInput) -> AppResult<PresetEdit>;

    /// Makes `id` the only default preset — one transaction. Returns whether it exists.
    fn set_default_package_preset(&self, id: i64) -> AppResult<bool>;

    /// Returns whether the preset existed. A deleted default hands the default to the first
    /// remaining preset by name — one transaction.
    fn delete_package_preset(&self, id: i64) -> AppResult<bool>;
}
