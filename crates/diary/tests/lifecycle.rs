//! Creating, unlocking, rekeying, upgrading and erasing a diary.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod common;

use std::fs;
use std::path::Path;

use common::*;
use convivio_diary::key::KeyPragma;
use convivio_diary::{DB_FILE, Diary, DiaryError, KEY_FILE, NEW_KEY_FILE};

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// Reads the schema version without the diary's code, straight through SQLCipher.
fn raw_user_version(dir: &Path, pass: &str) -> i64 {
    let key = convivio_diary::key::KeyFile::read(&dir.join(KEY_FILE)).unwrap().derive(pass).unwrap();
    let c = rusqlite::Connection::open(dir.join(DB_FILE)).unwrap();
    c.execute_batch(&key.pragma(KeyPragma::Key)).unwrap();
    c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap()
}

#[test]
fn a_wrong_passphrase_is_a_clear_error_and_changes_no_byte() {
    let (dir, mut diary) = new_diary();
    diary.add_entry(&note("kept safe", "private")).unwrap();
    drop(diary);
    let before = snapshot(dir.path());
    let err = Diary::open(dir.path(), "not the passphrase").unwrap_err();
    assert!(matches!(err, DiaryError::WrongPassphrase), "{err:?}");
    assert_eq!(err.code(), "wrong_passphrase");
    assert!(err.to_string().contains("passphrase is not right"));
    assert_eq!(snapshot(dir.path()), before, "a failed unlock must not touch the files");
    let diary = Diary::open(dir.path(), PASS).unwrap();
    assert_eq!(diary.entry_count().unwrap(), 1);
}

#[test]
fn a_key_file_with_absurd_costs_is_refused_as_damage_at_once() {
    let (dir, diary) = new_diary();
    drop(diary);
    let key_file = dir.path().join(KEY_FILE);
    let good: serde_json::Value = serde_json::from_slice(&fs::read(&key_file).unwrap()).unwrap();
    // Each would make Argon2 allocate terabytes, run for weeks, or misbehave before any check.
    let tampered = [
        ("m_cost_kib", serde_json::json!(u32::MAX), "memory cost"),
        ("m_cost_kib", serde_json::json!(64 * 1024 * 1024), "memory cost"),
        ("t_cost", serde_json::json!(u32::MAX), "iterations"),
        ("t_cost", serde_json::json!(0), "iterations"),
        ("p_cost", serde_json::json!(u32::MAX), "parallelism"),
        ("p_cost", serde_json::json!(0), "parallelism"),
        ("salt", serde_json::json!(""), "salt"),
        ("salt", serde_json::json!("ab".repeat(100_000)), "salt"),
        ("format", serde_json::json!(2), "format"),
        ("kdf", serde_json::json!("scrypt"), "format"),
    ];
    for (field, value, named) in tampered {
        let mut bad = good.clone();
        bad[field] = value;
        fs::write(&key_file, serde_json::to_vec(&bad).unwrap()).unwrap();
        let started = std::time::Instant::now();
        let err = Diary::open(dir.path(), PASS).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{field}: {:?}", started.elapsed());
        assert_eq!(err.code(), "damaged", "{field}: {err}");
        let message = err.to_string();
        assert!(message.contains("diary.key") && message.contains(named), "{field}: {message}");
    }
    fs::write(&key_file, serde_json::to_vec(&good).unwrap()).unwrap();
    Diary::open(dir.path(), PASS).unwrap();
}

#[test]
fn creating_twice_or_opening_nothing_are_clear_errors() {
    let (dir, _diary) = new_diary();
    assert_eq!(Diary::create_with(dir.path(), PASS, cheap()).unwrap_err().code(), "already_exists");
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(Diary::open(empty.path(), PASS).unwrap_err().code(), "no_diary");
    assert_eq!(Diary::create_with(empty.path(), "short", cheap()).unwrap_err().field(), Some("passphrase"));
}

