//! Ingest: 1,000 simulated devices, each its own caregiver with its own connection, push
//! their batches at the same moment; the figures are entries stored per second over the whole
//! run and the latency of single requests.
//!
//! A simulated device is not a diary: it speaks the protocol directly (enrol, then sync
//! requests with contiguous batches, following the cursor it is given), so the machine's two
//! cores go to the server and not to 1,000 encrypted SQLite files.

use std::sync::Arc;
use std::time::{Duration, Instant};

use convivio_core::entry::Entry;
use convivio_core::sync::{EnrolResponse, PROTOCOL_VERSION, PushBatch, SyncRequest, SyncResponse};
use convivio_core::{Hlc, NodeId, Owner, Record, RecordId, Role};
use convivio_tests::diary_text::DiaryText;
use convivio_tests::sync_world::{Backend, World, note};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::Barrier;

const DEVICES: usize = 1_000;
const BATCHES: usize = 5;
const PER_BATCH: usize = 20;

struct Device {
    id: uuid::Uuid,
    token: String,
    batches: Vec<Vec<Record>>,
}

pub async fn run(server: &str, backend: Backend, missed: &mut Vec<String>) {
    let world = World::start(server, backend, 1, &[]).await;
    let url = world.direct_url(0);
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();

    let mut devices = Vec::with_capacity(DEVICES);
    let text = DiaryText::default();
    let mut rng = StdRng::seed_from_u64(42);
    for d in 0..DEVICES {
        let code = world.code(None).await;
        let enrolled: EnrolResponse = http
            .post(format!("{url}/api/v1/enrol"))
            .json(&serde_json::json!({"protocol": PROTOCOL_VERSION, "code": code}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let owner = Owner { role: Role::Caregiver, id: enrolled.caregiver_id };
        let batches = (0..BATCHES)
            .map(|b| {
                (0..PER_BATCH)
                    .map(|i| {
                        let draft = note(&text.text(&mut rng, crate_text_bytes()), "agency")
                            .parse(chrono::Local::now().fixed_offset())
                            .unwrap();
                        let wall_ms = 1_796_000_000_000 + (b * PER_BATCH + i) as u64;
                        let version = Hlc { wall_ms, counter: 0, node: NodeId(d as u64) };
                        Record::Entry(Entry::create(RecordId::new(), version, owner, chrono::Utc::now(), draft))
                    })
                    .collect()
            })
            .collect();
        devices.push(Device { id: enrolled.device_id, token: enrolled.device_token, batches });
    }

    let barrier = Arc::new(Barrier::new(DEVICES + 1));
    let mut tasks = tokio::task::JoinSet::new();
    for device in devices {
        let (http, url, barrier) = (http.clone(), url.clone(), Arc::clone(&barrier));
        tasks.spawn(async move {
            barrier.wait().await;
            let mut latencies = Vec::with_capacity(BATCHES);
            let mut cursor = 0;
            for (b, changes) in device.batches.into_iter().enumerate() {
                let request = SyncRequest {
                    protocol: PROTOCOL_VERSION,
                    device_id: device.id,
                    push: Some(PushBatch { first_seq: 1 + (b * PER_BATCH) as u64, changes }),
                    cursor,
                    pull_limit: 500,
                };
                let body = zstd::bulk::compress(&serde_json::to_vec(&request).unwrap(), 3).unwrap();
                let started = Instant::now();
                let response = http
                    .post(format!("{url}/api/v1/sync"))
                    .bearer_auth(&device.token)
                    .header("content-type", "application/json")
                    .header("content-encoding", "zstd")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success(), "{}", response.status());
                let answer: SyncResponse = response.json().await.unwrap();
                latencies.push(started.elapsed());
                assert_eq!(answer.acked_seq, ((b + 1) * PER_BATCH) as u64);
                cursor = answer.cursor;
            }
            latencies
        });
    }
    barrier.wait().await;
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(DEVICES * BATCHES);
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.unwrap());
    }
    let wall = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let entries = DEVICES * BATCHES * PER_BATCH;
    let rate = entries as f64 / wall.as_secs_f64();
    let (p50, p99) = (at(0.50), at(0.99));
    println!("\nIngest, {backend:?}: {DEVICES} devices at once, {BATCHES} batches of {PER_BATCH} entries each\n");
    println!("| backend  | entries | wall     | entries/s | p50 request | p99 request |");
    println!("|----------|--------:|---------:|----------:|------------:|------------:|");
    println!(
        "| {:<8} | {entries:>7} | {:>6.2} s | {rate:>9.0} | {:>8.1} ms | {:>8.1} ms |",
        format!("{backend:?}"),
        wall.as_secs_f64(),
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
    if rate < 10_000.0 || p99 >= Duration::from_millis(250) {
        missed.push(format!(
            "ingest on {backend:?}: {rate:.0} entries/s, p99 {:.0} ms (target >= 10,000/s, < 250 ms)",
            p99.as_secs_f64() * 1e3
        ));
    }
    let stats_entries = world.entry_count().await;
    assert_eq!(stats_entries, entries as u64, "every entry stored once");
}

fn crate_text_bytes() -> usize {
    convivio_tests::wire::TEXT_BYTES
}
