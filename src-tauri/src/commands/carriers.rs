//! USPS accounts and their connection: one line each over `Desk::connections()`.
//! Sign-in is two commands (start answers the consent address at once, finish waits for the
//! browser); the pending sign-ins live in [`crate::sign_ins::SignIns`].

use shipdesk_core::AppError;
use shipdesk_core::carriers::{
    AccountFields, ConnectOutcome, ConnectionCheck, ConnectionSnapshot, DisconnectOutcome,
    OnboardingGuide, OwnAppRequest, SignInRequest, UspsAccountRecord,
};
use tauri::{AppHandle, State};

use crate::AppState;
use crate::sandbox_info::SandboxInfo;
use crate::sign_ins::{SignInStarted, SignIns};

#[tauri::command]
pub fn carriers_list(state: State<'_, AppState>) -> Result<Vec<UspsAccountRecord>, AppError> {
    state.desk()?.connections().list_accounts()
}

#[tauri::command]
pub async fn carriers_sign_in_start(
    state: State<'_, AppState>,
    sign_ins: State<'_, SignIns>,
    request: SignInRequest,
) -> Result<SignInStarted, AppError> {
    sign_ins.start(state.desk()?.connections(), request).await
}

/// Waits for the browser; on success the main window comes back to the front.
#[tauri::command]
pub async fn carriers_sign_in_finish<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    sign_ins: State<'_, SignIns>,
    id: u64,
) -> Result<ConnectOutcome, AppError> {
    let outcome = sign_ins.finish(state.desk()?.connections(), id).await;
    outcome.inspect(|_| crate::usps_events::bring_to_front(&app))
}

#[tauri::command]
pub fn carriers_sign_in_cancel(sign_ins: State<'_, SignIns>, id: u64) {
    sign_ins.cancel(id)
}

#[tauri::command]
pub async fn carriers_connect_own_app(
    state: State<'_, AppState>,
    request: OwnAppRequest,
) -> Result<ConnectOutcome, AppError> {
    state.desk()?.connections().connect_own_app(request).await
}

#[tauri::command]
pub fn carriers_update(
    state: State<'_, AppState>,
    id: i64,
    fields: AccountFields,
) -> Result<UspsAccountRecord, AppError> {
    state.desk()?.connections().update_account(id, &fields)
}

#[tauri::command]
pub fn carriers_set_default(
    state: State<'_, AppState>,
    id: i64,
) -> Result<UspsAccountRecord, AppError> {
    state.desk()?.connections().set_default_account(id)
}

#[tauri::command]
pub async fn carriers_check(
    state: State<'_, AppState>,
    id: i64,
) -> Result<ConnectionCheck, AppError> {
    state.desk()?.connections().check_connection(id).await
}

#[tauri::command]
pub async fn carriers_onboarding(
    state: State<'_, AppState>,
    id: Option<i64>,
) -> Result<OnboardingGuide, AppError> {
    state.desk()?.connections().business_onboarding(id).await
}

#[tauri::command]
pub fn carriers_open_business_portal(state: State<'_, AppState>) -> Result<(), AppError> {
    state.desk()?.connections().open_business_portal()
}

#[tauri::command]
pub fn carriers_say_contract_prices(
    state: State<'_, AppState>,
    have: bool,
) -> Result<(), AppError> {
    state.desk()?.connections().say_contract_prices(have)
}

#[tauri::command]
pub async fn carriers_disconnect(
    state: State<'_, AppState>,
    id: i64,
) -> Result<DisconnectOutcome, AppError> {
    state.desk()?.connections().disconnect(id).await
}

#[tauri::command]
pub async fn carriers_remove(
    state: State<'_, AppState>,
    id: i64,
) -> Result<DisconnectOutcome, AppError> {
    state.desk()?.connections().remove_account(id).await
}

/// "Remind Me Later": answers when the prompt may show again (RFC 3339); every window gets the
/// new connection snapshot as a `usps://connection` event.
#[tauri::command]
pub fn carriers_snooze_prompt(state: State<'_, AppState>, id: i64) -> Result<String, AppError> {
    state.desk()?.connections().snooze_reconnect_prompt(id)
}

/// Every account's connection now: what a window shows before the next `usps://connection`.
#[tauri::command]
pub fn carriers_connection_snapshot(
    state: State<'_, AppState>,
) -> Result<ConnectionSnapshot, AppError> {
    state.desk()?.connections().connection_snapshot()
}

/// "Keep this session in memory only" when the OS keyring is unavailable.
#[tauri::command]
pub fn carriers_keep_secrets_in_memory(state: State<'_, AppState>) -> Result<(), AppError> {
    state.desk()?.connections().use_memory_secret_store();
    Ok(())
}

#[tauri::command]
pub fn carriers_secrets_in_memory(state: State<'_, AppState>) -> Result<bool, AppError> {
    Ok(state.desk()?.connections().secrets_in_memory_only())
}

/// The loopback port sign-in listens on unless the user picks another.
#[tauri::command]
pub fn carriers_redirect_port(state: State<'_, AppState>) -> Result<u16, AppError> {
    Ok(state.desk()?.connections().config().redirect_port)
}

#[tauri::command]
pub async fn carriers_sandbox_info(state: State<'_, AppState>) -> Result<SandboxInfo, AppError> {
    crate::sandbox_info::sandbox_info(state.desk()?.connections()).await
}
