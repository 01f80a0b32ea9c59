//! Diary entries: the caregiver's needs, service experiences, trust ratings and notes.
//!
//! [`EntryInput`] is what the edges send (loose, every field optional, numbers possibly as
//! strings); [`EntryInput::parse`] turns it into an [`EntryDraft`] or an [`Invalid`] naming the
//! field and the rule. The store then stamps the draft with an id, a version and an owner to
//! make an [`Entry`].

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::code::coded;
use crate::error::required;
use crate::factor::Factor;
use crate::need::{Need, NeedCategory, Urgency};
use crate::score::Score;
use crate::text::{LongText, ShortText};
use crate::tombstone::Tombstone;
use crate::{Hlc, Invalid, Owner, RecordId, Rule, Sharing};

coded!(
    /// The four kinds of entry.
    EntryKind {
        Need => "need",
        Experience => "experience",
        Trust => "trust",
        Note => "note",
    }
);

coded!(
    /// Whom a trust rating is about.
    TrustTarget {
        Agency => "agency",
        Service => "service",
        Professional => "professional",
        ResearchTeam => "research_team",
    }
);

/// A visit or contact with one of the agency's services, and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Experience {
    /// The service's name as the caregiver knows it (from the catalogue, or typed).
    pub service: ShortText,
    /// The catalogue item, when the service was picked from the agency's catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<RecordId>,
    pub visit_date: NaiveDate,
    pub rating: Score,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub went_well: Option<LongText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub went_badly: Option<LongText>,
    #[serde(default)]
    pub factors: Vec<Factor>,
}

/// How much the caregiver trusts someone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trust {
    pub target: TrustTarget,
    /// Which service or professional, when the target is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_name: Option<ShortText>,
    pub score: Score,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<LongText>,
    #[serde(default)]
    pub factors: Vec<Factor>,
}

/// A free note about the day, with optional mood and burden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mood: Option<Score>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burden: Option<Score>,
    pub text: LongText,
}

/// The kind-specific part of an entry. Serialised flat beside the common fields, tagged `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryBody {
    Need(Need),
    Experience(Experience),
    Trust(Trust),
    Note(Note),
}

impl EntryBody {
    pub fn kind(&self) -> EntryKind {
        match self {
            EntryBody::Need(_) => EntryKind::Need,
            EntryBody::Experience(_) => EntryKind::Experience,
            EntryBody::Trust(_) => EntryKind::Trust,
            EntryBody::Note(_) => EntryKind::Note,
        }
    }

    pub fn factors(&self) -> &[Factor] {
        match self {
            EntryBody::Experience(e) => &e.factors,
            EntryBody::Trust(t) => &t.factors,
            EntryBody::Need(_) | EntryBody::Note(_) => &[],
        }
    }

    /// Every piece of free text, for full-text search.
    pub fn texts(&self) -> Vec<&str> {
        fn opt(t: &Option<LongText>) -> Option<&str> {
            t.as_ref().map(LongText::as_str)
        }
        let texts = match self {
            EntryBody::Need(n) => vec![Some(n.category.code()), opt(&n.text)],
            EntryBody::Experience(e) => vec![Some(e.service.as_str()), opt(&e.went_well), opt(&e.went_badly)],
            EntryBody::Trust(t) => vec![t.target_name.as_ref().map(ShortText::as_str), opt(&t.reason)],
            EntryBody::Note(n) => vec![Some(n.text.as_str())],
        };
        texts.into_iter().flatten().collect()
    }
}

/// A validated entry not yet stamped by a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDraft {
    pub occurred_at: DateTime<FixedOffset>,
    pub sharing: Sharing,
    pub body: EntryBody,
}

/// A diary entry as stored and synced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    pub id: RecordId,
    pub version: Hlc,
    pub owner: Owner,
    /// When it happened, in the caregiver's local time with its offset.
    pub occurred_at: DateTime<FixedOffset>,
    /// When it was first written down.
    pub recorded_at: DateTime<Utc>,
    pub sharing: Sharing,
    /// How many times the entry was withdrawn (made private after being shared): see
    /// [`crate::verdict`]. 0, and then left out of the JSON, for nearly every entry.
    #[serde(default, skip_serializing_if = "is_zero", deserialize_with = "crate::whole::u32_lenient")]
    pub round: u32,
    #[serde(flatten)]
    pub body: EntryBody,
}

