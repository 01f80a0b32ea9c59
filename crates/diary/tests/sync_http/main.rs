//! The sync client over real HTTP on loopback, against a scripted server: request shape,
//! compression, the token, and how every kind of answer is mapped.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

#[path = "../common.rs"]
mod common;
mod enrolment;
mod proxy;
mod server;
mod service;

use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use convivio_diary::sync::{
    HttpConfig, ScheduleConfig, SharedDiary, SyncClient, SyncFailure, SyncScheduler, shared,
};
use server::{Reply, TestServer, refusal};
use tempfile::TempDir;
use uuid::Uuid;

/// Short timeouts, so a test of a timeout takes a second.
fn client_config() -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_millis(1000),
        zstd_level: 3,
    }
}

fn client() -> SyncClient {
    SyncClient::new(client_config()).unwrap()
}

/// A diary with `shared_entries` waiting, enrolled over HTTP with the test server.
async fn enrolled(shared_entries: usize) -> (TempDir, SharedDiary, TestServer, SyncClient) {
    let (dir, mut diary) = new_diary();
    for i in 0..shared_entries {
        diary.add_entry(&note(&format!("shared entry {i}"), "agency")).unwrap();
    }
    let (server, url) = TestServer::start().await;
    let diary = shared(diary);
    let client = client();
    server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
    client.enrol(&diary, &url, "ABCD-EFGH").await.unwrap();
    (dir, diary, server, client)
}

fn with<T>(diary: &SharedDiary, f: impl FnOnce(&mut convivio_diary::Diary) -> T) -> T {
    f(diary.lock().unwrap().as_mut().unwrap())
}

#[tokio::test]
async fn enrol_then_sync_sends_zstd_with_the_token_and_applies_the_ack() {
    let (_dir, diary, server, client) = enrolled(3).await;
    let summary = client.sync_once(&diary).await.unwrap();
    assert_eq!((summary.pushed, summary.requests, summary.waiting), (3, 1, 0));
    assert!(summary.bytes_sent > 0 && summary.bytes_received > 0);

    let seen = server.seen();
    assert_eq!(seen[0].path, "/api/v1/enrol");
    let sync = &seen[1];
    assert_eq!(sync.headers["authorization"], format!("Bearer {}", "cd".repeat(32)));
    assert_eq!(sync.headers["content-encoding"], "zstd");
    assert!(sync.headers["accept-encoding"].to_str().unwrap().contains("zstd"));
    assert_eq!(sync.wire_bytes as u64, summary.bytes_sent);
    assert_eq!(sync.sync.as_ref().unwrap().push.as_ref().unwrap().changes.len(), 3);
    with(&diary, |d| {
        assert_eq!(d.outbox_len().unwrap(), 0);
        assert_eq!(d.sync_link().unwrap().cursor, 1);
        assert!(d.sync_status().unwrap().last_success_at.is_some());
    });
}

#[tokio::test]
async fn a_sync_with_nothing_to_do_is_one_request() {
    let (_dir, diary, server, client) = enrolled(0).await;
    let summary = client.sync_once(&diary).await.unwrap();
    assert_eq!(summary.requests, 1);
    assert!(server.syncs()[0].push.is_none());
}

#[tokio::test]
async fn a_gap_makes_the_next_request_start_at_the_number_the_server_expects() {
    let (_dir, diary, server, client) = enrolled(4).await;
    client.sync_once(&diary).await.unwrap();
    with(&diary, |d| d.add_entry(&note("after the first sync", "agency")).unwrap());
    server.then(Reply::Refuse(StatusCode::CONFLICT, refusal("gap", Some(3))));
    let summary = client.sync_once(&diary).await.unwrap();
    let syncs = server.syncs();
    let (refused, resent) = (&syncs[1], &syncs[2]);
    assert_eq!(refused.push.as_ref().unwrap().first_seq, 5);
    assert_eq!(resent.push.as_ref().unwrap().first_seq, 3);
    assert_eq!(resent.cursor, refused.cursor, "a gap never moves the cursor back");
    assert_eq!(summary.waiting, 0);
}

#[tokio::test]
async fn a_413_halves_the_batch_and_the_sync_still_completes() {
    let (_dir, diary, server, client) = enrolled(10).await;
    server.then(Reply::Refuse(StatusCode::PAYLOAD_TOO_LARGE, refusal("too_large", None)));
    let summary = client.sync_once(&diary).await.unwrap();
    let sizes: Vec<usize> =
        server.syncs().iter().map(|s| s.push.as_ref().map_or(0, |p| p.changes.len())).collect();
    assert_eq!(sizes, vec![10, 5, 5]);
    assert_eq!(summary.pushed, 10);
}

