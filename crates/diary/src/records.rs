//! Records other than entries: the caregiver's messages, profile and consent, and what arrives
//! from the agency (staff messages, need status changes, read receipts, the service catalogue).
//!
//! They share one table keyed by id; the newest version wins and a replaced version goes to
//! history, as for entries.

use convivio_core::catalogue::CatalogueItem;
use convivio_core::consent::Consent;
use convivio_core::message::{Message, MessageInput};
use convivio_core::need_status::NeedStatusChange;
use convivio_core::profile::{Profile, ProfileInput};
use convivio_core::text::ShortText;
use convivio_core::tombstone::Tombstone;
use convivio_core::{Hlc, Invalid, Record, RecordId, RecordKind, Rule, Sharing, Verdict, verdict};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::clock::{next_version, utc_now};
use crate::error::{DiaryError, Result, damaged};
use crate::{Diary, outbox, read_receipts};

/// What happened to a version that arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Merged {
    /// It is now the current version.
    Stored,
    /// A newer version (or a newer deletion) is stored; this one went to history.
    KeptAsHistory,
    /// This exact version was already here: nothing changed.
    AlreadyHad,
}

/// Writes `record` if it is newer than what is stored; the older version goes to history.
/// Bodies are stored tagged, as the outbox and sync carry them.
pub(crate) fn put(tx: &Transaction<'_>, record: &Record) -> Result<Merged> {
    let id = record.id().to_string();
    let version = record.version().to_string();
    let body = serde_json::to_string(record).map_err(damaged)?;
    let current: Option<(String, String, String)> = tx
        .query_row("SELECT kind, version, body FROM records WHERE id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    if let Some((kind, old_version, old_body)) = current {
        let stored: Record = serde_json::from_str(&old_body).map_err(damaged)?;
        match verdict(stored.rank(), record.rank()) {
            Verdict::Same => return Ok(Merged::AlreadyHad),
            Verdict::Older => {
                // What is stored wins; the arriving version is kept, not dropped.
                remember(tx, &id, record.kind().code(), &version, &body)?;
                return Ok(Merged::KeptAsHistory);
            }
            Verdict::Newer => remember(tx, &id, &kind, &old_version, &old_body)?,
        }
    }
    tx.execute(
        "INSERT INTO records (id, kind, version, parent_id, body) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, version = excluded.version, body = excluded.body",
        params![id, record.kind().code(), version, record.parent().map(|p| p.to_string()), body],
    )?;
    Ok(Merged::Stored)
}

/// Stores a record that came from elsewhere: like [`put`], but a newer deletion of the same
/// record wins over it (a message deleted on another device must not come back).
pub(crate) fn put_received(tx: &Transaction<'_>, record: &Record) -> Result<Merged> {
    let deleted: Option<String> = tx
        .query_row("SELECT body FROM tombstones WHERE id = ?1", [record.id().to_string()], |r| r.get(0))
        .optional()?;
    let Some(deleted) = deleted else { return put(tx, record) };
    let deletion: Tombstone = serde_json::from_str(&deleted).map_err(damaged)?;
    match verdict(deletion.rank(), record.rank()) {
        Verdict::Same => Ok(Merged::AlreadyHad),
        Verdict::Older => {
            let body = serde_json::to_string(record).map_err(damaged)?;
            let version = record.version().to_string();
            remember(tx, &record.id().to_string(), record.kind().code(), &version, &body)?;
            Ok(Merged::KeptAsHistory)
        }
        Verdict::Newer => put(tx, record),
    }
}

/// Keeps a replaced or losing version in history.
pub(crate) fn remember(tx: &Transaction<'_>, id: &str, kind: &str, version: &str, body: &str) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO history (record_id, record_kind, version, body, replaced_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, kind, version, body, utc_now().to_rfc3339()],
    )?;
    Ok(())
}

