//! Storage: one trait, two backends (SQLite and PostgreSQL), one conformance suite.
//!
//! Rules every backend keeps (the conformance tests in `tests/storage/` check them):
//! - **Exactly once.** `apply_batch` runs in one transaction; `(device_id, seq)` is unique in the
//!   database, so a replayed or duplicated batch changes nothing, across server replicas too.
//! - **Contiguous acks.** `devices.acked_seq` is the highest sequence number up to which every
//!   change is stored. A batch whose `first_seq` is past `acked_seq + 1` is refused with
//!   [`StoreError::Gap`](crate::error::StoreError::Gap); the part of a batch at or below
//!   `acked_seq` is skipped.
//! - **Owner from the token, not the body.** Records pushed by a device are stored as the
//!   device's caregiver's, whatever owner they claim. A device may only change records that its
//!   caregiver's devices wrote: a change aimed at anyone else's record (another caregiver's, a
//!   staff message, the catalogue) is acknowledged, so the outbox moves on, but not stored
//!   ([`Applied::refused`]). Devices never write the agency's kinds (catalogue, need status).
//! - **Higher version wins.** A record older than the stored one goes to history; a newer one
//!   moves the stored one to history. A tombstone deletes the record's content and its history
//!   (a caregiver's withdrawal or deletion must not linger on the server); only the tombstone
//!   stays, so a later, higher-versioned edit can still win, and content older than the
//!   tombstone is dropped rather than kept in history. The decisions are one pure function,
//!   `merge::merge`, shared by both backends.
//! - **A feed with no holes.** Every stored record carries `change_id`, increasing within an
//!   agency in *commit* order, so a device paging by `change_id > cursor` never skips a change
//!   that commits late. Ids come from a per-agency counter row, and rows are written with the
//!   placeholder id 0, which no pull returns. On SQLite the counter is the *last row* a write
//!   transaction locks: the counter is bumped and the ids stamped, then the transaction commits
//!   (SQLite has one writer for the whole file anyway). On PostgreSQL a device batch commits
//!   with its rows at 0 and without touching the counter, so one agency's devices commit side
//!   by side; then a *stamper* numbers every committed, unlocked row still at 0, in a short
//!   transaction of its own under the counter row's lock (`postgres::stamp`), so ids are still
//!   given in commit order, only the stamper's. Agency writes stamp their row last in their own
//!   transaction, as on SQLite. A write that changes no current row takes no id.
//! - **A cursor that moves on.** A pull that returns everything waiting hands back the agency's
//!   counter as read in the same snapshot (see [`Pulled::cursor`]), so a device does not rescan
//!   its own pushes and other caregivers' records on every sync.
//! - **Agency-wide and staff records** (catalogue items, staff messages, need status changes)
//!   go in through `put_agency_record`, scoped to one caregiver or (catalogue) to all, under
//!   the same version rules; devices pull them like their siblings' changes.
//!
//! Changes to the first sketch of the trait, and why: `put_agency_record` (the agency's side
//! of the feed, needed by tests now and the staff dashboard later) and `put_agency_records`
//! (many of them in one transaction, for the seed); `record` and `history`
//! (reads scoped to one agency, for staff and tests); `device` (a device by id, for revocation
//! and the dashboard); `Enrolled::agency_name` (the app names whom it joined);
//! [`Applied::refused`] and [`Merged`] (what became of a write); the pull cursor rule above.
//! `migrate` refuses a database whose schema is newer than this build (an older server must
//! not write to it).

mod batch;
pub mod columns;
pub mod dashboard;
mod merge;
mod page;
pub mod postgres;
pub mod search;
pub mod sql;
pub mod sqlite;

pub use batch::too_far_ahead;

use std::future::Future;

use chrono::{DateTime, Utc};
use convivio_core::sync::{Epoch, PushBatch, Refusal, RefusalCode};
use convivio_core::{Record, RecordId};
use serde::Serialize;
use uuid::Uuid;

use crate::error::StoreResult;

/// Staff roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Admin,
    Staff,
    Researcher,
}

