//! A whole sync world for end-to-end tests: the real server as a child process (one or two, on
//! SQLite or PostgreSQL), a [`FaultProxy`] in front, real diaries with the real sync client, and
//! a look at what the server holds, taken through its storage layer.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use convivio_core::entry::EntryInput;
use convivio_core::{Record, RecordId, RecordKind, Sharing};
use convivio_diary::Diary;
use convivio_diary::sync::{HttpConfig, SharedDiary, SyncClient};
use convivio_server::startup::{self, AnyStore};
use convivio_server::storage::{Device as ServerDevice, Store};
use convivio_server::tokens;
use rand::Rng;
use uuid::Uuid;

use crate::fault_proxy::{FaultProxy, KillHook};
use crate::lock;
use crate::pg::TestDatabase;
use crate::server_process::ServerProcess;

pub const AGENCY: &str = "Valle Verde";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Servers, a proxy in front of them, and a handle on their database.
pub struct World {
    pub proxy: FaultProxy,
    pub servers: Arc<Vec<Mutex<ServerProcess>>>,
    pub backend: Backend,
    /// Behind a lock only so that [`World::restore`] can close it while the file is replaced.
    pub(crate) store: tokio::sync::RwLock<AnyStore>,
    db: String,
    _pg: Option<TestDatabase>,
    _dir: tempfile::TempDir,
}

/// A copy of a SQLite server database, taken while the server ran (see [`World::snapshot`]).
#[derive(Debug)]
pub struct Snapshot(std::path::PathBuf);

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World").field("proxy", &self.proxy).finish_non_exhaustive()
    }
}

/// What the server holds for one record: its current version and the versions that lost.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub current: Record,
    pub history: Vec<Record>,
}

impl World {
    /// `servers` processes of `exe` on one fresh database of `backend`, behind one proxy that
    /// sends exchanges to them in turn. Enrolment is not throttled here (tests enrol hundreds
    /// of devices from one address); `env` adds settings.
    pub async fn start(exe: &str, backend: Backend, servers: usize, env: &[(&str, &str)]) -> World {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let pg = (backend == Backend::Postgres).then(TestDatabase::create);
        let db = match &pg {
            Some(pg) => pg.url.clone(),
            None => format!("sqlite://{}", dir.path().join("server.db").display()),
        };
        // Migrated once here, so the server processes start on a ready schema.
        let store = startup::open(&db).await.unwrap_or_else(|e| panic!("opening {db}: {e:#}"));
        match &store {
            AnyStore::Sqlite(s) => convivio_server::admin::create_agency(s, AGENCY).await,
            AnyStore::Postgres(s) => convivio_server::admin::create_agency(s, AGENCY).await,
        }
        .unwrap_or_else(|e| panic!("creating the agency: {e}"));
        // A variable given twice takes its last value: the caller's settings come last.
        let env: Vec<(&str, &str)> =
            [("CONVIVIO_ENROLMENT__ATTEMPTS_PER_MINUTE", "1000000"), ("RUST_LOG", "warn")]
                .into_iter()
                .chain(env.iter().copied())
                .collect();
        let processes: Vec<_> = (0..servers)
            .map(|_| {
                let process = ServerProcess::start(exe, &db, &env)
                    .unwrap_or_else(|e| panic!("starting the server: {e:#}"));
                Mutex::new(process)
            })
            .collect();
        let servers = Arc::new(processes);
        let db = db.clone();
        let addrs: Vec<SocketAddr> = servers.iter().map(|s| lock(s).addr).collect();
        let for_hook = Arc::clone(&servers);
        let kill: KillHook = Arc::new(move |index| {
            let mut server = lock(&for_hook[index]);
            server.restart().unwrap_or_else(|e| panic!("restarting the server: {e:#}"))
        });
        let proxy = FaultProxy::start(addrs, Some(kill)).await.unwrap_or_else(|e| panic!("proxy: {e}"));
        World { proxy, servers, backend, store: tokio::sync::RwLock::new(store), db, _pg: pg, _dir: dir }
    }

