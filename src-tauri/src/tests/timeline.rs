use serde_json::{Value, json};

use super::{TestApp, assert_error};

/// The texts of a page's entries, in order.
fn texts(page: &Value) -> Vec<&str> {
    page["entries"].as_array().expect("entries").iter().filter_map(|e| e["text"].as_str()).collect()
}

#[test]
fn the_timeline_is_newest_first_and_pages_with_a_cursor() {
    let app = TestApp::with_diary();
    for (day, text) in [(1, "first"), (2, "second"), (3, "third")] {
        let occurred_at = format!("2026-11-0{day}T10:00:00+01:00");
        app.add(json!({ "kind": "note", "text": text, "occurred_at": occurred_at }));
    }

    let first = app.invoke("timeline_list", json!({ "query": { "limit": 2 } })).expect("a first page");
    assert_eq!(texts(&first), ["third", "second"]);
    let cursor = first["next_cursor"].as_str().expect("a cursor to the next page");

    let second = app
        .invoke("timeline_list", json!({ "query": { "limit": 2, "cursor": cursor } }))
        .expect("a second page");
    assert_eq!(texts(&second), ["first"]);
    assert!(second.get("next_cursor").is_none_or(|c| c.is_null()), "{second}");
}

#[test]
fn the_timeline_without_a_query_is_the_first_page() {
    let app = TestApp::with_diary();
    app.add(json!({ "kind": "note", "text": "only one" }));
    let page = app.invoke("timeline_list", json!({})).expect("a page");
    assert_eq!(page["entries"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_malformed_query_is_a_bad_request() {
    let app = TestApp::with_diary();
    assert_error(app.invoke("timeline_list", json!({ "query": { "limit": "many" } })), "bad_request", None);
}
