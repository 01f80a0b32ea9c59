//! Ingest: 1,000 simulated devices, each its own caregiver with its own connection. First all
//! push at once, flat out: entries stored per second is the server's capacity. Then they push
//! paced at the target rate (10,000 entries/s): the latency of single requests at that load.
//!
//! A simulated device is not a diary: it speaks the protocol directly (enrol, then sync
//! requests with contiguous batches, following the cursor it is given), so the machine's two
//! cores go to the server and not to 1,000 encrypted SQLite files.

use std::sync::Arc;
use std::time::{Duration, Instant};

use convivio_core::sync::{EnrolResponse, PROTOCOL_VERSION, PushBatch, SyncRequest, SyncResponse};
use convivio_core::{NodeId, Owner, Record, Role};
use convivio_tests::diary_text::DiaryText;
use convivio_tests::sync_world::{Backend, World};
use convivio_tests::wire::{TEXT_BYTES, note_record};
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
    cursor: std::sync::atomic::AtomicU64,
}

pub async fn run(server: &str, backend: Backend, missed: &mut Vec<String>) {
    let world = World::start(server, backend, 1, &[]).await;
    let url = format!("http://{}", world.direct_addr(0));
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
        let batches = (0..2 * BATCHES)
            .map(|b| {
                (0..PER_BATCH)
                    .map(|i| {
                        let text = text.text(&mut rng, TEXT_BYTES);
                        note_record(owner, &text, (b * PER_BATCH + i) as u64, NodeId(d as u64))
                    })
                    .collect()
            })
            .collect();
        devices.push(Device {
            id: enrolled.device_id,
            token: enrolled.device_token,
            batches,
            cursor: 0.into(),
        });
    }

    println!(
        "\nIngest, {backend:?}: {DEVICES} devices, each its own caregiver and connection, batches of {PER_BATCH} entries\n"
    );
    println!(
        "| backend  | load                          | entries | wall     | entries/s | p50 request | p99 request |"
    );
    println!(
        "|----------|-------------------------------|--------:|---------:|----------:|------------:|------------:|"
    );
    let devices: Vec<Arc<Device>> = devices.into_iter().map(Arc::new).collect();
    // All at once: every device sends its first batches back to back, as fast as the server
    // answers. The rate is the server's capacity; latency here is mostly waiting in line.
    let flat_out = phase(&http, &url, &devices, 0..BATCHES, None).await;
    flat_out.print(backend, "all at once (capacity)");
    // Paced: the same devices send their next batches at the target rate, spread evenly, as
    // devices that sync every few minutes do. Latency is counted from each request's planned
    // start, so a server falling behind cannot hide it.
    let rate = TARGET_RATE / PER_BATCH as f64;
    let paced = phase(&http, &url, &devices, BATCHES..2 * BATCHES, Some(rate)).await;
    paced.print(backend, "paced at 10,000 entries/s");
    if flat_out.rate < TARGET_RATE {
        missed.push(format!("ingest on {backend:?}: {:.0} entries/s (target >= 10,000/s)", flat_out.rate));
    }
    if paced.p99 >= Duration::from_millis(250) {
        missed.push(format!(
            "ingest on {backend:?} at 10,000 entries/s: p99 {:.0} ms (target < 250 ms)",
            paced.p99.as_secs_f64() * 1e3
        ));
    }
    let stored = world.entry_count().await;
    assert_eq!(stored, (DEVICES * 2 * BATCHES * PER_BATCH) as u64, "every entry stored once");
}

const TARGET_RATE: f64 = 10_000.0;

struct Phase {
    entries: usize,
    wall: Duration,
    rate: f64,
    p50: Duration,
    p99: Duration,
}

impl Phase {
    fn print(&self, backend: Backend, load: &str) {
        println!(
            "| {:<8} | {load:<29} | {:>7} | {:>6.2} s | {:>9.0} | {:>8.1} ms | {:>8.1} ms |",
            format!("{backend:?}"),
            self.entries,
            self.wall.as_secs_f64(),
            self.rate,
            self.p50.as_secs_f64() * 1e3,
            self.p99.as_secs_f64() * 1e3
        );
    }
}

/// Sends batches `which` of every device; with `rate` (requests per second) request k of the
/// phase is planned at k / rate, else each device sends as soon as its last answer came.
async fn phase(
    http: &reqwest::Client,
    url: &str,
    devices: &[Arc<Device>],
    which: std::ops::Range<usize>,
    rate: Option<f64>,
) -> Phase {
    let barrier = Arc::new(Barrier::new(devices.len() + 1));
    let start = Arc::new(std::sync::OnceLock::<tokio::time::Instant>::new());
    let mut tasks = tokio::task::JoinSet::new();
    for (d, device) in devices.iter().enumerate() {
        let (http, url, barrier, start) =
            (http.clone(), url.to_owned(), Arc::clone(&barrier), Arc::clone(&start));
        let (device, which, n) = (Arc::clone(device), which.clone(), devices.len());
        tasks.spawn(async move {
            barrier.wait().await;
            let t0 = *start.get().unwrap();
            let mut latencies = Vec::new();
            for (k, b) in which.clone().enumerate() {
                let planned = match rate {
                    Some(rate) => {
                        let at = t0 + Duration::from_secs_f64((k * n + d) as f64 / rate);
                        tokio::time::sleep_until(at).await;
                        at
                    }
                    None => tokio::time::Instant::now(),
                };
                let cursor = device.cursor.load(std::sync::atomic::Ordering::Relaxed);
                let request = SyncRequest {
                    protocol: PROTOCOL_VERSION,
                    device_id: device.id,
                    push: Some(PushBatch {
                        first_seq: 1 + (b * PER_BATCH) as u64,
                        changes: device.batches[b].clone(),
                    }),
                    cursor,
                    pull_limit: 500,
                };
                let body = zstd::bulk::compress(&serde_json::to_vec(&request).unwrap(), 3).unwrap();
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
                latencies.push(planned.elapsed());
                assert_eq!(answer.acked_seq, ((b + 1) * PER_BATCH) as u64);
                device.cursor.store(answer.cursor, std::sync::atomic::Ordering::Relaxed);
            }
            latencies
        });
    }
    let _ = start.set(tokio::time::Instant::now());
    barrier.wait().await;
    let started = Instant::now();
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.unwrap());
    }
    let wall = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let entries = latencies.len() * PER_BATCH;
    Phase { entries, wall, rate: entries as f64 / wall.as_secs_f64(), p50: at(0.50), p99: at(0.99) }
}
