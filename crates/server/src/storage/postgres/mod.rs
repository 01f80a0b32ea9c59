//! The PostgreSQL backend: for agencies that run several server replicas on one database.
//!
//! Replicas share nothing but the database, so every guarantee lives in it. Transactions run
//! at READ COMMITTED with explicit row locks, taken in one order: the device row (`FOR UPDATE`,
//! first thing in `apply_batch`, so two replicas handling the same device queue up and the
//! second sees the first's ack), then the touched records sorted by id. A batch's transaction
//! stops there: its rows wait with change id 0 and, once it has committed (or failed), a
//! stamper gives them their ids under the agency's counter row lock, in a transaction of its
//! own that never waits for a lock (`stamp.rs`), so one agency's devices commit side by side
//! instead of one WAL flush at a time. Agency writes (rare) still take the counter row last, in
//! their own transaction. SERIALIZABLE would also be correct but would turn every concurrent
//! batch of one agency into a retry; the locks make the ordering explicit instead. Unique
//! constraints are the last line of defence: when one fires anyway (two replicas inserting the
//! same new record) or the database breaks a deadlock, the transaction is rolled back and run
//! once more, and then sees what the other committed.

mod accounts;
mod feed;
mod migrate;
mod pipeline;
mod readable;
mod records;
mod stamp;
mod tls;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use convivio_core::sync::{Epoch, PushBatch};
use convivio_core::{Record, RecordId};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::error::SqlState;
use tokio_postgres_rustls::MakeRustlsConnect;
use uuid::Uuid;

use super::{
    Agency, Applied, Caregiver, Device, Enrolled, Merged, NewEnrolment, Pulled, Staff, StaffRole, Stats,
    Store,
};
use crate::error::{StoreError, StoreResult};

/// Connections per server process. Each is a PostgreSQL backend process, so keep it modest;
/// replicas multiply it.
const POOL_SIZE: usize = 16;

/// The server's storage in a PostgreSQL database. Cheap to clone: clones share the pool.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// Change ids for committed batches, one stamper at a time per agency (`stamp.rs`).
    stampers: Arc<stamp::Stampers>,
    config: Arc<tokio_postgres::Config>,
    /// How connections do TLS (the URL's `sslmode`: see `tls.rs`); the migration's own
    /// connection uses it too.
    tls: MakeRustlsConnect,
}

/// Names the database, never the password.
impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("dbname", &self.config.get_dbname()).finish_non_exhaustive()
    }
}

/// A failure inside a transaction: the driver's error keeps its SQLSTATE, so the caller can
/// tell a lost race (worth one retry) from everything else.
#[derive(Debug)]
pub(super) enum Fail {
    Pg(tokio_postgres::Error),
    Store(StoreError),
}

