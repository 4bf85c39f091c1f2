//! The SQLite implementation of every area's storage interface, one module per area, each with
//! all of that area's SQL:
//!
//! | module | implements |
//! |---|---|
//! | `orders` | [`crate::orders::OrderStore`] (orders, items, tags, the FTS5 search index) |
//! | `mappings` | [`crate::orders::MappingStore`] (saved column mappings) |
//! | `settings` | [`crate::settings::SettingsStore`] (`app_settings`) |
//! | `accounts` | [`crate::carriers::AccountStore`] (`usps_accounts`) |
//! | `journal` | [`crate::shipping::PurchaseJournal`] (`purchase_attempts`, and the label rows it commits) |
//! | `shipments` | [`crate::shipping::ShipmentStore`] (`shipments`) |
//! | `end_of_day` | [`crate::shipping::EndOfDayStore`] (`scan_forms`, `pickups`) |
//! | `shipping_setup` | [`crate::shipping::ShippingSetupStore`] (`ship_from_addresses`, `package_presets`) |
//! | `void_journal` | [`crate::shipping::VoidJournal`] (`void_attempts`, and the label and order rows a finished void changes) |
//! | `reports` | [`crate::reports::ReportStore`] (reads `shipments` and `void_attempts`) |
//! | `endicia` | [`crate::carriers::endicia::RecreditJournal`] (`endicia_recredits`), [`crate::carriers::endicia::EndiciaPayers`] (Endicia rows of `usps_accounts`, `endicia_label_sends`) |
//!
//! Each implements its trait for [`Store`](super::Store), which owns the connections, the
//! pragmas and the migrations. Services hold the traits, never `Store` or SQL. A write that
//! spans areas (a label stored and its order marked shipped) runs in one transaction in the
//! module of the area that owns the write, through the other area's writer (`OrderWriter`).

mod accounts;
mod end_of_day;
mod endicia;
mod journal;
mod mappings;
mod orders;
mod reports;
mod settings;
mod shipments;
mod shipping_setup;
mod sku_customs;
mod void_journal;
