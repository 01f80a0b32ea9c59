//! The four kinds of entry a random caregiver writes, with what keeps them plausible and quiet:
//! trust in each subject moves by at most one point at a time and never falls two points over
//! three ratings (the falling-trust warning), and co-destruction factors are spaced out per
//! caregiver and per catalogue service (the recurring-factor warning, see `guard`).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use convivio_core::entry::{EntryBody, Experience, Note, Trust, TrustTarget};
use convivio_core::factor::{Factor, Polarity};
use convivio_core::need::{Need, NeedCategory, Urgency};
use convivio_core::score::Score;
use convivio_core::text::{LongText, ShortText};
use convivio_core::{Invalid, RecordId};
use rand::Rng;
use rand::rngs::StdRng;

use super::catalogue::Catalogue;
use super::guard::Spacing;
use super::pick::{choose, phrase, weighted};
use super::plan::long;
use super::words::Bank;

/// Whom a trust rating is about, as the falling-trust rule groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Subject {
    Agency,
    ResearchTeam,
    Service(RecordId),
    Professional(usize),
}

/// Per-service factor counts across every random caregiver.
pub(crate) type ServiceFactors = Spacing<(RecordId, Factor)>;

/// What one random caregiver carries from entry to entry.
#[derive(Debug)]
pub(crate) struct Habits {
    pub bank: &'static Bank,
    pub professionals: [&'static str; 2],
    pub consented: bool,
    trust: BTreeMap<Subject, Vec<u8>>,
    factors: Spacing<Factor>,
}

fn co(polarity: Polarity) -> Vec<Factor> {
    Factor::ALL.into_iter().filter(|f| f.polarity() == polarity).collect()
}

fn score(n: u8) -> Result<Score, Invalid> {
    Score::parse("score", i64::from(n))
}

impl Habits {
    pub(crate) fn new(bank: &'static Bank, professionals: [&'static str; 2], consented: bool) -> Self {
        Habits { bank, professionals, consented, trust: BTreeMap::new(), factors: Spacing::default() }
    }

    /// Up to `n` co-destruction factors at `at` that keep this caregiver's (and, for a
    /// catalogue service, that service's) factors spaced out.
    fn bad_factors(
        &mut self,
        rng: &mut StdRng,
        n: usize,
        at: DateTime<Utc>,
        service: Option<RecordId>,
        per_service: &mut ServiceFactors,
    ) -> Vec<Factor> {
        let mut picked = Vec::new();
        let candidates = co(Polarity::CoDestruction);
        for _ in 0..n {
            let factor = choose(rng, &candidates);
            let service_ok = service.is_none_or(|s| per_service.allows(&(s, factor), at));
            if picked.contains(&factor) || !service_ok || !self.factors.allows(&factor, at) {
                continue;
            }
            self.factors.admit(factor, at);
            if let Some(s) = service {
                per_service.admit((s, factor), at);
            }
            picked.push(factor);
        }
        picked
    }

    pub(crate) fn need(&self, rng: &mut StdRng) -> Result<(EntryBody, Urgency), Invalid> {
        use NeedCategory as C;
        let category = weighted(
            rng,
            &[
                (C::Respite, 18),
                (C::Information, 14),
                (C::Transport, 14),
                (C::PersonalCare, 14),
                (C::Health, 14),
                (C::EmotionalSupport, 8),
                (C::PaperworkMoney, 8),
                (C::Equipment, 7),
                (C::Other, 3),
            ],
        );
        let urgency = weighted(rng, &[(Urgency::Low, 35), (Urgency::Medium, 45), (Urgency::High, 20)]);
        let text = long("text", phrase(rng, self.bank.need(category)))?;
        Ok((EntryBody::Need(Need { category, urgency, text: Some(text) }), urgency))
    }

