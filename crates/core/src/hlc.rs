//! A hybrid logical clock (Kulkarni et al., 2014) to version records.
//!
//! Versions must order edits made offline on different devices, and must keep increasing on one
//! device even when its wall clock is set back (a phone whose clock is corrected, a laptop with a
//! flat battery). An HLC timestamp is (wall milliseconds, counter, node): it follows the wall
//! clock when the clock moves forward, and otherwise bumps the counter, so it never goes back.
//! The node id breaks ties between devices. The clock itself is pure: callers pass the wall time
//! in, and the device persists the last timestamp so monotonicity survives a restart.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The id of the device (or server) that issues timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub u64);

/// One HLC timestamp. Ordered by wall time, then counter, then node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u32,
    pub node: NodeId,
}

impl Hlc {
    /// The smallest timestamp: older than anything a clock issues.
    pub const ZERO: Hlc = Hlc { wall_ms: 0, counter: 0, node: NodeId(0) };

    /// The largest wall time the text form can hold: 12 hex digits (the year 10889). A clock
    /// never goes past it, so every version it issues can be written and read back.
    pub const MAX_WALL_MS: u64 = 0xffff_ffff_ffff;
}

/// Fixed-width lower-case hex, so that the text form sorts exactly like the value (the stores
/// compare versions as text): `wwwwwwwwwwww-cccccccc-nnnnnnnnnnnnnnnn`.
impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:012x}-{:08x}-{:016x}", self.wall_ms, self.counter, self.node.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a version timestamp: expected wwwwwwwwwwww-cccccccc-nnnnnnnnnnnnnnnn in lower-case hex")]
pub struct ParseHlcError;

