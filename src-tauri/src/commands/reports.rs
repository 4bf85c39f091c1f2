//! Reports: postage spend, labels, voids and refunds over a range of days; the labels as CSV.

use std::path::PathBuf;

use shipdesk_core::AppError;
use shipdesk_core::reports::{Report, ReportQuery};
use tauri::{AppHandle, State};

use crate::picked_paths::SaveAs;
use crate::state::AppState;

/// This month so far when `query` is absent.
#[tauri::command]
pub fn reports_get(
    state: State<'_, AppState>,
    query: Option<ReportQuery>,
) -> Result<Report, AppError> {
    let reports = state.desk()?.reports();
    reports.report(&query.unwrap_or_else(|| reports.this_month()))
}

#[tauri::command]
pub async fn reports_pick_csv_path<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    default_name: String,
) -> Result<Option<PathBuf>, AppError> {
    state
        .picked
        .pick_save_path(&app, SaveAs::Csv, &default_name)
        .await
}

#[tauri::command]
pub fn reports_save_csv(
    state: State<'_, AppState>,
    query: ReportQuery,
    path: PathBuf,
) -> Result<(), AppError> {
    state
        .desk()?
        .reports()
        .save_labels_csv(&query, state.picked.to_save(SaveAs::Csv, &path)?)
}
