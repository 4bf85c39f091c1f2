//! Shipping commands: one line each over `AppState::shipping()` (core's `ShippingService`).
//! Batches run as a task off the UI thread, report `batch://progress` events and are
//! cancelled with `labels_batch_cancel`. Paths come from the OS save dialog.

use std::path::PathBuf;

use shipdesk_core::AppError;
use shipdesk_core::orders::Address;
use shipdesk_core::shipping::{
    AddressCheck, BatchInput, BatchOptions, BatchPreview, BatchReport, CustomsDraft,
    DiscardOutcome, DocumentKind, LabelLayout, LabelPreview, OrderRates, Package, PackagePreset,
    PackagePresetInput, Pickup, PickupEligibility, PickupInput, PickupPrefill, PrinterChoices,
    PrintingSetup, PurchaseOutcome, PurchaseRequest, PurchaseToCheck, RatesAnswer, ScanFormRecord,
    ShipFromAddress, ShipFromInput, ShipFromRemoval, Shipment, ShipmentQuery, VoidOutcome,
};
use tauri::{AppHandle, Emitter, State};

use crate::AppState;
use crate::batches::BatchWork;

pub const BATCH_PROGRESS_EVENT: &str = "batch://progress";

#[tauri::command]
pub fn ship_from_list(state: State<'_, AppState>) -> Result<Vec<ShipFromAddress>, AppError> {
    state.shipping()?.ship_from_addresses()
}

#[tauri::command]
pub fn ship_from_add(
    state: State<'_, AppState>,
    input: ShipFromInput,
) -> Result<ShipFromAddress, AppError> {
    state.shipping()?.add_ship_from(input)
}

#[tauri::command]
pub fn ship_from_update(
    state: State<'_, AppState>,
    id: i64,
    input: ShipFromInput,
) -> Result<ShipFromAddress, AppError> {
    state.shipping()?.update_ship_from(id, input)
}

#[tauri::command]
pub fn ship_from_remove(state: State<'_, AppState>, id: i64) -> Result<ShipFromRemoval, AppError> {
    state.shipping()?.remove_ship_from(id)
}

#[tauri::command]
pub fn ship_from_set_default(state: State<'_, AppState>, id: i64) -> Result<(), AppError> {
    state.shipping()?.set_default_ship_from(id)
}

#[tauri::command]
pub fn package_presets_list(state: State<'_, AppState>) -> Result<Vec<PackagePreset>, AppError> {
    state.shipping()?.package_presets()
}

#[tauri::command]
pub fn package_preset_add(
    state: State<'_, AppState>,
    input: PackagePresetInput,
) -> Result<PackagePreset, AppError> {
    state.shipping()?.add_package_preset(input)
}

#[tauri::command]
pub fn package_preset_update(
    state: State<'_, AppState>,
    id: i64,
    input: PackagePresetInput,
) -> Result<PackagePreset, AppError> {
    state.shipping()?.update_package_preset(id, input)
}

#[tauri::command]
pub fn package_preset_set_default(state: State<'_, AppState>, id: i64) -> Result<(), AppError> {
    state.shipping()?.set_default_package_preset(id)
}

#[tauri::command]
pub fn package_preset_delete(state: State<'_, AppState>, id: i64) -> Result<(), AppError> {
    state.shipping()?.delete_package_preset(id)
}

#[tauri::command]
pub fn label_layout_get(state: State<'_, AppState>) -> Result<LabelLayout, AppError> {
    state.shipping()?.label_layout()
}

#[tauri::command]
pub fn label_layout_set(state: State<'_, AppState>, layout: LabelLayout) -> Result<(), AppError> {
    state.shipping()?.set_label_layout(layout)
}

#[tauri::command]
pub async fn address_check_order(
    state: State<'_, AppState>,
    order_id: i64,
    account_id: Option<i64>,
) -> Result<AddressCheck, AppError> {
    state
        .shipping()?
        .check_order_address(account_id, order_id)
        .await
}

#[tauri::command]
pub async fn rates_for_order(
    state: State<'_, AppState>,
    order_id: i64,
    package: Option<Package>,
    ship_from_id: Option<i64>,
    ship_to: Option<Address>,
    account_id: Option<i64>,
) -> Result<RatesAnswer, AppError> {
    state
        .shipping()?
        .rates_for_order(
            account_id,
            order_id,
            package,
            ship_from_id,
            ship_to.as_ref(),
        )
        .await
}

