//! The readable columns ([`Columns`]) of the rows a write stores, as arrays that the write's own
//! statements store with the rows (`records.rs`), and what the rows put beside them, a few array
//! statements per write however many rows it has: an entry's search words (a `tsvector` over
//! `unaccent`, in `entry_search`), its factor tags, and what status changes and staff replies do
//! to their needs' rows. Also the start-up fill of rows written before the columns existed. The
//! SQLite twin is `sqlite/readable.rs`; what the columns hold is shared.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use convivio_core::{Record, RecordId, RecordKind, Role};
use deadpool_postgres::Transaction;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use super::{Fail, PgResult};
use crate::error::StoreError;
use crate::storage::columns::{COLUMNS_VERSION, Columns};

/// Rows filled in per transaction at start-up.
const FILL_BATCH: i64 = 500;

/// One written row: its id, owner scope and parent, and the columns of its new version.
pub(super) struct Written<'a> {
    pub id: RecordId,
    pub caregiver_id: Option<Uuid>,
    pub kind: RecordKind,
    pub parent_id: Option<RecordId>,
    pub columns: &'a Columns,
}

/// The readable columns of a write's rows, column by column, for `unnest`: the write stores
/// them in the same statement as the rows themselves (`records.rs`), so each version is one
/// tuple, its indexes and the overview's triggers written once.
pub(super) struct ColumnArrays {
    entry_kinds: Vec<Option<&'static str>>,
    sharing: Vec<Option<&'static str>>,
    occurred: Vec<Option<DateTime<Utc>>>,
    recorded: Vec<Option<DateTime<Utc>>>,
    categories: Vec<Option<&'static str>>,
    urgencies: Vec<Option<&'static str>>,
    scores: Vec<Option<i16>>,
    subjects: Vec<Option<String>>,
    labels: Vec<Option<String>>,
    statuses: Vec<Option<&'static str>>,
    roles: Vec<Option<&'static str>>,
    owners: Vec<Option<Uuid>>,
}

impl ColumnArrays {
    pub(super) fn of<'a>(columns: impl IntoIterator<Item = &'a Columns>) -> Self {
        let mut a = ColumnArrays {
            entry_kinds: Vec::new(),
            sharing: Vec::new(),
            occurred: Vec::new(),
            recorded: Vec::new(),
            categories: Vec::new(),
            urgencies: Vec::new(),
            scores: Vec::new(),
            subjects: Vec::new(),
            labels: Vec::new(),
            statuses: Vec::new(),
            roles: Vec::new(),
            owners: Vec::new(),
        };
        for c in columns {
            a.entry_kinds.push(c.entry_kind.map(|k| k.code()));
            a.sharing.push(c.sharing.map(|s| s.code()));
            a.occurred.push(c.occurred_at);
            a.recorded.push(c.recorded_at);
            a.categories.push(c.need_category.map(|n| n.code()));
            a.urgencies.push(c.urgency.map(|u| u.code()));
            a.scores.push(c.score.map(i16::from));
            a.subjects.push(c.subject.as_ref().map(|s| s.key.clone()));
            a.labels.push(c.subject.as_ref().map(|s| s.label.clone()));
            a.statuses.push(c.status.map(|s| s.code()));
            a.roles.push(c.owner_role.map(role_code));
            a.owners.push(c.owner_id);
        }
        a
    }

    /// The arrays as statement parameters, in this order and of these types: entry kind (text),
    /// sharing (text), occurred and recorded (timestamptz), need category and urgency (text),
    /// score (int2), subject and its label, status, owner role (text), owner (uuid).
    pub(super) fn params(&self) -> [&(dyn ToSql + Sync); 12] {
        [
            &self.entry_kinds,
            &self.sharing,
            &self.occurred,
            &self.recorded,
            &self.categories,
            &self.urgencies,
            &self.scores,
            &self.subjects,
            &self.labels,
            &self.statuses,
            &self.roles,
            &self.owners,
        ]
    }
}

/// What a write's rows put beside them: an entry's search words, their factor tags, and what
/// status changes and staff replies do to their needs' rows. After the rows themselves, so a
/// need written with its status change is there for it.
pub(super) async fn write_sides(tx: &Transaction<'_>, agency_id: Uuid, rows: &[Written<'_>]) -> PgResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| *r.id.as_uuid()).collect();
    write_words(tx, &ids, rows).await?;
    write_factors(tx, agency_id, &ids, rows).await?;
    write_need_side(tx, rows).await
}

