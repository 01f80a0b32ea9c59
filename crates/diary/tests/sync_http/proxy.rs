//! The system's proxy settings (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`) never apply to a
//! server on this computer, and still apply to servers elsewhere.
//!
//! The variables are process-wide, so the test runs itself again as a child process with them
//! set there only; the parent plays the proxy and records what reached it.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

use convivio_diary::sync::{SyncFailure, shared};

use crate::common::new_diary;
use crate::{enrolled, with};

/// Set in the child run, where the proxy variables point at the parent's listener.
const CHILD: &str = "CONVIVIO_TEST_PROXY_CHILD";
const NAME: &str = "proxy::a_loopback_server_is_reached_directly_whatever_the_proxy_settings";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loopback_server_is_reached_directly_whatever_the_proxy_settings() {
    if std::env::var_os(CHILD).is_some() {
        return in_the_child().await;
    }
    // The "proxy": accepts, records the request line, and hangs up without answering.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let recorder = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut line = String::new();
            let _ = BufReader::new(&stream).read_line(&mut line);
            recorder.lock().unwrap().push(line.trim_end().to_owned());
        }
    });

    let mut child = Command::new(std::env::current_exe().unwrap());
    child.args(["--exact", NAME, "--nocapture", "--test-threads=1"]).env(CHILD, "1");
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"] {
        child.env(var, &proxy).env(var.to_lowercase(), &proxy);
    }
    child.env_remove("NO_PROXY").env_remove("no_proxy").env_remove("REQUEST_METHOD");
    let out = tokio::task::spawn_blocking(move || child.output().unwrap()).await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("1 passed"), "the child ran the test: {stdout}");
    assert_eq!(
        *seen.lock().unwrap(),
        ["CONNECT agency.example:443 HTTP/1.1"],
        "only the request to a server elsewhere went through the proxy"
    );
}

async fn in_the_child() {
    // Enrolment and sync with the scripted server on 127.0.0.1, straight past the proxy.
    let (_dir, diary, server, client) = enrolled(2).await;
    let summary = client.sync_once(&diary).await.unwrap();
    assert_eq!((summary.pushed, summary.waiting), (2, 0));
    assert_eq!(server.seen().len(), 2);
    assert_eq!(with(&diary, |d| d.sync_status().unwrap().state), "active");
    // A server elsewhere is asked for through the proxy (which hangs up on it).
    let (_other_dir, other) = new_diary();
    let failure = client.enrol(&shared(other), "https://agency.example", "ABCD-EFGH").await.unwrap_err();
    assert!(!matches!(failure, SyncFailure::BadServerUrl(_)), "{failure}");
}
