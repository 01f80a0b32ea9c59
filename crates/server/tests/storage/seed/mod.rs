//! `admin seed` on each backend: it stores what its report counts, through the store's own
//! checks; the same seed makes the same records; each planted warning case has the shape its
//! rule needs and nothing else in the population fires a rule (`cases`).

mod cases;
mod dashboard;
mod read;
mod rules;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use convivio_core::{Record, Sharing};
use convivio_server::error::StoreError;
use convivio_server::seed::{self, Progress, SeedOptions, SeedReport};
use convivio_server::storage::Store;

pub use cases::*;

fn options(agency: &str, caregivers: u32, entries_per_caregiver: u32) -> SeedOptions {
    SeedOptions { agency: agency.to_owned(), caregivers, entries_per_caregiver, seed: 7 }
}

pub(super) async fn seeded<S: Store>(
    store: &S,
    caregivers: u32,
    entries: u32,
    now: DateTime<Utc>,
) -> SeedReport {
    seed::seed(store, &options("Valle Verde", caregivers, entries), now, |_| {}).await.unwrap()
}

pub async fn seeding_20_caregivers_by_30_entries_stores_what_the_report_counts<S: Store>(store: S) {
    let mut progress = Vec::new();
    let report =
        seed::seed(&store, &options("Valle Verde", 20, 30), Utc::now(), |p| progress.push(p)).await.unwrap();
    let counts = &report.counts;
    assert_eq!(counts.caregivers, 20 + counts.case_caregivers);
    for kind in ["need", "experience", "trust", "note"] {
        assert!(counts.entries.get(kind).is_some_and(|n| *n > 0), "no {kind} entries: {counts:?}");
    }
    let stats = store.stats().await.unwrap();
    assert_eq!((stats.agencies, stats.caregivers, stats.devices), (1, counts.caregivers, counts.devices));
    let expected: BTreeMap<String, u64> = [
        ("catalogue_item", counts.catalogue_items),
        ("consent", counts.consents),
        ("entry", counts.entries_total()),
        ("message", counts.messages()),
        ("need_status_change", counts.status_changes),
        ("profile", counts.profiles),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(stats.records_by_kind, expected);
    assert_eq!(stats.device_syncs.iter().filter(|d| d.revoked).count() as u64, counts.revoked_devices);
    assert!(counts.staff_messages > 0 && counts.caregiver_messages > 0 && counts.status_changes > 0);
    assert_eq!(progress.len(), 10, "every tenth: {progress:?}");
    assert!(progress.windows(2).all(|w| w[0].done < w[1].done));
    assert_eq!(progress.last(), Some(&Progress { done: 20, total: 20 }));
}

pub async fn the_same_seed_makes_the_same_records_in_two_fresh_databases<S: Store>(a: S, b: S) {
    let now = Utc::now();
    let (first, second) = (seeded(&a, 20, 30, now).await, seeded(&b, 20, 30, now).await);
    let (first_records, second_records) = (read::population(&a).await, read::population(&b).await);
    let (first_contents, second_contents) = (read::contents(&first_records), read::contents(&second_records));
    let entries = first_contents.values().filter(|r| r["record"] == "entry").count() as u64;
    assert_eq!(entries, first.counts.entries_total());
    assert_eq!(first_contents, second_contents, "same ids, same bodies, same versions");
    let ids =
        |r: &SeedReport| r.cases.iter().map(|c| (c.what.clone(), c.entry_ids.clone())).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&second));
    assert_eq!(first.counts, second.counts);
}

