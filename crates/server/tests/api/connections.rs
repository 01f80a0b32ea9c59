//! Idle and slow sockets cannot starve real devices: a header timeout, an idle timeout and a
//! connection cap, on the plain HTTP listener and on the TLS one.

use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::helpers::TestApp;
use crate::raw::{addr, closed_within, get};

fn quick(c: &mut convivio_server::config::Config) {
    c.limits.header_timeout_secs = 1;
    c.limits.idle_timeout_secs = 3;
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let app = TestApp::spawn_with(quick).await;
    let mut silent = TcpStream::connect(addr(&app.url)).await.unwrap();
    let closed = closed_within(&mut silent, Duration::from_secs(10)).await;
    let closed = closed.expect("a silent connection was still open after 10 s");
    assert!(
        closed >= Duration::from_millis(900) && closed < Duration::from_secs(3),
        "closed after {closed:?}"
    );
}

#[tokio::test]
async fn a_connection_dripping_its_head_is_closed_after_the_header_timeout() {
    let app = TestApp::spawn_with(quick).await;
    let mut slow = TcpStream::connect(addr(&app.url)).await.unwrap();
    let started = std::time::Instant::now();
    let head =
        b"GET /healthz HTTP/1.1\r\nhost: test\r\nx-slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    for byte in head {
        if slow.write_all(&[*byte]).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        if started.elapsed() > Duration::from_secs(6) {
            break;
        }
    }
    let closed = closed_within(&mut slow, Duration::from_secs(1)).await.map(|_| started.elapsed());
    let closed = closed.expect("a dripping connection was still open");
    assert!(closed < Duration::from_secs(3), "closed after {closed:?}: dripping bought time");
}

#[tokio::test]
async fn a_kept_alive_connection_idle_past_the_idle_timeout_is_closed() {
    let app = TestApp::spawn_with(quick).await;
    let mut kept = TcpStream::connect(addr(&app.url)).await.unwrap();
    assert_eq!(get(&mut kept, "/healthz").await, Some(200));
    // Idle is not the header timeout: a kept-alive connection lives past 1 s, and serves again.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(get(&mut kept, "/healthz").await, Some(200), "closed at the header timeout");
    let closed = closed_within(&mut kept, Duration::from_secs(10)).await.expect("still open after 10 s idle");
    assert!(
        closed >= Duration::from_millis(2_500) && closed < Duration::from_secs(5),
        "closed after {closed:?}"
    );
}

#[tokio::test]
async fn with_the_connection_cap_reached_a_further_connection_waits_until_one_frees() {
    let app = TestApp::spawn_with(|c| c.limits.max_connections = 2).await;
    let first = TcpStream::connect(addr(&app.url)).await.unwrap();
    let mut second = TcpStream::connect(addr(&app.url)).await.unwrap();
    assert_eq!(get(&mut second, "/healthz").await, Some(200));
    // The third is accepted by the kernel, but the server does not take it up.
    let mut third = TcpStream::connect(addr(&app.url)).await.unwrap();
    let waiting = tokio::time::timeout(Duration::from_millis(800), get(&mut third, "/healthz")).await;
    assert!(waiting.is_err(), "served beyond the cap: {waiting:?}");
    drop(first);
    let served = tokio::time::timeout(Duration::from_secs(5), async {
        let mut buf = Vec::new();
        use tokio::io::AsyncReadExt;
        let mut chunk = [0u8; 1024];
        while !String::from_utf8_lossy(&buf).contains("\r\n\r\n") {
            let n = third.read(&mut chunk).await.unwrap();
            assert!(n > 0, "closed instead of served");
            buf.extend_from_slice(&chunk[..n]);
        }
        String::from_utf8_lossy(&buf).into_owned()
    })
    .await
    .expect("still not served after one connection freed");
    assert!(served.starts_with("HTTP/1.1 200"), "{served}");
}

#[tokio::test]
async fn a_tls_connection_that_never_handshakes_is_closed_after_the_header_timeout() {
    let (app, _cert) = TestApp::spawn_tls_with(quick).await;
    let mut silent = TcpStream::connect(addr(&app.url)).await.unwrap();
    let closed = closed_within(&mut silent, Duration::from_secs(10)).await;
    let closed = closed.expect("a silent TLS connection was still open after 10 s");
    assert!(closed < Duration::from_secs(3), "closed after {closed:?}");
}

#[tokio::test]
async fn the_tls_listener_keeps_the_same_connection_cap() {
    let (app, _cert) = TestApp::spawn_tls_with(|c| c.limits.max_connections = 2).await;
    let first = TcpStream::connect(addr(&app.url)).await.unwrap();
    let _second = TcpStream::connect(addr(&app.url)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let health = format!("{}/healthz", app.url);
    let waiting = tokio::time::timeout(Duration::from_millis(800), app.http.get(&health).send()).await;
    assert!(waiting.is_err(), "served beyond the cap: {waiting:?}");
    drop(first);
    let served = tokio::time::timeout(Duration::from_secs(5), app.http.get(&health).send()).await;
    assert_eq!(served.expect("still waiting after one freed").unwrap().status(), 200);
}

#[tokio::test]
async fn stopping_closes_idle_and_half_sent_connections_promptly() {
    let mut app = TestApp::spawn().await;
    let mut idle = TcpStream::connect(addr(&app.url)).await.unwrap();
    assert_eq!(get(&mut idle, "/healthz").await, Some(200));
    let mut half = TcpStream::connect(addr(&app.url)).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nhost: te").await.unwrap();
    let started = std::time::Instant::now();
    app.stop().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(4), "stopping took {:?}", started.elapsed());
    assert!(closed_within(&mut idle, Duration::from_secs(1)).await.is_some());
    assert!(closed_within(&mut half, Duration::from_secs(1)).await.is_some());
}
