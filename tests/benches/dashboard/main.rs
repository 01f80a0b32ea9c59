//! The staff dashboard at the size of a large agency (issue 8), printed as the table in
//! BENCHMARKS.md: 1,000 caregivers and 200,000 entries seeded by `admin seed`, the real server
//! as a child process on each backend, and each page timed over loopback HTTP as a signed-in
//! admin's browser asks for it (the time includes the HTTP round trip and the HTML).
//!
//! `cargo bench -p convivio-tests --bench dashboard [-- sqlite|postgres]` (or
//! `make bench-dashboard`). The first run on a machine seeds each backend once (minutes) and
//! keeps the databases (see `population`). Exits non-zero when a page the issue names misses
//! its target: p95 under 100 ms.

#![allow(clippy::unwrap_used)] // a benchmark: a failed unwrap is a failed run

mod pages;
mod population;

use std::time::Duration;

use convivio_tests::server_process::ServerProcess;
use convivio_tests::sync_world::Backend;
use pages::{Session, link, next_page, quantile};

const SERVER: &str = env!("CARGO_BIN_EXE_convivio_test_server");
const SAMPLES: usize = 40;
const TARGET: Duration = Duration::from_millis(100);

fn main() {
    let asked: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wants = |name: &str| asked.is_empty() || asked.iter().any(|a| a == name);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut missed = Vec::new();
    for (backend, name) in [(Backend::Sqlite, "sqlite"), (Backend::Postgres, "postgres")] {
        if wants(name) {
            runtime.block_on(run(backend, name, &mut missed));
        }
    }
    if !missed.is_empty() {
        eprintln!("\nTARGETS MISSED:\n  {}", missed.join("\n  "));
        std::process::exit(1);
    }
}

async fn run(backend: Backend, name: &str, missed: &mut Vec<String>) {
    let db = population::database(SERVER.as_ref(), backend);
    let server = ServerProcess::start(SERVER, &db, &[]).unwrap();
    let base = format!("http://{}", server.addr);
    let session = Session::sign_in(&base, population::USERNAME, population::PASSWORD).await;

    let first = session.get("/staff").await;
    let entry = link(&first, "/staff/entries/").expect("the queue links an entry");
    let caregiver = link(&first, "/staff/caregivers/").expect("the queue links a caregiver");
    let next = next_page(&first).expect("the queue has a second page");

    // (what, path, held to the target: the pages the issue names)
    let pages: [(&str, &str, bool); 11] = [
        ("queue, first page", "/staff", true),
        ("queue, second page (keyset)", &next, false),
        ("queue, filtered: open high-urgency needs", "/staff?kind=need&urgency=high&status=open", true),
        ("queue, filtered: mistake tags", "/staff?kind=experience&factor=mistake", false),
        ("queue, search one word (\"visita\")", "/staff?q=visita", true),
        ("queue, search folded (\"giovedi\")", "/staff?q=giovedi", false),
        ("warnings", "/staff/warnings", true),
        ("overview (last 12 months)", "/staff/overview", true),
        ("caregivers list", "/staff/caregivers", false),
        ("a caregiver's page", &caregiver, false),
        ("an entry's page", &entry, false),
    ];
    println!(
        "\n{name}: {} caregivers, {} entries each, {SAMPLES} requests per page\n",
        population::CAREGIVERS,
        population::ENTRIES_PER_CAREGIVER
    );
    println!("| page | p50 | p95 | max | HTML |");
    println!("|---|---:|---:|---:|---:|");
    for (what, path, held) in pages {
        let (times, body) = session.time(path, SAMPLES).await;
        let p95 = quantile(&times, 0.95);
        let mark = if held { format!("**{}**", ms(p95)) } else { ms(p95) };
        println!(
            "| {what} | {} | {mark} | {} | {} KB |",
            ms(quantile(&times, 0.5)),
            ms(times[times.len() - 1]),
            body.len() / 1024
        );
        if held && p95 >= TARGET {
            missed.push(format!("{name}: {what} p95 {} (target < {} ms)", ms(p95), TARGET.as_millis()));
        }
    }
    drop(server);
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