    /// A consistent copy of the SQLite database as it is now, as a nightly backup would take it
    /// (`VACUUM INTO`, from another connection, while the servers run).
    pub async fn snapshot(&self) -> Snapshot {
        assert_eq!(self.backend, Backend::Sqlite, "snapshots are of the SQLite backend");
        let path = self._dir.path().join(format!("backup-{}.db", Uuid::now_v7()));
        let (db, copy) = (self.sqlite_path(), path.clone());
        tokio::task::spawn_blocking(move || {
            let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("opening {db:?}: {e}"));
            conn.execute("VACUUM INTO ?1", [copy.to_string_lossy()])
                .unwrap_or_else(|e| panic!("backup: {e}"));
        })
        .await
        .unwrap_or_else(|e| panic!("backup task: {e}"));
        Snapshot(path)
    }

    /// Restores `snapshot` as an operator would: stop the servers, put the backup in place of
    /// the database, run `convivio-server admin restored`, start the servers again.
    pub async fn restore(&self, snapshot: &Snapshot) {
        let db = self.sqlite_path();
        for server in self.servers.iter() {
            lock(server).kill();
        }
        let mut store = self.store.write().await;
        // Close this handle's connections first: a last connection closing removes the WAL.
        let placeholder =
            startup::open(&format!("sqlite://{}", self._dir.path().join("placeholder.db").display()))
                .await
                .unwrap_or_else(|e| panic!("placeholder store: {e:#}"));
        drop(std::mem::replace(&mut *store, placeholder));
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        std::fs::copy(&snapshot.0, &db).unwrap_or_else(|e| panic!("restoring the backup: {e}"));
        let printed = lock(&self.servers[0]).admin(&["restored"]).unwrap_or_else(|e| panic!("{e:#}"));
        assert!(printed.contains("new server epoch"), "{printed}");
        *store = startup::open(&self.db).await.unwrap_or_else(|e| panic!("reopening {}: {e:#}", self.db));
        for (index, server) in self.servers.iter().enumerate() {
            let addr = lock(server).start_again().unwrap_or_else(|e| panic!("starting the server: {e:#}"));
            self.proxy.set_upstream(index, addr);
        }
    }

    fn sqlite_path(&self) -> std::path::PathBuf {
        std::path::PathBuf::from(self.db.trim_start_matches("sqlite://"))
    }

    /// A one-time code for a new caregiver, or for another device of `caregiver`.
    pub async fn code(&self, caregiver: Option<Uuid>) -> String {
        let name = caregiver.is_none().then_some("Anna Rossi");
        match &*self.store.read().await {
            AnyStore::Sqlite(s) => convivio_server::admin::enrol(s, AGENCY, name, caregiver, 7).await,
            AnyStore::Postgres(s) => convivio_server::admin::enrol(s, AGENCY, name, caregiver, 7).await,
        }
        .unwrap_or_else(|e| panic!("making a code: {e}"))
        .code
    }

    /// A code for a new caregiver that expired yesterday.
    pub async fn expired_code(&self) -> String {
        let name = Some("Carla Bianchi");
        match &*self.store.read().await {
            AnyStore::Sqlite(s) => convivio_server::admin::enrol(s, AGENCY, name, None, -1).await,
            AnyStore::Postgres(s) => convivio_server::admin::enrol(s, AGENCY, name, None, -1).await,
        }
        .unwrap_or_else(|e| panic!("making a code: {e}"))
        .code
    }

    /// Everything the server holds for `caregiver`, by record id, as a new device of theirs
    /// would pull it (tombstones included), with each record's history.
    pub async fn held(&self, caregiver: Uuid) -> BTreeMap<RecordId, Held> {
        let code = self.code(Some(caregiver)).await;
        match &*self.store.read().await {
            AnyStore::Sqlite(s) => held(s, &code).await,
            AnyStore::Postgres(s) => held(s, &code).await,
        }
    }

    /// The server's record of `device`: its acknowledged sequence number, revoked or not.
    pub async fn device(&self, device: Uuid) -> ServerDevice {
        match &*self.store.read().await {
            AnyStore::Sqlite(s) => s.device(device).await,
            AnyStore::Postgres(s) => s.device(device).await,
        }
        .unwrap_or_else(|e| panic!("reading device: {e}"))
        .unwrap_or_else(|| panic!("the server does not know device {device}"))
    }

    /// How many entries the server stores, all caregivers together.
    pub async fn entry_count(&self) -> u64 {
        let stats = match &*self.store.read().await {
            AnyStore::Sqlite(s) => s.stats().await,
            AnyStore::Postgres(s) => s.stats().await,
        }
        .unwrap_or_else(|e| panic!("stats: {e}"));
        stats.records_by_kind.get("entry").copied().unwrap_or(0)
    }

    pub async fn revoke(&self, device: Uuid) {
        match &*self.store.read().await {
            AnyStore::Sqlite(s) => s.revoke_device(device, Utc::now()).await,
            AnyStore::Postgres(s) => s.revoke_device(device, Utc::now()).await,
        }
        .unwrap_or_else(|e| panic!("revoking: {e}"));
    }

    /// Address of server process `index`, bypassing the proxy.
    pub fn direct_addr(&self, index: usize) -> SocketAddr {
        lock(&self.servers[index]).addr
    }
}

