//! Silent devices: not synced for more than 14 days (or enrolled that long ago and never
//! synced), one of them beside a sibling that syncs every day; near misses at 13 days, and a
//! device long silent because staff revoked it.

use chrono::Duration;
use convivio_core::entry::{EntryBody, Note};
use convivio_core::{Invalid, Sharing};
use rand::rngs::StdRng;

use super::{Cast, Planted, Spec, ago, lately, ordinary, spec};
use crate::seed::clock::local;
use crate::seed::pick::phrase;
use crate::seed::plan::{Builder, World, long};
use crate::seed::report::WarningRule::SilentDevice;
use crate::seed::words::Bank;

pub(super) const SPECS: [Spec; 6] = [
    spec(SilentDevice, true, "the only device last synced 20 days ago", 1, silent_twenty_days),
    spec(
        SilentDevice,
        true,
        "a tablet silent for 16 days beside a phone synced within the hour",
        1,
        silent_tablet,
    ),
    spec(SilentDevice, true, "a device enrolled 16 days ago that never synced", 1, never_synced_sixteen),
    spec(SilentDevice, false, "the only device last synced 13 days ago", 1, silent_thirteen_days),
    spec(SilentDevice, false, "a device enrolled 13 days ago that never synced", 1, never_synced_thirteen),
    spec(SilentDevice, false, "a device revoked 25 days ago, silent for 30", 1, revoked),
];

fn planted(spec: &Spec, cast: &Cast, b: Builder<'_>, device: usize) -> Planted {
    Planted {
        plans: vec![b.finish()],
        case: spec.case(cast, Vec::new(), Vec::new()),
        device: Some((0, device)),
    }
}

fn silent_for(
    spec: &Spec,
    rng: &mut StdRng,
    world: &World,
    cast: &Cast,
    days: i64,
) -> Result<Planted, Invalid> {
    let (b, device) = ordinary(rng, world, &cast[0], ago(world, days))?;
    Ok(planted(spec, cast, b, device))
}

fn silent_twenty_days(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    silent_for(spec, rng, world, cast, 20)
}

fn silent_thirteen_days(
    spec: &Spec,
    rng: &mut StdRng,
    world: &World,
    cast: &Cast,
) -> Result<Planted, Invalid> {
    silent_for(spec, rng, world, cast, 13)
}

fn silent_tablet(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    let (mut b, _phone) = ordinary(rng, world, &cast[0], lately(world))?;
    let tablet = b.device(rng, ago(world, 100), Some(ago(world, 16)), None);
    let at = ago(world, 40);
    let note = Note {
        mood: None,
        burden: None,
        text: long("text", phrase(rng, Bank::of(cast[0].1.lang).notes_plain))?,
    };
    b.entry(rng, tablet, at, local(at), Sharing::Agency, EntryBody::Note(note));
    Ok(planted(spec, cast, b, tablet))
}

/// Enrolled `days` ago and never heard of since: nothing on the server but the device.
fn never_synced(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast, days: i64) -> Planted {
    let (caregiver, person) = &cast[0];
    let mut b = Builder::new(world, caregiver.clone(), person.first_name);
    let device = b.device(rng, ago(world, days), None, None);
    planted(spec, cast, b, device)
}

fn never_synced_sixteen(
    spec: &Spec,
    rng: &mut StdRng,
    world: &World,
    cast: &Cast,
) -> Result<Planted, Invalid> {
    Ok(never_synced(spec, rng, world, cast, 16))
}

fn never_synced_thirteen(
    spec: &Spec,
    rng: &mut StdRng,
    world: &World,
    cast: &Cast,
) -> Result<Planted, Invalid> {
    Ok(never_synced(spec, rng, world, cast, 13))
}

fn revoked(spec: &Spec, rng: &mut StdRng, world: &World, cast: &Cast) -> Result<Planted, Invalid> {
    let (mut b, device) = ordinary(rng, world, &cast[0], ago(world, 30))?;
    b.revoke(device, ago(world, 25) + Duration::hours(2));
    Ok(planted(spec, cast, b, device))
}
