//! The real agency server for the sync commands' tests: `convivio-server` in this process on
//! 127.0.0.1:0 over its own SQLite file, on Tauri's async runtime, and the admin actions staff
//! would take (a code for a caregiver, revoking a device).

use convivio_server::admin;
use convivio_server::config::Config;
use convivio_server::startup::{self, AnyStore, Running};
use convivio_server::storage::Store;
use convivio_server::storage::sqlite::SqliteStore;
use tauri::async_runtime::block_on;
use tempfile::TempDir;
use uuid::Uuid;

pub const AGENCY: &str = "Valle Verde";

pub struct TestServer {
    pub url: String,
    store: SqliteStore,
    running: Option<Running>,
    _dir: TempDir,
}

impl TestServer {
    /// A server with one agency, answering at [`TestServer::url`].
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let config = Config {
            db: format!("sqlite://{}", dir.path().join("server.db").display()),
            listen: "127.0.0.1:0".parse().expect("an address"),
            ..Config::default()
        };
        block_on(async {
            let AnyStore::Sqlite(store) = startup::open(&config.db).await.expect("the server's database")
            else {
                unreachable!("a sqlite:// URL opens SQLite")
            };
            admin::create_agency(&store, AGENCY).await.expect("the agency");
            let running = startup::spawn(store.clone(), config).await.expect("the server starts");
            Self { url: format!("http://{}", running.addr), store, running: Some(running), _dir: dir }
        })
    }

    /// A one-time code for a new caregiver of the agency, as `admin enrol` prints it.
    pub fn code(&self, caregiver: &str) -> String {
        block_on(admin::enrol(&self.store, AGENCY, Some(caregiver), None, 7)).expect("a code").code
    }

    /// Staff revoke the device.
    pub fn revoke(&self, device_id: &str) {
        let id = Uuid::parse_str(device_id).expect("a device id");
        let revoked = block_on(self.store.revoke_device(id, chrono::Utc::now())).expect("revoking");
        assert!(revoked, "the device was active");
    }

    /// Entries the server holds from every device.
    pub fn entries(&self) -> u64 {
        let stats = block_on(self.store.stats()).expect("stats");
        stats.records_by_kind.get("entry").copied().unwrap_or(0)
    }

    /// Stops answering: the address now refuses connections.
    pub fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            block_on(running.stop()).expect("the server stops");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}
