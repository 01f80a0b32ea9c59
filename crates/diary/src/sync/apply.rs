//! Applying a response: the pulled records, the ack and the new cursor in ONE local transaction.
//!
//! Why one transaction: a sync cut at any byte (the link drops, the app is killed, the battery
//! dies) must resume where it stopped and never lose or double a record. If the cursor were
//! saved before the records, a crash in between would skip them forever (PouchDB #1240); if the
//! records were saved without the cursor, they would be fetched again (harmless, but only
//! because merging is idempotent). So the checkpoint moves only together with the data it
//! covers, with `synchronous=FULL`, and never backwards.

use convivio_core::sync::{PROTOCOL_VERSION, Refusal, SyncRequest, SyncResponse};
use convivio_core::{Record, RecordKind};
use rusqlite::{Transaction, params};
use serde::Serialize;

use crate::Diary;
use crate::clock::utc_now;
use crate::error::{DiaryError, Result};
use crate::records::Merged;
use crate::sync::merge::merge;
use crate::sync::plan::prune_and_ack;
use crate::sync::state::load;
use crate::{outbox, read_receipts};

/// How far ahead of the server's own time a pulled version may be. The server refuses pushes
/// more than a couple of minutes ahead of its clock, so anything further came from a server
/// that did not check (or a forged one): it is not stored, so one bad version cannot push this
/// device's clock towards the end of time.
pub const MAX_PULLED_AHEAD_MS: u64 = 10 * 60 * 1_000;

/// What applying one response changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Outbox changes the server newly confirmed (and this diary forgot).
    pub acked: u64,
    /// Pulled versions that are now current here.
    pub stored: u64,
    /// Pulled versions older than what is here: kept in history.
    pub kept_as_history: u64,
    /// Pulled versions this diary already had.
    pub already_had: u64,
    /// Pulled versions not stored: too far ahead of the server's time, breaking a rule, of a
    /// kind that never comes down to a device, or a read receipt under no entry of this
    /// caregiver's here.
    pub refused_from_server: u64,
    /// Pushed changes the server refused (kept here, listed by `sync_status`).
    pub refused_by_server: u64,
    /// The server's epoch changed (it was restored from a backup): the cursor went back to the
    /// start and what the server may have lost is queued again. Sync on.
    pub restarted: bool,
}

impl Applied {
    pub fn pulled(&self) -> u64 {
        self.stored + self.kept_as_history + self.already_had
    }
}

