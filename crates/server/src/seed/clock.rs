//! Times, ids and versions for seeded records. Every record is dated in the past, in the
//! caregiver's local time (Swiss time, summer time included), and its id and version are made
//! from when it was written, as a device would make them: a UUIDv7 from that millisecond and
//! ten bytes of the seeded generator (so the same seed gives the same ids), an HLC version
//! whose wall time is that millisecond.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Offset, Timelike, Utc};
use convivio_core::{Hlc, NodeId, RecordId};
use rand::Rng;
use rand::rngs::StdRng;

/// Milliseconds since 1970 (0 before it, which no seeded time is).
pub(crate) fn ms(at: DateTime<Utc>) -> u64 {
    u64::try_from(at.timestamp_millis()).unwrap_or(0)
}

/// A UUIDv7 for a record written at `at`.
pub(crate) fn record_id(rng: &mut StdRng, at: DateTime<Utc>) -> RecordId {
    let mut tail = [0u8; 10];
    rng.fill(&mut tail);
    RecordId::from_uuid(uuid::Builder::from_unix_timestamp_millis(ms(at), &tail).into_uuid())
}

/// The version of a record written at `at` on `node`.
pub(crate) fn version(at: DateTime<Utc>, node: NodeId) -> Hlc {
    Hlc { wall_ms: ms(at), counter: 0, node }
}

/// A random duration from `min` up to `max`, to the second.
pub(crate) fn between(rng: &mut StdRng, min: Duration, max: Duration) -> Duration {
    let (lo, hi) = (min.num_seconds(), max.num_seconds().max(min.num_seconds() + 1));
    Duration::seconds(rng.random_range(lo..hi)) + Duration::milliseconds(rng.random_range(0..1_000))
}

/// Swiss time at `at`: UTC+2 from the last Sunday of March to the last Sunday of October
/// (01:00 UTC both), UTC+1 otherwise.
pub(crate) fn swiss_offset(at: DateTime<Utc>) -> FixedOffset {
    let change =
        |month| last_sunday(at.year(), month).and_hms_opt(1, 0, 0).map(|t| t.and_utc()).unwrap_or(at);
    let hours = if change(3) <= at && at < change(10) { 2 } else { 1 };
    FixedOffset::east_opt(hours * 3_600).unwrap_or_else(|| Utc.fix())
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    let last = NaiveDate::from_ymd_opt(next.0, next.1, 1).map_or(NaiveDate::MIN, |d| d - Duration::days(1));
    last - Duration::days(i64::from(last.weekday().num_days_from_sunday()))
}

/// `at` in Swiss local time.
pub(crate) fn local(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&swiss_offset(at))
}

/// A moment in `[from, to)` during the waking day (07:00 to 22:00 local): people write their
/// diary then. Falls back to any moment in the range when the range holds no waking hour.
pub(crate) fn waking(rng: &mut StdRng, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
    let span = (to - from).num_seconds().max(1);
    let mut any = from;
    for _ in 0..8 {
        any = from
            + Duration::seconds(rng.random_range(0..span))
            + Duration::milliseconds(rng.random_range(0..1_000));
        let hour = local(any).hour();
        if (7..22).contains(&hour) {
            return any;
        }
        // Move it to a random waking minute of the same local day, if that stays in range.
        let moved =
            any - Duration::hours(i64::from(hour)) + Duration::minutes(rng.random_range(7 * 60..22 * 60));
        if from <= moved && moved < to && (7..22).contains(&local(moved).hour()) {
            return moved;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.to_utc()).unwrap_or_default()
    }

    #[test]
    fn swiss_time_is_one_hour_ahead_in_winter_and_two_in_summer() {
        assert_eq!(swiss_offset(utc("2026-01-15T12:00:00Z")).local_minus_utc(), 3_600);
        assert_eq!(swiss_offset(utc("2026-07-15T12:00:00Z")).local_minus_utc(), 7_200);
        // 2026: summer time from 29 March to 25 October, at 01:00 UTC.
        assert_eq!(swiss_offset(utc("2026-03-29T00:59:00Z")).local_minus_utc(), 3_600);
        assert_eq!(swiss_offset(utc("2026-03-29T01:00:00Z")).local_minus_utc(), 7_200);
        assert_eq!(swiss_offset(utc("2026-10-25T00:59:00Z")).local_minus_utc(), 7_200);
        assert_eq!(swiss_offset(utc("2026-10-25T01:00:00Z")).local_minus_utc(), 3_600);
    }

    #[test]
    fn ids_carry_their_time_and_repeat_with_the_seed() {
        let at = utc("2026-02-01T08:30:00Z");
        let a = record_id(&mut StdRng::seed_from_u64(1), at);
        assert_eq!(a, record_id(&mut StdRng::seed_from_u64(1), at));
        assert_ne!(a, record_id(&mut StdRng::seed_from_u64(2), at));
        assert_eq!(a.as_uuid().get_version_num(), 7);
        let (secs, _) = a.as_uuid().get_timestamp().map(|t| t.to_unix()).unwrap_or_default();
        assert_eq!(secs as i64, at.timestamp());
    }

    #[test]
    fn waking_moments_fall_in_the_day_and_in_range() {
        let mut rng = StdRng::seed_from_u64(3);
        let (from, to) = (utc("2026-01-01T00:00:00Z"), utc("2026-03-01T00:00:00Z"));
        for _ in 0..1_000 {
            let at = waking(&mut rng, from, to);
            assert!(from <= at && at < to);
            assert!((7..22).contains(&local(at).hour()), "{at}");
        }
    }
}
