//! What opening an entry for the first time leaves behind: an audit line per entry read (who,
//! when, which entry; never its words).

use chrono::{DateTime, Utc};
use convivio_core::RecordId;

use super::accounts::Member;
use super::audit::{self, Action, Line};
use crate::error::StoreResult;
use crate::storage::Store;

/// Records that `member` read `entries` (each for the first time).
pub async fn issue<S: Store>(
    store: &S,
    member: &Member,
    entries: &[RecordId],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let lines = entries
        .iter()
        .map(|id| {
            let mut line =
                Line::new(Some(member.agency_id), Some(member.id), &member.username, Action::EntryRead);
            line.record_id = Some(*id);
            audit::insert(store, &line, now)
        })
        .collect();
    store.transaction(lines).await?;
    Ok(())
}
