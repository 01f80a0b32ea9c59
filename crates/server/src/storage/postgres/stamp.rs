//! Change ids for device batches, given after the batch has committed: the "stamper".
//!
//! A feed id must be taken in commit order (see [`Pulled::cursor`](crate::storage::Pulled)).
//! Taking it inside the batch's transaction, last, is simple but makes the agency's counter row
//! the lock every device of the agency queues on, held through each commit's WAL flush: one
//! agency's batches then commit one flush at a time. Instead a batch's transaction (T1) writes
//! its rows with change id 0, which the feed never shows, and commits without touching the
//! agency row, so concurrent batches commit together and share their flushes. The ids live in
//! `feed`, one narrow row beside each `records` row, written by the same transaction
//! (migrations/server/postgres/0008_feed.sql): numbering rewrites those, not the versions. Below,
//! "a row" is a feed row. Then [`Stampers::settle`] runs a stamper for the agency, one at a time
//! in each process:
//!
//! 1. In its own transaction, take the agency row's lock *without waiting*
//!    (`FOR NO KEY UPDATE SKIP LOCKED`). `NO KEY`: every T1 holds a `KEY SHARE` lock on the
//!    agency row until it commits (the foreign key of the rows it inserts), and a plain
//!    `FOR UPDATE` would conflict with it, so a stamper would find the row "locked" whenever
//!    any batch of the agency is in flight.
//! 2. If it got the lock: in a new statement, so a new snapshot that sees everything committed
//!    so far, lock the agency's rows with change id 0, skipping rows another transaction holds
//!    (an in-flight T1 rewriting them: that T1 runs a stamper of its own once it has ended,
//!    committed or not), number them after the counter, advance the counter, commit.
//! 3. If it did not (another stamper is at work, or an agency write is stamping its row), wait
//!    a moment and look again, until this batch's rows are stamped (by whoever: under load, one
//!    stamper's commit stamps many batches) or it gets the lock itself. It does not wait for
//!    "no row of the agency waits": under steady load some always do, so every stamper would
//!    have to win the lock itself, one commit each, and that is the queue this replaces.
//!
//! Why no row waits forever: a row starts waiting (committed, id 0, nobody holding it) when a
//! writer that held it ends: the batch that wrote it, or a later one that locked it and then
//! failed or changed nothing. That writer then settles: it keeps trying until the row has an
//! id, or until it has held the agency lock itself, and then its stamp statement, begun after
//! the row was released, took the row, unless yet another writer holds it by then, which
//! settles in turn. A server that dies between a commit and its stamper leaves rows for the
//! next stamper of that agency (each takes all of the agency's waiting rows) and for
//! [`stamp_all`], run at start.
//!
//! Why this cannot deadlock: a stamper never waits for a lock (`SKIP LOCKED` on the agency row
//! and on every feed row), so it can be part of no wait cycle; a T1 never locks the agency
//! row beyond the foreign key's `KEY SHARE`, which no stamper conflicts with.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use deadpool_postgres::{Client, Pool, Transaction};
use tokio::time::Instant;
use tokio_postgres::IsolationLevel;
use uuid::Uuid;

use super::PgResult;
use crate::error::{StoreError, StoreResult};

/// How long a stamper that found another at work waits before it looks again. About a commit
/// of the other's: by then that one has usually stamped this batch's rows too.
const RETRY: Duration = Duration::from_millis(2);

/// How long a stamper keeps trying before it reports an error. Stampers and agency writes hold
/// the agency row for a few milliseconds; only something foreign (a session that locked the row
/// by hand) holds it longer. The rows are committed all the same: the next stamper of the
/// agency, or the retry of a device that got the error, numbers them.
const GIVE_UP: Duration = Duration::from_secs(10);

/// Which rows a stamper waits for before it may stop trying.
#[derive(Debug, Clone, Copy)]
pub(super) enum Waiting<'a> {
    /// The rows of these records: the ones a batch wrote or held locked.
    Records(&'a [Uuid]),
    /// Every row of the agency (at start).
    Agency,
}

/// This process's stampers: one at a time per agency. Without them, every request of a busy
/// agency ran its own stamper after its commit, and those that found the agency row taken
/// looked again every [`RETRY`]: under the sync benchmark's thousand devices, hundreds of
/// requests polled the database at once, three statements each per turn, taking connections
/// and database time from the writes, until they gave up (BENCHMARKS.md, Sync). Now a request waits for its agency's
/// turn in the process, without a statement, and when it gets it, a round that began after its
/// own write ended has usually stamped its rows already. Other replicas still meet at the agency
/// row, as before.
#[derive(Debug, Default)]
pub(super) struct Stampers {
    turns: Mutex<HashMap<Uuid, Arc<tokio::sync::Mutex<Turn>>>>,
}

/// An agency's turn: when this process's last round that held the agency row began.
#[derive(Debug, Default)]
struct Turn {
    last_round: Option<Instant>,
}

impl Stampers {
    fn turn(&self, agency_id: Uuid) -> Arc<tokio::sync::Mutex<Turn>> {
        let mut turns = self.turns.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(turns.entry(agency_id).or_default())
    }

