//! Command tests on Tauri's mock runtime: the real commands, the real diary in a temporary
//! folder, the same JSON the UI sends, and no display.

mod diary;
mod entry;
mod server;
mod sync;
mod timeline;

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, Listener, WebviewWindow, WebviewWindowBuilder};
use tempfile::TempDir;

pub const PASSPHRASE: &str = "a long walk by the lake";

/// The app on the mock runtime with its diary in a fresh folder.
pub struct TestApp {
    pub dir: TempDir,
    /// Every sync event the app emitted, oldest first.
    pub sync_events: Arc<Mutex<Vec<Value>>>,
    webview: WebviewWindow<MockRuntime>,
    _app: App<MockRuntime>,
}

impl TestApp {
    pub fn new() -> Self {
        Self::on(tempfile::tempdir().expect("a temporary folder"))
    }

    /// The app started on `dir`, recording the sync events it emits.
    fn on(dir: TempDir) -> Self {
        let app = crate::run_app(mock_builder(), Some(dir.path().to_path_buf()))
            .build(mock_context(noop_assets()))
            .expect("the app builds on the mock runtime");
        crate::send_sync_news(app.handle());
        let sync_events = Arc::new(Mutex::new(Vec::new()));
        let recorder = Arc::clone(&sync_events);
        app.listen_any(crate::sync::SYNC_EVENT, move |event| {
            let view = serde_json::from_str(event.payload()).expect("a JSON payload");
            recorder.lock().expect("the recorder").push(view);
        });
        let webview =
            WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a mock window");
        Self { dir, sync_events, webview, _app: app }
    }

    /// A fresh app with a diary already created and open.
    pub fn with_diary() -> Self {
        let app = Self::new();
        app.invoke("diary_create", json!({ "passphrase": PASSPHRASE })).expect("the diary is created");
        app
    }

    /// The same app started again on the same folder: nothing is open. The old app's diary is
    /// closed first, as quitting the app closes it.
    pub fn restarted(self) -> Self {
        self.invoke("diary_lock", json!({})).expect("the diary closes");
        let TestApp { dir, webview, _app: app, .. } = self;
        drop(webview);
        drop(app);
        Self::on(dir)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Invokes `cmd` with `args` as the UI would; `Err` holds the serialized `IpcError`.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("a valid url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request)
            .map(|body| body.deserialize::<Value>().expect("a JSON response"))
    }

    /// Adds an entry; panics if it is refused.
    pub fn add(&self, input: Value) -> Value {
        self.invoke("entry_add", json!({ "input": input })).expect("the entry is saved")
    }

    /// Every entry in the timeline, newest first (one big page).
    pub fn timeline(&self) -> Vec<Value> {
        let page = self.invoke("timeline_list", json!({ "query": { "limit": 100 } })).expect("a timeline");
        page["entries"].as_array().expect("a list of entries").clone()
    }
}

/// Asserts that `result` is the error with `code` and, when given, `field`; returns it.
pub fn assert_error(result: Result<Value, Value>, code: &str, field: Option<&str>) -> Value {
    let error = result.expect_err("the command should fail");
    assert_eq!(error["code"], code, "{error}");
    match field {
        Some(field) => assert_eq!(error["field"], field, "{error}"),
        None => assert!(error.get("field").is_none(), "{error}"),
    }
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{error}");
    error
}
