//! One random caregiver of the population: devices (a second one for some, a lost and replaced
//! phone for a few), a profile, research consent for most (revoked by a few), and their entries
//! over the last six months, with the agency's answers.

use chrono::{DateTime, Duration, Utc};
use convivio_core::{Invalid, Sharing};
use rand::Rng;
use rand::rngs::StdRng;

use super::clock::{between, local, ms, waking};
use super::entries::{Habits, ServiceFactors};
use super::needs;
use super::people::{self, Person};
use super::pick::{phrase, weighted};
use super::plan::{Builder, CaregiverPlan, World, past};
use super::words::Bank;
use crate::storage::Caregiver;

#[derive(Debug, Clone, Copy)]
enum Kind {
    Need,
    Experience,
    Trust,
    Note,
}

/// Adds this caregiver's devices; returns the first one's index.
fn devices(b: &mut Builder<'_>, rng: &mut StdRng, joined: DateTime<Utc>) -> usize {
    let now = b.now();
    let synced = now - between(rng, Duration::minutes(10), Duration::days(4));
    let first = if rng.random_bool(0.05) {
        // Lost or broken: revoked by staff, a new one enrolled a day or so later.
        let revoked_at = joined + between(rng, Duration::days(30), Duration::days(100));
        let last = revoked_at - between(rng, Duration::hours(6), Duration::days(5));
        let old = b.device(rng, joined, Some(last), Some(revoked_at));
        let enrolled = revoked_at + between(rng, Duration::hours(1), Duration::days(3));
        b.device(rng, enrolled, Some(synced), None);
        old
    } else {
        b.device(rng, joined, Some(synced), None)
    };
    if rng.random_bool(0.3) {
        let enrolled = joined + between(rng, Duration::days(10), Duration::days(90));
        let synced = now - between(rng, Duration::minutes(10), Duration::days(7));
        b.device(rng, enrolled, Some(synced), None);
    }
    first
}

/// When each entry was written and on which device, oldest first: a device is picked in
/// proportion to how long it was in use, then a waking moment while it was.
fn slots(b: &Builder<'_>, rng: &mut StdRng, entries: u32) -> Vec<(DateTime<Utc>, usize)> {
    let windows: Vec<(DateTime<Utc>, DateTime<Utc>)> = b
        .devices()
        .iter()
        .map(|d| {
            let end = d.last_sync_at.unwrap_or(d.enrolled_at);
            (d.enrolled_at + Duration::minutes(30), end - Duration::minutes(5))
        })
        .collect();
    let weights: Vec<(usize, u32)> = windows
        .iter()
        .enumerate()
        .map(|(i, (from, to))| (i, u32::try_from(((*to - *from).num_minutes()).max(1)).unwrap_or(u32::MAX)))
        .collect();
    let mut slots: Vec<(DateTime<Utc>, usize)> = (0..entries)
        .map(|_| {
            let device = weighted(rng, &weights);
            let (from, to) = windows[device];
            (waking(rng, from, to), device)
        })
        .collect();
    slots.sort_by_key(|(at, _)| ms(*at));
    slots
}

/// The plan of one random caregiver with `entries` entries.
pub(crate) fn random_caregiver(
    rng: &mut StdRng,
    world: &World,
    per_service: &mut ServiceFactors,
    caregiver: Caregiver,
    person: &Person,
    entries: u32,
) -> Result<CaregiverPlan, Invalid> {
    let now = world.now;
    let bank = Bank::of(person.lang);
    let mut b = Builder::new(world, caregiver, person.first_name);
    let joined = now - between(rng, Duration::days(150), Duration::days(185));
    let first = devices(&mut b, rng, joined);
    let profile = people::profile(rng, person)?;
    let filled_in = joined + between(rng, Duration::minutes(2), Duration::minutes(20));
    b.profile(rng, first, filled_in, profile);

    let consented = rng.random_bool(0.8);
    let mut research = None;
    if consented {
        let given = joined + between(rng, Duration::minutes(21), Duration::minutes(60));
        let revoked = match rng.random_bool(0.06) {
            true => {
                let at = joined + between(rng, Duration::days(40), Duration::days(140));
                b.devices().iter().position(|d| d.covers(at)).map(|device| (device, at))
            }
            false => None,
        };
        b.consent(rng, first, given, revoked)?;
        research = Some((given, revoked.map(|(_, at)| at)));
    }
    let in_research =
        |at: DateTime<Utc>| research.is_some_and(|(from, to)| from < at && to.is_none_or(|t| at < t));

    let mut habits = Habits::new(bank, people::professionals(rng, person.lang), consented);
    for (at, device) in slots(&b, rng, entries) {
        let sharing =
            if in_research(at) && rng.random_bool(0.3) { Sharing::Research } else { Sharing::Agency };
        let kind =
            weighted(rng, &[(Kind::Need, 20), (Kind::Experience, 30), (Kind::Trust, 20), (Kind::Note, 30)]);
        let shortly_before = between(rng, Duration::zero(), Duration::minutes(40));
        match kind {
            Kind::Need => {
                let (body, urgency) = habits.need(rng)?;
                let id = b.entry(rng, device, at, local(at - shortly_before), sharing, body);
                needs::answer(&mut b, rng, bank, device, id, at, urgency)?;
            }
            Kind::Experience => {
                let visit = local(at - between(rng, Duration::hours(1), Duration::hours(48)));
                let (body, rating) = habits.experience(rng, visit, &world.catalogue, per_service)?;
                let id = b.entry(rng, device, at, visit, sharing, body);
                if rating <= 2 && rng.random_bool(0.3) {
                    let sent = past(at + between(rng, Duration::hours(2), Duration::days(2)), now);
                    let sorry = phrase(rng, bank.staff_sorry);
                    b.staff_message(rng, id, sent, sorry)?;
                    let answer = sent + between(rng, Duration::hours(1), Duration::days(2));
                    if rng.random_bool(0.25) && b.devices()[device].covers(answer) {
                        let text = phrase(rng, bank.caregiver_replies);
                        b.reply(rng, device, id, answer, text)?;
                    }
                }
            }
            // Rated as it is written, so ratings of one subject keep the order they were made in.
            Kind::Trust => {
                let body = habits.trust(rng, at, &world.catalogue, per_service)?;
                b.entry(rng, device, at, local(at), sharing, body);
            }
            Kind::Note => {
                let body = habits.note(rng)?;
                b.entry(rng, device, at, local(at - shortly_before), sharing, body);
            }
        }
    }
    Ok(b.finish())
}
