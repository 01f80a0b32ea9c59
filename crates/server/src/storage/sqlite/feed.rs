//! The per-device feed and agency-scoped reads, in SQLite.

use convivio_core::{Record, RecordId};
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::records::to_i64;
use crate::error::{StoreError, StoreResult};
use crate::storage::page::fits;
use crate::storage::{Device, Pulled};

/// A page of the feed: rows are read one at a time, so reading stops where the page does (at
/// `limit` records or `max_bytes` of JSON, whichever comes first, one row past it to know there
/// is more).
pub(super) fn pull(
    tx: &Transaction<'_>,
    device: &Device,
    cursor: u64,
    limit: u32,
    max_bytes: usize,
) -> StoreResult<Pulled> {
    let limit = limit.max(1);
    let counter: i64 = tx
        .prepare_cached("SELECT change_counter FROM agencies WHERE id = ?1")?
        .query_row([device.agency_id.to_string()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound { kind: "agency", id: device.agency_id.to_string() })?;
    let mut page = tx.prepare_cached(
        "SELECT change_id, body FROM (
             SELECT change_id, body FROM records
             WHERE caregiver_id = ?2 AND change_id > ?4
               AND (origin_device_id IS NULL OR origin_device_id <> ?3)
             ORDER BY change_id LIMIT ?5)
         UNION ALL
         SELECT change_id, body FROM (
             SELECT change_id, body FROM records
             WHERE agency_id = ?1 AND caregiver_id IS NULL AND change_id > ?4
             ORDER BY change_id LIMIT ?5)
         ORDER BY change_id LIMIT ?5",
    )?;
    let fetch = i64::from(limit) + 1;
    let params = params![
        device.agency_id.to_string(),
        device.caregiver_id.to_string(),
        device.id.to_string(),
        to_i64("cursor", cursor)?,
        fetch
    ];
    let mut rows = page.query(params)?;
    let mut records = Vec::new();
    let (mut last, mut bytes) = (cursor, 0usize);
    let mut more = false;
    while let Some(row) = rows.next()? {
        let body = row.get_ref(1)?.as_str().map_err(|e| StoreError::Database(e.to_string()))?;
        if !fits(records.len(), limit, bytes, body.len(), max_bytes) {
            more = true;
            break;
        }
        let change_id: i64 = row.get(0)?;
        records.push(parse_body(body)?);
        bytes += body.len();
        last = change_id.unsigned_abs();
    }
    let cursor = if more { last } else { counter.unsigned_abs() };
    Ok(Pulled { records, cursor, more })
}

fn parse_body(body: &str) -> StoreResult<Record> {
    serde_json::from_str(body)
        .map_err(|e| StoreError::Database(format!("a stored record is unreadable: {e}")))
}

pub(super) fn record(tx: &Transaction<'_>, agency_id: Uuid, id: RecordId) -> StoreResult<Option<Record>> {
    let body: Option<String> = tx
        .prepare_cached("SELECT body FROM records WHERE id = ?1 AND agency_id = ?2")?
        .query_row([id.to_string(), agency_id.to_string()], |r| r.get(0))
        .optional()?;
    body.as_deref().map(parse_body).transpose()
}

pub(super) fn history(tx: &Transaction<'_>, agency_id: Uuid, id: RecordId) -> StoreResult<Vec<Record>> {
    let mut select = tx.prepare_cached(
        "SELECT h.body FROM history h JOIN records r ON r.id = h.record_id
         WHERE h.record_id = ?1 AND r.agency_id = ?2 ORDER BY h.version",
    )?;
    let bodies = select.query_map([id.to_string(), agency_id.to_string()], |r| r.get::<_, String>(0))?;
    bodies.map(|b| parse_body(&b?)).collect()
}
