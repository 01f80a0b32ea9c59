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

#[test]
fn import_adds_what_list_prints_in_one_go_keeping_ids() {
    let (from, to) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    ok(from.path(), &["init"]);
    ok(from.path(), &["add", "note", "--text", "first of many", "--sharing", "agency"]);
    ok(from.path(), &["add", "trust", "--target", "agency", "--score", "4", "--factor", "listened"]);
    ok(from.path(), &["add", "experience", "--service", "Meals", "--rating", "2", "--factor", "mistake"]);
    ok(from.path(), &["add", "need", "--category", "respite", "--text", "a weekend off"]);
    let jsonl = from.path().join("entries.jsonl");
    let mut lines = ok(from.path(), &["list", "--json"]);
    lines.push_str("{\"kind\": \"note\", \"text\": \"no id, no version\"}\n");
    std::fs::write(&jsonl, &lines).unwrap();

    ok(to.path(), &["init"]);
    let printed = ok(to.path(), &["import", "--jsonl", jsonl.to_str().unwrap()]);
    assert_eq!(printed.trim(), "imported 5 entries");
    let (before, after) = (list(from.path()), list(to.path()));
    assert_eq!(after.len(), 5);
    for original in &before {
        let copy = after.iter().find(|e| e["id"] == original["id"]).expect("ids are kept");
        for field in ["kind", "occurred_at", "recorded_at", "sharing", "text", "factors", "rating", "score"] {
            assert_eq!(copy.get(field), original.get(field), "{field}");
        }
    }
    let status: Value = serde_json::from_str(&ok(to.path(), &["status", "--json"])).unwrap();
    assert_eq!(status["waiting"], 1, "the one shared entry is queued for the agency");
}

#[test]
fn a_bad_import_line_names_its_number_and_field_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init"]);
    let jsonl = d.join("bad.jsonl");
    std::fs::write(
        &jsonl,
        "{\"kind\": \"note\", \"text\": \"fine\"}\n\n{\"kind\": \"experience\", \"service\": \"Meals\", \"rating\": 9}\n",
    )
    .unwrap();
    let out = convivio(d, &["import", "--jsonl", jsonl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3: rating: must be a whole number from 1 to 5"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(list(d).is_empty());
}

#[test]
fn status_says_plainly_that_a_new_diary_is_not_connected() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init"]);
    ok(dir.path(), &["add", "note", "--text", "x", "--sharing", "agency"]);
    let plain = ok(dir.path(), &["status"]);
    assert!(plain.starts_with("not connected to an agency"), "{plain}");
    assert!(plain.contains("1 change is waiting"), "{plain}");
    let json: Value = serde_json::from_str(&ok(dir.path(), &["status", "--json"])).unwrap();
    assert_eq!((json["state"].as_str(), json["revoked"].as_bool()), (Some("not_enrolled"), Some(false)));
    let out = convivio(dir.path(), &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not connected to an agency yet"));
}

#[test]
fn enrolling_over_plain_http_to_another_machine_is_refused_with_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init"]);
    let out = convivio(dir.path(), &["enrol", "--server", "http://agency.example", "--code", "ABCD"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("plain http:// is allowed only to this computer (127.0.0.0/8, ::1 or localhost)"),
        "{stderr}"
    );
}

#[test]
fn a_reply_is_refused_for_a_private_or_unknown_entry_naming_entry_id_and_shown_under_a_shared_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init"]);
    let private = ok(d, &["add", "note", "--text", "only for me", "--sharing", "private"]);
    let unknown = "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a";
    let cases: [(&str, &str); 3] = [
        (private.trim(), "entry_id: is a private entry; share it with the agency to talk about it"),
        (unknown, "entry_id: must be an entry of this diary"),
        ("not-an-id", "entry_id: must be a record id"),
    ];
    for (id, message) in cases {
        let out = convivio(d, &["reply", id, "--text", "hello?"]);
        assert_eq!(out.status.code(), Some(2), "{id}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{id}: {stderr}");
    }
    let status: Value = serde_json::from_str(&ok(d, &["status", "--json"])).unwrap();
    assert_eq!(status["waiting"], 0, "nothing was queued");

    let need = ok(
        d,
        &["add", "need", "--category", "transport", "--text", "a lift to the clinic", "--sharing", "agency"],
    );
    let need = need.trim();
    let reply = ok(d, &["reply", need, "--text", "Tuesday would suit us best"]);
    assert!(uuid::Uuid::parse_str(reply.trim()).is_ok(), "the reply's id: {reply}");
    let status: Value = serde_json::from_str(&ok(d, &["status", "--json"])).unwrap();
    assert_eq!(status["waiting"], 2, "the need and the reply wait for the next sync");

    let shown: Value = serde_json::from_str(&ok(d, &["show", need, "--json"])).unwrap();
    assert_eq!(shown["entry"]["id"], need);
    assert_eq!(shown["status"], "open");
    assert_eq!(shown["thread"][0]["from"], "mine");
    assert_eq!(shown["thread"][0]["id"], reply.trim());
    assert_eq!(shown["thread"][0]["body"], "Tuesday would suit us best");
    assert_eq!(
        (shown["status_history"].as_array().map(Vec::len), shown["read_receipts"].as_array().map(Vec::len)),
        (Some(0), Some(0))
    );
    let plain = ok(d, &["show", need]);
    assert!(plain.contains("a lift to the clinic"), "{plain}");
    assert!(plain.contains("Status: open"), "{plain}");
    assert!(plain.contains("you: Tuesday would suit us best"), "{plain}");
}

