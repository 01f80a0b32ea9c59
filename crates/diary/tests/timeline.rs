//! The timeline's keyset paging and filters, and full-text search.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

mod common;

use std::collections::HashSet;

use common::*;
use convivio_diary::TimelineQuery;
use serde_json::json;

#[test]
fn paging_visits_every_entry_once_newest_first() {
    let (_dir, mut diary) = new_diary();
    let drafts = (0..130)
        .map(|i| {
            // Several entries share a timestamp, so the id must break ties.
            let at = format!("2026-11-{:02}T{:02}:00:00+01:00", 1 + i % 20, i % 3);
            input(json!({"kind": "note", "text": format!("entry {i}"), "occurred_at": at}))
                .parse(chrono::Local::now().fixed_offset())
                .unwrap()
        })
        .collect();
    diary.add_drafts(drafts).unwrap();
    let mut query = TimelineQuery { limit: Some(50), ..Default::default() };
    let mut seen = Vec::new();
    loop {
        let page = diary.timeline(&query).unwrap();
        assert!(page.entries.len() <= 50);
        seen.extend(page.entries.into_iter().map(|e| e.entry));
        match page.next_cursor {
            Some(c) => query.cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 130);
    assert_eq!(seen.iter().map(|e| e.id).collect::<HashSet<_>>().len(), 130);
    for pair in seen.windows(2) {
        assert!((pair[0].occurred_at, pair[0].id) > (pair[1].occurred_at, pair[1].id));
    }
}

#[test]
fn filters_by_kind_factor_dates_and_sharing() {
    let (_dir, mut diary) = new_diary();
    let add = |d: &mut convivio_diary::Diary, v: serde_json::Value| d.add_entry(&input(v)).unwrap();
    let late = add(
        &mut diary,
        json!({"kind": "experience", "service": "Nursing", "rating": 2, "factors": ["mistake"],
        "sharing": "agency", "occurred_at": "2026-11-10T09:00:00+01:00"}),
    );
    let good = add(
        &mut diary,
        json!({"kind": "experience", "service": "Meals", "rating": 5, "factors": ["on_time"],
        "occurred_at": "2026-11-12T09:00:00+01:00"}),
    );
    let trust = add(
        &mut diary,
        json!({"kind": "trust", "target": "agency", "score": 2, "factors": ["mistake"],
        "sharing": "research", "occurred_at": "2026-11-20T09:00:00+01:00"}),
    );
    add(&mut diary, json!({"kind": "note", "text": "n", "occurred_at": "2026-10-01T09:00:00+02:00"}));
    let ids = |q: TimelineQuery| {
        diary.timeline(&q).unwrap().entries.into_iter().map(|e| e.entry.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(TimelineQuery { kind: Some("experience".into()), ..Default::default() }),
        [good.id, late.id]
    );
    assert_eq!(
        ids(TimelineQuery { factor: Some("mistake".into()), ..Default::default() }),
        [trust.id, late.id]
    );
    assert_eq!(
        ids(TimelineQuery {
            from: Some("2026-11-10".into()),
            to: Some("2026-11-12".into()),
            ..Default::default()
        }),
        [good.id, late.id]
    );
    assert_eq!(ids(TimelineQuery { sharing: Some("research".into()), ..Default::default() }), [trust.id]);
    assert_eq!(
        ids(TimelineQuery {
            kind: Some("experience".into()),
            factor: Some("mistake".into()),
            ..Default::default()
        }),
        [late.id]
    );
}

#[test]
fn search_folds_accents_and_needs_every_word() {
    let (_dir, mut diary) = new_diary();
    let città = diary.add_entry(&note("Siamo andati in città dal medico", "private")).unwrap();
    diary.add_entry(&note("Il medico è venuto a casa", "private")).unwrap();
    assert_eq!(diary.search("citta", 10).unwrap(), vec![città.clone()]);
    assert_eq!(diary.search("CITTÀ medico", 10).unwrap(), vec![città]);
    assert_eq!(diary.search("medico", 10).unwrap().len(), 2);
    assert_eq!(diary.search("med", 10).unwrap().len(), 2, "a word's start is enough");
    assert!(diary.search("ospedale", 10).unwrap().is_empty());
    assert_eq!(diary.search("\"", 10).unwrap_err().field(), Some("text"));
}

#[test]
fn search_returns_the_most_recently_written_matches_newest_first() {
    let (_dir, mut diary) = new_diary();
    let mut written = Vec::new();
    for day in [5, 1, 9, 3] {
        let v = json!({"kind": "note", "text": format!("medico day {day}"), "occurred_at": format!("2026-11-0{day}T10:00:00+01:00")});
        written.push(diary.add_entry(&input(v)).unwrap());
    }
    let found = diary.search("medico", 2).unwrap();
    // The last two written (days 9 and 3), shown by date.
    assert_eq!(found, vec![written[2].clone(), written[3].clone()]);
}
