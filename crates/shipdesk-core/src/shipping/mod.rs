//! Shipping: check the address, get rates, buy labels exactly once, print them, void them,
//! close the day with a SCAN form and book a carrier pickup.
//!
//! [`ShippingService`] is the one facade the app's commands and the CLI call. One lives per
//! [`crate::Desk`] (it holds the in-memory rate cache and the in-flight purchase guard).
//!
//! The heart is the purchase journal ([`PurchaseJournal`]): before a label request leaves,
//! an attempt row with its idempotency key and exact payload is committed; the label USPS
//! returns is stored in the same transaction that closes the attempt and marks the order
//! shipped. An attempt whose answer never arrived stays open and is re-sent with the same key —
//! USPS then returns the label it already made without charging again — by the next buy of
//! that order, a batch retry, or [`ShippingService::reconcile_unfinished`] at start-up.
//!
//! Storage is behind the narrow interfaces of `store.rs` ([`PurchaseJournal`], [`ShipmentStore`],
//! [`EndOfDayStore`], [`ShippingSetupStore`], and [`SettingsStore`] for the label layout) and of
//! `void_journal.rs` ([`VoidJournal`]: voids are journaled like purchases); the service holds
//! them and never SQL.

mod address_check;
mod batch;
mod customs;
mod documents;
mod end_of_day;
mod model;
mod model_shipments;
mod observer;
mod package;
mod pickup;
mod printer;
mod printing;
mod purchase;
mod rate_cache;
mod rates;
mod service_choice;
mod setup;
mod shipments;
mod store;
mod unfinished;
mod void;
mod void_journal;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use time::format_description::well_known::Rfc3339;

pub use crate::postage::{AccountId, AccountSummary};
pub use batch::{
    BatchAddresses, BatchHold, BatchInput, BatchOptions, BatchPreview, BatchPreviewLine,
    BatchServiceTotal, HoldReason, WeightSource,
};
pub use customs::{CustomsDraft, SkuCustoms, SkuCustomsBook};
pub use model::*;
pub use model_shipments::*;
pub use observer::{LogPurchaseSteps, PurchaseObserver, PurchaseStep, StepFuture};
pub use printer::{LpPrinter, Printer};
pub use printing::{DocumentKind, PrinterChoices, PrintingSetup, SystemPrinter};
pub use rate_cache::RATE_CACHE_TTL;
pub use service_choice::{recommended_flat_rate, recommended_service};
pub use store::{
    ActiveLabel, Attempt, CommittedLabel, DEFAULT_SHIPMENT_PAGE, EndOfDayStore, Intent, Lease,
    MAX_SHIPMENT_PAGE, NewAttempt, NewPickup, NewScanForm, PICKUP_HISTORY, PresetEdit,
    PurchaseJournal, SCAN_FORM_HISTORY, ShipFromEdit, ShipmentStore, ShippingSetupStore,
};
pub use void::{OpenVoid, VoidReconcileReport};
pub use void_journal::{VoidAttempt, VoidIntent, VoidJournal, VoidLease, VoidState};

use crate::error::{AppError, AppResult};
use crate::orders::OrderStore;
use crate::ports::Clock;
use crate::postage::PostageProvider;
use crate::settings::SettingsStore;

pub struct ShippingService {
    journal: Arc<dyn PurchaseJournal>,
    shipments: Arc<dyn ShipmentStore>,
    end_of_day: Arc<dyn EndOfDayStore>,
    setup: Arc<dyn ShippingSetupStore>,
    /// The label layout the user chose.
    settings: Arc<dyn SettingsStore>,
    customs_book: Arc<dyn SkuCustomsBook>,
    /// The orders labels are bought for.
    orders: Arc<dyn OrderStore>,
    /// Whoever sells the postage (USPS-direct: the connection service).
    pub(crate) postage: Arc<dyn PostageProvider>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) printer: Arc<dyn Printer>,
    pub(crate) rate_cache: rate_cache::RateCache,
    in_flight: Mutex<HashSet<i64>>,
    voids: Arc<dyn VoidJournal>,
    /// Labels being voided in this process right now.
    voids_in_flight: Mutex<HashSet<i64>>,
    /// Told of each step of every purchase.
    pub(crate) observer: Arc<dyn PurchaseObserver>,
    /// The desk's UTC offset, for "today" (ship dates, End of Day).
    local_offset: time::UtcOffset,
}

impl std::fmt::Debug for ShippingService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShippingService").finish_non_exhaustive()
    }
}

/// Holds an order's purchase slot; released on drop, even when the purchase future is dropped.
pub(crate) struct InFlight<'a> {
    set: &'a Mutex<HashSet<i64>>,
    order_id: i64,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.set
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.order_id);
    }
}

impl ShippingService {
    /// Built only by [`crate::desk::DeskBuilder`], once per desk, over a storage backend that
    /// keeps shipping's data, settings and orders (the SQLite store does).
    pub(crate) fn new<S>(
        store: Arc<S>,
        postage: Arc<dyn PostageProvider>,
        clock: Arc<dyn Clock>,
        printer: Arc<dyn Printer>,
        observer: Arc<dyn PurchaseObserver>,
        local_offset: time::UtcOffset,
    ) -> Self
    where
        S: PurchaseJournal
            + ShipmentStore
            + EndOfDayStore
            + ShippingSetupStore
            + SettingsStore
            + OrderStore
            + VoidJournal
            + SkuCustomsBook
            + 'static,
    {
        Self {
            customs_book: store.clone(),
            journal: store.clone(),
            voids: store.clone(),
            shipments: store.clone(),
            end_of_day: store.clone(),
            setup: store.clone(),
            settings: store.clone(),
            orders: store,
            postage,
            clock,
            printer,
            rate_cache: rate_cache::RateCache::default(),
            in_flight: Mutex::new(HashSet::new()),
            voids_in_flight: Mutex::new(HashSet::new()),
            observer,
            local_offset,
        }
    }

    pub(crate) fn now(&self) -> String {
        self.clock
            .now()
            .format(&Rfc3339)
            .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
    }

    /// Today's date where the desk is.
    pub(crate) fn today(&self) -> String {
        self.clock
            .now()
            .to_offset(self.local_offset)
            .date()
            .to_string()
    }

    /// Claims the order for one purchase in this process; `CONFLICT` while another runs.
    pub(crate) fn claim(&self, order_id: i64, order_number: &str) -> AppResult<InFlight<'_>> {
        let mut set = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        if !set.insert(order_id) {
            return Err(AppError::conflict(format!(
                "A label for order {order_number} is being bought right now; wait for it to finish"
            ))
            .with_details(crate::error::ErrorDetails::PurchaseInFlight { order_id }));
        }
        Ok(InFlight {
            set: &self.in_flight,
            order_id,
        })
    }

    /// Whether a purchase for the order is running in this process (the UI greys out Buy).
    pub fn purchase_in_flight(&self, order_id: i64) -> bool {
        self.in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&order_id)
    }

    pub(crate) fn account(&self, id: Option<AccountId>) -> AppResult<AccountSummary> {
        match id {
            Some(id) => self.postage.account(id),
            None => self.postage.default_account(),
        }
    }
}
