//! Sync through a link that fails in every way we know of, then once cleanly: device and server
//! must end up holding exactly the same records, none lost, none doubled.
//!
//! Each random schedule enrols a fresh caregiver's device(s), then runs steps: some diary
//! changes, then a sync whose exchanges meet the step's faults (see [`Fault`]). After the last
//! step the proxy lets everything through (held-back requests go first, late), each device syncs
//! once more, and [`check_same`] compares what the server holds with what the devices say.
//!
//! On SQLite: one server process, one device. On PostgreSQL: two server processes on one
//! database behind the proxy, which sends exchanges to them in turn, and two devices of the same
//! caregiver, so every device alternates between the two servers.
//!
//! Steps may also set a device's wall clock hours ahead (it must correct itself by the server's
//! clock and lose nothing), and on SQLite take a backup of the server's database and later
//! restore it (the server renews its epoch; the devices must notice, pull again and offer what
//! it lost, without doubling anything or re-sharing what was made private).
//!
//! `FAULT_SCHEDULES=N` sets how many schedules each backend runs (default: 500 on SQLite, 200
//! on PostgreSQL); `FAULT_SCHEDULES=5000` is the long mode.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use convivio_diary::sync::{HttpConfig, SyncClient};
use convivio_tests::fault_proxy::Fault;
use convivio_tests::sync_world::{Backend, Op, Snapshot, TestDevice, World, check_same, impatient};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const SERVER: &str = env!("CARGO_BIN_EXE_convivio_test_server");

/// Restores of a backup and clock jumps one property's schedules made, for its summary.
#[derive(Debug, Default)]
struct Counts {
    restores: AtomicUsize,
    clock_jumps: AtomicUsize,
}

#[derive(Debug, Clone)]
struct Step {
    /// Which device acts (when there are two).
    device: usize,
    ops: Vec<Op>,
    /// What the sync's exchanges meet, in order; exchanges after these pass.
    faults: Vec<Fault>,
    /// Before the ops: the acting device's wall clock jumps this many hours ahead.
    clock_ahead_hours: Option<i64>,
    /// Before the ops (SQLite): a backup of the server's database, or a restore of the last one.
    backup: Backup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backup {
    None,
    Take,
    Restore,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        2 => Just(Fault::Pass),
        2 => Just(Fault::DropRequest),
        2 => Just(Fault::DropResponse),
        1 => (1u64..40).prop_map(|ms| Fault::Delay(Duration::from_millis(ms))),
        // Longer than the client waits: it gives up, the server works on.
        1 => Just(Fault::Delay(Duration::from_millis(450))),
        2 => Just(Fault::Duplicate),
        2 => Just(Fault::Reorder),
        2 => Just(Fault::TruncateRequest),
        2 => Just(Fault::TruncateResponse),
        2 => Just(Fault::ResetMidResponse),
        1 => Just(Fault::BadGateway),
        2 => Just(Fault::UnavailableAfterWork),
        1 => (0u64..25).prop_map(|ms| Fault::KillServer(Duration::from_millis(ms))),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (prop::bool::weighted(0.75), 1usize..120).prop_map(|(shared, words)| Op::Add { shared, words }),
        2 => (any::<usize>(), 1usize..60).prop_map(|(pick, words)| Op::Edit { pick, words }),
        1 => any::<usize>().prop_map(|pick| Op::Share { pick }),
        1 => any::<usize>().prop_map(|pick| Op::MakePrivate { pick }),
        1 => any::<usize>().prop_map(|pick| Op::Delete { pick }),
    ]
}

fn schedule(devices: usize) -> impl Strategy<Value = Vec<Step>> {
    let clock = prop_oneof![8 => Just(None), 1 => (1i64..9).prop_map(Some)];
    let backup = prop_oneof![10 => Just(Backup::None), 1 => Just(Backup::Take), 1 => Just(Backup::Restore)];
    let step =
        (0..devices, prop::collection::vec(op(), 0..8), prop::collection::vec(fault(), 1..4), clock, backup)
            .prop_map(|(device, ops, faults, clock_ahead_hours, backup)| Step {
                device,
                ops,
                faults,
                clock_ahead_hours,
                backup,
            });
    prop::collection::vec(step, 1..7)
}

