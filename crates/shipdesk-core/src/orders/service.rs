//! [`OrdersService`]: what the app's Tauri commands and the CLI call. Each method validates its
//! input, talks to storage through [`OrderStore`] and [`MappingStore`] (never SQL), and returns
//! either a value or an [`AppError`] whose code the UI can branch on.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;

use super::SourceKind;
use super::store::{MappingStore, OrderStore};
use super::validate::{into_error, validate_order};
use super::{Order, OrderData, OrderInput, OrderPage, OrderQuery, OrderSource, OrderStatus};
use crate::error::{AppError, AppResult};
use crate::orders::import::{
    self, ColumnMapping, ImportOptions, ImportPhase, ImportPreview, ImportSummary, Progress,
    SkippedOrder,
};
use crate::ports::Clock;

/// How many rows the import dialog previews.
pub const PREVIEW_ROWS: usize = 20;

/// One per desk (see [`crate::desk::DeskBuilder`]).
pub struct OrdersService {
    orders: Arc<dyn OrderStore>,
    mappings: Arc<dyn MappingStore>,
    clock: Arc<dyn Clock>,
}

/// Identifies the content of an imported order, to tell "changed in the file" from "same again".
fn fingerprint(data: &OrderData) -> String {
    let json = serde_json::to_vec(data).unwrap_or_default();
    let digest = Sha256::digest(&json);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

impl OrdersService {
    /// Over a storage backend that keeps both orders and column mappings (the SQLite
    /// [`crate::store::Store`] does). Built only by the desk's composition root (and unit tests).
    pub(crate) fn new<S: OrderStore + MappingStore + 'static>(
        store: &Arc<S>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            orders: store.clone(),
            mappings: store.clone(),
            clock,
        }
    }

    fn now(&self) -> String {
        self.clock
            .now()
            .format(&Rfc3339)
            .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
    }

    fn resolve_mapping(&self, options: &ImportOptions) -> AppResult<Option<ColumnMapping>> {
        match options.mapping.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => {
                self.mappings.mapping(name)?.map(Some).ok_or_else(|| {
                    AppError::not_found(format!(
                        "There is no saved column mapping named \"{name}\""
                    ))
                })
            }
            _ => Ok(options.column_mapping.clone()),
        }
    }

    /// Imports a CSV/TSV export. All of it is written in one transaction: on an error or a
    /// cancellation (`cancel` set from another thread), nothing is changed.
    pub fn import_file(
        &self,
        path: &Path,
        options: &ImportOptions,
        mut progress: impl FnMut(Progress),
        cancel: &AtomicBool,
    ) -> AppResult<ImportSummary> {
        let mapping = self.resolve_mapping(options)?;
        let parsed = import::parse_file(
            path,
            mapping.as_ref(),
            options.limits(),
            &mut progress,
            cancel,
        )?;
        let total = parsed.orders.len() as u64;
        let mut summary = ImportSummary {
            format: parsed.format,
            mapping: mapping.map(|m| m.name).filter(|n| !n.trim().is_empty()),
            encoding: parsed.encoding.to_owned(),
            rows: parsed.rows,
            new: 0,
            updated: 0,
            unchanged: 0,
            skipped: 0,
            invalid: parsed.invalid,
            problems: parsed.problems,
            warnings: parsed.warnings,
            skipped_orders: Vec::new(),
        };
        self.orders.write(&self.now(), |w| {
            w.expect_bulk_load(parsed.orders.len())?;
            for (i, order) in parsed.orders.iter().enumerate() {
                if i % 500 == 0 {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(import::cancelled());
                    }
                    progress(Progress {
                        phase: ImportPhase::Saving,
                        rows_done: i as u64,
                        rows_total_estimate: total,
                    });
                }
                let data = &order.data;
                let print = fingerprint(data);
                match w.find_by_source(data.source.kind, data.source_key())? {
                    None => {
                        w.insert(data, Some(&print))?;
                        summary.new += 1;
                    }
                    Some(existing) if existing.status == OrderStatus::Shipped => {
                        summary.skipped += 1;
                        summary.skipped_orders.push(SkippedOrder {
                            line: order.line,
                            order_number: data.order_number.clone(),
                            reason: "already shipped in Shipdesk; left unchanged".to_owned(),
                        });
                    }
                    Some(existing) if existing.import_fingerprint.as_deref() == Some(&print) => {
                        summary.unchanged += 1;
                    }
                    Some(existing) => {
                        w.replace(existing.id, data, Some(&print))?;
                        summary.updated += 1;
                    }
                }
            }
            if cancel.load(Ordering::Relaxed) {
                return Err(import::cancelled());
            }
            progress(Progress {
                phase: ImportPhase::Saving,
                rows_done: total,
                rows_total_estimate: total,
            });
            Ok(())
        })?;
        Ok(summary)
    }

    /// What the file is and what its first rows would import as, with `mapping` if given.
    /// Bounded whatever the file holds: see [`import::PREVIEW_MAX_BYTES`].
    pub fn preview_file(
        &self,
        path: &Path,
        mapping: Option<&ColumnMapping>,
    ) -> AppResult<ImportPreview> {
        import::preview_file(path, mapping, import::ImportLimits::default(), PREVIEW_ROWS)
    }

    pub fn save_mapping(&self, mapping: &ColumnMapping) -> AppResult<()> {
        let mapping = ColumnMapping {
            name: super::text::line(&mapping.name),
            ..mapping.clone()
        };
        if mapping.name.is_empty() {
            return Err(AppError::validation("Give the column mapping a name"));
        }
        self.mappings.save_mapping(&mapping, &self.now())
    }

    pub fn list_mappings(&self) -> AppResult<Vec<ColumnMapping>> {
        self.mappings.mappings()
    }

    pub fn delete_mapping(&self, name: &str) -> AppResult<()> {
        if self.mappings.delete_mapping(name)? {
            Ok(())
        } else {
            Err(AppError::not_found(format!(
                "There is no saved column mapping named \"{name}\""
            )))
        }
    }

    pub fn list(&self, query: &OrderQuery) -> AppResult<OrderPage> {
        self.orders.list(query)
    }

    pub fn get(&self, id: i64) -> AppResult<Order> {
        self.orders
            .order(id)?
            .ok_or_else(|| AppError::not_found(format!("There is no order with id {id}")))
    }

    /// By order number as people type it: `#1001` and `1001` both find Shopify's `#1001`.
    /// When two sources share a number, the most recently added order is returned.
    pub fn get_by_number(&self, number: &str) -> AppResult<Order> {
        let n = number.trim();
        let mut found = self.orders.orders_by_number(n)?;
        if found.is_empty() {
            let other = match n.strip_prefix('#') {
                Some(bare) => bare.to_owned(),
                None => format!("#{n}"),
            };
            found = self.orders.orders_by_number(&other)?;
        }
        found
            .into_iter()
            .next()
            .ok_or_else(|| AppError::not_found(format!("There is no order number {n}")))
    }

    /// By the marketplace's own order id (the newest when two sources share one).
    pub(crate) fn by_source_id(&self, source_id: &str) -> AppResult<Option<Order>> {
        Ok(self
            .orders
            .orders_by_source_id(source_id)?
            .into_iter()
            .next())
    }

    /// A new order typed into the form.
    pub fn create(&self, input: OrderInput) -> AppResult<Order> {
        let valid = validate_order(input).map_err(into_error)?;
        let data = OrderData {
            order_number: valid.order_number,
            source: OrderSource {
                kind: SourceKind::Manual,
                source_id: None,
            },
            status: valid.status.unwrap_or(OrderStatus::AwaitingShipment),
            ship_to: valid.ship_to,
            items: valid.items,
            tags: valid.tags,
            notes: valid.notes,
            ordered_at: Some(self.now()),
        };
        self.orders.write(&self.now(), |w| {
            if w.find_by_source(SourceKind::Manual, data.source_key())?
                .is_some()
            {
                return Err(AppError::conflict(format!(
                    "An order numbered {} already exists",
                    data.order_number
                )));
            }
            let id = w.insert(&data, None)?;
            w.load(id)?
                .ok_or_else(|| AppError::not_found("The new order vanished"))
        })
    }

    /// Saves the order form over order `id`. Shipped orders cannot change (their label is
    /// bought); an imported order keeps its number, which is how re-imports find it.
    pub fn update(&self, id: i64, input: OrderInput) -> AppResult<Order> {
        let valid = validate_order(input).map_err(into_error)?;
        self.orders.write(&self.now(), |w| {
            let current = w
                .load(id)?
                .ok_or_else(|| AppError::not_found(format!("There is no order with id {id}")))?;
            if current.status == OrderStatus::Shipped {
                return Err(AppError::conflict(format!(
                    "Order {} has already shipped and can no longer be edited",
                    current.order_number
                )));
            }
            let imported = current.source.kind != SourceKind::Manual;
            if imported && valid.order_number != current.order_number {
                return Err(into_error(vec![super::FieldProblem::new(
                    "order_number",
                    "the order number of an imported order cannot be changed",
                )]));
            }
            if !imported
                && valid.order_number != current.order_number
                && w.find_by_source(SourceKind::Manual, &valid.order_number)?
                    .is_some()
            {
                return Err(AppError::conflict(format!(
                    "An order numbered {} already exists",
                    valid.order_number
                )));
            }
            let data = OrderData {
                order_number: valid.order_number,
                source: current.source.clone(),
                status: valid.status.unwrap_or(current.status),
                ship_to: valid.ship_to,
                items: valid.items,
                tags: valid.tags.clone(),
                notes: valid.notes,
                ordered_at: current.ordered_at.clone(),
            };
            w.replace(id, &data, None)?;
            w.replace_tags(id, &valid.tags)?;
            w.load(id)?
                .ok_or_else(|| AppError::not_found("The order vanished"))
        })
    }

    /// Archives (or brings back) orders; returns how many changed. Unknown ids are an error and
    /// then nothing changes.
    pub fn archive(&self, ids: &[i64], archived: bool) -> AppResult<u32> {
        self.orders.write(&self.now(), |w| {
            let mut changed = 0;
            for &id in ids {
                if !w.exists(id)? {
                    return Err(AppError::not_found(format!(
                        "There is no order with id {id}"
                    )));
                }
                changed += w.set_archived(id, archived)? as u32;
            }
            Ok(changed)
        })
    }

    /// Adds and removes tags on many orders at once.
    pub fn set_tags(&self, ids: &[i64], add: &[String], remove: &[String]) -> AppResult<()> {
        let add: Vec<String> = add.iter().map(|t| super::text::line(t)).collect();
        let remove: Vec<String> = remove.iter().map(|t| super::text::line(t)).collect();
        self.orders.write(&self.now(), |w| {
            for &id in ids {
                if !w.exists(id)? {
                    return Err(AppError::not_found(format!(
                        "There is no order with id {id}"
                    )));
                }
                w.remove_tags(id, &remove)?;
                w.add_tags(id, &add)?;
            }
            Ok(())
        })
    }

    /// Every tag in use, for the filter menu.
    pub fn tags(&self) -> AppResult<Vec<String>> {
        self.orders.tags()
    }
}
