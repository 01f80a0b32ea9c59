//! Versions for local changes, from the persisted hybrid logical clock, and the device's time.
//!
//! The device's wall clock may be wrong by minutes or days (a tablet never set, a battery that
//! ran flat). The agency's server says its time in every answer; the diary keeps the difference
//! (`device_state.clock_offset_ms`) and versions new changes by the corrected clock, so they
//! order sensibly against the caregiver's other devices, and a clock running ahead cannot make
//! every edit win.

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, FixedOffset, Local, Utc};
use convivio_core::{Hlc, HlcClock, NodeId};
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

/// The diary's clock: the HLC, driven by the wall clock corrected by the server's.
#[derive(Debug, Clone)]
pub(crate) struct DeviceClock {
    hlc: HlcClock,
    /// Server time minus device time, in ms, as last learnt.
    offset_ms: i64,
    /// Only for tests: how wrong this device's wall clock pretends to be (see
    /// `Diary::simulate_clock_error`); 0 otherwise.
    error_ms: i64,
}

impl DeviceClock {
    pub(crate) fn new(hlc: HlcClock, offset_ms: i64) -> DeviceClock {
        DeviceClock { hlc, offset_ms, error_ms: 0 }
    }

    /// The device's own wall clock (wrong by `error_ms` in tests).
    fn device_ms(&self) -> i64 {
        i64::try_from(wall_ms()).unwrap_or(i64::MAX).saturating_add(self.error_ms)
    }

    /// The wall time by the corrected clock.
    pub(crate) fn now_ms(&self) -> u64 {
        u64::try_from(self.device_ms().saturating_add(self.offset_ms)).unwrap_or(0)
    }

    pub(crate) fn simulate_error(&mut self, error_ms: i64) {
        self.error_ms = error_ms;
    }

    /// Learns the server's time (`server_ms`, as read just now); returns the new offset.
    pub(crate) fn learn(&mut self, server_ms: u64) -> i64 {
        self.offset_ms = i64::try_from(server_ms).unwrap_or(i64::MAX).saturating_sub(self.device_ms());
        self.offset_ms
    }

    pub(crate) fn node(&self) -> NodeId {
        self.hlc.node()
    }

    pub(crate) fn last(&self) -> Hlc {
        self.hlc.last()
    }

    pub(crate) fn tick(&mut self) -> Hlc {
        let now = self.now_ms();
        self.hlc.tick(now)
    }

    pub(crate) fn observe(&mut self, remote: Hlc) -> Hlc {
        let now = self.now_ms();
        self.hlc.observe(remote, now)
    }

    /// Starts the HLC again after `last`: only for versions made anew after the server refused
    /// ones too far ahead (`Diary::correct_clock`), which no one else ever stored.
    pub(crate) fn restart_after(&mut self, last: Hlc) {
        self.hlc = HlcClock::new(self.hlc.node(), last);
    }
}

/// The next version for a local change, persisted in `tx` so that the clock never goes back,
/// even after a restart with a wall clock set back.
pub(crate) fn next_version(clock: &mut DeviceClock, tx: &Transaction<'_>) -> Result<Hlc> {
    let version = clock.tick();
    tx.execute("UPDATE device_state SET last_hlc = ?1 WHERE id = 1", [version.to_string()])?;
    Ok(version)
}
