//! Records in PostgreSQL: applying pushed batches and agency writes. Rows travel as arrays
//! (`unnest`), so a batch of a thousand changes is a handful of statements, not thousands of
//! round trips. A batch's rows are written with change id 0 and get their ids after the commit,
//! from the stamper ([`super::stamp`]); an agency write stamps its row itself.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use convivio_core::sync::PushBatch;
use convivio_core::{Hlc, Owner, Record, RecordId, RecordKind, Role};
use deadpool_postgres::Transaction;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use super::pipeline::Pipeline;
use super::{PgResult, readable, stamp};
use crate::error::StoreError;
use crate::storage::batch::{check_agency_records, refusal, refusals, screen, tail};
use crate::storage::columns::{COLUMNS_VERSION, Columns};
use crate::storage::merge::{Plan, Row, Writer, merge, wanted};
use crate::storage::{Applied, Merged};

/// PostgreSQL's bigint is signed; numbers beyond it are refused, not wrapped.
pub(super) fn to_i64(field: &str, n: u64) -> PgResult<i64> {
    i64::try_from(n).map_err(|_| {
        StoreError::from(convivio_core::Invalid::new(
            field,
            convivio_core::Rule::TooLong { max: i64::MAX.unsigned_abs() },
            "is too large",
        ))
        .into()
    })
}

pub(super) async fn apply_batch(
    tx: &Transaction<'_>,
    device_id: Uuid,
    batch: &PushBatch,
    now: DateTime<Utc>,
) -> PgResult<Applied> {
    // Locks the device row: the same device's batches, on any replica, apply one at a time.
    let statement = tx
        .prepare_cached(
            "SELECT d.acked_seq, d.revoked_at IS NOT NULL, d.caregiver_id, c.agency_id
             FROM devices d JOIN caregivers c ON c.id = d.caregiver_id WHERE d.id = $1 FOR UPDATE OF d",
        )
        .await?;
    let device = tx
        .query_opt(&statement, &[&device_id])
        .await?
        .ok_or_else(|| StoreError::NotFound { kind: "device", id: device_id.to_string() })?;
    let (acked, revoked): (i64, bool) = (device.get(0), device.get(1));
    let (caregiver_id, agency_id): (Uuid, Uuid) = (device.get(2), device.get(3));
    if revoked {
        return Err(StoreError::Revoked.into());
    }
    let acked = acked.unsigned_abs();
    let tail = tail(batch, acked)?;
    let new = &batch.changes[tail.skip..];
    if new.is_empty() {
        return Ok(Applied { acked_seq: acked, new_changes: 0, refused: Vec::new() });
    }
    let screened = screen(new, tail.first_seq, Owner::caregiver(caregiver_id), now);
    let stamped: Vec<Record> = screened.accepted.iter().map(|(_, r)| r.clone()).collect();
    let acked_seq = tail.first_seq + new.len() as u64 - 1;

    let seqs: Vec<i64> =
        (to_i64("push.first_seq", tail.first_seq)?..=to_i64("push.first_seq", acked_seq)?).collect();
    let ids: Vec<Uuid> = new.iter().map(|r| *r.id().as_uuid()).collect();
    let statement = tx
        .prepare_cached(
            "INSERT INTO changes (device_id, seq, record_id, received_at)
             SELECT $1, s, r, $4 FROM unnest($2::bigint[], $3::uuid[]) AS t(s, r)",
        )
        .await?;
    tx.execute(&statement, &[&device_id, &seqs, &ids, &now]).await?;

    let writer = Writer::Device { agency_id, caregiver_id, device_id };
    let current = load_rows(tx, &stamped).await?;
    let existing: HashSet<RecordId> = current.keys().copied().collect();
    let plan = merge(writer, current, &stamped)?;
    // Change id 0 for every written row, and no lock on the agency row: batches of one agency
    // commit side by side, and the stamper numbers their rows afterwards. A record that was in
    // the feed and is rewritten here leaves it until then: its new version only comes later.
    write_plan(tx, agency_id, &existing, &plan, now).await?;
    let statement = tx.prepare_cached("UPDATE devices SET acked_seq = $2 WHERE id = $1").await?;
    tx.execute(&statement, &[&device_id, &to_i64("push.first_seq", acked_seq)?]).await?;

    let refused = refusals(screened, &plan);
    if !refused.is_empty() {
        tracing::warn!(device = %device_id, refused = refused.len(), "acknowledged, not stored: refused changes");
    }
    Ok(Applied { acked_seq, new_changes: new.len() as u64, refused })
}

