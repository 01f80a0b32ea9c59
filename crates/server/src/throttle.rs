//! Throttling enrolment attempts per client address, so that guessing a code is hopeless: with
//! ~59 bits per code and 10 tries a minute, a guesser expects to need far longer than the week a
//! code lives. Kept in process memory: each replica throttles on its own, which still bounds
//! the rate by the replica count.
//!
//! Keys are [`client_addr::bucket`]s (IPv6 by /64). The per-key map would otherwise grow by one
//! entry per address ever seen, so every [`EVICT_EVERY`] checks it drops the keys whose state is
//! back to fresh (governor's `retain_recent`: nobody from there tried within the last minute)
//! and gives the memory back.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::client_addr;

/// How many checks between two evictions of stale keys.
pub const EVICT_EVERY: u64 = 1024;

pub struct Throttle<C: Clock = DefaultClock> {
    limiter: RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, C, NoOpMiddleware<C::Instant>>,
    clock: C,
    checks: AtomicU64,
}

impl<C: Clock + Clone> std::fmt::Debug for Throttle<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Throttle").field("tracked", &self.tracked()).finish_non_exhaustive()
    }
}

impl Throttle {
    pub fn per_minute(attempts: u32) -> Self {
        Throttle::with_clock(attempts, DefaultClock::default())
    }
}

impl<C: Clock + Clone> Throttle<C> {
    /// A throttle on `clock` (tests pass governor's `FakeRelativeClock`).
    pub fn with_clock(attempts: u32, clock: C) -> Self {
        let attempts = NonZeroU32::new(attempts.max(1)).unwrap_or(NonZeroU32::MIN);
        let limiter =
            RateLimiter::new(Quota::per_minute(attempts), DefaultKeyedStateStore::default(), clock.clone());
        Throttle { limiter, clock, checks: AtomicU64::new(0) }
    }

    /// `Ok` to go ahead, or `Err(seconds)` to wait. `client` is grouped by [`client_addr::bucket`].
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % EVICT_EVERY == EVICT_EVERY - 1 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter
            .check_key(&client_addr::bucket(client))
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()).as_secs().max(1))
    }

    /// How many addresses the throttle remembers.
    pub fn tracked(&self) -> usize {
        self.limiter.len()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use governor::clock::FakeRelativeClock;

    use super::*;

    #[test]
    fn the_eleventh_attempt_in_a_minute_waits_and_others_are_not_affected() {
        let t = Throttle::per_minute(10);
        let guesser: IpAddr = [10, 0, 0, 1].into();
        for _ in 0..10 {
            assert!(t.check(guesser).is_ok());
        }
        let wait = t.check(guesser).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(t.check([10, 0, 0, 2].into()).is_ok());
    }

    #[test]
    fn one_ipv6_64_is_one_guesser() {
        let t = Throttle::per_minute(10);
        for i in 0..10u16 {
            let addr = std::net::Ipv6Addr::new(0x2001, 0xdb8, 7, 7, i, i, i, i);
            assert!(t.check(addr.into()).is_ok());
        }
        let next = std::net::Ipv6Addr::new(0x2001, 0xdb8, 7, 7, 0xffff, 1, 2, 3);
        assert!(t.check(next.into()).is_err(), "a new address of the same /64 is the same guesser");
        let neighbour = std::net::Ipv6Addr::new(0x2001, 0xdb8, 7, 8, 0, 0, 0, 1);
        assert!(t.check(neighbour.into()).is_ok(), "the next /64 is someone else");
    }

    #[test]
    fn addresses_not_seen_for_a_minute_are_forgotten() {
        let clock = FakeRelativeClock::default();
        let t = Throttle::with_clock(10, clock.clone());
        let seen = EVICT_EVERY - 1;
        for i in 0..seen {
            let addr = std::net::Ipv4Addr::from(0x0a00_0000 + u32::try_from(i).unwrap());
            assert!(t.check(addr.into()).is_ok());
        }
        assert_eq!(t.tracked(), usize::try_from(seen).unwrap());
        clock.advance(Duration::from_secs(61));
        // The next check is the one that evicts: only its own address is left.
        assert!(t.check([192, 0, 2, 1].into()).is_ok());
        assert!(t.tracked() <= 1, "{} addresses still tracked", t.tracked());
        // Recent guessers are not forgotten by an eviction.
        let guesser: IpAddr = [192, 0, 2, 99].into();
        for _ in 0..10 {
            t.check(guesser).unwrap();
        }
        for i in 0..EVICT_EVERY {
            let addr = std::net::Ipv4Addr::from(0x0b00_0000 + u32::try_from(i).unwrap());
            t.check(addr.into()).unwrap();
        }
        assert!(t.check(guesser).is_err(), "an eviction let a throttled guesser start afresh");
    }
}