/// An entry's words into `entry_search` (migrations/server/postgres/0007_entry_search.sql), as
/// a `tsvector` over `unaccent`; a record without words (not an entry, or a tombstone) leaves it.
async fn write_words(tx: &Transaction<'_>, ids: &[Uuid], rows: &[Written<'_>]) -> PgResult<()> {
    let words: Vec<Option<&str>> =
        rows.iter().map(|r| r.columns.words.as_deref().filter(|_| r.columns.entry_kind.is_some())).collect();
    if words.iter().any(Option::is_some) {
        let statement = tx
            .prepare_cached(
                "INSERT INTO entry_search (record_id, search)
                 SELECT t.id, to_tsvector('simple', unaccent(t.words))
                 FROM unnest($1::uuid[], $2::text[]) AS t(id, words) WHERE t.words IS NOT NULL
                 ON CONFLICT (record_id) DO UPDATE SET search = excluded.search",
            )
            .await?;
        tx.execute(&statement, &[&ids, &words]).await?;
    }
    if words.iter().any(Option::is_none) {
        let statement = tx
            .prepare_cached(
                "DELETE FROM entry_search s USING unnest($1::uuid[], $2::text[]) AS t(id, words)
                 WHERE s.record_id = t.id AND t.words IS NULL",
            )
            .await?;
        tx.execute(&statement, &[&ids, &words]).await?;
    }
    Ok(())
}

/// Rewrites the readable columns of rows stored before them (or by an older definition), as
/// they are, the records' versions and change ids unchanged; then their sides.
async fn refill(tx: &Transaction<'_>, agency_id: Uuid, rows: &[Written<'_>]) -> PgResult<()> {
    let ids: Vec<Uuid> = rows.iter().map(|r| *r.id.as_uuid()).collect();
    let columns = ColumnArrays::of(rows.iter().map(|r| r.columns));
    let statement = tx
        .prepare_cached(
            "UPDATE records r SET entry_kind = t.entry_kind, sharing = t.sharing, occurred_at = t.occurred,
                 recorded_at = t.recorded, need_category = t.category, urgency = t.urgency, score = t.score,
                 subject = t.subject, subject_label = t.label, status = t.status, owner_role = t.role,
                 owner_id = t.owner, columns_version = $14,
                 need_status = CASE WHEN t.entry_kind = 'need' THEN coalesce(r.need_status, 'open') END,
                 need_status_at = CASE WHEN t.entry_kind = 'need' THEN r.need_status_at END
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[],
                         $7::text[], $8::int2[], $9::text[], $10::text[], $11::text[], $12::text[], $13::uuid[])
                 AS t(id, entry_kind, sharing, occurred, recorded, category, urgency, score, subject, label,
                      status, role, owner)
             WHERE r.id = t.id",
        )
        .await?;
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&ids];
    params.extend(columns.params());
    params.push(&COLUMNS_VERSION);
    tx.execute(&statement, &params).await?;
    write_sides(tx, agency_id, rows).await
}

async fn write_factors(
    tx: &Transaction<'_>,
    agency_id: Uuid,
    ids: &[Uuid],
    rows: &[Written<'_>],
) -> PgResult<()> {
    tx.execute("DELETE FROM record_factors WHERE record_id = ANY($1)", &[&ids]).await?;
    let (mut records, mut factors, mut caregivers, mut harmful, mut at, mut subjects) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for row in rows {
        let c = row.columns;
        if let (Some(caregiver), Some(when), Some(_)) = (row.caregiver_id, c.occurred_at, c.entry_kind) {
            for factor in &c.factors {
                records.push(*row.id.as_uuid());
                factors.push(factor.code());
                caregivers.push(caregiver);
                harmful.push(Columns::is_co_destruction(*factor));
                at.push(when);
                subjects.push(c.subject.as_ref().map(|s| s.key.as_str()));
            }
        }
    }
    if records.is_empty() {
        return Ok(());
    }
    let statement = tx
        .prepare_cached(
            "INSERT INTO record_factors (record_id, factor, agency_id, caregiver_id, co_destruction, occurred_at,
                                         subject)
             SELECT t.r, t.f, $1, t.c, t.d, t.at, t.s
             FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::bool[], $6::timestamptz[], $7::text[])
                 AS t(r, f, c, d, at, s)
             ON CONFLICT DO NOTHING",
        )
        .await?;
    tx.execute(&statement, &[&agency_id, &records, &factors, &caregivers, &harmful, &at, &subjects]).await?;
    Ok(())
}

