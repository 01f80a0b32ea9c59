//! The sync commands against the real agency server on loopback.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::server::{AGENCY, TestServer};
use super::{PASSPHRASE, TestApp, assert_error};

fn note(text: &str, sharing: &str) -> Value {
    json!({ "kind": "note", "sharing": sharing, "text": text })
}

impl TestApp {
    fn sync_status(&self) -> Value {
        self.invoke("sync_status", json!({})).expect("a sync status")
    }

    fn sync_now(&self) -> Value {
        self.invoke("sync_now", json!({})).expect("sync now answers with the status")
    }

    fn enrol(&self, server: &TestServer, caregiver: &str) -> Value {
        let code = server.code(caregiver);
        self.invoke("sync_enrol", json!({ "server": server.url, "code": code })).expect("enrolled")
    }

    /// Waits (a few seconds at most) for a sync event that satisfies `what`.
    fn sync_event(&self, what: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let events = self.sync_events.lock().expect("the recorder").clone();
            if let Some(event) = events.into_iter().rev().find(|e| what(e)) {
                return event;
            }
            assert!(Instant::now() < deadline, "no such sync event: {:?}", self.sync_events);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn a_new_diary_is_not_enrolled_and_nothing_waits() {
    let app = TestApp::with_diary();
    let status = app.sync_status();
    assert_eq!((&status["state"], &status["waiting"]), (&json!("not_enrolled"), &json!(0)));
    assert_eq!((&status["revoked"], &status["syncing"]), (&json!(false), &json!(false)));
    assert!(status["last_success_at"].is_null(), "{status}");
}

#[test]
fn shared_entries_wait_for_enrolment_and_private_ones_never_do() {
    let app = TestApp::with_diary();
    app.add(note("for the agency", "agency"));
    app.add(note("only for me", "private"));
    assert_eq!(app.sync_status()["waiting"], 1);
}

#[test]
fn saving_an_entry_tells_the_ui_what_now_waits() {
    let app = TestApp::with_diary();
    app.add(note("first", "agency"));
    app.add(note("second", "agency"));
    let event = app.sync_event(|e| e["waiting"] == 2);
    assert_eq!(event["state"], "not_enrolled");
}

#[test]
fn enrolling_with_the_agencys_code_sends_what_was_waiting() {
    let server = TestServer::start();
    let app = TestApp::with_diary();
    app.add(note("written before enrolling", "agency"));
    app.add(note("never leaves", "private"));

    let enrolled = app.enrol(&server, "Maria R.");
    assert_eq!((&enrolled["state"], &enrolled["agency_name"]), (&json!("active"), &json!(AGENCY)));
    assert_eq!(enrolled["server_url"], server.url);
    assert!(enrolled["device_id"].is_string(), "{enrolled}");

    let status = app.sync_now();
    assert_eq!((&status["state"], &status["waiting"]), (&json!("active"), &json!(0)));
    assert!(status["last_success_at"].is_string(), "{status}");
    assert!(status["last_error"].is_null(), "{status}");
    assert_eq!(server.entries(), 1, "the shared entry reached the server, the private one did not");
}

#[test]
fn an_entry_saved_after_enrolment_is_sent_by_sync_now_and_the_ui_hears_of_it() {
    let server = TestServer::start();
    let app = TestApp::with_diary();
    app.enrol(&server, "Maria R.");
    app.add(note("the nurse was late again", "agency"));

    let status = app.sync_now();
    assert_eq!(status["waiting"], 0, "{status}");
    assert_eq!(server.entries(), 1);
    // The scheduler's own news: a sync ended with nothing waiting.
    app.sync_event(|e| e["syncing"] == false && e["waiting"] == 0 && e["last_success_at"].is_string());
}

#[test]
fn a_wrong_code_is_refused_naming_the_code_and_the_diary_stays_unenrolled() {
    let server = TestServer::start();
    let app = TestApp::with_diary();
    let result = app.invoke("sync_enrol", json!({ "server": server.url, "code": "WXYZ-0000" }));
    let error = assert_error(result, "code_refused", Some("code"));
    assert!(error["message"].as_str().is_some_and(|m| m.contains("ask the agency")), "{error}");
    assert_eq!(app.sync_status()["state"], "not_enrolled");
}

#[test]
fn plain_http_off_this_computer_is_refused_naming_the_server_before_anything_is_sent() {
    let app = TestApp::with_diary();
    let result =
        app.invoke("sync_enrol", json!({ "server": "http://192.168.1.10:8080", "code": "ABCD-EFGH" }));
    let error = assert_error(result, "bad_server_url", Some("server"));
    assert!(error["message"].as_str().is_some_and(|m| m.contains("https://")), "{error}");
}

#[test]
fn a_revoked_device_is_told_plainly_after_sync_now_and_its_entries_stay_waiting() {
    let server = TestServer::start();
    let app = TestApp::with_diary();
    let enrolled = app.enrol(&server, "Maria R.");
    app.sync_now();

    server.revoke(enrolled["device_id"].as_str().expect("a device id"));
    app.add(note("written after the agency disconnected me", "agency"));
    let status = app.sync_now();

    assert_eq!((&status["state"], &status["revoked"]), (&json!("revoked"), &json!(true)));
    assert_eq!(status["last_error_code"], "revoked");
    assert!(
        status["last_error"].as_str().is_some_and(|m| m.contains("disconnected this device")),
        "{status}"
    );
    assert_eq!(status["waiting"], 1, "nothing is lost");
    assert_eq!(server.entries(), 0);
}

#[test]
fn a_revoked_diary_enrols_again_with_a_new_code_and_sends_what_waited() {
    let server = TestServer::start();
    let app = TestApp::with_diary();
    let first = app.enrol(&server, "Maria R.");
    server.revoke(first["device_id"].as_str().expect("a device id"));
    app.add(note("kept while disconnected", "agency"));
    assert_eq!(app.sync_now()["state"], "revoked");

    let again = app.enrol(&server, "Maria R. (new phone)");
    assert_eq!(again["state"], "active");
    assert_ne!(again["device_id"], first["device_id"]);
    let status = app.sync_now();
    assert_eq!((&status["waiting"], &status["revoked"]), (&json!(0), &json!(false)));
    assert_eq!(server.entries(), 1);
}

#[test]
fn a_connected_diary_is_not_enrolled_twice() {
    let server = TestServer::start();
    let app = TestApp::with_diary();
    app.enrol(&server, "Maria R.");
    let code = server.code("someone else");
    let result = app.invoke("sync_enrol", json!({ "server": server.url, "code": code }));
    let error = assert_error(result, "already_enrolled", None);
    assert!(error["message"].as_str().is_some_and(|m| m.contains(AGENCY)), "{error}");
}

#[test]
fn an_unreachable_server_is_recorded_in_plain_words_and_nothing_is_lost() {
    let mut server = TestServer::start();
    let app = TestApp::with_diary();
    app.enrol(&server, "Maria R.");
    app.sync_now();
    server.stop();

    app.add(note("written with no signal", "agency"));
    let status = app.sync_now();
    assert_eq!((&status["state"], &status["waiting"]), (&json!("active"), &json!(1)));
    assert_eq!(status["last_error_code"], "unreachable");
    assert!(status["last_error"].as_str().is_some_and(|m| m.contains("nothing is lost")), "{status}");
}

#[test]
fn sync_now_needs_an_enrolled_diary() {
    let app = TestApp::with_diary();
    assert_error(app.invoke("sync_now", json!({})), "not_enrolled", None);
}

#[test]
fn sync_needs_an_open_diary() {
    let app = TestApp::new();
    assert_error(app.invoke("sync_status", json!({})), "locked", None);
    assert_error(app.invoke("sync_now", json!({})), "locked", None);
    assert_error(
        app.invoke("sync_enrol", json!({ "server": "https://a.example", "code": "X" })),
        "locked",
        None,
    );
}

#[test]
fn locking_stops_sync_and_unlocking_an_enrolled_diary_starts_it_again() {
    let server = TestServer::start();
    let app = TestApp::with_diary();
    app.enrol(&server, "Maria R.");
    app.add(note("before locking", "agency"));

    app.invoke("diary_lock", json!({})).expect("locked");
    assert_error(app.invoke("sync_now", json!({})), "locked", None);

    let app = app.restarted();
    app.invoke("diary_unlock", json!({ "passphrase": PASSPHRASE })).expect("unlocked");
    let status = app.sync_now();
    assert_eq!((&status["state"], &status["waiting"]), (&json!("active"), &json!(0)));
    assert_eq!(server.entries(), 1);
}

#[test]
fn every_reading_is_numbered_so_the_ui_can_drop_older_news() {
    let server = TestServer::start();
    let app = TestApp::with_diary();
    let seq = |view: &Value| view["seq"].as_u64().expect("a reading number");

    let first = seq(&app.sync_status());
    let enrolled = app.enrol(&server, "Maria R.");
    let synced = app.sync_now();
    assert!(first < seq(&enrolled) && seq(&enrolled) < seq(&synced), "{first} {enrolled} {synced}");
    // The enrol answer was read before the first sync: the event that sync sent is newer news.
    let event = app.sync_event(|e| e["last_success_at"].is_string());
    assert!(seq(&event) > seq(&enrolled), "{event} {enrolled}");
}
