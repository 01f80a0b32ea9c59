//! "Export my data".

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod common;

use common::*;
use convivio_core::message::MessageInput;
use serde_json::{Value, json};

#[test]
fn the_export_holds_every_record_in_json_and_csv() {
    let (_dir, mut diary) = new_diary();
    let need = diary
        .add_entry(&input(json!({"kind": "need", "category": "equipment", "text": "a shower chair, please", "sharing": "agency"})))
        .unwrap();
    diary.add_entry(&note("a private, \"quoted\" note,\nover two lines", "private")).unwrap();
    let gone = diary.add_entry(&note("deleted later", "private")).unwrap();
    diary.delete_entry(gone.id).unwrap();
    diary.add_message(&MessageInput { entry_id: need.id.to_string(), body: "thank you".into() }).unwrap();
    let out = tempfile::tempdir().unwrap();
    let summary = diary.export_mine(out.path()).unwrap();
    assert_eq!(summary.entries, 2);

    let json: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("convivio-export.json")).unwrap()).unwrap();
    assert_eq!(json["format"], 1);
    assert_eq!(json["entries"].as_array().unwrap().len(), 2);
    assert_eq!(json["records"][0]["body"], "thank you");
    assert_eq!(json["tombstones"][0]["id"], gone.id.to_string());
    assert_eq!(json["history"][0]["text"], "deleted later");

    let mut csv = csv::Reader::from_path(out.path().join("entries.csv")).unwrap();
    let texts: Vec<String> = csv.records().map(|r| r.unwrap()[7].to_owned()).collect();
    assert_eq!(texts, ["a shower chair, please", "a private, \"quoted\" note,\nover two lines"]);
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(
        names,
        ["LEGGIMI-README.txt", "convivio-export.json", "entries.csv", "messages.csv"],
        "no temp files are left behind"
    );
}

#[test]
fn csv_cells_a_spreadsheet_would_run_as_formulas_are_quoted() {
    let (_dir, mut diary) = new_diary();
    let risky =
        ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"];
    let mut ids = Vec::new();
    for text in risky {
        ids.push(diary.add_entry(&note(text, "agency")).unwrap().id);
    }
    diary.add_entry(&note("a plain note - with a dash = fine", "private")).unwrap();
    diary.add_message(&MessageInput { entry_id: ids[0].to_string(), body: "=1+2".into() }).unwrap();
    let out = tempfile::tempdir().unwrap();
    diary.export_mine(out.path()).unwrap();

    let mut csv = csv::Reader::from_path(out.path().join("entries.csv")).unwrap();
    let mut texts: Vec<String> = csv.records().map(|r| r.unwrap()[7].to_owned()).collect();
    texts.sort();
    let mut expected: Vec<String> = risky.iter().map(|t| format!("'{t}")).collect();
    expected.push("a plain note - with a dash = fine".into());
    expected.sort();
    assert_eq!(texts, expected);

    let mut messages = csv::Reader::from_path(out.path().join("messages.csv")).unwrap();
    let bodies: Vec<String> = messages.records().map(|r| r.unwrap()[4].to_owned()).collect();
    assert_eq!(bodies, ["'=1+2"]);

    let json: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("convivio-export.json")).unwrap()).unwrap();
    assert_eq!(json["records"][0]["body"], "=1+2", "the JSON keeps the text as written");
}
