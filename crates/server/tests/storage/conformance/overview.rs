//! The agency overview's aggregates on every backend: months, polarities, subjects, categories
//! and statuses, kept by the database's triggers as records change and equal at every step to a
//! fresh count of the readable columns; and the waits in seconds.

use chrono::{Duration, Utc};
use convivio_core::entry::{Entry, EntryInput};
use convivio_core::need::NeedStatus;
use convivio_core::{Owner, Record, RecordId};
use convivio_server::storage::dashboard::overview::{self, Month, Period};
use convivio_server::storage::sql::Dialect;
use convivio_server::storage::{StaffRole, Store};
use uuid::Uuid;

use super::dashboard::{member, need, status, trust};
use crate::fixtures::{agency, batch, device, staff_message, tombstone, v};

fn this_month() -> Month {
    Month::of(Utc::now().date_naive())
}

/// This month and the thirteen before it.
fn recent() -> Period {
    Period { first: Month(this_month().0 - 13), last: this_month() }
}

pub async fn the_overview_counts_by_month_category_and_outcome<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let (other, their_caregiver) = crate::fixtures::agency(&store).await;
    let staff = member(&store, agency.id, StaffRole::Staff).await;
    let phone = device(&store, &caregiver).await;
    let ride = need("Serve un passaggio", "high", 60, 10);
    let again = need("Un altro passaggio", "low", 50, 11);
    let late = trust(2, &["mistake", "absence_of_information"], 40, 12);
    let kind = trust(5, &["on_time"], 30, 13);
    store
        .apply_batch(
            &phone,
            &batch(1, &[ride.clone(), again.clone(), late.clone(), kind.clone()]),
            Utc::now(),
        )
        .await
        .unwrap();
    store
        .put_agency_record(
            agency.id,
            Some(caregiver.id),
            &status(staff.id, ride.id(), NeedStatus::Met, 20),
            Utc::now(),
        )
        .await
        .unwrap();
    // Another agency's entries count only for it.
    let theirs = device(&store, &their_caregiver).await;
    store.apply_batch(&theirs, &batch(1, &[trust(1, &["mistake"], 10, 14)]), Utc::now()).await.unwrap();

    let month = Utc::now().format("%Y-%m").to_string();
    let overview::Counts { tags, trust, needs } =
        overview::counts(&store, agency.id, recent()).await.unwrap();
    let this = tags.by_month.iter().find(|t| t.month == month).expect("this month has tags");
    assert_eq!((this.co_destruction, this.co_creation), (2, 1), "{tags:?}");
    let mistakes = tags.factors.iter().find(|f| f.factor == "mistake").unwrap();
    assert!(mistakes.co_destruction && mistakes.count == 1, "{tags:?}");
    assert!(tags.factors.windows(2).all(|w| w[0].count >= w[1].count), "most frequent first: {tags:?}");

    assert_eq!(trust.len(), 1, "one subject, one month: {trust:?}");
    assert_eq!((trust[0].label.as_str(), trust[0].mean, trust[0].ratings), ("Pasti a domicilio", 3.5, 2));

    let count = |status: &str| needs.iter().filter(|n| n.status == status).map(|n| n.count).sum::<i64>();
    assert_eq!((count("met"), count("open")), (1, 1), "{needs:?}");
    assert!(needs.iter().all(|n| n.category == "transport"));

    let theirs = overview::counts(&store, other.id, recent()).await.unwrap();
    assert_eq!(theirs.tags.by_month.iter().map(|t| t.co_destruction).sum::<i64>(), 1);
    // A period that ended before the entries holds none of them.
    let before = Period { first: Month(this_month().0 - 13), last: Month(this_month().0 - 1) };
    assert_eq!(overview::counts(&store, agency.id, before).await.unwrap(), overview::Counts::default());
}

/// One count: measure, month, two keys, n and total.
type Count = (String, String, String, String, i64, i64);

