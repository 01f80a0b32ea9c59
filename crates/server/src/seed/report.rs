//! What `admin seed` made, for people (a short summary) and for scripts and the dashboard's
//! tests (`--json`): the counts, which the store's own `stats` must agree with, and each planted
//! warning case with the records that make it, so a test can check that a rule fires for the
//! cases that say `fires` and stays quiet for the near misses.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use convivio_core::{Record, RecordId, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::plan::CaregiverPlan;

/// The dashboard's early warnings, which the seed plants cases for: the dashboard's own rules.
pub use crate::storage::dashboard::warnings::Rule as WarningRule;

/// One planted case: a caregiver (or, for a service, several) whose records should make
/// `rule` fire (`fires`) or, as a near miss, stay quiet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub rule: WarningRule,
    pub fires: bool,
    /// What the case is, in a few words ("a high-urgency need recorded 3 days ago, still open").
    pub what: String,
    pub caregiver_id: Uuid,
    pub caregiver_name: String,
    /// The entries the rule looks at, oldest first.
    pub entry_ids: Vec<RecordId>,
    /// The need status changes and messages under those entries, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub record_ids: Vec<RecordId>,
    /// The device, for `silent_device`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<Uuid>,
    /// The catalogue service, for `recurring_factor` about a service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<RecordId>,
    /// The other caregivers whose entries the case spans (a service's case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_caregiver_ids: Vec<Uuid>,
}

/// How many of each thing the seed stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Every caregiver made, the cases' included.
    pub caregivers: u64,
    /// Of those, the ones made for the warning cases.
    pub case_caregivers: u64,
    pub devices: u64,
    pub revoked_devices: u64,
    /// Entries by kind code (`need`, `experience`, `trust`, `note`).
    pub entries: BTreeMap<String, u64>,
    pub staff_messages: u64,
    pub caregiver_messages: u64,
    pub status_changes: u64,
    pub profiles: u64,
    /// Consent records (a revocation is a later version of the same record).
    pub consents: u64,
    pub catalogue_items: u64,
}

impl Counts {
    pub fn entries_total(&self) -> u64 {
        self.entries.values().sum()
    }

    pub fn messages(&self) -> u64 {
        self.staff_messages + self.caregiver_messages
    }

    /// Adds what one caregiver's plan stores.
    pub(crate) fn add(&mut self, plan: &CaregiverPlan) {
        self.caregivers += 1;
        self.devices += plan.devices.len() as u64;
        self.revoked_devices += plan.devices.iter().filter(|d| d.revoked_at.is_some()).count() as u64;
        let mut consents = std::collections::BTreeSet::new();
        for record in plan.devices.iter().flat_map(|d| &d.records).chain(&plan.staff_records) {
            match record {
                Record::Entry(e) => *self.entries.entry(e.kind().code().to_owned()).or_default() += 1,
                Record::Message(m) if m.owner.role == Role::Caregiver => self.caregiver_messages += 1,
                Record::Message(_) => self.staff_messages += 1,
                Record::NeedStatusChange(_) => self.status_changes += 1,
                Record::Profile(_) => self.profiles += 1,
                Record::Consent(c) => {
                    consents.insert(c.id);
                }
                // The catalogue is counted apart; the seed writes no other kind (a wildcard, so a
                // kind added to core, such as a read receipt, needs no change here).
                _ => {}
            }
        }
        self.consents += consents.len() as u64;
    }
}

/// Everything `admin seed` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedReport {
    pub agency_id: Uuid,
    pub agency_name: String,
    /// The staff member who wrote the agency's side (`seed.operatrice`).
    pub staff_username: String,
    pub seed: u64,
    /// The "now" every date was made from: the cases hold as of this moment (an overdue need
    /// planted "3 days ago" stays overdue, a near miss "13 days ago" turns silent in a day).
    pub seeded_at: DateTime<Utc>,
    pub counts: Counts,
    pub cases: Vec<Case>,
}

impl SeedReport {
    /// The summary `admin seed` prints without `--json`.
    pub fn summary(&self) -> String {
        let c = &self.counts;
        let kinds: Vec<String> = self.counts.entries.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let firing = self.cases.iter().filter(|c| c.fires).count();
        format!(
            "seeded agency '{}' ({}) with seed {}\n\
             caregivers {} ({} for warning cases), devices {} ({} revoked)\n\
             entries {} ({})\n\
             messages {} (staff {}, caregivers {}), status changes {}, profiles {}, consents {}, catalogue items {}\n\
             warning cases {}: {} should fire, {} are near misses (see --json)",
            self.agency_name,
            self.agency_id,
            self.seed,
            c.caregivers,
            c.case_caregivers,
            c.devices,
            c.revoked_devices,
            c.entries_total(),
            kinds.join(", "),
            c.messages(),
            c.staff_messages,
            c.caregiver_messages,
            c.status_changes,
            c.profiles,
            c.consents,
            c.catalogue_items,
            self.cases.len(),
            firing,
            self.cases.len() - firing,
        )
    }
}
