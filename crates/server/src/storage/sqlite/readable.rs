//! Writing the readable columns ([`Columns`]) of rows a write just stored, in its transaction:
//! the columns themselves, the entry's words in the full-text index, its factor tags, and what a
//! status change or a staff reply does to its need's row. Also the start-up fill of rows written
//! before the columns existed.
//!
//! The full-text index `entry_text` is keyed by the records row's rowid. A rowid can be reused
//! after its row is deleted, so every write first deletes whatever the index holds under its
//! rowid, and whatever deletes records rows (today only a caregiver's messages, which are not
//! indexed) must delete their index rows first.

use chrono::{DateTime, Utc};
use convivio_core::{Record, RecordId, RecordKind, Role};
use rusqlite::{Transaction, params};
use uuid::Uuid;

use super::columns::ts;
use crate::error::{StoreError, StoreResult};
use crate::storage::columns::{COLUMNS_VERSION, Columns};

/// Rows filled in per transaction at start-up.
const FILL_BATCH: usize = 500;

/// One written row: its id, owner scope and parent, and the columns of its new version.
pub(super) struct Written<'a> {
    pub id: RecordId,
    pub agency_id: Uuid,
    pub caregiver_id: Option<Uuid>,
    pub kind: RecordKind,
    pub parent_id: Option<RecordId>,
    pub columns: &'a Columns,
}

pub(super) fn write(tx: &Transaction<'_>, row: &Written<'_>) -> StoreResult<()> {
    let c = row.columns;
    let id = row.id.to_string();
    let entry_kind = c.entry_kind.map(|k| k.code());
    let rowid: i64 = tx
        .prepare_cached(
            "UPDATE records SET entry_kind = ?2, sharing = ?3, occurred_at = ?4, recorded_at = ?5,
                 need_category = ?6, urgency = ?7, score = ?8, subject = ?9, subject_label = ?10,
                 status = ?11, owner_role = ?12, owner_id = ?13, columns_version = ?14,
                 need_status = CASE WHEN ?2 = 'need' THEN coalesce(need_status, 'open') END,
                 need_status_at = CASE WHEN ?2 = 'need' THEN need_status_at END
             WHERE id = ?1 RETURNING rowid",
        )?
        .query_row(
            params![
                id,
                entry_kind,
                c.sharing.map(|s| s.code()),
                c.occurred_at.map(ts),
                c.recorded_at.map(ts),
                c.need_category.map(|n| n.code()),
                c.urgency.map(|u| u.code()),
                c.score,
                c.subject.as_ref().map(|s| s.key.as_str()),
                c.subject.as_ref().map(|s| s.label.as_str()),
                c.status.map(|s| s.code()),
                c.owner_role.map(role_code),
                c.owner_id.map(|o| o.to_string()),
                COLUMNS_VERSION,
            ],
            |r| r.get(0),
        )?;
    tx.prepare_cached("DELETE FROM entry_text WHERE rowid = ?1")?.execute([rowid])?;
    if let Some(words) = c.words.as_deref().filter(|_| entry_kind.is_some()) {
        tx.prepare_cached("INSERT INTO entry_text (rowid, words) VALUES (?1, ?2)")?
            .execute(params![rowid, words])?;
    }
    tx.prepare_cached("DELETE FROM record_factors WHERE record_id = ?1")?.execute([&id])?;
    if let (Some(caregiver), Some(at)) = (row.caregiver_id, c.occurred_at.filter(|_| entry_kind.is_some())) {
        let mut insert = tx.prepare_cached(
            "INSERT INTO record_factors (record_id, factor, agency_id, caregiver_id, co_destruction,
                                         occurred_at, subject)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
        )?;
        for factor in &c.factors {
            insert.execute(params![
                id,
                factor.code(),
                row.agency_id.to_string(),
                caregiver.to_string(),
                Columns::is_co_destruction(*factor),
                ts(at),
                c.subject.as_ref().map(|s| s.key.as_str()),
            ])?;
        }
    }
    if let (Some(parent), Some(at)) = (row.parent_id, c.occurred_at) {
        write_need_side(tx, row.kind, parent, c, at)?;
    }
    Ok(())
}

/// A status change moves its need's current status (the newest change wins, whatever order they
/// arrive in); a staff reply sets the need's first and last reply times.
fn write_need_side(
    tx: &Transaction<'_>,
    kind: RecordKind,
    parent: RecordId,
    c: &Columns,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    match (kind, c.status, c.owner_role) {
        (RecordKind::NeedStatusChange, Some(status), _) => {
            tx.prepare_cached(
                "UPDATE records SET need_status = ?2, need_status_at = ?3
                 WHERE id = ?1 AND entry_kind = 'need' AND (need_status_at IS NULL OR need_status_at <= ?3)",
            )?
            .execute(params![parent.to_string(), status.code(), ts(at)])?;
        }
        (RecordKind::Message, _, Some(Role::Staff)) => {
            tx.prepare_cached(
                "UPDATE records SET first_reply_at = min(coalesce(first_reply_at, ?2), ?2),
                                    last_reply_at = max(coalesce(last_reply_at, ?2), ?2)
                 WHERE id = ?1",
            )?
            .execute(params![parent.to_string(), ts(at)])?;
        }
        _ => {}
    }
    Ok(())
}

fn role_code(role: Role) -> &'static str {
    match role {
        Role::Caregiver => "caregiver",
        Role::Staff => "staff",
        Role::Agency => "agency",
    }
}

/// Fills in the readable columns of rows written by an older [`COLUMNS_VERSION`] (or before
/// there were any), entries first so that their needs exist when status changes and replies are
/// replayed onto them. Runs at start-up, a batch per transaction.
pub(super) fn fill_batch(tx: &Transaction<'_>) -> StoreResult<usize> {
    let rows: Vec<(String, Option<String>, String)> = tx
        .prepare_cached(
            "SELECT r.agency_id, r.caregiver_id, r.body FROM records r
             WHERE r.columns_version < ?1
             ORDER BY r.kind <> 'entry', r.id LIMIT ?2",
        )?
        .query_map(params![COLUMNS_VERSION, FILL_BATCH as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (agency, caregiver, body) in &rows {
        let record: Record = serde_json::from_str(body)
            .map_err(|e| StoreError::Database(format!("a stored record is unreadable: {e}")))?;
        let columns = Columns::of(&record);
        let parse = |t: &str| Uuid::parse_str(t).map_err(|e| StoreError::Database(e.to_string()));
        write(
            tx,
            &Written {
                id: record.id(),
                agency_id: parse(agency)?,
                caregiver_id: caregiver.as_deref().map(parse).transpose()?,
                kind: record.kind(),
                parent_id: record.parent(),
                columns: &columns,
            },
        )?;
    }
    Ok(rows.len())
}
