//! Adding, editing, re-sharing and deleting entries, with their history, search index and
//! outbox rows written in one transaction.

use convivio_core::entry::{Entry, EntryDraft, EntryInput};
use convivio_core::tombstone::Tombstone;
use convivio_core::{Record, RecordId, Sharing};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::clock::{local_now, next_version, utc_now};
use crate::error::{DiaryError, Result, damaged};
use crate::{Diary, outbox};

impl Diary {
    /// Validates `input` and saves it as a new entry. When this returns, the entry is durable.
    pub fn add_entry(&mut self, input: &EntryInput) -> Result<Entry> {
        let draft = input.parse(local_now())?;
        self.add_draft(draft)
    }

    /// Saves an already validated entry.
    pub fn add_draft(&mut self, draft: EntryDraft) -> Result<Entry> {
        let tx = self.conn.transaction()?;
        let version = next_version(&mut self.clock, &tx)?;
        let entry = Entry::create(RecordId::new(), version, self.caregiver, utc_now(), draft);
        insert(&tx, &entry)?;
        if entry.sharing.leaves_device() {
            outbox::enqueue(&tx, &Record::Entry(entry.clone()))?;
        }
        tx.commit()?;
        Ok(entry)
    }

    /// Saves many validated entries in one transaction (bulk import).
    pub fn add_drafts(&mut self, drafts: Vec<EntryDraft>) -> Result<Vec<Entry>> {
        let tx = self.conn.transaction()?;
        let mut saved = Vec::with_capacity(drafts.len());
        for draft in drafts {
            let version = next_version(&mut self.clock, &tx)?;
            let entry = Entry::create(RecordId::new(), version, self.caregiver, utc_now(), draft);
            insert(&tx, &entry)?;
            if entry.sharing.leaves_device() {
                outbox::enqueue(&tx, &Record::Entry(entry.clone()))?;
            }
            saved.push(entry);
        }
        tx.commit()?;
        Ok(saved)
    }

    pub fn entry(&self, id: RecordId) -> Result<Entry> {
        let body: Option<String> = self
            .conn
            .query_row("SELECT body FROM entries WHERE id = ?1", [id.to_string()], |r| r.get(0))
            .optional()?;
        let body = body.ok_or_else(|| DiaryError::not_found("entry", id))?;
        serde_json::from_str(&body).map_err(damaged)
    }

    /// Replaces an entry's content (all fields, as in `input`). The previous version goes to
    /// history. Sharing changes follow the outbox rules: shared content is queued; content made
    /// private is withdrawn.
    pub fn update_entry(&mut self, id: RecordId, input: &EntryInput) -> Result<Entry> {
        let draft = input.parse(local_now())?;
        let tx = self.conn.transaction()?;
        let old = load(&tx, id)?;
        let version = next_version(&mut self.clock, &tx)?;
        let new = replace(&tx, &old, old.edited(version, draft)?)?;
        tx.commit()?;
        Ok(new)
    }

    /// Changes only who may see an entry.
    pub fn set_sharing(&mut self, id: RecordId, sharing: Sharing) -> Result<Entry> {
        let tx = self.conn.transaction()?;
        let old = load(&tx, id)?;
        if old.sharing == sharing {
            return Ok(old);
        }
        let version = next_version(&mut self.clock, &tx)?;
        let new = replace(&tx, &old, Entry { version, sharing, ..old.clone() })?;
        tx.commit()?;
        Ok(new)
    }

    /// Deletes an entry: it leaves the timeline and search, its last version is kept in
    /// history, its read receipts go, and a tombstone is written (and queued, if the agency had
    /// it).
    pub fn delete_entry(&mut self, id: RecordId) -> Result<Tombstone> {
        let tx = self.conn.transaction()?;
        let old = load(&tx, id)?;
        let version = next_version(&mut self.clock, &tx)?;
        let tombstone = old.deleted(version, utc_now());
        remember(&tx, &old)?;
        unindex(&tx, id)?;
        tx.execute("DELETE FROM entries WHERE id = ?1", [id.to_string()])?;
        crate::read_receipts::delete_under(&tx, id)?;
        tx.execute(
            "INSERT INTO tombstones (id, record_kind, version, body) VALUES (?1, 'entry', ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body",
            params![id.to_string(), version.to_string(), serde_json::to_string(&tombstone).map_err(damaged)?],
        )?;
        if old.sharing.leaves_device() {
            outbox::enqueue(&tx, &Record::Tombstone(tombstone.clone()))?;
        }
        tx.commit()?;
        Ok(tombstone)
    }