/// The newest status change per need moves its status (if newer than the stored one); staff
/// replies set the need's first and last reply times.
async fn write_need_side(tx: &Transaction<'_>, rows: &[Written<'_>]) -> PgResult<()> {
    let mut statuses: HashMap<Uuid, (DateTime<Utc>, &'static str)> = HashMap::new();
    let mut replies: HashMap<Uuid, (DateTime<Utc>, DateTime<Utc>)> = HashMap::new();
    for row in rows {
        let (Some(parent), Some(at)) = (row.parent_id, row.columns.occurred_at) else { continue };
        let parent = *parent.as_uuid();
        match (row.kind, row.columns.status, row.columns.owner_role) {
            (RecordKind::NeedStatusChange, Some(status), _) => {
                let slot = statuses.entry(parent).or_insert((at, status.code()));
                if at >= slot.0 {
                    *slot = (at, status.code());
                }
            }
            (RecordKind::Message, _, Some(Role::Staff)) => {
                let slot = replies.entry(parent).or_insert((at, at));
                *slot = (slot.0.min(at), slot.1.max(at));
            }
            _ => {}
        }
    }
    if !statuses.is_empty() {
        let (mut ids, mut at, mut codes) = (Vec::new(), Vec::new(), Vec::new());
        for (id, (when, code)) in statuses {
            ids.push(id);
            at.push(when);
            codes.push(code);
        }
        tx.execute(
            "UPDATE records r SET need_status = t.status, need_status_at = t.at
             FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]) AS t(id, at, status)
             WHERE r.id = t.id AND r.entry_kind = 'need' AND (r.need_status_at IS NULL OR r.need_status_at <= t.at)",
            &[&ids, &at, &codes],
        )
        .await?;
    }
    if !replies.is_empty() {
        let (mut ids, mut first, mut last) = (Vec::new(), Vec::new(), Vec::new());
        for (id, (a, b)) in replies {
            ids.push(id);
            first.push(a);
            last.push(b);
        }
        tx.execute(
            "UPDATE records r SET first_reply_at = LEAST(r.first_reply_at, t.first),
                                  last_reply_at = GREATEST(r.last_reply_at, t.last)
             FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS t(id, first, last)
             WHERE r.id = t.id",
            &[&ids, &first, &last],
        )
        .await?;
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

/// Fills in the readable columns of one batch of rows written by an older [`COLUMNS_VERSION`],
/// entries first (see the SQLite twin). Returns how many rows it did.
pub(super) async fn fill_batch(tx: &Transaction<'_>) -> PgResult<usize> {
    let found = tx
        .query(
            "SELECT agency_id, caregiver_id, body::text FROM records WHERE columns_version < $1
             ORDER BY kind <> 'entry', id LIMIT $2 FOR UPDATE",
            &[&COLUMNS_VERSION, &FILL_BATCH],
        )
        .await?;
    let mut by_agency: HashMap<Uuid, Vec<(Option<Uuid>, Record)>> = HashMap::new();
    for row in &found {
        let body: String = row.get(2);
        let record: Record = serde_json::from_str(&body)
            .map_err(|e| Fail::Store(StoreError::Database(format!("a stored record is unreadable: {e}"))))?;
        by_agency.entry(row.get(0)).or_default().push((row.get(1), record));
    }
    for (agency_id, records) in &by_agency {
        let columns: Vec<Columns> = records.iter().map(|(_, r)| Columns::of(r)).collect();
        let rows: Vec<Written<'_>> = records
            .iter()
            .zip(&columns)
            .map(|((caregiver_id, r), columns)| Written {
                id: r.id(),
                caregiver_id: *caregiver_id,
                kind: r.kind(),
                parent_id: r.parent(),
                columns,
            })
            .collect();
        refill(tx, *agency_id, &rows).await?;
    }
    Ok(found.len())
}
