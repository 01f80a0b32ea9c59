//! The device and the agency's server together: the real diary and sync client, the real
//! server as a child process, real HTTP on loopback, on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::io::Cursor;

use convivio_core::{Record, Sharing};
use convivio_diary::sync::{HttpConfig, SyncClient, SyncFailure};
use convivio_tests::sync_world::{Backend, Op, TestDevice, World, check_same, note};

const SERVER: &str = env!("CARGO_BIN_EXE_convivio_test_server");

fn client() -> SyncClient {
    SyncClient::new(HttpConfig::default()).unwrap()
}

async fn world(backend: Backend) -> World {
    World::start(SERVER, backend, 1, &[]).await
}

/// One test per backend for each scenario.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name(convivio_tests::sync_world::Backend::Sqlite).await
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name(convivio_tests::sync_world::Backend::Postgres).await
            })*
        }
    };
}

on_both_backends!(
    a_caregivers_two_devices_converge_through_the_server,
    a_version_at_the_end_of_time_is_refused_and_the_sibling_still_opens,
    a_device_whose_clock_is_hours_ahead_syncs_without_loss,
    concurrent_edits_keep_the_higher_version_and_the_loser_in_history_on_both_sides,
    a_sibling_pulls_a_large_diary_page_by_page,
    a_device_cannot_read_or_write_another_caregivers_records,
    a_revoked_device_is_told_plainly_and_its_sibling_still_syncs,
    used_and_expired_codes_are_refused_and_guessing_is_throttled,
    what_staff_write_under_an_entry_reaches_the_caregiver_and_a_reply_reaches_the_server,
);

async fn a_caregivers_two_devices_converge_through_the_server(backend: Backend) {
    let world = world(backend).await;
    let client = client();
    let mut phone = TestDevice::enrol(&client, &world.proxy.url(), &world.code(None).await).await;
    for i in 0..30 {
        phone.apply(&Op::Add { shared: i % 3 != 0, words: 40 });
    }
    for pick in [1, 4, 7] {
        phone.apply(&Op::Edit { pick, words: 12 });
    }
    phone.apply(&Op::Delete { pick: 2 });
    phone.apply(&Op::MakePrivate { pick: 5 });
    phone.apply(&Op::Share { pick: 0 });
    let summary = client.sync_once(&phone.diary).await.unwrap();
    assert_eq!(summary.waiting, 0);
    assert!(summary.pushed > 0 && summary.pulled == 0, "{summary:?}");

    let code = world.code(Some(phone.caregiver_id)).await;
    let mut tablet = TestDevice::enrol(&client, &world.proxy.url(), &code).await;
    assert_eq!(tablet.caregiver_id, phone.caregiver_id, "a second device of the same caregiver");
    for _ in 0..5 {
        tablet.apply(&Op::Add { shared: true, words: 20 });
    }
    client.sync_once(&tablet.diary).await.unwrap();
    client.sync_once(&phone.diary).await.unwrap();

    check_same(&world, &[&phone, &tablet]).await.unwrap();
    let shared_on = |d: &TestDevice| -> BTreeMap<_, _> {
        d.entries()
            .into_iter()
            .filter(|(_, r)| matches!(r, Record::Entry(e) if e.sharing != Sharing::Private))
            .collect()
    };
    let (on_phone, on_tablet) = (shared_on(&phone), shared_on(&tablet));
    // 20 of 30 written shared; one deleted, one made private, one private one shared later.
    assert_eq!(on_phone.len(), 19 + 5, "the phone's shared entries and the tablet's five");
    assert_eq!(on_phone, on_tablet, "both devices show the same shared diary");
    let private_on_phone = phone.entries().len() - on_phone.len();
    assert!(private_on_phone > 0 && tablet.entries().len() == on_tablet.len(), "private stays home");
}