    /// Earlier versions of an entry, newest first.
    pub fn entry_history(&self, id: RecordId) -> Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT body FROM history WHERE record_id = ?1 AND record_kind = 'entry' ORDER BY version DESC",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| r.get::<_, String>(0))?;
        rows.map(|b| serde_json::from_str(&b?).map_err(damaged)).collect()
    }

    pub fn entry_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM entries", [], |r| r.get::<_, i64>(0))? as u64)
    }
}

fn load(tx: &Transaction<'_>, id: RecordId) -> Result<Entry> {
    let body: Option<String> =
        tx.query_row("SELECT body FROM entries WHERE id = ?1", [id.to_string()], |r| r.get(0)).optional()?;
    let body = body.ok_or_else(|| DiaryError::not_found("entry", id))?;
    serde_json::from_str(&body).map_err(damaged)
}

pub(crate) fn insert(tx: &Transaction<'_>, entry: &Entry) -> Result<()> {
    let body = serde_json::to_string(entry).map_err(damaged)?;
    tx.execute(
        "INSERT INTO entries (id, kind, version, occurred_utc, occurred_date, sharing, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            entry.id.to_string(),
            entry.kind().code(),
            entry.version.to_string(),
            entry.occurred_at.timestamp_millis(),
            entry.occurred_at.date_naive().to_string(),
            entry.sharing.code(),
            body
        ],
    )?;
    let rowid = tx.last_insert_rowid();
    index(tx, rowid, entry)
}

/// Writes `new` over `old` in place, keeping `old` in history, and queues what sharing requires;
/// returns what is stored. Making a shared entry private withdraws it: the withdrawal closes the
/// entry's round, and the private entry goes on in the next (see `convivio_core::verdict`).
fn replace(tx: &Transaction<'_>, old: &Entry, new: Entry) -> Result<Entry> {
    if new.sharing.leaves_device() {
        overwrite(tx, old, &new)?;
        outbox::enqueue(tx, &Record::Entry(new.clone()))?;
        Ok(new)
    } else if old.sharing.leaves_device() {
        let (private, withdrawal) = old.withdrawn(new, utc_now());
        overwrite(tx, old, &private)?;
        outbox::withdraw(tx, &withdrawal)?;
        Ok(private)
    } else {
        overwrite(tx, old, &new)?;
        Ok(new)
    }
}

/// Writes `new` over `old` in place, keeping `old` in history and the indexes in step. Queues
/// nothing: sync uses it for versions that came from the caregiver's other devices.
pub(crate) fn overwrite(tx: &Transaction<'_>, old: &Entry, new: &Entry) -> Result<()> {
    remember(tx, old)?;
    let rowid = unindex(tx, new.id)?;
    tx.execute(
        "UPDATE entries SET version = ?2, occurred_utc = ?3, occurred_date = ?4, sharing = ?5, body = ?6
         WHERE id = ?1",
        params![
            new.id.to_string(),
            new.version.to_string(),
            new.occurred_at.timestamp_millis(),
            new.occurred_at.date_naive().to_string(),
            new.sharing.code(),
            serde_json::to_string(new).map_err(damaged)?
        ],
    )?;
    index(tx, rowid, new)
}

/// Keeps a replaced version in history.
pub(crate) fn remember(tx: &Transaction<'_>, old: &Entry) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO history (record_id, record_kind, version, body, replaced_at)
         VALUES (?1, 'entry', ?2, ?3, ?4)",
        params![
            old.id.to_string(),
            old.version.to_string(),
            serde_json::to_string(old).map_err(damaged)?,
            utc_now().to_rfc3339()
        ],
    )?;
    Ok(())
}

/// Adds an entry's factors and text to the indexes.
fn index(tx: &Transaction<'_>, rowid: i64, entry: &Entry) -> Result<()> {
    let mut factor = tx.prepare_cached("INSERT INTO entry_factors (entry_rowid, factor) VALUES (?1, ?2)")?;
    for f in entry.body.factors() {
        factor.execute(params![rowid, f.code()])?;
    }
    tx.execute(
        "INSERT INTO entries_fts (rowid, text) VALUES (?1, ?2)",
        params![rowid, entry.body.texts().join("\n")],
    )?;
    Ok(())
}

/// Removes an entry from the indexes; returns its rowid.
pub(crate) fn unindex(tx: &Transaction<'_>, id: RecordId) -> Result<i64> {
    let rowid: i64 =
        tx.query_row("SELECT rowid FROM entries WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
    tx.execute("DELETE FROM entry_factors WHERE entry_rowid = ?1", [rowid])?;
    tx.execute("DELETE FROM entries_fts WHERE rowid = ?1", [rowid])?;
    Ok(rowid)
}
