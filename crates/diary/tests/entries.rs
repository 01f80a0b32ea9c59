//! Entries: saving, editing with history, sharing and the outbox, deleting with tombstones.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod common;

use common::*;
use convivio_core::message::MessageInput;
use convivio_core::{Record, Sharing};
use serde_json::json;

#[test]
fn every_kind_is_saved_and_read_back() {
    let (_dir, mut diary) = new_diary();
    let inputs = [
        json!({"kind": "need", "category": "transport", "urgency": "high", "text": "lift to the clinic"}),
        json!({"kind": "experience", "service": "Meals on wheels", "rating": 5, "factors": ["on_time", "convivial"]}),
        json!({"kind": "trust", "target": "professional", "target_name": "the night nurse", "score": 2, "factors": ["misbehaviour"]}),
        json!({"kind": "note", "text": "slept badly", "mood": 2, "burden": 5}),
    ];
    for v in inputs {
        let saved = diary.add_entry(&input(v)).unwrap();
        assert_eq!(diary.entry(saved.id).unwrap(), saved);
    }
    assert_eq!(diary.entry_count().unwrap(), 4);
}

#[test]
fn bad_input_is_refused_and_changes_nothing_saved() {
    let (_dir, mut diary) = new_diary();
    let kept = diary.add_entry(&note("already here", "agency")).unwrap();
    let before_outbox = diary.outbox(100).unwrap();
    let bad = [
        (json!({"kind": "experience", "service": "Meals", "rating": 9}), "rating"),
        (json!({"kind": "need", "category": ""}), "category"),
        (json!({"kind": "note", "text": "x".repeat(100 * 1024)}), "text"),
        (json!({"kind": "note", "text": "t", "occurred_at": "2026-02-30T10:00:00+01:00"}), "occurred_at"),
        (json!({"kind": "trust", "target": "agency", "score": 3, "factors": ["grumpy"]}), "factors"),
    ];
    for (v, field) in bad {
        let err = diary.add_entry(&input(v.clone())).unwrap_err();
        assert_eq!(err.code(), "invalid");
        assert_eq!(err.field(), Some(field), "{v}");
        let err = diary.update_entry(kept.id, &input(v)).unwrap_err();
        assert_eq!(err.field(), Some(field));
    }
    assert_eq!(diary.entry_count().unwrap(), 1);
    assert_eq!(diary.entry(kept.id).unwrap(), kept);
    assert_eq!(diary.outbox(100).unwrap(), before_outbox);
    assert!(diary.entry_history(kept.id).unwrap().is_empty());
}

#[test]
fn an_edit_keeps_the_previous_version_in_history() {
    let (_dir, mut diary) = new_diary();
    let first = diary.add_entry(&note("first words", "private")).unwrap();
    let second = diary.update_entry(first.id, &note("second words", "private")).unwrap();
    assert!(second.version > first.version);
    assert_eq!(second.recorded_at, first.recorded_at);
    assert_eq!(diary.entry_history(first.id).unwrap(), vec![first.clone()]);
    assert!(diary.search("first", 10).unwrap().is_empty(), "the index follows the edit");
    assert_eq!(diary.search("second", 10).unwrap(), vec![second]);
}

#[test]
fn private_entries_never_enter_the_outbox() {
    let (_dir, mut diary) = new_diary();
    let private = diary.add_entry(&note("only mine", "private")).unwrap();
    diary.update_entry(private.id, &note("still only mine", "private")).unwrap();
    diary.delete_entry(private.id).unwrap();
    assert_eq!(diary.outbox_len().unwrap(), 0);
}

#[test]
fn shared_changes_get_gap_free_sequence_numbers() {
    let (_dir, mut diary) = new_diary();
    for i in 0..5 {
        diary.add_entry(&note(&format!("shared {i}"), "agency")).unwrap();
        diary.add_entry(&note(&format!("private {i}"), "private")).unwrap();
    }
    let seqs: Vec<u64> = diary.outbox(100).unwrap().iter().map(|i| i.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
}

#[test]
fn sharing_a_private_entry_enqueues_it_then() {
    let (_dir, mut diary) = new_diary();
    let e = diary.add_entry(&note("now I want to tell them", "private")).unwrap();
    assert_eq!(diary.outbox_len().unwrap(), 0);
    let shared = diary.set_sharing(e.id, Sharing::Agency).unwrap();
    let queued = diary.outbox(10).unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].record, Record::Entry(shared));
}