impl From<tokio_postgres::Error> for Fail {
    fn from(e: tokio_postgres::Error) -> Self {
        Fail::Pg(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Self {
        Fail::Store(e)
    }
}

impl From<Fail> for StoreError {
    fn from(f: Fail) -> Self {
        match f {
            Fail::Pg(e) => e.into(),
            Fail::Store(e) => e,
        }
    }
}

type PgResult<T> = Result<T, Fail>;

/// Whether an error means a concurrent transaction got there first.
fn lost_race(e: &tokio_postgres::Error) -> bool {
    [SqlState::UNIQUE_VIOLATION, SqlState::T_R_DEADLOCK_DETECTED, SqlState::T_R_SERIALIZATION_FAILURE]
        .iter()
        .any(|state| e.code() == Some(state))
}

/// Maps a unique violation to [`StoreError::Conflict`] naming `what`; anything else passes.
fn conflict(what: impl FnOnce() -> String) -> impl FnOnce(tokio_postgres::Error) -> Fail {
    move |e| {
        if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
            Fail::Store(StoreError::Conflict(what()))
        } else {
            Fail::Pg(e)
        }
    }
}

/// Runs `$body` (a future using `$tx`, a READ COMMITTED transaction) and commits. If a
/// concurrent transaction won a race, everything is rolled back and run once more. A failed
/// transaction is rolled back before this returns (not merely when the connection gets to it),
/// so its row locks are gone by the time the caller's stamper looks.
macro_rules! in_transaction {
    ($store:expr, |$tx:ident| $body:expr) => {{
        let mut retried = false;
        loop {
            let mut client = $store.pool.get().await?;
            let result: PgResult<_> = async {
                let $tx = client
                    .build_transaction()
                    .isolation_level(tokio_postgres::IsolationLevel::ReadCommitted)
                    .start()
                    .await?;
                let value = match $body.await {
                    Ok(value) => value,
                    Err(e) => {
                        if let Err(rollback) = $tx.rollback().await {
                            tracing::debug!(error = %rollback, "could not roll back a failed transaction");
                        }
                        return Err(e);
                    }
                };
                $tx.commit().await?;
                Ok(value)
            }
            .await;
            match result {
                Err(Fail::Pg(e)) if !retried && lost_race(&e) => {
                    tracing::debug!(error = %e, "a concurrent transaction won a race; running it once more");
                    retried = true;
                }
                other => break other.map_err(StoreError::from),
            }
        }
    }};
}

// After `in_transaction!`, which it uses.
mod shared;

/// A write's result once its stamper has run. The write's own error wins. If the write
/// committed but stamping failed, the error goes back all the same: a device retries, its batch
/// is found stored already, and the retry's stamper tries again.
fn settled<T>(written: StoreResult<T>, stamped: StoreResult<()>) -> StoreResult<T> {
    match (written, stamped) {
        (written, Ok(())) => written,
        (Ok(_), Err(e)) => Err(e),
        (Err(e), Err(stamp)) => {
            tracing::warn!(error = %stamp, "could not stamp change ids after a failed write");
            Err(e)
        }
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`, with `sslmode` and
    /// `sslrootcert` as libpq reads them: see `tls.rs`) and checks that the server answers.
    /// Call [`Store::migrate`] before use.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let target = tls::Target::parse(url)?;
        let tls = target.connector()?;
        let mut config = target.config;
        // The dashboard's summaries sort and group tens of thousands of rows: room for that in
        // memory rather than in temp files, and no JIT, whose compiling costs more than these
        // queries take (BENCHMARKS.md). Options in the URL come first and are kept.
        let options = format!("{} -c work_mem=16MB -c jit=off", config.get_options().unwrap_or_default());
        config.options(options.trim_start());
        let manager = Manager::from_config(
            config.clone(),
            tls.clone(),
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .create_timeout(Some(Duration::from_secs(10)))
            .wait_timeout(Some(Duration::from_secs(30)))
            .build()
            .map_err(|e| StoreError::Database(format!("cannot build the connection pool: {e}")))?;
        // Fail now, with the reason, rather than at the first request.
        pool.get().await?.simple_query("SELECT 1").await?;
        Ok(PgStore { pool, stampers: Arc::default(), config: Arc::new(config), tls })
    }
}

impl Store for PgStore {
    async fn migrate(&self) -> StoreResult<()> {
        migrate::run(&self.config, self.tls.clone()).await?;
        // Rows a server committed and then stopped before stamping.
        stamp::stamp_all(&self.pool, &self.stampers).await?;
        // Rows written before the readable columns (or by an older definition of them).
        while in_transaction!(self, |tx| readable::fill_batch(&tx))? > 0 {}
        Ok(())
    }

    async fn create_agency(&self, name: &str) -> StoreResult<Agency> {
        in_transaction!(self, |tx| accounts::create_agency(&tx, name, Utc::now()))
    }

    async fn agency_by_name(&self, name: &str) -> StoreResult<Option<Agency>> {
        Ok(accounts::agency_by_name(&self.pool.get().await?, name).await?)
    }

    async fn create_staff(
        &self,
        agency_id: Uuid,
        username: &str,
        password_hash: &str,
        role: StaffRole,
    ) -> StoreResult<Staff> {
        in_transaction!(self, |tx| accounts::create_staff(
            &tx,
            agency_id,
            username,
            password_hash,
            role,
            Utc::now()
        ))
    }

    async fn create_caregiver(&self, agency_id: Uuid, display_name: &str) -> StoreResult<Caregiver> {
        in_transaction!(self, |tx| accounts::create_caregiver(&tx, agency_id, display_name, Utc::now()))
    }

    async fn caregiver(&self, id: Uuid) -> StoreResult<Option<Caregiver>> {
        Ok(accounts::caregiver(&self.pool.get().await?, id).await?)
    }

    async fn create_enrolment(&self, enrolment: NewEnrolment) -> StoreResult<()> {
        in_transaction!(self, |tx| accounts::create_enrolment(&tx, &enrolment, Utc::now()))
    }

    async fn redeem_enrolment(
        &self,
        code_hash: &str,
        now: DateTime<Utc>,
        token_hash: &str,
    ) -> StoreResult<Enrolled> {
        in_transaction!(self, |tx| accounts::redeem_enrolment(&tx, code_hash, now, token_hash))
    }

    async fn device(&self, id: Uuid) -> StoreResult<Option<Device>> {
        Ok(accounts::device(&self.pool.get().await?, accounts::DeviceKey::Id(id)).await?)
    }

    async fn device_by_token(&self, token_hash: &str) -> StoreResult<Option<Device>> {
        Ok(accounts::device(&self.pool.get().await?, accounts::DeviceKey::Token(token_hash)).await?)
    }

    async fn revoke_device(&self, device_id: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
        Ok(accounts::revoke_device(&self.pool.get().await?, device_id, now).await?)
    }

    async fn apply_batch(
        &self,
        device: &Device,
        batch: &PushBatch,
        now: DateTime<Utc>,
    ) -> StoreResult<Applied> {
        let applied = in_transaction!(self, |tx| records::apply_batch(&tx, device.id, batch, now));
        // After the commit, and after a failure too: a failed batch may have held rows that a
        // stamper skipped meanwhile. The ack goes out after the commit, as before; it also waits
        // for the stamp, so that a sibling syncing right after finds the rows.
        let ids: Vec<Uuid> = batch.changes.iter().map(|r| *r.id().as_uuid()).collect();
        let stamped = self.stampers.settle(&self.pool, device.agency_id, stamp::Waiting::Records(&ids)).await;
        settled(applied, stamped)
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
        let merged = in_transaction!(self, |tx| records::put_agency_records(
            &tx,
            agency_id,
            caregiver_id,
            records,
            now
        ));
        // The write stamped its own rows; a batch's row it held (and refused to change) may have
        // been skipped by a stamper meanwhile.
        let ids: Vec<Uuid> = records.iter().map(|r| *r.id().as_uuid()).collect();
        let stamped = self.stampers.settle(&self.pool, agency_id, stamp::Waiting::Records(&ids)).await;
        settled(merged, stamped)
    }

    async fn record(&self, agency_id: Uuid, id: RecordId) -> StoreResult<Option<Record>> {
        Ok(feed::record(&self.pool.get().await?, agency_id, id).await?)
    }

    async fn history(&self, agency_id: Uuid, id: RecordId) -> StoreResult<Vec<Record>> {
        Ok(feed::history(&self.pool.get().await?, agency_id, id).await?)
    }

    async fn pull(&self, device: &Device, cursor: u64, limit: u32, max_bytes: usize) -> StoreResult<Pulled> {
        Ok(feed::pull(&self.pool.get().await?, device, cursor, limit, max_bytes).await?)
    }

    async fn touch_device(&self, device_id: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
        Ok(accounts::touch_device(&self.pool.get().await?, device_id, now).await?)
    }

    async fn ping(&self) -> StoreResult<()> {
        self.pool.get().await?.simple_query("SELECT 1").await?;
        Ok(())
    }

    async fn stats(&self) -> StoreResult<Stats> {
        Ok(accounts::stats(&self.pool.get().await?).await?)
    }

    async fn epoch(&self) -> StoreResult<Epoch> {
        let client = self.pool.get().await?;
        let row = client.query_one("SELECT epoch FROM server_epoch WHERE id = 1", &[]).await?;
        Ok(Epoch(row.get(0)))
    }

    async fn renew_epoch(&self) -> StoreResult<Epoch> {
        let epoch = crate::storage::new_epoch();
        let client = self.pool.get().await?;
        client
            .execute("UPDATE server_epoch SET epoch = $1, created_at = now() WHERE id = 1", &[&epoch.0])
            .await?;
        Ok(epoch)
    }
}
