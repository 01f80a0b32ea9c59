//! `convivio show ID` and `convivio reply ID`: one entry with the agency's side of it, and the
//! caregiver's answer. What is shown and what may be replied to is the diary's
//! (`Diary::entry_detail`, `Diary::add_message`); this prints.

use std::io::Write;

use chrono::{DateTime, Local, Utc};
use convivio_core::RecordId;
use convivio_core::entry::{EntryBody, EntryKind};
use convivio_core::message::MessageInput;
use convivio_core::need::NeedStatus;
use convivio_diary::{Diary, DiaryError, EntryDetail, Journey, Side};

use crate::print;

/// Prints entry `id` with its thread, need status history and read receipts, or as one JSON
/// object.
pub fn show(diary: &Diary, id: &str, json: bool) -> anyhow::Result<()> {
    let id = RecordId::parse("id", id).map_err(DiaryError::from)?;
    let detail = diary.entry_detail(id)?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer(&mut out, &detail)?;
        writeln!(out)?;
    } else {
        write_detail(&mut out, &detail)?;
    }
    Ok(())
}

/// Adds the caregiver's reply under entry `id`, queued for the next sync; prints its id.
pub fn reply(diary: &mut Diary, id: &str, text: &str) -> anyhow::Result<()> {
    let message = diary.add_message(&MessageInput { entry_id: id.to_owned(), body: text.to_owned() })?;
    println!("{}", message.id);
    Ok(())
}

/// "2 Dec 2026 10:14", in this computer's time zone.
fn when(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%-d %b %Y %H:%M").to_string()
}

/// A status code in words: `not_met` is "not met".
fn words(status: NeedStatus) -> String {
    status.code().replace('_', " ")
}

fn write_detail(out: &mut impl Write, detail: &EntryDetail) -> anyhow::Result<()> {
    print::entry(out, &detail.entry, false)?;
    // Every free text in full; a need's category is in the line above already.
    let texts = match &detail.entry.body {
        EntryBody::Need(need) => need.text.iter().map(|t| t.as_str()).collect(),
        other => other.texts(),
    };
    for text in texts {
        for line in text.lines() {
            writeln!(out, "    {line}")?;
        }
    }
    if detail.entry.kind() == EntryKind::Need || !detail.status_history.is_empty() {
        writeln!(out, "Status: {}", words(detail.status))?;
        for change in &detail.status_history {
            let reason = change.reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default();
            writeln!(out, "  {}  {}{reason}", when(change.changed_at), words(change.status))?;
        }
    }
    if !detail.thread.is_empty() {
        writeln!(out, "Thread:")?;
        for item in &detail.thread {
            let from = match item.from {
                Side::Mine => "you",
                Side::Agency => "agency",
            };
            let body = item.message.body.as_str().lines().collect::<Vec<_>>().join("\n      ");
            writeln!(out, "  {}  {from}: {body}", when(item.message.sent_at))?;
        }
    }
    for receipt in &detail.read_receipts {
        writeln!(out, "Read by {} on {}", receipt.reader_name, when(receipt.read_at))?;
    }
    writeln!(out, "Where it is: {}", journey(&detail.journey))?;
    Ok(())
}

/// The entry's journey in words.
fn journey(journey: &Journey) -> String {
    match journey {
        Journey::OnlyHere => "only on this device".to_owned(),
        Journey::Waiting => "waiting to be sent".to_owned(),
        Journey::Received => "received by the agency".to_owned(),
        Journey::Read { by, at, .. } => format!("read by {by} on {}", when(*at)),
        Journey::Answered { at } => format!("answered on {}", when(*at)),
    }
}