pub(crate) fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Entry {
    /// Stamps a draft as a new entry.
    pub fn create(
        id: RecordId,
        version: Hlc,
        owner: Owner,
        recorded_at: DateTime<Utc>,
        draft: EntryDraft,
    ) -> Self {
        Entry {
            id,
            version,
            owner,
            occurred_at: draft.occurred_at,
            recorded_at,
            sharing: draft.sharing,
            round: 0,
            body: draft.body,
        }
    }

    /// This entry, shared until now, withdrawn by `private` (its next version, made private):
    /// the withdrawal that closes this round (a tombstone of this round, at `private`'s version,
    /// so no edit of the round made elsewhere without seeing it can win over it), and `private`
    /// moved on to the next round, so that sharing it again later wins. See [`crate::verdict`].
    pub fn withdrawn(&self, private: Entry, at: DateTime<Utc>) -> (Entry, Tombstone) {
        let withdrawal = Tombstone {
            id: self.id,
            version: private.version,
            owner: self.owner,
            record_kind: crate::RecordKind::Entry,
            round: self.round,
            deleted_at: at,
        };
        (Entry { round: self.round.saturating_add(1), ..private }, withdrawal)
    }

    /// The deletion of this entry, at `version`, in its round.
    pub fn deleted(&self, version: Hlc, at: DateTime<Utc>) -> Tombstone {
        Tombstone {
            id: self.id,
            version,
            owner: self.owner,
            record_kind: crate::RecordKind::Entry,
            round: self.round,
            deleted_at: at,
        }
    }

    /// This entry changed by an edit: same id, owner and first recording, new content and version.
    pub fn edited(&self, version: Hlc, draft: EntryDraft) -> Result<Self, Invalid> {
        if draft.body.kind() != self.body.kind() {
            return Err(Invalid::new(
                "kind",
                Rule::NotAllowed,
                format!("cannot change an entry's kind (this one is a {})", self.body.kind()),
            ));
        }
        Ok(Entry {
            version,
            occurred_at: draft.occurred_at,
            sharing: draft.sharing,
            body: draft.body,
            ..self.clone()
        })
    }

    pub fn kind(&self) -> EntryKind {
        self.body.kind()
    }
}

/// Raw entry fields as the edges send them. Unknown fields are refused, naming the field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryInput {
    pub kind: String,
    #[serde(default)]
    pub sharing: Option<String>,
    #[serde(default)]
    pub occurred_at: Option<String>,
    // need
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub urgency: Option<String>,
    // need, note
    #[serde(default)]
    pub text: Option<String>,
    // experience
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub service_id: Option<String>,
    #[serde(default)]
    pub visit_date: Option<String>,
    #[serde(default)]
    pub rating: Option<serde_json::Value>,
    #[serde(default)]
    pub went_well: Option<String>,
    #[serde(default)]
    pub went_badly: Option<String>,
    // experience, trust
    #[serde(default)]
    pub factors: Vec<String>,
    // trust
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub target_name: Option<String>,
    #[serde(default)]
    pub score: Option<serde_json::Value>,
    #[serde(default)]
    pub reason: Option<String>,
    // note
    #[serde(default)]
    pub mood: Option<serde_json::Value>,
    #[serde(default)]
    pub burden: Option<serde_json::Value>,
}

/// How far ahead of "now" an entry's date may be: a day covers time zones and a slightly
/// wrong clock, and catches a mistyped year.
pub(crate) const MAX_FUTURE: Duration = Duration::days(1);

