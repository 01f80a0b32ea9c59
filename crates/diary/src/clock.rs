//! Versions for local changes, from the persisted hybrid logical clock.

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, FixedOffset, Local, Utc};
use convivio_core::{Hlc, HlcClock};
use rusqlite::Transaction;

use crate::error::Result;

/// Milliseconds since the epoch by the wall clock (0 if the clock is before 1970).
pub(crate) fn wall_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// The caregiver's local time, used to fill in and bound entry dates.
pub(crate) fn local_now() -> DateTime<FixedOffset> {
    Local::now().fixed_offset()
}

pub(crate) fn utc_now() -> DateTime<Utc> {
    Utc::now()
}

/// The next version for a local change, persisted in `tx` so that the clock never goes back,
/// even after a restart with a wall clock set back.
pub(crate) fn next_version(clock: &mut HlcClock, tx: &Transaction<'_>) -> Result<Hlc> {
    let version = clock.tick(wall_ms());
    tx.execute("UPDATE device_state SET last_hlc = ?1 WHERE id = 1", [version.to_string()])?;
    Ok(version)
}
