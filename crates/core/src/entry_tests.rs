use super::*;
use crate::{NodeId, Rule};
use serde_json::json;

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-28T10:00:00+01:00").unwrap()
}

fn input(value: serde_json::Value) -> EntryInput {
    serde_json::from_value(value).unwrap()
}

fn invalid(value: serde_json::Value) -> Invalid {
    input(value).parse(now()).unwrap_err()
}

#[test]
fn a_note_needs_only_text_and_defaults_to_private_now() {
    let draft = input(json!({"kind": "note", "text": "quiet day"})).parse(now()).unwrap();
    assert_eq!(draft.sharing, Sharing::Private);
    assert_eq!(draft.occurred_at, now());
    let EntryBody::Note(note) = draft.body else { panic!("not a note") };
    assert_eq!(note.text.as_str(), "quiet day");
    assert_eq!(note.mood, None);
}

#[test]
fn every_kind_parses_with_its_fields() {
    let need = json!({"kind": "need", "category": "respite", "urgency": "high", "text": "a weekend off"});
    let exp = json!({"kind": "experience", "service": "Home nursing", "visit_date": "2026-11-27", "rating": 2,
                     "went_badly": "late", "factors": ["mistake", "absence_of_information"], "sharing": "agency"});
    let trust = json!({"kind": "trust", "target": "agency", "score": "4", "reason": "they call back", "factors": ["listened"]});
    let note = json!({"kind": "note", "text": "tired", "mood": 2, "burden": 5, "occurred_at": "2026-11-27T21:30:00+01:00"});
    for (v, kind) in [
        (need, EntryKind::Need),
        (exp, EntryKind::Experience),
        (trust, EntryKind::Trust),
        (note, EntryKind::Note),
    ] {
        assert_eq!(input(v).parse(now()).unwrap().body.kind(), kind);
    }
}

#[test]
fn a_rating_of_nine_names_rating_and_the_range() {
    let err = invalid(json!({"kind": "experience", "service": "Meals", "rating": 9}));
    assert_eq!(err.field, "rating");
    assert!(err.rule.contains("from 1 to 5"));
}

#[test]
fn an_empty_need_category_names_category() {
    let err = invalid(json!({"kind": "need", "category": ""}));
    assert_eq!(err, Invalid::new("category", Rule::Empty, "must not be empty"));
    let err = invalid(json!({"kind": "need"}));
    assert_eq!(err, Invalid::new("category", Rule::Required, "is required"));
}

#[test]
fn a_hundred_kilobyte_note_names_text_and_the_limit() {
    let err = invalid(json!({"kind": "note", "text": "x".repeat(100_000)}));
    assert_eq!(err.field, "text");
    assert!(err.rule.contains("at most 20000 characters"));
}

#[test]
fn an_invalid_date_names_the_field_and_shows_the_form() {
    let err = invalid(json!({"kind": "note", "text": "t", "occurred_at": "28/11/2026"}));
    assert_eq!(err.field, "occurred_at");
    assert!(err.rule.contains("2026-11-28T10:00:00+01:00"));
    let err =
        invalid(json!({"kind": "experience", "service": "Meals", "rating": 3, "visit_date": "2026-02-30"}));
    assert_eq!(err.field, "visit_date");
}

#[test]
fn dates_far_in_the_future_or_past_are_refused() {
    let err = invalid(json!({"kind": "note", "text": "t", "occurred_at": "2027-11-28T10:00:00+01:00"}));
    assert_eq!(err.rule, "must not be more than a day in the future");
    let err = invalid(json!({"kind": "note", "text": "t", "occurred_at": "1850-01-01T10:00:00+01:00"}));
    assert_eq!(err.rule, "must not be before 1900");
}

#[test]
fn an_unknown_factor_code_names_factors() {
    let err = invalid(json!({"kind": "trust", "target": "agency", "score": 3, "factors": ["grumpy"]}));
    assert_eq!(err.field, "factors");
    assert!(err.rule.contains("'grumpy'"));
}

#[test]
fn fields_of_another_kind_are_refused() {
    let err = invalid(json!({"kind": "note", "text": "t", "rating": 3}));
    assert_eq!(err, Invalid::new("rating", Rule::NotAllowed, "does not belong to a note entry"));
}

#[test]
fn unknown_fields_are_refused_when_deserialising() {
    let err = serde_json::from_value::<EntryInput>(json!({"kind": "note", "moood": 3})).unwrap_err();
    assert!(err.to_string().contains("unknown field `moood`"));
}

#[test]
fn editing_cannot_change_the_kind() {
    let draft = input(json!({"kind": "note", "text": "t"})).parse(now()).unwrap();
    let hlc = Hlc { wall_ms: 1, counter: 0, node: NodeId(1) };
    let entry = Entry::create(RecordId::new(), hlc, Owner::caregiver(uuid::Uuid::nil()), Utc::now(), draft);
    let other = input(json!({"kind": "need", "category": "health"})).parse(now()).unwrap();
    assert_eq!(entry.edited(hlc, other).unwrap_err().field, "kind");
}

#[test]
fn an_entry_round_trips_through_its_input() {
    let original = input(json!({"kind": "experience", "service": "Meals", "rating": 4, "visit_date": "2026-11-20",
                                "went_well": "warm food", "factors": ["on_time", "convivial"], "sharing": "research"}))
    .parse(now())
    .unwrap();
    let hlc = Hlc { wall_ms: 1, counter: 0, node: NodeId(1) };
    let entry = Entry::create(
        RecordId::new(),
        hlc,
        Owner::caregiver(uuid::Uuid::nil()),
        Utc::now(),
        original.clone(),
    );
    assert_eq!(EntryInput::from(&entry).parse(now()).unwrap(), original);
}

#[test]
fn the_json_shape_of_an_entry_is_frozen() {
    let id = RecordId::from_uuid(uuid::Uuid::parse_str("0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a").unwrap());
    let draft = input(
        json!({"kind": "note", "text": "città", "mood": 3, "occurred_at": "2026-11-28T09:00:00+01:00"}),
    )
    .parse(now())
    .unwrap();
    let hlc = Hlc { wall_ms: 0x19a, counter: 1, node: NodeId(2) };
    let recorded = DateTime::parse_from_rfc3339("2026-11-28T08:01:02Z").unwrap().with_timezone(&Utc);
    let entry = Entry::create(id, hlc, Owner::caregiver(uuid::Uuid::nil()), recorded, draft);
    let golden = json!({
        "id": "0192f4e2-7b1c-7c3e-9a4d-1f2e3d4c5b6a",
        "version": "00000000019a-00000001-0000000000000002",
        "owner": {"role": "caregiver", "id": "00000000-0000-0000-0000-000000000000"},
        "occurred_at": "2026-11-28T09:00:00+01:00",
        "recorded_at": "2026-11-28T08:01:02Z",
        "sharing": "private",
        "kind": "note",
        "mood": 3,
        "text": "città"
    });
    assert_eq!(serde_json::to_value(&entry).unwrap(), golden);
    assert_eq!(serde_json::from_value::<Entry>(golden).unwrap(), entry);
}