    /// Runs a stamper for `agency_id` until the `waiting` rows have change ids, or a round that
    /// began after the caller's write ended has stamped (rows still waiting then are held by
    /// in-flight writers, which settle after). Call it once the write has ended, committed or not.
    pub(super) async fn settle(&self, pool: &Pool, agency_id: Uuid, waiting: Waiting<'_>) -> StoreResult<()> {
        let ended = Instant::now();
        let turn = self.turn(agency_id);
        let mut turn = turn.lock().await;
        // A round that began after the write ended saw it committed: it stamped the write's rows,
        // unless another writer held them, and that one settles in turn.
        if turn.last_round.is_some_and(|began| began > ended) {
            return Ok(());
        }
        let started = Instant::now();
        loop {
            let mut client = pool.get().await?;
            if !any_waiting(&client, agency_id, waiting).await? {
                return Ok(());
            }
            let began = Instant::now();
            if try_stamp(&mut client, agency_id).await? {
                turn.last_round = Some(began);
                return Ok(());
            }
            // Give the connection back while waiting: other requests need it more.
            drop(client);
            if started.elapsed() > GIVE_UP {
                return Err(StoreError::Database(format!(
                    "could not give change ids for agency {agency_id} within {GIVE_UP:?}: its row in \
                     `agencies` stays locked; look for a session holding it (pg_locks)"
                )));
            }
            tokio::time::sleep(RETRY).await;
        }
    }
}

/// Stamps what a server that stopped between a batch's commit and its stamper left behind.
pub(super) async fn stamp_all(pool: &Pool, stampers: &Stampers) -> StoreResult<()> {
    let agencies: Vec<Uuid> = {
        let client = pool.get().await?;
        let rows = client.query("SELECT DISTINCT agency_id FROM feed WHERE change_id = 0", &[]).await?;
        rows.iter().map(|r| r.get(0)).collect()
    };
    for agency_id in agencies {
        tracing::info!(agency = %agency_id, "stamping rows that were left without a change id");
        stampers.settle(pool, agency_id, Waiting::Agency).await?;
    }
    Ok(())
}

/// Whether any of the `waiting` rows has no change id yet. No lock: a plain read on the primary
/// key or on the partial index `feed_unstamped`.
async fn any_waiting(client: &Client, agency_id: Uuid, waiting: Waiting<'_>) -> PgResult<bool> {
    let row = match waiting {
        Waiting::Records(ids) => {
            let statement = client
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM feed WHERE record_id = ANY($2) AND agency_id = $1 AND change_id = 0)",
                )
                .await?;
            client.query_one(&statement, &[&agency_id, &ids]).await?
        }
        Waiting::Agency => {
            let statement = client
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM feed WHERE agency_id = $1 AND change_id = 0)")
                .await?;
            client.query_one(&statement, &[&agency_id]).await?
        }
    };
    Ok(row.get(0))
}

/// One turn: returns false, having done nothing, if another transaction holds the agency row;
/// otherwise stamps every waiting row of the agency that nobody holds, and returns true.
async fn try_stamp(client: &mut Client, agency_id: Uuid) -> PgResult<bool> {
    let tx = client.build_transaction().isolation_level(IsolationLevel::ReadCommitted).start().await?;
    let lock = tx
        .prepare_cached("SELECT change_counter FROM agencies WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED")
        .await?;
    let Some(row) = tx.query_opt(&lock, &[&agency_id]).await? else {
        tx.rollback().await?;
        return Ok(false);
    };
    let counter: i64 = row.get(0);
    // A statement of its own, after the lock: its snapshot sees every row committed until now,
    // and every id an earlier stamper gave. Rows of one batch are numbered in push order.
    let stamp = tx
        .prepare_cached(
            "WITH waiting AS (
                 SELECT record_id, updated_at, write_pos FROM feed
                 WHERE agency_id = $1 AND change_id = 0
                 FOR NO KEY UPDATE SKIP LOCKED),
             numbered AS (
                 SELECT record_id, row_number() OVER (ORDER BY updated_at, write_pos, record_id) AS n
                 FROM waiting)
             UPDATE feed f SET change_id = $2 + numbered.n
             FROM numbered WHERE f.record_id = numbered.record_id",
        )
        .await?;
    let stamped = tx.execute(&stamp, &[&agency_id, &counter]).await?;
    if stamped > 0 {
        let stamped = i64::try_from(stamped)
            .map_err(|_| StoreError::Database(format!("stamped an impossible {stamped} rows")))?;
        let bump = tx
            .prepare_cached("UPDATE agencies SET change_counter = change_counter + $2 WHERE id = $1")
            .await?;
        tx.execute(&bump, &[&agency_id, &stamped]).await?;
    }
    fold_overview(&tx, agency_id).await?;
    tx.commit().await?;
    Ok(true)
}

/// Folds the agency's committed overview deltas into its counts (the triggers of
/// migrations/server/postgres/0006_overview_counts.sql append them), and the transaction's own.
/// Only while holding the agency row (a stamper, or an agency write), so no two folds of one
/// agency update the same counts at once; in one statement, so a delta is
/// either still a delta or already counted for every reader, never both or neither.
pub(super) async fn fold_overview(tx: &Transaction<'_>, agency_id: Uuid) -> PgResult<()> {
    let fold = tx
        .prepare_cached(
            "WITH folded AS (
                 DELETE FROM overview_deltas WHERE agency_id = $1::uuid
                 RETURNING month, measure, key1, key2, n, total)
             INSERT INTO overview_counts AS c (agency_id, month, measure, key1, key2, n, total)
             SELECT $1::uuid, month, measure, key1, key2, sum(n), sum(total) FROM folded
             GROUP BY month, measure, key1, key2
             ON CONFLICT (agency_id, month, measure, key1, key2)
             DO UPDATE SET n = c.n + excluded.n, total = c.total + excluded.total",
        )
        .await?;
    tx.execute(&fold, &[&agency_id]).await?;
    Ok(())
}