async fn concurrent_edits_keep_the_higher_version_and_the_loser_in_history_on_both_sides(backend: Backend) {
    let world = world(backend).await;
    let client = client();
    let mut phone = TestDevice::enrol(&client, &world.proxy.url(), &world.code(None).await).await;
    phone.apply(&Op::Add { shared: true, words: 10 });
    client.sync_once(&phone.diary).await.unwrap();
    let code = world.code(Some(phone.caregiver_id)).await;
    let tablet = TestDevice::enrol(&client, &world.proxy.url(), &code).await;
    client.sync_once(&tablet.diary).await.unwrap();
    let id = *phone.expected().keys().next().unwrap();
    assert!(tablet.entries().contains_key(&id));

    // Both edit the same entry while apart; the tablet edits last, so its version is higher.
    phone.apply(&Op::Edit { pick: 0, words: 5 });
    std::thread::sleep(std::time::Duration::from_millis(5));
    let tablet_edit = {
        let mut slot = tablet.diary.lock().unwrap();
        slot.as_mut().unwrap().update_entry(id, &note("scritto sul tablet", "agency")).unwrap()
    };
    let phone_edit = phone.entries()[&id].clone();
    assert!(tablet_edit.version > phone_edit.version());

    client.sync_once(&phone.diary).await.unwrap();
    client.sync_once(&tablet.diary).await.unwrap();
    client.sync_once(&phone.diary).await.unwrap();

    let winner = Record::Entry(tablet_edit.clone());
    assert_eq!(phone.entries()[&id], winner, "the phone shows the higher version");
    assert_eq!(tablet.entries()[&id], winner);
    let held = world.held(phone.caregiver_id).await;
    assert_eq!(held[&id].current, winner);
    assert!(held[&id].history.contains(&phone_edit), "the server keeps the loser: {:?}", held[&id]);
    let phone_history = phone.diary.lock().unwrap().as_ref().unwrap().entry_history(id).unwrap();
    assert!(
        phone_history.iter().any(|e| Record::Entry(e.clone()) == phone_edit),
        "the phone keeps its own losing edit in history"
    );
}

async fn a_sibling_pulls_a_large_diary_page_by_page(backend: Backend) {
    // A small page size, so the pull needs many rounds, and a push that needs several batches.
    let world = World::start(SERVER, backend, 1, &[("CONVIVIO_LIMITS__MAX_PULL", "7")]).await;
    let client = client();
    let phone = TestDevice::enrol(&client, &world.proxy.url(), &world.code(None).await).await;
    let lines: String = (0..300)
        .map(|i| format!("{{\"kind\":\"note\",\"sharing\":\"agency\",\"text\":\"voce numero {i}\"}}\n"))
        .collect();
    phone.diary.lock().unwrap().as_mut().unwrap().import_jsonl(Cursor::new(lines)).unwrap();
    let pushed = client.sync_once(&phone.diary).await.unwrap();
    assert_eq!(pushed.pushed, 300);
    let code = world.code(Some(phone.caregiver_id)).await;
    let tablet = TestDevice::enrol(&client, &world.proxy.url(), &code).await;
    let pulled = client.sync_once(&tablet.diary).await.unwrap();
    assert_eq!(pulled.pulled, 300);
    assert!(pulled.requests >= 300 / 7, "{pulled:?}");
    assert_eq!(tablet.entries(), phone.entries());
}

async fn a_device_cannot_read_or_write_another_caregivers_records(backend: Backend) {
    let world = world(backend).await;
    let client = client();
    let mut anna = TestDevice::enrol(&client, &world.proxy.url(), &world.code(None).await).await;
    anna.apply(&Op::Add { shared: true, words: 10 });
    client.sync_once(&anna.diary).await.unwrap();
    let annas = anna.entries();
    let (&id, original) = annas.iter().next().unwrap();

    let mut bruno = TestDevice::enrol(&client, &world.proxy.url(), &world.code(None).await).await;
    assert_ne!(bruno.caregiver_id, anna.caregiver_id);
    bruno.apply(&Op::Add { shared: true, words: 10 });
    let first = client.sync_once(&bruno.diary).await.unwrap();
    assert_eq!(first.pulled, 0, "nothing of Anna's reaches Bruno");
    assert!(!bruno.entries().contains_key(&id));

    // Bruno's device pushes a version of Anna's entry (same id, a newer version).
    let forged =
        format!("{{\"id\":\"{id}\",\"kind\":\"note\",\"sharing\":\"agency\",\"text\":\"forged\"}}\n");
    bruno.diary.lock().unwrap().as_mut().unwrap().import_jsonl(Cursor::new(forged)).unwrap();
    client.sync_once(&bruno.diary).await.unwrap();
    // Refused, and Bruno's device is told so: the entry stays there, the status names it.
    let status = bruno.diary.lock().unwrap().as_ref().unwrap().sync_status().unwrap();
    assert_eq!(status.waiting, 0, "acknowledged: the outbox moves on");
    let refused: Vec<(&str, &str)> =
        status.refused.iter().map(|r| (r.record_id.as_str(), r.code.as_str())).collect();
    assert_eq!(refused, [(id.to_string().as_str(), "not_yours")]);
    assert!(status.describe().contains("1 change was refused"), "{}", status.describe());
    assert!(bruno.entries().contains_key(&id), "kept on Bruno's device");
    let held = world.held(anna.caregiver_id).await;
    assert_eq!(&held[&id].current, original, "Anna's entry is unchanged on the server");
    assert!(held[&id].history.is_empty(), "and the forged version is not kept as hers either");
    client.sync_once(&anna.diary).await.unwrap();
    assert_eq!(anna.entries(), annas, "nothing reached Anna's device");
    assert!(!world.held(bruno.caregiver_id).await.contains_key(&id));
}

