//! The conformance suite on a real PostgreSQL, plus what only a shared database can show:
//! two server processes (two stores, two pools) on one database.
//!
//! Each test creates its own database and drops it afterwards, also when the test fails. The
//! server is `CONVIVIO_TEST_PG` (default `postgres://postgres@127.0.0.1:5432/postgres`); when
//! it cannot be reached the tests fail and say so: they never skip.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Utc;
use convivio_core::Record;
use convivio_server::storage::postgres::PgStore;
use convivio_server::storage::{Caregiver, Device, Store};
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
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/server/postgres"))
        .unwrap()
        .filter(|f| f.as_ref().unwrap().path().extension().is_some_and(|e| e == "sql"))
        .count();
    assert_eq!(applied, i64::try_from(files).unwrap(), "each migration once");
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

/// A batch's rows wait with change id 0 until a stamper numbers them after the commit. Here a
/// slow transaction does by hand what a batch does (rewrites a record that is in the feed, adds
/// a new one, both at 0, locked, not committed) and holds them. Meanwhile another device's
/// batch commits and is stamped, not blocked, and a pull returns it with a cursor that stays
/// below whatever the slow rows will get. Committed but not yet stamped, they are still in no
/// page and the cursor does not move; once a stamper has run, the reader gets both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_commit_is_not_skipped_by_a_concurrent_pull() {
    let db = fresh().await;
    let store = db.store();
    let (agency, caregiver) = agency(&store).await;
    let (phone, laptop, reader) = (
        device(&store, &caregiver).await,
        device(&store, &caregiver).await,
        device(&store, &caregiver).await,
    );
    let old = notes(1);
    store.apply_batch(&phone, &batch(1, &old), Utc::now()).await.unwrap();
    let (first, cursor) = pull_all(&store, &reader, 0, 10).await;
    assert_eq!((ids(&first), cursor), (ids(&old), 1));

    let mut client = raw(&db.url).await;
    let slow = client.transaction().await.unwrap();
    let rewritten = slow
        .execute("UPDATE records SET updated_at = now() WHERE id = $1", &[old[0].id().as_uuid()])
        .await
        .unwrap();
    assert_eq!(rewritten, 1);
    let unstamped = slow
        .execute(
            "UPDATE feed SET change_id = 0, updated_at = now() WHERE record_id = $1",
            &[old[0].id().as_uuid()],
        )
        .await
        .unwrap();
    assert_eq!(unstamped, 1);
    let late = notes(1);
    insert_waiting(&slow, agency.id, &caregiver, &phone, &late[0]).await;

    let changes = notes(3);
    let push = batch(1, &changes);
    let push = store.apply_batch(&laptop, &push, Utc::now());
    tokio::time::timeout(Duration::from_secs(10), push).await.expect("not held up by the slow one").unwrap();
    let during = store.pull(&reader, cursor, 10, usize::MAX).await.unwrap();
    assert_eq!(ids(&during.records), ids(&changes), "the other batch, stamped; nothing of the slow one");
    assert_eq!(during.cursor, 4);

    slow.commit().await.unwrap();
    let idle = store.pull(&reader, during.cursor, 10, usize::MAX).await.unwrap();
    assert!(idle.records.is_empty(), "committed, not yet stamped: not in the feed");
    assert_eq!(idle.cursor, during.cursor, "and the cursor does not step over it");

    // Any later stamper of the agency takes them (after a batch, its own would).
    store.apply_batch(&phone, &batch(2, &notes(1)), Utc::now()).await.unwrap();
    let (after, _) = pull_all(&store, &reader, idle.cursor, 10).await;
    let after: BTreeSet<_> = ids(&after).into_iter().collect();
    assert!(after.contains(&old[0].id()) && after.contains(&late[0].id()), "{after:?}");
    assert_eq!(waiting(&client, agency.id).await, 0);
}

