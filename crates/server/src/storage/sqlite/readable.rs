//! Storing records rows with their readable columns ([`Columns`]), and what each version puts
//! beside its row: the entry's words in the full-text index, its factor tags, and what a status
//! change or a staff reply does to its need's row. Also the start-up fill of rows written before
//! the columns existed.
//!
//! The full-text index `entry_text` is keyed by the records row's rowid. A rowid can be reused
//! after its row is deleted, so every write first deletes whatever the index holds under its
//! rowid, and whatever deletes records rows (today only a caregiver's messages, which are not
//! indexed) must delete their index rows first.
//!
//! The index is written last in the transaction, by [`write_text`], from what the writes left in
//! the connection's temporary table `entry_text_pending`. FTS5 writes out the words it holds at
//! every savepoint, and SQLite opens one for nearly every statement that changes rows with
//! triggers or indexes: entry by entry, each entry became a segment of its own on disk, which
//! the index then spent most of the writer's time merging (BENCHMARKS.md, Sync).

use chrono::{DateTime, Utc};
use convivio_core::{Record, RecordKind, Role};
use rusqlite::{Transaction, params};

use super::columns::ts;
use crate::error::{StoreError, StoreResult};
use crate::storage::columns::{COLUMNS_VERSION, Columns};

/// Rows filled in per transaction at start-up.
const FILL_BATCH: usize = 500;

/// One records row as it is stored: its fields in their SQL form, and the readable columns
/// of its version.
pub(super) struct Stored<'a> {
    pub id: String,
    pub agency_id: String,
    pub caregiver_id: Option<String>,
    pub kind: RecordKind,
    pub version: String,
    pub body: &'a str,
    pub origin_device_id: Option<String>,
    pub change_id: i64,
    pub updated_at: String,
    pub round: i64,
    pub parent_id: Option<String>,
    pub columns: &'a Columns,
}

/// Stores a row with its readable columns, in one statement (so each version is written once,
/// with its indexes and the overview's triggers run once), and returns its rowid for
/// [`write_sides`]. The agency's side of a need (its status, reply times) stays as it was.
fn store(tx: &Transaction<'_>, row: &Stored<'_>) -> StoreResult<i64> {
    let c = row.columns;
    let rowid = tx
        .prepare_cached(
            "INSERT INTO records (id, agency_id, caregiver_id, kind, version, body, origin_device_id, change_id,
                                  updated_at, round, parent_id, entry_kind, sharing, occurred_at, recorded_at,
                                  need_category, urgency, score, subject, subject_label, status, owner_role,
                                  owner_id, columns_version, need_status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                     ?20, ?21, ?22, ?23, ?24, CASE WHEN ?12 = 'need' THEN 'open' END)
             ON CONFLICT (id) DO UPDATE SET caregiver_id = excluded.caregiver_id, kind = excluded.kind,
                 version = excluded.version, body = excluded.body, origin_device_id = excluded.origin_device_id,
                 change_id = excluded.change_id, updated_at = excluded.updated_at, round = excluded.round,
                 parent_id = excluded.parent_id, entry_kind = excluded.entry_kind, sharing = excluded.sharing,
                 occurred_at = excluded.occurred_at, recorded_at = excluded.recorded_at,
                 need_category = excluded.need_category, urgency = excluded.urgency, score = excluded.score,
                 subject = excluded.subject, subject_label = excluded.subject_label, status = excluded.status,
                 owner_role = excluded.owner_role, owner_id = excluded.owner_id,
                 columns_version = excluded.columns_version,
                 need_status = CASE WHEN excluded.entry_kind = 'need' THEN coalesce(records.need_status, 'open') END,
                 need_status_at = CASE WHEN excluded.entry_kind = 'need' THEN records.need_status_at END
             RETURNING rowid",
        )?
        .query_row(
            params![
                row.id,
                row.agency_id,
                row.caregiver_id,
                row.kind.code(),
                row.version,
                row.body,
                row.origin_device_id,
                row.change_id,
                row.updated_at,
                row.round,
                row.parent_id,
                c.entry_kind.map(|k| k.code()),
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
    Ok(rowid)
}

/// Stores `rows` ([`store`]), then what each puts beside it ([`write_sides`]).
pub(super) fn store_all(tx: &Transaction<'_>, rows: &[Stored<'_>]) -> StoreResult<()> {
    let mut rowids = Vec::with_capacity(rows.len());
    for row in rows {
        rowids.push(store(tx, row)?);
    }
    for (row, rowid) in rows.iter().zip(rowids) {
        write_sides(tx, row, rowid)?;
    }
    Ok(())
}

