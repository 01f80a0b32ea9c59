//! `SyncService`, the sync of one open diary as the app runs it, against the scripted server:
//! which scheduler runs, "sync now" and its recovery, enrolment, and the news it tells.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use convivio_diary::sync::{Reading, ScheduleConfig, SharedDiary, SyncFailure, SyncService, shared};
use tempfile::TempDir;
use uuid::Uuid;

use crate::common::{new_diary, note};
use crate::server::{Reply, TestServer};
use crate::with;

/// What the listener heard: each reading, and whether a sync was running.
type Heard = Arc<Mutex<Vec<(Reading, bool)>>>;

/// A service over a fresh diary with `shared_entries` waiting, recording what it tells.
fn service(shared_entries: usize) -> (TempDir, SyncService, Heard) {
    let (dir, mut diary) = new_diary();
    for i in 0..shared_entries {
        diary.add_entry(&note(&format!("shared entry {i}"), "agency")).unwrap();
    }
    let http = crate::client_config();
    let service = SyncService::new(shared(diary), http, ScheduleConfig::default());
    let heard = Arc::new(Mutex::new(Vec::new()));
    let recorder = Arc::clone(&heard);
    service.listen(Arc::new(move |reading: &Reading, syncing| {
        recorder.lock().unwrap().push((reading.clone(), syncing));
    }));
    (dir, service, heard)
}

fn diary(service: &SyncService) -> &SharedDiary {
    service.diary()
}

#[tokio::test]
async fn sync_now_refuses_a_diary_that_is_not_enrolled() {
    let (_dir, service, _) = service(1);
    let reading = service.start().await.unwrap();
    assert_eq!(reading.status.state, "not_enrolled");
    assert!(matches!(service.sync_now().await, Err(SyncFailure::NotEnrolled)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolling_starts_syncing_and_sync_now_sends_what_waited() {
    let (_dir, service, heard) = service(2);
    let (server, url) = TestServer::start().await;
    server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
    let (enrolled, reading) = service.enrol(&url, " ABCD-EFGH ").await.unwrap();
    assert_eq!((reading.status.state, reading.status.waiting), ("active", 2), "read before the first sync");
    assert_eq!(reading.status.device_id, Some(enrolled.device_id));
    let after = service.sync_now().await.unwrap();
    assert_eq!(after.status.waiting, 0);
    assert!(after.seq > reading.seq);
    assert!(after.status.last_success_at.is_some());
    // The listener heard the start, and (a moment later: it reads the status on its own task)
    // the scheduler's own news of a sync that ended with nothing waiting.
    let ended =
        |heard: &[(Reading, bool)]| heard.iter().any(|(r, syncing)| !syncing && r.status.waiting == 0);
    for _ in 0..200 {
        if ended(&heard.lock().unwrap()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let heard = heard.lock().unwrap().clone();
    assert!(heard.iter().any(|(r, _)| r.seq == reading.seq), "{heard:?}");
    assert!(ended(&heard), "{heard:?}");
    assert!(heard.windows(2).all(|w| w[0].0.seq != w[1].0.seq), "every reading has its own number");
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_now_starts_a_scheduler_for_an_enrolled_diary_that_has_none() {
    let (_dir, service, _) = service(1);
    let (server, url) = TestServer::start().await;
    server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
    // Enrolled behind the service's back: no scheduler runs (as when one could not start).
    service.client().unwrap().enrol(diary(&service), &url, "ABCD-EFGH").await.unwrap();
    let after = service.sync_now().await.unwrap();
    assert_eq!(after.status.waiting, 0, "{after:?}");
    assert_eq!(server.syncs().len(), 1);
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_now_answers_after_a_sync_that_saw_every_earlier_save() {
    let (_dir, service, _) = service(0);
    let (server, url) = TestServer::start().await;
    server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
    // The first sync (right after enrolling) is slow: a save lands while it is on the wire.
    server
        .then(Reply::Late(Duration::from_millis(400), Box::new(Reply::Ack { changes: vec![], more: false })));
    service.enrol(&url, "ABCD-EFGH").await.unwrap();
    while !service.syncing() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    with(diary(&service), |d| d.add_entry(&note("saved during a sync", "agency")).unwrap());
    service.saved(None);
    let after = service.sync_now().await.unwrap();
    assert_eq!(after.status.waiting, 0, "the sync after the running one sent it");
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolling_an_active_diary_is_refused_and_it_keeps_syncing() {
    let (_dir, service, _) = service(0);
    let (server, url) = TestServer::start().await;
    server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
    let (first, _) = service.enrol(&url, "ABCD-EFGH").await.unwrap();
    let failure = service.enrol(&url, "IJKL-MNOP").await.unwrap_err();
    assert!(
        matches!(&failure, SyncFailure::AlreadyEnrolled { agency } if agency == "Valle Verde"),
        "{failure}"
    );
    with(diary(&service), |d| d.add_entry(&note("after the refusal", "agency")).unwrap());
    let after = service.sync_now().await.unwrap();
    assert_eq!((after.status.waiting, after.status.device_id), (0, Some(first.device_id)));
    service.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_diary_is_told_as_locked() {
    let (_dir, service, _) = service(0);
    let (server, url) = TestServer::start().await;
    server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
    service.enrol(&url, "ABCD-EFGH").await.unwrap();
    service.stop().await;
    drop(diary(&service).lock().unwrap().take());
    assert!(matches!(service.sync_now().await, Err(SyncFailure::Locked)));
    assert!(matches!(service.start().await, Err(SyncFailure::Locked)));
}
