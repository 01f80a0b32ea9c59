//! Writing entries. The input is read here only for its shape; every rule (scores from 1 to
//! 5, text length, dates) is checked by `convivio-core` when the diary adds the entry.

use convivio_core::entry::{Entry, EntryInput};
use tauri::State;

use crate::error::IpcError;
use crate::state::{DiaryState, blocking};

#[tauri::command]
pub async fn entry_add(state: State<'_, DiaryState>, input: serde_json::Value) -> Result<Entry, IpcError> {
    let input: EntryInput = serde_json::from_value(input).map_err(IpcError::bad_request)?;
    let state = state.inner().clone();
    blocking(move || state.with_open(|diary| Ok(diary.add_entry(&input)?))).await
}
