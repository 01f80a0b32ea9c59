//! Throttling enrolment attempts per client address, so that guessing a code is hopeless: with
//! ~59 bits per code and 10 tries a minute, a guesser expects to need far longer than the week a
//! code lives. Kept in process memory: each replica throttles on its own, which still bounds
//! the rate by the replica count.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

#[derive(Debug)]
pub struct Throttle {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl Throttle {
    pub fn per_minute(attempts: u32) -> Self {
        let attempts = NonZeroU32::new(attempts.max(1)).unwrap_or(NonZeroU32::MIN);
        Throttle { limiter: RateLimiter::keyed(Quota::per_minute(attempts)), clock: DefaultClock::default() }
    }

    /// `Ok` to go ahead, or `Err(seconds)` to wait.
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        self.limiter
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()).as_secs().max(1))
    }
}

#[cfg(test)]
mod tests {
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
}
