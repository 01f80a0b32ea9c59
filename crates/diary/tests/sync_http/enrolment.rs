//! Who may enrol: never enrolled, revoked or unrecognised diaries; an active one only when asked
//! to replace its enrolment. The rule the app and the command line share (`Diary::may_enrol`).

use axum::http::StatusCode;
use convivio_diary::sync::{SyncFailure, shared};
use uuid::Uuid;

use crate::common::new_diary;
use crate::server::{Reply, TestServer, refusal};
use crate::{client, with};

#[tokio::test]
async fn an_active_diary_is_not_enrolled_again_by_accident() {
    let (_dir, diary) = new_diary();
    let diary = shared(diary);
    let (server, url) = TestServer::start().await;
    let client = client();
    server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
    let first = client.enrol(&diary, &url, "ABCD-EFGH").await.unwrap();

    server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
    let failure = client.enrol(&diary, &url, "IJKL-MNOP").await.unwrap_err();
    assert_eq!(failure.code(), "already_enrolled", "{failure}");
    assert!(failure.to_string().contains("already connected to Valle Verde"), "{failure}");
    assert_eq!(server.seen().len(), 1, "refused before the code was spent");
    let link = with(&diary, |d| d.sync_link().unwrap());
    assert_eq!(link.device_id, first.device_id, "the diary keeps syncing as itself");
}

#[tokio::test]
async fn enrol_again_replaces_an_active_enrolment() {
    let (_dir, diary) = new_diary();
    let diary = shared(diary);
    let (server, url) = TestServer::start().await;
    let client = client();
    server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
    let first = client.enrol(&diary, &url, "ABCD-EFGH").await.unwrap();
    server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
    let second = client.enrol_again(&diary, &url, "IJKL-MNOP").await.unwrap();
    assert_ne!(second.device_id, first.device_id);
    assert_eq!(with(&diary, |d| d.sync_link().unwrap().device_id), second.device_id);
}

#[tokio::test]
async fn a_revoked_or_unrecognised_diary_may_enrol_with_a_new_code() {
    for (status, body) in [
        (StatusCode::UNAUTHORIZED, refusal("revoked", None)),
        (StatusCode::UNAUTHORIZED, refusal("unauthorized", None)),
    ] {
        let (_dir, diary) = new_diary();
        let diary = shared(diary);
        let (server, url) = TestServer::start().await;
        let client = client();
        server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
        client.enrol(&diary, &url, "ABCD-EFGH").await.unwrap();
        server.then(Reply::Refuse(status, body));
        assert!(matches!(
            client.sync_once(&diary).await,
            Err(SyncFailure::Revoked | SyncFailure::Unauthorized)
        ));
        with(&diary, |d| d.may_enrol()).unwrap();
        server.then(Reply::Enrol { caregiver: Uuid::now_v7() });
        client.enrol(&diary, &url, "IJKL-MNOP").await.unwrap();
        assert_eq!(with(&diary, |d| d.sync_status().unwrap().state), "active");
    }
}

#[tokio::test]
async fn a_diary_never_enrolled_may_enrol() {
    let (_dir, diary) = new_diary();
    diary.may_enrol().unwrap();
}