impl StaffRole {
    pub fn code(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::Staff => "staff",
            StaffRole::Researcher => "researcher",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Staff {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub username: String,
    pub role: StaffRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caregiver {
    pub id: Uuid,
    pub agency_id: Uuid,
    /// How staff know the caregiver ("Maria R."); never sent to research.
    pub display_name: String,
}

/// An enrolled device, as the sync endpoint sees it after checking its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub id: Uuid,
    pub caregiver_id: Uuid,
    pub agency_id: Uuid,
    pub acked_seq: u64,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_sync_at: Option<DateTime<Utc>>,
}

/// A new enrolment code, stored only as its hash.
#[derive(Debug, Clone)]
pub struct NewEnrolment {
    pub code_hash: String,
    pub caregiver_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

/// What redeeming a code made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolled {
    pub device: Device,
    /// So the app can say whom it is now connected to.
    pub agency_name: String,
}

/// The result of applying a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The device's acknowledged sequence number after the batch.
    pub acked_seq: u64,
    /// How many changes of the batch were new (the rest were replays).
    pub new_changes: u64,
    /// New changes acknowledged but not stored, each with its reason (a record this device may
    /// not change, a kind it may not write, a broken rule, a missing parent). Told to the device
    /// in the answer; a replay of the batch does not tell it again.
    pub refused: Vec<Refusal>,
}

/// What became of one written version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Merged {
    /// It is now the stored version.
    Current,
    /// A newer version was stored already: this one is kept in history.
    History,
    /// This very version was stored already.
    Duplicate,
    /// A newer tombstone was stored already: deleted content is not kept, not even in history.
    Dropped,
    /// Not written, for this reason: the writer may not change this record (another
    /// caregiver's, or the other side's), or it hangs under a record it may not hang under.
    Refused(RefusalCode),
}

/// One page of the feed for a device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    pub records: Vec<Record>,
    /// Where the next pull starts. With `more`, the `change_id` of the last record returned;
    /// without, the agency's change counter as of this read, which is at least as far: every
    /// change numbered up to it committed before the read (ids are given in commit order, and
    /// a row not yet numbered is in no page and will get an id above the counter), so the
    /// device has all it may see up to there, and its own pushes or other caregivers' records
    /// are not scanned again on every sync.
    pub cursor: u64,
    pub more: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub agencies: u64,
    pub caregivers: u64,
    pub devices: u64,
    /// Stored records by kind code (`entry`, `message`, ..., `tombstone`).
    pub records_by_kind: std::collections::BTreeMap<String, u64>,
    pub device_syncs: Vec<DeviceSync>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceSync {
    pub device_id: Uuid,
    pub caregiver_id: Uuid,
    pub acked_seq: u64,
    pub revoked: bool,
    pub last_sync_at: Option<DateTime<Utc>>,
}