async fn a_revoked_device_is_told_plainly_and_its_sibling_still_syncs(backend: Backend) {
    let world = world(backend).await;
    let client = client();
    let mut phone = TestDevice::enrol(&client, &world.proxy.url(), &world.code(None).await).await;
    let code = world.code(Some(phone.caregiver_id)).await;
    let mut tablet = TestDevice::enrol(&client, &world.proxy.url(), &code).await;
    world.revoke(phone.device_id).await;

    phone.apply(&Op::Add { shared: true, words: 10 });
    let failure = client.sync_once(&phone.diary).await.unwrap_err();
    assert!(matches!(failure, SyncFailure::Revoked), "{failure:?}");
    let status = phone.diary.lock().unwrap().as_ref().unwrap().sync_status().unwrap();
    assert!(status.revoked);
    assert_eq!(status.waiting, 1, "the entry is kept on the device");
    let words = status.describe();
    assert!(words.starts_with("Valle Verde has disconnected this device"), "{words}");

    tablet.apply(&Op::Add { shared: true, words: 10 });
    client.sync_once(&tablet.diary).await.unwrap();
    check_same(&world, &[&tablet]).await.unwrap();
}

async fn used_and_expired_codes_are_refused_and_guessing_is_throttled(backend: Backend) {
    let world = World::start(SERVER, backend, 1, &[("CONVIVIO_ENROLMENT__ATTEMPTS_PER_MINUTE", "4")]).await;
    let client = client();
    let code = world.code(None).await;
    TestDevice::enrol(&client, &world.proxy.url(), &code).await;
    let again = try_enrol(&client, &world, &code).await;
    assert!(matches!(again, Err(SyncFailure::CodeRefused(_))), "a used code: {again:?}");
    let expired = world.expired_code().await;
    let late = try_enrol(&client, &world, &expired).await;
    assert!(matches!(late, Err(SyncFailure::CodeRefused(_))), "an expired code: {late:?}");
    let guess = try_enrol(&client, &world, "AAAA-BBBB-CCCC").await;
    assert!(matches!(guess, Err(SyncFailure::CodeRefused(_))), "{guess:?}");
    let throttled = try_enrol(&client, &world, "AAAA-BBBB-CCCD").await;
    assert!(
        matches!(throttled, Err(SyncFailure::TooManyRequests { retry_after: Some(_) })),
        "the fifth attempt in a minute: {throttled:?}"
    );
    let fresh = world.code(None).await;
    let still = try_enrol(&client, &world, &fresh).await;
    assert!(matches!(still, Err(SyncFailure::TooManyRequests { .. })), "even a good code waits: {still:?}");
}

async fn try_enrol(client: &SyncClient, world: &World, code: &str) -> Result<(), SyncFailure> {
    let dir = tempfile::tempdir().unwrap();
    let diary = convivio_diary::Diary::create_with(
        dir.path(),
        convivio_tests::PASSPHRASE,
        convivio_tests::cheap_kdf(),
    )
    .unwrap();
    let diary = convivio_diary::sync::shared(diary);
    client.enrol(&diary, &world.proxy.url(), code).await.map(|_| ())
}