async fn held<S: Store>(store: &S, code: &str) -> BTreeMap<RecordId, Held> {
    let token = tokens::new_token();
    let observer = store
        .redeem_enrolment(&tokens::code_hash(code), Utc::now(), &tokens::token_hash(&token))
        .await
        .unwrap_or_else(|e| panic!("enrolling the observer: {e}"))
        .device;
    let mut all = BTreeMap::new();
    let mut cursor = 0;
    loop {
        let page =
            store.pull(&observer, cursor, 500, usize::MAX).await.unwrap_or_else(|e| panic!("pull: {e}"));
        for record in page.records {
            let history = store
                .history(observer.agency_id, record.id())
                .await
                .unwrap_or_else(|e| panic!("history: {e}"));
            let previous = all.insert(record.id(), Held { current: record, history });
            assert!(previous.is_none(), "the server's feed gave one record twice");
        }
        cursor = page.cursor;
        if !page.more {
            return all;
        }
    }
}

/// HTTP settings for syncs that are meant to meet faults: a short timeout, so a stalled
/// exchange fails fast instead of holding the test for a minute.
pub fn impatient() -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_millis(600),
        ..HttpConfig::default()
    }
}

/// One caregiver's device: a real diary with the real sync client, and what the test did with
/// it, so it can say what the server must hold.
pub struct TestDevice {
    pub diary: SharedDiary,
    pub device_id: Uuid,
    pub caregiver_id: Uuid,
    /// Entries this device wrote, and whether each was ever shared (a shared entry made
    /// private or deleted leaves a tombstone on the server; a never-shared one leaves nothing).
    written: BTreeMap<RecordId, bool>,
    _dir: tempfile::TempDir,
}

impl std::fmt::Debug for TestDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDevice").field("device_id", &self.device_id).finish_non_exhaustive()
    }
}

/// A change a caregiver makes in the diary; indexes pick among entries written so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Add { shared: bool, words: usize },
    Edit { pick: usize, words: usize },
    Share { pick: usize },
    MakePrivate { pick: usize },
    Delete { pick: usize },
}