async fn rows<S: Store>(store: &S, sql: convivio_server::storage::sql::Sql) -> Vec<Count> {
    let mut rows: Vec<Count> = store
        .query(sql)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.text(0).unwrap(),
                r.text(1).unwrap(),
                r.text(2).unwrap(),
                r.text(3).unwrap(),
                r.int(4).unwrap(),
                r.int(5).unwrap(),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// What the agency's counts hold, months and keys whose count fell to nothing left out.
async fn kept<S: Store>(store: &S, agency: Uuid) -> Vec<Count> {
    let mut sql = store.sql("SELECT measure, month, key1, key2, CAST(sum(n) AS BIGINT), CAST(sum(total) AS BIGINT) FROM (SELECT * FROM overview_counts WHERE agency_id = ");
    sql.bind(agency);
    if store.dialect() == Dialect::Postgres {
        sql.and(" UNION ALL SELECT * FROM overview_deltas WHERE agency_id = ", agency);
    }
    sql.push(") c GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0");
    rows(store, sql).await
}

/// On PostgreSQL, the agency's deltas no stamper has folded into its counts yet (none on SQLite,
/// whose triggers count in place).
async fn unfolded<S: Store>(store: &S, agency: Uuid) -> i64 {
    if store.dialect() == Dialect::Sqlite {
        return 0;
    }
    let mut sql = store.sql("SELECT count(*) FROM overview_deltas WHERE agency_id = ");
    sql.bind(agency);
    store.query(sql).await.unwrap()[0].int(0).unwrap()
}

/// The same counted afresh from the readable columns, as the overview once read them.
async fn counted<S: Store>(store: &S, agency: Uuid) -> Vec<Count> {
    let mut sql = store.sql("SELECT 'tag', ");
    sql.month("occurred_at")
        .push(", factor, CASE WHEN co_destruction THEN 'co_destruction' ELSE 'co_creation' END, ")
        .push("CAST(count(*) AS BIGINT), CAST(0 AS BIGINT) FROM record_factors WHERE agency_id = ")
        .bind(agency)
        .push(" GROUP BY 1, 2, 3, 4 UNION ALL SELECT 'trust', ");
    sql.month("occurred_at")
        .push(", coalesce(subject, ''), coalesce(subject_label, ''), CAST(count(*) AS BIGINT), ")
        .push("CAST(sum(score) AS BIGINT) FROM records WHERE entry_kind = 'trust' AND score IS NOT NULL")
        .and(" AND agency_id = ", agency)
        .push(" GROUP BY 1, 2, 3, 4 UNION ALL SELECT 'need', ");
    sql.month("recorded_at")
        .push(", coalesce(need_category, ''), coalesce(need_status, 'open'), CAST(count(*) AS BIGINT), ")
        .push("CAST(0 AS BIGINT) FROM records WHERE entry_kind = 'need'")
        .and(" AND agency_id = ", agency)
        .push(" GROUP BY 1, 2, 3, 4");
    rows(store, sql).await
}

/// A version of an entry from edge input: `id`'s next version, or a new entry.
fn version(id: RecordId, input: EntryInput, wall: u64) -> Record {
    let draft = input.parse(Utc::now().fixed_offset()).unwrap();
    Record::Entry(Entry::create(id, v(wall), Owner::caregiver(Uuid::nil()), Utc::now(), draft))
}

fn rating(score: i64, name: &str, occurred: chrono::DateTime<Utc>, factors: &[&str]) -> EntryInput {
    EntryInput {
        kind: "trust".into(),
        sharing: Some("research".into()),
        occurred_at: Some(occurred.to_rfc3339()),
        target: Some("service".into()),
        target_name: Some(name.into()),
        score: Some(score.into()),
        reason: Some("Com'è andata".into()),
        factors: factors.iter().map(|f| (*f).to_owned()).collect(),
        ..EntryInput::default()
    }
}

fn asking(category: &str) -> EntryInput {
    EntryInput {
        kind: "need".into(),
        sharing: Some("agency".into()),
        category: Some(category.into()),
        urgency: Some("medium".into()),
        text: Some("Serve aiuto".into()),
        ..EntryInput::default()
    }
}

pub async fn the_overview_counts_follow_every_change_to_the_records<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let staff = member(&store, agency.id, StaffRole::Staff).await;
    let phone = device(&store, &caregiver).await;
    let (ride, meals, late, kind) = (RecordId::new(), RecordId::new(), RecordId::new(), RecordId::new());
    let weeks_ago = Utc::now() - Duration::days(45);
    let step = async |what: &str| {
        let (kept, counted) = (kept(&store, agency.id).await, counted(&store, agency.id).await);
        assert_eq!(kept, counted, "{what}: the kept counts are a fresh count");
        counted.len()
    };
    store
        .apply_batch(
            &phone,
            &batch(
                1,
                &[
                    version(ride, asking("transport"), 10),
                    version(meals, asking("respite"), 11),
                    version(late, rating(2, "Pasti a domicilio", Utc::now(), &["mistake", "on_time"]), 12),
                    version(kind, rating(5, "Pasti a Domicilio", weeks_ago, &["on_time"]), 13),
                ],
            ),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(step("new entries").await, 2 + 2 + 3, "needs, ratings and tags, each a count of its own");
    assert_eq!(unfolded(&store, agency.id).await, 0, "the batch's stamper folded its deltas");

    // Edits: another category, another score, label, month and factors.
    store
        .apply_batch(
            &phone,
            &batch(
                5,
                &[
                    version(ride, asking("health"), 20),
                    version(late, rating(3, "Pasti a domicilio", weeks_ago, &["absence_of_information"]), 21),
                ],
            ),
            Utc::now(),
        )
        .await
        .unwrap();
    step("edits").await;
    // The same version again changes nothing.
    store.apply_batch(&phone, &batch(7, &[version(ride, asking("health"), 20)]), Utc::now()).await.unwrap();
    step("a duplicate").await;

    for (wall, to) in [(30, NeedStatus::InProgress), (31, NeedStatus::Met)] {
        store
            .put_agency_record(agency.id, Some(caregiver.id), &status(staff.id, ride, to, wall), Utc::now())
            .await
            .unwrap();
    }
    step("status changes").await;
    assert_eq!(unfolded(&store, agency.id).await, 0, "an agency write folds as it stamps");
    let counts = overview::counts(&store, agency.id, recent()).await.unwrap();
    assert!(
        counts
            .needs
            .iter()
            .any(|n| (n.category.as_str(), n.status.as_str(), n.count) == ("health", "met", 1))
    );
    let meals_month = counts.trust.iter().find(|t| t.month == Month::of(weeks_ago.date_naive()).label());
    assert_eq!(meals_month.map(|t| (t.mean, t.ratings)), Some((4.0, 2)), "{counts:?}");

    // Deleted entries leave every count.
    store
        .apply_batch(&phone, &batch(8, &[tombstone(meals, v(40)), tombstone(kind, v(41))]), Utc::now())
        .await
        .unwrap();
    step("tombstones").await;
    let mut delete = store.sql("DELETE FROM records WHERE id = ");
    delete.bind(*late.as_uuid()).push(" RETURNING id");
    store.query(delete).await.unwrap();
    step("a deleted row").await;

    // Rows of an older server, filled in at start.
    store
        .apply_batch(&phone, &batch(10, &[version(RecordId::new(), asking("respite"), 50)]), Utc::now())
        .await
        .unwrap();
    let mut wipe = store.sql("UPDATE records SET entry_kind = NULL, columns_version = 0 WHERE agency_id = ");
    wipe.bind(agency.id).push(" RETURNING id");
    store.query(wipe).await.unwrap();
    step("wiped columns").await;
    store.migrate().await.unwrap();
    step("filled in again").await;
    let filled = overview::counts(&store, agency.id, recent()).await.unwrap();
    assert_eq!(filled.needs.iter().map(|n| n.count).sum::<i64>(), 2, "{filled:?}");
}

pub async fn the_overview_measures_waits_from_recording_to_first_reply_and_to_the_end<S: Store>(store: S) {
    let (agency, caregiver) = agency(&store).await;
    let staff = member(&store, agency.id, StaffRole::Staff).await;
    let phone = device(&store, &caregiver).await;
    // Recorded two hours ago: answered now, and marked met now.
    let answered = need("Serve un passaggio", "high", 120, 10);
    let waiting = need("Nessuna risposta", "high", 60, 11);
    store.apply_batch(&phone, &batch(1, &[answered.clone(), waiting.clone()]), Utc::now()).await.unwrap();
    store
        .put_agency_record(
            agency.id,
            Some(caregiver.id),
            &staff_message(staff.id, answered.id(), "Arriviamo"),
            Utc::now(),
        )
        .await
        .unwrap();
    store
        .put_agency_record(
            agency.id,
            Some(caregiver.id),
            &status(staff.id, answered.id(), NeedStatus::Met, 20),
            Utc::now(),
        )
        .await
        .unwrap();
    let waits = overview::waits(&store, agency.id, recent()).await.unwrap();
    assert_eq!(waits.len(), 1, "a need with neither reply nor end has no wait yet: {waits:?}");
    let near_two_hours = |s: Option<i64>| s.is_some_and(|s| (7_100..=7_300).contains(&s));
    assert!(near_two_hours(waits[0].first_reply) && near_two_hours(waits[0].resolution), "{waits:?}");
}
