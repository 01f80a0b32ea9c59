//! Anonymous load cannot starve enrolled devices or exhaust the server.
//!
//! The real server (`convivio-server serve`, SQLite) as a child process on loopback, and for
//! `RUN` seconds at once:
//! - 1,000 idle and slow connections: half send nothing, half drip a request head one byte a
//!   second; whenever the server closes one (its header timeout), it is opened again;
//! - 50 concurrent unauthenticated `POST /api/v1/sync` of 8 MiB of zstd each (concatenated
//!   frames of spaces, each 16 MiB decompressed: the whole body would inflate to hundreds of
//!   GiB of JSON whitespace), half without a token and half with a made-up one, sent again as
//!   soon as each is answered;
//! - 100 enrolled devices syncing back to back with their real tokens (zstd bodies of 5 notes,
//!   then the pull), as the sync client does.
//!
//! Every device sync must succeed, the server's peak resident memory (`VmHWM`) must stay under
//! 300 MB, and what the server read in all (`/proc/PID/io` `rchar`: every socket and file) must
//! be a small part of what the bombs pushed at it: it answered them from their heads. The figures are printed (`cargo test -p convivio-tests --test load --
//! --nocapture`) and kept in BENCHMARKS.md.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use convivio_core::sync::{EnrolResponse, PROTOCOL_VERSION, PushBatch, SyncRequest, SyncResponse};
use convivio_core::{NodeId, Owner, Role};
use convivio_tests::sync_world::{Backend, World};
use convivio_tests::wire::note_record;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

const SERVER: &str = env!("CARGO_BIN_EXE_convivio_test_server");

const SILENT: usize = 500;
const DRIPPING: usize = 500;
const BOMBS: usize = 50;
const BOMB_BYTES: usize = 8 * 1024 * 1024;
const DEVICES: usize = 100;
const PER_SYNC: usize = 5;
/// How long the pressure lasts: past the server's 10 s header timeout, so every slow socket is
/// closed and opened again at least once.
const RUN: Duration = Duration::from_secs(22);
const MEMORY_LIMIT_KB: u64 = 300 * 1000;

#[test]
fn anonymous_load_neither_starves_devices_nor_exhausts_the_server() {
    let limit = raise_fd_limit(8192);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(run(limit));
}

