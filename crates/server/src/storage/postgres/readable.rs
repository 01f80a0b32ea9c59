//! The readable columns ([`Columns`]) of the rows a write stores, as arrays that the write's own
//! statements store with the rows (`records.rs`), and what the rows put beside them, a few array
//! statements per write however many rows it has: an entry's search terms (a `tsvector`, in
//! `entry_search`), its factor tags, and what status changes and staff replies do
//! to their needs' rows. Also the start-up fill of rows written before the columns existed. The
//! SQLite twin is `sqlite/readable.rs`; what the columns hold is shared.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use convivio_core::{Record, RecordId, RecordKind, Role};
use deadpool_postgres::Transaction;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use super::pipeline::Pipeline;
use super::{Fail, PgResult};
use crate::error::StoreError;
use crate::storage::columns::{COLUMNS_VERSION, Columns};
use crate::storage::search;

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

/// What a write's rows put beside them, column by column, for `unnest`: entries' search terms,
/// their factor tags, and what status changes and staff replies do to their needs' rows. Queued
/// after the rows themselves ([`Sides::queue`]), so a need written with its status change is
/// there for it.
pub(super) struct Sides {
    agency_id: Uuid,
    ids: Vec<Uuid>,
    /// Each row's terms ([`search::terms`]) joined by spaces, which no term holds; `None` for a
    /// record without words (not an entry, or a tombstone), which leaves `entry_search`.
    terms: Vec<Option<String>>,
    factors: FactorArrays,
    statuses: NeedArrays<&'static str>,
    replies: NeedArrays<DateTime<Utc>>,
}

/// Needs and what to set on each: when, and a status (status changes) or the last reply's time
/// (staff replies, whose `at` is the first).
struct NeedArrays<T> {
    ids: Vec<Uuid>,
    at: Vec<DateTime<Utc>>,
    values: Vec<T>,
}

impl<T> FromIterator<(Uuid, (DateTime<Utc>, T))> for NeedArrays<T> {
    fn from_iter<I: IntoIterator<Item = (Uuid, (DateTime<Utc>, T))>>(iter: I) -> Self {
        let mut arrays = NeedArrays { ids: Vec::new(), at: Vec::new(), values: Vec::new() };
        for (id, (at, value)) in iter {
            arrays.ids.push(id);
            arrays.at.push(at);
            arrays.values.push(value);
        }
        arrays
    }
}

/// One row per factor tag of the written entries.
#[derive(Default)]
struct FactorArrays {
    records: Vec<Uuid>,
    factors: Vec<&'static str>,
    caregivers: Vec<Uuid>,
    harmful: Vec<bool>,
    at: Vec<DateTime<Utc>>,
    subjects: Vec<Option<String>>,
}

impl Sides {
    pub(super) fn of(agency_id: Uuid, rows: &[Written<'_>]) -> Sides {
        let ids = rows.iter().map(|r| *r.id.as_uuid()).collect();
        let terms = rows
            .iter()
            .map(|r| {
                let words = r.columns.words.as_deref().filter(|_| r.columns.entry_kind.is_some())?;
                Some(search::terms(words).join(" "))
            })
            .collect();
        let mut factors = FactorArrays::default();
        for row in rows {
            let c = row.columns;
            if let (Some(caregiver), Some(when), Some(_)) = (row.caregiver_id, c.occurred_at, c.entry_kind) {
                for factor in &c.factors {
                    factors.records.push(*row.id.as_uuid());
                    factors.factors.push(factor.code());
                    factors.caregivers.push(caregiver);
                    factors.harmful.push(Columns::is_co_destruction(*factor));
                    factors.at.push(when);
                    factors.subjects.push(c.subject.as_ref().map(|s| s.key.clone()));
                }
            }
        }
        let (statuses, replies) = need_sides(rows);
        Sides { agency_id, ids, terms, factors, statuses, replies }
    }

    /// Queues the statements that store the sides: a few per write, however many rows it has.
    pub(super) fn queue<'p>(&'p self, pipeline: &mut Pipeline<'p>) {
        if self.ids.is_empty() {
            return;
        }
        if self.terms.iter().any(Option::is_some) {
            pipeline.push(
                "INSERT INTO entry_search (record_id, search)
                 SELECT t.id, array_to_tsvector(string_to_array(t.terms, ' '))
                 FROM unnest($1::uuid[], $2::text[]) AS t(id, terms) WHERE t.terms IS NOT NULL
                 ON CONFLICT (record_id) DO UPDATE SET search = excluded.search",
                vec![&self.ids, &self.terms],
            );
        }
        if self.terms.iter().any(Option::is_none) {
            pipeline.push(
                "DELETE FROM entry_search s USING unnest($1::uuid[], $2::text[]) AS t(id, terms)
                 WHERE s.record_id = t.id AND t.terms IS NULL",
                vec![&self.ids, &self.terms],
            );
        }
        pipeline.push("DELETE FROM record_factors WHERE record_id = ANY($1)", vec![&self.ids]);
        let f = &self.factors;
        if !f.records.is_empty() {
            pipeline.push(
                "INSERT INTO record_factors (record_id, factor, agency_id, caregiver_id, co_destruction, occurred_at,
                                             subject)
                 SELECT t.r, t.f, $1, t.c, t.d, t.at, t.s
                 FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::bool[], $6::timestamptz[], $7::text[])
                     AS t(r, f, c, d, at, s)
                 ON CONFLICT DO NOTHING",
                vec![&self.agency_id, &f.records, &f.factors, &f.caregivers, &f.harmful, &f.at, &f.subjects],
            );
        }
        if !self.statuses.ids.is_empty() {
            let NeedArrays { ids, at, values: codes } = &self.statuses;
            pipeline.push(
                "UPDATE records r SET need_status = t.status, need_status_at = t.at
                 FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]) AS t(id, at, status)
                 WHERE r.id = t.id AND r.entry_kind = 'need'
                   AND (r.need_status_at IS NULL OR r.need_status_at <= t.at)",
                vec![ids, at, codes],
            );
        }
        if !self.replies.ids.is_empty() {
            let NeedArrays { ids, at: first, values: last } = &self.replies;
            pipeline.push(
                "UPDATE records r SET first_reply_at = LEAST(r.first_reply_at, t.first),
                                      last_reply_at = GREATEST(r.last_reply_at, t.last)
                 FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS t(id, first, last)
                 WHERE r.id = t.id",
                vec![ids, first, last],
            );
        }
    }
}

/// What the rows do to their needs: the newest status change per need moves its status (if
/// newer than the stored one, which the statement checks); staff replies set the need's first
/// and last reply times.
fn need_sides(rows: &[Written<'_>]) -> (NeedArrays<&'static str>, NeedArrays<DateTime<Utc>>) {
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
    (statuses.into_iter().collect(), replies.into_iter().collect())
}

/// Rewrites the readable columns of rows stored before them (or by an older definition), as
/// they are, the records' versions and change ids unchanged; then their sides.
async fn refill(tx: &Transaction<'_>, agency_id: Uuid, rows: &[Written<'_>]) -> PgResult<()> {
    let ids: Vec<Uuid> = rows.iter().map(|r| *r.id.as_uuid()).collect();
    let columns = ColumnArrays::of(rows.iter().map(|r| r.columns));
    let sides = Sides::of(agency_id, rows);
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&ids];
    params.extend(columns.params());
    params.push(&COLUMNS_VERSION);
    let mut pipeline = Pipeline::default();
    pipeline.push(
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
        params,
    );
    sides.queue(&mut pipeline);
    pipeline.run(tx).await
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