/// Stores agency-side records for one caregiver (or the catalogue) in one transaction: all,
/// or, when one is refused, none (the error names it).
pub(super) async fn put_agency_records(
    tx: &Transaction<'_>,
    agency_id: Uuid,
    caregiver_id: Option<Uuid>,
    records: &[Record],
    now: DateTime<Utc>,
) -> PgResult<Vec<Merged>> {
    check_agency_records(agency_id, caregiver_id, records)?;
    let mut owners: Vec<Owner> = records.iter().map(Record::owner).collect();
    owners.sort_by_key(|o| o.id);
    owners.dedup();
    for owner in owners {
        require_scope(tx, agency_id, caregiver_id, owner).await?;
    }
    let current = load_rows(tx, records).await?;
    let existing: HashSet<RecordId> = current.keys().copied().collect();
    let plan = merge(Writer::Agency { agency_id, caregiver_id }, current, records)?;
    for (record, outcome) in records.iter().zip(&plan.outcomes) {
        if let Merged::Refused(code) = outcome {
            return Err(StoreError::Forbidden(refusal(0, record, *code).message).into());
        }
    }
    write_plan(tx, agency_id, &existing, &plan, now).await?;
    stamp_own_rows(tx, agency_id, &plan).await?;
    Ok(plan.outcomes)
}

/// The agency, the caregiver and the staff author must exist, and be of this agency.
async fn require_scope(
    tx: &Transaction<'_>,
    agency_id: Uuid,
    caregiver_id: Option<Uuid>,
    owner: Owner,
) -> PgResult<()> {
    if tx.query_opt("SELECT 1 FROM agencies WHERE id = $1", &[&agency_id]).await?.is_none() {
        return Err(StoreError::NotFound { kind: "agency", id: agency_id.to_string() }.into());
    }
    if let Some(c) = caregiver_id {
        let sql = "SELECT 1 FROM caregivers WHERE id = $1 AND agency_id = $2";
        if tx.query_opt(sql, &[&c, &agency_id]).await?.is_none() {
            return Err(StoreError::NotFound { kind: "caregiver", id: c.to_string() }.into());
        }
    }
    if owner.role == Role::Staff {
        let sql = "SELECT 1 FROM staff WHERE id = $1 AND agency_id = $2";
        if tx.query_opt(sql, &[&owner.id, &agency_id]).await?.is_none() {
            return Err(StoreError::NotFound { kind: "staff member", id: owner.id.to_string() }.into());
        }
    }
    Ok(())
}

/// The current rows a merge of `incoming` needs (see [`wanted`]), locked with their feed rows
/// (so a stamper skips a version this write is about to replace), each query in id order
/// (one order for everyone; a rare deadlock with a sibling deleting the same entry is retried
/// like any other). The children are looked up only when the batch deletes an entry, which is
/// rare: most batches take one indexed lookup by id, as before protocol 2.
async fn load_rows(tx: &Transaction<'_>, incoming: &[Record]) -> PgResult<HashMap<RecordId, Row>> {
    let wanted = wanted(incoming);
    let ids: Vec<Uuid> = wanted.ids.iter().map(|id| *id.as_uuid()).collect();
    let mut rows = HashMap::new();
    let by_id = tx
        .prepare_cached(
            "SELECT r.id, r.agency_id, r.caregiver_id, r.origin_device_id, r.kind, r.version, r.round,
                    r.parent_id, r.body::text
             FROM records r JOIN feed f ON f.record_id = r.id WHERE r.id = ANY($1) ORDER BY r.id FOR UPDATE",
        )
        .await?;
    for r in tx.query(&by_id, &[&ids]).await? {
        let (id, row) = read_row(&r)?;
        rows.insert(id, row);
    }
    if !wanted.children_of.is_empty() {
        let parents: Vec<Uuid> = wanted.children_of.iter().map(|id| *id.as_uuid()).collect();
        let children = tx
            .prepare_cached(
                "SELECT r.id, r.agency_id, r.caregiver_id, r.origin_device_id, r.kind, r.version, r.round,
                        r.parent_id, r.body::text
                 FROM records r JOIN feed f ON f.record_id = r.id WHERE r.parent_id = ANY($1)
                 ORDER BY r.id FOR UPDATE",
            )
            .await?;
        for r in tx.query(&children, &[&parents]).await? {
            let (id, row) = read_row(&r)?;
            rows.insert(id, row);
        }
    }
    Ok(rows)
}