fn schedules(default: u32) -> u32 {
    std::env::var("FAULT_SCHEDULES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

async fn run(world: &World, counts: &Counts, devices: usize, steps: Vec<Step>) -> Result<(), TestCaseError> {
    let (faulty, clean) =
        (SyncClient::new(impatient()).unwrap(), SyncClient::new(HttpConfig::default()).unwrap());
    let url = world.proxy.url();
    let first = TestDevice::enrol(&clean, &url, &world.code(None).await).await;
    let mut all = vec![first];
    for _ in 1..devices {
        let code = world.code(Some(all[0].caregiver_id)).await;
        all.push(TestDevice::enrol(&clean, &url, &code).await);
    }
    let before = world.proxy.applied().len();
    let mut backup: Option<Snapshot> = None;
    for step in &steps {
        if world.backend == Backend::Sqlite {
            match (step.backup, &backup) {
                (Backup::Take, _) => backup = Some(world.snapshot().await),
                (Backup::Restore, Some(snapshot)) => {
                    world.restore(snapshot).await;
                    counts.restores.fetch_add(1, Ordering::Relaxed);
                }
                _ => {}
            }
        }
        let device = &mut all[step.device];
        if let Some(hours) = step.clock_ahead_hours {
            device.simulate_clock_error(hours * 3_600_000);
            counts.clock_jumps.fetch_add(1, Ordering::Relaxed);
        }
        for op in &step.ops {
            device.apply(op);
        }
        world.proxy.plan(step.faults.iter().copied());
        // It may fail, that is the point; what it did must not be lost or doubled.
        let _ = faulty.sync_once(&device.diary).await;
        world.proxy.clear();
    }
    let met = world.proxy.applied().len() - before;
    prop_assert!(met >= steps.len(), "every step's sync reached the proxy ({met} exchanges)");

    world.proxy.release_held().await;
    // One clean sync each; with two devices the first goes again to pull what the second sent.
    let order: Vec<usize> = if devices == 1 { vec![0] } else { vec![0, 1, 0] };
    for i in order {
        let summary = clean.sync_once(&all[i].diary).await;
        prop_assert!(summary.is_ok(), "the clean sync of device {i} failed: {summary:?}");
    }
    let refs: Vec<&TestDevice> = all.iter().collect();
    check_same(world, &refs).await.map_err(TestCaseError::fail)?;
    if devices == 2 {
        let shared = |d: &TestDevice| {
            d.entries()
                .into_iter()
                .filter(|(_, r)| matches!(r, convivio_core::Record::Entry(e) if e.sharing.leaves_device()))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        prop_assert_eq!(shared(&all[0]), shared(&all[1]), "both devices show the same shared diary");
    }
    Ok(())
}

fn property(backend: Backend, servers: usize, devices: usize, default_cases: u32) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let world = runtime.block_on(World::start(SERVER, backend, servers, &[]));
    let config = Config {
        cases: schedules(default_cases),
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let started = std::time::Instant::now();
    let counts = Counts::default();
    let result =
        runner.run(&schedule(devices), |steps| runtime.block_on(run(&world, &counts, devices, steps)));
    let faults = world.proxy.applied();
    let kills = faults.iter().filter(|f| matches!(f, Fault::KillServer(_))).count();
    let (restores, jumps) =
        (counts.restores.load(Ordering::Relaxed), counts.clock_jumps.load(Ordering::Relaxed));
    eprintln!(
        "{backend:?}: {} schedules, {} exchanges through the proxy ({kills} server kills, {restores} restores \
         from a backup, {jumps} clocks jumping hours ahead) in {:.1} s",
        schedules(default_cases),
        faults.len(),
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    // About one exchange in twenty kills the server: a run of this size that never did would
    // not have tested what it claims.
    if schedules(default_cases) >= 100 {
        assert!(kills > 0, "the schedules killed the server at least once");
        assert!(jumps > 0, "a clock jumped ahead at least once");
        if backend == Backend::Sqlite {
            assert!(restores > 0, "a backup was restored at least once");
        }
    }
}

#[test]
fn sqlite_after_any_fault_schedule_and_one_clean_sync_device_and_server_agree() {
    property(Backend::Sqlite, 1, 1, 500);
}

#[test]
fn postgres_two_servers_two_devices_after_any_fault_schedule_all_agree() {
    property(Backend::Postgres, 2, 2, 200);
}
