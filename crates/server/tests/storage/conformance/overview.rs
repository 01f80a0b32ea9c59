//! The agency overview's aggregates on every backend: months, polarities, subjects, categories
//! and statuses counted from the readable columns, and the waits in seconds.

use chrono::{Duration, Utc};
use convivio_core::need::NeedStatus;
use convivio_server::storage::dashboard::overview::{self, Period};
use convivio_server::storage::{StaffRole, Store};

use super::dashboard::{member, need, status, trust};
use crate::fixtures::{agency, batch, device, staff_message};

/// The last 400 days to a minute from now.
fn recent() -> Period {
    Period { from: Utc::now() - Duration::days(400), until: Utc::now() + Duration::minutes(1) }
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
    let tags = overview::tags(&store, agency.id, recent()).await.unwrap();
    let this = tags.by_month.iter().find(|t| t.month == month).expect("this month has tags");
    assert_eq!((this.co_destruction, this.co_creation), (2, 1), "{tags:?}");
    let mistakes = tags.factors.iter().find(|f| f.factor == "mistake").unwrap();
    assert!(mistakes.co_destruction && mistakes.count == 1, "{tags:?}");
    assert!(tags.factors.windows(2).all(|w| w[0].count >= w[1].count), "most frequent first: {tags:?}");

    let trust = overview::trust_by_month(&store, agency.id, recent()).await.unwrap();
    assert_eq!(trust.len(), 1, "one subject, one month: {trust:?}");
    assert_eq!((trust[0].label.as_str(), trust[0].mean, trust[0].ratings), ("Pasti a domicilio", 3.5, 2));

    let needs = overview::needs(&store, agency.id, recent()).await.unwrap();
    let count = |status: &str| needs.iter().filter(|n| n.status == status).map(|n| n.count).sum::<i64>();
    assert_eq!((count("met"), count("open")), (1, 1), "{needs:?}");
    assert!(needs.iter().all(|n| n.category == "transport"));

    let theirs = overview::tags(&store, other.id, recent()).await.unwrap();
    assert_eq!(theirs.by_month.iter().map(|t| t.co_destruction).sum::<i64>(), 1);
    // A period that ended before the entries holds none of them.
    let before = Period { from: Utc::now() - Duration::days(400), until: Utc::now() - Duration::days(2) };
    assert_eq!(overview::tags(&store, agency.id, before).await.unwrap(), overview::Tags::default());
    assert!(overview::needs(&store, agency.id, before).await.unwrap().is_empty());
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
