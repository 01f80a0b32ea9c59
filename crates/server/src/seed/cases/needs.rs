//! Needs: overdue (open or only acknowledged past the expected reply date) and "not met" left
//! without a staff word, each with its near misses.

use chrono::{DateTime, Duration, Utc};
use convivio_core::entry::EntryBody;
use convivio_core::need::{Need, NeedCategory, NeedStatus, Urgency};
use convivio_core::{Invalid, RecordId, Sharing};
use rand::rngs::StdRng;

use super::{Cast, Planted, Spec, ago, lately, ordinary, spec};
use crate::seed::clock::local;
use crate::seed::pick::phrase;
use crate::seed::plan::{World, long};
use crate::seed::report::WarningRule::{OverdueNeed, UnansweredNotMet};
use crate::seed::words::Bank;

pub(super) const SPECS: [Spec; 6] = [
    spec(OverdueNeed, true, "a high-urgency need recorded 3 days ago, still open", 1, open_high),
    spec(
        OverdueNeed,
        true,
        "a medium-urgency need recorded 5 days ago, only acknowledged",
        1,
        acknowledged_medium,
    ),
    spec(OverdueNeed, false, "a high-urgency need recorded 3 days ago, in progress", 1, in_progress_high),
    spec(OverdueNeed, false, "a low-urgency need recorded 2 days ago, still open", 1, open_low),
    spec(UnansweredNotMet, true, "a need not met, and only the caregiver wrote after", 1, not_met_unanswered),
    spec(UnansweredNotMet, false, "a need not met, and staff explained after", 1, not_met_answered),
];

/// What followed the need: a status change or a message, by staff or the caregiver.
#[derive(Debug, Clone, Copy)]
enum Then {
    Status(NeedStatus),
    StaffMessage,
    CaregiverMessage,
}

/// Plants a need of `category` and `urgency` recorded `days` ago, and what followed it.
fn need(
    spec: &Spec,
    rng: &mut StdRng,
    world: &World,
    cast: &Cast,
    (category, urgency, days): (NeedCategory, Urgency, i64),
    then: &[(i64, Then)],
) -> Result<Planted, Invalid> {
    let bank = Bank::of(cast[0].1.lang);
    let (mut b, device) = ordinary(rng, world, &cast[0], lately(world))?;
    let recorded: DateTime<Utc> = ago(world, days);
    let body = Need { category, urgency, text: Some(long("text", phrase(rng, bank.need(category)))?) };
    let id = b.entry(
        rng,
        device,
        recorded,
        local(recorded - Duration::minutes(10)),
        Sharing::Agency,
        EntryBody::Need(body),
    );
    let mut records: Vec<RecordId> = Vec::new();
    let mut not_met = false;
    for (i, &(hours, what)) in (0..).zip(then) {
        // A minute apart at least, so things planted in the same hour keep their order.
        let at = recorded + Duration::hours(hours) + Duration::minutes(i);
        records.push(match what {
            Then::Status(status) => {
                not_met = status == NeedStatus::NotMet;
                let reason = not_met.then(|| phrase(rng, bank.not_met_reasons));
                b.status(rng, id, at, status, reason)?
            }
            Then::StaffMessage => {
                let words = if not_met { bank.staff_after_not_met } else { bank.staff_first };
                let text = phrase(rng, words);
                b.staff_message(rng, id, at, text)?
            }
            Then::CaregiverMessage => {
                let text = phrase(rng, bank.caregiver_still_waiting);
                b.reply(rng, device, id, at, text)?
            }
        });
    }
    Ok(Planted { plans: vec![b.finish()], case: spec.case(cast, vec![id], records), device: None })
}

use NeedStatus::{Acknowledged, InProgress, NotMet};
use Then::{CaregiverMessage, StaffMessage, Status};

fn open_high(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    need(spec, rng, world, cast, (NeedCategory::Health, Urgency::High, 3), &[])
}

fn acknowledged_medium(
    spec: &Spec,
    rng: &mut StdRng,
    world: &World,
    cast: &Cast,
) -> Result<Planted, Invalid> {
    let then = [(5, Status(Acknowledged)), (5, StaffMessage)];
    need(spec, rng, world, cast, (NeedCategory::Transport, Urgency::Medium, 5), &then)
}

fn in_progress_high(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    let then = [(2, Status(Acknowledged)), (2, StaffMessage), (10, Status(InProgress))];
    need(spec, rng, world, cast, (NeedCategory::PersonalCare, Urgency::High, 3), &then)
}

fn open_low(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    need(spec, rng, world, cast, (NeedCategory::Equipment, Urgency::Low, 2), &[])
}

fn not_met_unanswered(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    let then = [(3, Status(Acknowledged)), (3, StaffMessage), (48, Status(NotMet)), (72, CaregiverMessage)];
    need(spec, rng, world, cast, (NeedCategory::Respite, Urgency::Medium, 12), &then)
}

fn not_met_answered(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    let then = [(3, Status(Acknowledged)), (48, Status(NotMet)), (51, StaffMessage)];
    need(spec, rng, world, cast, (NeedCategory::Respite, Urgency::Medium, 12), &then)
}
