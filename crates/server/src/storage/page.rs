//! Where a page of the feed ends, the same on both backends.

/// Whether a record of `len` bytes of JSON joins a page that holds `count` records of `bytes`
/// so far: within `limit` records and `max_bytes` bytes, and the first record always (a
/// record larger than the budget must still reach the device, alone).
pub(super) fn fits(count: usize, limit: u32, bytes: usize, len: usize, max_bytes: usize) -> bool {
    count == 0 || (count < limit as usize && bytes.saturating_add(len) <= max_bytes)
}

#[cfg(test)]
mod tests {
    use super::fits;

    #[test]
    fn a_page_ends_at_the_first_bound_reached_but_never_empty() {
        assert!(fits(0, 10, 0, 5_000, 100), "the first record, however large");
        assert!(fits(1, 10, 40, 60, 100), "exactly at the budget");
        assert!(!fits(1, 10, 41, 60, 100), "one byte over");
        assert!(!fits(10, 10, 0, 1, 100), "the record limit");
    }
}
