//! A tiny scripted HTTP server on 127.0.0.1:0, speaking just enough of the protocol to check
//! how the client maps answers. Not the agency's server: each test queues the replies it needs;
//! with none queued, a sync is acknowledged in full.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use convivio_core::Record;
use convivio_core::sync::{EnrolResponse, PROTOCOL_VERSION, SyncRequest, SyncResponse};
use serde_json::{Value, json};
use uuid::Uuid;

/// What the server answers to the next request.
#[derive(Debug, Clone)]
pub enum Reply {
    Enrol {
        caregiver: Uuid,
    },
    /// Store the push, acknowledge it, send `changes`.
    Ack {
        changes: Vec<Record>,
        more: bool,
    },
    /// Acknowledge the push and refuse every change in it with this code.
    RefuseEach(convivio_core::sync::RefusalCode),
    /// A refusal with a JSON `SyncError` body.
    Refuse(StatusCode, Value),
    /// Any status with any body (a proxy's page).
    Raw(StatusCode, &'static str),
    /// Answer after a delay (longer than the client's timeout).
    Late(Duration, Box<Reply>),
    /// 429 `too_many_requests` with this `Retry-After`.
    Throttled(&'static str),
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: HeaderMap,
    pub wire_bytes: usize,
    pub sync: Option<SyncRequest>,
}

#[derive(Debug, Default)]
struct Inner {
    replies: Mutex<VecDeque<Reply>>,
    seen: Mutex<Vec<Seen>>,
    acked: Mutex<u64>,
    in_flight: AtomicU32,
    max_in_flight: AtomicU32,
}

#[derive(Debug, Clone, Default)]
pub struct TestServer(Arc<Inner>);

impl TestServer {
    /// Starts on a free loopback port; returns the server and its base URL.
    pub async fn start() -> (TestServer, String) {
        let server = TestServer::default();
        let app = axum::Router::new()
            .route("/api/v1/enrol", post(handle))
            .route("/api/v1/sync", post(handle))
            .with_state(server.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (server, format!("http://{addr}"))
    }

    pub fn then(&self, reply: Reply) -> &Self {
        self.0.replies.lock().unwrap().push_back(reply);
        self
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.0.seen.lock().unwrap().clone()
    }

    /// The sync requests seen, in order.
    pub fn syncs(&self) -> Vec<SyncRequest> {
        self.seen().into_iter().filter_map(|s| s.sync).collect()
    }

    pub fn max_in_flight(&self) -> u32 {
        self.0.max_in_flight.load(Ordering::SeqCst)
    }
}

pub fn refusal(code: &str, expected_seq: Option<u64>) -> Value {
    match expected_seq {
        Some(n) => json!({"code": code, "message": format!("resend from {n}"), "expected_seq": n}),
        None => json!({"code": code, "message": "refused in a test"}),
    }
}

async fn handle(State(server): State<TestServer>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let now = server.0.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    server.0.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let zstd = headers.get("content-encoding").is_some_and(|v| v == "zstd");
    let plain = if zstd { zstd::decode_all(&body[..]).unwrap() } else { body.to_vec() };
    let sync: Option<SyncRequest> =
        (uri.path() == "/api/v1/sync").then(|| serde_json::from_slice(&plain).unwrap());
    server.0.seen.lock().unwrap().push(Seen {
        path: uri.path().to_owned(),
        headers: headers.clone(),
        wire_bytes: body.len(),
        sync: sync.clone(),
    });
    let reply = server.0.replies.lock().unwrap().pop_front();
    let reply = reply.unwrap_or(Reply::Ack { changes: vec![], more: false });
    let response = answer(&server, reply, sync.as_ref(), &headers).await;
    server.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

async fn answer(
    server: &TestServer,
    mut reply: Reply,
    sync: Option<&SyncRequest>,
    headers: &HeaderMap,
) -> Response {
    // Each request takes a moment, so overlapping requests would be seen overlapping.
    tokio::time::sleep(Duration::from_millis(20)).await;
    if let Reply::Late(delay, inner) = reply {
        tokio::time::sleep(delay).await;
        reply = *inner;
    }
    match reply {
        Reply::Enrol { caregiver } => axum::Json(EnrolResponse {
            protocol: PROTOCOL_VERSION,
            device_id: Uuid::now_v7(),
            device_token: "cd".repeat(32),
            caregiver_id: caregiver,
            agency_name: "Valle Verde".into(),
            server_time_ms: chrono::Utc::now().timestamp_millis() as u64,
            server_epoch: convivio_core::sync::Epoch("00000000000000e1".into()),
        })
        .into_response(),
        Reply::RefuseEach(code) => {
            let request = sync.expect("a refusal of changes answers a sync");
            let push = request.push.clone().expect("changes to refuse");
            let refused = (push.first_seq..)
                .zip(&push.changes)
                .map(|(seq, r)| convivio_core::sync::Refusal {
                    seq,
                    id: r.id(),
                    code,
                    message: format!("record {} belongs to someone else", r.id()),
                })
                .collect();
            *server.0.acked.lock().unwrap() = push.last_seq().unwrap_or(0);
            let body = SyncResponse {
                protocol: PROTOCOL_VERSION,
                acked_seq: push.last_seq().unwrap_or(0),
                changes: vec![],
                cursor: request.cursor + 1,
                more: false,
                refused,
                server_time_ms: chrono::Utc::now().timestamp_millis() as u64,
                server_epoch: convivio_core::sync::Epoch("00000000000000e1".into()),
            };
            axum::Json(body).into_response()
        }
        Reply::Ack { changes, more } => {
            let request = sync.expect("an ack answers a sync");
            let acked = {
                let mut acked = server.0.acked.lock().unwrap();
                if let Some(last) = request.push.as_ref().and_then(|p| p.last_seq()) {
                    *acked = (*acked).max(last);
                }
                *acked
            };
            let body = SyncResponse {
                protocol: PROTOCOL_VERSION,
                acked_seq: acked,
                changes,
                cursor: request.cursor + 1,
                more,
                refused: vec![],
                server_time_ms: chrono::Utc::now().timestamp_millis() as u64,
                server_epoch: convivio_core::sync::Epoch("00000000000000e1".into()),
            };
            let json = serde_json::to_vec(&body).unwrap();
            if headers.get("accept-encoding").is_some_and(|v| v.to_str().unwrap().contains("zstd")) {
                let compressed = zstd::encode_all(&json[..], 3).unwrap();
                ([("content-type", "application/json"), ("content-encoding", "zstd")], compressed)
                    .into_response()
            } else {
                ([("content-type", "application/json")], json).into_response()
            }
        }
        Reply::Refuse(status, body) => {
            let retry = if status == StatusCode::TOO_MANY_REQUESTS { "60" } else { "0" };
            (status, [("retry-after", retry)], axum::Json(body)).into_response()
        }
        Reply::Raw(status, body) => (status, body).into_response(),
        Reply::Throttled(retry_after) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", retry_after)],
            axum::Json(refusal("too_many_requests", None)),
        )
            .into_response(),
        Reply::Late(..) => unreachable!("unwrapped above"),
    }
}