#[tokio::test]
async fn a_timeout_shrinks_the_batch_and_the_resent_changes_are_not_doubled() {
    let (_dir, diary, server, client) = enrolled(8).await;
    server.then(Reply::Late(Duration::from_secs(3), Box::new(Reply::Ack { changes: vec![], more: false })));
    let summary = client.sync_once(&diary).await.unwrap();
    let syncs = server.syncs();
    assert_eq!(syncs[0].push.as_ref().unwrap().changes.len(), 8);
    assert_eq!(syncs[1].push.as_ref().unwrap().changes.len(), 4, "half of what was in flight");
    assert_eq!(syncs[1].push.as_ref().unwrap().first_seq, 1, "resent from the first unconfirmed change");
    assert_eq!(summary.waiting, 0);
}

#[tokio::test]
async fn a_full_batch_that_succeeds_grows_the_next_one() {
    let (_dir, diary, server, client) = enrolled(7).await;
    with(&diary, |d| d.set_sync_batch_size(2).unwrap());
    client.sync_once(&diary).await.unwrap();
    let sizes: Vec<usize> =
        server.syncs().iter().map(|s| s.push.as_ref().map_or(0, |p| p.changes.len())).collect();
    assert_eq!(sizes, vec![2, 4, 1]);
    assert_eq!(with(&diary, |d| d.sync_link().unwrap().batch_size), 8);
}

#[tokio::test]
async fn more_waiting_on_the_server_means_asking_again_at_once() {
    let (_dir, diary, server, client) = enrolled(0).await;
    server.then(Reply::Ack { changes: vec![], more: true });
    let summary = client.sync_once(&diary).await.unwrap();
    assert_eq!(summary.requests, 2);
    assert_eq!(server.syncs()[1].cursor, 1);
}

#[tokio::test]
async fn a_revoked_device_is_told_plainly_and_sends_nothing_more() {
    let (_dir, diary, server, client) = enrolled(2).await;
    server.then(Reply::Refuse(StatusCode::UNAUTHORIZED, refusal("revoked", None)));
    let failure = client.sync_once(&diary).await.unwrap_err();
    assert!(matches!(failure, SyncFailure::Revoked));
    assert!(!failure.is_retryable());
    let status = with(&diary, |d| d.sync_status().unwrap());
    assert!(status.revoked);
    assert!(status.describe().contains("has disconnected this device"), "{}", status.describe());
    assert_eq!(status.waiting, 2, "nothing is lost");
    let before = server.syncs().len();
    assert!(matches!(client.sync_once(&diary).await, Err(SyncFailure::Revoked)));
    assert_eq!(server.syncs().len(), before, "a revoked device does not knock again");
}

#[tokio::test]
async fn an_unknown_token_says_the_device_is_not_recognised() {
    let (_dir, diary, server, client) = enrolled(1).await;
    server.then(Reply::Raw(StatusCode::UNAUTHORIZED, ""));
    assert!(matches!(client.sync_once(&diary).await, Err(SyncFailure::Unauthorized)));
    let status = with(&diary, |d| d.sync_status().unwrap());
    assert_eq!((status.state, status.revoked), ("unauthorized", false));
}

#[tokio::test]
async fn a_proxy_error_page_is_a_retryable_server_error_that_keeps_everything() {
    let (_dir, diary, server, client) = enrolled(2).await;
    server.then(Reply::Raw(StatusCode::BAD_GATEWAY, "<html>bad gateway</html>"));
    let failure = client.sync_once(&diary).await.unwrap_err();
    assert!(matches!(failure, SyncFailure::ServerError { status: 502 }), "{failure}");
    assert!(failure.is_retryable());
    let (status, link) = with(&diary, |d| (d.sync_status().unwrap(), d.sync_link().unwrap()));
    assert_eq!((status.waiting, link.cursor, link.acked_seq), (2, 0, 0));
    assert_eq!(status.last_error_code.as_deref(), Some("server_error"));
    client.sync_once(&diary).await.unwrap();
    assert_eq!(with(&diary, |d| d.sync_status().unwrap().last_error), None);
}