/// Many devices of one agency push at once through two replicas while a sibling pages through
/// the feed: every row is stamped exactly once (the ids are exactly 1..=n, the counter is n),
/// and the sibling gets each record once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_batches_through_two_replicas_are_each_stamped_once() {
    const WRITERS: usize = 24;
    const ROUNDS: usize = 5;
    const PER_BATCH: usize = 4;
    let db = fresh().await;
    let stores = [db.store(), PgStore::connect(&db.url).await.unwrap()];
    let (agency, caregiver) = agency(&stores[0]).await;
    let reader = device(&stores[0], &caregiver).await;
    let mut writers = tokio::task::JoinSet::new();
    let mut expected = BTreeSet::new();
    let mut ready = Vec::new();
    for w in 0..WRITERS {
        let store = stores[w % 2].clone();
        let writer = device(&store, &caregiver).await;
        let rounds: Vec<_> = (0..ROUNDS).map(|_| notes(PER_BATCH)).collect();
        expected.extend(rounds.iter().flat_map(|r| ids(r)));
        ready.push((store, writer, rounds));
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(WRITERS));
    for (store, writer, rounds) in ready {
        let start = start.clone();
        writers.spawn(async move {
            start.wait().await;
            for (i, changes) in rounds.iter().enumerate() {
                let first_seq = 1 + (PER_BATCH * i) as u64;
                store.apply_batch(&writer, &batch(first_seq, changes), Utc::now()).await.unwrap();
            }
        });
    }
    let (mut seen, mut cursor, mut turn) = (Vec::new(), 0, 0);
    while !writers.is_empty() {
        let page = stores[turn % 2].pull(&reader, cursor, 7, usize::MAX).await.unwrap();
        seen.extend(ids(&page.records));
        cursor = page.cursor;
        turn += 1;
        while let Some(done) = writers.try_join_next() {
            done.unwrap();
        }
    }
    let (rest, _) = pull_all(&stores[1], &reader, cursor, 7).await;
    seen.extend(ids(&rest));
    let unique: BTreeSet<_> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no record twice");
    assert_eq!(unique, expected, "nothing missed");

    let client = raw(&db.url).await;
    let n = (WRITERS * ROUNDS * PER_BATCH) as i64;
    let mut stamped: Vec<i64> = client
        .query("SELECT change_id FROM feed WHERE agency_id = $1", &[&agency.id])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    stamped.sort_unstable();
    assert_eq!(stamped, (1..=n).collect::<Vec<_>>(), "each row one id, no id twice, none wasted");
    assert_eq!(counter(&client, agency.id).await, n);
}

/// A batch locks a committed row that is still waiting for its id (here put there by hand, as
/// a batch whose stamper has not run yet leaves it), so a stamper that runs meanwhile skips
/// it. Then the batch fails: the row must not wait forever. The failed batch runs a stamper
/// too, and that one takes the row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_held_by_a_batch_that_fails_is_stamped_all_the_same() {
    let db = fresh().await;
    let store = db.store();
    let (agency, maria) = agency(&store).await;
    let giulia = store.create_caregiver(agency.id, "Giulia B.").await.unwrap();
    let (phone, tablet, reader) =
        (device(&store, &maria).await, device(&store, &maria).await, device(&store, &giulia).await);
    let reader_of_maria = device(&store, &maria).await;
    let mut client = raw(&db.url).await;
    let held = notes(1);
    insert_waiting(&client, agency.id, &maria, &phone, &held[0]).await;

    // The tablet's batch rewrites the waiting record and adds one; the gate (a lock on Maria's
    // row, which a new record's foreign key needs) stops it after it has locked the first.
    let gate = client.transaction().await.unwrap();
    gate.execute("SELECT 1 FROM caregivers WHERE id = $1 FOR UPDATE", &[&maria.id]).await.unwrap();
    let rewrite = crate::fixtures::note_with_id(held[0].id(), "rewritten", crate::fixtures::v(99));
    let push = {
        let (store, tablet, batch) =
            (store.clone(), tablet.clone(), batch(1, &[rewrite, notes(1).remove(0)]));
        tokio::spawn(async move { store.apply_batch(&tablet, &batch, Utc::now()).await })
    };
    let blocked = blocked_backend(&db.url).await;

    // Meanwhile another device of the agency pushes: its stamper skips the held row.
    store.apply_batch(&reader, &batch(1, &notes(1)), Utc::now()).await.unwrap();
    assert_eq!(waiting(&gate, agency.id).await, 1, "the held row was skipped, not waited for");

    let admin = raw(&db.url).await;
    let cancelled: bool = admin.query_one("SELECT pg_cancel_backend($1)", &[&blocked]).await.unwrap().get(0);
    assert!(cancelled);
    let failed = push.await.unwrap();
    assert!(failed.is_err(), "the batch failed: {failed:?}");
    assert_eq!(waiting(&admin, agency.id).await, 0, "the failed batch's stamper took the row");
    gate.rollback().await.unwrap();

    let (pulled, _) = pull_all(&store, &reader_of_maria, 0, 10).await;
    assert_eq!(ids(&pulled), ids(&held), "the waiting version, as it was");
    assert_eq!(counter(&admin, agency.id).await, 2);
}

