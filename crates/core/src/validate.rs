//! The rules a whole record obeys, checked where records arrive from elsewhere: the server checks
//! every pushed record, and the diary every pulled one, with the same rules the device's own
//! edges check when the caregiver types them.
//!
//! Deserialising already enforces what the types can hold (a score of 1-5, texts within their
//! lengths, known codes); this adds the rules across fields and against the clock: dates not in
//! the future nor before 1900, factor and condition lists as their parsers make them (each code
//! once, sorted, so at most one of each), consent not revoked before it was given, "not met"
//! with a reason, a read receipt written by a staff member, a deletion of a real kind.

use chrono::{DateTime, Utc};

use crate::entry::{EntryBody, MAX_FUTURE, earliest};
use crate::{Invalid, Record, RecordKind, Rule};

impl Record {
    /// Checks the record against the rules above, as of `now` (the checker's own time).
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), Invalid> {
        match self {
            Record::Entry(e) => {
                date_time_ok("occurred_at", e.occurred_at.to_utc(), now)?;
                date_time_ok("recorded_at", e.recorded_at, now)?;
                match &e.body {
                    EntryBody::Experience(x) => {
                        if x.visit_date > (now + MAX_FUTURE).date_naive() {
                            return Err(Invalid::new(
                                "visit_date",
                                Rule::InFuture,
                                "must not be in the future",
                            ));
                        }
                        if x.visit_date < earliest() {
                            return Err(Invalid::new(
                                "visit_date",
                                Rule::TooEarly,
                                "must not be before 1900",
                            ));
                        }
                        each_once("factors", &x.factors)
                    }
                    EntryBody::Trust(t) => each_once("factors", &t.factors),
                    EntryBody::Need(_) | EntryBody::Note(_) => Ok(()),
                }
            }
            Record::Message(m) => date_time_ok("sent_at", m.sent_at, now),
            Record::NeedStatusChange(s) => {
                date_time_ok("changed_at", s.changed_at, now)?;
                s.validate()
            }
            Record::CatalogueItem(_) => Ok(()),
            Record::ReadReceipt(r) => {
                date_time_ok("read_at", r.read_at, now)?;
                r.validate()
            }
            Record::Profile(p) => each_once("cared_conditions", &p.fields.cared_conditions),
            Record::Consent(c) => {
                date_time_ok("given_at", c.given_at, now)?;
                if let Some(revoked) = c.revoked_at {
                    date_time_ok("revoked_at", revoked, now)?;
                }
                c.validate()
            }
            Record::Tombstone(t) => {
                if t.record_kind == RecordKind::Tombstone {
                    return Err(Invalid::new(
                        "record_kind",
                        Rule::NotAllowed,
                        "a deletion cannot delete a deletion",
                    ));
                }
                if t.round > 0 && t.record_kind != RecordKind::Entry {
                    return Err(Invalid::new("round", Rule::NotAllowed, "only entries have rounds"));
                }
                date_time_ok("deleted_at", t.deleted_at, now)
            }
        }
    }
}

fn date_time_ok(field: &str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Invalid> {
    if at > now + MAX_FUTURE {
        return Err(Invalid::new(field, Rule::InFuture, "must not be more than a day in the future"));
    }
    if at.date_naive() < earliest() {
        return Err(Invalid::new(field, Rule::TooEarly, "must not be before 1900"));
    }
    Ok(())
}

/// Each code at most once, as the list's parser makes it (so a list is never longer than its
/// vocabulary).
fn each_once<T: Ord + Copy>(field: &str, list: &[T]) -> Result<(), Invalid> {
    let mut sorted = list.to_vec();
    sorted.sort_unstable();
    if sorted.windows(2).all(|w| w[0] != w[1]) {
        Ok(())
    } else {
        Err(Invalid::new(field, Rule::Other, "must list each code only once"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden;

    #[test]
    fn the_golden_records_are_valid() {
        let now = Utc::now();
        for record in golden::records() {
            assert_eq!(record.validate(now), Ok(()), "{:?}", record.kind());
        }
    }

    #[test]
    fn a_repeated_factor_or_a_date_far_ahead_is_refused() {
        let now = Utc::now();
        let mut json = serde_json::to_value(
            golden::records()
                .into_iter()
                .find(|r| matches!(r, Record::Entry(e) if matches!(e.body, EntryBody::Experience(_))))
                .expect("a golden experience"),
        )
        .unwrap();
        json["factors"] = serde_json::json!(["mistake", "mistake"]);
        let repeated: Record = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(repeated.validate(now).unwrap_err().field, "factors");
        json["factors"] = serde_json::json!([]);
        json["occurred_at"] = serde_json::json!("2999-01-01T10:00:00+01:00");
        let ahead: Record = serde_json::from_value(json).unwrap();
        let err = ahead.validate(now).unwrap_err();
        assert_eq!((err.field.as_str(), err.code), ("occurred_at", Rule::InFuture));
    }
}
