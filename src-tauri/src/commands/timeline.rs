//! Reading the timeline, newest first, a page at a time.

use convivio_diary::{TimelinePage, TimelineQuery};
use tauri::State;

use crate::error::IpcError;
use crate::state::{DiaryState, blocking};

/// `query` may be left out for the first page with every filter off.
#[tauri::command]
pub async fn timeline_list(
    state: State<'_, DiaryState>,
    query: Option<serde_json::Value>,
) -> Result<TimelinePage, IpcError> {
    let query: TimelineQuery = match query {
        Some(query) => serde_json::from_value(query).map_err(IpcError::bad_request)?,
        None => TimelineQuery::default(),
    };
    let state = state.inner().clone();
    blocking(move || state.with_open(|diary| Ok(diary.timeline(&query)?))).await
}