impl EntryInput {
    /// Checks every field against its rule. `now` is the caregiver's local time; it fills in a
    /// missing `occurred_at` and bounds dates in the future. The first broken rule is reported.
    pub fn parse(&self, now: DateTime<FixedOffset>) -> Result<EntryDraft, Invalid> {
        let kind = EntryKind::parse("kind", &self.kind)?;
        let sharing = match self.sharing.as_deref() {
            Some(s) => Sharing::parse("sharing", s)?,
            None => Sharing::default(),
        };
        let occurred_at = match self.occurred_at.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => parse_datetime("occurred_at", s, now)?,
            _ => now,
        };
        let body = match kind {
            EntryKind::Need => EntryBody::Need(self.need()?),
            EntryKind::Experience => EntryBody::Experience(self.experience(occurred_at, now)?),
            EntryKind::Trust => EntryBody::Trust(self.trust()?),
            EntryKind::Note => EntryBody::Note(self.note()?),
        };
        self.refuse_fields_of_other_kinds(kind)?;
        Ok(EntryDraft { occurred_at, sharing, body })
    }

    fn need(&self) -> Result<Need, Invalid> {
        let category =
            NeedCategory::parse("category", self.category.as_deref().ok_or_else(|| required("category"))?)?;
        let urgency = match self.urgency.as_deref() {
            Some(u) => Urgency::parse("urgency", u)?,
            None => Urgency::Medium,
        };
        Ok(Need { category, urgency, text: LongText::parse_optional("text", self.text.as_deref())? })
    }

    fn experience(
        &self,
        occurred_at: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
    ) -> Result<Experience, Invalid> {
        let service =
            ShortText::parse("service", self.service.as_deref().ok_or_else(|| required("service"))?)?;
        let service_id = match self.service_id.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => Some(RecordId::parse("service_id", s)?),
            _ => None,
        };
        let visit_date = match self.visit_date.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => parse_date("visit_date", s, now)?,
            _ => occurred_at.date_naive(),
        };
        let rating = Score::parse_value("rating", self.rating.as_ref().ok_or_else(|| required("rating"))?)?;
        Ok(Experience {
            service,
            service_id,
            visit_date,
            rating,
            went_well: LongText::parse_optional("went_well", self.went_well.as_deref())?,
            went_badly: LongText::parse_optional("went_badly", self.went_badly.as_deref())?,
            factors: Factor::parse_list("factors", &self.factors)?,
        })
    }

    fn trust(&self) -> Result<Trust, Invalid> {
        let target = TrustTarget::parse("target", self.target.as_deref().ok_or_else(|| required("target"))?)?;
        let score = Score::parse_value("score", self.score.as_ref().ok_or_else(|| required("score"))?)?;
        Ok(Trust {
            target,
            target_name: ShortText::parse_optional("target_name", self.target_name.as_deref())?,
            score,
            reason: LongText::parse_optional("reason", self.reason.as_deref())?,
            factors: Factor::parse_list("factors", &self.factors)?,
        })
    }

    fn note(&self) -> Result<Note, Invalid> {
        let optional_score = |field: &str, v: &Option<serde_json::Value>| match v {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(v) => Score::parse_value(field, v).map(Some),
        };
        Ok(Note {
            mood: optional_score("mood", &self.mood)?,
            burden: optional_score("burden", &self.burden)?,
            text: LongText::parse("text", self.text.as_deref().ok_or_else(|| required("text"))?)?,
        })
    }

    /// A field that belongs to another kind is a caller's mistake (a rating on a note would be
    /// silently lost otherwise).
    fn refuse_fields_of_other_kinds(&self, kind: EntryKind) -> Result<(), Invalid> {
        let present: [(&str, bool, &[EntryKind]); 15] = [
            ("category", self.category.is_some(), &[EntryKind::Need]),
            ("urgency", self.urgency.is_some(), &[EntryKind::Need]),
            ("text", self.text.is_some(), &[EntryKind::Need, EntryKind::Note]),
            ("service", self.service.is_some(), &[EntryKind::Experience]),
            ("service_id", self.service_id.is_some(), &[EntryKind::Experience]),
            ("visit_date", self.visit_date.is_some(), &[EntryKind::Experience]),
            ("rating", self.rating.is_some(), &[EntryKind::Experience]),
            ("went_well", self.went_well.is_some(), &[EntryKind::Experience]),
            ("went_badly", self.went_badly.is_some(), &[EntryKind::Experience]),
            ("factors", !self.factors.is_empty(), &[EntryKind::Experience, EntryKind::Trust]),
            ("target", self.target.is_some(), &[EntryKind::Trust]),
            ("target_name", self.target_name.is_some(), &[EntryKind::Trust]),
            ("score", self.score.is_some(), &[EntryKind::Trust]),
            ("reason", self.reason.is_some(), &[EntryKind::Trust]),
            ("mood", self.mood.is_some(), &[EntryKind::Note]),
        ];
        for (field, is_set, kinds) in present {
            if is_set && !kinds.contains(&kind) {
                return Err(Invalid::new(
                    field,
                    Rule::NotAllowed,
                    format!("does not belong to a {kind} entry"),
                ));
            }
        }
        if self.burden.is_some() && kind != EntryKind::Note {
            return Err(Invalid::new(
                "burden",
                Rule::NotAllowed,
                format!("does not belong to a {kind} entry"),
            ));
        }
        Ok(())
    }
}

