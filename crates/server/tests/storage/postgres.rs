//! The conformance suite on a real PostgreSQL, plus what only a shared database can show:
//! two server processes (two stores, two pools) on one database.
//!
//! Each test creates its own database and drops it afterwards, also when the test fails. The
//! server is `CONVIVIO_TEST_PG` (default `postgres://postgres@127.0.0.1:5432/postgres`); when
//! it cannot be reached the tests fail and say so: they never skip.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Utc;
use convivio_server::storage::Store;
use convivio_server::storage::postgres::PgStore;
use tokio_postgres::NoTls;
use uuid::Uuid;

use crate::fixtures::{agency, batch, device, ids, notes, pull_all};

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

fn admin_url() -> String {
    std::env::var("CONVIVIO_TEST_PG").unwrap_or_else(|_| DEFAULT_URL.to_owned())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let base = base[host_start..].find('/').map_or(base, |i| &base[..host_start + i]);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

async fn admin() -> tokio_postgres::Client {
    let url = admin_url();
    let (client, connection) = tokio_postgres::connect(&url, NoTls).await.unwrap_or_else(|e| {
        panic!(
            "PostgreSQL is not reachable at {url} ({e}{cause}). These tests need a real server: \
             run scripts/setup.sh (it installs and starts one), or `pg_ctlcluster 15 main start`, \
             or set CONVIVIO_TEST_PG to a server where this user may CREATE DATABASE.",
            cause = std::error::Error::source(&e).map(|c| format!(": {c}")).unwrap_or_default(),
        )
    });
    tokio::spawn(connection);
    client
}

/// A database of its own, dropped (connections and all) when this goes out of scope, also
/// when the test fails.
pub struct TestDb {
    store: PgStore,
    pub url: String,
    _drop: DropDatabase,
}

impl TestDb {
    pub fn store(&self) -> PgStore {
        self.store.clone()
    }
}

struct DropDatabase(String);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let name = self.0.clone();
        // Drop may run inside the test's runtime, which cannot be blocked on: use a thread with
        // a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let (client, connection) = tokio_postgres::connect(&admin_url(), NoTls).await?;
                tokio::spawn(connection);
                client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}: {dropped:?}", self.0);
        }
    }
}

/// A new, empty database (no schema yet).
async fn empty() -> TestDb {
    let name = format!("convivio_test_{}", Uuid::now_v7().simple());
    admin().await.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let drop = DropDatabase(name.clone());
    let url = with_database(&admin_url(), &name);
    let store = PgStore::connect(&url).await.unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
    TestDb { store, url, _drop: drop }
}

pub async fn fresh() -> TestDb {
    let db = empty().await;
    db.store.migrate().await.unwrap();
    db
}

crate::conformance_tests!(fresh);