fn read_row(r: &tokio_postgres::Row) -> PgResult<(RecordId, Row)> {
    let id: Uuid = r.get(0);
    let (kind, version): (String, String) = (r.get(4), r.get(5));
    let unreadable = |what: &str| StoreError::Database(format!("record {id} has {what}"));
    let round: i32 = r.get(6);
    let parent: Option<Uuid> = r.get(7);
    let row = Row {
        agency_id: r.get(1),
        caregiver_id: r.get(2),
        origin_device_id: r.get(3),
        kind: RecordKind::from_code(&kind).ok_or_else(|| unreadable("an unknown kind"))?,
        version: version.parse::<Hlc>().map_err(|_| unreadable("an unreadable version"))?,
        round: u32::try_from(round).map_err(|_| unreadable("a negative round"))?,
        parent_id: parent.map(RecordId::from_uuid),
        body: r.get(8),
        columns: Columns::default(),
    };
    Ok((RecordId::from_uuid(id), row))
}

/// Erases histories, writes rows with their readable columns and their feed rows (change id 0
/// until stamped), then what they put beside them, keeps losers: a few array statements, sent
/// together ([`Pipeline`]). New records are plain inserts: if another transaction inserts the
/// same id concurrently, the unique violation rolls this one back for a retry that merges
/// against the committed row.
async fn write_plan(
    tx: &Transaction<'_>,
    agency_id: Uuid,
    existing: &HashSet<RecordId>,
    plan: &Plan,
    now: DateTime<Utc>,
) -> PgResult<()> {
    let deleted: Vec<Uuid> = plan.delete_rows.iter().map(|id| *id.as_uuid()).collect();
    // Deleted rows lose their history too: one statement for both.
    let erased: Vec<Uuid> =
        plan.delete_rows.iter().chain(&plan.erase_history).map(|id| *id.as_uuid()).collect();
    let (inserts, updates): (Vec<_>, Vec<_>) = plan.writes.iter().partition(|(id, _)| !existing.contains(id));
    let (new_rows, new_columns) =
        (arrays(&inserts), readable::ColumnArrays::of(inserts.iter().map(|(_, row)| &row.columns)));
    let (old_rows, old_columns) =
        (arrays(&updates), readable::ColumnArrays::of(updates.iter().map(|(_, row)| &row.columns)));
    let feed = FeedArrays::of(plan);
    let kept = KeptArrays::of(plan);
    let written: Vec<readable::Written<'_>> = plan
        .writes
        .iter()
        .map(|(id, row)| readable::Written {
            id: *id,
            caregiver_id: row.caregiver_id,
            kind: row.kind,
            parent_id: row.parent_id,
            columns: &row.columns,
        })
        .collect();
    let sides = readable::Sides::of(agency_id, &written);

    let mut pipeline = Pipeline::default();
    if !erased.is_empty() {
        pipeline.push("DELETE FROM history WHERE record_id = ANY($1)", vec![&erased]);
    }
    if !deleted.is_empty() {
        pipeline.push("DELETE FROM feed WHERE record_id = ANY($1)", vec![&deleted]);
        pipeline.push("DELETE FROM records WHERE id = ANY($1)", vec![&deleted]);
    }
    if !inserts.is_empty() {
        pipeline.push(
            "INSERT INTO records (id, agency_id, caregiver_id, kind, version, body, origin_device_id,
                 updated_at, round, parent_id, entry_kind, sharing, occurred_at, recorded_at, need_category,
                 urgency, score, subject, subject_label, status, owner_role, owner_id, columns_version,
                 need_status)
             SELECT t.id, $1, t.caregiver_id, t.kind, t.version, t.body::jsonb, t.origin, $2, t.round,
                    t.parent, t.entry_kind, t.sharing, t.occurred, t.recorded, t.category, t.urgency,
                    t.score, t.subject, t.label, t.status, t.role, t.owner, $23,
                    CASE WHEN t.entry_kind = 'need' THEN 'open' END
             FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::int[],
                         $10::uuid[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[],
                         $15::text[], $16::text[], $17::int2[], $18::text[], $19::text[], $20::text[],
                         $21::text[], $22::uuid[])
                 AS t(id, caregiver_id, kind, version, body, origin, round, parent, entry_kind, sharing,
                      occurred, recorded, category, urgency, score, subject, label, status, role, owner)",
            row_params(&[&agency_id, &now], &new_rows, &new_columns),
        );
    }
    if !updates.is_empty() {
        // The agency's side of a need (its status, reply times) stays as it was.
        pipeline.push(
            "UPDATE records r SET caregiver_id = t.caregiver_id, kind = t.kind, version = t.version,
                 body = t.body::jsonb, origin_device_id = t.origin, updated_at = $1, round = t.round,
                 parent_id = t.parent, entry_kind = t.entry_kind, sharing = t.sharing,
                 occurred_at = t.occurred, recorded_at = t.recorded, need_category = t.category,
                 urgency = t.urgency, score = t.score, subject = t.subject, subject_label = t.label,
                 status = t.status, owner_role = t.role, owner_id = t.owner, columns_version = $22,
                 need_status = CASE WHEN t.entry_kind = 'need' THEN coalesce(r.need_status, 'open') END,
                 need_status_at = CASE WHEN t.entry_kind = 'need' THEN r.need_status_at END
             FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::int[],
                         $9::uuid[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[],
                         $14::text[], $15::text[], $16::int2[], $17::text[], $18::text[], $19::text[],
                         $20::text[], $21::uuid[])
                 AS t(id, caregiver_id, kind, version, body, origin, round, parent, entry_kind, sharing,
                      occurred, recorded, category, urgency, score, subject, label, status, role, owner)
             WHERE r.id = t.id",
            row_params(&[&now], &old_rows, &old_columns),
        );
    }
    if !feed.ids.is_empty() {
        // Every written version waits in the feed at change id 0 for the stamper, beside its
        // row (migrations/server/postgres/0008_feed.sql); its place in the plan's writes
        // orders the stamper's numbering.
        pipeline.push(
            "INSERT INTO feed (record_id, agency_id, caregiver_id, origin_device_id, change_id, updated_at, write_pos)
             SELECT t.id, $1, t.caregiver_id, t.origin, 0, $2, t.pos
             FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::int[]) AS t(id, caregiver_id, origin, pos)
             ON CONFLICT (record_id) DO UPDATE SET caregiver_id = excluded.caregiver_id,
                 origin_device_id = excluded.origin_device_id, change_id = 0,
                 updated_at = excluded.updated_at, write_pos = excluded.write_pos",
            vec![&agency_id, &now, &feed.ids, &feed.caregivers, &feed.origins, &feed.positions],
        );
    }
    if !kept.ids.is_empty() {
        pipeline.push(
            "INSERT INTO history (record_id, version, body)
             SELECT r, v, b::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(r, v, b)
             ON CONFLICT DO NOTHING",
            vec![&kept.ids, &kept.versions, &kept.bodies],
        );
    }
    sides.queue(&mut pipeline);
    pipeline.run(tx).await
}

