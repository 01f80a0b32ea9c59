//! Building the next request: the outbox from the first unacknowledged change, bounded in count
//! (the adaptive batch size) and in bytes, plus the pull cursor.

use convivio_core::Record;
use convivio_core::sync::{PROTOCOL_VERSION, PushBatch, SyncRequest};
use rusqlite::{Transaction, params};

use crate::Diary;
use crate::error::{DiaryError, Result, damaged};
use crate::outbox;
use crate::sync::state::{Link, load};

/// About this many bytes of changes (as JSON, before compression) per request, whatever the
/// batch size: a request stays well inside any server's body limit and under a minute on a
/// slow rural link once compressed.
pub const MAX_BATCH_BYTES: usize = 512 * 1024;

impl Diary {
    /// The next request to send: outbox changes from `acked_seq + 1`, at most the link's batch
    /// size and about `max_bytes` (always at least one change), and the cursor to pull from. The
    /// pull limit follows the batch size, since both measure what the link carries.
    pub fn next_sync_request(&self, max_bytes: usize) -> Result<SyncRequest> {
        let link = self.sync_link()?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, payload FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let rows = stmt.query_map(params![link.acked_seq as i64, i64::from(link.batch_size)], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut changes: Vec<Record> = Vec::new();
        let mut bytes = 0;
        for row in rows {
            let (seq, payload) = row?;
            let expected = link.acked_seq + 1 + changes.len() as u64;
            if seq as u64 != expected {
                return Err(DiaryError::Damaged(format!(
                    "the outbox has no change number {expected} (the next is {seq})"
                )));
            }
            if !changes.is_empty() && bytes + payload.len() > max_bytes {
                break;
            }
            bytes += payload.len();
            changes.push(serde_json::from_str(&payload).map_err(damaged)?);
        }
        Ok(request(&link, changes))
    }

    /// The server says it needs changes from `expected_seq` on (a `gap`): the next request starts
    /// there. Changes below the ack were pruned when it arrived, so a gap below it means the server
    /// lost changes it had confirmed (a restore from backup): everything shared is then queued
    /// again from that number rather than left missing. The cursor is not touched.
    pub fn resend_from(&mut self, expected_seq: u64) -> Result<()> {
        let tx = self.conn.transaction()?;
        let link = load(&tx)?.ok_or(DiaryError::NotEnrolled)?;
        let next_seq: i64 =
            tx.query_row("SELECT next_seq FROM device_state WHERE id = 1", [], |r| r.get(0))?;
        if expected_seq == 0 || expected_seq > next_seq as u64 {
            return Err(DiaryError::Protocol(format!(
                "the server asked for change {expected_seq}, which this device never made"
            )));
        }
        if expected_seq > link.acked_seq {
            // The server holds everything before `expected_seq`: that is an acknowledgement.
            prune_and_ack(&tx, expected_seq - 1)?;
        } else {
            // Changes up to the ack were pruned when it arrived, so they are gone from here.
            tracing::warn!(
                expected_seq,
                acked = link.acked_seq,
                "server lost confirmed changes; queueing again"
            );
            outbox::rebuild_from(&tx, expected_seq)?;
            tx.execute("UPDATE sync_state SET acked_seq = ?1 WHERE id = 1", [expected_seq as i64 - 1])?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// Forgets the changes up to `acked` and records that the server holds them.
pub(crate) fn prune_and_ack(tx: &Transaction<'_>, acked: u64) -> Result<()> {
    tx.execute("DELETE FROM outbox WHERE seq <= ?1", [acked as i64])?;
    tx.execute("UPDATE sync_state SET acked_seq = max(acked_seq, ?1) WHERE id = 1", [acked as i64])?;
    Ok(())
}

fn request(link: &Link, changes: Vec<Record>) -> SyncRequest {
    let push = (!changes.is_empty()).then(|| PushBatch { first_seq: link.acked_seq + 1, changes });
    SyncRequest {
        protocol: PROTOCOL_VERSION,
        device_id: link.device_id,
        push,
        cursor: link.cursor,
        pull_limit: link.batch_size,
    }
}
