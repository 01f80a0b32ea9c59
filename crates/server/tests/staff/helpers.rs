//! `StaffApp`: a real server with two agencies and members of every role, and `Browser`: a
//! client that keeps its session cookie and sends back each form's CSRF token, as a browser
//! would.

use convivio_core::RecordId;
use convivio_server::config::Config;
use convivio_server::startup::{self, AnyStore, Running};
use convivio_server::storage::sqlite::SqliteStore;
use convivio_server::storage::{Caregiver, StaffRole, Store};
use reqwest::header::{COOKIE, HeaderMap, LOCATION, SET_COOKIE};

pub const PASSWORD: &str = "a long and quiet password";

pub struct StaffApp {
    pub url: String,
    pub store: SqliteStore,
    pub agency_a: uuid::Uuid,
    pub caregiver_a: Caregiver,
    pub caregiver_b: Caregiver,
    _server: Running,
    _dir: tempfile::TempDir,
}

impl StaffApp {
    /// Agency A with `admin.a`, `staff.a`, `research.a` and a caregiver; agency B with
    /// `staff.b`, `admin.b` and a caregiver.
    pub async fn spawn() -> StaffApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> StaffApp {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            db: format!("sqlite://{}", dir.path().join("server.db").display()),
            listen: "127.0.0.1:0".parse().unwrap(),
            ..Config::default()
        };
        tweak(&mut config);
        let AnyStore::Sqlite(store) = startup::open(&config.db).await.unwrap() else { unreachable!() };
        let admin = convivio_server::admin::create_agency(&store, "Valle Verde").await.unwrap();
        convivio_server::admin::create_agency(&store, "Monte Rosa").await.unwrap();
        for (agency, name, role) in [
            ("Valle Verde", "admin.a", StaffRole::Admin),
            ("Valle Verde", "staff.a", StaffRole::Staff),
            ("Valle Verde", "research.a", StaffRole::Researcher),
            ("Monte Rosa", "staff.b", StaffRole::Staff),
            ("Monte Rosa", "admin.b", StaffRole::Admin),
        ] {
            convivio_server::admin::create_staff(&store, agency, name, role, PASSWORD).await.unwrap();
        }
        let caregiver_a = store.create_caregiver(admin.id, "Maria <b>Rossi</b>").await.unwrap();
        let b = convivio_server::admin::agency(&store, "Monte Rosa").await.unwrap();
        let caregiver_b = store.create_caregiver(b.id, "Ursula Meier").await.unwrap();
        let server = startup::spawn(store.clone(), config.clone()).await.unwrap();
        StaffApp {
            url: server.url(),
            store,
            agency_a: admin.id,
            caregiver_a,
            caregiver_b,
            _server: server,
            _dir: dir,
        }
    }

    pub fn browser(&self) -> Browser {
        Browser {
            base: self.url.clone(),
            http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            cookie: None,
            csrf: None,
        }
    }

    /// A browser signed in as `username`, holding its session's CSRF token (read from the
    /// database: a researcher is shown no dashboard page to take it from).
    pub async fn signed_in(&self, username: &str) -> Browser {
        let mut b = self.browser();
        let page = b.sign_in(username, PASSWORD).await;
        assert_eq!(page.status, 303, "{username} signs in: {}", page.body);
        let id = b.cookie.as_deref().unwrap().split_once('=').unwrap().1.to_owned();
        let session = convivio_server::storage::dashboard::sessions::get(
            &self.store,
            &convivio_server::staff::session::hash_id(&id),
        )
        .await
        .unwrap()
        .unwrap();
        b.csrf = Some(session.csrf_token);
        b
    }

    /// A shared note of caregiver A's, pushed by an enrolled device; its id.
    pub async fn entry_of_a(&self, text: &str) -> RecordId {
        self.push_of_a(note(text)).await
    }

    /// A shared need of caregiver A's (transport, high urgency); its id.
    pub async fn need_of_a(&self, text: &str) -> RecordId {
        let input = convivio_core::entry::EntryInput {
            kind: "need".into(),
            category: Some("transport".into()),
            urgency: Some("high".into()),
            text: Some(text.into()),
            sharing: Some("agency".into()),
            ..Default::default()
        };
        self.push_of_a(entry(input)).await
    }

    /// The id of agency A's member `username`.
    pub async fn member_id(&self, username: &str) -> uuid::Uuid {
        convivio_server::storage::dashboard::accounts::by_username(&self.store, username)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    /// A service in agency A's catalogue, as the agency writes it; its id.
    pub async fn service_of_a(&self, name: &str) -> RecordId {
        let item = convivio_core::catalogue::CatalogueItem {
            id: RecordId::new(),
            version: convivio_core::Hlc {
                wall_ms: 1_700_000_000_000,
                counter: 0,
                node: convivio_core::NodeId(7),
            },
            owner: convivio_core::Owner::agency(self.agency_a),
            name: convivio_core::text::ShortText::parse("name", name).unwrap(),
            description: None,
            active: true,
        };
        let id = item.id;
        self.store
            .put_agency_record(
                self.agency_a,
                None,
                &convivio_core::Record::CatalogueItem(item),
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        id
    }

    /// Pushes `record` from a newly enrolled device of caregiver A; returns its id.
    pub async fn push_of_a(&self, record: convivio_core::Record) -> RecordId {
        let device = self.device_of_a().await;
        let id = record.id();
        let batch = convivio_core::sync::PushBatch { first_seq: 1, changes: vec![record] };
        self.store.apply_batch(&device, &batch, chrono::Utc::now()).await.unwrap();
        id
    }

    /// A newly enrolled device of caregiver A.
    pub async fn device_of_a(&self) -> convivio_server::storage::Device {
        let code =
            convivio_server::admin::enrol(&self.store, "Valle Verde", None, Some(self.caregiver_a.id), 7)
                .await
                .unwrap();
        self.store
            .redeem_enrolment(
                &convivio_server::tokens::code_hash(&code.code),
                chrono::Utc::now(),
                &format!("t{}", uuid::Uuid::now_v7()),
            )
            .await
            .unwrap()
            .device
    }
}

/// A shared note entry as a device would push it.
pub fn note(text: &str) -> convivio_core::Record {
    entry(convivio_core::entry::EntryInput {
        kind: "note".into(),
        text: Some(text.into()),
        sharing: Some("agency".into()),
        ..Default::default()
    })
}

/// An entry made from edge input, as a device would push it.
pub fn entry(input: convivio_core::entry::EntryInput) -> convivio_core::Record {
    let draft = input.parse(chrono::Utc::now().fixed_offset()).unwrap();
    let version = convivio_core::Hlc {
        wall_ms: chrono::Utc::now().timestamp_millis() as u64,
        counter: 0,
        node: convivio_core::NodeId(1),
    };
    convivio_core::Record::Entry(convivio_core::entry::Entry::create(
        RecordId::new(),
        version,
        convivio_core::Owner::caregiver(uuid::Uuid::nil()),
        chrono::Utc::now(),
        draft,
    ))
}

pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers.get(LOCATION).map_or("", |v| v.to_str().unwrap())
    }

    pub fn set_cookie(&self) -> Option<String> {
        self.headers.get(SET_COOKIE).map(|v| v.to_str().unwrap().to_owned())
    }
}

