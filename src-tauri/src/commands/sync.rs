//! Sync with the agency from the app: where it stands, "sync now", and enrolling with the
//! one-time code the agency gave the caregiver. The work is `convivio-diary`'s sync client; these
//! only start and stop its scheduler and report.

use convivio_diary::sync::SyncFailure;
use tauri::State;
use zeroize::Zeroizing;

use crate::error::IpcError;
use crate::state::DiaryState;
use crate::sync::SyncView;

/// Where sync stands: last success, what waits, the last problem in plain words, revoked.
#[tauri::command]
pub async fn sync_status(state: State<'_, DiaryState>) -> Result<SyncView, IpcError> {
    let reading = state.sync().read(state.diary()).await?;
    Ok(state.sync().view(reading))
}

/// Syncs now and answers when that sync has ended, with the status it left. A sync that
/// failed is not an error of this command: its reason is the status's `last_error`.
#[tauri::command]
pub async fn sync_now(state: State<'_, DiaryState>) -> Result<SyncView, IpcError> {
    let state = state.inner().clone();
    if state.sync().read(state.diary()).await?.status.state == "not_enrolled" {
        return Err(SyncFailure::NotEnrolled.into());
    }
    if let Err(IpcError::Sync(SyncFailure::NotEnrolled)) = state.sync().sync_now().await {
        // Enrolled, but its scheduler is not running (it could not start at unlock): start it.
        state.sync().start(state.diary()).await?;
        state.sync().sync_now().await?;
    }
    let reading = state.sync().read(state.diary()).await?;
    Ok(state.sync().view(reading))
}

/// Connects the open diary to the agency's server at `server` with the one-time `code`, then
/// starts syncing (the first sync runs at once). Refused for a diary already connected: a
/// revoked or unrecognised one may enrol again with a new code.
#[tauri::command]
pub async fn sync_enrol(
    state: State<'_, DiaryState>,
    server: String,
    code: Zeroizing<String>,
) -> Result<SyncView, IpcError> {
    let state = state.inner().clone();
    let before = state.sync().read(state.diary()).await?.status;
    if before.state == "active" {
        return Err(IpcError::AlreadyEnrolled(before.agency_name.unwrap_or_default()));
    }
    // The old identity, if any, stops syncing before the new one is stored.
    state.sync().stop().await;
    let client = state.sync().client()?;
    let enrolled = client.enrol(state.diary(), &server, code.trim()).await;
    let reading = state.sync().start(state.diary()).await?;
    enrolled?;
    state.sync().tell(reading.clone());
    Ok(state.sync().view(reading))
}
