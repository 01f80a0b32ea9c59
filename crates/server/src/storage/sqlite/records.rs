//! Records in SQLite: applying pushed batches and agency writes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use convivio_core::sync::PushBatch;
use convivio_core::{Hlc, Owner, Record, RecordId, RecordKind, Role};
use rusqlite::types::Type;
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::columns::{opt_uuid_at, ts, uuid_at};
use super::readable;
use crate::error::{StoreError, StoreResult};
use crate::storage::batch::{check_agency_records, refusal, refusals, screen, tail};
use crate::storage::columns::Columns;
use crate::storage::merge::{Plan, Row, Writer, merge, wanted};
use crate::storage::{Applied, Merged};

/// SQLite integers are signed; sequence numbers and cursors beyond i64 are refused, not wrapped.
pub(super) fn to_i64(field: &str, n: u64) -> StoreResult<i64> {
    i64::try_from(n).map_err(|_| {
        convivio_core::Invalid::new(
            field,
            convivio_core::Rule::TooLong { max: i64::MAX.unsigned_abs() },
            "is too large",
        )
        .into()
    })
}

pub(super) fn apply_batch(
    tx: &Transaction<'_>,
    device_id: Uuid,
    batch: &PushBatch,
    now: DateTime<Utc>,
) -> StoreResult<Applied> {
    let (acked, revoked, caregiver_id, agency_id) = tx
        .prepare_cached(
            "SELECT d.acked_seq, d.revoked_at IS NOT NULL, d.caregiver_id, c.agency_id
             FROM devices d JOIN caregivers c ON c.id = d.caregiver_id WHERE d.id = ?1",
        )?
        .query_row([device_id.to_string()], |r| {
            Ok((r.get::<_, i64>(0)?.unsigned_abs(), r.get::<_, bool>(1)?, uuid_at(r, 2)?, uuid_at(r, 3)?))
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound { kind: "device", id: device_id.to_string() })?;
    if revoked {
        return Err(StoreError::Revoked);
    }
    let tail = tail(batch, acked)?;
    let new = &batch.changes[tail.skip..];
    if new.is_empty() {
        return Ok(Applied { acked_seq: acked, new_changes: 0, refused: Vec::new() });
    }
    let screened = screen(new, tail.first_seq, Owner::caregiver(caregiver_id), now);
    let stamped: Vec<Record> = screened.accepted.iter().map(|(_, r)| r.clone()).collect();

    let mut insert = tx.prepare_cached(
        "INSERT INTO changes (device_id, seq, record_id, received_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (seq, record) in (tail.first_seq..).zip(new) {
        insert.execute(params![
            device_id.to_string(),
            to_i64("push.first_seq", seq)?,
            record.id().to_string(),
            ts(now)
        ])?;
    }
    let writer = Writer::Device { agency_id, caregiver_id, device_id };
    let plan = merge(writer, load_rows(tx, &stamped)?, &stamped)?;
    write_plan(tx, agency_id, &plan, now)?;
    let acked_seq = tail.first_seq + new.len() as u64 - 1;
    tx.prepare_cached("UPDATE devices SET acked_seq = ?2 WHERE id = ?1")?
        .execute(params![device_id.to_string(), to_i64("push.first_seq", acked_seq)?])?;
    let refused = refusals(screened, &plan);
    if !refused.is_empty() {
        tracing::warn!(device = %device_id, refused = refused.len(), "acknowledged, not stored: refused changes");
    }
    Ok(Applied { acked_seq, new_changes: new.len() as u64, refused })
}

/// Stores agency-side records for one caregiver (or the catalogue) in one transaction: all,
/// or, when one is refused, none (the error names it).
pub(super) fn put_agency_records(
    tx: &Transaction<'_>,
    agency_id: Uuid,
    caregiver_id: Option<Uuid>,
    records: &[Record],
    now: DateTime<Utc>,
) -> StoreResult<Vec<Merged>> {
    check_agency_records(agency_id, caregiver_id, records)?;
    let mut owners: Vec<Owner> = records.iter().map(Record::owner).collect();
    owners.sort_by_key(|o| o.id);
    owners.dedup();
    for owner in owners {
        require_scope(tx, agency_id, caregiver_id, owner)?;
    }
    let plan = merge(Writer::Agency { agency_id, caregiver_id }, load_rows(tx, records)?, records)?;
    for (record, outcome) in records.iter().zip(&plan.outcomes) {
        if let Merged::Refused(code) = outcome {
            return Err(StoreError::Forbidden(refusal(0, record, *code).message));
        }
    }
    write_plan(tx, agency_id, &plan, now)?;
    Ok(plan.outcomes)
}

/// The agency, the caregiver and the staff author must exist, and be of this agency.
fn require_scope(
    tx: &Transaction<'_>,
    agency_id: Uuid,
    caregiver_id: Option<Uuid>,
    owner: Owner,
) -> StoreResult<()> {
    let agency = agency_id.to_string();
    if !tx.prepare_cached("SELECT 1 FROM agencies WHERE id = ?1")?.exists([&agency])? {
        return Err(StoreError::NotFound { kind: "agency", id: agency });
    }
    let of_agency = |sql: &str, id: Uuid| -> StoreResult<bool> {
        Ok(tx.prepare_cached(sql)?.exists([id.to_string(), agency.clone()])?)
    };
    if let Some(c) = caregiver_id
        && !of_agency("SELECT 1 FROM caregivers WHERE id = ?1 AND agency_id = ?2", c)?
    {
        return Err(StoreError::NotFound { kind: "caregiver", id: c.to_string() });
    }
    if owner.role == Role::Staff
        && !of_agency("SELECT 1 FROM staff WHERE id = ?1 AND agency_id = ?2", owner.id)?
    {
        return Err(StoreError::NotFound { kind: "staff member", id: owner.id.to_string() });
    }
    Ok(())
}

/// The current rows a merge of `incoming` needs (see [`wanted`]).
fn load_rows(tx: &Transaction<'_>, incoming: &[Record]) -> StoreResult<HashMap<RecordId, Row>> {
    const COLUMNS: &str =
        "id, agency_id, caregiver_id, origin_device_id, kind, version, round, parent_id, body";
    let wanted = wanted(incoming);
    let mut rows = HashMap::new();
    let mut by_id = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM records WHERE id = ?1"))?;
    for id in &wanted.ids {
        if let Some((id, row)) = by_id.query_row([id.to_string()], read_row).optional()? {
            rows.insert(id, row);
        }
    }
    let mut children = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM records WHERE parent_id = ?1"))?;
    for parent in &wanted.children_of {
        for child in children.query_map([parent.to_string()], read_row)? {
            let (id, row) = child?;
            rows.insert(id, row);
        }
    }
    Ok(rows)
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(RecordId, Row)> {
    let kind: String = r.get(4)?;
    let version: String = r.get(5)?;
    let parent = opt_uuid_at(r, 7)?;
    Ok((
        RecordId::from_uuid(uuid_at(r, 0)?),
        Row {
            agency_id: uuid_at(r, 1)?,
            caregiver_id: opt_uuid_at(r, 2)?,
            origin_device_id: opt_uuid_at(r, 3)?,
            kind: RecordKind::from_code(&kind).ok_or_else(|| bad_column(4, "an unknown record kind"))?,
            version: version.parse::<Hlc>().map_err(|_| bad_column(5, "an unreadable version"))?,
            round: r.get(6)?,
            parent_id: parent.map(RecordId::from_uuid),
            body: r.get(8)?,
            columns: Columns::default(),
        },
    ))
}

fn bad_column(idx: usize, what: &'static str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, what.into())
}

/// Erases histories, stores rows with their change ids and readable columns, keeps losers.
fn write_plan(tx: &Transaction<'_>, agency_id: Uuid, plan: &Plan, now: DateTime<Utc>) -> StoreResult<()> {
    let mut erase = tx.prepare_cached("DELETE FROM history WHERE record_id = ?1")?;
    for id in plan.delete_rows.iter().chain(&plan.erase_history) {
        erase.execute([id.to_string()])?;
    }
    let mut delete = tx.prepare_cached("DELETE FROM records WHERE id = ?1")?;
    for id in &plan.delete_rows {
        delete.execute([id.to_string()])?;
    }
    let first_id = change_ids(tx, agency_id, plan.writes.len())?;
    let updated_at = ts(now);
    let rows: Vec<readable::Stored<'_>> = plan
        .writes
        .iter()
        .zip(first_id..)
        .map(|((id, row), change_id)| readable::Stored {
            id: id.to_string(),
            agency_id: row.agency_id.to_string(),
            caregiver_id: row.caregiver_id.map(|c| c.to_string()),
            kind: row.kind,
            version: row.version.to_string(),
            body: &row.body,
            origin_device_id: row.origin_device_id.map(|d| d.to_string()),
            change_id,
            updated_at: updated_at.clone(),
            round: i64::from(row.round),
            parent_id: row.parent_id.map(|p| p.to_string()),
            columns: &row.columns,
        })
        .collect();
    readable::store_all(tx, &rows)?;
    let mut keep = tx.prepare_cached(
        "INSERT INTO history (record_id, version, body) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )?;
    for kept in &plan.history {
        keep.execute(params![kept.record_id.to_string(), kept.version.to_string(), kept.body])?;
    }
    Ok(())
}

/// Takes `n` change ids from the agency's counter and returns the first. Inside the write's
/// transaction, which holds the whole database: on SQLite there is no row lock to order (the
/// PostgreSQL store numbers device batches after their commit instead, `postgres/stamp.rs`).
fn change_ids(tx: &Transaction<'_>, agency_id: Uuid, n: usize) -> StoreResult<i64> {
    if n == 0 {
        return Ok(0);
    }
    let n = n as i64;
    let top: i64 = tx
        .prepare_cached(
            "UPDATE agencies SET change_counter = change_counter + ?2 WHERE id = ?1 RETURNING change_counter",
        )?
        .query_row(params![agency_id.to_string(), n], |r| r.get(0))?;
    Ok(top - n + 1)
}