/// The review's severe hole: one device (or a stolen token) pushed a note versioned
/// `ffffffffffff-ffffffff-...`; the server took it, and the caregiver's other diary, after its
/// next sync, no longer opened.
async fn a_version_at_the_end_of_time_is_refused_and_the_sibling_still_opens(backend: Backend) {
    let world = world(backend).await;
    let client = client();
    let phone = TestDevice::enrol(&client, &world.proxy.url(), &world.code(None).await).await;
    let mut tablet =
        TestDevice::enrol(&client, &world.proxy.url(), &world.code(Some(phone.caregiver_id)).await).await;
    let (token, device_id) = {
        let slot = phone.diary.lock().unwrap();
        let link = slot.as_ref().unwrap().sync_link().unwrap();
        (link.token().to_owned(), link.device_id)
    };
    let mut entry = serde_json::to_value(Record::Entry(convivio_core::entry::Entry::create(
        convivio_core::RecordId::new(),
        "ffffffffffff-ffffffff-ffffffffffffffff".parse().unwrap(),
        convivio_core::Owner::caregiver(phone.caregiver_id),
        chrono::Utc::now(),
        note("the end of time", "agency").parse(chrono::Local::now().fixed_offset()).unwrap(),
    )))
    .unwrap();
    entry["text"] = serde_json::json!("the end of time");
    let body = serde_json::json!({
        "protocol": convivio_core::sync::PROTOCOL_VERSION,
        "device_id": device_id,
        "push": {"first_seq": 1, "changes": [entry]},
        "cursor": 0,
        "pull_limit": 100
    });
    let answer = reqwest::Client::new()
        .post(format!("{}/api/v1/sync", world.proxy.url()))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 409);
    let refusal: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(refusal["code"], "clock_ahead");

    tablet.apply(&Op::Add { shared: true, words: 5 });
    client.sync_once(&tablet.diary).await.unwrap();
    let dir = tablet.dir().to_owned();
    let closed = tablet.diary.lock().unwrap().take().unwrap();
    drop(closed);
    let reopened = convivio_diary::Diary::open(&dir, convivio_tests::PASSPHRASE).unwrap();
    assert_eq!(reopened.entry_count().unwrap(), 1, "the sibling opens, with what it wrote");
}

async fn a_device_whose_clock_is_hours_ahead_syncs_without_loss(backend: Backend) {
    let world = world(backend).await;
    let client = client();
    let mut phone = TestDevice::enrol(&client, &world.proxy.url(), &world.code(None).await).await;
    let mut tablet =
        TestDevice::enrol(&client, &world.proxy.url(), &world.code(Some(phone.caregiver_id)).await).await;
    for i in 0..6 {
        tablet.apply(&Op::Add { shared: i % 2 == 0, words: 8 });
    }
    client.sync_once(&tablet.diary).await.unwrap();
    client.sync_once(&phone.diary).await.unwrap();
    let target = *tablet.entries().keys().next().unwrap();
    // Now the phone's clock jumps five hours ahead; before it next hears from the server it
    // edits one of the tablet's entries, writes two and deletes one.
    phone.simulate_clock_error(5 * 3_600_000);
    {
        let mut slot = phone.diary.lock().unwrap();
        slot.as_mut().unwrap().update_entry(target, &note("the phone's edit", "agency")).unwrap();
    }
    phone.apply(&Op::Add { shared: true, words: 8 });
    phone.apply(&Op::Add { shared: true, words: 8 });
    phone.apply(&Op::Delete { pick: 0 });
    let summary = client.sync_once(&phone.diary).await.unwrap();
    assert_eq!(summary.waiting, 0, "all of it reached the server: {summary:?}");
    let now_ms = chrono::Utc::now().timestamp_millis() as u64;
    let Record::Entry(edited) = &phone.entries()[&target] else { unreachable!("an entry") };
    assert!(
        edited.version.wall_ms < now_ms + 60_000,
        "versioned anew by the server's clock: {}",
        edited.version
    );

    // The tablet edits the same entry afterwards: its edit, later in real time, wins, however
    // far ahead the phone's clock was.
    client.sync_once(&tablet.diary).await.unwrap();
    {
        let mut slot = tablet.diary.lock().unwrap();
        slot.as_mut().unwrap().update_entry(target, &note("the tablet's later edit", "agency")).unwrap();
    }
    client.sync_once(&tablet.diary).await.unwrap();
    client.sync_once(&phone.diary).await.unwrap();
    check_same(&world, &[&phone, &tablet]).await.unwrap();
    let Record::Entry(e) = &phone.entries()[&target] else { unreachable!("an entry") };
    assert_eq!(e.body.texts(), ["the tablet's later edit"]);
    let history = phone.diary.lock().unwrap().as_ref().unwrap().entry_history(target).unwrap();
    assert!(
        history.iter().any(|h| h.body.texts() == ["the phone's edit"]),
        "the phone's edit is kept in history"
    );
}