impl TestDevice {
    /// A new diary, enrolled at `server_url` with `code`.
    pub async fn enrol(client: &SyncClient, server_url: &str, code: &str) -> TestDevice {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let diary = Diary::create_with(dir.path(), crate::PASSPHRASE, crate::cheap_kdf())
            .unwrap_or_else(|e| panic!("creating a diary: {e}"));
        let diary = convivio_diary::sync::shared(diary);
        let enrolled =
            client.enrol(&diary, server_url, code).await.unwrap_or_else(|e| panic!("enrolling: {e}"));
        TestDevice {
            diary,
            device_id: enrolled.device_id,
            caregiver_id: enrolled.caregiver_id,
            written: BTreeMap::new(),
            _dir: dir,
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Diary) -> T) -> T {
        let mut slot = lock(&self.diary);
        f(slot.as_mut().unwrap_or_else(|| panic!("the diary is locked")))
    }

    /// Carries out `op`; an op that picks from nothing, or an entry already deleted, does nothing.
    pub fn apply(&mut self, op: &Op) {
        let ids: Vec<RecordId> = self.written.keys().copied().collect();
        let pick = |i: &usize| (!ids.is_empty()).then(|| ids[i % ids.len()]);
        match op {
            Op::Add { shared, words } => {
                let sharing = if *shared { "agency" } else { "private" };
                let entry = self
                    .with(|d| d.add_entry(&note(&words_text(*words), sharing)))
                    .unwrap_or_else(|e| panic!("add: {e}"));
                self.written.insert(entry.id, *shared);
            }
            Op::Edit { pick: i, words } => {
                if let Some(id) = pick(i)
                    && let Ok(entry) = self.with(|d| d.entry(id))
                {
                    let sharing = entry.sharing.code();
                    self.with(|d| d.update_entry(id, &note(&words_text(*words), sharing)))
                        .unwrap_or_else(|e| panic!("edit: {e}"));
                }
            }
            Op::Share { pick: i } => {
                if let Some(id) = pick(i)
                    && self.with(|d| d.entry(id)).is_ok()
                {
                    self.with(|d| d.set_sharing(id, Sharing::Agency))
                        .unwrap_or_else(|e| panic!("share: {e}"));
                    self.written.insert(id, true);
                }
            }
            Op::MakePrivate { pick: i } => {
                if let Some(id) = pick(i)
                    && self.with(|d| d.entry(id)).is_ok()
                {
                    self.with(|d| d.set_sharing(id, Sharing::Private))
                        .unwrap_or_else(|e| panic!("make private: {e}"));
                }
            }
            Op::Delete { pick: i } => {
                if let Some(id) = pick(i)
                    && self.with(|d| d.entry(id)).is_ok()
                {
                    self.with(|d| d.delete_entry(id)).unwrap_or_else(|e| panic!("delete: {e}"));
                }
            }
        }
    }

    /// The diary's folder.
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// From now on this device's wall clock is `error_ms` off (ahead when positive).
    pub fn simulate_clock_error(&self, error_ms: i64) {
        self.with(|d| d.simulate_clock_error(error_ms));
    }

    /// Imports JSON Lines (as `convivio import` does), in one transaction.
    pub fn import(&mut self, lines: &str) {
        let entries = self
            .with(|d| d.import_jsonl(std::io::Cursor::new(lines)))
            .unwrap_or_else(|e| panic!("import: {e}"));
        for entry in entries {
            self.written.insert(entry.id, entry.sharing.leaves_device());
        }
    }

    /// What the server must hold of this device's entries: the current shared version of each
    /// shared entry, and `None` (a tombstone) for each entry that was shared once and is now
    /// private or deleted. Never-shared entries must not be there at all.
    pub fn expected(&self) -> BTreeMap<RecordId, Option<Record>> {
        let mut expected = BTreeMap::new();
        for (&id, &ever_shared) in &self.written {
            match self.with(|d| d.entry(id)) {
                Ok(entry) if entry.sharing != Sharing::Private => {
                    expected.insert(id, Some(Record::Entry(entry)));
                }
                _ if ever_shared => {
                    expected.insert(id, None);
                }
                _ => {}
            }
        }
        expected
    }

