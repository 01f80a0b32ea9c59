//! The conformance suite on SQLite, each test in its own temporary file.

use convivio_server::storage::Store;
use convivio_server::storage::sql::Db;
use convivio_server::storage::sqlite::SqliteStore;

pub struct TestDb {
    store: SqliteStore,
    _dir: tempfile::TempDir,
}

impl TestDb {
    pub fn store(&self) -> SqliteStore {
        self.store.clone()
    }
}

pub async fn fresh() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("convivio.db")).await.unwrap();
    store.migrate().await.unwrap();
    TestDb { store, _dir: dir }
}

crate::conformance_tests!(fresh);

/// How many rows the planner's statistics hold.
async fn statistics(store: &SqliteStore) -> i64 {
    let exists = store.sql("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'");
    if store.query(exists).await.unwrap()[0].int(0).unwrap() == 0 {
        return 0;
    }
    store.query(store.sql("SELECT count(*) FROM sqlite_stat1")).await.unwrap()[0].int(0).unwrap()
}

/// A small database's statistics would tell the planner that every table is tiny, and keep
/// telling it as the database fills; the store leaves the planner its defaults until it is large.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_database_keeps_no_planner_statistics() {
    use crate::fixtures::{agency, batch, device, notes};
    let db = fresh().await;
    let store = db.store();
    let (_, caregiver) = agency(&store).await;
    let phone = device(&store, &caregiver).await;
    store.apply_batch(&phone, &batch(1, &notes(20)), chrono::Utc::now()).await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(statistics(&store).await, 0, "none taken for a small database");
    // As a server that analysed it when it was small left it.
    store.transaction(vec![store.sql("ANALYZE")]).await.unwrap();
    assert!(statistics(&store).await > 0);
    store.migrate().await.unwrap();
    assert_eq!(statistics(&store).await, 0, "the misleading ones are dropped at the next start");
}

/// The writer never checkpoints (its commits would wait for the copy); the store's checkpointer
/// copies the write-ahead log back into the database file while it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_is_copied_back_into_the_database_file_while_the_store_runs() {
    use crate::fixtures::{agency, batch, device, notes};
    let db = fresh().await;
    let store = db.store();
    let file = db._dir.path().join("convivio.db");
    let size = || std::fs::metadata(&file).unwrap().len();
    let (_, caregiver) = agency(&store).await;
    let phone = device(&store, &caregiver).await;
    // What the schema and the accounts wrote is copied first.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let before = size();
    for b in 0..10_u64 {
        store.apply_batch(&phone, &batch(b * 20 + 1, &notes(20)), chrono::Utc::now()).await.unwrap();
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while size() <= before {
        assert!(std::time::Instant::now() < deadline, "the file stayed at {before} bytes");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
