//! Recurring co-destruction factors: from one caregiver (3 in 20 days fires; 2 in 30 days and 3
//! spread over 40 days do not), and about one catalogue service across caregivers (3 caregivers
//! in 18 days fires; 2 do not). The services' (service, factor) pairs are reserved: the random
//! part never tags them, so these stay the only occurrences.

use chrono::Duration;
use convivio_core::entry::{EntryBody, Experience};
use convivio_core::factor::Factor;
use convivio_core::score::Score;
use convivio_core::text::ShortText;
use convivio_core::{Invalid, RecordId, Sharing};
use rand::rngs::StdRng;

use super::{Cast, Planted, Spec, ago, lately, ordinary, spec};
use crate::seed::clock::local;
use crate::seed::pick::phrase;
use crate::seed::plan::{CaregiverPlan, World, long};
use crate::seed::report::WarningRule::RecurringFactor;
use crate::seed::words::Bank;

pub(super) const SPECS: [Spec; 5] = [
    spec(RecurringFactor, true, "one caregiver tagged 'mistake' 3 times in 20 days", 1, thrice),
    spec(RecurringFactor, false, "one caregiver tagged 'absence of information' twice in 14 days", 1, twice),
    spec(
        RecurringFactor,
        false,
        "one caregiver tagged 'inability to change' 3 times over 40 days",
        1,
        over_forty_days,
    ),
    spec(
        RecurringFactor,
        true,
        "3 caregivers tagged one service 'inability to serve' within 18 days",
        3,
        service_thrice,
    ),
    spec(
        RecurringFactor,
        false,
        "2 caregivers tagged one service 'misbehaviour' within 11 days",
        2,
        service_twice,
    ),
];

const SERVICE_THRICE: (&str, Factor) = ("Trasporto sociale", Factor::InabilityToServe);
const SERVICE_TWICE: (&str, Factor) = ("Centro diurno", Factor::Misbehaviour);

pub(super) fn reserved(world: &World) -> Vec<(RecordId, Factor)> {
    [SERVICE_THRICE, SERVICE_TWICE]
        .into_iter()
        .filter_map(|(name, factor)| world.catalogue.named(name).map(|s| (s.id, factor)))
        .collect()
}

/// A visit rated 2 and tagged `factor`, `days` ago: at a catalogue service, or (`None`) at a
/// service outside the catalogue, so only the caregiver's own count grows.
fn bad_visits(
    rng: &mut StdRng,
    world: &World,
    who: &(crate::storage::Caregiver, crate::seed::people::Person),
    service: Option<(RecordId, &'static str)>,
    factor: Factor,
    days: &[i64],
) -> Result<(CaregiverPlan, Vec<RecordId>), Invalid> {
    let bank = Bank::of(who.1.lang);
    let (mut b, device) = ordinary(rng, world, who, lately(world))?;
    let mut ids = Vec::new();
    for &d in days {
        let visit = ago(world, d);
        let name = match service {
            Some((_, name)) => name,
            None => phrase(rng, bank.other_services),
        };
        let experience = Experience {
            service: ShortText::parse("service", name)?,
            service_id: service.map(|(id, _)| id),
            visit_date: local(visit).date_naive(),
            rating: Score::parse("rating", 2)?,
            went_well: None,
            went_badly: Some(long("went_badly", phrase(rng, bank.went_badly(factor)))?),
            factors: vec![factor],
        };
        let written = visit + Duration::hours(3);
        ids.push(b.entry(
            rng,
            device,
            written,
            local(visit),
            Sharing::Agency,
            EntryBody::Experience(experience),
        ));
    }
    Ok((b.finish(), ids))
}

fn one_caregiver(
    spec: &Spec,
    rng: &mut StdRng,
    world: &World,
    cast: &Cast,
    factor: Factor,
    days: &[i64],
) -> Result<Planted, Invalid> {
    let (plan, ids) = bad_visits(rng, world, &cast[0], None, factor, days)?;
    Ok(Planted { plans: vec![plan], case: spec.case(cast, ids, Vec::new()), device: None })
}

fn thrice(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    one_caregiver(spec, rng, world, cast, Factor::Mistake, &[24, 14, 4])
}

fn twice(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    one_caregiver(spec, rng, world, cast, Factor::AbsenceOfInformation, &[20, 6])
}

fn over_forty_days(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    one_caregiver(spec, rng, world, cast, Factor::InabilityToChange, &[44, 24, 4])
}

/// One visit per caregiver of the cast, `days[i]` ago for the i-th, at `name`.
fn about_service(
    spec: &Spec,
    rng: &mut StdRng,
    world: &World,
    cast: &Cast,
    (name, factor): (&str, Factor),
    days: &[i64],
) -> Result<Planted, Invalid> {
    let service = world.catalogue.named(name).map(|s| (s.id, s.name)).ok_or_else(|| {
        Invalid::new("service", convivio_core::Rule::Other, format!("{name} is not in the seeded catalogue"))
    })?;
    let (mut plans, mut ids) = (Vec::new(), Vec::new());
    for (who, d) in cast.iter().zip(days) {
        let (plan, mut visit) = bad_visits(rng, world, who, Some(service), factor, &[*d])?;
        plans.push(plan);
        ids.append(&mut visit);
    }
    let mut case = spec.case(cast, ids, Vec::new());
    case.service_id = Some(service.0);
    Ok(Planted { plans, case, device: None })
}

fn service_thrice(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    about_service(spec, rng, world, cast, SERVICE_THRICE, &[21, 13, 3])
}

fn service_twice(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    about_service(spec, rng, world, cast, SERVICE_TWICE, &[18, 7])
}