async fn run(fd_limit: u64) {
    let world = World::start(SERVER, Backend::Sqlite, 1, &[]).await;
    let addr = world.direct_addr(0);
    let url = format!("http://{addr}");
    let pid = world.servers[0].lock().unwrap().pid();

    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).no_zstd().build().unwrap();
    let mut devices = Vec::with_capacity(DEVICES);
    for _ in 0..DEVICES {
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
        devices.push(enrolled);
    }
    let before_kb = memory(pid, "VmRSS");
    let read_before = proc_field(pid, "io", "rchar");

    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let slow = Arc::new(SlowStats::default());
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..SILENT + DRIPPING {
        let (stop, slow) = (Arc::clone(&stop), Arc::clone(&slow));
        tasks.spawn(async move { slow_socket(&addr.to_string(), i >= SILENT, &stop, &slow).await });
        if i % 100 == 99 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let (bomb, inflated) = bomb_body();
    let bomb = Arc::new(bomb);
    let bombs = Arc::new(BombStats::default());
    for i in 0..BOMBS {
        let (stop, bombs, bomb) = (Arc::clone(&stop), Arc::clone(&bombs), Arc::clone(&bomb));
        let token = (i % 2 == 1).then(|| format!("{i:064x}"));
        tasks.spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                bombs.record(unauthenticated_bomb(&addr.to_string(), token.as_deref(), &bomb).await);
            }
        });
    }
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let mut syncing = tokio::task::JoinSet::new();
    for (d, device) in devices.into_iter().enumerate() {
        let (stop, http, url) = (Arc::clone(&stop), http.clone(), url.clone());
        let (latencies, failures) = (Arc::clone(&latencies), Arc::clone(&failures));
        syncing.spawn(async move {
            let owner = Owner { role: Role::Caregiver, id: device.caregiver_id };
            let (mut next_seq, mut cursor, mut round) = (1u64, 0u64, 0u64);
            while !stop.load(Ordering::Relaxed) {
                let changes = (0..PER_SYNC)
                    .map(|i| {
                        let wall = round * PER_SYNC as u64 + i as u64;
                        note_record(
                            owner,
                            "una giornata tranquilla, poi la visita",
                            wall,
                            NodeId(d as u64 + 1),
                        )
                    })
                    .collect();
                let request = SyncRequest {
                    protocol: PROTOCOL_VERSION,
                    device_id: device.device_id,
                    push: Some(PushBatch { first_seq: next_seq, changes }),
                    cursor,
                    pull_limit: 100,
                };
                let sent = Instant::now();
                match sync(&http, &url, &device.device_token, &request).await {
                    Ok(answer) if answer.acked_seq == next_seq + PER_SYNC as u64 - 1 => {
                        latencies.lock().await.push(sent.elapsed());
                        next_seq += PER_SYNC as u64;
                        cursor = answer.cursor;
                    }
                    Ok(answer) => {
                        failures.lock().await.push(format!("device {d}: acked {}", answer.acked_seq))
                    }
                    Err(e) => failures.lock().await.push(format!("device {d}: {e}")),
                }
                round += 1;
            }
        });
    }
    let mut peak_seen_kb = 0;
    while started.elapsed() < RUN {
        tokio::time::sleep(Duration::from_millis(500)).await;
        peak_seen_kb = peak_seen_kb.max(memory(pid, "VmRSS"));
    }
    stop.store(true, Ordering::Relaxed);
    while syncing.join_next().await.is_some() {}
    tasks.abort_all();
    while tasks.join_next().await.is_some() {}
    let hwm_kb = memory(pid, "VmHWM");
    let server_read = proc_field(pid, "io", "rchar") - read_before;
    let bomb_written = bombs.written.load(Ordering::Relaxed);

    let mut latencies = latencies.lock().await.clone();
    latencies.sort();
    let failures = failures.lock().await.clone();
    let at = |q: f64| {
        latencies.get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
    };
    let ms = |d: Option<&Duration>| d.map_or(0.0, |d| d.as_secs_f64() * 1e3);
    println!("\nLoad ({:.0} s, debug build, SQLite, open files limit {fd_limit}):", RUN.as_secs_f64());
    println!(
        "  slow sockets: {SILENT} silent + {DRIPPING} dripping; {} opened, {} closed by the server, after {:.1} s on average (header timeout 10 s)",
        slow.opened.load(Ordering::Relaxed),
        slow.closed.load(Ordering::Relaxed),
        slow.average_life()
    );
    println!(
        "  unauthenticated 8 MiB zstd bodies (each {:.0} GiB inflated), {BOMBS} at a time: {} sent, {} answered 401, {} cut before an answer, {} other; {:.1} MiB of them written before the answer, on average {:.0} KiB each",
        inflated as f64 / f64::from(1u32 << 30),
        bombs.sent.load(Ordering::Relaxed),
        bombs.unauthorized.load(Ordering::Relaxed),
        bombs.cut.load(Ordering::Relaxed),
        bombs.other.load(Ordering::Relaxed),
        bombs.written.load(Ordering::Relaxed) as f64 / 1048576.0,
        bombs.written.load(Ordering::Relaxed) as f64
            / 1024.0
            / bombs.sent.load(Ordering::Relaxed).max(1) as f64,
    );
    println!(
        "  the server read {:.1} MiB in all (every socket and file, /proc/PID/io rchar) while the bombs had {:.1} MiB in its sockets",
        server_read as f64 / 1048576.0,
        bomb_written as f64 / 1048576.0
    );
    println!(
        "  {DEVICES} devices: {} syncs of {PER_SYNC} notes, {} failed; latency p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        latencies.len(),
        failures.len(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(latencies.last())
    );
    println!(
        "  server memory: {:.1} MB before, {:.1} MB highest sampled, peak (VmHWM) {:.1} MB; limit {:.0} MB",
        before_kb as f64 / 1000.0,
        peak_seen_kb as f64 / 1000.0,
        hwm_kb as f64 / 1000.0,
        MEMORY_LIMIT_KB as f64 / 1000.0
    );
    assert!(failures.is_empty(), "device syncs failed under load: {:?}", &failures[..failures.len().min(10)]);
    assert!(latencies.len() >= DEVICES, "only {} syncs in {RUN:?}", latencies.len());
    assert!(hwm_kb < MEMORY_LIMIT_KB, "the server's peak memory was {hwm_kb} kB");
    assert!(
        slow.closed.load(Ordering::Relaxed) >= (SILENT + DRIPPING) as u64,
        "slow sockets were not closed"
    );
    assert!(bombs.unauthorized.load(Ordering::Relaxed) > 0, "no unauthenticated body was answered");
    assert!(server_read < bomb_written / 20, "the server read {server_read} bytes: it took the bodies in");
}

