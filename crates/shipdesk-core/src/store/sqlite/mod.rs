//! The SQLite implementation of every area's storage interface, one module per area, each with
//! all of that area's SQL:
//!
//! | module | implements |
//! |---|---|
//! | `orders` | [`crate::orders::OrderStore`] (orders, items, tags, the FTS5 search index) |
//! | `mappings` | [`crate::orders::MappingStore`] (saved column mappings) |
//! | `settings` | [`crate::settings::SettingsStore`] (`app_settings`) |
//! | `accounts` | [`crate::carriers::AccountStore`] (`usps_accounts`) |
//!
//! Each implements its trait for [`Store`](super::Store), which owns the connections, the
//! pragmas and the migrations. Services hold the traits, never `Store` or SQL.

mod accounts;
mod mappings;
mod orders;
mod settings;

pub(crate) use orders::OrderWriter;
