//! `TestApp`: a real server on 127.0.0.1:0 over its own database, and request helpers.

use std::io::Write;

use convivio_core::sync::{EnrolResponse, PushBatch, SyncRequest};
use convivio_server::config::Config;
use convivio_server::startup::{self, AnyStore, Running};
use convivio_server::storage::sqlite::SqliteStore;
use serde_json::Value;

pub struct TestApp {
    pub url: String,
    pub store: SqliteStore,
    pub config: Config,
    pub http: reqwest::Client,
    server: Option<Running>,
    _dir: tempfile::TempDir,
}

/// What a sync call answered.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            db: format!("sqlite://{}", dir.path().join("server.db").display()),
            listen: "127.0.0.1:0".parse().unwrap(),
            ..Config::default()
        };
        tweak(&mut config);
        Self::start(config, client(), dir).await
    }

    /// A server on HTTPS with a fresh self-signed certificate for `localhost` and 127.0.0.1,
    /// and a client that trusts that certificate only.
    pub async fn spawn_tls() -> (TestApp, rcgen::CertifiedKey<rcgen::KeyPair>) {
        Self::spawn_tls_with(|_| {}).await
    }

    /// [`TestApp::spawn_tls`] with `tweak` applied to the configuration.
    pub async fn spawn_tls_with(
        tweak: impl FnOnce(&mut Config),
    ) -> (TestApp, rcgen::CertifiedKey<rcgen::KeyPair>) {
        let dir = tempfile::tempdir().unwrap();
        let generated = self_signed();
        let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        std::fs::write(&cert, generated.cert.pem()).unwrap();
        std::fs::write(&key, generated.signing_key.serialize_pem()).unwrap();
        let mut config = Config {
            db: format!("sqlite://{}", dir.path().join("server.db").display()),
            listen: "127.0.0.1:0".parse().unwrap(),
            tls_cert: Some(cert),
            tls_key: Some(key),
            ..Config::default()
        };
        tweak(&mut config);
        let http = trusting(&generated);
        (Self::start(config, http, dir).await, generated)
    }

    async fn start(config: Config, http: reqwest::Client, dir: tempfile::TempDir) -> TestApp {
        let AnyStore::Sqlite(store) = startup::open(&config.db).await.unwrap() else { unreachable!() };
        let server = startup::spawn(store.clone(), config.clone()).await.unwrap();
        TestApp { url: server.url(), store, config, http, server: Some(server), _dir: dir }
    }

    /// Stops the server gracefully, as `serve` does on SIGTERM.
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        self.server.take().expect("a running server").stop().await
    }

    /// A new agency and a code for a new caregiver in it.
    pub async fn code(&self, agency: &str, caregiver: &str) -> String {
        if convivio_server::admin::agency(&self.store, agency).await.is_err() {
            convivio_server::admin::create_agency(&self.store, agency).await.unwrap();
        }
        convivio_server::admin::enrol(&self.store, agency, Some(caregiver), None, 7).await.unwrap().code
    }

    /// Two devices (a phone and a laptop) of one new caregiver of Valle Verde.
    pub async fn two_devices_of_one_caregiver(&self) -> (EnrolResponse, EnrolResponse) {
        let phone = self.enrol(&self.code("Valle Verde", "Maria R.").await).await;
        let code =
            convivio_server::admin::enrol(&self.store, "Valle Verde", None, Some(phone.caregiver_id), 7)
                .await
                .unwrap();
        let laptop = self.enrol(&code.code).await;
        (phone, laptop)
    }

    pub async fn enrol_raw(&self, code: &str) -> Answer {
        self.enrol_from(code, None).await
    }

    /// An enrolment attempt carrying `X-Forwarded-For: forwarded_for`, as a proxy would send it.
    pub async fn enrol_from(&self, code: &str, forwarded_for: Option<&str>) -> Answer {
        self.enrol_speaking(convivio_core::sync::PROTOCOL_VERSION, code, forwarded_for).await
    }

    /// An enrolment attempt in protocol version `protocol`.
    pub async fn enrol_speaking(&self, protocol: u32, code: &str, forwarded_for: Option<&str>) -> Answer {
        let mut request = self
            .http
            .post(format!("{}/api/v1/enrol", self.url))
            .json(&serde_json::json!({"protocol": protocol, "code": code}));
        if let Some(client) = forwarded_for {
            request = request.header("x-forwarded-for", client);
        }
        answer(request.send().await.unwrap()).await
    }

    /// The server's database, opened beside it (to break it on purpose).
    pub fn raw_db(&self) -> rusqlite::Connection {
        let path = self.config.db.strip_prefix("sqlite://").unwrap();
        rusqlite::Connection::open(path).unwrap()
    }

    pub async fn enrol(&self, code: &str) -> EnrolResponse {
        let a = self.enrol_raw(code).await;
        assert_eq!(a.status, 200, "{}", a.body);
        serde_json::from_value(a.body).unwrap()
    }

    /// Sends a sync request as zstd-compressed JSON, asking for a zstd response.
    pub async fn sync(&self, token: &str, request: &SyncRequest) -> Answer {
        let json = serde_json::to_vec(request).unwrap();
        let mut body = Vec::new();
        let mut enc = zstd::Encoder::new(&mut body, 3).unwrap();
        enc.write_all(&json).unwrap();
        enc.finish().unwrap();
        let resp = self
            .http
            .post(format!("{}/api/v1/sync", self.url))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .header("content-encoding", "zstd")
            .header("accept-encoding", "zstd")
            .body(body)
            .send()
            .await
            .unwrap();
        answer(resp).await
    }
}