    /// A visit to a service, mostly from the catalogue (only what was offered then), rated
    /// 1-5 and tagged.
    pub(crate) fn experience(
        &mut self,
        rng: &mut StdRng,
        occurred_at: DateTime<FixedOffset>,
        catalogue: &Catalogue,
        per_service: &mut ServiceFactors,
    ) -> Result<(EntryBody, u8), Invalid> {
        let at = occurred_at.to_utc();
        let offered: Vec<(RecordId, &'static str)> =
            catalogue.offered_at(at).map(|s| (s.id, s.name)).collect();
        let (service_id, service) = if rng.random_bool(0.75) && !offered.is_empty() {
            let (id, name) = choose(rng, &offered);
            (Some(id), name)
        } else {
            (None, phrase(rng, self.bank.other_services))
        };
        let rating = weighted(rng, &[(1u8, 8), (2, 12), (3, 20), (4, 35), (5, 25)]);
        let good = co(Polarity::CoCreation);
        let (mut factors, mut went_well, mut went_badly) = (Vec::new(), None, None);
        if rating >= 3 {
            let f = choose(rng, &good);
            went_well = Some(phrase(rng, self.bank.went_well(f)));
            if rating >= 4 && rng.random_bool(0.7) {
                factors.push(f);
                if rng.random_bool(0.3) {
                    factors.push(choose(rng, &good));
                }
            }
        }
        if rating <= 3 {
            let wanted = match rating {
                3 => usize::from(rng.random_bool(0.3)),
                _ => rng.random_range(1..=2),
            };
            let bad = self.bad_factors(rng, wanted, at, service_id, per_service);
            went_badly = Some(match bad.first() {
                Some(f) => phrase(rng, self.bank.went_badly(*f)),
                None if rating <= 2 => {
                    let untagged = choose(rng, &co(Polarity::CoDestruction));
                    phrase(rng, self.bank.went_badly(untagged))
                }
                None => phrase(rng, self.bank.went_so_so),
            });
            factors.extend(bad);
        }
        factors.sort();
        factors.dedup();
        let experience = Experience {
            service: ShortText::parse("service", service)?,
            service_id,
            visit_date: occurred_at.date_naive(),
            rating: score(rating)?,
            went_well: went_well.map(|t| long("went_well", t)).transpose()?,
            went_badly: went_badly.map(|t| long("went_badly", t)).transpose()?,
            factors,
        };
        Ok((EntryBody::Experience(experience), rating))
    }

    /// A trust rating: the next step of this subject's walk.
    pub(crate) fn trust(
        &mut self,
        rng: &mut StdRng,
        at: DateTime<Utc>,
        catalogue: &Catalogue,
        per_service: &mut ServiceFactors,
    ) -> Result<EntryBody, Invalid> {
        let offered: Vec<(RecordId, &'static str)> =
            catalogue.offered_at(at).map(|s| (s.id, s.name)).collect();
        let research = if self.consented { 10 } else { 0 };
        let pick = weighted(rng, &[(0u8, 35), (1, 30), (2, 25), (3, research)]);
        let (subject, target, name) = match pick {
            1 if !offered.is_empty() => {
                let (id, name) = choose(rng, &offered);
                (Subject::Service(id), TrustTarget::Service, Some(name))
            }
            2 => {
                let i = rng.random_range(0..2);
                (Subject::Professional(i), TrustTarget::Professional, Some(self.professionals[i]))
            }
            3 => (Subject::ResearchTeam, TrustTarget::ResearchTeam, None),
            _ => (Subject::Agency, TrustTarget::Agency, None),
        };
        let history = self.trust.entry(subject).or_default();
        let next = match history.last() {
            None => weighted(rng, &[(2u8, 10), (3, 30), (4, 45), (5, 15)]),
            Some(&last) => {
                let step = weighted(rng, &[(-1i8, 25), (0, 45), (1, 30)]);
                // Never two points below the rating two before: no falling-trust warning.
                let floor = history.len().checked_sub(2).map_or(1, |i| history[i].saturating_sub(1).max(1));
                (last as i8 + step).clamp(floor as i8, 5) as u8
            }
        };
        let previous = history.last().copied();
        history.push(next);
        let bank = self.bank;
        let (reason, mut factors) = match previous.map(|p| next.cmp(&p)) {
            Some(Ordering::Less) => {
                let service = match subject {
                    Subject::Service(id) => Some(id),
                    _ => None,
                };
                let wanted = usize::from(rng.random_bool(0.5));
                (phrase(rng, bank.trust_down), self.bad_factors(rng, wanted, at, service, per_service))
            }
            Some(Ordering::Greater) => {
                let tag = rng.random_bool(0.5).then(|| choose(rng, &co(Polarity::CoCreation)));
                (phrase(rng, bank.trust_up), tag.into_iter().collect())
            }
            None if next >= 4 => (phrase(rng, bank.trust_up), Vec::new()),
            _ => (phrase(rng, bank.trust_same), Vec::new()),
        };
        factors.sort();
        Ok(EntryBody::Trust(Trust {
            target,
            target_name: name.map(|n| ShortText::parse("target_name", n)).transpose()?,
            score: score(next)?,
            reason: Some(long("reason", reason)?),
            factors,
        }))
    }

    pub(crate) fn note(&self, rng: &mut StdRng) -> Result<EntryBody, Invalid> {
        let mood = weighted(rng, &[(1u8, 7), (2, 18), (3, 35), (4, 28), (5, 12)]);
        let burden = (6 - mood).clamp(1, 5).saturating_add(rng.random_range(0..2)).min(5);
        let words = match mood {
            4.. => self.bank.notes_good,
            ..=2 => self.bank.notes_hard,
            _ => self.bank.notes_plain,
        };
        Ok(EntryBody::Note(Note {
            mood: rng.random_bool(0.9).then(|| score(mood)).transpose()?,
            burden: rng.random_bool(0.85).then(|| score(burden)).transpose()?,
            text: LongText::parse("text", phrase(rng, words))?,
        }))
    }
}
