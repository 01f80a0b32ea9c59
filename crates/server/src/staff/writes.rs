//! What staff write into the shared feed (replies, need status changes, read receipts), made
//! here and stored through the same `put_agency_record` the sync path's rules guard, so a reply
//! reaches the caregiver's devices at their next sync like any other change.

use chrono::{DateTime, Utc};
use convivio_core::catalogue::CatalogueItem;
use convivio_core::message::Message;
use convivio_core::need::NeedStatus;
use convivio_core::need_status::NeedStatusChange;
use convivio_core::read_receipt::ReadReceipt;
use convivio_core::text::{LongText, ShortText};
use convivio_core::{Hlc, Invalid, NodeId, Owner, Record, RecordId, Rule};
use uuid::Uuid;

use crate::error::StoreResult;
use crate::storage::dashboard::accounts::Member;
use crate::storage::dashboard::audit::{self, Action, Line};
use crate::storage::{Merged, Store};

/// A version for a new record written by `member` now. New records have new ids, so no other
/// version of them can exist; the node is the member's, so two members' writes never tie.
pub fn version(member: &Member, now: DateTime<Utc>) -> Hlc {
    let node = NodeId(member.id.as_u64_pair().1);
    Hlc { wall_ms: u64::try_from(now.timestamp_millis()).unwrap_or(0), counter: 0, node }
}

/// A version for a new version of a record whose current one is `after`: now, or just after
/// `after` when a clock behind it (or the same millisecond) would make the edit lose.
pub fn version_after(member: &Member, now: DateTime<Utc>, after: Hlc) -> Hlc {
    let mut version = version(member, now);
    if version <= after {
        version = Hlc { wall_ms: after.wall_ms.saturating_add(1), counter: 0, node: version.node };
    }
    version
}

async fn put<S: Store>(
    store: &S,
    member: &Member,
    caregiver: Uuid,
    record: &Record,
    now: DateTime<Utc>,
) -> StoreResult<Merged> {
    store.put_agency_record(member.agency_id, Some(caregiver), record, now).await
}

fn line(member: &Member, action: Action, caregiver: Uuid, record: RecordId) -> Line {
    let mut line = Line::new(Some(member.agency_id), Some(member.id), &member.username, action);
    line.caregiver_id = Some(caregiver);
    line.record_id = Some(record);
    line
}

/// A reply under `entry`.
pub async fn reply<S: Store>(
    store: &S,
    member: &Member,
    caregiver: Uuid,
    entry: RecordId,
    text: &str,
    now: DateTime<Utc>,
) -> Result<RecordId, Failed> {
    let body = LongText::parse("body", text)?;
    let message = Message {
        id: RecordId::new(),
        version: version(member, now),
        owner: Owner::staff(member.id),
        entry_id: entry,
        body,
        sent_at: now,
    };
    put(store, member, caregiver, &Record::Message(message.clone()), now).await?;
    audit::append(store, &line(member, Action::Reply, caregiver, entry), now).await?;
    Ok(message.id)
}

/// A need's move from one status to the next, with the reason staff gave (required for "not met").
#[derive(Debug, Clone, Copy)]
pub struct Move<'a> {
    pub current: NeedStatus,
    pub next: NeedStatus,
    pub reason: &'a str,
}

/// Moves a need along, as `step` says.
pub async fn set_status<S: Store>(
    store: &S,
    member: &Member,
    caregiver: Uuid,
    entry: RecordId,
    step: Move<'_>,
    now: DateTime<Utc>,
) -> Result<(), Failed> {
    let Move { current, next, reason } = step;
    if !current.can_move_to(next) {
        return Err(Invalid::new(
            "status",
            Rule::NotAllowed,
            format!("cannot move from {current} to {next}"),
        )
        .into());
    }
    let reason = LongText::parse_optional("reason", Some(reason))?;
    let change = NeedStatusChange {
        id: RecordId::new(),
        version: version(member, now),
        owner: Owner::staff(member.id),
        entry_id: entry,
        status: next,
        reason,
        changed_at: now,
    };
    change.validate()?;
    put(store, member, caregiver, &Record::NeedStatusChange(change), now).await?;
    let mut l = line(member, Action::NeedStatus, caregiver, entry);
    l.detail = Some(format!("status={}", next.code()));
    audit::append(store, &l, now).await?;
    Ok(())
}

/// The read receipts and audit lines for entries `member` has just read for the first time.
pub async fn receipts<S: Store>(
    store: &S,
    member: &Member,
    read: &[(RecordId, Uuid)],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let name = ShortText::parse("reader_name", &member.display_name)
        .or_else(|_| ShortText::parse("reader_name", &member.username))?;
    for (entry, caregiver) in read {
        let receipt = ReadReceipt {
            id: RecordId::new(),
            version: version(member, now),
            owner: Owner::staff(member.id),
            entry_id: *entry,
            reader_name: name.clone(),
            read_at: now,
        };
        put(store, member, *caregiver, &Record::ReadReceipt(receipt), now).await?;
        audit::append(store, &line(member, Action::EntryRead, *caregiver, *entry), now).await?;
    }
    Ok(())
}

/// How an edit changes a catalogue item, for the audit line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogueEdit {
    Added,
    Renamed,
    Withdrawn,
    Restored,
}

impl CatalogueEdit {
    fn code(self) -> &'static str {
        match self {
            CatalogueEdit::Added => "added",
            CatalogueEdit::Renamed => "renamed",
            CatalogueEdit::Withdrawn => "withdrawn",
            CatalogueEdit::Restored => "restored",
        }
    }
}

/// Stores a version of a catalogue item (the caller made it, with [`version`] or
/// [`version_after`]); every device of the agency pulls it at its next sync.
pub async fn catalogue_item<S: Store>(
    store: &S,
    member: &Member,
    item: CatalogueItem,
    edit: CatalogueEdit,
    now: DateTime<Utc>,
) -> Result<(), Failed> {
    let id = item.id;
    store.put_agency_record(member.agency_id, None, &Record::CatalogueItem(item), now).await?;
    let mut l =
        Line::new(Some(member.agency_id), Some(member.id), &member.username, Action::CatalogueChanged);
    l.target_id = Some(id.to_string());
    l.detail = Some(edit.code().to_owned());
    audit::append(store, &l, now).await?;
    Ok(())
}

/// Why a staff write did not happen: a rule of the form, or storage.
#[derive(Debug)]
pub enum Failed {
    Invalid(Invalid),
    Store(crate::error::StoreError),
}

impl From<Invalid> for Failed {
    fn from(e: Invalid) -> Self {
        Failed::Invalid(e)
    }
}

impl From<crate::error::StoreError> for Failed {
    fn from(e: crate::error::StoreError) -> Self {
        match e {
            crate::error::StoreError::Invalid(i) => Failed::Invalid(i),
            other => Failed::Store(other),
        }
    }
}