#[tauri::command]
pub async fn rates_for_orders(
    state: State<'_, AppState>,
    order_ids: Vec<i64>,
    package: Option<Package>,
    ship_from_id: Option<i64>,
    account_id: Option<i64>,
) -> Result<Vec<OrderRates>, AppError> {
    state
        .shipping()?
        .rates_for_orders(account_id, &order_ids, package, ship_from_id)
        .await
}

#[tauri::command]
pub fn customs_draft(state: State<'_, AppState>, order_id: i64) -> Result<CustomsDraft, AppError> {
    state.shipping()?.customs_draft(order_id)
}

#[tauri::command]
pub async fn label_buy(
    state: State<'_, AppState>,
    request: PurchaseRequest,
) -> Result<PurchaseOutcome, AppError> {
    state.shipping()?.buy_label(request).await
}

#[tauri::command]
pub async fn labels_batch_preview(
    state: State<'_, AppState>,
    input: BatchInput,
) -> Result<BatchPreview, AppError> {
    state.shipping()?.preview_batch(&input).await
}

#[tauri::command]
pub async fn labels_buy_batch<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: BatchInput,
    options: Option<BatchOptions>,
) -> Result<BatchReport, AppError> {
    let work = BatchWork::Buy(Box::new(input));
    state
        .batches
        .run(state.shipping()?.clone(), work, options, move |p| {
            let _ = app.emit(BATCH_PROGRESS_EVENT, p);
        })
        .await
}

#[tauri::command]
pub async fn labels_batch_retry<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    report: BatchReport,
    options: Option<BatchOptions>,
) -> Result<BatchReport, AppError> {
    let work = BatchWork::Retry(Box::new(report));
    state
        .batches
        .run(state.shipping()?.clone(), work, options, move |p| {
            let _ = app.emit(BATCH_PROGRESS_EVENT, p);
        })
        .await
}

#[tauri::command]
pub fn labels_batch_cancel(state: State<'_, AppState>) {
    state.batches.cancel()
}

#[tauri::command]
pub fn shipping_purchases_to_check(
    state: State<'_, AppState>,
) -> Result<Vec<PurchaseToCheck>, AppError> {
    state.shipping()?.purchases_to_check()
}

#[tauri::command]
pub async fn shipping_check_purchase_again(
    state: State<'_, AppState>,
    attempt_id: i64,
) -> Result<Shipment, AppError> {
    state.shipping()?.check_purchase_again(attempt_id).await
}

#[tauri::command]
pub async fn shipping_discard_purchase(
    state: State<'_, AppState>,
    attempt_id: i64,
) -> Result<DiscardOutcome, AppError> {
    state.shipping()?.discard_purchase(attempt_id).await
}

#[tauri::command]
pub async fn label_preview(
    state: State<'_, AppState>,
    shipment_id: i64,
) -> Result<LabelPreview, AppError> {
    state.shipping()?.label_preview(shipment_id)
}

#[tauri::command]
pub async fn label_download_again(
    state: State<'_, AppState>,
    shipment_id: i64,
) -> Result<Shipment, AppError> {
    state.shipping()?.download_label_again(shipment_id).await
}

#[tauri::command]
pub async fn labels_print(
    state: State<'_, AppState>,
    shipment_ids: Vec<i64>,
    layout: Option<LabelLayout>,
) -> Result<u32, AppError> {
    state.shipping()?.print_labels(&shipment_ids, layout, None)
}

/// The OS save dialog for a PDF; the picked path (ending in `.pdf`, now writable), or null.
#[tauri::command]
pub async fn pdf_pick_save_path<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    default_name: String,
) -> Result<Option<PathBuf>, AppError> {
    state.picked.pick_pdf_save_path(&app, &default_name).await
}

#[tauri::command]
pub async fn labels_save_pdf(
    state: State<'_, AppState>,
    shipment_ids: Vec<i64>,
    layout: Option<LabelLayout>,
    path: PathBuf,
) -> Result<Vec<PathBuf>, AppError> {
    state
        .shipping()?
        .save_labels_pdf(&shipment_ids, layout, state.picked.to_save_pdf(&path)?)
}

#[tauri::command]
pub async fn packing_slips_print(
    state: State<'_, AppState>,
    order_ids: Vec<i64>,
    ship_from_id: Option<i64>,
) -> Result<(), AppError> {
    state
        .shipping()?
        .print_packing_slips(&order_ids, ship_from_id, None)
}

