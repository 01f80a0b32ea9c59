//! The SQLite backend: one file, for an agency on a small machine.
//!
//! rusqlite blocks. Writes go to one connection owned by a thread of its own ([`writer`]),
//! which runs those that queue up together in one transaction, begun with `BEGIN IMMEDIATE`:
//! SQLite has a single writer anyway, and taking the write lock up front means a transaction
//! never fails half-way when it upgrades from reading to writing (a second process on the same
//! file waits `busy_timeout`). Reads run on tokio's blocking pool, on a few connections of their
//! own, which WAL lets run beside the writer; a third thread copies the log back into the file
//! ([`checkpoint`]). The workspace's rusqlite is built with SQLCipher; the server uses it
//! unkeyed, as plain SQLite.

mod accounts;
mod checkpoint;
mod columns;
mod feed;
mod readable;
mod records;
mod shared;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use convivio_core::sync::{Epoch, PushBatch};
use convivio_core::{Record, RecordId};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use rusqlite_migration::{M, Migrations};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::{
    Agency, Applied, Caregiver, Device, Enrolled, Merged, NewEnrolment, Pulled, Staff, StaffRole, Stats,
    Store,
};
use crate::error::{StoreError, StoreResult};

/// The schema, one file per version, embedded at build time. Never edit one that has shipped.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../../../migrations/server/sqlite/0001_init.sql"),
    include_str!("../../../../../migrations/server/sqlite/0002_rounds_parents_epoch.sql"),
    include_str!("../../../../../migrations/server/sqlite/0003_dashboard.sql"),
    include_str!("../../../../../migrations/server/sqlite/0004_dashboard_indexes.sql"),
    include_str!("../../../../../migrations/server/sqlite/0005_overview_counts.sql"),
    include_str!("../../../../../migrations/server/sqlite/0006_warning_indexes.sql"),
];

/// Reader connections, at most; opened as reads need them, then kept. Reads beyond them wait
/// for one: on a small machine more would not read faster, and a connection opened for one
/// read and closed after it parses the whole schema each time (under the sync benchmark's
/// load, a fifth of the server's time: BENCHMARKS.md, Sync).
const READERS: usize = 8;

