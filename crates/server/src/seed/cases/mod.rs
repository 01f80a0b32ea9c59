//! The planted early-warning cases: for each rule of the staff dashboard, a few caregivers whose
//! records make it fire and, beside each, a near miss that must not. Every case has caregivers
//! of its own, with nothing else that could fire any rule (one device synced within the hour, a
//! profile, consent, three plain notes), so a test can say "fires for these, quiet for those".
//!
//! The rules, with the defaults the agency settings start from:
//! 1. `falling_trust`: of one caregiver's trust entries about one subject (the agency, the
//!    research team, or a service or professional by name, case-insensitive), ordered by
//!    `occurred_at`, the last 3 scores: first minus last >= 2.
//! 2. `overdue_need`: a need whose current status is open or acknowledged and whose expected
//!    reply date has passed: `recorded_at` + 1 day (high urgency), 3 days (medium), 7 (low).
//! 3. `recurring_factor`: one co-destruction factor 3 or more times within 30 days, from one
//!    caregiver, or about one catalogue service (experiences naming it, across caregivers).
//! 4. `unanswered_not_met`: a need whose current status is not met, with no staff message under
//!    it after that change.
//! 5. `silent_device`: a device not revoked whose last sync (or enrolment, if it never synced)
//!    is more than 14 days ago.
//!
//! Cases are dated relative to the seed's "now", within the last 30 days where a window is
//! involved, so "within 30 days" reads the same whether the dashboard counts back from today or
//! looks for any 30-day window.

mod devices;
mod factors;
mod needs;
mod trust;

use chrono::{DateTime, Duration, Utc};
use convivio_core::entry::{EntryBody, Note};
use convivio_core::factor::Factor;
use convivio_core::{Invalid, RecordId, Sharing};
use rand::rngs::StdRng;

use super::clock::{between, local};
use super::people::{self, Person};
use super::pick::phrase;
use super::plan::{Builder, CaregiverPlan, World, long};
use super::report::{Case, WarningRule};
use super::words::Bank;
use crate::storage::Caregiver;

/// The caregivers a case is planted on, with who they are.
pub(crate) type Cast = [(Caregiver, Person)];

/// A planted case: its caregivers' plans, and the case as the report tells it, whose
/// `device_id` is filled in once the store has made the device (`device` names it: which plan,
/// which of its devices).
#[derive(Debug)]
pub(crate) struct Planted {
    pub plans: Vec<CaregiverPlan>,
    pub case: Case,
    pub device: Option<(usize, usize)>,
}

/// Plants one case on its cast.
type Plant = fn(&Spec, &mut StdRng, &World, &Cast) -> Result<Planted, Invalid>;

/// One case to plant.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    pub rule: WarningRule,
    pub fires: bool,
    pub what: &'static str,
    /// How many caregivers of its own it needs.
    pub caregivers: usize,
    plant: Plant,
}

const fn spec(rule: WarningRule, fires: bool, what: &'static str, caregivers: usize, plant: Plant) -> Spec {
    Spec { rule, fires, what, caregivers, plant }
}

/// Every case, in the order the report lists them (each rule has cases that fire and near
/// misses: `tests/storage/seed` checks it).
pub(crate) fn all() -> Vec<Spec> {
    let mut all = trust::SPECS.to_vec();
    all.extend(needs::SPECS);
    all.extend(factors::SPECS);
    all.extend(devices::SPECS);
    all
}

/// The (service, factor) pairs the cases use, which the random part must never tag.
pub(crate) fn reserved(world: &World) -> Vec<(RecordId, Factor)> {
    factors::reserved(world)
}

impl Spec {
    pub(crate) fn plant(&self, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
        (self.plant)(self, rng, world, cast)
    }

    /// The case as the report tells it, for `cast[0]`.
    pub(super) fn case(&self, cast: &Cast, entry_ids: Vec<RecordId>, record_ids: Vec<RecordId>) -> Case {
        Case {
            rule: self.rule,
            fires: self.fires,
            what: self.what.to_owned(),
            caregiver_id: cast[0].0.id,
            caregiver_name: cast[0].0.display_name.clone(),
            entry_ids,
            record_ids,
            device_id: None,
            service_id: None,
            other_caregiver_ids: cast[1..].iter().map(|(c, _)| c.id).collect(),
        }
    }
}

/// `days` (and a few minutes) before the seed's now.
pub(super) fn ago(world: &World, days: i64) -> DateTime<Utc> {
    world.now - Duration::days(days) - Duration::minutes(7)
}

/// A case caregiver's quiet life on one device (enrolled five months ago, last synced at
/// `synced`): a profile, consent, three plain notes before `synced`. Returns the builder and
/// the device.
pub(super) fn ordinary<'w>(
    rng: &mut StdRng,
    world: &'w World,
    who: &(Caregiver, Person),
    synced: DateTime<Utc>,
) -> Result<(Builder<'w>, usize), Invalid> {
    let (caregiver, person) = who;
    let mut b = Builder::new(world, caregiver.clone(), person.first_name);
    let enrolled = world.now - Duration::days(150);
    let device = b.device(rng, enrolled, Some(synced), None);
    let profile = people::profile(rng, person)?;
    b.profile(rng, device, enrolled + Duration::minutes(5), profile);
    b.consent(rng, device, enrolled + Duration::minutes(9), None)?;
    let bank = Bank::of(person.lang);
    for n in 0..3 {
        let at =
            enrolled + Duration::days(20 + 30 * n) + between(rng, Duration::hours(8), Duration::hours(12));
        if at < synced {
            let note = Note { mood: None, burden: None, text: long("text", phrase(rng, bank.notes_plain))? };
            b.entry(rng, device, at, local(at), Sharing::Agency, EntryBody::Note(note));
        }
    }
    Ok((b, device))
}

/// Synced within the last hour: a device nobody worries about.
pub(super) fn lately(world: &World) -> DateTime<Utc> {
    world.now - Duration::minutes(35)
}
