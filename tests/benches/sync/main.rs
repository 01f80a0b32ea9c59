//! Sync benchmarks, printed as the tables in BENCHMARKS.md:
//!
//! - `wire`: bytes on the wire (headers included) and requests for a no-op sync and for
//!   pushing 1, 100, 1,000 and 10,000 entries of about 500 bytes;
//! - `rural`: the same through an emulated rural link (250 ms each way, 100 kbit/s each way),
//!   and with the link reset every 20 s;
//! - `ingest`: 1,000 simulated devices syncing at once against each backend.
//!
//! `cargo bench -p convivio-tests --bench sync [-- wire|rural|ingest ...]`; `-- ingest sqlite`
//! or `-- ingest postgres` measures one backend. The server runs as a child process built with
//! the bench profile. Exits non-zero when a target is missed.

#![allow(clippy::unwrap_used)] // a benchmark: a failed unwrap is a failed run

mod ingest;

use std::time::Duration;

use convivio_tests::link::Shape;
use convivio_tests::sync_world::{Backend, World};
use convivio_tests::wire::{Measured, Rig};

const SERVER: &str = env!("CARGO_BIN_EXE_convivio_test_server");

fn main() {
    let asked: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wants = |name: &str| asked.is_empty() || asked.iter().any(|a| a == name);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut missed = Vec::new();
    if wants("wire") {
        runtime.block_on(wire(&mut missed));
    }
    if wants("rural") {
        runtime.block_on(rural(&mut missed));
    }
    if wants("ingest") {
        // `-- ingest sqlite` or `-- ingest postgres` measures one backend.
        let only = |name: &str| {
            !asked.iter().any(|a| a == "sqlite" || a == "postgres") || asked.iter().any(|a| a == name)
        };
        for (name, backend) in [("sqlite", Backend::Sqlite), ("postgres", Backend::Postgres)] {
            if only(name) {
                runtime.block_on(ingest::run(SERVER, backend, &mut missed));
            }
        }
    }
    if !missed.is_empty() {
        eprintln!("\nTARGETS MISSED:\n  {}", missed.join("\n  "));
        std::process::exit(1);
    }
}

fn row(what: &str, m: &Measured) {
    println!(
        "| {what:<28} | {:>8} | {:>10} | {:>10} | {:>10} | {:>8.2} s |",
        m.requests,
        m.crossed.up,
        m.crossed.down,
        m.crossed.total(),
        m.elapsed.as_secs_f64()
    );
}

fn header(title: &str) {
    println!("\n{title}\n");
    println!("| sync                         | requests |   bytes up | bytes down |  bytes all |     time |");
    println!("|------------------------------|---------:|-----------:|-----------:|-----------:|---------:|");
}

async fn wire(missed: &mut Vec<String>) {
    let world = World::start(SERVER, Backend::Sqlite, 1, &[]).await;
    header("Bytes on the wire (loopback, headers included)");
    let rig = Rig::new(&world, Shape::default()).await;
    let noop = rig.sync().await;
    row("no-op", &noop);
    if noop.requests != 1 || noop.crossed.total() > 600 {
        missed.push(format!(
            "no-op sync: {} requests, {} B (target 1, <= 600 B)",
            noop.requests,
            noop.crossed.total()
        ));
    }
    for n in [1usize, 100, 1_000, 10_000] {
        let mut rig = Rig::new(&world, Shape::default()).await;
        rig.write(n, n as u64);
        let m = rig.sync().await;
        row(&format!("push {n} entries"), &m);
        if n == 1_000 && (m.requests > 3 || m.crossed.total() > 180_000) {
            missed.push(format!(
                "1,000 entries: {} requests, {} B (target <= 3, <= 180 KB)",
                m.requests,
                m.crossed.total()
            ));
        }
    }
    let sample = Rig::new(&world, Shape::default()).await;
    println!("\nAverage entry as JSON: {} bytes", sample.average_entry_json(1_000, 7));
}

async fn rural(missed: &mut Vec<String>) {
    let world = World::start(SERVER, Backend::Sqlite, 1, &[]).await;
    header("Rural link: 250 ms each way, 100 kbit/s each way");
    let rig = Rig::new(&world, Shape::rural()).await;
    row("no-op", &rig.sync().await);
    let mut rig = Rig::new(&world, Shape::rural()).await;
    rig.write(1_000, 11);
    let clean = rig.sync().await;
    row("push 1,000 entries", &clean);
    if clean.elapsed >= Duration::from_secs(16) {
        missed.push(format!(
            "1,000 entries over the rural link took {:.1} s (target < 16 s)",
            clean.elapsed.as_secs_f64()
        ));
    }

    // The link resets every 20 s; the sync starts 12 s after a reset, so the next one lands
    // in the middle of it.
    let reset = Shape { reset_every: Some(Duration::from_secs(20)), ..Shape::rural() };
    let mut rig = Rig::new(&world, reset).await;
    rig.write(1_000, 11);
    tokio::time::sleep(Duration::from_secs(12)).await;
    let cut = rig.sync().await;
    row("push 1,000, reset every 20 s", &cut);
    let resent = cut.crossed.up.saturating_sub(clean.crossed.up);
    let largest_batch = clean.crossed.up / u64::from(clean.requests.max(1));
    println!(
        "\nWith resets: {} resets met, {} attempts, {} B sent again (a batch is about {} B)",
        cut.crossed.resets, cut.attempts, resent, largest_batch
    );
    if rig.device.outbox().0 != 0 {
        missed.push("the sync over a resetting link did not complete".into());
    }
    if cut.crossed.resets == 0 {
        missed.push("the reset run met no reset: the bench did not test what it says".into());
    }
    // The batch cut by the reset goes again, halved (two requests, each with its headers and
    // a little less compression), and ids and clocks differ between the two runs: 10 % slack.
    if resent > largest_batch + largest_batch / 10 {
        missed.push(format!("a reset made the device send {resent} B again (target: at most the batch in flight, {largest_batch} B)"));
    }
}
