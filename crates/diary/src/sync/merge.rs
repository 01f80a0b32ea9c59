//! Merging one pulled version into the diary: entries and deletions from the caregiver's other
//! devices, and the agency's records.
//!
//! The rule is core's, the same for every kind and the same as the server's
//! ([`convivio_core::verdict`]): by round, then deletion, then clock. The losing version is kept
//! in history, so two devices editing one entry offline never silently lose either text; a
//! deletion (or a withdrawal) wins over every edit of its round, so an edit made here without
//! seeing it can neither bring the entry back nor re-share it. The same version twice changes
//! nothing, which makes a replayed response harmless. Nothing merged here is queued: it is not
//! this device's to send.

use convivio_core::entry::Entry;
use convivio_core::tombstone::Tombstone;
use convivio_core::{Rank, Record, RecordKind, Verdict, verdict};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::entries;
use crate::error::{Result, damaged};
use crate::outbox;
use crate::records::{self, Merged};

/// Merges `record` into the diary inside `tx`.
pub(crate) fn merge(tx: &Transaction<'_>, record: &Record) -> Result<Merged> {
    match record {
        Record::Entry(entry) => merge_entry(tx, entry),
        Record::Tombstone(tombstone) => merge_tombstone(tx, tombstone),
        other => records::put_received(tx, other),
    }
}

/// What the diary holds of one record, ranked: its current version and its deletion.
fn newest(current: Option<Rank>, deleted: Option<&Tombstone>) -> Option<Rank> {
    current.into_iter().chain(deleted.map(Tombstone::rank)).max()
}

fn merge_entry(tx: &Transaction<'_>, incoming: &Entry) -> Result<Merged> {
    let id = incoming.id.to_string();
    let deleted = deletion(tx, &id)?;
    let current = current_entry(tx, &id)?;
    match newest(current.as_ref().map(Entry::rank), deleted.as_ref()).map(|n| verdict(n, incoming.rank())) {
        Some(Verdict::Same) => return Ok(Merged::AlreadyHad),
        Some(Verdict::Older) => {
            entries::remember(tx, incoming)?;
            return Ok(Merged::KeptAsHistory);
        }
        Some(Verdict::Newer) | None => {}
    }
    match current {
        Some(old) => entries::overwrite(tx, &old, incoming)?,
        None => {
            if let Some(old) = deleted {
                // Shared again in a later round: the entry is back; the deletion is history.
                keep_deletion(tx, &old)?;
                tx.execute("DELETE FROM tombstones WHERE id = ?1", [&id])?;
            }
            entries::insert(tx, incoming)?;
        }
    }
    Ok(Merged::Stored)
}

fn merge_tombstone(tx: &Transaction<'_>, incoming: &Tombstone) -> Result<Merged> {
    let id = incoming.id.to_string();
    let deleted = deletion(tx, &id)?;
    let is_entry = incoming.record_kind == RecordKind::Entry;
    let current: Option<(Rank, String, String, String)> = if is_entry {
        current_entry(tx, &id)?
            .map(|e| -> Result<_> {
                Ok((
                    e.rank(),
                    e.version.to_string(),
                    "entry".to_owned(),
                    serde_json::to_string(&e).map_err(damaged)?,
                ))
            })
            .transpose()?
    } else {
        let row: Option<(String, String, String)> = tx
            .query_row("SELECT version, kind, body FROM records WHERE id = ?1", [&id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        row.map(|(version, kind, body)| -> Result<_> {
            let record: Record = serde_json::from_str(&body).map_err(damaged)?;
            Ok((record.rank(), version, kind, body))
        })
        .transpose()?
    };
    match newest(current.as_ref().map(|c| c.0), deleted.as_ref()).map(|n| verdict(n, incoming.rank())) {
        Some(Verdict::Same) => return Ok(Merged::AlreadyHad),
        Some(Verdict::Older) => {
            keep_deletion(tx, incoming)?;
            return Ok(Merged::KeptAsHistory);
        }
        Some(Verdict::Newer) | None => {}
    }
    if let Some((_, old_version, kind, old_body)) = current {
        records::remember(tx, &id, &kind, &old_version, &old_body)?;
        if is_entry {
            entries::unindex(tx, incoming.id)?;
            tx.execute("DELETE FROM entries WHERE id = ?1", [&id])?;
        } else {
            tx.execute("DELETE FROM records WHERE id = ?1", [&id])?;
        }
    }
    if let Some(old) = deleted {
        keep_deletion(tx, &old)?;
    }
    // An edit of it still waiting here was made without seeing this deletion: it must not go.
    outbox::neutralise(tx, incoming)?;
    if is_entry {
        drop_children(tx, incoming)?;
    }
    tx.execute(
        "INSERT INTO tombstones (id, record_kind, version, body) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET record_kind = excluded.record_kind, version = excluded.version,
                                        body = excluded.body",
        params![
            id,
            incoming.record_kind.code(),
            incoming.version.to_string(),
            serde_json::to_string(incoming).map_err(damaged)?
        ],
    )?;
    Ok(Merged::Stored)
}

/// The thread and status history under an entry deleted on another device go with it (the
/// server deleted the caregiver's messages under it too); a message of this device's still
/// waiting to be sent becomes its deletion.
fn drop_children(tx: &Transaction<'_>, entry: &Tombstone) -> Result<()> {
    let children: Vec<(String, String)> = {
        let mut stmt = tx.prepare("SELECT id, body FROM records WHERE parent_id = ?1")?;
        let rows = stmt.query_map([entry.id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, body) in children {
        let child: Record = serde_json::from_str(&body).map_err(damaged)?;
        let deletion = Tombstone {
            id: child.id(),
            version: entry.version,
            owner: child.owner(),
            record_kind: child.kind(),
            round: 0,
            deleted_at: entry.deleted_at,
        };
        outbox::neutralise(tx, &deletion)?;
        tx.execute("DELETE FROM records WHERE id = ?1", [&id])?;
    }
    Ok(())
}

/// The stored deletion of `id`.
fn deletion(tx: &Transaction<'_>, id: &str) -> Result<Option<Tombstone>> {
    let body: Option<String> =
        tx.query_row("SELECT body FROM tombstones WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    body.map(|b| serde_json::from_str(&b).map_err(damaged)).transpose()
}

fn current_entry(tx: &Transaction<'_>, id: &str) -> Result<Option<Entry>> {
    let body: Option<String> =
        tx.query_row("SELECT body FROM entries WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    body.map(|b| serde_json::from_str(&b).map_err(damaged)).transpose()
}

/// A deletion that lost, or was undone by a later round, stays in history like any version.
fn keep_deletion(tx: &Transaction<'_>, tombstone: &Tombstone) -> Result<()> {
    let body = serde_json::to_string(tombstone).map_err(damaged)?;
    records::remember(
        tx,
        &tombstone.id.to_string(),
        RecordKind::Tombstone.code(),
        &tombstone.version.to_string(),
        &body,
    )
}