/// Every written row's place in the feed, for `unnest`.
struct FeedArrays {
    ids: Vec<Uuid>,
    caregivers: Vec<Option<Uuid>>,
    origins: Vec<Option<Uuid>>,
    /// The row's place in the plan's writes: the stamper numbers a batch's rows in this order.
    positions: Vec<i32>,
}

impl FeedArrays {
    fn of(plan: &Plan) -> Self {
        FeedArrays {
            ids: plan.writes.iter().map(|(id, _)| *id.as_uuid()).collect(),
            caregivers: plan.writes.iter().map(|(_, row)| row.caregiver_id).collect(),
            origins: plan.writes.iter().map(|(_, row)| row.origin_device_id).collect(),
            positions: (0..plan.writes.len()).map(|p| i32::try_from(p).unwrap_or(i32::MAX)).collect(),
        }
    }
}

/// The versions that lost and are kept in `history`, for `unnest`.
struct KeptArrays<'a> {
    ids: Vec<Uuid>,
    versions: Vec<String>,
    bodies: Vec<&'a str>,
}

impl<'a> KeptArrays<'a> {
    fn of(plan: &'a Plan) -> Self {
        KeptArrays {
            ids: plan.history.iter().map(|k| *k.record_id.as_uuid()).collect(),
            versions: plan.history.iter().map(|k| k.version.to_string()).collect(),
            bodies: plan.history.iter().map(|k| k.body.as_str()).collect(),
        }
    }
}