#[tauri::command]
pub async fn packing_slips_save_pdf(
    state: State<'_, AppState>,
    order_ids: Vec<i64>,
    ship_from_id: Option<i64>,
    path: PathBuf,
) -> Result<(), AppError> {
    state.shipping()?.save_packing_slips_pdf(
        &order_ids,
        ship_from_id,
        state.picked.to_save_pdf(&path)?,
    )
}

#[tauri::command]
pub fn shipments_list(
    state: State<'_, AppState>,
    query: ShipmentQuery,
) -> Result<Vec<Shipment>, AppError> {
    state.shipping()?.shipments(&query)
}

#[tauri::command]
pub fn shipment_get(state: State<'_, AppState>, id: i64) -> Result<Shipment, AppError> {
    state.shipping()?.shipment(id)
}

#[tauri::command]
pub async fn label_void(
    state: State<'_, AppState>,
    shipment_id: i64,
) -> Result<VoidOutcome, AppError> {
    state.shipping()?.void_label(shipment_id).await
}

#[tauri::command]
pub async fn tracking_refresh(
    state: State<'_, AppState>,
    shipment_ids: Vec<i64>,
) -> Result<Vec<Shipment>, AppError> {
    state.shipping()?.refresh_tracking(&shipment_ids).await
}

#[tauri::command]
pub async fn scan_forms_create(
    state: State<'_, AppState>,
    mailing_date: Option<String>,
    account_id: Option<i64>,
) -> Result<Vec<ScanFormRecord>, AppError> {
    state
        .shipping()?
        .create_scan_forms(account_id, mailing_date.as_deref())
        .await
}

#[tauri::command]
pub fn scan_forms_list(state: State<'_, AppState>) -> Result<Vec<ScanFormRecord>, AppError> {
    state.shipping()?.scan_forms()
}

#[tauri::command]
pub async fn scan_form_print(state: State<'_, AppState>, id: i64) -> Result<(), AppError> {
    state.shipping()?.print_scan_form(id, None)
}

#[tauri::command]
pub async fn scan_form_save_pdf(
    state: State<'_, AppState>,
    id: i64,
    path: PathBuf,
) -> Result<(), AppError> {
    state
        .shipping()?
        .save_scan_form_pdf(id, state.picked.to_save_pdf(&path)?)
}

#[tauri::command]
pub async fn pickup_eligibility(
    state: State<'_, AppState>,
    ship_from_id: Option<i64>,
    account_id: Option<i64>,
) -> Result<PickupEligibility, AppError> {
    state
        .shipping()?
        .pickup_eligibility(account_id, ship_from_id)
        .await
}

#[tauri::command]
pub fn pickup_prefill(
    state: State<'_, AppState>,
    ship_from_id: Option<i64>,
    pickup_date: Option<String>,
    account_id: Option<i64>,
) -> Result<PickupPrefill, AppError> {
    state
        .shipping()?
        .pickup_prefill(account_id, ship_from_id, pickup_date.as_deref())
}

#[tauri::command]
pub async fn pickup_schedule(
    state: State<'_, AppState>,
    input: PickupInput,
) -> Result<Pickup, AppError> {
    state.shipping()?.schedule_pickup(input).await
}

#[tauri::command]
pub async fn pickup_cancel(state: State<'_, AppState>, id: i64) -> Result<Pickup, AppError> {
    state.shipping()?.cancel_pickup(id).await
}

#[tauri::command]
pub fn pickups_list(state: State<'_, AppState>) -> Result<Vec<Pickup>, AppError> {
    state.shipping()?.pickups()
}

#[tauri::command]
pub fn printing_setup(state: State<'_, AppState>) -> Result<PrintingSetup, AppError> {
    state.shipping()?.printing_setup()
}

#[tauri::command]
pub fn printing_set_choices(
    state: State<'_, AppState>,
    choices: PrinterChoices,
) -> Result<PrinterChoices, AppError> {
    state.shipping()?.set_printer_choices(choices)
}

/// The printer the test page went to (null: the system default).
#[tauri::command]
pub async fn printing_test_page(
    state: State<'_, AppState>,
    kind: DocumentKind,
) -> Result<Option<String>, AppError> {
    state.shipping()?.print_test_page(kind)
}