/// A server that stops between a batch's commit and its stamper leaves rows at change id 0;
/// the next server to start stamps them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_left_waiting_by_a_stopped_server_are_stamped_at_start() {
    let db = fresh().await;
    let store = db.store();
    let (agency, caregiver) = agency(&store).await;
    let (phone, laptop) = (device(&store, &caregiver).await, device(&store, &caregiver).await);
    let client = raw(&db.url).await;
    let left = notes(2);
    for record in &left {
        insert_waiting(&client, agency.id, &caregiver, &phone, record).await;
    }
    assert!(store.pull(&laptop, 0, 10, usize::MAX).await.unwrap().records.is_empty());

    let restarted = PgStore::connect(&db.url).await.unwrap();
    restarted.migrate().await.unwrap();
    assert_eq!(waiting(&client, agency.id).await, 0);
    let (pulled, cursor) = pull_all(&restarted, &laptop, 0, 10).await;
    assert_eq!(ids(&pulled), ids(&left));
    assert_eq!(cursor, 2);
}

/// A plain connection to the test database, for what the store does not offer.
async fn raw(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await.unwrap();
    tokio::spawn(connection);
    client
}

/// Writes `record` as a batch of `device` would, waiting for its change id.
async fn insert_waiting(
    client: &impl tokio_postgres::GenericClient,
    agency_id: Uuid,
    caregiver: &Caregiver,
    device: &Device,
    record: &Record,
) {
    let body = serde_json::to_value(record).unwrap();
    client
        .execute(
            "WITH version AS (
                 INSERT INTO records (id, agency_id, caregiver_id, kind, version, body, origin_device_id,
                     updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, now()))
             INSERT INTO feed (record_id, agency_id, caregiver_id, origin_device_id, change_id, updated_at,
                 write_pos)
             VALUES ($1, $2, $3, $7, 0, now(), 0)",
            &[
                record.id().as_uuid(),
                &agency_id,
                &caregiver.id,
                &record.kind().code(),
                &record.version().to_string(),
                &body,
                &device.id,
            ],
        )
        .await
        .unwrap();
}

/// How many of the agency's committed rows wait for a change id.
async fn waiting(client: &impl tokio_postgres::GenericClient, agency_id: Uuid) -> i64 {
    let sql = "SELECT count(*) FROM feed WHERE agency_id = $1 AND change_id = 0";
    client.query_one(sql, &[&agency_id]).await.unwrap().get(0)
}

async fn counter(client: &impl tokio_postgres::GenericClient, agency_id: Uuid) -> i64 {
    let sql = "SELECT change_counter FROM agencies WHERE id = $1";
    client.query_one(sql, &[&agency_id]).await.unwrap().get(0)
}