/// Raises this process's soft limit on open files to `wanted` (or the hard limit), for the
/// server child too (it inherits it). Returns the limit in force.
fn raise_fd_limit(wanted: u64) -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let current = limit.current.unwrap_or(u64::MAX);
    if current >= wanted {
        return current;
    }
    let raised = limit.maximum.map_or(wanted, |max| max.min(wanted));
    setrlimit(Resource::Nofile, Rlimit { current: Some(raised), maximum: limit.maximum }).unwrap();
    assert!(
        raised >= 2 * (SILENT + DRIPPING + BOMBS + DEVICES) as u64 + 200,
        "the open files limit ({raised}) is too low for this test; raise the hard limit (ulimit -Hn)"
    );
    raised
}

/// A memory field of `/proc/PID/status`, in kB.
fn memory(pid: u32, field: &str) -> u64 {
    proc_field(pid, "status", field)
}

/// A numeric field of `/proc/PID/FILE` (`VmHWM:  1234 kB`, `rchar: 5678`).
fn proc_field(pid: u32, file: &str, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/{file}")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/{file}"))
}

#[derive(Debug, Default)]
struct SlowStats {
    opened: AtomicU64,
    closed: AtomicU64,
    life_ms: AtomicU64,
}

impl SlowStats {
    fn average_life(&self) -> f64 {
        self.life_ms.load(Ordering::Relaxed) as f64 / 1e3 / self.closed.load(Ordering::Relaxed).max(1) as f64
    }
}

