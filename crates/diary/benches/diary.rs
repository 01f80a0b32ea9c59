//! Diary speed on a realistic device: save one entry with fsync on, the first timeline page and
//! a full-text search on a 100,000-entry diary.
//!
//! Run with `make bench` (or `cargo bench -p convivio-diary --bench diary`). Besides criterion's
//! figures, the save benchmark prints p50/p99 over single saves, since a caregiver feels the
//! slow tail, not the mean. Targets (issue 2): save p99 < 15 ms, timeline page < 20 ms,
//! search < 30 ms.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{Duration as Days, FixedOffset, TimeZone};
use convivio_core::entry::{EntryDraft, EntryInput};
use convivio_diary::{Diary, KdfParams, TimelineQuery};
use criterion::{Criterion, criterion_group, criterion_main};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const ENTRIES: usize = 100_000;

/// A vocabulary of everyday caregiving words, so the full-text index has realistic shape:
/// a few very common words, many rare ones.
const WORDS: &[&str] = &[
    "oggi",
    "mamma",
    "papà",
    "medico",
    "infermiera",
    "visita",
    "stanca",
    "notte",
    "dormito",
    "poco",
    "città",
    "farmacia",
    "pranzo",
    "cena",
    "bagno",
    "doccia",
    "caduta",
    "pressione",
    "pillole",
    "telefonato",
    "agenzia",
    "ritardo",
    "puntuali",
    "gentile",
    "brava",
    "confusa",
    "agitata",
    "tranquilla",
    "passeggiata",
    "sole",
    "pioggia",
    "neve",
    "strada",
    "chiusa",
    "autobus",
    "ospedale",
    "esami",
    "sangue",
    "ricetta",
    "badante",
    "sollievo",
    "weekend",
    "sorella",
    "fratello",
    "vicina",
    "aiuto",
    "fatica",
    "schiena",
    "spesa",
    "bollette",
    "domanda",
    "modulo",
    "comune",
    "assistente",
    "sociale",
    "carrozzina",
    "letto",
    "materasso",
    "piaghe",
    "crema",
];

fn sentence(rng: &mut StdRng) -> String {
    let n = rng.random_range(8..60);
    (0..n).map(|_| WORDS[rng.random_range(0..WORDS.len())]).collect::<Vec<_>>().join(" ")
}

fn drafts(rng: &mut StdRng, n: usize) -> Vec<EntryDraft> {
    let tz = FixedOffset::east_opt(3600).unwrap();
    let start = tz.with_ymd_and_hms(2020, 1, 1, 8, 0, 0).unwrap();
    let now = tz.with_ymd_and_hms(2026, 11, 28, 8, 0, 0).unwrap();
    (0..n)
        .map(|i| {
            let at = start + Days::minutes((i as i64) * 30 + rng.random_range(0..29));
            let mut input = EntryInput {
                occurred_at: Some(at.to_rfc3339()),
                sharing: Some(["private", "agency", "research"][i % 3].into()),
                ..Default::default()
            };
            match i % 4 {
                0 => {
                    input.kind = "need".into();
                    input.category = Some("respite".into());
                    input.text = Some(sentence(rng));
                }
                1 => {
                    input.kind = "experience".into();
                    input.service = Some("Assistenza domiciliare".into());
                    input.rating = Some(rng.random_range(1..=5).into());
                    input.went_badly = Some(sentence(rng));
                    input.factors = vec!["mistake".into()];
                }
                2 => {
                    input.kind = "trust".into();
                    input.target = Some("agency".into());
                    input.score = Some(rng.random_range(1..=5).into());
                    input.reason = Some(sentence(rng));
                }
                _ => {
                    input.kind = "note".into();
                    input.text = Some(sentence(rng));
                    input.mood = Some(rng.random_range(1..=5).into());
                }
            }
            input.parse(now).unwrap()
        })
        .collect()
}

fn big_diary() -> (tempfile::TempDir, Diary) {
    let dir = tempfile::tempdir().unwrap();
    let mut diary = Diary::create_with(dir.path(), "benchmark passphrase", KdfParams::default()).unwrap();
    let mut rng = StdRng::seed_from_u64(42);
    let started = Instant::now();
    for _ in 0..ENTRIES / 10_000 {
        diary.add_drafts(drafts(&mut rng, 10_000)).unwrap();
    }
    eprintln!("built a {ENTRIES}-entry diary in {:.1} s", started.elapsed().as_secs_f64());
    (dir, diary)
}

fn note() -> EntryInput {
    EntryInput {
        kind: "note".into(),
        text: Some("Oggi la mamma era tranquilla, passeggiata al sole e pranzo con la vicina.".into()),
        mood: Some(4.into()),
        burden: Some(2.into()),
        sharing: Some("agency".into()),
        ..Default::default()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn save(c: &mut Criterion, diary: &mut Diary) {
    let input = note();
    let mut times: Vec<Duration> = (0..2_000)
        .map(|_| {
            let t = Instant::now();
            black_box(diary.add_entry(&input).unwrap());
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "save_entry single saves (n=2000, synchronous=FULL, WAL): p50 = {:.2} ms, p99 = {:.2} ms, max = {:.2} ms",
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3
    );
    c.bench_function("save_entry", |b| b.iter(|| black_box(diary.add_entry(&input).unwrap())));
}

fn read(c: &mut Criterion, diary: &Diary) {
    c.bench_function("timeline_first_page_100k", |b| {
        b.iter(|| black_box(diary.timeline(&TimelineQuery::default()).unwrap()))
    });
    let filtered = TimelineQuery {
        kind: Some("experience".into()),
        factor: Some("mistake".into()),
        ..Default::default()
    };
    c.bench_function("timeline_first_page_filtered_100k", |b| {
        b.iter(|| black_box(diary.timeline(&filtered).unwrap()))
    });
    let cursor =
        diary.timeline(&TimelineQuery { limit: Some(500), ..Default::default() }).unwrap().next_cursor;
    let deep = TimelineQuery { cursor, ..Default::default() };
    c.bench_function("timeline_later_page_100k", |b| b.iter(|| black_box(diary.timeline(&deep).unwrap())));
    c.bench_function("search_one_word_100k", |b| {
        b.iter(|| black_box(diary.search("carrozzina", 50).unwrap()))
    });
    c.bench_function("search_two_words_folded_100k", |b| {
        b.iter(|| black_box(diary.search("citta ospedale", 50).unwrap()))
    });
}

fn benches(c: &mut Criterion) {
    let (_dir, mut diary) = big_diary();
    read(c, &diary);
    save(c, &mut diary);
}

criterion_group! {
    name = diary;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(5));
    targets = benches
}
criterion_main!(diary);
