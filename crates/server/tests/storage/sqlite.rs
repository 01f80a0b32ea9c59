//! The conformance suite on SQLite, each test in its own temporary file.

use convivio_server::storage::Store;
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