    /// Changes still waiting to be sent, and the last sequence number the server confirmed.
    pub fn outbox(&self) -> (u64, u64) {
        self.with(|d| {
            let waiting = d.outbox_len().unwrap_or_else(|e| panic!("outbox: {e}"));
            let acked = d.sync_link().unwrap_or_else(|e| panic!("link: {e}")).acked_seq;
            (waiting, acked)
        })
    }

    /// Every entry the diary shows (its own and its siblings'), by id.
    pub fn entries(&self) -> BTreeMap<RecordId, Record> {
        self.with(|d| {
            let ids: Vec<RecordId> = d
                .connection()
                .prepare("SELECT id FROM entries")
                .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>())
                .unwrap_or_else(|e| panic!("listing entries: {e}"))
                .into_iter()
                .map(|id: String| RecordId::parse("id", &id).unwrap_or_else(|e| panic!("entry id {id}: {e}")))
                .collect();
            ids.into_iter()
                .map(|id| (id, Record::Entry(d.entry(id).unwrap_or_else(|e| panic!("entry: {e}")))))
                .collect()
        })
    }
}

/// Checks that the server holds exactly what `devices` (one caregiver's) expect: every shared
/// entry in its current version, a tombstone for every withdrawn or deleted one, nothing else,
/// no version twice; and that each device's outbox is empty and acknowledged where the server
/// says. Returns a description of the first difference.
pub async fn check_same(world: &World, devices: &[&TestDevice]) -> Result<(), String> {
    let caregiver = devices[0].caregiver_id;
    let held = world.held(caregiver).await;
    let mut expected = BTreeMap::new();
    for device in devices {
        expected.extend(device.expected());
        let (waiting, acked) = device.outbox();
        if waiting != 0 {
            return Err(format!("device {} still has {waiting} changes waiting", device.device_id));
        }
        let on_server = world.device(device.device_id).await.acked_seq;
        if on_server != acked {
            return Err(format!("the device thinks {acked} is acknowledged, the server says {on_server}"));
        }
    }
    for (id, want) in &expected {
        let Some(got) = held.get(id) else {
            return Err(format!("the server lost {id} (expected {want:?})"));
        };
        match want {
            Some(record) if &got.current != record => {
                return Err(format!("{id}: the server holds {:?}, the device {:?}", got.current, record));
            }
            None if got.current.kind() != RecordKind::Tombstone => {
                return Err(format!("{id}: withdrawn or deleted, but the server holds {:?}", got.current));
            }
            _ => {}
        }
        let mut versions: Vec<_> = got.history.iter().map(Record::version).collect();
        versions.push(got.current.version());
        let count = versions.len();
        versions.sort();
        versions.dedup();
        if versions.len() != count {
            return Err(format!("{id}: the server holds a version twice: {got:?}"));
        }
    }
    if let Some(extra) = held.keys().find(|id| !expected.contains_key(id)) {
        return Err(format!("the server holds {extra}, which no device shared: {:?}", held[extra]));
    }
    Ok(())
}

/// A note input with `words` words of plausible diary text.
pub fn note(text: &str, sharing: &str) -> EntryInput {
    EntryInput {
        kind: "note".into(),
        sharing: Some(sharing.into()),
        text: Some(text.into()),
        ..EntryInput::default()
    }
}

/// About `words` words of the kind of thing a caregiver writes (accents included).
pub fn words_text(words: usize) -> String {
    const WORDS: &[&str] = &[
        "la",
        "mamma",
        "stamattina",
        "ha",
        "mangiato",
        "poco",
        "infermiera",
        "è",
        "arrivata",
        "tardi",
        "notte",
        "agitata",
        "pressione",
        "alta",
        "farmacia",
        "chiusa",
        "sollievo",
        "visita",
        "domani",
        "più",
        "fisioterapia",
        "dolore",
        "schiena",
        "telefonato",
        "servizio",
        "nessuno",
        "risposto",
    ];
    let mut rng = rand::rng();
    (0..words.max(1)).map(|_| WORDS[rng.random_range(0..WORDS.len())]).collect::<Vec<_>>().join(" ")
}
