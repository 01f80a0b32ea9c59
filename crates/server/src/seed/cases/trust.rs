//! Falling trust: three cases that fire (the agency; a service written in different cases; a
//! professional) and three near misses (a fall of one; an old fall of two that recovered; falls
//! that only appear when ratings of different subjects are mixed up).

use convivio_core::entry::{EntryBody, Trust, TrustTarget};
use convivio_core::score::Score;
use convivio_core::text::ShortText;
use convivio_core::{Invalid, RecordId};
use rand::rngs::StdRng;

use super::{Cast, Planted, Spec, ago, lately, ordinary, spec};
use crate::seed::clock::local;
use crate::seed::pick::phrase;
use crate::seed::plan::{World, long};
use crate::seed::report::WarningRule::FallingTrust;
use crate::seed::words::Bank;

pub(super) const SPECS: [Spec; 6] = [
    spec(
        FallingTrust,
        true,
        "trust in the agency fell from 5 to 3 over the last three ratings",
        1,
        agency_falls,
    ),
    spec(
        FallingTrust,
        true,
        "trust in a service fell from 4 to 1, its name typed in different cases",
        1,
        service_falls,
    ),
    spec(FallingTrust, true, "trust in a professional fell from 5 to 3", 1, professional_falls),
    spec(FallingTrust, false, "trust in the agency fell by one over the last three ratings", 1, falls_by_one),
    spec(FallingTrust, false, "trust in the agency fell by two long ago and recovered", 1, recovered),
    spec(FallingTrust, false, "falls only across different subjects, never within one", 1, across_subjects),
];

/// Whom one rating is about: a target and, for a service or professional, a name.
type About = (TrustTarget, Option<&'static str>);

const AGENCY: About = (TrustTarget::Agency, None);

/// Plants `ratings` (about, score, days ago; oldest first) on the case's caregiver.
fn ratings(
    spec: &Spec,
    rng: &mut StdRng,
    world: &World,
    cast: &Cast,
    ratings: &[(About, u8, i64)],
) -> Result<Planted, Invalid> {
    let bank = Bank::of(cast[0].1.lang);
    let (mut b, device) = ordinary(rng, world, &cast[0], lately(world))?;
    let mut ids: Vec<RecordId> = Vec::new();
    let mut previous: Option<u8> = None;
    for &((target, name), score, days) in ratings {
        let reason = match previous {
            Some(p) if score < p => bank.trust_down,
            Some(p) if score > p => bank.trust_up,
            _ => bank.trust_same,
        };
        previous = Some(score);
        let trust = Trust {
            target,
            target_name: name.map(|n| ShortText::parse("target_name", n)).transpose()?,
            score: Score::parse("score", i64::from(score))?,
            reason: Some(long("reason", phrase(rng, reason))?),
            factors: Vec::new(),
        };
        let at = ago(world, days);
        ids.push(b.entry(
            rng,
            device,
            at,
            local(at),
            convivio_core::Sharing::Agency,
            EntryBody::Trust(trust),
        ));
    }
    Ok(Planted { plans: vec![b.finish()], case: spec.case(cast, ids, Vec::new()), device: None })
}

fn agency_falls(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    ratings(spec, rng, world, cast, &[(AGENCY, 4, 70), (AGENCY, 5, 40), (AGENCY, 4, 25), (AGENCY, 3, 8)])
}

fn service_falls(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    let s = TrustTarget::Service;
    ratings(
        spec,
        rng,
        world,
        cast,
        &[
            ((s, Some("Pasti a domicilio")), 4, 50),
            ((s, Some("pasti a domicilio")), 3, 30),
            ((s, Some("PASTI A DOMICILIO")), 1, 6),
        ],
    )
}

fn professional_falls(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    let who = (TrustTarget::Professional, Some(Bank::of(cast[0].1.lang).professionals[0]));
    ratings(spec, rng, world, cast, &[(who, 5, 60), (who, 5, 35), (who, 3, 12)])
}

fn falls_by_one(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    ratings(spec, rng, world, cast, &[(AGENCY, 4, 50), (AGENCY, 4, 30), (AGENCY, 3, 10)])
}

fn recovered(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    ratings(
        spec,
        rng,
        world,
        cast,
        &[(AGENCY, 5, 80), (AGENCY, 4, 60), (AGENCY, 3, 40), (AGENCY, 4, 20), (AGENCY, 4, 5)],
    )
}

fn across_subjects(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    let service = (TrustTarget::Service, Some("Telesoccorso"));
    let professional = (TrustTarget::Professional, Some(Bank::of(cast[0].1.lang).professionals[1]));
    ratings(
        spec,
        rng,
        world,
        cast,
        &[(AGENCY, 5, 45), (service, 4, 30), (professional, 3, 15), (AGENCY, 4, 5)],
    )
}