/// The tests read compressed bodies themselves: never let reqwest decode them, even when another
/// crate in the same build turns its zstd or gzip feature on.
fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().no_zstd().no_gzip()
}

fn client() -> reqwest::Client {
    builder().build().unwrap()
}

/// A self-signed certificate for `localhost` and 127.0.0.1.
pub fn self_signed() -> rcgen::CertifiedKey<rcgen::KeyPair> {
    rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap()
}

/// A client that trusts `cert` and nothing else.
pub fn trusting(cert: &rcgen::CertifiedKey<rcgen::KeyPair>) -> reqwest::Client {
    let root = reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap();
    builder().tls_certs_only([root]).build().unwrap()
}

pub async fn answer(resp: reqwest::Response) -> Answer {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let mut bytes = resp.bytes().await.unwrap().to_vec();
    if headers.get("content-encoding").is_some_and(|v| v == "zstd") {
        bytes = zstd::decode_all(bytes.as_slice()).unwrap();
    }
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    Answer { status, body, headers }
}

/// A request pushing `changes` from `first_seq`, pulling after `cursor`.
pub fn request(
    device: &EnrolResponse,
    first_seq: u64,
    changes: Vec<convivio_core::Record>,
    cursor: u64,
) -> SyncRequest {
    SyncRequest {
        protocol: convivio_core::sync::PROTOCOL_VERSION,
        device_id: device.device_id,
        push: if changes.is_empty() { None } else { Some(PushBatch { first_seq, changes }) },
        cursor,
        pull_limit: 100,
    }
}

/// A shared note entry as a device would push it.
pub fn note(text: &str) -> convivio_core::Record {
    let input = convivio_core::entry::EntryInput {
        kind: "note".into(),
        text: Some(text.into()),
        sharing: Some("agency".into()),
        ..Default::default()
    };
    let draft = input.parse(chrono::Utc::now().fixed_offset()).unwrap();
    let version = convivio_core::HlcClock::new(convivio_core::NodeId(1), convivio_core::Hlc::ZERO)
        .tick(chrono::Utc::now().timestamp_millis() as u64);
    convivio_core::Record::Entry(convivio_core::entry::Entry::create(
        convivio_core::RecordId::new(),
        version,
        convivio_core::Owner::caregiver(uuid::Uuid::now_v7()),
        chrono::Utc::now(),
        draft,
    ))
}
