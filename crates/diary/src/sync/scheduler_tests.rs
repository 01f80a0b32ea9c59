//! The scheduler's decisions on a paused clock: tokio's test time moves only when every task
//! waits, so these run in milliseconds and see exact instants.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use super::*;

fn config() -> ScheduleConfig {
    ScheduleConfig {
        after_save: Duration::from_secs(3),
        max_after_save: Duration::from_secs(30),
        every: Duration::from_secs(300),
        backoff_min: Duration::from_secs(5),
        backoff_max: Duration::from_secs(600),
    }
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[test]
fn the_first_sync_is_at_start_and_then_every_few_minutes_after_a_success() {
    let t0 = Instant::now();
    let mut timing = Timing::new(config(), t0);
    assert_eq!(timing.next, t0);
    timing.on_outcome(t0, Outcome::Done);
    assert_eq!(timing.next, t0 + secs(300));
}

#[test]
fn saves_in_a_burst_share_one_sync_a_few_seconds_after_the_last() {
    let t0 = Instant::now();
    let mut timing = Timing::new(config(), t0);
    timing.on_outcome(t0, Outcome::Done);
    timing.on_save(t0 + secs(10));
    assert_eq!(timing.next, t0 + secs(13));
    timing.on_save(t0 + secs(12));
    assert_eq!(timing.next, t0 + secs(13), "a later save never postpones a due sync");
}

#[test]
fn a_steady_stream_of_saves_still_syncs_within_the_bound() {
    let t0 = Instant::now();
    let mut timing = Timing::new(config(), t0);
    timing.on_outcome(t0, Outcome::Done);
    timing.on_save(t0 + secs(100));
    assert!(timing.next <= t0 + secs(130));
}

#[test]
fn failures_back_off_exponentially_with_full_jitter_within_bounds() {
    let t0 = Instant::now();
    let mut bounds_seen = Vec::new();
    for _ in 0..50 {
        let mut timing = Timing::new(config(), t0);
        let mut waits = Vec::new();
        for _ in 0..8 {
            timing.on_outcome(t0, Outcome::Retry(None));
            waits.push(timing.next - t0);
        }
        for (i, wait) in waits.iter().enumerate() {
            let bound = secs(5 * (1 << i)).min(secs(600));
            assert!(*wait >= secs(1) && *wait <= bound, "try {i}: {wait:?} > {bound:?}");
        }
        bounds_seen.push(waits[7]);
    }
    assert!(bounds_seen.iter().any(|w| *w < secs(300)), "full jitter: waits spread below the bound");
}

#[test]
fn a_retry_after_from_the_server_is_respected() {
    let t0 = Instant::now();
    let mut timing = Timing::new(config(), t0);
    timing.on_outcome(t0, Outcome::Retry(Some(secs(900))));
    assert!(timing.next >= t0 + secs(900));
}

#[test]
fn a_huge_retry_after_neither_overflows_the_timer_nor_stops_it() {
    let t0 = Instant::now();
    for wait in [Duration::MAX, Duration::from_secs(u64::MAX)] {
        let mut timing = Timing::new(config(), t0);
        // `t0 + wait` would panic ("overflow when adding duration to instant").
        timing.on_outcome(t0, Outcome::Retry(Some(wait)));
        assert!(timing.next > t0 + secs(3600), "the server's wait is still respected");
        assert!(!timing.parked, "a wait is not a stop: saves and sync now still work");
        timing.on_request(t0 + secs(1));
        assert_eq!(timing.next, t0 + secs(1));
    }
}

#[test]
fn huge_configured_delays_do_not_overflow_the_timer() {
    let t0 = Instant::now();
    let huge = ScheduleConfig {
        after_save: Duration::MAX,
        max_after_save: Duration::MAX,
        every: Duration::MAX,
        backoff_min: Duration::MAX,
        backoff_max: Duration::MAX,
    };
    let mut timing = Timing::new(huge, t0);
    timing.on_outcome(t0, Outcome::Done);
    timing.on_save(t0 + secs(1));
    timing.on_outcome(t0, Outcome::Retry(None));
    timing.on_outcome(t0, Outcome::Stop);
    assert!(timing.next > t0);
}

#[tokio::test(start_paused = true)]
async fn a_huge_retry_after_from_the_server_does_not_kill_the_scheduler() {
    let calls = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&calls);
    let scheduler = SyncScheduler::with_job(config(), move || {
        let n = counted.fetch_add(1, Ordering::SeqCst);
        async move {
            match n {
                0 => Err(SyncFailure::TooManyRequests { retry_after: Some(Duration::MAX) }),
                _ => Ok(SyncSummary::default()),
            }
        }
    });
    let mut state = scheduler.state();
    state.wait_for(|s| s.runs >= 1).await.expect("the first sync ran");
    tokio::time::sleep(secs(3600)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 1, "nothing before the server's wait is over");
    scheduler.sync_now();
    // On overflow the scheduler's task panicked, its state channel closed and nothing ran again.
    state.wait_for(|s| s.runs >= 2).await.expect("the scheduler is still alive");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    scheduler.stop().await;
}

