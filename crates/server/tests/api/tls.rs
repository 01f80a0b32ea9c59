//! HTTPS: `tls_cert` and `tls_key` serve the same API over rustls, with a self-signed certificate
//! made for each test.

use std::time::{Duration, Instant};

use crate::helpers::{TestApp, note, request, self_signed, trusting};

#[tokio::test]
async fn a_client_trusting_the_certificate_gets_the_health_check_over_https() {
    let (app, _cert) = TestApp::spawn_tls().await;
    assert!(app.url.starts_with("https://127.0.0.1:"), "{}", app.url);
    let resp = app.http.get(format!("{}/healthz", app.url)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn enrolment_and_sync_work_over_https() {
    let (app, _cert) = TestApp::spawn_tls().await;
    // Enrolment reads the client's address for throttling: it must reach the handler under TLS.
    let device = app.enrol(&app.code("Valle Verde", "Maria R.").await).await;
    let answer = app.sync(&device.device_token, &request(&device, 1, vec![note("over TLS")], 0)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["acked_seq"], 1);
}

#[tokio::test]
async fn a_client_that_trusts_another_certificate_is_refused() {
    let (app, _cert) = TestApp::spawn_tls().await;
    let stranger = trusting(&self_signed());
    let err = stranger.get(format!("{}/healthz", app.url)).send().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
}

#[tokio::test]
async fn plain_http_to_the_tls_port_gets_no_normal_answer() {
    let (app, _cert) = TestApp::spawn_tls().await;
    let plain_url = app.url.replacen("https://", "http://", 1);
    let plain = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    match plain.get(format!("{plain_url}/healthz")).send().await {
        Err(_) => {}
        Ok(resp) => {
            let status = resp.status();
            let body = resp.text().await.unwrap_or_default();
            assert!(
                !status.is_success() && !body.contains("\"ok\""),
                "plain HTTP was answered: {status} {body}"
            );
        }
    }
}

#[tokio::test]
async fn a_tls_server_stops_gracefully_and_promptly() {
    let (mut app, _cert) = TestApp::spawn_tls().await;
    // A kept-alive connection from this request must not hold the shutdown for the grace period.
    assert_eq!(app.http.get(format!("{}/healthz", app.url)).send().await.unwrap().status(), 200);
    let started = Instant::now();
    app.stop().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "stopping took {:?}", started.elapsed());
    assert!(app.http.get(format!("{}/healthz", app.url)).send().await.is_err(), "still serving after stop");
}
