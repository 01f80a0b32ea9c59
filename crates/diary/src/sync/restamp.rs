//! A clock that ran ahead: the server refused a push as too far ahead of its own time
//! (`clock_ahead`), so the versions this device made by its wrong clock are made anew by the
//! corrected one, and sent again. Nothing is lost and nothing doubles: every copy of each such
//! version (the current row, the deletion, history, the waiting change) gets the same new
//! version, in the same order as before, and the server never stored any of them.
//!
//! It breaks the clock's one promise (never go back) only for versions that no one else ever
//! stored: the server refused them, so no sibling pulled them. Versions this device received
//! stay as they are (a pulled version far ahead is never stored: see `apply`).

use convivio_core::{Hlc, NodeId};
use rusqlite::params;

use crate::Diary;
use crate::error::{DiaryError, Result};

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
    /// every version of this device's that is ahead of it. Returns how many versions were made
    /// anew. One transaction.
    pub fn correct_clock(&mut self, server_time_ms: u64) -> Result<u64> {
        let tx = self.conn.transaction()?;
        let offset = self.clock.learn(server_time_ms);
        tx.execute("UPDATE device_state SET clock_offset_ms = ?1 WHERE id = 1", [offset])?;
        // The largest version at the server's time: everything above it is ahead.
        let threshold = Hlc { wall_ms: server_time_ms, counter: u32::MAX, node: NodeId(u64::MAX) }.to_string();
        let node = self.clock.node();
        let mut ahead: Vec<Hlc> = Vec::new();
        let mut kept = Hlc::ZERO;
        for (table, _) in VERSIONED {
            let mut stmt = tx.prepare(&format!("SELECT DISTINCT version FROM {table} WHERE version > ?1"))?;
            for version in stmt.query_map([&threshold], |r| r.get::<_, String>(0))? {
                let version: Hlc =
                    version?.parse().map_err(|e| DiaryError::Damaged(format!("a stored version: {e}")))?;
                if version.node == node {
                    ahead.push(version);
                } else {
                    kept = kept.max(version);
                }
            }
            let below: Option<String> =
                tx.query_row(&format!("SELECT max(version) FROM {table} WHERE version <= ?1"), [&threshold], |r| {
                    r.get(0)
                })?;
            if let Some(below) = below {
                let below: Hlc =
                    below.parse().map_err(|e| DiaryError::Damaged(format!("a stored version: {e}")))?;
                kept = kept.max(below);
            }
        }
        ahead.sort();
        ahead.dedup();
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
            tracing::warn!(versions = ahead.len(), offset_ms = offset, "the clock ran ahead; versions made anew");
        }
        Ok(ahead.len() as u64)
    }
}
