//! What the staff dashboard reads, on every backend: the readable columns behind the queue,
//! its filters and search, unread marks, the agency's side of a need, sessions, throttling and
//! the audit log.

use chrono::{Duration, Utc};
use convivio_core::entry::{Entry, EntryInput, EntryKind};
use convivio_core::factor::Factor;
use convivio_core::need::{NeedStatus, Urgency};
use convivio_core::need_status::NeedStatusChange;
use convivio_core::text::LongText;
use convivio_core::{Owner, Record, RecordId};
use convivio_server::storage::dashboard::audit::{self, Action, Line};
use convivio_server::storage::dashboard::queue::{self, Filter};
use convivio_server::storage::dashboard::settings::Settings;
use convivio_server::storage::dashboard::throttle::{self, Limit};
use convivio_server::storage::dashboard::{accounts, sessions};
use convivio_server::storage::{StaffRole, Store};
use uuid::Uuid;

use crate::fixtures::{agency, batch, device, tombstone, v};

/// An entry made from edge input, recorded `minutes_ago`.
pub(super) fn entry(input: EntryInput, minutes_ago: i64, wall: u64) -> Record {
    let draft = input.parse(Utc::now().fixed_offset()).unwrap();
    Record::Entry(Entry::create(
        RecordId::new(),
        v(wall),
        Owner::caregiver(Uuid::nil()),
        Utc::now() - Duration::minutes(minutes_ago),
        draft,
    ))
}

pub(super) fn need(text: &str, urgency: &str, minutes_ago: i64, wall: u64) -> Record {
    entry(
        EntryInput {
            kind: "need".into(),
            sharing: Some("agency".into()),
            category: Some("transport".into()),
            urgency: Some(urgency.into()),
            text: Some(text.into()),
            ..EntryInput::default()
        },
        minutes_ago,
        wall,
    )
}

pub(super) fn trust(score: i64, factors: &[&str], minutes_ago: i64, wall: u64) -> Record {
    entry(
        EntryInput {
            kind: "trust".into(),
            sharing: Some("research".into()),
            target: Some("service".into()),
            target_name: Some("Pasti a domicilio".into()),
            score: Some(score.into()),
            reason: Some("Sono arrivati tardi".into()),
            factors: factors.iter().map(|f| (*f).to_owned()).collect(),
            ..EntryInput::default()
        },
        minutes_ago,
        wall,
    )
}

fn note(text: &str, minutes_ago: i64, wall: u64) -> Record {
    entry(
        EntryInput {
            kind: "note".into(),
            sharing: Some("agency".into()),
            text: Some(text.into()),
            ..EntryInput::default()
        },
        minutes_ago,
        wall,
    )
}

pub(super) fn status(staff: Uuid, entry: RecordId, status: NeedStatus, wall: u64) -> Record {
    Record::NeedStatusChange(NeedStatusChange {
        id: RecordId::new(),
        version: v(wall),
        owner: Owner::staff(staff),
        entry_id: entry,
        status,
        reason: (status == NeedStatus::NotMet)
            .then(|| LongText::parse("reason", "Nessun autista libero").unwrap()),
        changed_at: Utc::now(),
    })
}

/// A staff member of `agency` with a fresh username.
pub(super) async fn member<S: Store>(
    store: &S,
    agency: Uuid,
    role: StaffRole,
) -> convivio_server::storage::Staff {
    store.create_staff(agency, &format!("m{}", Uuid::now_v7()), "$argon2id$x", role).await.unwrap()
}

async fn page<S: Store>(store: &S, agency: Uuid, staff: Uuid, filter: Filter) -> Vec<RecordId> {
    let page = queue::page(
        store,
        queue::Scope { agency_id: agency, staff_id: staff },
        &filter,
        &Settings::default(),
        None,
        50,
        Utc::now(),
    )
    .await
    .unwrap();
    page.items.iter().map(|i| i.entry.id).collect()
}

