//! `admin seed` on each backend: it stores what its report counts, through the store's own
//! checks; the same seed makes the same records; each planted warning case has the shape its
//! rule needs; and nothing else in the population fires a rule.

mod read;
mod rules;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use convivio_core::entry::{Entry, EntryBody};
use convivio_core::{Record, RecordId, Role, Sharing};
use convivio_server::error::StoreError;
use convivio_server::seed::{self, Case, Progress, SeedOptions, SeedReport, WarningRule};
use convivio_server::storage::Store;
use uuid::Uuid;

use rules::Records;

fn options(agency: &str, caregivers: u32, entries_per_caregiver: u32) -> SeedOptions {
    SeedOptions { agency: agency.to_owned(), caregivers, entries_per_caregiver, seed: 7 }
}

async fn seeded<S: Store>(store: &S, caregivers: u32, entries: u32, now: DateTime<Utc>) -> SeedReport {
    seed::seed(store, &options("Valle Verde", caregivers, entries), now, |_| {}).await.unwrap()
}

async fn record<S: Store>(store: &S, report: &SeedReport, id: RecordId) -> Record {
    store.record(report.agency_id, id).await.unwrap().unwrap_or_else(|| panic!("record {id} is not stored"))
}

async fn entries<S: Store>(store: &S, report: &SeedReport, case: &Case) -> Vec<Entry> {
    let mut entries = Vec::new();
    for id in &case.entry_ids {
        match record(store, report, *id).await {
            Record::Entry(e) => entries.push(e),
            other => panic!("{}: {id} is a {}, not an entry", case.what, other.kind()),
        }
    }
    entries
}

