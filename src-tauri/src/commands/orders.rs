//! Orders commands: one line each over `Desk::orders()`. The import runs off the UI thread,
//! reports `import://progress` events and can be cancelled with `orders_import_cancel`.

use std::path::PathBuf;

use shipdesk_core::AppError;
use shipdesk_core::import::{ColumnMapping, ImportOptions, ImportPreview, ImportSummary};
use shipdesk_core::orders::{Order, OrderInput, OrderPage, OrderQuery, ScannedOrder};
use tauri::{AppHandle, Emitter, State};

use crate::AppState;

#[tauri::command]
pub fn orders_list(state: State<'_, AppState>, query: OrderQuery) -> Result<OrderPage, AppError> {
    state.desk()?.orders().list(&query)
}

#[tauri::command]
pub fn orders_get(state: State<'_, AppState>, id: i64) -> Result<Order, AppError> {
    state.desk()?.orders().get(id)
}

/// Scan-to-ship: the order a scanned code names, and whether to ship it.
#[tauri::command]
pub fn orders_scan(state: State<'_, AppState>, code: String) -> Result<ScannedOrder, AppError> {
    state.desk()?.orders().scan(&code)
}

#[tauri::command]
pub fn orders_create(state: State<'_, AppState>, input: OrderInput) -> Result<Order, AppError> {
    state.desk()?.orders().create(input)
}

#[tauri::command]
pub fn orders_update(
    state: State<'_, AppState>,
    id: i64,
    input: OrderInput,
) -> Result<Order, AppError> {
    state.desk()?.orders().update(id, input)
}

#[tauri::command]
pub fn orders_archive(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    archived: bool,
) -> Result<u32, AppError> {
    state.desk()?.orders().archive(&ids, archived)
}

#[tauri::command]
pub fn orders_set_tags(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<(), AppError> {
    state.desk()?.orders().set_tags(&ids, &add, &remove)
}

#[tauri::command]
pub fn orders_tags(state: State<'_, AppState>) -> Result<Vec<String>, AppError> {
    state.desk()?.orders().tags()
}

/// The OS file dialog for an order file; the picked path (now importable), or null.
#[tauri::command]
pub async fn orders_import_pick_file<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<PathBuf>, AppError> {
    state.picked.pick_order_file(&app).await
}

#[tauri::command]
pub fn orders_import_preview(
    state: State<'_, AppState>,
    path: PathBuf,
    mapping: Option<ColumnMapping>,
) -> Result<ImportPreview, AppError> {
    state
        .desk()?
        .orders()
        .preview_file(state.picked.to_import(&path)?, mapping.as_ref())
}

#[tauri::command]
pub async fn orders_import<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: PathBuf,
    options: ImportOptions,
) -> Result<ImportSummary, AppError> {
    state
        .imports
        .run(
            state.desk()?.clone(),
            state.picked.to_import(&path)?.to_path_buf(),
            options,
            move |p| {
                let _ = app.emit("import://progress", p);
            },
        )
        .await
}

#[tauri::command]
pub fn orders_import_cancel(state: State<'_, AppState>) {
    state.imports.cancel()
}

#[tauri::command]
pub fn mappings_list(state: State<'_, AppState>) -> Result<Vec<ColumnMapping>, AppError> {
    state.desk()?.orders().list_mappings()
}

#[tauri::command]
pub fn mapping_save(state: State<'_, AppState>, mapping: ColumnMapping) -> Result<(), AppError> {
    state.desk()?.orders().save_mapping(&mapping)
}

#[tauri::command]
pub fn mapping_delete(state: State<'_, AppState>, name: String) -> Result<(), AppError> {
    state.desk()?.orders().delete_mapping(&name)
}