/// The rows of a write, column by column, for `unnest`.
#[derive(Default)]
struct Arrays<'a> {
    ids: Vec<Uuid>,
    caregivers: Vec<Option<Uuid>>,
    kinds: Vec<&'static str>,
    versions: Vec<String>,
    bodies: Vec<&'a str>,
    origins: Vec<Option<Uuid>>,
    rounds: Vec<i32>,
    parents: Vec<Option<Uuid>>,
}

/// The parameters of the INSERT and the UPDATE in [`write_plan`]: `lead`, then the rows' arrays,
/// their readable columns and the columns' version, the order both statements number them in.
fn row_params<'p>(
    lead: &[&'p (dyn ToSql + Sync)],
    c: &'p Arrays<'_>,
    columns: &'p readable::ColumnArrays,
) -> Vec<&'p (dyn ToSql + Sync)> {
    let mut params = lead.to_vec();
    params.extend([
        &c.ids as &(dyn ToSql + Sync),
        &c.caregivers,
        &c.kinds,
        &c.versions,
        &c.bodies,
        &c.origins,
        &c.rounds,
        &c.parents,
    ]);
    params.extend(columns.params());
    params.push(&COLUMNS_VERSION);
    params
}

fn arrays<'a>(writes: &[&'a (RecordId, Row)]) -> Arrays<'a> {
    let mut c = Arrays::default();
    for (id, row) in writes {
        c.ids.push(*id.as_uuid());
        c.caregivers.push(row.caregiver_id);
        c.kinds.push(row.kind.code());
        c.versions.push(row.version.to_string());
        c.bodies.push(row.body.as_str());
        c.origins.push(row.origin_device_id);
        c.rounds.push(i32::try_from(row.round).unwrap_or(i32::MAX));
        c.parents.push(row.parent_id.map(|p| *p.as_uuid()));
    }
    c
}

/// An agency write (rare: staff, the catalogue) stamps its own rows, last in its transaction,
/// as every write did before batches got the stamper: it waits for the agency row's lock and
/// holds it to the commit. Lock order: its record row (`load_rows`), then the agency row. The
/// stamper takes them the other way round, agency row first, but never waits for a record row
/// (`SKIP LOCKED`: it leaves this one to this write), so the two cannot deadlock. Committed
/// batch rows still waiting for an id keep waiting and get higher ids from the stamper, after
/// this commit: still commit order.
async fn stamp_own_rows(tx: &Transaction<'_>, agency_id: Uuid, plan: &Plan) -> PgResult<()> {
    if plan.writes.is_empty() {
        return Ok(());
    }
    let n = plan.writes.len() as i64;
    let ids: Vec<Uuid> = plan.writes.iter().map(|(id, _)| *id.as_uuid()).collect();
    let statement = tx
        .prepare_cached(
            "WITH counter AS (
                 UPDATE agencies SET change_counter = change_counter + $2 WHERE id = $1
                 RETURNING change_counter - $2 AS base)
             UPDATE feed f SET change_id = counter.base + t.ord
             FROM counter, unnest($3::uuid[]) WITH ORDINALITY AS t(id, ord)
             WHERE f.record_id = t.id",
        )
        .await?;
    tx.execute(&statement, &[&agency_id, &n, &ids]).await?;
    // It holds the agency row as a stamper would, so it folds the overview's deltas as one does.
    stamp::fold_overview(tx, agency_id).await
}
