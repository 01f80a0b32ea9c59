//! Writing the readable columns ([`Columns`]) of the rows a write just stored, in its
//! transaction, a few array statements per write however many rows it has: the columns and the
//! entry's search words (`to_tsvector` over `unaccent`), its factor tags, and what status changes
//! and staff replies do to their needs' rows. Also the start-up fill of rows written before the
//! columns existed. The SQLite twin is `sqlite/readable.rs`; what the columns hold is shared.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use convivio_core::{Record, RecordId, RecordKind, Role};
use deadpool_postgres::Transaction;
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

pub(super) async fn write(tx: &Transaction<'_>, agency_id: Uuid, rows: &[Written<'_>]) -> PgResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| *r.id.as_uuid()).collect();
    let col = |f: &dyn Fn(&Columns) -> Option<String>| -> Vec<Option<String>> {
        rows.iter().map(|r| f(r.columns)).collect()
    };
    let entry_kinds = col(&|c| c.entry_kind.map(|k| k.code().to_owned()));
    let sharing = col(&|c| c.sharing.map(|s| s.code().to_owned()));
    let categories = col(&|c| c.need_category.map(|n| n.code().to_owned()));
    let urgencies = col(&|c| c.urgency.map(|u| u.code().to_owned()));
    let subjects = col(&|c| c.subject.as_ref().map(|s| s.key.clone()));
    let labels = col(&|c| c.subject.as_ref().map(|s| s.label.clone()));
    let statuses = col(&|c| c.status.map(|s| s.code().to_owned()));
    let roles = col(&|c| c.owner_role.map(|r| role_code(r).to_owned()));
    let words = col(&|c| if c.entry_kind.is_some() { c.words.clone() } else { None });
    let occurred: Vec<Option<DateTime<Utc>>> = rows.iter().map(|r| r.columns.occurred_at).collect();
    let recorded: Vec<Option<DateTime<Utc>>> = rows.iter().map(|r| r.columns.recorded_at).collect();
    let scores: Vec<Option<i16>> = rows.iter().map(|r| r.columns.score.map(i16::from)).collect();
    let owners: Vec<Option<Uuid>> = rows.iter().map(|r| r.columns.owner_id).collect();
    let statement = tx
        .prepare_cached(
            "UPDATE records r SET entry_kind = t.entry_kind, sharing = t.sharing, occurred_at = t.occurred,
                 recorded_at = t.recorded, need_category = t.category, urgency = t.urgency, score = t.score,
                 subject = t.subject, subject_label = t.label, status = t.status, owner_role = t.role,
                 owner_id = t.owner, columns_version = $15,
                 search = CASE WHEN t.words IS NULL THEN NULL ELSE to_tsvector('simple', unaccent(t.words)) END,
                 need_status = CASE WHEN t.entry_kind = 'need' THEN coalesce(r.need_status, 'open') END,
                 need_status_at = CASE WHEN t.entry_kind = 'need' THEN r.need_status_at END
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[],
                         $7::text[], $8::int2[], $9::text[], $10::text[], $11::text[], $12::text[], $13::uuid[],
                         $14::text[])
                 AS t(id, entry_kind, sharing, occurred, recorded, category, urgency, score, subject, label,
                      status, role, owner, words)
             WHERE r.id = t.id",
        )
        .await?;
    tx.execute(
        &statement,
        &[
            &ids,
            &entry_kinds,
            &sharing,
            &occurred,
            &recorded,
            &categories,
            &urgencies,
            &scores,
            &subjects,
            &labels,
            &statuses,
            &roles,
            &owners,
            &words,
            &COLUMNS_VERSION,
        ],
    )
    .await?;
    write_factors(tx, agency_id, &ids, rows).await?;
    write_need_side(tx, rows).await
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
        write(tx, *agency_id, &rows).await?;
    }
    Ok(found.len())
}