/// Only the exact text [`Hlc`]'s `Display` writes is accepted: fixed width, lower-case hex digits
/// and nothing else (`u64::from_str_radix` alone would also take `+` and upper case). The stores
/// compare versions as text, so a version whose text is not the one it writes back would sort
/// wrongly, or fail to read back at all.
impl FromStr for Hlc {
    type Err = ParseHlcError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split('-');
        let (Some(w), Some(c), Some(n), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ParseHlcError);
        };
        if w.len() != 12 || c.len() != 8 || n.len() != 16 {
            return Err(ParseHlcError);
        }
        let hex = |s: &str| {
            if !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
                return Err(ParseHlcError);
            }
            u64::from_str_radix(s, 16).map_err(|_| ParseHlcError)
        };
        Ok(Hlc {
            wall_ms: hex(w)?,
            counter: u32::try_from(hex(c)?).map_err(|_| ParseHlcError)?,
            node: NodeId(hex(n)?),
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The clock of one node. Feed it the wall time; it hands out strictly increasing timestamps.
#[derive(Debug, Clone)]
pub struct HlcClock {
    node: NodeId,
    last: Hlc,
}

impl HlcClock {
    /// A clock that resumes after `last` (the newest timestamp this node ever issued or saw).
    pub fn new(node: NodeId, last: Hlc) -> Self {
        Self { node, last }
    }

    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The newest timestamp issued or observed: persist it to survive a restart.
    pub fn last(&self) -> Hlc {
        self.last
    }

    /// A new timestamp for a local event, strictly greater than every earlier one (until the
    /// clock saturates at [`Hlc::MAX_WALL_MS`], where it stays rather than overflow).
    pub fn tick(&mut self, wall_ms: u64) -> Hlc {
        let wall_ms = wall_ms.min(Hlc::MAX_WALL_MS);
        let next = if wall_ms > self.last.wall_ms {
            Hlc { wall_ms, counter: 0, node: self.node }
        } else {
            self.after(self.last.wall_ms, self.last.counter)
        };
        self.last = next;
        next
    }

    /// Merges a timestamp received from another node, so that local events after it order
    /// after it too. Returns the new local timestamp.
    ///
    /// Saturates: a remote version at the largest wall time leaves this clock there too, never
    /// in a 13th hex digit that no store could read back. (The server and the device refuse
    /// versions far ahead of their own time before they get here; this is the last guard.)
    pub fn observe(&mut self, remote: Hlc, wall_ms: u64) -> Hlc {
        let top_wall = wall_ms.max(self.last.wall_ms).max(remote.wall_ms).min(Hlc::MAX_WALL_MS);
        let next = if top_wall == self.last.wall_ms && top_wall == remote.wall_ms {
            self.after(top_wall, self.last.counter.max(remote.counter))
        } else if top_wall == self.last.wall_ms {
            self.after(top_wall, self.last.counter)
        } else if top_wall == remote.wall_ms {
            self.after(top_wall, remote.counter)
        } else {
            Hlc { wall_ms: top_wall, counter: 0, node: self.node }
        };
        self.last = next;
        next
    }

    /// The timestamp right after (wall, counter); if the counter is exhausted, borrow a
    /// millisecond from the future rather than wrap. At the very end of time it stays put.
    fn after(&self, wall_ms: u64, counter: u32) -> Hlc {
        let wall_ms = wall_ms.min(Hlc::MAX_WALL_MS);
        match counter.checked_add(1) {
            Some(c) => Hlc { wall_ms, counter: c, node: self.node },
            None if wall_ms < Hlc::MAX_WALL_MS => Hlc { wall_ms: wall_ms + 1, counter: 0, node: self.node },
            None => Hlc { wall_ms, counter: u32::MAX, node: self.node },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const A: NodeId = NodeId(0xa);

    #[test]
    fn follows_the_wall_clock_when_it_moves_forward() {
        let mut c = HlcClock::new(A, Hlc::ZERO);
        assert_eq!(c.tick(1_000), Hlc { wall_ms: 1_000, counter: 0, node: A });
        assert_eq!(c.tick(2_000), Hlc { wall_ms: 2_000, counter: 0, node: A });
    }

    #[test]
    fn stays_monotonic_when_the_wall_clock_goes_backwards() {
        let mut c = HlcClock::new(A, Hlc::ZERO);
        let t1 = c.tick(10_000);
        let t2 = c.tick(5_000); // the clock was set back five seconds
        let t3 = c.tick(5_001);
        assert!(t1 < t2 && t2 < t3);
        assert_eq!(t2.wall_ms, 10_000);
        assert_eq!(t3.counter, 2);
    }

    #[test]
    fn resumes_after_a_persisted_timestamp() {
        let mut before = HlcClock::new(A, Hlc::ZERO);
        let last = before.tick(50_000);
        let mut after = HlcClock::new(A, last);
        assert!(after.tick(1) > last, "a restart with a wrong clock still moves forward");
    }

    #[test]
    fn observing_a_remote_timestamp_orders_later_events_after_it() {
        let mut c = HlcClock::new(A, Hlc::ZERO);
        c.tick(1_000);
        let remote = Hlc { wall_ms: 9_000, counter: 7, node: NodeId(0xb) };
        let merged = c.observe(remote, 2_000);
        assert!(merged > remote);
        assert!(c.tick(2_001) > remote);
    }

    #[test]
    fn a_full_counter_borrows_a_millisecond() {
        let mut c = HlcClock::new(A, Hlc { wall_ms: 7, counter: u32::MAX, node: A });
        assert_eq!(c.tick(1), Hlc { wall_ms: 8, counter: 0, node: A });
    }

    #[test]
    fn the_text_form_round_trips_and_is_frozen() {
        let t = Hlc { wall_ms: 0x0193_5b2c_1d00, counter: 3, node: NodeId(0xdead_beef) };
        assert_eq!(t.to_string(), "01935b2c1d00-00000003-00000000deadbeef");
        assert_eq!(t.to_string().parse::<Hlc>().unwrap(), t);
        assert!("123".parse::<Hlc>().is_err());
        assert!("01935b2c1d00-00000003-00000000deadbeeg".parse::<Hlc>().is_err());
    }

    #[test]
    fn observing_the_largest_version_saturates_and_still_writes_back() {
        let mut c = HlcClock::new(A, Hlc::ZERO);
        let remote: Hlc = "ffffffffffff-ffffffff-ffffffffffffffff".parse().unwrap();
        for t in [c.observe(remote, 1_000), c.tick(2_000), c.observe(remote, 3_000)] {
            assert_eq!(t.to_string().len(), 38, "{t}");
            assert_eq!(t.to_string().parse::<Hlc>().unwrap(), t);
            assert_eq!(t.wall_ms, Hlc::MAX_WALL_MS);
        }
        assert!(c.tick(u64::MAX).wall_ms <= Hlc::MAX_WALL_MS);
    }

    #[test]
    fn versions_that_would_not_write_back_the_same_are_refused() {
        for bad in [
            "01935B2C1D00-00000003-00000000deadbeef",
            "+1935b2c1d00-00000003-00000000deadbeef",
            "01935b2c1d00-+0000003-00000000deadbeef",
            "01935b2c1d00-00000003-+0000000deadbeef",
            "1001935b2c1d00-00000003-00000000deadbeef",
        ] {
            assert!(bad.parse::<Hlc>().is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn ticks_strictly_increase_whatever_the_wall_clock_does(walls in proptest::collection::vec(0u64..1u64 << 44, 1..200)) {
            let mut c = HlcClock::new(A, Hlc::ZERO);
            let mut prev = Hlc::ZERO;
            for w in walls {
                let t = c.tick(w);
                prop_assert!(t > prev);
                prev = t;
            }
        }

        #[test]
        fn text_order_equals_value_order(a in any::<(u64, u32, u64)>(), b in any::<(u64, u32, u64)>()) {
            let mk = |(w, c, n): (u64, u32, u64)| Hlc { wall_ms: w & 0xffff_ffff_ffff, counter: c, node: NodeId(n) };
            let (x, y) = (mk(a), mk(b));
            prop_assert_eq!(x.cmp(&y), x.to_string().cmp(&y.to_string()));
        }

        #[test]
        fn observe_never_goes_back(walls in proptest::collection::vec((0u64..1u64 << 40, any::<bool>(), 0u64..1u64 << 40, 0u32..10), 1..100)) {
            let mut c = HlcClock::new(A, Hlc::ZERO);
            let mut prev = Hlc::ZERO;
            for (w, remote_event, rw, rc) in walls {
                let t = if remote_event {
                    let r = Hlc { wall_ms: rw, counter: rc, node: NodeId(0xb) };
                    let t = c.observe(r, w);
                    prop_assert!(t > r);
                    t
                } else {
                    c.tick(w)
                };
                prop_assert!(t > prev);
                prev = t;
            }
        }
    }
}