/// The server's storage in one SQLite file. Cheap to clone: clones share the connections.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    writer: writer::Writer,
    /// Declared after the writer: dropped after it, so the writer's last commit is copied too.
    _checkpointer: checkpoint::Checkpointer,
    /// Open reader connections not in use.
    readers: Mutex<Vec<Connection>>,
    /// One permit per reader connection there may be.
    reader_slots: Arc<Semaphore>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`. Call [`Store::migrate`] before use.
    pub async fn open(path: impl AsRef<Path>) -> StoreResult<Self> {
        let path = path.as_ref().to_path_buf();
        blocking(move || {
            let conn = connect(&path, false)?;
            conn.execute_batch(readable::PENDING_TEXT)?;
            // Checkpoints run on a thread of their own (`checkpoint.rs`), not at the writer's commits.
            conn.pragma_update(None, "wal_autocheckpoint", 0)?;
            // The pages of the records table and its indexes that a batch touches stay cached
            // between batches (the default, 2 MiB, made the writer read them again).
            conn.pragma_update(None, "cache_size", WRITER_CACHE_KIB)?;
            let writer = writer::Writer::start(conn, readable::write_text)?;
            let checkpointer = checkpoint::Checkpointer::start(&path)?;
            Ok(SqliteStore {
                inner: Arc::new(Inner {
                    path,
                    writer,
                    _checkpointer: checkpointer,
                    readers: Mutex::new(Vec::new()),
                    reader_slots: Arc::new(Semaphore::new(READERS)),
                }),
            })
        })
        .await
    }

    /// Runs `f` in a write transaction, committing if it succeeds (see [`writer`]).
    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnMut(&Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        self.inner.writer.write(f).await
    }

    /// Runs `f` in a read transaction, so that its queries see one snapshot.
    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        let slot = Arc::clone(&inner.reader_slots)
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Database("the SQLite readers are closed".into()))?;
        blocking(move || {
            let idle = inner.readers.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let mut conn = match idle {
                Some(conn) => conn,
                None => connect(&inner.path, true)?,
            };
            let value = (|| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
                let value = f(&tx)?;
                tx.commit()?;
                Ok(value)
            })();
            // Back before the slot is given up, so the next read finds it open.
            inner.readers.lock().unwrap_or_else(PoisonError::into_inner).push(conn);
            drop(slot);
            value
        })
        .await
    }
}

/// The writer connection's page cache: 64 MiB (a negative `cache_size` counts KiB).
const WRITER_CACHE_KIB: i64 = -65_536;

/// Statements kept prepared per connection. A sync batch alone runs some twenty different ones
/// (with the triggers they fire compiled into each), and rusqlite keeps 16 by default: past
/// that, every batch prepared its statements again.
const STATEMENT_CACHE: usize = 128;

/// How much of the file a reader maps into memory. Readers read pages in place from the
/// operating system's cache instead of copying each through a `read` call into a page cache of
/// their own (eight of them, each 2 MiB by default, so most pages of a large agency's file
/// were read again for every dashboard page: some 8 % of the warnings page's time). Mapping
/// is address space, not memory; the writer keeps its own cache and ordinary writes.
const READER_MMAP_BYTES: i64 = 1 << 30;

/// Opens one connection with the pragmas every connection needs.
fn connect(path: &Path, reader: bool) -> StoreResult<Connection> {
    let conn = Connection::open(path)?;
    // WAL: readers do not block the writer. FULL: an acknowledged batch survives power loss.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Sorts and groupings of the dashboard's larger queries in memory, not in temp files.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    if reader {
        conn.pragma_update(None, "query_only", "ON")?;
        conn.pragma_update(None, "mmap_size", READER_MMAP_BYTES)?;
    }
    Ok(conn)
}

/// Runs blocking database work on tokio's blocking pool.
async fn blocking<T, F>(f: F) -> StoreResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> StoreResult<T> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Database(format!("a storage task failed: {e}")))?
}

/// Records a database holds before its planner statistics are taken.
const STATISTICS_FROM_RECORDS: i64 = 10_000;

/// Planner statistics, once the database is large enough for them to be right for a while.
/// Without any, SQLite cannot tell that a caregiver's entries are fewer than the agency's, and
/// walks the whole agency for one caregiver's page (BENCHMARKS.md, issue 8): so a large database
/// gets them for tables never analysed or grown 25-fold since. Statistics of a small one mislead
/// instead, and keep misleading as it fills: with them taken at every start, a new database
/// filled by the sync benchmark's 1,000 devices answered so slowly that requests timed out at
/// 30 s (BENCHMARKS.md, Sync). Below the size they are not taken, and ones taken earlier are
/// dropped, which leaves the planner its defaults, made for tables of any size.
fn planner_statistics(conn: &Connection) -> StoreResult<()> {
    let records: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT 1 FROM records LIMIT ?1)",
        [STATISTICS_FROM_RECORDS],
        |r| r.get(0),
    )?;
    if records >= STATISTICS_FROM_RECORDS {
        conn.execute_batch("PRAGMA optimize=0x10002;")?;
    } else {
        let kept: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1')",
            [],
            |r| r.get(0),
        )?;
        if kept {
            conn.execute_batch("DELETE FROM sqlite_stat1; ANALYZE sqlite_schema;")?;
        }
    }
    Ok(())
}

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

impl Store for SqliteStore {
    async fn migrate(&self) -> StoreResult<()> {
        self.inner
            .writer
            .alone(|conn| {
                let on_disk: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
                if usize::try_from(on_disk).unwrap_or(0) > MIGRATIONS.len() {
                    return Err(StoreError::Database(format!(
                        "the database has schema version {on_disk}, newer than this server knows ({}); \
                     run a newer convivio-server",
                        MIGRATIONS.len()
                    )));
                }
                migrations()
                    .to_latest(conn)
                    .map_err(|e| StoreError::Database(format!("schema upgrade failed: {e}")))?;
                // Rows written before the readable columns (or by an older definition of them).
                loop {
                    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let filled = readable::fill_batch(&tx)?;
                    readable::write_text(&tx)?;
                    tx.commit()?;
                    if filled == 0 {
                        break;
                    }
                }
                planner_statistics(conn)
            })
            .await
    }

    async fn create_agency(&self, name: &str) -> StoreResult<Agency> {
        let name = name.to_owned();
        self.write(move |tx| accounts::create_agency(tx, &name, Utc::now())).await
    }

    async fn agency_by_name(&self, name: &str) -> StoreResult<Option<Agency>> {
        let name = name.to_owned();
        self.read(move |tx| accounts::agency_by_name(tx, &name)).await
    }

    async fn create_staff(
        &self,
        agency_id: Uuid,
        username: &str,
        password_hash: &str,
        role: StaffRole,
    ) -> StoreResult<Staff> {
        let (username, hash) = (username.to_owned(), password_hash.to_owned());
        self.write(move |tx| accounts::create_staff(tx, agency_id, &username, &hash, role, Utc::now())).await
    }

    async fn create_caregiver(&self, agency_id: Uuid, display_name: &str) -> StoreResult<Caregiver> {
        let name = display_name.to_owned();
        self.write(move |tx| accounts::create_caregiver(tx, agency_id, &name, Utc::now())).await
    }

    async fn caregiver(&self, id: Uuid) -> StoreResult<Option<Caregiver>> {
        self.read(move |tx| accounts::caregiver(tx, id)).await
    }

    async fn create_enrolment(&self, enrolment: NewEnrolment) -> StoreResult<()> {
        self.write(move |tx| accounts::create_enrolment(tx, &enrolment, Utc::now())).await
    }

    async fn redeem_enrolment(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
        token_hash: &str,
    ) -> StoreResult<Enrolled> {
        let (code, token) = (code_hash.to_owned(), token_hash.to_owned());
        self.write(move |tx| accounts::redeem_enrolment(tx, &code, now, &token)).await
    }

    async fn device(&self, id: Uuid) -> StoreResult<Option<Device>> {
        self.read(move |tx| accounts::device(tx, accounts::DeviceKey::Id(id))).await
    }

    async fn device_by_token(&self, token_hash: &str) -> StoreResult<Option<Device>> {
        let token = token_hash.to_owned();
        self.read(move |tx| accounts::device(tx, accounts::DeviceKey::Token(&token))).await
    }

    async fn revoke_device(&self, device_id: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
        self.write(move |tx| accounts::revoke_device(tx, device_id, now)).await
    }

    async fn apply_batch(
        &self,
        device: &Device,
        batch: &PushBatch,
        now: DateTime<Utc>,
    ) -> StoreResult<Applied> {
        let (device_id, batch) = (device.id, batch.clone());
        self.write(move |tx| records::apply_batch(tx, device_id, &batch, now)).await
    }

    async fn put_agency_record(
        &self,
        agency_id: Uuid,
        caregiver_id: Option<Uuid>,
        record: &Record,
        now: DateTime<Utc>,
    ) -> StoreResult<Merged> {
        let merged =
            self.put_agency_records(agency_id, caregiver_id, std::slice::from_ref(record), now).await?;
        Ok(merged.into_iter().next().unwrap_or(Merged::Duplicate))
    }

    async fn put_agency_records(
        &self,
        agency_id: Uuid,
        caregiver_id: Option<Uuid>,
        records: &[Record],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Merged>> {
        let records = records.to_vec();
        self.write(move |tx| records::put_agency_records(tx, agency_id, caregiver_id, &records, now)).await
    }

    async fn record(&self, agency_id: Uuid, id: RecordId) -> StoreResult<Option<Record>> {
        self.read(move |tx| feed::record(tx, agency_id, id)).await
    }

    async fn history(&self, agency_id: Uuid, id: RecordId) -> StoreResult<Vec<Record>> {
        self.read(move |tx| feed::history(tx, agency_id, id)).await
    }

    async fn pull(&self, device: &Device, cursor: u64, limit: u32, max_bytes: usize) -> StoreResult<Pulled> {
        let device = device.clone();
        self.read(move |tx| feed::pull(tx, &device, cursor, limit, max_bytes)).await
    }

    async fn touch_device(&self, device_id: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
        self.write(move |tx| accounts::touch_device(tx, device_id, now)).await
    }

    async fn ping(&self) -> StoreResult<()> {
        self.read(|tx| Ok(tx.query_row("SELECT 1", [], |_| Ok(()))?)).await
    }

    async fn stats(&self) -> StoreResult<Stats> {
        self.read(accounts::stats).await
    }

    async fn epoch(&self) -> StoreResult<Epoch> {
        self.read(|tx| {
            Ok(Epoch(tx.query_row("SELECT epoch FROM server_epoch WHERE id = 1", [], |r| r.get(0))?))
        })
        .await
    }

    async fn renew_epoch(&self) -> StoreResult<Epoch> {
        let epoch = crate::storage::new_epoch();
        let text = epoch.0.clone();
        self.write(move |tx| {
            tx.execute(
                "UPDATE server_epoch SET epoch = ?1, created_at = ?2 WHERE id = 1",
                rusqlite::params![text, columns::ts(Utc::now())],
            )?;
            Ok(())
        })
        .await?;
        Ok(epoch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }
}