/// The pid of the backend in this database that waits for a lock inserting records.
async fn blocked_backend(url: &str) -> i32 {
    let client = raw(url).await;
    for _ in 0..500 {
        let row = client
            .query_opt(
                "SELECT pid FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'
                   AND query LIKE 'INSERT INTO records%'",
                &[],
            )
            .await
            .unwrap();
        if let Some(row) = row {
            return row.get(0);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the batch never got to wait at the gate");
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
        let page = stores[turn % 2].pull(&reader, cursor, 5, usize::MAX).await.unwrap();
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

/// The certificate file the test server presents (Debian's snakeoil by default).
async fn server_certificate() -> String {
    let admin = admin().await;
    let ssl: String = admin.query_one("SHOW ssl", &[]).await.unwrap().get(0);
    assert_eq!(
        ssl, "on",
        "the test PostgreSQL does not offer TLS (ssl = off); Debian's package turns it on with the \
         snakeoil certificate (package ssl-cert): set ssl = on in postgresql.conf and reload"
    );
    admin.query_one("SHOW ssl_cert_file", &[]).await.unwrap().get(0)
}

/// `(connections of this database over TLS, all of them)`, as the server sees them.
async fn tls_backends(db: &TestDb) -> (i64, i64) {
    let name = db.url.rsplit('/').next().unwrap().split('?').next().unwrap().to_owned();
    let row = admin()
        .await
        .query_one(
            "SELECT count(*) FILTER (WHERE s.ssl), count(*)
             FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = $1",
            &[&name],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1))
}

/// A fresh, migrated database reached through `url_query` (`sslmode=...`).
async fn fresh_with(url_query: &str) -> TestDb {
    let plain = fresh().await;
    let url = format!("{}?{url_query}", plain.url);
    let store = PgStore::connect(&url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    TestDb { store, url, _drop: plain._drop }
}

/// Something of everything: the migration's connection, writes, reads and the stamper.
async fn exercise(store: &PgStore) {
    store.migrate().await.unwrap();
    let (_, caregiver) = agency(store).await;
    let (phone, laptop) = (device(store, &caregiver).await, device(store, &caregiver).await);
    let changes = notes(3);
    store.apply_batch(&phone, &batch(1, &changes), Utc::now()).await.unwrap();
    let (pulled, _) = pull_all(store, &laptop, 0, 2).await;
    assert_eq!(ids(&pulled), ids(&changes));
    store.ping().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_require_connects_over_tls_and_the_store_works() {
    server_certificate().await;
    let db = fresh_with("sslmode=require").await;
    exercise(&db.store).await;
    let (tls, all) = tls_backends(&db).await;
    assert!(all > 0 && tls == all, "{tls} of {all} connections use TLS");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_disable_connects_without_tls() {
    let db = fresh_with("sslmode=disable").await;
    exercise(&db.store).await;
    let (tls, all) = tls_backends(&db).await;
    assert!(all > 0 && tls == 0, "{tls} of {all} connections use TLS");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_verify_checks_the_servers_certificate() {
    let cert = server_certificate().await;
    let plain = fresh().await;
    // verify-ca: the chain up to the given root, whatever the name.
    let ca = format!("{}?sslmode=verify-ca&sslrootcert={cert}", plain.url);
    exercise(&PgStore::connect(&ca).await.unwrap_or_else(|e| panic!("{ca}: {e}"))).await;
    // verify-full: the name too; the certificate is not for 127.0.0.1.
    let full = format!("{}?sslmode=verify-full&sslrootcert={cert}", plain.url);
    let err = PgStore::connect(&full).await.expect_err("a certificate for another name was accepted");
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");
    // A root that did not issue the server's certificate.
    let dir = tempfile::tempdir().unwrap();
    let stranger = dir.path().join("stranger.pem");
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    std::fs::write(&stranger, generated.cert.pem()).unwrap();
    let wrong = format!("{}?sslmode=verify-ca&sslrootcert={}", plain.url, stranger.display());
    let err = PgStore::connect(&wrong).await.expect_err("a certificate from an unknown issuer was accepted");
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");
    // verify-full by the name in the certificate, where that name is this machine's `localhost`.
    let pem = std::fs::read(&cert).unwrap();
    if der_names_localhost(&pem) {
        let by_name = full.replacen("@127.0.0.1", "@localhost", 1);
        exercise(&PgStore::connect(&by_name).await.unwrap_or_else(|e| panic!("{by_name}: {e}"))).await;
    } else {
        eprintln!("the server's certificate is not for localhost: verify-full by name not tried");
    }
}

/// Whether the DER of the first certificate in `pem` names `localhost`.
fn der_names_localhost(pem: &[u8]) -> bool {
    use rustls::pki_types::pem::PemObject;
    rustls::pki_types::CertificateDer::pem_slice_iter(pem)
        .filter_map(Result::ok)
        .any(|der| der.as_ref().windows(9).any(|w| w == b"localhost"))
}
