//! Sync with the agency from the app: where it stands, "sync now", and enrolling with the
//! one-time code the agency gave the caregiver. The work and every decision are
//! `convivio-diary`'s `SyncService`; these only forward and report.

use tauri::State;
use zeroize::Zeroizing;

use crate::error::IpcError;
use crate::state::DiaryState;
use crate::sync::SyncView;

/// Where sync stands: last success, what waits, the last problem in plain words, revoked.
#[tauri::command]
pub async fn sync_status(state: State<'_, DiaryState>) -> Result<SyncView, IpcError> {
    state.sync().status().await
}

/// Syncs now and answers when that sync has ended, with the status it left. A sync that
/// failed is not an error of this command: its reason is the status's `last_error`.
#[tauri::command]
pub async fn sync_now(state: State<'_, DiaryState>) -> Result<SyncView, IpcError> {
    let state = state.inner().clone();
    state.sync().sync_now().await
}

/// Connects the open diary to the agency's server at `server` with the one-time `code`, then
/// starts syncing (the first sync runs at once). Refused for a diary already connected
/// (`already_enrolled`): a revoked or unrecognised one may enrol again with a new code.
#[tauri::command]
pub async fn sync_enrol(
    state: State<'_, DiaryState>,
    server: String,
    code: Zeroizing<String>,
) -> Result<SyncView, IpcError> {
    let state = state.inner().clone();
    state.sync().enrol(&server, &code).await
}
