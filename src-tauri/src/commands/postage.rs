//! Postage accounts (Endicia): one line each over `Desk::endicia()`.

use shipdesk_core::AppError;
use shipdesk_core::carriers::endicia::{
    AutoBuyInput, Login, PassPhraseChange, PostageAccount, PurchaseOutcome, Recredit, Remembered,
    Unlock,
};
use tauri::State;

use crate::AppState;

#[tauri::command]
pub async fn postage_endicia_remembered(
    state: State<'_, AppState>,
) -> Result<Remembered, AppError> {
    state.desk()?.endicia().remembered().await
}

#[tauri::command]
pub async fn postage_endicia_login(
    state: State<'_, AppState>,
    login: Login,
) -> Result<PostageAccount, AppError> {
    state.desk()?.endicia().login(login).await
}

#[tauri::command]
pub async fn postage_endicia_logout(state: State<'_, AppState>) -> Result<(), AppError> {
    state.desk()?.endicia().logout().await;
    Ok(())
}

#[tauri::command]
pub fn postage_endicia_forget(state: State<'_, AppState>) -> Result<(), AppError> {
    state.desk()?.endicia().forget()
}

#[tauri::command]
pub async fn postage_endicia_account(
    state: State<'_, AppState>,
) -> Result<PostageAccount, AppError> {
    state.desk()?.endicia().account().await
}

#[tauri::command]
pub async fn postage_endicia_pay_labels(
    state: State<'_, AppState>,
    pays: bool,
) -> Result<PostageAccount, AppError> {
    state.desk()?.endicia().set_pays_labels(pays).await
}

#[tauri::command]
pub async fn postage_endicia_auto_buy(
    state: State<'_, AppState>,
    auto: Option<AutoBuyInput>,
) -> Result<PostageAccount, AppError> {
    state.desk()?.endicia().set_auto_buy(auto).await
}

/// "Remind Me Later" on the Endicia log-in prompt: when it ends (RFC 3339), if anything asked.
#[tauri::command]
pub fn postage_endicia_remind_later(
    state: State<'_, AppState>,
) -> Result<Option<String>, AppError> {
    Ok(state.desk()?.connections().snooze_endicia_prompt())
}

#[tauri::command]
pub async fn postage_endicia_buy(
    state: State<'_, AppState>,
    amount: String,
) -> Result<PurchaseOutcome, AppError> {
    state.desk()?.endicia().buy_postage(&amount).await
}

#[tauri::command]
pub async fn postage_endicia_check_purchase(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Recredit, AppError> {
    state.desk()?.endicia().check_purchase_again(id).await
}

#[tauri::command]
pub async fn postage_endicia_change_pass_phrase(
    state: State<'_, AppState>,
    change: PassPhraseChange,
) -> Result<(), AppError> {
    state.desk()?.endicia().change_pass_phrase(change).await
}

#[tauri::command]
pub async fn postage_endicia_challenge_question(
    state: State<'_, AppState>,
    account_number: String,
    email: String,
) -> Result<String, AppError> {
    state
        .desk()?
        .endicia()
        .challenge_question(&account_number, &email)
        .await
}

#[tauri::command]
pub async fn postage_endicia_unlock(
    state: State<'_, AppState>,
    unlock: Unlock,
) -> Result<PostageAccount, AppError> {
    state.desk()?.endicia().unlock(unlock).await
}
