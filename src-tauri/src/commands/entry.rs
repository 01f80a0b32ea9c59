//! Writing entries. The input is read here only for its shape; every rule (scores from 1 to
//! 5, text length, dates) is checked by `convivio-core` when the diary adds the entry. After a
//! save, sync hears of it (it runs a few seconds later) and the UI gets the new waiting count.

use convivio_core::entry::{Entry, EntryInput};
use tauri::State;

use crate::error::IpcError;
use crate::state::{DiaryState, blocking};

#[tauri::command]
pub async fn entry_add(state: State<'_, DiaryState>, input: serde_json::Value) -> Result<Entry, IpcError> {
    let input: EntryInput = serde_json::from_value(input).map_err(IpcError::bad_request)?;
    let state = state.inner().clone();
    let writer = state.clone();
    let (entry, reading) = blocking(move || {
        writer.with_open(|diary| {
            let entry = diary.add_entry(&input)?;
            // The entry is saved whatever this says: a status that cannot be read is not news.
            let reading = diary.sync_status().ok().map(|status| writer.sync().reading(status));
            Ok((entry, reading))
        })
    })
    .await?;
    state.sync().saved(reading);
    Ok(entry)
}