impl Diary {
    /// Every stored record of `kind` (under `parent`, if given), oldest version first.
    pub(crate) fn records_of<T: TryFrom<Record, Error = Record>>(
        &self,
        kind: RecordKind,
        parent: Option<RecordId>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT body FROM records WHERE kind = ?1 AND (?2 IS NULL OR parent_id = ?2) ORDER BY version",
        )?;
        let rows =
            stmt.query_map(params![kind.code(), parent.map(|p| p.to_string())], |r| r.get::<_, String>(0))?;
        rows.map(|b| {
            let record: Record = serde_json::from_str(&b?).map_err(damaged)?;
            T::try_from(record)
                .map_err(|r| DiaryError::Damaged(format!("a {} is stored as a {kind}", r.kind())))
        })
        .collect()
    }

    /// Writes a caregiver's own record, versioned now, and queues it for the agency, in one
    /// transaction.
    fn save_own<T: Clone + Into<Record>>(&mut self, make: impl FnOnce(Hlc) -> T) -> Result<T> {
        let tx = self.conn.transaction()?;
        let version = next_version(&mut self.clock, &tx)?;
        let value = make(version);
        let record: Record = value.clone().into();
        put(&tx, &record)?;
        outbox::enqueue(&tx, &record)?;
        tx.commit()?;
        Ok(value)
    }

    /// The caregiver replies under an entry shared with the agency. An id this diary has no
    /// entry for (never had, or deleted) is bad input naming `entry_id`, like a private entry.
    pub fn add_message(&mut self, input: &MessageInput) -> Result<Message> {
        let draft = input.parse()?;
        let entry = match self.entry(draft.entry_id) {
            Err(DiaryError::NotFound { .. }) => {
                return Err(Invalid::new(
                    "entry_id",
                    Rule::UnknownChoice,
                    "must be an entry of this diary; there is none with this id (it may have been deleted)",
                )
                .into());
            }
            found => found?,
        };
        if entry.sharing == Sharing::Private {
            return Err(Invalid::new(
                "entry_id",
                Rule::NotAllowed,
                "is a private entry; share it with the agency to talk about it",
            )
            .into());
        }
        let owner = self.caregiver;
        self.save_own(|version| Message {
            id: RecordId::new(),
            version,
            owner,
            entry_id: draft.entry_id,
            body: draft.body,
            sent_at: utc_now(),
        })
    }

    /// The thread under an entry, oldest first.
    pub fn messages(&self, entry_id: RecordId) -> Result<Vec<Message>> {
        self.records_of(RecordKind::Message, Some(entry_id))
    }

    /// Status changes of a need, oldest first; the last one is the current status.
    pub fn need_status_changes(&self, entry_id: RecordId) -> Result<Vec<NeedStatusChange>> {
        self.records_of(RecordKind::NeedStatusChange, Some(entry_id))
    }

    pub fn catalogue(&self) -> Result<Vec<CatalogueItem>> {
        self.records_of(RecordKind::CatalogueItem, None)
    }

    /// Sets the caregiver's banded profile (one per diary).
    pub fn set_profile(&mut self, input: &ProfileInput) -> Result<Profile> {
        let fields = input.parse()?;
        let id = self.profile()?.map(|p| p.id).unwrap_or_default();
        let owner = self.caregiver;
        self.save_own(|version| Profile { id, version, owner, fields })
    }

    pub fn profile(&self) -> Result<Option<Profile>> {
        Ok(self.records_of(RecordKind::Profile, None)?.pop())
    }

    /// Gives research consent for one version of the consent text.
    pub fn give_consent(&mut self, text_version: &str) -> Result<Consent> {
        let text_version = ShortText::parse("text_version", text_version)?;
        let owner = self.caregiver;
        self.save_own(|version| Consent {
            id: RecordId::new(),
            version,
            owner,
            text_version,
            given_at: utc_now(),
            revoked_at: None,
        })
    }

    /// Revokes the current research consent.
    pub fn revoke_consent(&mut self) -> Result<Consent> {
        let now = utc_now();
        let current = self
            .consents()?
            .into_iter()
            .rev()
            .find(|c| c.is_current(now))
            .ok_or_else(|| DiaryError::not_found("current consent", "-"))?;
        self.save_own(|version| Consent { version, revoked_at: Some(now), ..current })
    }

    /// Every consent record, oldest first.
    pub fn consents(&self) -> Result<Vec<Consent>> {
        self.records_of(RecordKind::Consent, None)
    }

    /// Stores a record that came from elsewhere (the agency, another device of the caregiver).
    /// The higher version wins; the other is kept in history. Never queued: it is not ours to send.
    /// A read receipt under no entry of this caregiver's is not stored (see `read_receipts`).
    pub fn store_received(&mut self, record: &Record) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let observed = self.clock.observe(record.version());
        tx.execute("UPDATE device_state SET last_hlc = ?1 WHERE id = 1", [observed.to_string()])?;
        let written = match record {
            Record::Entry(_) | Record::Tombstone(_) => {
                return Err(Invalid::new(
                    "record",
                    Rule::NotAllowed,
                    "entries and tombstones arrive through sync",
                )
                .into());
            }
            Record::ReadReceipt(receipt) if read_receipts::orphaned(&tx, receipt, self.caregiver)? => false,
            other => put_received(&tx, other)? == Merged::Stored,
        };
        tx.commit()?;
        Ok(written)
    }
}
