//! The outbox: changes waiting for the agency's server, in order.
//!
//! Rows are written in the same transaction as the change they carry, numbered from a counter
//! in `device_state` (never `max(seq) + 1`, which would reuse numbers once acknowledged rows
//! are pruned), so the sequence is gap-free per device and the server can detect a gap.

use convivio_core::entry::Entry;
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
    neutralise(tx, tombstone)?;
    enqueue(tx, &Record::Tombstone(tombstone.clone()))?;
    Ok(())
}

/// Every queued copy of the record becomes `tombstone`, keeping its number: for a deletion or
/// withdrawal, here or on another device, after which no content of it may leave the device.
pub(crate) fn neutralise(tx: &Transaction<'_>, tombstone: &Tombstone) -> Result<()> {
    let payload = serde_json::to_string(&Record::Tombstone(tombstone.clone())).map_err(damaged)?;
    tx.execute(
        "UPDATE outbox SET payload = ?1, record_kind = 'tombstone', version = ?2 WHERE record_id = ?3",
        params![payload, tombstone.version.to_string(), tombstone.id.to_string()],
    )?;
    Ok(())
}

/// Numbers the waiting changes `first`, `first + 1`, ... in their order, and the next change
/// after them. For a new device identity (re-enrolment), whose server expects a fresh sequence.
pub(crate) fn renumber_from(tx: &Transaction<'_>, first: u64) -> Result<()> {
    let seqs: Vec<i64> = {
        let mut stmt = tx.prepare("SELECT seq FROM outbox ORDER BY seq")?;
        stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    // Through negative numbers, so no row ever collides with one not yet moved.
    tx.execute("UPDATE outbox SET seq = -seq", [])?;
    let mut next = first as i64;
    let mut renumber = tx.prepare("UPDATE outbox SET seq = ?1 WHERE seq = ?2")?;
    for seq in seqs {
        renumber.execute(params![next, -seq])?;
        next += 1;
    }
    tx.execute("UPDATE device_state SET next_seq = ?1 WHERE id = 1", [next])?;
    Ok(())
}

/// Queues again, from `first`, the current version of everything the agency may hold (shared
/// entries, the withdrawals of entries made private, deletions of what it had, the caregiver's
/// own other records), followed by the changes still waiting. For a server that has none of it,
/// or lost part of it: a diary enrolled again, or a server restored from a backup. What never
/// left the device stays out, as always: a private entry that was never shared, or its deletion.
pub(crate) fn rebuild_from(tx: &Transaction<'_>, first: u64) -> Result<()> {
    let waiting: Vec<String> = bodies(tx, "SELECT payload FROM outbox ORDER BY seq")?;
    tx.execute("DELETE FROM outbox", [])?;
    tx.execute("UPDATE device_state SET next_seq = ?1 WHERE id = 1", [first as i64])?;
    let node: i64 = tx.query_row("SELECT node_id FROM device_state WHERE id = 1", [], |r| r.get(0))?;
    let mut queued = std::collections::HashSet::new();
    let mut queue = |record: Record| -> Result<()> {
        // A waiting change that is also the current version goes once.
        if queued.insert((record.id(), record.version())) {
            enqueue(tx, &record)?;
        }
        Ok(())
    };
    for body in bodies(tx, "SELECT body FROM entries WHERE sharing <> 'private' ORDER BY rowid")? {
        queue(Record::Entry(serde_json::from_str(&body).map_err(damaged)?))?;
    }
    // Private now, shared once (a later round): the agency may still hold the earlier round.
    let withdrawn = "SELECT body FROM entries WHERE sharing = 'private' AND coalesce(json_extract(body, '$.round'), 0) > 0
                     ORDER BY rowid";
    for body in bodies(tx, withdrawn)? {
        let private: Entry = serde_json::from_str(&body).map_err(damaged)?;
        let shared = Entry { round: private.round - 1, ..private.clone() };
        queue(Record::Tombstone(shared.withdrawn(private, crate::clock::utc_now()).1))?;
    }
    // Deletions of what the agency had: of a later round, from another device, or of an entry
    // that was shared at some point (its history says so).
    let deleted = "SELECT t.body FROM tombstones t
                   WHERE t.record_kind <> 'entry'
                      OR coalesce(json_extract(t.body, '$.round'), 0) > 0
                      OR EXISTS (SELECT 1 FROM history h WHERE h.record_id = t.id AND h.record_kind = 'entry'
                                 AND json_extract(h.body, '$.sharing') <> 'private')
                   ORDER BY t.version";
    for body in bodies(tx, deleted)? {
        queue(Record::Tombstone(serde_json::from_str(&body).map_err(damaged)?))?;
    }
    let pulled_deletions = "SELECT body FROM tombstones WHERE record_kind = 'entry' ORDER BY version";
    for body in bodies(tx, pulled_deletions)? {
        let tombstone: Tombstone = serde_json::from_str(&body).map_err(damaged)?;
        if tombstone.version.node.0 != node as u64 {
            queue(Record::Tombstone(tombstone))?;
        }
    }
    let own =
        "SELECT body FROM records WHERE json_extract(body, '$.owner.role') = 'caregiver' ORDER BY version";
    for body in bodies(tx, own)?.into_iter().chain(waiting) {
        queue(serde_json::from_str(&body).map_err(damaged)?)?;
    }
    Ok(())
}

fn bodies(tx: &Transaction<'_>, sql: &str) -> Result<Vec<String>> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
