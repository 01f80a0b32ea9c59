use serde_json::json;

use super::{PASSPHRASE, TestApp, assert_error};

#[test]
fn an_empty_folder_has_no_diary_yet() {
    let app = TestApp::new();
    assert_eq!(app.invoke("diary_status", json!({})), Ok(json!({ "exists": false, "unlocked": false })));
}

#[test]
fn creating_a_diary_opens_it() {
    let app = TestApp::new();
    let status = app.invoke("diary_create", json!({ "passphrase": PASSPHRASE }));
    assert_eq!(status, Ok(json!({ "exists": true, "unlocked": true })));
    assert_eq!(app.invoke("diary_status", json!({})), status);
}

#[test]
fn an_empty_passphrase_is_refused_naming_the_field_and_creates_nothing() {
    let app = TestApp::new();
    assert_error(app.invoke("diary_create", json!({ "passphrase": "" })), "invalid", Some("passphrase"));
    assert_eq!(app.invoke("diary_status", json!({})), Ok(json!({ "exists": false, "unlocked": false })));
    assert!(!convivio_diary::Diary::exists(app.path()));
}

#[test]
fn a_second_diary_is_not_created_over_the_first() {
    let app = TestApp::with_diary();
    app.add(json!({ "kind": "note", "text": "kept" }));
    assert_error(app.invoke("diary_create", json!({ "passphrase": "another one" })), "already_exists", None);
    assert_eq!(app.timeline().len(), 1);
}

#[test]
fn locking_closes_the_diary_and_the_right_passphrase_opens_it_again() {
    let app = TestApp::with_diary();
    app.add(json!({ "kind": "note", "text": "before locking" }));

    assert_eq!(app.invoke("diary_lock", json!({})), Ok(json!({ "exists": true, "unlocked": false })));
    assert_error(app.invoke("timeline_list", json!({})), "locked", None);

    let status = app.invoke("diary_unlock", json!({ "passphrase": PASSPHRASE }));
    assert_eq!(status, Ok(json!({ "exists": true, "unlocked": true })));
    assert_eq!(app.timeline()[0]["text"], "before locking");
}

#[test]
fn a_wrong_passphrase_is_refused_and_the_diary_stays_locked() {
    let app = TestApp::with_diary();
    app.add(json!({ "kind": "note", "text": "still here" }));
    let app = app.restarted();
    assert_eq!(app.invoke("diary_status", json!({})), Ok(json!({ "exists": true, "unlocked": false })));

    let error =
        assert_error(app.invoke("diary_unlock", json!({ "passphrase": "not it" })), "wrong_passphrase", None);
    assert!(error["message"].as_str().is_some_and(|m| m.contains("passphrase")), "{error}");
    assert_eq!(app.invoke("diary_status", json!({})), Ok(json!({ "exists": true, "unlocked": false })));

    app.invoke("diary_unlock", json!({ "passphrase": PASSPHRASE })).expect("the right passphrase opens it");
    assert_eq!(app.timeline()[0]["text"], "still here");
}

#[test]
fn opening_a_folder_without_a_diary_says_to_create_one() {
    let app = TestApp::new();
    assert_error(app.invoke("diary_unlock", json!({ "passphrase": PASSPHRASE })), "no_diary", None);
}

#[test]
fn a_missing_passphrase_argument_is_refused_by_the_bridge() {
    let app = TestApp::new();
    assert!(app.invoke("diary_create", json!({})).is_err());
    assert!(!convivio_diary::Diary::exists(app.path()));
}