#[test]
fn a_database_name_replaces_the_one_in_the_url() {
    assert_eq!(with_database("postgres://u@h:5432/postgres", "t1"), "postgres://u@h:5432/t1");
    assert_eq!(with_database("postgres://u@h", "t1"), "postgres://u@h/t1");
    assert_eq!(
        with_database("postgres://u:p@h/db?sslmode=disable", "t1"),
        "postgres://u:p@h/t1?sslmode=disable"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_migrating_at_once_both_succeed() {
    let db = empty().await;
    let other = PgStore::connect(&db.url).await.unwrap();
    let (a, b) = tokio::join!(db.store.migrate(), other.migrate());
    a.unwrap();
    b.unwrap();
    let (client, connection) = tokio_postgres::connect(&db.url, NoTls).await.unwrap();
    tokio::spawn(connection);
    let applied: i64 = client.query_one("SELECT count(*) FROM schema_migrations", &[]).await.unwrap().get(0);
    assert_eq!(applied, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_on_one_database_apply_concurrent_batches_once() {
    let db = fresh().await;
    let stores = [db.store(), PgStore::connect(&db.url).await.unwrap()];
    let (_, caregiver) = agency(&stores[0]).await;
    let (phone, laptop) = (device(&stores[0], &caregiver).await, device(&stores[1], &caregiver).await);
    let mut pushed = Vec::new();
    for round in 0..20u64 {
        let changes = notes(5);
        let first_seq = 1 + 5 * round;
        // The same batch, four times at once, through both replicas (a device retrying after
        // a timeout while its first request is still in flight).
        let mut sends = tokio::task::JoinSet::new();
        for i in 0..4 {
            let (store, phone, batch) = (stores[i % 2].clone(), phone.clone(), batch(first_seq, &changes));
            sends.spawn(async move { store.apply_batch(&phone, &batch, Utc::now()).await });
        }
        let mut new_changes = 0;
        while let Some(applied) = sends.join_next().await {
            let applied = applied.unwrap().unwrap();
            assert_eq!(applied.acked_seq, first_seq + 4);
            new_changes += applied.new_changes;
        }
        assert_eq!(new_changes, 5, "round {round}: applied exactly once");
        pushed.extend(ids(&changes));
    }
    assert_eq!(stores[1].stats().await.unwrap().records_by_kind["entry"], 100);
    let (pulled, _) = pull_all(&stores[1], &laptop, 0, 30).await;
    assert_eq!(ids(&pulled), pushed, "each once, in push order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_commit_is_not_skipped_by_a_concurrent_pull() {
    let db = fresh().await;
    let store = db.store();
    let (agency, caregiver) = agency(&store).await;
    let (writer, reader) = (device(&store, &caregiver).await, device(&store, &caregiver).await);

    // Another transaction holds the agency's counter: it has taken change ids and not yet
    // committed. A writer that comes after it must not take ids, nor commit, before it does.
    let (mut client, connection) = tokio_postgres::connect(&db.url, NoTls).await.unwrap();
    tokio::spawn(connection);
    let slow = client.transaction().await.unwrap();
    slow.execute("SELECT change_counter FROM agencies WHERE id = $1 FOR UPDATE", &[&agency.id])
        .await
        .unwrap();

    let changes = notes(3);
    let push = {
        let (store, writer, batch) = (store.clone(), writer.clone(), batch(1, &changes));
        tokio::spawn(async move { store.apply_batch(&writer, &batch, Utc::now()).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!push.is_finished(), "the later writer waits for the earlier one to commit");
    let during = store.pull(&reader, 0, 10).await.unwrap();
    assert!(during.records.is_empty() && during.cursor == 0, "nothing visible, the cursor stays behind");

    slow.commit().await.unwrap();
    push.await.unwrap().unwrap();
    let (after, _) = pull_all(&store, &reader, during.cursor, 10).await;
    assert_eq!(ids(&after), ids(&changes));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sibling_paging_through_two_replicas_misses_nothing() {
    let db = fresh().await;
    let stores = [db.store(), PgStore::connect(&db.url).await.unwrap()];
    let (_, caregiver) = agency(&stores[0]).await;
    let reader = device(&stores[0], &caregiver).await;
    let mut writers = tokio::task::JoinSet::new();
    let mut expected = BTreeSet::new();
    for w in 0..6 {
        let store = stores[w % 2].clone();
        let writer = device(&store, &caregiver).await;
        let rounds: Vec<_> = (0..10).map(|_| notes(2)).collect();
        expected.extend(rounds.iter().flat_map(|r| ids(r)));
        writers.spawn(async move {
            for (i, changes) in rounds.iter().enumerate() {
                store.apply_batch(&writer, &batch(1 + 2 * i as u64, changes), Utc::now()).await.unwrap();
            }
        });
    }
    let (mut seen, mut cursor, mut turn) = (BTreeSet::new(), 0, 0);
    while !writers.is_empty() {
        let page = stores[turn % 2].pull(&reader, cursor, 5).await.unwrap();
        seen.extend(ids(&page.records));
        cursor = page.cursor;
        turn += 1;
        while let Some(done) = writers.try_join_next() {
            done.unwrap();
        }
    }
    let (rest, _) = pull_all(&stores[1], &reader, cursor, 5).await;
    seen.extend(ids(&rest));
    assert_eq!(seen, expected);
}
