//! The planted warning cases: each has the shape its rule needs, read back record by record
//! with `Store::record` (and `Store::device`), and in the whole population read back through
//! the feed, only the cases meant to fire do.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use convivio_core::entry::{Entry, EntryBody};
use convivio_core::need::NeedStatus;
use convivio_core::{Record, RecordId, Role};
use convivio_server::seed::{Case, SeedReport, WarningRule};
use convivio_server::storage::Store;
use uuid::Uuid;

use super::rules::{self, Records};
use super::{read, seeded};

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
                assert!(r.changes.iter().any(|c| c.status == NeedStatus::NotMet), "{what}");
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