pub async fn every_seeded_record_passes_the_record_rules_and_lies_in_the_past<S: Store>(store: S) {
    let report = seeded(&store, 20, 30, Utc::now()).await;
    let population = read::population(&store).await;
    let all: Vec<&Record> = population.values().flatten().collect();
    let check_at = Utc::now();
    for record in &all {
        assert_eq!(record.validate(check_at), Ok(()), "{record:?}");
        assert!(record.version().wall_ms <= report.seeded_at.timestamp_millis() as u64, "{record:?}");
    }
    let count = |kind: &str| all.iter().filter(|r| r.kind().code() == kind).count() as u64;
    assert_eq!(count("entry"), report.counts.entries_total());
    assert_eq!(count("message"), report.counts.messages());
    assert_eq!(count("need_status_change"), report.counts.status_changes);
    let mut text = String::new();
    for record in &all {
        if let Record::Entry(e) = record {
            assert_ne!(e.sharing, Sharing::Private, "private entries never reach the server");
            assert!(e.recorded_at <= report.seeded_at && e.occurred_at.to_utc() <= report.seeded_at);
            text.extend(e.body.texts().into_iter().flat_map(|t| [t, " "]));
        }
    }
    assert!(["à", "è", "ü", "ä", "é"].iter().any(|c| text.contains(c)), "accents and umlauts");
    // Research sharing only while the caregiver's consent was current.
    for records in population.values() {
        let consent = records.iter().find_map(|r| match r {
            Record::Consent(c) => Some(c.clone()),
            _ => None,
        });
        for record in records {
            if let Record::Entry(e) = record
                && e.sharing == Sharing::Research
            {
                assert!(
                    consent.as_ref().is_some_and(|c| c.is_current(e.recorded_at)),
                    "{e:?} without consent"
                );
            }
        }
    }
}

pub async fn seeding_an_agency_twice_is_refused_and_changes_nothing<S: Store>(store: S) {
    seeded(&store, 2, 5, Utc::now()).await;
    let before = store.stats().await.unwrap();
    let again = seed::seed(&store, &options("Valle Verde", 2, 5), Utc::now(), |_| {}).await;
    assert!(matches!(&again, Err(StoreError::Conflict(m)) if m.contains("Valle Verde")), "{again:?}");
    assert_eq!(store.stats().await.unwrap(), before);
    // Another agency with the same seed in the same database: no record id is taken twice.
    let other = seed::seed(&store, &options("Val Bregaglia", 2, 5), Utc::now(), |_| {}).await.unwrap();
    assert_eq!(store.stats().await.unwrap().agencies, 2);
    assert!(other.counts.entries_total() > 0);
}

pub async fn seeding_options_out_of_range_are_refused_naming_the_option<S: Store>(store: S) {
    let too_many = seed::seed(&store, &options("Valle Verde", 100_001, 5), Utc::now(), |_| {}).await;
    assert!(matches!(&too_many, Err(StoreError::Invalid(i)) if i.field == "caregivers"), "{too_many:?}");
    let too_long = seed::seed(&store, &options("Valle Verde", 1, 10_001), Utc::now(), |_| {}).await;
    assert!(
        matches!(&too_long, Err(StoreError::Invalid(i)) if i.field == "entries_per_caregiver"),
        "{too_long:?}"
    );
    assert_eq!(store.stats().await.unwrap().agencies, 0, "nothing made");
}

/// One `#[tokio::test]` per behaviour and backend; `two` tests get two fresh databases.
pub use dashboard::*;

macro_rules! seed_tests {
    ($backend:ident; one: [$($one:ident),+ $(,)?]; two: [$($two:ident),+ $(,)?]) => {
        mod $backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $one() {
                    let db = crate::$backend::fresh().await;
                    super::$one(db.store()).await;
                }
            )+
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $two() {
                    let (a, b) = (crate::$backend::fresh().await, crate::$backend::fresh().await);
                    super::$two(a.store(), b.store()).await;
                }
            )+
        }
    };
    ($($backend:ident),+) => {
        $(seed_tests!($backend;
            one: [
                seeding_20_caregivers_by_30_entries_stores_what_the_report_counts,
                every_seeded_record_passes_the_record_rules_and_lies_in_the_past,
                each_planted_case_has_the_shape_its_rule_needs,
                only_the_planted_cases_fire_a_warning,
                the_dashboards_warnings_fire_for_exactly_the_planted_cases,
                seeding_an_agency_twice_is_refused_and_changes_nothing,
                seeding_options_out_of_range_are_refused_naming_the_option,
            ];
            two: [the_same_seed_makes_the_same_records_in_two_fresh_databases]
        );)+
    };
}

seed_tests!(sqlite, postgres);
