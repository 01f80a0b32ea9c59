//! Keeps the random part of the population from firing the recurring-factor warning by
//! accident, so that the warnings an agency sees after seeding are the planted cases.
//!
//! The rule (see `cases`) fires when one co-destruction factor comes 3 times within 30 days,
//! from one caregiver or about one catalogue service. The guard is stricter, with a margin:
//! it accepts a new occurrence only if no 3 occurrences of the same key then fall within
//! [`SPACING`], whichever way the dashboard draws its 30-day window. Keys the cases use are
//! reserved: the random part never tags them at all.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};

/// No three occurrences of one key within this span.
pub(crate) const SPACING: Duration = Duration::days(45);

/// Occurrence times per key, each list sorted.
#[derive(Debug, Clone)]
pub(crate) struct Spacing<K: Ord> {
    times: BTreeMap<K, Vec<DateTime<Utc>>>,
    reserved: BTreeSet<K>,
}

impl<K: Ord + Clone> Default for Spacing<K> {
    fn default() -> Self {
        Spacing { times: BTreeMap::new(), reserved: BTreeSet::new() }
    }
}

impl<K: Ord + Clone> Spacing<K> {
    /// Never accept `key`.
    pub(crate) fn reserve(&mut self, key: K) {
        self.reserved.insert(key);
    }

    /// Whether one more `key` at `at` keeps every three consecutive occurrences wider than
    /// [`SPACING`].
    pub(crate) fn allows(&self, key: &K, at: DateTime<Utc>) -> bool {
        if self.reserved.contains(key) {
            return false;
        }
        let Some(times) = self.times.get(key) else { return true };
        let i = times.partition_point(|t| *t < at);
        let mut around: Vec<DateTime<Utc>> = times[i.saturating_sub(2)..i].to_vec();
        around.push(at);
        around.extend(times.iter().skip(i).take(2));
        around.windows(3).all(|w| w[2] - w[0] > SPACING)
    }

    /// Records `key` at `at` if [`Self::allows`] it; says whether it did.
    pub(crate) fn admit(&mut self, key: K, at: DateTime<Utc>) -> bool {
        if !self.allows(&key, at) {
            return false;
        }
        let times = self.times.entry(key).or_default();
        let i = times.partition_point(|t| *t < at);
        times.insert(i, at);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + Duration::days(1_000 + n)
    }

    #[test]
    fn a_third_occurrence_within_the_spacing_is_refused_on_either_side() {
        let mut s = Spacing::default();
        assert!(s.admit("mistake", day(0)));
        assert!(s.admit("mistake", day(10)));
        assert!(!s.allows(&"mistake", day(20)), "after both");
        assert!(!s.allows(&"mistake", day(-20)), "before both");
        assert!(!s.allows(&"mistake", day(5)), "between");
        assert!(s.allows(&"mistake", day(46)));
        assert!(s.allows(&"blaming", day(5)), "another key");
    }

    #[test]
    fn occurrences_far_apart_are_all_admitted_and_reserved_keys_never() {
        let mut s = Spacing::default();
        for n in 0..10 {
            assert!(s.admit(1, day(n * 23)), "{n}");
        }
        s.reserve(2);
        assert!(!s.admit(2, day(0)));
    }
}
