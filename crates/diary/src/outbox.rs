//! The outbox: changes waiting for the agency's server, in order.
//!
//! Rows are written in the same transaction as the change they carry, numbered from a counter
//! in `device_state` (never `max(seq) + 1`, which would reuse numbers once acknowledged rows
//! are pruned), so the sequence is gap-free per device and the server can detect a gap.

use convivio_core::tombstone::Tombstone;
use convivio_core::{Record, RecordId};
use rusqlite::{Transaction, params};
use serde::Serialize;

use crate::Diary;
use crate::error::{Result, damaged};

/// One change waiting to be sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxItem {
    pub seq: u64,
    pub record: Record,
}

/// Appends `record` to the outbox and returns its sequence number.
pub(crate) fn enqueue(tx: &Transaction<'_>, record: &Record) -> Result<u64> {
    let seq: i64 = tx.query_row(
        "UPDATE device_state SET next_seq = next_seq + 1 WHERE id = 1 RETURNING next_seq - 1",
        [],
        |r| r.get(0),
    )?;
    let payload = serde_json::to_string(record).map_err(damaged)?;
    tx.execute(
        "INSERT INTO outbox (seq, record_id, record_kind, version, payload, enqueued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            seq,
            record.id().to_string(),
            record.kind().code(),
            record.version().to_string(),
            payload,
            crate::clock::utc_now().to_rfc3339()
        ],
    )?;
    Ok(seq as u64)
}

/// A shared record became private: its content must never leave the device from now on.
/// Every queued copy is replaced by the withdrawal tombstone (keeping its sequence number,
/// so the sequence stays gap-free), and the tombstone is queued so the server deletes its copy.
pub(crate) fn withdraw(tx: &Transaction<'_>, tombstone: &Tombstone) -> Result<()> {
    let record = Record::Tombstone(tombstone.clone());
    let payload = serde_json::to_string(&record).map_err(damaged)?;
    tx.execute(
        "UPDATE outbox SET payload = ?1, record_kind = 'tombstone', version = ?2 WHERE record_id = ?3",
        params![payload, tombstone.version.to_string(), tombstone.id.to_string()],
    )?;
    enqueue(tx, &record)?;
    Ok(())
}

impl Diary {
    /// The changes waiting to be sent, oldest first, at most `limit`.
    pub fn outbox(&self, limit: usize) -> Result<Vec<OutboxItem>> {
        let mut stmt = self.conn.prepare_cached("SELECT seq, payload FROM outbox ORDER BY seq LIMIT ?1")?;
        let rows = stmt.query_map([limit as i64], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        rows.map(|row| {
            let (seq, payload) = row?;
            Ok(OutboxItem { seq: seq as u64, record: serde_json::from_str(&payload).map_err(damaged)? })
        })
        .collect()
    }

    /// How many changes are waiting.
    pub fn outbox_len(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Whether any queued change concerns `id`.
    pub fn is_queued(&self, id: RecordId) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE record_id = ?1)",
            [id.to_string()],
            |r| r.get(0),
        )?)
    }
}
