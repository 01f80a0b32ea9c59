//! The `convivio` command line, run as a real process.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const PASS: &str = "correct horse battery";

fn convivio(diary: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_convivio"))
        .arg("--diary")
        .arg(diary)
        .args(args)
        .env("CONVIVIO_PASSPHRASE", PASS)
        .output()
        .unwrap()
}

fn ok(diary: &Path, args: &[&str]) -> String {
    let out = convivio(diary, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn list(diary: &Path) -> Vec<Value> {
    ok(diary, &["list", "--json"]).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn entries_added_with_flags_are_listed_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init"]);
    ok(d, &["add", "note", "--text", "a long day", "--mood", "3", "--burden", "4", "--sharing", "private"]);
    ok(
        d,
        &[
            "add",
            "trust",
            "--target",
            "agency",
            "--score",
            "4",
            "--reason",
            "they call back",
            "--factor",
            "listened",
        ],
    );
    ok(d, &["add", "need", "--category", "respite", "--urgency", "high", "--sharing", "agency"]);
    ok(
        d,
        &[
            "add",
            "experience",
            "--service",
            "Nursing",
            "--rating",
            "2",
            "--factor",
            "mistake",
            "--factor",
            "on_time",
        ],
    );
    let entries = list(d);
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[3]["kind"], "note");
    assert_eq!(entries[3]["mood"], 3);
    assert_eq!(entries[2]["factors"], serde_json::json!(["listened"]));
    assert_eq!(entries[0]["factors"], serde_json::json!(["mistake", "on_time"]));
    assert_eq!(ok(d, &["search", "long"]).lines().count(), 1);
    assert_eq!(ok(d, &["list", "--kind", "need"]).lines().count(), 1);
}

#[test]
fn bad_input_names_the_field_and_the_rule_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init"]);
    ok(d, &["add", "note", "--text", "the one that stays"]);
    let before = list(d);
    let long = "x".repeat(100 * 1024);
    let cases: [(&[&str], &str); 5] = [
        (
            &["add", "experience", "--service", "Meals", "--rating", "9"],
            "rating: must be a whole number from 1 to 5",
        ),
        (&["add", "need", "--category", ""], "category: must not be empty"),
        (&["add", "note", "--text", &long], "text: must be at most 20000 characters"),
        (
            &["add", "note", "--text", "t", "--occurred-at", "2026-13-01"],
            "occurred_at: must be a date and time",
        ),
        (
            &["add", "trust", "--target", "agency", "--score", "3", "--factor", "grumpy"],
            "factors: unknown factor code 'grumpy'",
        ),
    ];
    for (args, message) in cases {
        let out = convivio(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    assert_eq!(list(d), before);
}

#[test]
fn a_wrong_passphrase_exits_3_with_a_plain_message() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init"]);
    let out = Command::new(env!("CARGO_BIN_EXE_convivio"))
        .arg("--diary")
        .arg(dir.path())
        .arg("list")
        .env("CONVIVIO_PASSPHRASE", "not it at all")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim(), "error: the passphrase is not right for this diary; check it and try again");
}

#[test]
fn export_mine_writes_readable_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init"]);
    ok(dir.path(), &["add", "note", "--text", "for my records"]);
    let printed = ok(dir.path(), &["export-mine", "--out", out.path().to_str().unwrap()]);
    assert!(printed.starts_with("exported 1 entries"));
    let csv = std::fs::read_to_string(out.path().join("entries.csv")).unwrap();
    assert!(csv.contains("for my records"));
}