#[test]
fn a_success_resets_the_backoff() {
    let t0 = Instant::now();
    let mut timing = Timing::new(config(), t0);
    for _ in 0..6 {
        timing.on_outcome(t0, Outcome::Retry(None));
    }
    timing.on_outcome(t0, Outcome::Done);
    timing.on_outcome(t0, Outcome::Retry(None));
    assert!(timing.next <= t0 + secs(5));
}

#[test]
fn a_stopped_timer_ignores_saves_until_someone_asks() {
    let t0 = Instant::now();
    let mut timing = Timing::new(config(), t0);
    timing.on_outcome(t0, Outcome::Stop);
    timing.on_save(t0 + secs(1));
    assert!(timing.next > t0 + secs(3600));
    timing.on_request(t0 + secs(2));
    assert_eq!((timing.next, timing.parked), (t0 + secs(2), false));
}

/// A job that fails `failures` times, then succeeds, counting calls and overlaps.
fn scripted(
    failures: u32,
    calls: Arc<AtomicU32>,
    running: Arc<AtomicU32>,
    overlap: Arc<AtomicU32>,
) -> impl FnMut() -> std::pin::Pin<Box<dyn Future<Output = Result<SyncSummary, SyncFailure>> + Send>>
+ Send
+ 'static {
    move || {
        let (calls, running, overlap) = (calls.clone(), running.clone(), overlap.clone());
        Box::pin(async move {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            if running.fetch_add(1, Ordering::SeqCst) > 0 {
                overlap.fetch_add(1, Ordering::SeqCst);
            }
            tokio::time::sleep(secs(2)).await;
            running.fetch_sub(1, Ordering::SeqCst);
            if n < failures {
                Err(SyncFailure::Unreachable("test".into()))
            } else {
                Ok(SyncSummary::default())
            }
        })
    }
}

#[tokio::test(start_paused = true)]
async fn a_failed_upload_is_retried_on_a_timer_without_a_new_save() {
    let (calls, running, overlap) = (Arc::default(), Arc::default(), Arc::default());
    let scheduler = SyncScheduler::with_job(config(), scripted(3, Arc::clone(&calls), running, overlap));
    tokio::time::sleep(secs(5 + 10 + 20 + 10)).await;
    assert!(calls.load(Ordering::SeqCst) >= 4, "three failures, then the retry that works");
    let runs = scheduler.state().borrow().runs;
    tokio::time::sleep(secs(200)).await;
    assert_eq!(scheduler.state().borrow().runs, runs, "after a success, quiet until the period");
    scheduler.stop().await;
}

#[tokio::test(start_paused = true)]
async fn two_syncs_never_run_at_once() {
    let (calls, running, overlap) = (Arc::default(), Arc::default(), Arc::<AtomicU32>::default());
    let scheduler =
        SyncScheduler::with_job(config(), scripted(0, Arc::clone(&calls), running, Arc::clone(&overlap)));
    for _ in 0..20 {
        scheduler.sync_now();
        scheduler.saved();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(calls.load(Ordering::SeqCst) >= 2);
    assert_eq!(overlap.load(Ordering::SeqCst), 0);
    scheduler.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_revoked_device_stops_scheduling_until_sync_now() {
    let calls = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&calls);
    let scheduler = SyncScheduler::with_job(config(), move || {
        counted.fetch_add(1, Ordering::SeqCst);
        async { Err(SyncFailure::Revoked) }
    });
    tokio::time::sleep(secs(3600)).await;
    scheduler.saved();
    tokio::time::sleep(secs(3600)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(scheduler.state().borrow().stopped);
    scheduler.sync_now();
    tokio::time::sleep(secs(1)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    scheduler.stop().await;
}

#[tokio::test(start_paused = true)]
async fn sync_now_and_wait_ends_after_a_sync_that_started_after_the_call() {
    let (calls, running, overlap) = (Arc::default(), Arc::default(), Arc::default());
    let t0 = Instant::now();
    let scheduler = SyncScheduler::with_job(config(), scripted(0, Arc::clone(&calls), running, overlap));
    // The first sync (at start) takes 2 s; ask in the middle of it.
    tokio::time::sleep(secs(1)).await;
    assert!(scheduler.state().borrow().syncing);
    let state = scheduler.sync_now_and_wait().await.expect("the scheduler runs");
    assert_eq!((state.runs, calls.load(Ordering::SeqCst)), (2, 2), "the running sync, then one more");
    assert_eq!(Instant::now() - t0, secs(4));
    // Asked while idle: the next sync is enough.
    let state = scheduler.sync_now_and_wait().await.expect("the scheduler runs");
    assert_eq!(state.runs, 3);
    scheduler.stop().await;
}