/// The case's entries and the records under them, as the store has them.
async fn case_records<S: Store>(store: &S, report: &SeedReport, case: &Case) -> Records {
    let mut records = Records::of(entries(store, report, case).await.into_iter().map(Record::Entry));
    for id in &case.record_ids {
        let more = Records::of([record(store, report, *id).await]);
        records.changes.extend(more.changes);
        records.messages.extend(more.messages);
    }
    records
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

pub async fn each_planted_case_has_the_shape_its_rule_needs<S: Store>(store: S) {
    let report = seeded(&store, 5, 20, Utc::now()).await;
    let at = report.seeded_at;
    for rule in [
        WarningRule::FallingTrust,
        WarningRule::OverdueNeed,
        WarningRule::RecurringFactor,
        WarningRule::UnansweredNotMet,
        WarningRule::SilentDevice,
    ] {
        let fires: BTreeSet<bool> = report.cases.iter().filter(|c| c.rule == rule).map(|c| c.fires).collect();
        assert_eq!(fires, BTreeSet::from([false, true]), "{rule:?}: cases that fire and near misses");
    }
    let mut caregivers = BTreeSet::new();
    for case in &report.cases {
        for id in std::iter::once(case.caregiver_id).chain(case.other_caregiver_ids.iter().copied()) {
            assert!(caregivers.insert(id), "{}: caregiver {id} is in another case too", case.what);
        }
        let r = case_records(&store, &report, case).await;
        let owners: BTreeSet<Uuid> = r.entries.iter().map(|e| e.owner.id).collect();
        let cast: BTreeSet<Uuid> =
            std::iter::once(case.caregiver_id).chain(case.other_caregiver_ids.iter().copied()).collect();
        assert!(owners.is_subset(&cast), "{}: entries of someone else", case.what);
        let what = &case.what;
        match case.rule {
            WarningRule::FallingTrust => {
                assert!(
                    r.entries.len() >= 3 && r.entries.iter().all(|e| matches!(e.body, EntryBody::Trust(_))),
                    "{what}"
                );
                assert_eq!(rules::falling_trust(&r), case.fires, "{what}");
            }
            WarningRule::OverdueNeed => {
                assert_eq!(r.entries.len(), 1, "{what}");
                assert_eq!(rules::overdue(&r, at) == [r.entries[0].id], case.fires, "{what}");
            }
            WarningRule::RecurringFactor => match case.service_id {
                Some(service) => {
                    assert_eq!(owners, cast, "{what}: one visit per caregiver");
                    for e in &r.entries {
                        assert!(
                            matches!(&e.body, EntryBody::Experience(x) if x.service_id == Some(service)),
                            "{what}"
                        );
                    }
                    let recurring = rules::recurring_about_services(&r.entries);
                    assert_eq!(recurring.iter().any(|(s, _)| *s == service), case.fires, "{what}");
                }
                None => assert_eq!(!rules::recurring_factors(&r).is_empty(), case.fires, "{what}"),
            },
            WarningRule::UnansweredNotMet => {
                assert_eq!(r.entries.len(), 1, "{what}");
                assert!(
                    r.changes.iter().any(|c| c.status == convivio_core::need::NeedStatus::NotMet),
                    "{what}"
                );
                assert_eq!(rules::unanswered_not_met(&r) == [r.entries[0].id], case.fires, "{what}");
                assert!(
                    r.messages.iter().any(|m| m.owner.role == Role::Staff),
                    "{what}: staff wrote at some point"
                );
            }
            WarningRule::SilentDevice => {
                let id = case.device_id.unwrap_or_else(|| panic!("{what}: no device"));
                let device = store.device(id).await.unwrap().unwrap();
                assert_eq!(device.caregiver_id, case.caregiver_id, "{what}");
                match rules::silent(device.revoked_at.is_some(), device.last_sync_at, at) {
                    Some(silent) => assert_eq!(silent, case.fires, "{what}"),
                    None => assert!(what.contains("never synced") && device.revoked_at.is_none(), "{what}"),
                }
            }
        }
    }
}

pub async fn only_the_planted_cases_fire_a_warning<S: Store>(store: S) {
    let report = seeded(&store, 20, 30, Utc::now()).await;
    let at = report.seeded_at;
    // Before reading back, which enrols a reader device per caregiver.
    let stats = store.stats().await.unwrap();
    let population = read::population(&store).await;
    let mut case_of: BTreeMap<Uuid, &Case> = BTreeMap::new();
    for case in &report.cases {
        for id in std::iter::once(case.caregiver_id).chain(case.other_caregiver_ids.iter().copied()) {
            case_of.insert(id, case);
        }
    }
    for (caregiver, records) in &population {
        let r = Records::of(records.iter().cloned());
        let mut fired = BTreeSet::new();
        if rules::falling_trust(&r) {
            fired.insert(WarningRule::FallingTrust);
        }
        if !rules::overdue(&r, at).is_empty() {
            fired.insert(WarningRule::OverdueNeed);
        }
        if !rules::recurring_factors(&r).is_empty() {
            fired.insert(WarningRule::RecurringFactor);
        }
        if !rules::unanswered_not_met(&r).is_empty() {
            fired.insert(WarningRule::UnansweredNotMet);
        }
        let case = case_of.get(caregiver);
        let expected: BTreeSet<WarningRule> = case
            .filter(|c| c.fires && c.service_id.is_none() && c.rule != WarningRule::SilentDevice)
            .map(|c| c.rule)
            .into_iter()
            .collect();
        assert_eq!(fired, expected, "caregiver {caregiver}: {}", case.map_or("random", |c| c.what.as_str()));
        if case.is_none() {
            assert_eq!(r.entries.len(), 30, "caregiver {caregiver}: every random caregiver has its entries");
        }
    }
    let services: BTreeSet<RecordId> =
        rules::recurring_about_services(population.values().flatten().filter_map(|r| match r {
            Record::Entry(e) => Some(e),
            _ => None,
        }))
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let planted: BTreeSet<RecordId> =
        report.cases.iter().filter(|c| c.fires).filter_map(|c| c.service_id).collect();
    assert_eq!(services, planted, "only the planted service recurs");

    let silent_cases = |fires: bool| -> BTreeSet<Uuid> {
        report
            .cases
            .iter()
            .filter(|c| c.rule == WarningRule::SilentDevice && c.fires == fires)
            .filter_map(|c| c.device_id)
            .collect()
    };
    let mut silent = BTreeSet::new();
    let mut never_synced = BTreeSet::new();
    for d in &stats.device_syncs {
        match rules::silent(d.revoked, d.last_sync_at, at) {
            Some(true) => {
                silent.insert(d.device_id);
            }
            Some(false) => {}
            None => {
                never_synced.insert(d.device_id);
            }
        }
    }
    let planted_never: BTreeSet<Uuid> = report
        .cases
        .iter()
        .filter(|c| c.rule == WarningRule::SilentDevice && c.what.contains("never synced"))
        .filter_map(|c| c.device_id)
        .collect();
    assert_eq!(never_synced, planted_never, "only the planted devices never synced");
    let firing: BTreeSet<Uuid> = silent_cases(true).difference(&planted_never).copied().collect();
    assert_eq!(silent, firing, "only the planted devices are silent");
    assert!(silent_cases(false).iter().all(|d| !silent.contains(d)));
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
                seeding_an_agency_twice_is_refused_and_changes_nothing,
                seeding_options_out_of_range_are_refused_naming_the_option,
            ];
            two: [the_same_seed_makes_the_same_records_in_two_fresh_databases]
        );)+
    };
}

seed_tests!(sqlite, postgres);