impl From<&Entry> for EntryInput {
    /// The input that would recreate this entry's content: the base for an edit.
    fn from(e: &Entry) -> Self {
        let text = |t: &Option<LongText>| t.as_ref().map(|t| t.to_string());
        let mut input = EntryInput {
            kind: e.kind().code().to_owned(),
            sharing: Some(e.sharing.code().to_owned()),
            occurred_at: Some(e.occurred_at.to_rfc3339()),
            ..Default::default()
        };
        match &e.body {
            EntryBody::Need(n) => {
                input.category = Some(n.category.code().to_owned());
                input.urgency = Some(n.urgency.code().to_owned());
                input.text = text(&n.text);
            }
            EntryBody::Experience(x) => {
                input.service = Some(x.service.to_string());
                input.service_id = x.service_id.map(|id| id.to_string());
                input.visit_date = Some(x.visit_date.to_string());
                input.rating = Some(x.rating.get().into());
                input.went_well = text(&x.went_well);
                input.went_badly = text(&x.went_badly);
                input.factors = x.factors.iter().map(|f| f.code().to_owned()).collect();
            }
            EntryBody::Trust(t) => {
                input.target = Some(t.target.code().to_owned());
                input.target_name = t.target_name.as_ref().map(|t| t.to_string());
                input.score = Some(t.score.get().into());
                input.reason = text(&t.reason);
                input.factors = t.factors.iter().map(|f| f.code().to_owned()).collect();
            }
            EntryBody::Note(n) => {
                input.mood = n.mood.map(|s| s.get().into());
                input.burden = n.burden.map(|s| s.get().into());
                input.text = Some(n.text.to_string());
            }
        }
        input
    }
}

/// The earliest date a diary entry can plausibly be about.
pub(crate) fn earliest() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// A date-time with its UTC offset, such as `2026-11-28T10:00:00+01:00`.
pub fn parse_datetime(
    field: &str,
    raw: &str,
    now: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, Invalid> {
    let at = DateTime::parse_from_rfc3339(raw).map_err(|_| {
        Invalid::new(
            field,
            Rule::BadFormat,
            "must be a date and time with its offset, such as 2026-11-28T10:00:00+01:00",
        )
    })?;
    if at > now + MAX_FUTURE {
        return Err(Invalid::new(field, Rule::InFuture, "must not be more than a day in the future"));
    }
    if at.date_naive() < earliest() {
        return Err(Invalid::new(field, Rule::TooEarly, "must not be before 1900"));
    }
    Ok(at)
}

/// A calendar date, such as `2026-11-28`.
pub fn parse_date(field: &str, raw: &str, now: DateTime<FixedOffset>) -> Result<NaiveDate, Invalid> {
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| Invalid::new(field, Rule::BadFormat, "must be a date such as 2026-11-28"))?;
    if date > (now + MAX_FUTURE).date_naive() {
        return Err(Invalid::new(field, Rule::InFuture, "must not be in the future"));
    }
    if date < earliest() {
        return Err(Invalid::new(field, Rule::TooEarly, "must not be before 1900"));
    }
    Ok(date)
}

#[cfg(test)]
#[path = "entry_tests.rs"]
mod tests;
