//! Applying a response: the pulled records, the ack and the new cursor in ONE local transaction.
//!
//! Why one transaction: a sync cut at any byte (the link drops, the app is killed, the battery
//! dies) must resume where it stopped and never lose or double a record. If the cursor were
//! saved before the records, a crash in between would skip them forever (PouchDB #1240); if the
//! records were saved without the cursor, they would be fetched again (harmless, but only
//! because merging is idempotent). So the checkpoint moves only together with the data it
//! covers, with `synchronous=FULL`, and never backwards.

use convivio_core::sync::{PROTOCOL_VERSION, SyncRequest, SyncResponse};
use serde::Serialize;

use crate::Diary;
use crate::clock::{utc_now, wall_ms};
use crate::error::{DiaryError, Result};
use crate::records::Merged;
use crate::sync::merge::merge;
use crate::sync::plan::prune_and_ack;
use crate::sync::state::load;

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
        for record in &response.changes {
            self.clock.observe(record.version(), wall_ms());
            match merge(&tx, record)? {
                Merged::Stored => applied.stored += 1,
                Merged::KeptAsHistory => applied.kept_as_history += 1,
                Merged::AlreadyHad => applied.already_had += 1,
            }
        }
        tx.execute("UPDATE device_state SET last_hlc = ?1 WHERE id = 1", [self.clock.last().to_string()])?;
        if response.acked_seq > link.acked_seq {
            applied.acked = response.acked_seq - link.acked_seq;
            prune_and_ack(&tx, response.acked_seq)?;
        }
        if response.cursor < link.cursor {
            tracing::warn!(
                stored = link.cursor,
                answered = response.cursor,
                "the server's cursor went back; kept ours"
            );
        }
        let now = utc_now().to_rfc3339();
        tx.execute(
            "UPDATE sync_state SET cursor = max(cursor, ?1), last_success_at = ?2, last_attempt_at = ?2,
                    last_error_code = NULL, last_error = NULL, standing = 'active' WHERE id = 1",
            rusqlite::params![response.cursor as i64, now],
        )?;
        tx.commit()?;
        Ok(applied)
    }
}
