//! Merging one pulled version into the diary: entries and deletions from the caregiver's other
//! devices, and the agency's records.
//!
//! The rule is the same for every kind: the higher HLC version wins, whether it is an edit or a
//! deletion (a tombstone is a version like any other), and the losing version is kept in
//! history, so two devices editing one entry offline never silently lose either text. The same
//! version twice changes nothing, which makes a replayed response harmless. Nothing merged
//! here is queued: it is not this device's to send.

use convivio_core::entry::Entry;
use convivio_core::tombstone::Tombstone;
use convivio_core::{Record, RecordKind};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::entries;
use crate::error::{Result, damaged};
use crate::records::{self, Merged};

/// Merges `record` into the diary inside `tx`.
pub(crate) fn merge(tx: &Transaction<'_>, record: &Record) -> Result<Merged> {
    match record {
        Record::Entry(entry) => merge_entry(tx, entry),
        Record::Tombstone(tombstone) => merge_tombstone(tx, tombstone),
        other => records::put_received(tx, other),
    }
}

fn merge_entry(tx: &Transaction<'_>, incoming: &Entry) -> Result<Merged> {
    let version = incoming.version.to_string();
    let deleted = deletion(tx, &incoming.id.to_string())?;
    let current = current_entry(tx, &incoming.id.to_string())?;
    let newest = deleted
        .as_ref()
        .map(|d| d.0.clone())
        .into_iter()
        .chain(current.as_ref().map(|c| c.version.to_string()))
        .max();
    match newest {
        Some(v) if v == version => return Ok(Merged::AlreadyHad),
        Some(v) if v > version => {
            entries::remember(tx, incoming)?;
            return Ok(Merged::KeptAsHistory);
        }
        _ => {}
    }
    match current {
        Some(old) => entries::overwrite(tx, &old, incoming)?,
        None => {
            if let Some((old_version, old_body)) = deleted {
                // An edit newer than the deletion brings the entry back; the deletion is history.
                keep_deletion(tx, &incoming.id.to_string(), &old_version, &old_body)?;
                tx.execute("DELETE FROM tombstones WHERE id = ?1", [incoming.id.to_string()])?;
            }
            entries::insert(tx, incoming)?;
        }
    }
    Ok(Merged::Stored)
}

fn merge_tombstone(tx: &Transaction<'_>, incoming: &Tombstone) -> Result<Merged> {
    let id = incoming.id.to_string();
    let version = incoming.version.to_string();
    let body = serde_json::to_string(incoming).map_err(damaged)?;
    let deleted = deletion(tx, &id)?;
    let is_entry = incoming.record_kind == RecordKind::Entry;
    let sql = if is_entry {
        "SELECT version, 'entry', body FROM entries WHERE id = ?1"
    } else {
        "SELECT version, kind, body FROM records WHERE id = ?1"
    };
    let current: Option<(String, String, String)> =
        tx.query_row(sql, [&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
    let newest =
        deleted.as_ref().map(|d| d.0.clone()).into_iter().chain(current.as_ref().map(|c| c.0.clone())).max();
    match newest {
        Some(v) if v == version => return Ok(Merged::AlreadyHad),
        Some(v) if v > version => {
            keep_deletion(tx, &id, &version, &body)?;
            return Ok(Merged::KeptAsHistory);
        }
        _ => {}
    }
    if let Some((old_version, kind, old_body)) = current {
        records::remember(tx, &id, &kind, &old_version, &old_body)?;
        if is_entry {
            entries::unindex(tx, incoming.id)?;
            tx.execute("DELETE FROM entries WHERE id = ?1", [&id])?;
        } else {
            tx.execute("DELETE FROM records WHERE id = ?1", [&id])?;
        }
    }
    if let Some((old_version, old_body)) = deleted {
        keep_deletion(tx, &id, &old_version, &old_body)?;
    }
    tx.execute(
        "INSERT INTO tombstones (id, record_kind, version, body) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET record_kind = excluded.record_kind, version = excluded.version,
                                        body = excluded.body",
        params![id, incoming.record_kind.code(), version, body],
    )?;
    Ok(Merged::Stored)
}

/// The stored deletion of `id`: (version, body).
fn deletion(tx: &Transaction<'_>, id: &str) -> Result<Option<(String, String)>> {
    Ok(tx
        .query_row("SELECT version, body FROM tombstones WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

fn current_entry(tx: &Transaction<'_>, id: &str) -> Result<Option<Entry>> {
    let body: Option<String> =
        tx.query_row("SELECT body FROM entries WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    body.map(|b| serde_json::from_str(&b).map_err(damaged)).transpose()
}

/// A deletion that lost, or was undone by a newer edit, stays in history like any version.
fn keep_deletion(tx: &Transaction<'_>, id: &str, version: &str, body: &str) -> Result<()> {
    records::remember(tx, id, RecordKind::Tombstone.code(), version, body)
}
