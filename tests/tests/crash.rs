//! Crash safety: a process saving entries is killed with SIGKILL at random moments, again and
//! again, on the same diary. After each kill the diary must open, pass SQLite's integrity
//! check, hold every entry whose save had returned (and every edit at least as new as the last
//! one reported), and keep its outbox sequence gap-free.
//!
//! `CRASH_ITERATIONS` sets the number of kills (default 200; the long mode uses more).

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use convivio_core::{Hlc, RecordId};
use convivio_diary::Diary;
use convivio_tests::{PASSPHRASE, cheap_kdf};
use rand::Rng;

#[test]
fn killed_writers_lose_no_returned_save_and_leave_a_sound_diary() {
    let iterations: usize =
        std::env::var("CRASH_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    Diary::create_with(dir.path(), PASSPHRASE, cheap_kdf()).unwrap();
    let mut saved: Vec<RecordId> = Vec::new();
    let mut updated: HashMap<RecordId, Hlc> = HashMap::new();
    let mut rng = rand::rng();
    let mut kills_mid_run = 0;

    for round in 0..iterations {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash_writer"))
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout).lines().map_while(Result::ok).collect::<Vec<_>>()
        });
        // Let it get going (opening includes key derivation), then kill at a random moment.
        std::thread::sleep(Duration::from_millis(rng.random_range(5..60)));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        let lines = reader.join().unwrap();
        if status.code().is_none() && lines.first().map(String::as_str) == Some("ready") {
            kills_mid_run += 1;
        }
        for line in &lines {
            let mut parts = line.split(' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("saved"), Some(id), None) => saved.push(RecordId::parse("id", id).unwrap()),
                (Some("updated"), Some(id), Some(v)) => {
                    updated.insert(RecordId::parse("id", id).unwrap(), v.parse().unwrap());
                }
                (Some("ready"), None, None) => {}
                _ => panic!("round {round}: unexpected output {line:?}"),
            }
        }

        let diary = Diary::open(dir.path(), PASSPHRASE).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let integrity: String =
            diary.connection().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok", "round {round}");
        for id in &saved {
            diary.entry(*id).unwrap_or_else(|e| panic!("round {round}: entry {id} lost: {e}"));
        }
        for (id, version) in &updated {
            assert!(diary.entry(*id).unwrap().version >= *version, "round {round}: edit of {id} lost");
        }
        let (count, first, last, next): (i64, Option<i64>, Option<i64>, i64) = diary
            .connection()
            .query_row(
                "SELECT (SELECT count(*) FROM outbox), (SELECT min(seq) FROM outbox), (SELECT max(seq) FROM outbox),
                        (SELECT next_seq FROM device_state)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        if let (Some(first), Some(last)) = (first, last) {
            assert_eq!(count, last - first + 1, "round {round}: a gap in the outbox");
            assert_eq!(next, last + 1, "round {round}: the counter ran ahead of the outbox");
        }
    }
    assert!(saved.len() > iterations, "the writer saved too little to test anything: {}", saved.len());
    assert!(
        kills_mid_run * 2 > iterations,
        "most kills must land while writing: {kills_mid_run}/{iterations}"
    );
    eprintln!("{iterations} kills, {} entries saved, {} edits checked", saved.len(), updated.len());
}
