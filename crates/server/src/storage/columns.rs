//! The readable columns: what the dashboard lists, filters and counts records by, copied out of
//! each record's JSON body with every version written. Defined once here, for both backends, so
//! the queue, the warnings and the overview are indexed queries and never scans of JSON.
//!
//! [`COLUMNS_VERSION`] names this definition. Rows written by an older one (or before the columns
//! existed) are filled in again when the server starts (`Store::migrate`), so a change here is a
//! bump of the number, not a migration that parses JSON in SQL.

use chrono::{DateTime, Utc};
use convivio_core::entry::{EntryBody, EntryKind, TrustTarget};
use convivio_core::factor::{Factor, Polarity};
use convivio_core::need::{NeedCategory, NeedStatus, Urgency};
use convivio_core::{Lang, Record, Role, Sharing};
use uuid::Uuid;

/// Bumped whenever [`Columns::of`] changes what it writes.
pub const COLUMNS_VERSION: i32 = 1;

/// What one version of a record shows in its readable columns. Empty for a tombstone: a deleted
/// or withdrawn entry leaves every list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    pub entry_kind: Option<EntryKind>,
    pub sharing: Option<Sharing>,
    /// Entries: when it happened; messages: sent; status changes: changed; tombstones: deleted.
    pub occurred_at: Option<DateTime<Utc>>,
    /// Entries: when the caregiver wrote it down.
    pub recorded_at: Option<DateTime<Utc>>,
    pub need_category: Option<NeedCategory>,
    pub urgency: Option<Urgency>,
    /// A trust score or an experience's rating.
    pub score: Option<u8>,
    /// What a rating or a factor tag is about.
    pub subject: Option<Subject>,
    /// The status a need status change sets.
    pub status: Option<NeedStatus>,
    pub owner_role: Option<Role>,
    pub owner_id: Option<Uuid>,
    /// An entry's factor tags.
    pub factors: Vec<Factor>,
    /// An entry's words for full-text search (its texts and its need category's names).
    pub words: Option<String>,
}

/// What a rating is about, as a stable key and the words to show: `agency`, `research_team`,
/// `service:<name>` or `professional:<name>`, the name folded (lower case, single spaces) so
/// "Pasti a domicilio" and "pasti a  Domicilio" are one service. Services are keyed by name
/// rather than catalogue id because trust ratings name a service only by its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub key: String,
    pub label: String,
}

impl Subject {
    pub fn service(name: &str) -> Subject {
        Subject { key: format!("service:{}", fold(name)), label: name.trim().to_owned() }
    }

    fn of_trust(target: TrustTarget, name: Option<&str>) -> Subject {
        match (target, name.map(str::trim).filter(|n| !n.is_empty())) {
            (TrustTarget::Service, Some(name)) => Subject::service(name),
            (TrustTarget::Professional, Some(name)) => {
                Subject { key: format!("professional:{}", fold(name)), label: name.to_owned() }
            }
            (target, _) => Subject { key: target.code().to_owned(), label: String::new() },
        }
    }
}

fn fold(name: &str) -> String {
    name.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

impl Columns {
    /// The columns of `record`'s current version.
    pub fn of(record: &Record) -> Columns {
        let owner = record.owner();
        let mut columns =
            Columns { owner_role: Some(owner.role), owner_id: Some(owner.id), ..Columns::default() };
        match record {
            Record::Entry(entry) => {
                columns.entry_kind = Some(entry.kind());
                columns.sharing = Some(entry.sharing);
                columns.occurred_at = Some(entry.occurred_at.to_utc());
                columns.recorded_at = Some(entry.recorded_at);
                columns.factors = entry.body.factors().to_vec();
                let mut words: Vec<&str> = entry.body.texts();
                match &entry.body {
                    EntryBody::Need(need) => {
                        columns.need_category = Some(need.category);
                        columns.urgency = Some(need.urgency);
                        words.retain(|w| *w != need.category.code());
                        words.push(need.category.label(Lang::It));
                        words.push(need.category.label(Lang::En));
                    }
                    EntryBody::Experience(e) => {
                        columns.score = Some(e.rating.get());
                        columns.subject = Some(Subject::service(e.service.as_str()));
                    }
                    EntryBody::Trust(t) => {
                        columns.score = Some(t.score.get());
                        columns.subject =
                            Some(Subject::of_trust(t.target, t.target_name.as_ref().map(|n| n.as_str())));
                    }
                    EntryBody::Note(_) => {}
                }
                columns.words = Some(words.join("\n"));
            }
            Record::Message(m) => columns.occurred_at = Some(m.sent_at),
            Record::NeedStatusChange(s) => {
                columns.occurred_at = Some(s.changed_at);
                columns.status = Some(s.status);
            }
            Record::Tombstone(t) => columns.occurred_at = Some(t.deleted_at),
            Record::ReadReceipt(r) => columns.occurred_at = Some(r.read_at),
            Record::CatalogueItem(_) | Record::Profile(_) | Record::Consent(_) => {}
        }
        columns
    }

    /// The factor tags that are causes of co-destruction.
    pub fn is_co_destruction(factor: Factor) -> bool {
        factor.polarity() == Polarity::CoDestruction
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use convivio_core::entry::{Entry, EntryInput};
    use convivio_core::{Hlc, NodeId, Owner, RecordId};

    fn entry(input: EntryInput) -> Record {
        let draft = input.parse(Utc::now().fixed_offset()).unwrap();
        Record::Entry(Entry::create(
            RecordId::new(),
            Hlc { wall_ms: 1, counter: 0, node: NodeId(1) },
            Owner::caregiver(Uuid::nil()),
            Utc::now(),
            draft,
        ))
    }

    #[test]
    fn a_trust_rating_of_a_service_is_keyed_by_its_folded_name() {
        let record = entry(EntryInput {
            kind: "trust".into(),
            sharing: Some("agency".into()),
            target: Some("service".into()),
            target_name: Some(" Pasti a  Domicilio ".into()),
            score: Some(2.into()),
            factors: vec!["mistake".into()],
            ..EntryInput::default()
        });
        let columns = Columns::of(&record);
        assert_eq!(columns.entry_kind, Some(EntryKind::Trust));
        assert_eq!(columns.score, Some(2));
        let subject = columns.subject.unwrap();
        assert_eq!(subject.key, "service:pasti a domicilio");
        assert_eq!(subject.label, "Pasti a  Domicilio");
        assert_eq!(columns.factors, vec![Factor::Mistake]);
    }

    #[test]
    fn a_need_is_searchable_by_its_category_in_italian_and_english() {
        let record = entry(EntryInput {
            kind: "need".into(),
            sharing: Some("agency".into()),
            category: Some("transport".into()),
            urgency: Some("high".into()),
            text: Some("Visita in città giovedì".into()),
            ..EntryInput::default()
        });
        let columns = Columns::of(&record);
        assert_eq!(columns.urgency, Some(Urgency::High));
        let words = columns.words.unwrap();
        assert!(
            words.contains("Trasporto") && words.contains("Transport") && words.contains("città"),
            "{words}"
        );
        assert!(!words.contains("transport\n"), "the code itself is not a word: {words}");
    }
}