#[test]
fn changing_the_passphrase_locks_out_the_old_one() {
    let (dir, mut diary) = new_diary();
    let e = diary.add_entry(&note("before rekey", "private")).unwrap();
    assert!(matches!(
        diary.change_passphrase("wrong one!", "a brand new phrase"),
        Err(DiaryError::WrongPassphrase)
    ));
    diary.change_passphrase(PASS, "a brand new phrase").unwrap();
    drop(diary);
    assert!(matches!(Diary::open(dir.path(), PASS), Err(DiaryError::WrongPassphrase)));
    let diary = Diary::open(dir.path(), "a brand new phrase").unwrap();
    assert_eq!(diary.entry(e.id).unwrap(), e);
    assert!(!dir.path().join(NEW_KEY_FILE).exists());
}

#[test]
fn a_rekey_cut_before_the_key_file_rename_is_finished_on_open() {
    let (dir, mut diary) = new_diary();
    diary.add_entry(&note("survives", "private")).unwrap();
    diary.change_passphrase(PASS, "second passphrase").unwrap();
    drop(diary);
    // Simulate the crash window: the database is rekeyed and the new key file was written,
    // but the old key file is still in place.
    fs::rename(dir.path().join(KEY_FILE), dir.path().join(NEW_KEY_FILE)).unwrap();
    let (_old_dir, old) = {
        let d = tempfile::tempdir().unwrap();
        Diary::create_with(d.path(), "irrelevant one", cheap()).unwrap();
        let key = fs::read(d.path().join(KEY_FILE)).unwrap();
        (d, key)
    };
    fs::write(dir.path().join(KEY_FILE), old).unwrap();
    let diary = Diary::open(dir.path(), "second passphrase").unwrap();
    assert_eq!(diary.entry_count().unwrap(), 1);
    assert!(!dir.path().join(NEW_KEY_FILE).exists());
    drop(diary);
    Diary::open(dir.path(), "second passphrase").unwrap();
}

#[test]
fn a_version_1_diary_is_upgraded_in_place_without_loss() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diary-v1");
    let dir = tempfile::tempdir().unwrap();
    for f in [DB_FILE, KEY_FILE] {
        fs::copy(fixture.join(f), dir.path().join(f)).unwrap();
    }
    assert_eq!(raw_user_version(dir.path(), "fixture passphrase v1"), 1, "the fixture is a version 1 diary");
    let mut diary = Diary::open(dir.path(), "fixture passphrase v1").unwrap();
    let version: i64 = diary.connection().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version as usize, convivio_diary::schema_version());
    assert!(convivio_diary::schema_version() >= 2, "the fixture must be older than the current schema");
    let page = diary.timeline(&Default::default()).unwrap();
    let kinds: Vec<&str> = page.entries.iter().map(|e| e.entry.kind().code()).collect();
    assert_eq!(kinds, ["trust", "experience", "need", "note"]);
    assert_eq!(diary.search("citta", 10).unwrap().len(), 1);
    assert_eq!(diary.outbox_len().unwrap(), 3, "the three shared entries are still queued");
    // The upgraded diary works for new writes and the new schema's features.
    diary.set_setting("language", "it").unwrap();
    diary.add_entry(&note("after the upgrade", "agency")).unwrap();
    assert_eq!(diary.outbox(10).unwrap().iter().map(|i| i.seq).collect::<Vec<_>>(), [1, 2, 3, 4]);
}

#[test]
fn erasing_removes_every_file_and_the_diary_cannot_be_opened() {
    let (dir, mut diary) = new_diary();
    diary.add_entry(&note("to be erased", "agency")).unwrap();
    diary.erase().unwrap();
    assert!(fs::read_dir(dir.path()).unwrap().next().is_none(), "the folder is empty");
    assert_eq!(Diary::open(dir.path(), PASS).unwrap_err().code(), "no_diary");
}

#[test]
fn versions_keep_increasing_across_a_reopen() {
    let (dir, mut diary) = new_diary();
    let a = diary.add_entry(&note("one", "private")).unwrap();
    drop(diary);
    let mut diary = Diary::open(dir.path(), PASS).unwrap();
    let b = diary.add_entry(&note("two", "private")).unwrap();
    assert!(b.version > a.version);
}

#[test]
fn the_database_is_in_wal_mode_with_full_sync_and_foreign_keys() {
    let (_dir, diary) = new_diary();
    let c = diary.connection();
    let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    let sync: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
    let fk: i64 = c.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
    let cipher: String = c.query_row("PRAGMA cipher_version", [], |r| r.get(0)).unwrap();
    assert!(!cipher.is_empty(), "SQLCipher is linked");
}