pub async fn the_queue_filters_and_searches_by_readable_columns<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let staff = member(&store, agency.id, StaffRole::Staff).await;
    let phone = device(&store, &caregiver).await;
    let city = need("Visita in città giovedì", "high", 30, 10);
    let late = trust(2, &["mistake", "absence_of_information"], 20, 11);
    let day = note("Giornata tranquilla, passeggiata al lago", 10, 12);
    store
        .apply_batch(&phone, &batch(1, &[city.clone(), late.clone(), day.clone()]), Utc::now())
        .await
        .unwrap();

    let all = page(&store, agency.id, staff.id, Filter::default()).await;
    assert_eq!(all, vec![day.id(), late.id(), city.id()], "newest first");
    let needs =
        page(&store, agency.id, staff.id, Filter { kind: Some(EntryKind::Need), ..Filter::default() }).await;
    assert_eq!(needs, vec![city.id()]);
    let mistakes =
        page(&store, agency.id, staff.id, Filter { factor: Some(Factor::Mistake), ..Filter::default() })
            .await;
    assert_eq!(mistakes, vec![late.id()]);
    let urgent =
        page(&store, agency.id, staff.id, Filter { urgency: Some(Urgency::High), ..Filter::default() }).await;
    assert_eq!(urgent, vec![city.id()]);
    let open =
        page(&store, agency.id, staff.id, Filter { status: Some(NeedStatus::Open), ..Filter::default() })
            .await;
    assert_eq!(open, vec![city.id()], "a need arrives open");
    for words in ["citta", "CITTÀ", "citt", "trasporto", "transport giovedi"] {
        let found =
            page(&store, agency.id, staff.id, Filter { text: Some(words.into()), ..Filter::default() }).await;
        assert_eq!(found, vec![city.id()], "searching {words:?}");
    }
    let none =
        page(&store, agency.id, staff.id, Filter { text: Some("città lago".into()), ..Filter::default() })
            .await;
    assert!(none.is_empty(), "every word must match: {none:?}");
    let operators = page(
        &store,
        agency.id,
        staff.id,
        Filter { text: Some("\"OR\" NEAR( lago*".into()), ..Filter::default() },
    )
    .await;
    assert!(operators.is_empty(), "search syntax in the box is taken as words: {operators:?}");

    let first = queue::page(
        &store,
        queue::Scope { agency_id: agency.id, staff_id: staff.id },
        &Filter::default(),
        &Settings::default(),
        None,
        2,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(first.items.len(), 2);
    let rest = queue::page(
        &store,
        queue::Scope { agency_id: agency.id, staff_id: staff.id },
        &Filter::default(),
        &Settings::default(),
        first.next,
        2,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(rest.items.iter().map(|i| i.entry.id).collect::<Vec<_>>(), vec![city.id()]);
    assert!(rest.next.is_none());

    let (other, _) = crate::fixtures::agency(&store).await;
    assert!(page(&store, other.id, staff.id, Filter::default()).await.is_empty(), "scoped to the agency");
}

pub async fn the_agencys_side_of_a_need_survives_the_caregivers_edits<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let staff = member(&store, agency.id, StaffRole::Staff).await;
    let phone = device(&store, &caregiver).await;
    let asked = need("Serve un passaggio per la dialisi", "medium", 60, 10);
    store.apply_batch(&phone, &batch(1, std::slice::from_ref(&asked)), Utc::now()).await.unwrap();
    store
        .put_agency_record(
            agency.id,
            Some(caregiver.id),
            &status(staff.id, asked.id(), NeedStatus::InProgress, 20),
            Utc::now(),
        )
        .await
        .unwrap();
    let Record::Entry(mut edited) = asked.clone() else { unreachable!() };
    edited.version = v(30);
    store.apply_batch(&phone, &batch(2, &[Record::Entry(edited)]), Utc::now()).await.unwrap();
    let item = convivio_server::storage::dashboard::entries::get(
        &store,
        agency.id,
        staff.id,
        asked.id(),
        &Settings::default(),
        Utc::now(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(item.need.unwrap().status, NeedStatus::InProgress, "the caregiver's edit does not reopen it");
    let in_progress = page(
        &store,
        agency.id,
        staff.id,
        Filter { status: Some(NeedStatus::InProgress), ..Filter::default() },
    )
    .await;
    assert_eq!(in_progress, vec![asked.id()]);

    store.apply_batch(&phone, &batch(3, &[tombstone(asked.id(), v(40))]), Utc::now()).await.unwrap();
    assert!(
        page(&store, agency.id, staff.id, Filter::default()).await.is_empty(),
        "a deleted entry leaves the queue"
    );
    let found =
        page(&store, agency.id, staff.id, Filter { text: Some("dialisi".into()), ..Filter::default() }).await;
    assert!(found.is_empty(), "and the search index");
}

pub async fn an_overdue_need_is_one_past_its_reply_date_and_not_in_progress<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let staff = member(&store, agency.id, StaffRole::Staff).await;
    let phone = device(&store, &caregiver).await;
    let late = need("Urgente", "high", 60 * 30, 10);
    let fresh = need("Quando potete", "low", 60 * 30, 11);
    let handled = need("Anche urgente", "high", 60 * 30, 12);
    store
        .apply_batch(&phone, &batch(1, &[late.clone(), fresh.clone(), handled.clone()]), Utc::now())
        .await
        .unwrap();
    store
        .put_agency_record(
            agency.id,
            Some(caregiver.id),
            &status(staff.id, handled.id(), NeedStatus::InProgress, 20),
            Utc::now(),
        )
        .await
        .unwrap();
    let overdue = page(&store, agency.id, staff.id, Filter { overdue_only: true, ..Filter::default() }).await;
    assert_eq!(overdue, vec![late.id()], "high urgency is due after 24 h, low after a week");
}

pub async fn an_entry_is_unread_until_each_member_marks_it<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let anna = member(&store, agency.id, StaffRole::Staff).await;
    let bruno = member(&store, agency.id, StaffRole::Admin).await;
    let phone = device(&store, &caregiver).await;
    let one = note("uno", 2, 10);
    let two = note("due", 1, 11);
    store.apply_batch(&phone, &batch(1, &[one.clone(), two.clone()]), Utc::now()).await.unwrap();
    let first = queue::mark_read(&store, agency.id, anna.id, &[one.id()], Utc::now()).await.unwrap();
    assert_eq!(first, vec![one.id()]);
    let again =
        queue::mark_read(&store, agency.id, anna.id, &[one.id(), two.id()], Utc::now()).await.unwrap();
    assert_eq!(again, vec![two.id()], "only the first reading counts");
    let unread_anna =
        page(&store, agency.id, anna.id, Filter { unread_only: true, ..Filter::default() }).await;
    assert!(unread_anna.is_empty());
    let unread_bruno =
        page(&store, agency.id, bruno.id, Filter { unread_only: true, ..Filter::default() }).await;
    assert_eq!(unread_bruno.len(), 2, "unread is per member");
    let (other, _) = crate::fixtures::agency(&store).await;
    let foreign = queue::mark_read(&store, other.id, anna.id, &[one.id()], Utc::now()).await.unwrap();
    assert!(foreign.is_empty(), "another agency cannot mark them");
}

