//! One entry with everything that hangs under it: the conversation with the agency, where the
//! agency stands with a need, and who there read it. What a caregiver opens an entry to see,
//! read in one call so the app and the command line show the same thing.

use convivio_core::entry::Entry;
use convivio_core::message::Message;
use convivio_core::need::NeedStatus;
use convivio_core::need_status::NeedStatusChange;
use convivio_core::read_receipt::ReadReceipt;
use convivio_core::{RecordId, Role};
use serde::Serialize;

use crate::Diary;
use crate::error::Result;
use crate::journey::Journey;

/// An entry and what hangs under it, each list oldest first. Its JSON field names are stable
/// (`convivio show --json` prints it for scripts and tests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryDetail {
    pub entry: Entry,
    /// Both sides of the conversation.
    pub thread: Vec<ThreadMessage>,
    /// Where the agency stands: the latest change's status, `open` while there is none.
    pub status: NeedStatus,
    pub status_history: Vec<NeedStatusChange>,
    pub read_receipts: Vec<ReadReceipt>,
    /// Where it has got to (`journey::Journey`).
    pub journey: Journey,
}

/// A message of the thread, and whose side it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThreadMessage {
    pub from: Side,
    #[serde(flatten)]
    pub message: Message,
}

/// Who wrote a message, as the caregiver reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The caregiver, on this device or another of theirs.
    Mine,
    /// Someone at the agency.
    Agency,
}

impl Side {
    /// The side `message` comes from: the caregiver's own role, or anyone else's (staff).
    pub fn of(message: &Message) -> Side {
        if message.owner.role == Role::Caregiver { Side::Mine } else { Side::Agency }
    }
}

impl Diary {
    /// The entry `id` with its thread, need status and read receipts. `NotFound` for an id this
    /// diary does not have or has deleted.
    pub fn entry_detail(&self, id: RecordId) -> Result<EntryDetail> {
        let entry = self.entry(id)?;
        let mut messages = self.messages(id)?;
        messages.sort_by_key(|m| (m.sent_at, m.version));
        let thread: Vec<ThreadMessage> =
            messages.into_iter().map(|message| ThreadMessage { from: Side::of(&message), message }).collect();
        let mut status_history = self.need_status_changes(id)?;
        status_history.sort_by_key(|s| (s.changed_at, s.version));
        let status = status_history.last().map_or(NeedStatus::Open, |s| s.status);
        let read_receipts = self.read_receipts(id)?;
        let journey = self.journey_of(&entry, thread.iter().map(|m| &m.message), &read_receipts)?;
        Ok(EntryDetail { entry, thread, status, status_history, read_receipts, journey })
    }
}
