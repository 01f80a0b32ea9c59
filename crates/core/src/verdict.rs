//! Which of two versions of one record wins: the one rule the server and the diary apply to
//! every kind, so their merges cannot drift apart.
//!
//! A version's [`Rank`] is `(round, deletion, version)`, compared in that order:
//! - `version` is the HLC: between two edits, or two deletions, the later one wins;
//! - `deletion`: within a round, a deletion wins over every edit, whatever their clocks, so an
//!   edit made on a sibling device that had not yet seen the deletion (or the withdrawal) can
//!   never bring the text back;
//! - `round` counts an entry's withdrawals: making a shared entry private closes its round with
//!   a withdrawal (a deletion of that round), and the now private entry continues in the next
//!   round, so sharing it again later does win, on purpose, over the withdrawal.
//!
//! Only entries have rounds; every other kind stays in round 0, where a deletion is final.

use std::cmp::Ordering;

use crate::{Hlc, Record};

/// A version's place in its record's order (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    pub round: u32,
    pub deletion: bool,
    pub version: Hlc,
}

/// What an incoming version is, next to the stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The very version already stored: nothing to do.
    Same,
    /// It loses: the stored version stays; the incoming one may be kept as history.
    Older,
    /// It wins: it becomes the stored version, and the stored one goes to history.
    Newer,
}

/// The verdict on `incoming` against `stored`.
pub fn verdict(stored: Rank, incoming: Rank) -> Verdict {
    match incoming.cmp(&stored) {
        Ordering::Equal => Verdict::Same,
        Ordering::Less => Verdict::Older,
        Ordering::Greater => Verdict::Newer,
    }
}

impl Record {
    /// This version's rank against other versions of the same record.
    pub fn rank(&self) -> Rank {
        match self {
            Record::Entry(e) => e.rank(),
            Record::Tombstone(t) => t.rank(),
            Record::Message(_)
            | Record::NeedStatusChange(_)
            | Record::CatalogueItem(_)
            | Record::Profile(_)
            | Record::Consent(_)
            | Record::ReadReceipt(_) => Rank { round: 0, deletion: false, version: self.version() },
        }
    }
}

impl crate::entry::Entry {
    pub fn rank(&self) -> Rank {
        Rank { round: self.round, deletion: false, version: self.version }
    }
}

impl crate::tombstone::Tombstone {
    pub fn rank(&self) -> Rank {
        Rank { round: self.round, deletion: true, version: self.version }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NodeId;

    fn rank(round: u32, deletion: bool, wall_ms: u64) -> Rank {
        Rank { round, deletion, version: Hlc { wall_ms, counter: 0, node: NodeId(1) } }
    }

    #[test]
    fn the_later_edit_wins() {
        assert_eq!(verdict(rank(0, false, 5), rank(0, false, 9)), Verdict::Newer);
        assert_eq!(verdict(rank(0, false, 9), rank(0, false, 5)), Verdict::Older);
        assert_eq!(verdict(rank(0, false, 9), rank(0, false, 9)), Verdict::Same);
    }

    #[test]
    fn an_edit_that_did_not_see_a_deletion_loses_to_it_whatever_its_clock() {
        let deleted = rank(0, true, 5);
        assert_eq!(verdict(deleted, rank(0, false, u64::from(u32::MAX))), Verdict::Older);
        assert_eq!(verdict(rank(0, false, 900), deleted), Verdict::Newer);
    }

    #[test]
    fn sharing_again_after_a_withdrawal_starts_a_round_that_wins() {
        let withdrawn = rank(3, true, 50);
        assert_eq!(verdict(withdrawn, rank(4, false, 10)), Verdict::Newer);
        assert_eq!(verdict(rank(4, false, 10), rank(3, false, 99)), Verdict::Older);
    }
}