/// What a stored row's version puts beside it: its words for the full-text index (written at
/// the commit, [`write_text`]), its factor tags, and what it does to its need's row. Run after
/// every row of a write is stored, so a need written with its status change is there for it.
fn write_sides(tx: &Transaction<'_>, row: &Stored<'_>, rowid: i64) -> StoreResult<()> {
    let c = row.columns;
    let is_entry = c.entry_kind.is_some();
    tx.prepare_cached(
        "INSERT INTO temp.entry_text_pending (rowid, words) VALUES (?1, ?2)
         ON CONFLICT (rowid) DO UPDATE SET words = excluded.words",
    )?
    .execute(params![rowid, c.words.as_deref().filter(|_| is_entry)])?;
    tx.prepare_cached("DELETE FROM record_factors WHERE record_id = ?1")?.execute([&row.id])?;
    if let (Some(caregiver), Some(at)) = (&row.caregiver_id, c.occurred_at.filter(|_| is_entry)) {
        let mut insert = tx.prepare_cached(
            "INSERT INTO record_factors (record_id, factor, agency_id, caregiver_id, co_destruction,
                                         occurred_at, subject)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
        )?;
        for factor in &c.factors {
            insert.execute(params![
                row.id,
                factor.code(),
                row.agency_id,
                caregiver,
                Columns::is_co_destruction(*factor),
                ts(at),
                c.subject.as_ref().map(|s| s.key.as_str()),
            ])?;
        }
    }
    if let (Some(parent), Some(at)) = (&row.parent_id, c.occurred_at) {
        write_need_side(tx, row.kind, parent, c, at)?;
    }
    Ok(())
}

/// The temporary table [`write_sides`] leaves the words in, until [`write_text`]: one per writer
/// connection, made when it opens.
pub(super) const PENDING_TEXT: &str =
    "CREATE TEMP TABLE entry_text_pending (rowid INTEGER PRIMARY KEY, words TEXT)";

/// Writes the words the transaction's writes left into the full-text index, in two statements,
/// and empties the table: the last thing before each commit of the writer connection.
pub(super) fn write_text(tx: &Transaction<'_>) -> StoreResult<()> {
    tx.prepare_cached("DELETE FROM entry_text WHERE rowid IN (SELECT rowid FROM temp.entry_text_pending)")?
        .execute([])?;
    tx.prepare_cached(
        "INSERT INTO entry_text (rowid, words)
         SELECT rowid, words FROM temp.entry_text_pending WHERE words IS NOT NULL ORDER BY rowid",
    )?
    .execute([])?;
    tx.prepare_cached("DELETE FROM temp.entry_text_pending")?.execute([])?;
    Ok(())
}

/// A status change moves its need's current status (the newest change wins, whatever order they
/// arrive in); a staff reply sets the need's first and last reply times.
fn write_need_side(
    tx: &Transaction<'_>,
    kind: RecordKind,
    parent: &str,
    c: &Columns,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    match (kind, c.status, c.owner_role) {
        (RecordKind::NeedStatusChange, Some(status), _) => {
            tx.prepare_cached(
                "UPDATE records SET need_status = ?2, need_status_at = ?3
                 WHERE id = ?1 AND entry_kind = 'need' AND (need_status_at IS NULL OR need_status_at <= ?3)",
            )?
            .execute(params![parent, status.code(), ts(at)])?;
        }
        (RecordKind::Message, _, Some(Role::Staff)) => {
            tx.prepare_cached(
                "UPDATE records SET first_reply_at = min(coalesce(first_reply_at, ?2), ?2),
                                    last_reply_at = max(coalesce(last_reply_at, ?2), ?2)
                 WHERE id = ?1",
            )?
            .execute(params![parent, ts(at)])?;
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
/// replayed onto them. Each row is stored again as it is, with its columns. Runs at start-up, a
/// batch per transaction.
pub(super) fn fill_batch(tx: &Transaction<'_>) -> StoreResult<usize> {
    type Found =
        (String, String, Option<String>, String, String, Option<String>, i64, String, i64, Option<String>);
    let rows: Vec<Found> = tx
        .prepare_cached(
            "SELECT id, agency_id, caregiver_id, version, body, origin_device_id, change_id, updated_at, round,
                    parent_id
             FROM records WHERE columns_version < ?1
             ORDER BY kind <> 'entry', id LIMIT ?2",
        )?
        .query_map(params![COLUMNS_VERSION, FILL_BATCH as i64], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut parsed = Vec::with_capacity(rows.len());
    for row in &rows {
        let record: Record = serde_json::from_str(&row.4)
            .map_err(|e| StoreError::Database(format!("a stored record is unreadable: {e}")))?;
        parsed.push((record.kind(), Columns::of(&record)));
    }
    let stored: Vec<Stored<'_>> = rows
        .iter()
        .zip(&parsed)
        .map(|(r, (kind, columns))| Stored {
            id: r.0.clone(),
            agency_id: r.1.clone(),
            caregiver_id: r.2.clone(),
            kind: *kind,
            version: r.3.clone(),
            body: &r.4,
            origin_device_id: r.5.clone(),
            change_id: r.6,
            updated_at: r.7.clone(),
            round: r.8,
            parent_id: r.9.clone(),
            columns,
        })
        .collect();
    store_all(tx, &stored)?;
    Ok(rows.len())
}
