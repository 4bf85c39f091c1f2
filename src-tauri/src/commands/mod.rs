//! Tauri commands: each takes state, calls core, and returns core's result. No logic here; if a
//! command needs more than a line, that logic belongs in `shipdesk-core`.

pub mod carriers;
pub mod orders;
pub mod shipping;

use shipdesk_core::AppError;
use shipdesk_core::doctor::DoctorReport;
use tauri::State;

use crate::AppState;

#[tauri::command]
pub fn app_ready(state: State<'_, AppState>) -> Result<u64, AppError> {
    state.mark_ready()
}

#[tauri::command]
pub fn doctor(state: State<'_, AppState>) -> Result<DoctorReport, AppError> {
    state.desk()?.doctor()
}