/// Everything the server stores. Implemented by [`sqlite::SqliteStore`] and
/// [`postgres::PgStore`]; the rest of the server is generic over it.
pub trait Store: sql::Db + Clone + Send + Sync + 'static {
    /// Brings the schema up to date (embedded migrations of `migrations/server/<backend>`).
    fn migrate(&self) -> impl Future<Output = StoreResult<()>> + Send;

    fn create_agency(&self, name: &str) -> impl Future<Output = StoreResult<Agency>> + Send;
    fn agency_by_name(&self, name: &str) -> impl Future<Output = StoreResult<Option<Agency>>> + Send;

    /// `password_hash` is an Argon2id PHC string; the store never sees a password.
    fn create_staff(
        &self,
        agency_id: Uuid,
        username: &str,
        password_hash: &str,
        role: StaffRole,
    ) -> impl Future<Output = StoreResult<Staff>> + Send;

    fn create_caregiver(
        &self,
        agency_id: Uuid,
        display_name: &str,
    ) -> impl Future<Output = StoreResult<Caregiver>> + Send;
    fn caregiver(&self, id: Uuid) -> impl Future<Output = StoreResult<Option<Caregiver>>> + Send;

    fn create_enrolment(&self, enrolment: NewEnrolment) -> impl Future<Output = StoreResult<()>> + Send;

    /// Trades an unused, unexpired code for a new device with `token_hash`, atomically: two
    /// concurrent redemptions of one code make one device.
    fn redeem_enrolment(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
        token_hash: &str,
    ) -> impl Future<Output = StoreResult<Enrolled>> + Send;

    fn device(&self, id: Uuid) -> impl Future<Output = StoreResult<Option<Device>>> + Send;

    fn device_by_token(&self, token_hash: &str) -> impl Future<Output = StoreResult<Option<Device>>> + Send;

    /// Returns whether a device was revoked now (false if unknown or already revoked).
    fn revoke_device(
        &self,
        device_id: Uuid,
        now: DateTime<Utc>,
    ) -> impl Future<Output = StoreResult<bool>> + Send;

    /// Applies a pushed batch exactly once, in one transaction (see the module rules). The
    /// device's state is read again inside the transaction: `device` only names it.
    fn apply_batch(
        &self,
        device: &Device,
        batch: &PushBatch,
        now: DateTime<Utc>,
    ) -> impl Future<Output = StoreResult<Applied>> + Send;

    /// Stores a record written on the agency's side: a catalogue item (`caregiver_id` `None`:
    /// every caregiver of the agency pulls it), or a staff message, need status change or
    /// tombstone addressed to one caregiver. Same version rules as pushed records; the owner
    /// must be staff or this agency. A [`Merged::Refused`] write (the record is a caregiver's, or
    /// another agency's) is returned as [`crate::error::StoreError::Forbidden`].
    fn put_agency_record(
        &self,
        agency_id: Uuid,
        caregiver_id: Option<Uuid>,
        record: &Record,
        now: DateTime<Utc>,
    ) -> impl Future<Output = StoreResult<Merged>> + Send;

    /// Several agency-side records for one caregiver (or, `caregiver_id` `None`, catalogue
    /// items) in one transaction, each under the rules of [`Store::put_agency_record`], in
    /// order: all of them, or, if one is refused, none, and the error names it. At most
    /// [`MAX_BATCH_CHANGES`](convivio_core::sync::MAX_BATCH_CHANGES) records. For writers of
    /// many records at once (the seed writes a caregiver's staff replies and status changes
    /// together: one commit instead of a hundred).
    fn put_agency_records(
        &self,
        agency_id: Uuid,
        caregiver_id: Option<Uuid>,
        records: &[Record],
        now: DateTime<Utc>,
    ) -> impl Future<Output = StoreResult<Vec<Merged>>> + Send;

    /// The current version of a record of this agency (a tombstone if it was deleted).
    fn record(
        &self,
        agency_id: Uuid,
        id: RecordId,
    ) -> impl Future<Output = StoreResult<Option<Record>>> + Send;

    /// The versions of a record that lost, oldest first (empty after a tombstone won).
    fn history(&self, agency_id: Uuid, id: RecordId)
    -> impl Future<Output = StoreResult<Vec<Record>>> + Send;

    /// Records for `device` with `change_id > cursor`, oldest first, at most `limit` of them and
    /// at most `max_bytes` of their stored JSON (but always at least one record, however large):
    /// the caregiver's records that came from their *other* devices, and the agency's records
    /// addressed to this caregiver or to everyone (catalogue). A page cut short by either bound
    /// has `more`, and its cursor is the last record returned.
    fn pull(
        &self,
        device: &Device,
        cursor: u64,
        limit: u32,
        max_bytes: usize,
    ) -> impl Future<Output = StoreResult<Pulled>> + Send;

    /// Notes a completed exchange (for `admin stats` and staff).
    fn touch_device(
        &self,
        device_id: Uuid,
        now: DateTime<Utc>,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The database answers (`SELECT 1`): what `/healthz` asks, as cheap with a million records
    /// as with none. [`Store::stats`] counts everything and is for the admin CLI.
    fn ping(&self) -> impl Future<Output = StoreResult<()>> + Send;

    fn stats(&self) -> impl Future<Output = StoreResult<Stats>> + Send;

    /// The server epoch (made with the database; see `migrations/server/*/0002|0003`).
    fn epoch(&self) -> impl Future<Output = StoreResult<Epoch>> + Send;

    /// Makes a new epoch: after the database was restored from a backup, so every device
    /// notices at its next sync and offers again what the server may have lost.
    fn renew_epoch(&self) -> impl Future<Output = StoreResult<Epoch>> + Send;
}

/// A fresh epoch: 64 random bits as 16 lower-case hex digits.
pub fn new_epoch() -> Epoch {
    Epoch(format!("{:016x}", rand::random::<u64>()))
}