#[test]
fn show_names_a_malformed_id_and_says_when_there_is_no_such_entry() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init"]);
    let malformed = convivio(d, &["show", "nope"]);
    assert_eq!(malformed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("id: must be a record id"));
    let kept = ok(d, &["add", "note", "--text", "a quiet day"]);
    let missing = convivio(d, &["show", "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a"]);
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("no entry with id 0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a"), "{stderr}");
    assert!(ok(d, &["show", kept.trim()]).contains("a quiet day"));
}

#[test]
fn profile_set_changes_the_fields_given_keeps_the_rest_and_refuses_an_exact_value() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init"]);
    let show = |d: &Path| -> Value { serde_json::from_str(&ok(d, &["profile", "show", "--json"])).unwrap() };
    assert_eq!(show(d)["age_band"], Value::Null, "a new diary has no profile");
    ok(
        d,
        &[
            "profile",
            "set",
            "--age-band",
            "65-79",
            "--relation",
            "spouse_partner",
            "--municipality",
            "Poschiavo",
            "--cared-condition",
            "stroke",
            "--cared-condition",
            "dementia",
            "--care-hours",
            "35-69",
        ],
    );
    ok(d, &["profile", "set", "--cared-age-band", "85-94", "--municipality", ""]);
    let p = show(d);
    assert_eq!(p["age_band"], "65-79");
    assert_eq!(p["relation"], "spouse_partner");
    assert_eq!(p["cared_age_band"], "85-94");
    assert_eq!(p["care_hours"], "35-69");
    assert_eq!(p["municipality"], Value::Null, "an empty value clears the field");
    assert_eq!(p["cared_conditions"], serde_json::json!(["dementia", "stroke"]));

    let bad = convivio(d, &["profile", "set", "--age-band", "67", "--sex", "female"]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("age_band") && stderr.contains("18-34"), "{stderr}");
    assert_eq!(show(d), p, "a refused change changes nothing");
    ok(d, &["profile", "set", "--cared-condition", ""]);
    assert_eq!(show(d)["cared_conditions"], serde_json::json!([]), "\"\" empties the list");
}

#[test]
fn consent_is_given_for_a_version_revoked_and_shown_with_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init"]);
    let consents = |d: &Path| -> Vec<Value> {
        ok(d, &["consent", "show", "--json"]).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let empty = convivio(d, &["consent", "give", "--version", " "]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("text_version"));
    assert!(consents(d).is_empty());
    let none = convivio(d, &["consent", "revoke"]);
    assert!(!none.status.success(), "nothing to revoke");

    assert!(ok(d, &["consent", "give", "--version", "2026-1"]).contains("2026-1"));
    let given = consents(d);
    assert_eq!(given.len(), 1);
    assert_eq!((given[0]["text_version"].as_str(), given[0]["revoked_at"].as_str()), (Some("2026-1"), None));
    ok(d, &["consent", "revoke"]);
    let revoked = consents(d);
    assert_eq!(revoked.len(), 1, "the same consent, now withdrawn");
    assert_eq!(revoked[0]["id"], given[0]["id"]);
    assert!(revoked[0]["revoked_at"].is_string());
    assert!(!convivio(d, &["consent", "revoke"]).status.success(), "withdrawn already");
    ok(d, &["consent", "give", "--version", "2027-1"]);
    let text = ok(d, &["consent", "show"]);
    assert!(text.contains("withdrawn") && text.contains("2027-1") && text.contains("current"), "{text}");
}
