//! The first diaries a process opens, opened on several threads at once.
//!
//! SQLite marks itself initialised and lets go of its lock before SQLCipher's own set-up has
//! finished, so a connection keyed on another thread in that gap was refused ("An error
//! occurred with PRAGMA key or rekey"): CI once failed a timeline test that way. The gap only
//! exists once per process, so this test runs itself again as fresh child processes, each of
//! which opens diaries on many threads as its very first use of SQLite.
#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod common;

use std::process::Command;
use std::sync::{Arc, Barrier};

use convivio_diary::{Diary, KdfParams};

/// Set in a child: the directory its diaries go in.
const CHILD_DIR: &str = "CONVIVIO_FIRST_OPEN_DIR";
/// Fresh processes per run: each has one chance to hit the gap.
const PROCESSES: usize = 100;
/// Threads per process that open a diary at the same moment.
const THREADS: usize = 8;
/// Argon2's least cost: the threads reach SQLite within microseconds of each other.
const LEAST: KdfParams = KdfParams { m_cost_kib: 8, t_cost: 1, p_cost: 1 };

#[test]
fn diaries_opened_at_once_by_a_fresh_process_all_open() {
    if let Some(dir) = std::env::var_os(CHILD_DIR) {
        open_at_once(std::path::Path::new(&dir));
        return;
    }
    let exe = std::env::current_exe().unwrap();
    for run in 0..PROCESSES {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(&exe)
            .args(["--exact", "diaries_opened_at_once_by_a_fresh_process_all_open", "--test-threads=1"])
            .env(CHILD_DIR, dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "process {run} of {PROCESSES} could not open all its diaries:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Creates `THREADS` diaries under `dir`, all released at once, then opens each again.
fn open_at_once(dir: &std::path::Path) {
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|i| {
            let start = Arc::clone(&start);
            let home = dir.join(i.to_string());
            std::thread::spawn(move || {
                start.wait();
                Diary::create_with(&home, common::PASS, LEAST).unwrap();
                home
            })
        })
        .collect();
    for thread in threads {
        let home = thread.join().expect("a diary failed to open");
        Diary::open(&home, common::PASS).unwrap();
    }
}