/// Keeps one slow socket open until `stop`: silent, or dripping a head one byte a second;
/// opened again whenever the server closes it.
async fn slow_socket(addr: &str, drip: bool, stop: &AtomicBool, stats: &SlowStats) {
    let head = b"POST /api/v1/sync HTTP/1.1\r\nhost: convivio\r\nx-padding: ".repeat(4);
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut socket) = TcpStream::connect(addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        stats.opened.fetch_add(1, Ordering::Relaxed);
        let opened = Instant::now();
        let mut buf = [0u8; 64];
        let mut sent = 0;
        loop {
            let wait = tokio::time::timeout(Duration::from_secs(1), socket.read(&mut buf)).await;
            match wait {
                Ok(Ok(0)) | Ok(Err(_)) => break,
                Ok(Ok(_)) => {}
                Err(_) if drip => {
                    if socket.write_all(&head[sent % head.len()..][..1]).await.is_err() {
                        break;
                    }
                    sent += 1;
                }
                Err(_) => {}
            }
            if stop.load(Ordering::Relaxed) {
                return;
            }
        }
        stats.closed.fetch_add(1, Ordering::Relaxed);
        stats.life_ms.fetch_add(opened.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}

/// 8 MiB of concatenated zstd frames, each 16 MiB of spaces (leading whitespace is valid JSON,
/// so a server that inflated it would parse on and on).
/// Also returns how many bytes the whole body would inflate to.
fn bomb_body() -> (Vec<u8>, u64) {
    const FRAME: usize = 16 * 1024 * 1024;
    let frame = zstd::encode_all(vec![b' '; FRAME].as_slice(), 3).unwrap();
    let mut body = Vec::with_capacity(BOMB_BYTES + frame.len());
    while body.len() < BOMB_BYTES {
        body.extend_from_slice(&frame);
    }
    body.truncate(BOMB_BYTES);
    let inflated = (BOMB_BYTES / frame.len()) as u64 * FRAME as u64;
    (body, inflated)
}

#[derive(Debug, Default)]
struct BombStats {
    sent: AtomicU64,
    unauthorized: AtomicU64,
    cut: AtomicU64,
    other: AtomicU64,
    written: AtomicU64,
}

impl BombStats {
    fn record(&self, (status, written): (Option<u16>, usize)) {
        self.sent.fetch_add(1, Ordering::Relaxed);
        self.written.fetch_add(written as u64, Ordering::Relaxed);
        match status {
            Some(401) => &self.unauthorized,
            None => &self.cut,
            Some(_) => &self.other,
        }
        .fetch_add(1, Ordering::Relaxed);
    }
}

/// One unauthenticated sync with `body`: the answer's status (if one came) and how many body
/// bytes were written by then.
async fn unauthenticated_bomb(addr: &str, token: Option<&str>, body: &Arc<Vec<u8>>) -> (Option<u16>, usize) {
    let Ok(socket) = TcpStream::connect(addr).await else {
        tokio::time::sleep(Duration::from_millis(100)).await;
        return (None, 0);
    };
    let (mut read, mut write) = socket.into_split();
    let auth = token.map(|t| format!("authorization: Bearer {t}\r\n")).unwrap_or_default();
    let head = format!(
        "POST /api/v1/sync HTTP/1.1\r\nhost: convivio\r\ncontent-type: application/json\r\n\
         content-encoding: zstd\r\ncontent-length: {}\r\n{auth}\r\n",
        body.len()
    );
    let written = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (body, written) = (Arc::clone(body), Arc::clone(&written));
        tokio::spawn(async move {
            write.write_all(head.as_bytes()).await?;
            for chunk in body.chunks(64 * 1024) {
                write.write_all(chunk).await?;
                written.fetch_add(chunk.len(), Ordering::Relaxed);
            }
            Ok::<_, std::io::Error>(())
        })
    };
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        match tokio::time::timeout(Duration::from_secs(30), read.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => got.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    let by_answer = written.load(Ordering::Relaxed);
    writer.abort();
    let text = String::from_utf8_lossy(&got);
    let status = text.strip_prefix("HTTP/1.1 ").and_then(|s| s.get(..3)).and_then(|s| s.parse().ok());
    (status, by_answer)
}

/// One device sync, zstd up and down as the sync client sends it.
async fn sync(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    request: &SyncRequest,
) -> Result<SyncResponse, String> {
    let json = serde_json::to_vec(request).map_err(|e| e.to_string())?;
    let body = zstd::encode_all(json.as_slice(), 3).map_err(|e| e.to_string())?;
    let resp = http
        .post(format!("{url}/api/v1/sync"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("content-encoding", "zstd")
        .header("accept-encoding", "zstd")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("request: {e:?}"))?;
    let status = resp.status();
    let zstd = resp.headers().get("content-encoding").is_some_and(|v| v == "zstd");
    let mut bytes = resp.bytes().await.map_err(|e| format!("answer: {e}"))?.to_vec();
    if zstd {
        bytes = zstd::decode_all(bytes.as_slice()).map_err(|e| e.to_string())?;
    }
    if !status.is_success() {
        return Err(format!("{status}: {}", String::from_utf8_lossy(&bytes)));
    }
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}