pub async fn rows_written_before_the_readable_columns_are_filled_in_at_start<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let staff = member(&store, agency.id, StaffRole::Staff).await;
    let phone = device(&store, &caregiver).await;
    let old = need("Vecchia richiesta in città", "low", 5, 10);
    store.apply_batch(&phone, &batch(1, std::slice::from_ref(&old)), Utc::now()).await.unwrap();
    // As a row of an older server: no readable columns, no factors, no words.
    let mut wipe = store
        .sql("UPDATE records SET entry_kind = NULL, urgency = NULL, columns_version = 0 WHERE agency_id = ");
    wipe.bind(agency.id).push(" RETURNING id");
    store.query(wipe).await.unwrap();
    assert!(page(&store, agency.id, staff.id, Filter::default()).await.is_empty());
    store.migrate().await.unwrap();
    let found = page(
        &store,
        agency.id,
        staff.id,
        Filter { urgency: Some(Urgency::Low), text: Some("citta".into()), ..Filter::default() },
    )
    .await;
    assert_eq!(found, vec![old.id()]);
}

pub async fn sessions_end_and_throttling_locks_after_the_limit<S: Store>(store: S) {
    let (agency, _) = agency(&store).await;
    let name = format!("s{}", Uuid::now_v7());
    let staff = store.create_staff(agency.id, &name, "$argon2id$x", StaffRole::Staff).await.unwrap();
    let member = accounts::by_username(&store, &name).await.unwrap().unwrap();
    assert_eq!(
        (member.id, member.display_name.as_str(), member.role),
        (staff.id, name.as_str(), StaffRole::Staff)
    );
    let now = Utc::now();
    let visitor = sessions::NewSession {
        id_hash: "visitor",
        staff_id: None,
        csrf_token: "c1",
        now,
        expires_at: now + Duration::hours(1),
    };
    sessions::create(&store, visitor, None).await.unwrap();
    let signed = sessions::NewSession {
        id_hash: "signed",
        staff_id: Some(staff.id),
        csrf_token: "c2",
        now,
        expires_at: now + Duration::hours(1),
    };
    sessions::create(&store, signed, Some("visitor")).await.unwrap();
    assert!(
        sessions::get(&store, "visitor").await.unwrap().is_none(),
        "signing in ends the visitor's session"
    );
    let session = sessions::get(&store, "signed").await.unwrap().unwrap();
    assert_eq!(session.member.unwrap().id, staff.id);
    let disabled = accounts::Change { disabled: Some(true), ..accounts::Change::default() };
    assert!(accounts::update(&store, agency.id, staff.id, &disabled, now).await.unwrap());
    assert!(sessions::get(&store, "signed").await.unwrap().is_none(), "disabling ends the member's sessions");

    let limit = Limit { failures: 5, window: Duration::seconds(60), lockout: Duration::minutes(15) };
    let key = format!("user:{name}");
    for i in 1..5 {
        assert_eq!(throttle::fail(&store, &key, limit, now).await.unwrap(), None, "failure {i}");
    }
    let until = throttle::fail(&store, &key, limit, now).await.unwrap().expect("the fifth failure locks");
    assert!(until > now + Duration::minutes(14));
    assert!(throttle::locked_until(&store, &key, now + Duration::minutes(1)).await.unwrap().is_some());
    assert!(throttle::locked_until(&store, &key, now + Duration::minutes(16)).await.unwrap().is_none());
    let later = now + Duration::minutes(20);
    assert_eq!(
        throttle::fail(&store, &key, limit, later).await.unwrap(),
        None,
        "a new window starts counting again"
    );
}

pub async fn the_audit_log_only_grows<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let mut line = Line::new(Some(agency.id), None, "anna", Action::EntryRead);
    line.caregiver_id = Some(caregiver.id);
    audit::append(&store, &line, Utc::now()).await.unwrap();
    let lines = audit::list(&store, agency.id, &audit::Filter::default(), 10).await.unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (lines[0].action.as_str(), lines[0].caregiver_name.as_deref()),
        ("entry_read", Some("Maria R."))
    );
    let mut change = store.sql("UPDATE audit_log SET actor = 'someone else' RETURNING id");
    change.push("");
    assert!(store.query(change).await.is_err(), "an update is refused");
    assert!(
        store.query(store.sql("DELETE FROM audit_log RETURNING id")).await.is_err(),
        "a delete is refused"
    );
    assert_eq!(audit::list(&store, agency.id, &audit::Filter::default(), 10).await.unwrap().len(), 1);
}