impl Diary {
    /// Applies the server's answer to `sent`. Checks it first and refuses a response that would
    /// confirm changes this device never made or that belongs to another device identity;
    /// then, in one transaction, merges the pulled records, drops the confirmed outbox rows and
    /// saves the ack, the cursor and the time of this success. The ack and the cursor only move
    /// forward: a lower value from the server (a replayed or stale answer) is ignored.
    ///
    /// Protocol 2 adds: the server's time (the device's clock offset is learnt from it), its
    /// epoch (a change means a restore: see above), refusals (kept, for the status), and pulled
    /// versions screened before they are merged ([`MAX_PULLED_AHEAD_MS`], the record rules, the
    /// policy's direction); protocol 3, read receipts, kept only under the caregiver's entries.
    pub fn apply_sync_response(&mut self, sent: &SyncRequest, response: &SyncResponse) -> Result<Applied> {
        if response.protocol != PROTOCOL_VERSION {
            return Err(DiaryError::Protocol(format!("the answer speaks protocol {}", response.protocol)));
        }
        let tx = self.conn.transaction()?;
        let link = load(&tx)?.ok_or(DiaryError::NotEnrolled)?;
        if link.device_id != sent.device_id {
            return Err(DiaryError::Protocol("the answer is for an earlier enrolment of this diary".into()));
        }
        let next_seq: i64 =
            tx.query_row("SELECT next_seq FROM device_state WHERE id = 1", [], |r| r.get(0))?;
        if response.acked_seq >= next_seq as u64 {
            return Err(DiaryError::Protocol(format!(
                "the server confirmed change {}, but this device has made only {}",
                response.acked_seq,
                next_seq - 1
            )));
        }
        let mut applied = Applied::default();
        let offset = self.clock.learn(response.server_time_ms);
        tx.execute("UPDATE device_state SET clock_offset_ms = ?1 WHERE id = 1", [offset])?;
        let server_now = chrono::DateTime::from_timestamp_millis(
            i64::try_from(response.server_time_ms).unwrap_or(i64::MAX),
        )
        .unwrap_or_else(utc_now);
        // Read receipts last: the entry one hangs under may come later in the same answer (an
        // entry edited after it was read moves forward in the feed).
        let (receipts, others): (Vec<&Record>, Vec<&Record>) =
            response.changes.iter().partition(|r| r.kind() == RecordKind::ReadReceipt);
        for record in others.into_iter().chain(receipts) {
            let mut why = unwelcome(record, response.server_time_ms, server_now);
            if let Record::ReadReceipt(receipt) = record
                && why.is_none()
                && read_receipts::orphaned(&tx, receipt, self.caregiver)?
            {
                why = Some("its entry is not one of this caregiver's entries here".to_owned());
            }
            if let Some(why) = why {
                tracing::warn!(id = %record.id(), kind = %record.kind(), why, "a pulled version was not stored");
                applied.refused_from_server += 1;
                continue;
            }
            self.clock.observe(record.version());
            match merge(&tx, record)? {
                Merged::Stored => applied.stored += 1,
                Merged::KeptAsHistory => applied.kept_as_history += 1,
                Merged::AlreadyHad => applied.already_had += 1,
            }
        }
        tx.execute("UPDATE device_state SET last_hlc = ?1 WHERE id = 1", [self.clock.last().to_string()])?;
        applied.refused_by_server = keep_refusals(&tx, &response.refused)?;
        if response.acked_seq > link.acked_seq {
            applied.acked = response.acked_seq - link.acked_seq;
            clear_refusals_taken_up_to(&tx, response.acked_seq, &response.refused)?;
            prune_and_ack(&tx, response.acked_seq)?;
        }
        let restored = link.server_epoch.as_ref().is_some_and(|known| *known != response.server_epoch.0);
        let now = utc_now().to_rfc3339();
        if restored {
            // The server was restored from a backup: whatever it took after that backup is
            // gone from it. Pull everything again from the start (merging is idempotent), and
            // offer again what it confirmed and may have lost, without numbering anything twice.
            tracing::warn!(epoch = %response.server_epoch, "the server was restored; syncing again from the start");
            if response.acked_seq < link.acked_seq {
                outbox::rebuild_from(&tx, response.acked_seq + 1)?;
                tx.execute("UPDATE sync_state SET acked_seq = ?1 WHERE id = 1", [response.acked_seq as i64])?;
            }
            tx.execute("UPDATE sync_state SET cursor = 0 WHERE id = 1", [])?;
            applied.restarted = true;
        } else {
            if response.cursor < link.cursor {
                tracing::warn!(
                    stored = link.cursor,
                    answered = response.cursor,
                    "the server's cursor went back; kept ours"
                );
            }
            tx.execute(
                "UPDATE sync_state SET cursor = max(cursor, ?1) WHERE id = 1",
                [response.cursor as i64],
            )?;
        }
        tx.execute(
            "UPDATE sync_state SET server_epoch = ?1, last_success_at = ?2, last_attempt_at = ?2,
                    last_error_code = NULL, last_error = NULL, standing = 'active' WHERE id = 1",
            params![response.server_epoch.0, now],
        )?;
        tx.commit()?;
        Ok(applied)
    }
}

/// Why a pulled record is not stored, if it is not.
fn unwelcome(record: &Record, server_ms: u64, server_now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    if !record.kind().policy().direction.goes_down() {
        return Some(format!("a {} never comes down to a device", record.kind()));
    }
    if record.version().wall_ms > server_ms.saturating_add(MAX_PULLED_AHEAD_MS) {
        return Some("its version is far ahead of the server's clock".into());
    }
    record.validate(server_now).err().map(|e| e.to_string())
}

/// Keeps what the server refused, with its reason, until a later version goes through.
fn keep_refusals(tx: &Transaction<'_>, refused: &[Refusal]) -> Result<u64> {
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO refusals (record_id, seq, record_kind, code, message, refused_at)
         VALUES (?1, ?2, coalesce((SELECT record_kind FROM outbox WHERE seq = ?2), 'unknown'), ?3, ?4, ?5)",
    )?;
    let now = utc_now().to_rfc3339();
    for r in refused {
        insert.execute(params![r.id.to_string(), r.seq as i64, r.code.code(), r.message, now])?;
    }
    Ok(refused.len() as u64)
}

/// A refused record is no longer refused once a later change of it, up to `acked`, went through
/// (was acknowledged and not refused in this answer). Runs before the outbox is pruned.
fn clear_refusals_taken_up_to(tx: &Transaction<'_>, acked: u64, refused: &[Refusal]) -> Result<()> {
    let refused_now: Vec<u64> = refused.iter().map(|r| r.seq).collect();
    let refused_now = serde_json::to_string(&refused_now).map_err(crate::error::damaged)?;
    tx.execute(
        "DELETE FROM refusals WHERE EXISTS (
             SELECT 1 FROM outbox o
             WHERE o.record_id = refusals.record_id AND o.seq > refusals.seq AND o.seq <= ?1
               AND o.seq NOT IN (SELECT value FROM json_each(?2)))",
        params![acked as i64, refused_now],
    )?;
    Ok(())
}
