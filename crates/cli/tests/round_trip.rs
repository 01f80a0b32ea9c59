//! `convivio show` and `reply` against the real agency server, in this process on 127.0.0.1:0
//! over its own SQLite file: what staff write under an entry reaches `show`, and a reply
//! reaches the server.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use convivio_core::message::Message;
use convivio_core::need::NeedStatus;
use convivio_core::need_status::NeedStatusChange;
use convivio_core::read_receipt::ReadReceipt;
use convivio_core::text::{LongText, ShortText};
use convivio_core::{Hlc, NodeId, Owner, Record, RecordId, Role};
use convivio_server::config::Config;
use convivio_server::startup::{self, AnyStore};
use convivio_server::storage::{StaffRole, Store};
use serde_json::Value;

const PASS: &str = "correct horse battery";
const AGENCY: &str = "Valle Verde";

async fn convivio(diary: &Path, args: &[&str]) -> Output {
    let (diary, args): (_, Vec<String>) = (diary.to_owned(), args.iter().map(|a| a.to_string()).collect());
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_convivio"))
            .arg("--diary")
            .arg(diary)
            .args(args)
            .env("CONVIVIO_PASSPHRASE", PASS)
            .env("TZ", "UTC")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

async fn ok(diary: &Path, args: &[&str]) -> String {
    let out = convivio(diary, args).await;
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A version of the server's, `ms_ago` before now.
fn server_version(ms_ago: u64) -> Hlc {
    Hlc { wall_ms: Utc::now().timestamp_millis() as u64 - ms_ago, counter: 0, node: NodeId(0xaa) }
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_staff_write_under_an_entry_reaches_show_and_a_reply_reaches_the_server() {
    let server_dir = tempfile::tempdir().unwrap();
    let config = Config {
        db: format!("sqlite://{}", server_dir.path().join("server.db").display()),
        listen: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    };
    let AnyStore::Sqlite(store) = startup::open(&config.db).await.unwrap() else { unreachable!("sqlite://") };
    let agency = convivio_server::admin::create_agency(&store, AGENCY).await.unwrap();
    let staff = store.create_staff(agency.id, "giulia.b", "$argon2id$stub", StaffRole::Staff).await.unwrap();
    let running = startup::spawn(store.clone(), config).await.unwrap();
    let url = running.url();

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init"]).await;
    let need =
        ok(d, &["add", "need", "--category", "respite", "--text", "a weekend off", "--sharing", "agency"])
            .await;
    let need = RecordId::parse("id", &need).unwrap();
    let code = convivio_server::admin::enrol(&store, AGENCY, Some("Maria R."), None, 7).await.unwrap();
    ok(d, &["enrol", "--server", &url, "--code", &code.code]).await;
    ok(d, &["sync"]).await;
    assert!(store.record(agency.id, need).await.unwrap().is_some(), "the need reached the server");

    let owner = Owner::staff(staff.id);
    let reply = Record::Message(Message {
        id: RecordId::new(),
        version: server_version(3_000),
        owner,
        entry_id: need,
        body: LongText::parse("body", "We can send someone on Saturday morning.").unwrap(),
        sent_at: at("2026-12-01T09:15:00Z"),
    });
    let not_met = Record::NeedStatusChange(NeedStatusChange {
        id: RecordId::new(),
        version: server_version(2_000),
        owner,
        entry_id: need,
        status: NeedStatus::NotMet,
        reason: Some(LongText::parse("reason", "No respite places before January.").unwrap()),
        changed_at: at("2026-12-01T09:20:00Z"),
    });
    let read = Record::ReadReceipt(ReadReceipt {
        id: RecordId::new(),
        version: server_version(1_000),
        owner,
        entry_id: need,
        reader_name: ShortText::parse("reader_name", "Giulia Bianchi").unwrap(),
        read_at: at("2026-12-01T10:14:00Z"),
    });
    for record in [&reply, &not_met, &read] {
        store.put_agency_record(agency.id, Some(code.caregiver_id), record, Utc::now()).await.unwrap();
    }

    let synced = ok(d, &["sync"]).await;
    assert!(synced.contains("received 3"), "{synced}");
    let shown: Value = serde_json::from_str(&ok(d, &["show", &need.to_string(), "--json"]).await).unwrap();
    assert_eq!(shown["thread"].as_array().map(Vec::len), Some(1), "{shown}");
    assert_eq!(shown["thread"][0]["from"], "agency");
    assert_eq!(
        serde_json::from_value::<Message>(shown["thread"][0].clone()).ok().map(Record::Message),
        Some(reply)
    );
    assert_eq!(shown["status"], "not_met");
    assert_eq!(
        serde_json::from_value::<Vec<NeedStatusChange>>(shown["status_history"].clone()).unwrap().len(),
        1
    );
    assert_eq!(shown["status_history"][0]["reason"], "No respite places before January.");
    let receipts: Vec<ReadReceipt> = serde_json::from_value(shown["read_receipts"].clone()).unwrap();
    assert_eq!(receipts.into_iter().map(Record::ReadReceipt).collect::<Vec<_>>(), [read]);
    let plain = ok(d, &["show", &need.to_string()]).await;
    assert!(plain.contains("Status: not met"), "{plain}");
    assert!(plain.contains("1 Dec 2026 09:20  not met: No respite places before January."), "{plain}");
    assert!(plain.contains("1 Dec 2026 09:15  agency: We can send someone on Saturday morning."), "{plain}");
    assert!(plain.contains("Read by Giulia Bianchi on 1 Dec 2026 10:14"), "{plain}");

    let answer = ok(d, &["reply", &need.to_string(), "--text", "Saturday is fine, thank you"]).await;
    let answer = RecordId::parse("id", &answer).unwrap();
    ok(d, &["sync"]).await;
    let Some(Record::Message(stored)) = store.record(agency.id, answer).await.unwrap() else {
        panic!("the reply is not on the server")
    };
    assert_eq!((stored.entry_id, stored.body.as_str()), (need, "Saturday is fine, thank you"));
    assert_eq!((stored.owner.role, stored.owner.id), (Role::Caregiver, code.caregiver_id));
    let status: Value = serde_json::from_str(&ok(d, &["status", "--json"]).await).unwrap();
    assert_eq!(status["waiting"], 0);
    running.stop().await.unwrap();
}
