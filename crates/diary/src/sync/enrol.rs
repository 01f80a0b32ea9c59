//! Enrolment on the diary's side: the server has traded a code for a device identity; the
//! diary adopts it in one transaction. No HTTP here (see `client.rs`).
//!
//! A diary is written offline before it is ever enrolled, so its records carry a provisional
//! caregiver id made on this device. Adopting the server's id rewrites that owner everywhere it
//! is stored (current versions, deletions, history and queued changes), so the caregiver's
//! records look the same on all their devices and on the server.

use convivio_core::Owner;
use convivio_core::sync::{EnrolResponse, PROTOCOL_VERSION};
use rusqlite::{Transaction, params};
use uuid::Uuid;

use crate::Diary;
use crate::clock::utc_now;
use crate::error::{DiaryError, Result};
use crate::outbox;
use crate::sync::state::{DEFAULT_BATCH, load};
use crate::sync::url::ServerUrl;

/// Every stored body that may carry the caregiver as owner: (table, body column).
const OWNED_BODIES: [(&str, &str); 5] = [
    ("entries", "body"),
    ("records", "body"),
    ("tombstones", "body"),
    ("history", "body"),
    ("outbox", "payload"),
];

impl Diary {
    /// Adopts the identity the server gave this device: stores the server, device id and token
    /// in the diary, makes the server's caregiver id the owner of every local record, and numbers
    /// the waiting changes for the new device identity. One transaction: all of it or nothing.
    ///
    /// Enrolling again (after a revocation, or for another agency) starts a new device identity:
    /// the cursor and the ack start from zero, and everything the agency may hold (every shared
    /// entry, deletion and own record, then what was waiting) is queued again from 1, whoever
    /// the caregiver is now: the server behind the new code may be another one, or one restored
    /// without them, and a change it already has is merged as a duplicate, never doubled. Only
    /// a diary never enrolled before just numbers what is waiting (that is everything shared).
    pub fn adopt_enrolment(&mut self, server: &ServerUrl, response: &EnrolResponse) -> Result<()> {
        if response.protocol != PROTOCOL_VERSION {
            return Err(DiaryError::Protocol(format!("enrolment speaks protocol {}", response.protocol)));
        }
        if response.device_token.trim().is_empty() {
            return Err(DiaryError::Protocol("enrolment gave no device token".into()));
        }
        let old = self.caregiver.id;
        let new = response.caregiver_id;
        let tx = self.conn.transaction()?;
        let previous = load(&tx)?;
        if old != new {
            adopt_owner(&tx, old, new)?;
        }
        match previous {
            Some(_) => outbox::rebuild_from(&tx, 1)?,
            None => outbox::renumber_from(&tx, 1)?,
        }
        tx.execute("DELETE FROM refusals", [])?;
        let offset = self.clock.learn(response.server_time_ms);
        tx.execute("UPDATE device_state SET clock_offset_ms = ?1 WHERE id = 1", [offset])?;
        tx.execute(
            "INSERT OR REPLACE INTO sync_state
                 (id, server_url, device_id, token, agency_name, enrolled_at, cursor, acked_seq, batch_size, standing,
                  server_epoch)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, 0, 0, ?6, 'active', ?7)",
            params![
                server.as_str(),
                response.device_id.to_string(),
                response.device_token,
                response.agency_name,
                utc_now().to_rfc3339(),
                DEFAULT_BATCH,
                response.server_epoch.0,
            ],
        )?;
        tx.commit()?;
        self.caregiver = Owner::caregiver(new);
        Ok(())
    }
}

/// Rewrites the caregiver's owner id from `old` to `new` in every stored body. Staff and agency
/// records keep their owners.
fn adopt_owner(tx: &Transaction<'_>, old: Uuid, new: Uuid) -> Result<()> {
    tx.execute("UPDATE device_state SET caregiver_id = ?1 WHERE id = 1", [new.to_string()])?;
    for (table, column) in OWNED_BODIES {
        tx.execute(
            &format!(
                "UPDATE {table} SET {column} = json_set({column}, '$.owner.id', ?2)
                 WHERE json_extract({column}, '$.owner.role') = 'caregiver'
                   AND json_extract({column}, '$.owner.id') = ?1"
            ),
            params![old.to_string(), new.to_string()],
        )?;
    }
    Ok(())
}
