//! `convivio enrol`, `sync` and `status` as a real process against the diary's scripted server.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

// The scripted server the diary's own HTTP tests use; each test here uses part of it.
#[allow(dead_code)]
#[path = "../../diary/tests/sync_http/server.rs"]
mod server;

use std::path::Path;
use std::process::{Command, Output};

use axum::http::StatusCode;
use serde_json::Value;

use server::{Reply, TestServer, refusal};

const PASS: &str = "correct horse battery";

async fn convivio(diary: &Path, args: &[&str]) -> Output {
    let (diary, args): (_, Vec<String>) = (diary.to_owned(), args.iter().map(|a| a.to_string()).collect());
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_convivio"))
            .arg("--diary")
            .arg(diary)
            .args(args)
            .env("CONVIVIO_PASSPHRASE", PASS)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrol_sync_and_status_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (server, url) = TestServer::start().await;
    stdout(&convivio(d, &["init"]).await);
    stdout(&convivio(d, &["add", "note", "--text", "for the agency", "--sharing", "agency"]).await);

    server.then(Reply::Enrol { caregiver: uuid::Uuid::now_v7() });
    let enrolled = stdout(&convivio(d, &["enrol", "--server", &url, "--code", "ABCD-EFGH"]).await);
    assert!(enrolled.starts_with("enrolled with Valle Verde as device "), "{enrolled}");
    let again = convivio(d, &["enrol", "--server", &url, "--code", "ABCD-EFGH"]).await;
    assert!(!again.status.success(), "an active enrolment is not replaced by accident");
    let refused = String::from_utf8_lossy(&again.stderr);
    assert!(refused.contains("already connected to Valle Verde"), "{refused}");
    assert!(refused.contains("run again with --again"), "{refused}");
    assert_eq!(server.seen().len(), 1, "refused before anything was sent");
    server.then(Reply::Enrol { caregiver: uuid::Uuid::now_v7() });
    let replaced = stdout(&convivio(d, &["enrol", "--server", &url, "--code", "IJKL-MNOP", "--again"]).await);
    assert!(replaced.starts_with("enrolled with Valle Verde as device "), "{replaced}");
    assert_ne!(replaced, enrolled, "--again gives this device a new identity");

    let synced = stdout(&convivio(d, &["sync"]).await);
    assert!(synced.starts_with("synced with Valle Verde: sent 1 changes"), "{synced}");
    assert_eq!(synced.lines().count(), 1);
    let status: Value = serde_json::from_str(&stdout(&convivio(d, &["status", "--json"]).await)).unwrap();
    assert_eq!((status["state"].as_str(), status["waiting"].as_u64()), (Some("active"), Some(0)));
    assert!(status["last_success_at"].is_string());
    assert!(!status.to_string().contains(&"cd".repeat(32)), "the token is never shown");

    server.then(Reply::Refuse(StatusCode::UNAUTHORIZED, refusal("revoked", None)));
    let failed = convivio(d, &["sync"]).await;
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("the agency has disconnected this device"));
    let plain = stdout(&convivio(d, &["status"]).await);
    assert!(plain.starts_with("Valle Verde has disconnected this device"), "{plain}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_the_server_refused_is_named_by_convivio_status() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (server, url) = TestServer::start().await;
    stdout(&convivio(d, &["init"]).await);
    let added = stdout(
        &convivio(d, &["add", "note", "--text", "refused by the server", "--sharing", "agency"]).await,
    );
    server.then(Reply::Enrol { caregiver: uuid::Uuid::now_v7() });
    stdout(&convivio(d, &["enrol", "--server", &url, "--code", "ABCD-EFGH"]).await);
    server.then(Reply::RefuseEach(convivio_core::sync::RefusalCode::NotYours));
    stdout(&convivio(d, &["sync"]).await);

    let plain = stdout(&convivio(d, &["status"]).await);
    assert!(plain.contains("1 change was refused by the agency's server"), "{plain}");
    let named = plain
        .lines()
        .find(|l| l.starts_with("refused by the agency's server: entry "))
        .unwrap_or_else(|| panic!("{plain}"));
    assert!(named.contains("(not_yours)") && named.contains("belongs to someone else"), "{named}");
    let json: Value = serde_json::from_str(&stdout(&convivio(d, &["status", "--json"]).await)).unwrap();
    assert_eq!(json["refused"][0]["code"], "not_yours");
    assert_eq!(json["waiting"], 0, "acknowledged, so nothing waits");
    let listed = stdout(&convivio(d, &["list", "--json"]).await);
    assert!(listed.contains("refused by the server"), "kept in the diary: {listed} (added: {added})");
}
