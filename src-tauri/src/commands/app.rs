//! The app's own start-up commands: the UI's "ready" signal and the data directory's doctor.

use shipdesk_core::AppError;
use shipdesk_core::doctor::DoctorReport;
use tauri::State;

use crate::AppState;

/// The UI calls this once its first screen is interactive; answers ms since process start.
#[tauri::command]
pub fn app_ready(state: State<'_, AppState>) -> Result<u64, AppError> {
    state.mark_ready()
}

#[tauri::command]
pub fn doctor(state: State<'_, AppState>) -> Result<DoctorReport, AppError> {
    state.desk()?.doctor()
}