pub struct Browser {
    base: String,
    http: reqwest::Client,
    pub cookie: Option<String>,
    /// The CSRF token of the last page that had a form.
    pub csrf: Option<String>,
}

impl Browser {
    async fn page(&mut self, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap();
        if let Some(set) = headers.get(SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_owned();
            self.cookie = if pair.ends_with('=') { None } else { Some(pair) };
        }
        if let Some(at) = body.find("name=\"csrf\" value=\"") {
            let rest = &body[at + 19..];
            self.csrf = Some(rest[..rest.find('"').unwrap()].to_owned());
        }
        Page { status, headers, body }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            request = request.header(COOKIE, c);
        }
        let response = request.send().await.unwrap();
        self.page(response).await
    }

    /// Posts `fields` with the current CSRF token (unless `fields` has its own `csrf`).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut form: Vec<(String, String)> =
            fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        if !fields.iter().any(|(k, _)| *k == "csrf")
            && let Some(t) = &self.csrf
        {
            form.push(("csrf".into(), t.clone()));
        }
        self.post_raw(path, &form).await
    }

    pub async fn post_raw(&mut self, path: &str, form: &[(String, String)]) -> Page {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(form).unwrap());
        if let Some(c) = &self.cookie {
            request = request.header(COOKIE, c);
        }
        let response = request.send().await.unwrap();
        self.page(response).await
    }

    /// Opens the sign-in page and submits it.
    pub async fn sign_in(&mut self, username: &str, password: &str) -> Page {
        let form = self.get("/staff/sign-in").await;
        assert_eq!(form.status, 200, "{}", form.body);
        self.post("/staff/sign-in", &[("username", username), ("password", password)]).await
    }
}
