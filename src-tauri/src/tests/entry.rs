use serde_json::{Value, json};

use super::{TestApp, assert_error};

fn note(text: &str) -> Value {
    json!({ "kind": "note", "sharing": "agency", "text": text, "mood": 4, "burden": 2 })
}

/// `entry` as the timeline shows it in a diary not connected yet: shared, so waiting.
fn waiting(entry: &Value) -> Value {
    let mut shown = entry.clone();
    shown["journey"] = json!({ "state": "waiting" });
    shown
}

#[test]
fn a_note_is_saved_with_its_fields_and_an_id() {
    let app = TestApp::with_diary();
    let entry = app.add(note("the nurse came on time"));
    assert_eq!(entry["kind"], "note");
    assert_eq!(entry["text"], "the nurse came on time");
    assert_eq!(entry["mood"], 4);
    assert_eq!(entry["burden"], 2);
    assert_eq!(entry["sharing"], "agency");
    assert!(entry["id"].as_str().is_some_and(|id| !id.is_empty()));
    assert!(entry["occurred_at"].is_string());
    assert_eq!(app.timeline(), vec![waiting(&entry)]);
}

#[test]
fn a_mood_of_nine_is_refused_naming_mood_and_saves_nothing() {
    let app = TestApp::with_diary();
    let before = app.add(note("first"));
    let mut input = note("second");
    input["mood"] = json!(9);
    let error = assert_error(app.invoke("entry_add", json!({ "input": input })), "invalid", Some("mood"));
    assert!(error["message"].as_str().is_some_and(|m| m.contains("1 to 5")), "{error}");
    assert_eq!(
        (&error["rule"], &error["min"], &error["max"]),
        (&json!("out_of_range"), &json!(1), &json!(5))
    );
    assert_eq!(app.timeline(), vec![waiting(&before)]);
}

#[test]
fn a_rating_of_nine_is_refused_naming_rating() {
    let app = TestApp::with_diary();
    let input = json!({ "kind": "experience", "service": "home help", "rating": 9 });
    assert_error(app.invoke("entry_add", json!({ "input": input })), "invalid", Some("rating"));
    assert!(app.timeline().is_empty());
}

#[test]
fn a_hundred_kilobytes_of_text_is_refused_naming_text_and_saves_nothing() {
    let app = TestApp::with_diary();
    let input = note(&"a".repeat(100 * 1024));
    let error = assert_error(app.invoke("entry_add", json!({ "input": input })), "invalid", Some("text"));
    assert_eq!((&error["rule"], &error["max"]), (&json!("too_long"), &json!(20_000)));
    assert!(app.timeline().is_empty());
}

#[test]
fn an_empty_need_category_an_invalid_date_and_an_unknown_factor_name_their_fields() {
    let app = TestApp::with_diary();
    let before = app.add(note("kept"));
    let cases = [
        (json!({ "kind": "need", "category": "" }), "category", "empty"),
        (json!({ "kind": "note", "text": "t", "occurred_at": "2026-13-01" }), "occurred_at", "bad_format"),
        (
            json!({ "kind": "trust", "target": "agency", "score": 3, "factors": ["grumpy"] }),
            "factors",
            "unknown_choice",
        ),
    ];
    for (input, field, rule) in cases {
        let error = assert_error(app.invoke("entry_add", json!({ "input": input })), "invalid", Some(field));
        assert_eq!(error["rule"], rule, "{error}");
    }
    assert_eq!(app.timeline(), vec![waiting(&before)]);
}

#[test]
fn an_empty_note_is_refused_naming_text() {
    let app = TestApp::with_diary();
    assert_error(app.invoke("entry_add", json!({ "input": note("   ") })), "invalid", Some("text"));
    assert!(app.timeline().is_empty());
}

#[test]
fn an_unknown_field_is_a_bad_request_not_silently_dropped() {
    let app = TestApp::with_diary();
    let mut input = note("hello");
    input["colour"] = json!("blue");
    let error = assert_error(app.invoke("entry_add", json!({ "input": input })), "bad_request", None);
    assert!(error["message"].as_str().is_some_and(|m| m.contains("colour")), "{error}");
    assert!(app.timeline().is_empty());
}

#[test]
fn writing_needs_an_open_diary() {
    let app = TestApp::new();
    assert_error(app.invoke("entry_add", json!({ "input": note("hello") })), "locked", None);
}
