//! The five early-warning rules as the seed's tests read them, written here from the rules'
//! wording (not from the seed's code), so a seed that plants the wrong shape is caught.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use convivio_core::entry::{Entry, EntryBody, TrustTarget};
use convivio_core::factor::{Factor, Polarity};
use convivio_core::message::Message;
use convivio_core::need::{NeedStatus, Urgency};
use convivio_core::need_status::NeedStatusChange;
use convivio_core::{Record, RecordId, Role};

/// One caregiver's records, sorted out by kind.
#[derive(Debug, Default)]
pub struct Records {
    pub entries: Vec<Entry>,
    pub changes: Vec<NeedStatusChange>,
    pub messages: Vec<Message>,
}

impl Records {
    pub fn of(records: impl IntoIterator<Item = Record>) -> Self {
        let mut r = Records::default();
        for record in records {
            match record {
                Record::Entry(e) => r.entries.push(e),
                Record::NeedStatusChange(c) => r.changes.push(c),
                Record::Message(m) => r.messages.push(m),
                _ => {}
            }
        }
        r
    }

    fn needs(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| matches!(e.body, EntryBody::Need(_)))
    }

    /// The need's status now: its latest change's, or open.
    fn status(&self, need: RecordId) -> Option<&NeedStatusChange> {
        self.changes.iter().filter(|c| c.entry_id == need).max_by_key(|c| c.changed_at)
    }
}

/// A trust subject: the target's code and, for a service or professional, the name in lower case.
type Subject<'a> = (&'a str, String);

/// Rule 1: some subject's last three scores fall by 2 or more.
pub fn falling_trust(r: &Records) -> bool {
    let mut by_subject: BTreeMap<Subject<'_>, Vec<(DateTime<Utc>, u8)>> = BTreeMap::new();
    for e in &r.entries {
        if let EntryBody::Trust(t) = &e.body {
            let name = match t.target {
                TrustTarget::Service | TrustTarget::Professional => {
                    t.target_name.as_ref().map(|n| n.as_str().to_lowercase()).unwrap_or_default()
                }
                TrustTarget::Agency | TrustTarget::ResearchTeam => String::new(),
            };
            by_subject
                .entry((t.target.code(), name))
                .or_default()
                .push((e.occurred_at.to_utc(), t.score.get()));
        }
    }
    by_subject.into_values().any(|mut scores| {
        scores.sort();
        scores.len() >= 3 && {
            let last = &scores[scores.len() - 3..];
            i16::from(last[0].1) - i16::from(last[2].1) >= 2
        }
    })
}

pub fn reply_within(urgency: Urgency) -> Duration {
    Duration::days(match urgency {
        Urgency::High => 1,
        Urgency::Medium => 3,
        Urgency::Low => 7,
    })
}

/// Rule 2: the needs open or only acknowledged past their expected reply date, at `at`.
pub fn overdue(r: &Records, at: DateTime<Utc>) -> Vec<RecordId> {
    r.needs()
        .filter(|e| {
            let EntryBody::Need(need) = &e.body else { return false };
            let status = r.status(e.id).map_or(NeedStatus::Open, |c| c.status);
            matches!(status, NeedStatus::Open | NeedStatus::Acknowledged)
                && e.recorded_at + reply_within(need.urgency) < at
        })
        .map(|e| e.id)
        .collect()
}

/// Whether three of these times fall within 30 days.
fn three_within_30_days(mut times: Vec<DateTime<Utc>>) -> bool {
    times.sort();
    times.windows(3).any(|w| w[2] - w[0] <= Duration::days(30))
}

fn bad_factors(e: &Entry) -> impl Iterator<Item = Factor> + '_ {
    e.body.factors().iter().copied().filter(|f| f.polarity() == Polarity::CoDestruction)
}

/// Rule 3, one caregiver: the co-destruction factors that recur in their entries.
pub fn recurring_factors(r: &Records) -> Vec<Factor> {
    let mut times: BTreeMap<Factor, Vec<DateTime<Utc>>> = BTreeMap::new();
    for e in &r.entries {
        for f in bad_factors(e) {
            times.entry(f).or_default().push(e.occurred_at.to_utc());
        }
    }
    times.into_iter().filter(|(_, t)| three_within_30_days(t.clone())).map(|(f, _)| f).collect()
}

/// Rule 3, services: the (catalogue service, factor) pairs that recur across all these entries.
pub fn recurring_about_services<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<(RecordId, Factor)> {
    let mut times: BTreeMap<(RecordId, Factor), Vec<DateTime<Utc>>> = BTreeMap::new();
    for e in entries {
        if let EntryBody::Experience(x) = &e.body
            && let Some(service) = x.service_id
        {
            for f in bad_factors(e) {
                times.entry((service, f)).or_default().push(e.occurred_at.to_utc());
            }
        }
    }
    times.into_iter().filter(|(_, t)| three_within_30_days(t.clone())).map(|(k, _)| k).collect()
}

/// Rule 4: the needs whose current status is not met with no staff message after that change.
pub fn unanswered_not_met(r: &Records) -> Vec<RecordId> {
    r.needs()
        .filter(|e| {
            r.status(e.id).is_some_and(|c| {
                c.status == NeedStatus::NotMet
                    && !r.messages.iter().any(|m| {
                        m.entry_id == e.id && m.owner.role == Role::Staff && m.sent_at > c.changed_at
                    })
            })
        })
        .map(|e| e.id)
        .collect()
}

/// Rule 5 for a device that synced: not revoked and silent for more than 14 days at `at`.
/// (A device that never synced counts from its enrolment, which the store does not tell.)
pub fn silent(revoked: bool, last_sync_at: Option<DateTime<Utc>>, at: DateTime<Utc>) -> Option<bool> {
    last_sync_at.map(|last| !revoked && at - last > Duration::days(14))
}
