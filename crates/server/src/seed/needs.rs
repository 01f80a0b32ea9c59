//! How the agency answers needs in the random part of the population: in every status, with
//! replies, and always in time. A need still open or only acknowledged is never near its
//! expected reply date, and a "not met" is always followed by a staff message, so neither the
//! overdue-need nor the unanswered-"not met" warning fires except for the planted cases.

use chrono::{DateTime, Duration, Utc};
use convivio_core::need::{NeedStatus, Urgency};
use convivio_core::{Invalid, RecordId};
use rand::Rng;
use rand::rngs::StdRng;

use super::clock::between;
use super::pick::{phrase, weighted};
use super::plan::{Builder, past};
use super::words::Bank;

/// The default expected reply date, counted from when the need was recorded.
pub(crate) fn reply_within(urgency: Urgency) -> Duration {
    match urgency {
        Urgency::High => Duration::days(1),
        Urgency::Medium => Duration::days(3),
        Urgency::Low => Duration::days(7),
    }
}

/// How far from its reply date a random need left open or acknowledged stays at seeding time,
/// so the dashboard can be looked at (and tested) for a while without new warnings appearing.
const MARGIN: Duration = Duration::hours(2);

fn fraction(w: Duration, rng: &mut StdRng, lo: f64, hi: f64) -> Duration {
    Duration::milliseconds((w.num_milliseconds() as f64 * rng.random_range(lo..hi)) as i64)
}

/// The statuses a random need went through, oldest first, none later than ten minutes ago.
pub(crate) fn random_course(
    rng: &mut StdRng,
    recorded_at: DateTime<Utc>,
    urgency: Urgency,
    now: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, NeedStatus)> {
    use NeedStatus::*;
    let due = recorded_at + reply_within(urgency);
    let first = recorded_at + fraction(reply_within(urgency), rng, 0.05, 0.6);
    let mut steps = Vec::new();
    let mut working = first;
    if rng.random_bool(0.55) {
        steps.push((first, Acknowledged));
        working = first + fraction(due - first, rng, 0.1, 0.9);
    }
    steps.push((working, InProgress));
    let outcome = weighted(rng, &[(Some(Met), 68), (Some(NotMet), 12), (None, 20)]);
    if let Some(end) = outcome {
        steps.push((working + between(rng, Duration::hours(1), Duration::days(14)), end));
    }
    steps.retain(|(at, _)| *at < now - Duration::minutes(10));
    let current = steps.last().map_or(Open, |s| s.1);
    if matches!(current, Open | Acknowledged) && due < now + MARGIN {
        let after = steps.last().map_or(recorded_at, |s| s.0) + Duration::minutes(1);
        let at = after.max((recorded_at + (due - recorded_at) / 2).min(now - Duration::minutes(5)));
        steps.push((at, InProgress));
    }
    steps
}

/// Writes staff's answer to a random need: its course, a first reply most of the time, a word
/// when it is met, always one after "not met", and sometimes the caregiver answering back from
/// the device the need came from.
pub(crate) fn answer(
    b: &mut Builder<'_>,
    rng: &mut StdRng,
    bank: &Bank,
    device: usize,
    need: RecordId,
    recorded_at: DateTime<Utc>,
    urgency: Urgency,
) -> Result<(), Invalid> {
    let now = b.now();
    let mut said = Vec::new();
    for (i, (at, status)) in random_course(rng, recorded_at, urgency, now).into_iter().enumerate() {
        let reason = (status == NeedStatus::NotMet).then(|| phrase(rng, bank.not_met_reasons));
        b.status(rng, need, at, status, reason)?;
        let words = match status {
            _ if i == 0 && rng.random_bool(0.7) => Some(bank.staff_first),
            NeedStatus::InProgress if i > 0 && rng.random_bool(0.3) => Some(bank.staff_progress),
            NeedStatus::Met if rng.random_bool(0.5) => Some(bank.staff_met),
            NeedStatus::NotMet => Some(bank.staff_after_not_met),
            _ => None,
        };
        if let Some(words) = words {
            let sent = past(at + between(rng, Duration::minutes(1), Duration::hours(20)), now);
            let text = phrase(rng, words);
            b.staff_message(rng, need, sent.max(at + Duration::seconds(1)), text)?;
            said.push(sent);
        }
    }
    if let Some(&heard) = said.last()
        && rng.random_bool(0.25)
    {
        let at = heard + between(rng, Duration::hours(1), Duration::days(2));
        if b.devices()[device].covers(at) {
            let text = phrase(rng, bank.caregiver_replies);
            b.reply(rng, device, need, at, text)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn random_needs_move_forward_and_are_never_left_waiting_near_their_reply_date() {
        let mut rng = StdRng::seed_from_u64(11);
        let now = Utc::now();
        for _ in 0..5_000 {
            let urgency = weighted(&mut rng, &[(Urgency::High, 1), (Urgency::Medium, 1), (Urgency::Low, 1)]);
            // Half of them recorded about one reply window ago, where waiting turns overdue.
            let age = match rng.random_bool(0.5) {
                true => reply_within(urgency) + between(&mut rng, Duration::hours(-6), Duration::hours(6)),
                false => between(&mut rng, Duration::minutes(15), Duration::days(180)),
            };
            let recorded_at = now - age.max(Duration::minutes(15));
            let course = random_course(&mut rng, recorded_at, urgency, now);
            let mut status = NeedStatus::Open;
            let mut last = recorded_at;
            for (at, next) in &course {
                assert!(status.can_move_to(*next), "{status} -> {next}");
                assert!(*at > last && *at < now, "steps move forward in time, before now");
                (status, last) = (*next, *at);
            }
            if matches!(status, NeedStatus::Open | NeedStatus::Acknowledged) {
                assert!(recorded_at + reply_within(urgency) > now + MARGIN, "{urgency} {course:?}");
            }
        }
    }
}