#[tokio::test]
async fn an_unreachable_server_is_a_plain_retryable_error() {
    let (_dir, diary) = new_diary();
    let diary = shared(diary);
    // A port nobody listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let failure = client().enrol(&diary, &format!("http://127.0.0.1:{port}"), "CODE").await.unwrap_err();
    assert!(matches!(failure, SyncFailure::Unreachable(_)), "{failure}");
    assert!(failure.to_string().contains("could not reach the agency's server"));
}

#[tokio::test]
async fn a_refused_code_and_throttling_are_told_apart() {
    let (_dir, diary) = new_diary();
    let diary = shared(diary);
    let (server, url) = TestServer::start().await;
    server.then(Reply::Refuse(StatusCode::BAD_REQUEST, refusal("bad_request", None)));
    server.then(Reply::Refuse(StatusCode::TOO_MANY_REQUESTS, refusal("too_many_requests", None)));
    let client = client();
    assert!(matches!(client.enrol(&diary, &url, "WRONG").await, Err(SyncFailure::CodeRefused(_))));
    match client.enrol(&diary, &url, "WRONG").await {
        Err(SyncFailure::TooManyRequests { retry_after }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(60)))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(with(&diary, |d| d.sync_status().unwrap().state), "not_enrolled");
}

#[tokio::test]
async fn a_huge_retry_after_is_taken_as_a_day() {
    let (_dir, diary, server, client) = enrolled(1).await;
    let day = Duration::from_secs(24 * 3600);
    for huge in ["18446744073709551615", "99999999999999999999999", "86401"] {
        server.then(Reply::Throttled(huge));
        let failure = client.sync_once(&diary).await.unwrap_err();
        assert!(matches!(failure, SyncFailure::TooManyRequests { .. }), "{failure}");
        assert_eq!(failure.retry_after(), Some(day), "Retry-After: {huge}");
    }
    server.then(Reply::Throttled("120"));
    assert_eq!(client.sync_once(&diary).await.unwrap_err().retry_after(), Some(Duration::from_secs(120)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_retry_after_leaves_the_scheduler_running() {
    let (_dir, diary, server, client) = enrolled(1).await;
    server.then(Reply::Throttled("18446744073709551615"));
    let scheduler = SyncScheduler::start(client, diary.clone(), ScheduleConfig::default());
    let mut state = scheduler.state();
    state.wait_for(|s| s.runs >= 1).await.unwrap();
    assert_eq!(with(&diary, |d| d.sync_status().unwrap().last_error_code), Some("too_many_requests".into()));
    // On overflow the scheduler's task panicked there, and its state channel closed.
    scheduler.sync_now();
    tokio::time::timeout(Duration::from_secs(10), state.wait_for(|s| s.runs >= 2))
        .await
        .expect("sync now is heard")
        .expect("the scheduler is still running");
    assert_eq!(with(&diary, |d| d.sync_status().unwrap().waiting), 0);
    scheduler.stop().await;
}

#[tokio::test]
async fn plain_http_to_another_machine_is_refused_before_anything_is_sent() {
    let (_dir, diary) = new_diary();
    let diary = shared(diary);
    let failure = client().enrol(&diary, "http://192.0.2.1:8080", "CODE").await.unwrap_err();
    assert!(matches!(failure, SyncFailure::BadServerUrl(_)));
    assert!(failure.to_string().contains("plain http:// is allowed only to this computer"), "{failure}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_syncs_started_together_never_overlap() {
    let (_dir, diary, server, client) = enrolled(3).await;
    let (a, b) = tokio::join!(client.sync_once(&diary), client.sync_once(&diary));
    assert_eq!(a.unwrap().pushed + b.unwrap().pushed, 3, "each change confirmed once");
    assert_eq!(server.max_in_flight(), 1);
}

#[tokio::test]
async fn changes_refused_in_an_answer_are_acknowledged_kept_and_shown() {
    let (_dir, diary, server, client) = enrolled(2).await;
    server.then(Reply::RefuseEach(convivio_core::sync::RefusalCode::NoParent));
    let summary = client.sync_once(&diary).await.unwrap();
    assert_eq!((summary.pushed, summary.waiting), (2, 0), "acknowledged: nothing is sent again");
    let status = with(&diary, |d| d.sync_status().unwrap());
    assert_eq!(
        status.refused.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
        ["no_parent", "no_parent"]
    );
    assert!(status.describe().contains("2 changes were refused"), "{}", status.describe());
    assert_eq!(with(&diary, |d| d.entry_count().unwrap()), 2, "kept on the device");
}