/// The loop of issue 8 from the device's side: staff answer a need, say it cannot be met and
/// why, and read it; the caregiver sees all three under the entry and replies; an app still on
/// protocol 2 keeps syncing without the read receipt it could not read.
async fn what_staff_write_under_an_entry_reaches_the_caregiver_and_a_reply_reaches_the_server(
    backend: Backend,
) {
    use convivio_core::message::{Message, MessageInput};
    use convivio_core::need::NeedStatus;
    use convivio_core::need_status::NeedStatusChange;
    use convivio_core::read_receipt::ReadReceipt;
    use convivio_core::text::{LongText, ShortText};
    use convivio_core::{Hlc, NodeId, Owner, RecordId};
    use convivio_diary::Side;

    let world = world(backend).await;
    let client = client();
    let phone = TestDevice::enrol(&client, &world.proxy.url(), &world.code(None).await).await;
    let need = {
        let mut slot = phone.diary.lock().unwrap();
        let input = serde_json::from_value(serde_json::json!(
            {"kind": "need", "category": "respite", "text": "a weekend off", "sharing": "agency"}
        ))
        .unwrap();
        slot.as_mut().unwrap().add_entry(&input).unwrap().id
    };
    client.sync_once(&phone.diary).await.unwrap();

    let staff = Owner::staff(world.staff("giulia.b").await);
    let now = chrono::Utc::now();
    let version =
        |ms_ago: u64| Hlc { wall_ms: now.timestamp_millis() as u64 - ms_ago, counter: 0, node: NodeId(0xaa) };
    let reply = Record::Message(Message {
        id: RecordId::new(),
        version: version(3_000),
        owner: staff,
        entry_id: need,
        body: LongText::parse("body", "We can send someone on Saturday morning.").unwrap(),
        sent_at: now - chrono::Duration::minutes(3),
    });
    let not_met = Record::NeedStatusChange(NeedStatusChange {
        id: RecordId::new(),
        version: version(2_000),
        owner: staff,
        entry_id: need,
        status: NeedStatus::NotMet,
        reason: Some(LongText::parse("reason", "No respite places before January.").unwrap()),
        changed_at: now - chrono::Duration::minutes(2),
    });
    let read = Record::ReadReceipt(ReadReceipt {
        id: RecordId::new(),
        version: version(1_000),
        owner: staff,
        entry_id: need,
        reader_name: ShortText::parse("reader_name", "Giulia Bianchi").unwrap(),
        read_at: now - chrono::Duration::minutes(1),
    });
    for record in [&reply, &not_met, &read] {
        world.put_for(phone.caregiver_id, record).await;
    }

    let pulled = client.sync_once(&phone.diary).await.unwrap();
    assert_eq!(pulled.pulled, 3, "{pulled:?}");
    let detail = phone.diary.lock().unwrap().as_ref().unwrap().entry_detail(need).unwrap();
    assert_eq!(
        detail.thread.iter().map(|m| (m.from, Record::Message(m.message.clone()))).collect::<Vec<_>>(),
        [(Side::Agency, reply.clone())]
    );
    assert_eq!((detail.status, detail.status_history.len()), (NeedStatus::NotMet, 1));
    assert_eq!(
        detail.status_history[0].reason.as_ref().map(LongText::as_str),
        Some("No respite places before January.")
    );
    let receipts: Vec<Record> = detail.read_receipts.into_iter().map(Record::ReadReceipt).collect();
    assert_eq!(receipts, std::slice::from_ref(&read));

    let mine = {
        let mut slot = phone.diary.lock().unwrap();
        let input = MessageInput { entry_id: need.to_string(), body: "Saturday is fine, thank you".into() };
        slot.as_mut().unwrap().add_message(&input).unwrap()
    };
    client.sync_once(&phone.diary).await.unwrap();
    assert_eq!(world.record(mine.id).await, Some(Record::Message(mine)), "the reply is on the server");

    // The same device, as an app not yet updated would ask: everything but the read receipt.
    let (token, device_id) = {
        let slot = phone.diary.lock().unwrap();
        let link = slot.as_ref().unwrap().sync_link().unwrap();
        (link.token().to_owned(), link.device_id)
    };
    let pull_from_the_start = |protocol: u32| {
        let body =
            serde_json::json!({"protocol": protocol, "device_id": device_id, "cursor": 0, "pull_limit": 100});
        let request = reqwest::Client::new()
            .post(format!("{}/api/v1/sync", world.proxy.url()))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let answer: serde_json::Value = request.send().await.unwrap().json().await.unwrap();
            let ids: Vec<String> = answer["changes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| c["id"].as_str().unwrap_or_default().to_owned())
                .collect();
            (answer["protocol"].clone(), ids)
        }
    };
    let ids = |records: &[&Record]| records.iter().map(|r| r.id().to_string()).collect::<Vec<_>>();
    assert_eq!(pull_from_the_start(3).await, (serde_json::json!(3), ids(&[&reply, &not_met, &read])));
    assert_eq!(pull_from_the_start(2).await, (serde_json::json!(2), ids(&[&reply, &not_met])));
}
