//! A clock that ran ahead: the server refused a push as too far ahead of its own time
//! (`clock_ahead`), so the waiting changes this device versioned by its wrong clock are
//! versioned anew by the corrected one, and sent again. Nothing is lost and nothing doubles:
//! every copy of each such version (the current row, the deletion, history, the waiting change)
//! gets the same new version, in the same order as before.
//!
//! Only versions still waiting in the outbox are made anew: the server never stored them (it
//! refuses a batch ahead of its clock as a whole), so no sibling has them either. A version the
//! server took stays as it is, and the clock goes on after it. Versions of private entries far
//! ahead stay too (they never left the device, and the next edit versions them anew), but the
//! clock does not go on after them, or every new change would be ahead again.

use convivio_core::{Hlc, NodeId};
use rusqlite::params;

use crate::Diary;
use crate::error::{DiaryError, Result};
use crate::sync::apply::MAX_PULLED_AHEAD_MS;

/// Every table that holds versions: (table, body column).
const VERSIONED: [(&str, &str); 5] = [
    ("entries", "body"),
    ("tombstones", "body"),
    ("records", "body"),
    ("history", "body"),
    ("outbox", "payload"),
];

impl Diary {
    /// Learns the server's time (`server_time_ms`, from a `clock_ahead` refusal) and makes anew
    /// every waiting version of this device's that is ahead of it. Returns how many versions
    /// were made anew. One transaction.
    pub fn correct_clock(&mut self, server_time_ms: u64) -> Result<u64> {
        let tx = self.conn.transaction()?;
        let offset = self.clock.learn(server_time_ms);
        tx.execute("UPDATE device_state SET clock_offset_ms = ?1 WHERE id = 1", [offset])?;
        let at = |wall_ms: u64| Hlc { wall_ms, counter: u32::MAX, node: NodeId(u64::MAX) }.to_string();
        // Waiting versions ahead of the server's time, made by this device.
        let node = self.clock.node();
        let mut ahead: Vec<Hlc> = {
            let mut stmt = tx.prepare("SELECT DISTINCT version FROM outbox WHERE version > ?1")?;
            let rows = stmt.query_map([at(server_time_ms)], |r| r.get::<_, String>(0))?;
            rows.map(|v| v?.parse::<Hlc>().map_err(|e| DiaryError::Damaged(format!("a queued version: {e}"))))
                .collect::<Result<Vec<_>>>()?
        };
        ahead.retain(|v| v.node == node);
        ahead.sort();
        // The clock goes on after the newest version that stays and is not far ahead.
        let ahead_json = serde_json::to_string(&ahead.iter().map(Hlc::to_string).collect::<Vec<_>>())
            .map_err(crate::error::damaged)?;
        let limit = at(server_time_ms.saturating_add(MAX_PULLED_AHEAD_MS));
        let mut kept = Hlc::ZERO;
        for (table, _) in VERSIONED {
            let newest: Option<String> = tx.query_row(
                &format!(
                    "SELECT max(version) FROM {table}
                     WHERE version <= ?1 AND version NOT IN (SELECT value FROM json_each(?2))"
                ),
                params![limit, ahead_json],
                |r| r.get(0),
            )?;
            if let Some(newest) = newest {
                kept = kept
                    .max(newest.parse().map_err(|e| DiaryError::Damaged(format!("a stored version: {e}")))?);
            }
        }
        self.clock.restart_after(kept);
        for old in &ahead {
            let new = self.clock.tick().to_string();
            let old = old.to_string();
            for (table, body) in VERSIONED {
                tx.execute(
                    &format!(
                        "UPDATE {table} SET version = ?2, {body} = json_set({body}, '$.version', ?2) WHERE version = ?1"
                    ),
                    params![old, new],
                )?;
            }
        }
        tx.execute("UPDATE device_state SET last_hlc = ?1 WHERE id = 1", [self.clock.last().to_string()])?;
        tx.commit()?;
        if !ahead.is_empty() {
            tracing::warn!(
                versions = ahead.len(),
                offset_ms = offset,
                "the clock ran ahead; versions made anew"
            );
        }
        Ok(ahead.len() as u64)
    }
}