#[test]
fn making_a_shared_entry_private_withdraws_every_queued_copy() {
    let (_dir, mut diary) = new_diary();
    let e = diary.add_entry(&note("second thoughts about this", "agency")).unwrap();
    diary.update_entry(e.id, &note("second thoughts, edited", "agency")).unwrap();
    diary.set_sharing(e.id, Sharing::Private).unwrap();
    let queued = diary.outbox(10).unwrap();
    assert_eq!(queued.iter().map(|i| i.seq).collect::<Vec<_>>(), [1, 2, 3], "numbers are kept");
    for item in &queued {
        assert!(matches!(item.record, Record::Tombstone(_)), "{item:?}");
        assert!(!serde_json::to_string(&item.record).unwrap().contains("second thoughts"));
    }
}

#[test]
fn deleting_a_shared_entry_queues_a_tombstone_and_keeps_history() {
    let (_dir, mut diary) = new_diary();
    let e = diary.add_entry(&note("delete me", "research")).unwrap();
    let tomb = diary.delete_entry(e.id).unwrap();
    assert_eq!(diary.entry(e.id).unwrap_err().code(), "not_found");
    assert!(diary.search("delete", 10).unwrap().is_empty());
    assert_eq!(diary.entry_history(e.id).unwrap(), vec![e.clone()]);
    let queued = diary.outbox(10).unwrap();
    assert_eq!(queued.last().unwrap().record, Record::Tombstone(tomb.clone()));
    assert!(tomb.version > e.version);
    assert_eq!(diary.delete_entry(e.id).unwrap_err().code(), "not_found");
}

#[test]
fn editing_cannot_change_the_kind() {
    let (_dir, mut diary) = new_diary();
    let e = diary.add_entry(&note("a note", "private")).unwrap();
    let err = diary.update_entry(e.id, &input(json!({"kind": "need", "category": "health"}))).unwrap_err();
    assert_eq!(err.field(), Some("kind"));
}

#[test]
fn messages_profile_and_consent_are_kept_and_queued() {
    let (_dir, mut diary) = new_diary();
    let need =
        diary.add_entry(&input(json!({"kind": "need", "category": "respite", "sharing": "agency"}))).unwrap();
    let private = diary.add_entry(&note("mine", "private")).unwrap();
    let msg =
        diary.add_message(&MessageInput { entry_id: need.id.to_string(), body: "any news?".into() }).unwrap();
    assert_eq!(diary.messages(need.id).unwrap(), vec![msg]);
    let err =
        diary.add_message(&MessageInput { entry_id: private.id.to_string(), body: "hi".into() }).unwrap_err();
    assert_eq!(err.field(), Some("entry_id"));

    let profile = diary
        .set_profile(
            &serde_json::from_value(json!({"age_band": "50-64", "relation": "child", "care_hours": "20-34"}))
                .unwrap(),
        )
        .unwrap();
    let again = diary.set_profile(&serde_json::from_value(json!({"age_band": "65-79"})).unwrap()).unwrap();
    assert_eq!(again.id, profile.id, "one profile per diary");
    assert_eq!(diary.profile().unwrap(), Some(again));

    let consent = diary.give_consent("2026-1").unwrap();
    assert!(consent.revoked_at.is_none());
    let revoked = diary.revoke_consent().unwrap();
    assert_eq!(revoked.id, consent.id);
    assert!(revoked.revoked_at.is_some());
    assert_eq!(diary.consents().unwrap(), vec![revoked]);
    assert_eq!(diary.revoke_consent().unwrap_err().code(), "not_found");
    // need, message, profile x2, consent x2
    assert_eq!(diary.outbox_len().unwrap(), 6);
}

#[test]
fn a_received_record_loses_to_a_newer_one_but_is_kept() {
    use convivio_core::catalogue::CatalogueItem;
    use convivio_core::text::ShortText;
    use convivio_core::{Hlc, NodeId, Owner, RecordId};
    let (_dir, mut diary) = new_diary();
    let id = RecordId::new();
    let item = |wall: u64, name: &str| {
        Record::CatalogueItem(CatalogueItem {
            id,
            version: Hlc { wall_ms: wall, counter: 0, node: NodeId(7) },
            owner: Owner::agency(uuid::Uuid::nil()),
            name: ShortText::parse("name", name).unwrap(),
            description: None,
            active: true,
        })
    };
    assert!(diary.store_received(&item(2_000, "Meals")).unwrap());
    assert!(!diary.store_received(&item(1_000, "Old meals")).unwrap());
    assert_eq!(diary.catalogue().unwrap()[0].name.as_str(), "Meals");
    assert!(diary.store_received(&item(3_000, "Hot meals")).unwrap());
    assert_eq!(diary.catalogue().unwrap()[0].name.as_str(), "Hot meals");
    assert_eq!(diary.outbox_len().unwrap(), 0, "received records are not ours to send");
    let entry = diary.add_entry(&note("after", "private")).unwrap();
    assert!(entry.version.wall_ms >= 3_000, "the clock moved past what it saw");
}
