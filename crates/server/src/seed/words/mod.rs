//! Phrase banks for the synthetic population, one file per language, so a caregiver's diary and
//! the agency's replies to them read as written by people in Ticino, the Grisons, the Valais or
//! the Jura: accents and umlauts included, since that is where text handling breaks.
//!
//! These are test data, not interface words (those live in core's labels and, for the
//! dashboard, in Fluent files): nothing here is shown to a real caregiver.

mod de;
mod en;
mod fr;
mod it;

use convivio_core::Lang;
use convivio_core::factor::Factor;
use convivio_core::need::NeedCategory;

/// Phrases a list picks from.
pub(crate) type Phrases = &'static [&'static str];

/// Everything the seed writes in one language.
#[derive(Debug)]
pub(crate) struct Bank {
    /// What a caregiver asks for, by need category.
    pub needs: &'static [(NeedCategory, Phrases)],
    /// What went badly in a visit, by co-destruction factor.
    pub went_badly: &'static [(Factor, Phrases)],
    /// What went well, by co-creation factor.
    pub went_well: &'static [(Factor, Phrases)],
    /// A middling visit, with no factor in particular.
    pub went_so_so: Phrases,
    /// Why trust rose, fell, or stayed.
    pub trust_up: Phrases,
    pub trust_down: Phrases,
    pub trust_same: Phrases,
    /// Notes on a good, a hard and an ordinary day.
    pub notes_good: Phrases,
    pub notes_hard: Phrases,
    pub notes_plain: Phrases,
    /// Staff replies: first answer, work under way, done, a bad visit regretted, and what
    /// staff write after a need could not be met. `{name}` is the caregiver's first name.
    pub staff_first: Phrases,
    pub staff_progress: Phrases,
    pub staff_met: Phrases,
    pub staff_sorry: Phrases,
    pub staff_after_not_met: Phrases,
    /// Why a need was not met (the status change's reason).
    pub not_met_reasons: Phrases,
    /// The caregiver answering staff, and asking again after a "not met".
    pub caregiver_replies: Phrases,
    pub caregiver_still_waiting: Phrases,
    /// Services outside the agency's catalogue, named in free text.
    pub other_services: Phrases,
    /// Professionals a caregiver rates by name.
    pub professionals: Phrases,
}

impl Bank {
    pub(crate) fn of(lang: Lang) -> &'static Bank {
        match lang {
            Lang::It => &it::BANK,
            Lang::En => &en::BANK,
            Lang::De => &de::BANK,
            Lang::Fr => &fr::BANK,
        }
    }

    pub(crate) fn need(&self, category: NeedCategory) -> Phrases {
        lookup(self.needs, category)
    }

    pub(crate) fn went_badly(&self, factor: Factor) -> Phrases {
        lookup(self.went_badly, factor)
    }

    pub(crate) fn went_well(&self, factor: Factor) -> Phrases {
        lookup(self.went_well, factor)
    }
}

fn lookup<K: PartialEq>(table: &'static [(K, Phrases)], key: K) -> Phrases {
    table.iter().find(|(k, _)| *k == key).map_or(&[], |(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use convivio_core::factor::Polarity;
    use convivio_core::text::{LongText, ShortText};

    fn all_lists(bank: &Bank) -> Vec<Phrases> {
        let mut lists: Vec<Phrases> = vec![
            bank.went_so_so,
            bank.trust_up,
            bank.trust_down,
            bank.trust_same,
            bank.notes_good,
            bank.notes_hard,
            bank.notes_plain,
            bank.staff_first,
            bank.staff_progress,
            bank.staff_met,
            bank.staff_sorry,
            bank.staff_after_not_met,
            bank.not_met_reasons,
            bank.caregiver_replies,
            bank.caregiver_still_waiting,
        ];
        lists.extend(bank.needs.iter().map(|(_, p)| *p));
        lists.extend(bank.went_badly.iter().map(|(_, p)| *p));
        lists.extend(bank.went_well.iter().map(|(_, p)| *p));
        lists
    }

    #[test]
    fn every_language_has_words_for_every_category_and_factor() {
        for lang in Lang::ALL {
            let bank = Bank::of(lang);
            for category in NeedCategory::ALL {
                assert!(!bank.need(*category).is_empty(), "{lang:?} {category}");
            }
            for factor in Factor::ALL {
                let phrases = match factor.polarity() {
                    Polarity::CoDestruction => bank.went_badly(factor),
                    Polarity::CoCreation => bank.went_well(factor),
                };
                assert!(!phrases.is_empty(), "{lang:?} {}", factor.code());
            }
            for list in all_lists(bank) {
                assert!(!list.is_empty(), "{lang:?}: an empty phrase list");
            }
            assert!(bank.other_services.len() >= 3 && bank.professionals.len() >= 3, "{lang:?}");
        }
    }

    #[test]
    fn every_phrase_is_valid_record_text() {
        for lang in Lang::ALL {
            let bank = Bank::of(lang);
            for phrase in all_lists(bank).into_iter().flatten() {
                assert!(LongText::parse("text", phrase).is_ok(), "{lang:?}: {phrase}");
            }
            for name in bank.other_services.iter().chain(bank.professionals) {
                assert!(ShortText::parse("name", name).is_ok(), "{lang:?}: {name}");
            }
        }
    }

    #[test]
    fn the_banks_write_each_languages_own_letters() {
        let joined = |lang| all_lists(Bank::of(lang)).into_iter().flatten().copied().collect::<String>();
        assert!(joined(Lang::It).contains('à') && joined(Lang::It).contains('è'));
        assert!(joined(Lang::De).contains('ü') && joined(Lang::De).contains('ä'));
        assert!(joined(Lang::Fr).contains('é') && joined(Lang::Fr).contains('ç'));
    }
}
