//! Where an entry has got to, in the caregiver's terms: only on this device, waiting to be
//! sent, received by the agency, read there by someone, answered. The timeline and the entry
//! page show it in words and an icon; every screen and the command line ask here, so they
//! cannot disagree about what became of an entry.

use chrono::{DateTime, Utc};
use convivio_core::Sharing;
use convivio_core::entry::Entry;
use convivio_core::message::Message;
use convivio_core::read_receipt::ReadReceipt;
use serde::Serialize;

use crate::Diary;
use crate::detail::Side;
use crate::error::Result;

/// One entry's journey, furthest step reached. Tagged `state` in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Journey {
    /// Private: it never leaves this device.
    OnlyHere,
    /// Shared, and this version has not reached the agency yet (offline, or not connected).
    Waiting,
    /// The agency's server has this version; nobody there has opened it yet.
    Received,
    /// Someone at the agency opened it: the first reader, when, and how many have.
    Read { by: String, at: DateTime<Utc>, readers: usize },
    /// The agency wrote back; `at` is their latest message.
    Answered { at: DateTime<Utc> },
}

/// What the journey is read from.
#[derive(Debug, Clone, Copy)]
pub struct Steps<'a> {
    pub sharing: Sharing,
    /// A change to the entry waits in the outbox.
    pub queued: bool,
    /// Readers at the agency, first reader first: (name, when).
    pub readers: &'a [(&'a str, DateTime<Utc>)],
    /// The agency's latest message under the entry, if it wrote any.
    pub answered: Option<DateTime<Utc>>,
}

impl Journey {
    /// The furthest step: a change still waiting outranks what the agency did with an earlier
    /// version, since the agency has not seen what the caregiver sees now.
    pub fn of(steps: Steps<'_>) -> Journey {
        if steps.sharing == Sharing::Private {
            return Journey::OnlyHere;
        }
        if steps.queued {
            return Journey::Waiting;
        }
        if let Some(at) = steps.answered {
            return Journey::Answered { at };
        }
        match steps.readers.first() {
            Some((by, at)) => Journey::Read { by: (*by).to_owned(), at: *at, readers: steps.readers.len() },
            None => Journey::Received,
        }
    }
}

impl Diary {
    /// The journey of `entry`, from the outbox, the messages under it and its read receipts.
    pub(crate) fn journey_of<'m>(
        &self,
        entry: &Entry,
        messages: impl Iterator<Item = &'m Message>,
        receipts: &[ReadReceipt],
    ) -> Result<Journey> {
        let answered = messages.filter(|m| Side::of(m) == Side::Agency).map(|m| m.sent_at).max();
        let readers: Vec<(&str, DateTime<Utc>)> =
            receipts.iter().map(|r| (r.reader_name.as_str(), r.read_at)).collect();
        let queued = entry.sharing != Sharing::Private && self.is_queued(entry.id)?;
        Ok(Journey::of(Steps { sharing: entry.sharing, queued, readers: &readers, answered }))
    }

    /// The journeys of a page of entries, in its order (the timeline's). A private entry's is
    /// known without reading what hangs under it.
    pub(crate) fn journeys(&self, entries: &[Entry]) -> Result<Vec<Journey>> {
        entries
            .iter()
            .map(|entry| match entry.sharing {
                Sharing::Private => Ok(Journey::OnlyHere),
                _ => self.journey_of(entry, self.messages(entry.id)?.iter(), &self.read_receipts(entry.id)?),
            })
            .collect()
    }
}
