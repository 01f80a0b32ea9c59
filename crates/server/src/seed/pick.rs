//! Random choices from the seeded generator. Every list the seed picks from is a constant that
//! a unit test keeps non-empty, so an empty list here is a bug in this module's callers.

use rand::Rng;
use rand::rngs::StdRng;

use super::words::Phrases;

/// One item, uniformly.
pub(crate) fn choose<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// One phrase of a bank's list.
pub(crate) fn phrase(rng: &mut StdRng, phrases: Phrases) -> &'static str {
    choose(rng, phrases)
}

/// One item, with probability proportional to its weight.
pub(crate) fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total.max(1));
    for (item, weight) in items {
        if roll < *weight {
            return *item;
        }
        roll -= weight;
    }
    items[items.len() - 1].0
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn weighted_choices_follow_their_weights_and_never_pick_a_zero() {
        let mut rng = StdRng::seed_from_u64(7);
        let mut counts = [0u32; 3];
        for _ in 0..10_000 {
            counts[weighted(&mut rng, &[(0usize, 1), (1, 0), (2, 3)])] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((2_300..2_700).contains(&counts[0]), "{counts:?}");
    }
}
