//! What a stranger's request costs the server: refused from its head before its body is read,
//! small bodies where small is enough, and caps on a batch and on an answer whatever the
//! client asks.

use std::time::Duration;

use convivio_server::storage::Store;

use crate::helpers::{TestApp, note, request};
use crate::raw::{incompressible_zstd, streamed_post};

/// About 15 MiB of zstd on the wire (24 MiB of JSON), more than the server would take.
const BIG: usize = 24 * 1024 * 1024;

/// Body bytes a client can have written before the answer while the server reads none of them:
/// what the sockets' buffers hold (the client's is kept small: see `raw::streamed_post`).
/// Reading the body until a limit stops it (as before) takes megabytes.
const UNREAD: usize = 1024 * 1024;

fn zstd_json(token: Option<&str>) -> Vec<String> {
    let mut head = vec!["content-type: application/json".to_owned(), "content-encoding: zstd".to_owned()];
    if let Some(token) = token {
        head.push(format!("authorization: Bearer {token}"));
    }
    head
}

async fn big_sync(app: &TestApp, token: Option<&str>) -> crate::raw::Upload {
    let head = zstd_json(token);
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    streamed_post(&app.url, "/api/v1/sync", &head, incompressible_zstd(BIG)).await
}

#[tokio::test]
async fn an_unauthenticated_sync_is_refused_before_its_body_is_read() {
    let app = TestApp::spawn().await;
    for token in [None, Some("00".repeat(32))] {
        let upload = big_sync(&app, token.as_deref()).await;
        assert_eq!(upload.status, Some(401), "{upload:?}");
        assert!(upload.body.contains("\"unauthorized\""), "{upload:?}");
        assert!(upload.written_by_answer < UNREAD, "the server pulled the body: {upload:?}");
        assert!(upload.elapsed < Duration::from_secs(5), "{upload:?}");
    }
}

#[tokio::test]
async fn a_revoked_device_is_refused_before_its_body_is_read() {
    let app = TestApp::spawn().await;
    let device = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    app.store.revoke_device(device.device_id, chrono::Utc::now()).await.unwrap();
    let upload = big_sync(&app, Some(&device.device_token)).await;
    assert_eq!(upload.status, Some(401), "{upload:?}");
    assert!(upload.body.contains("\"revoked\""), "{upload:?}");
    assert!(upload.written_by_answer < UNREAD, "the server pulled the body: {upload:?}");
}

#[tokio::test]
async fn a_revoked_device_sending_a_large_batch_is_still_told_it_was_revoked() {
    // The answer comes while the client is still sending: it must reach the client all the same.
    let app = TestApp::spawn().await;
    let device = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    app.store.revoke_device(device.device_id, chrono::Utc::now()).await.unwrap();
    let mut seed = 1u64;
    let notes = (0..2000)
        .map(|_| {
            let text: String = (0..400)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    char::from(b'a' + u8::try_from((seed >> 59) % 26).unwrap())
                })
                .collect();
            note(&text)
        })
        .collect();
    let answer = app.sync(&device.device_token, &request(&device, 1, notes, 0)).await;
    assert_eq!((answer.status, answer.body["code"].as_str()), (401, Some("revoked")), "{}", answer.body);
}

#[tokio::test]
async fn an_enrolment_is_throttled_before_its_body_is_read() {
    let app = TestApp::spawn_with(|c| c.enrolment.attempts_per_minute = 1).await;
    assert_eq!(app.enrol_raw("GUES-SSSS-0001").await.status, 403);
    let head = ["content-type: application/json", "content-encoding: zstd"];
    let upload = streamed_post(&app.url, "/api/v1/enrol", &head, incompressible_zstd(BIG)).await;
    assert_eq!(upload.status, Some(429), "{upload:?}");
    assert!(upload.written_by_answer < UNREAD, "the server pulled the body: {upload:?}");
}

#[tokio::test]
async fn an_enrolment_body_over_4_kib_is_refused_with_413() {
    let app = TestApp::spawn().await;
    let code = app.code("Valle Verde", "Maria R.").await;
    let padded =
        serde_json::json!({"protocol": 1, "code": code, "padding": "x".repeat(64 * 1024)}).to_string();
    // With a Content-Length, streamed without one, and compressed to a few hundred bytes.
    let sized = app
        .http
        .post(format!("{}/api/v1/enrol", app.url))
        .header("content-type", "application/json")
        .body(padded.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(sized.status(), 413);
    let head = ["content-type: application/json"];
    let chunks = padded.clone().into_bytes().chunks(1024).map(<[u8]>::to_vec).collect::<Vec<_>>();
    let streamed = streamed_post(&app.url, "/api/v1/enrol", &head, chunks.into_iter()).await;
    assert_eq!(streamed.status, Some(413), "{streamed:?}");
    let zstd = zstd::encode_all(padded.as_bytes(), 3).unwrap();
    assert!(zstd.len() < 4096);
    let compressed = app
        .http
        .post(format!("{}/api/v1/enrol", app.url))
        .header("content-type", "application/json")
        .header("content-encoding", "zstd")
        .body(zstd)
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.status(), 413);
    let body: serde_json::Value = compressed.json().await.unwrap();
    assert_eq!(body["code"], "too_large");
    // The code was not spent by any of them.
    app.enrol(&code).await;
}

#[tokio::test]
async fn a_batch_over_max_push_changes_is_refused_with_413_so_the_device_halves_it() {
    let app = TestApp::spawn_with(|c| c.limits.max_push_changes = 10).await;
    let device = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    let notes: Vec<_> = (0..11).map(|i| note(&format!("nota {i}"))).collect();
    let refused = app.sync(&device.device_token, &request(&device, 1, notes.clone(), 0)).await;
    assert_eq!((refused.status, refused.body["code"].as_str()), (413, Some("too_large")), "{}", refused.body);
    assert_eq!(app.store.device(device.device_id).await.unwrap().unwrap().acked_seq, 0, "nothing stored");
    let half = app.sync(&device.device_token, &request(&device, 1, notes[..5].to_vec(), 0)).await;
    assert_eq!((half.status, half.body["acked_seq"].as_u64()), (200, Some(5)));
}

#[tokio::test]
async fn a_pull_answer_stops_at_max_pull_bytes_and_says_more() {
    let app = TestApp::spawn_with(|c| c.limits.max_pull_bytes = 2_000).await;
    let (phone, laptop) = app.two_devices_of_one_caregiver().await;
    let notes: Vec<_> = (0..6).map(|i| note(&format!("{i} {}", "parole ".repeat(100)))).collect();
    let pushed = app.sync(&phone.device_token, &request(&phone, 1, notes, 0)).await;
    assert_eq!(pushed.status, 200);
    let (mut cursor, mut pages, mut got) = (0, 0, 0);
    loop {
        // The device asks for up to 100; the server's byte budget decides.
        let page = app.sync(&laptop.device_token, &request(&laptop, 1, vec![], cursor)).await;
        // Protocol 2 leaves out an empty `changes` and a false `more`.
        let n = page.body.get("changes").map_or(0, |c| c.as_array().unwrap().len());
        assert!((1..=3).contains(&n) || (n == 0 && got == 6), "{n} records in one page");
        got += n;
        pages += 1;
        cursor = page.body["cursor"].as_u64().unwrap();
        if !page.body.get("more").is_some_and(|m| m.as_bool().unwrap()) {
            break;
        }
    }
    assert_eq!(got, 6);
    assert!(pages >= 3, "{pages} pages");
}
