//! When to sync: at start, a few seconds after a save, every few minutes while the server is
//! reachable, and with exponential backoff and full jitter while it is not.
//!
//! Decisions, from other sync engines' bug trackers: a failed upload is retried on a timer, not
//! only after the next local write (a Tauri sync plugin lost offline notes that way); the delay
//! is *full* jitter, a random wait between zero and the exponential bound (AWS's analysis: it
//! spreads a thousand devices coming back online best), with backon providing the bound; one
//! task runs every sync, so two never overlap; a device the server refuses (revoked, unknown
//! token) or a locked diary stops the timer until someone asks for a sync again.
//!
//! `Timing` decides, [`SyncScheduler`] waits: the decisions are tested without a clock.

use std::future::Future;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::sync::{SharedDiary, SyncClient, SyncFailure, SyncSummary};

/// The scheduler's delays.
#[derive(Debug, Clone)]
pub struct ScheduleConfig {
    /// Quiet time after a save before syncing (saves in a burst share one sync).
    pub after_save: Duration,
    /// However many saves keep coming, a sync starts at most this long after the first.
    pub max_after_save: Duration,
    /// Between syncs while the server is reachable.
    pub every: Duration,
    /// Bounds of the backoff while it is not.
    pub backoff_min: Duration,
    pub backoff_max: Duration,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        Self {
            after_save: Duration::from_secs(3),
            max_after_save: Duration::from_secs(30),
            every: Duration::from_secs(5 * 60),
            backoff_min: Duration::from_secs(5),
            backoff_max: Duration::from_secs(15 * 60),
        }
    }
}

/// How a sync ended, as far as timing is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Done,
    /// Try again later, not before the server's `Retry-After` if it gave one.
    Retry(Option<Duration>),
    /// Nothing will change until someone acts: stop the timer.
    Stop,
}

impl Outcome {
    pub(crate) fn of(result: &Result<SyncSummary, SyncFailure>) -> Outcome {
        match result {
            Ok(_) => Outcome::Done,
            Err(f) if f.is_retryable() => Outcome::Retry(f.retry_after()),
            Err(_) => Outcome::Stop,
        }
    }
}

/// A long way off: how a stopped timer waits, and the longest any wait can be.
const PARKED: Duration = Duration::from_secs(365 * 24 * 3600);

/// `now + wait`, never past [`PARKED`] and never panicking: `Instant + Duration` panics on
/// overflow, and a wait may come from the server (`Retry-After`) or from a configuration.
fn later(now: Instant, wait: Duration) -> Instant {
    // A year from now always fits; the fallback is there so no input can make this panic.
    now.checked_add(wait.min(PARKED)).unwrap_or(now)
}

/// When the next sync starts. Pure: every method takes "now".
#[derive(Debug)]
pub(crate) struct Timing {
    config: ScheduleConfig,
    pub(crate) next: Instant,
    first_unsynced_save: Option<Instant>,
    backoff: Option<ExponentialBackoff>,
    pub(crate) parked: bool,
}

impl Timing {
    /// A sync right away: the app just started.
    pub(crate) fn new(config: ScheduleConfig, now: Instant) -> Timing {
        Timing { config, next: now, first_unsynced_save: None, backoff: None, parked: false }
    }

    /// A local write: sync a little later, unless a sync is already due sooner. While backing
    /// off, a save still brings the next try forward (the caregiver may be back in signal); a
    /// failure then goes on with the backoff where it was.
    pub(crate) fn on_save(&mut self, now: Instant) {
        if self.parked {
            return;
        }
        let first = *self.first_unsynced_save.get_or_insert(now);
        let at = later(now, self.config.after_save).min(later(first, self.config.max_after_save));
        self.next = self.next.min(at);
    }

    /// Someone asked for a sync now (also how a stopped timer restarts).
    pub(crate) fn on_request(&mut self, now: Instant) {
        self.parked = false;
        self.next = now;
    }

    pub(crate) fn on_outcome(&mut self, now: Instant, outcome: Outcome) {
        self.first_unsynced_save = None;
        match outcome {
            Outcome::Done => {
                self.backoff = None;
                self.next = later(now, self.config.every);
            }
            Outcome::Retry(retry_after) => {
                let (min, max) = (self.config.backoff_min, self.config.backoff_max);
                let bound = self
                    .backoff
                    .get_or_insert_with(|| {
                        ExponentialBuilder::new()
                            .with_min_delay(min)
                            .with_max_delay(max)
                            .with_factor(2.0)
                            .without_max_times()
                            .build()
                    })
                    .next()
                    .unwrap_or(max);
                self.next = later(now, full_jitter(bound).max(retry_after.unwrap_or_default()));
            }
            Outcome::Stop => {
                self.parked = true;
                self.next = later(now, PARKED);
            }
        }
    }
}

/// A random wait in [0, bound], but at least a second, so a run of failures never spins.
fn full_jitter(bound: Duration) -> Duration {
    let ms = bound.as_millis().min(u128::from(u64::MAX)) as u64;
    Duration::from_millis(rand::random_range(0..=ms)).max(Duration::from_secs(1))
}

enum Signal {
    Saved,
    Now,
}

/// What the scheduler is doing, for the app to show "syncing..." and refresh after a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SchedulerState {
    pub syncing: bool,
    /// Syncs finished since start, successful or not.
    pub runs: u64,
    /// The timer is stopped (revoked, not enrolled, locked) until [`SyncScheduler::sync_now`].
    pub stopped: bool,
}

/// The running scheduler. [`SyncScheduler::stop`] ends it at once; dropping it ends it after the
/// sync in progress, if any.
#[derive(Debug)]
pub struct SyncScheduler {
    signals: mpsc::UnboundedSender<Signal>,
    state: watch::Receiver<SchedulerState>,
    task: JoinHandle<()>,
}

impl SyncScheduler {
    /// Starts syncing `diary` with `client` on the current tokio runtime.
    pub fn start(client: SyncClient, diary: SharedDiary, config: ScheduleConfig) -> SyncScheduler {
        SyncScheduler::with_job(config, move || {
            let (client, diary) = (client.clone(), diary.clone());
            async move { client.sync_once(&diary).await }
        })
    }

    /// Starts a scheduler around any sync job: what [`start`](Self::start) does with a real
    /// client, and what tests do with a scripted one.
    pub fn with_job<F, Fut>(config: ScheduleConfig, mut job: F) -> SyncScheduler
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = Result<SyncSummary, SyncFailure>> + Send,
    {
        let (signals, mut inbox) = mpsc::unbounded_channel();
        let (report, state) = watch::channel(SchedulerState::default());
        let task = tokio::spawn(async move {
            let mut timing = Timing::new(config, Instant::now());
            loop {
                tokio::select! {
                    () = tokio::time::sleep_until(timing.next) => {
                        report.send_modify(|s| s.syncing = true);
                        let outcome = Outcome::of(&job().await);
                        timing.on_outcome(Instant::now(), outcome);
                        report.send_modify(|s| {
                            s.syncing = false;
                            s.runs += 1;
                            s.stopped = timing.parked;
                        });
                    }
                    signal = inbox.recv() => match signal {
                        Some(Signal::Saved) => timing.on_save(Instant::now()),
                        Some(Signal::Now) => {
                            timing.on_request(Instant::now());
                            report.send_modify(|s| s.stopped = false);
                        }
                        None => break,
                    }
                }
            }
        });
        SyncScheduler { signals, state, task }
    }

    /// Tell the scheduler a change was saved.
    pub fn saved(&self) {
        let _ = self.signals.send(Signal::Saved);
    }

    /// Sync as soon as the running one (if any) ends; restarts a stopped timer.
    pub fn sync_now(&self) {
        let _ = self.signals.send(Signal::Now);
    }

    /// Asks for a sync now, like [`sync_now`](Self::sync_now), and returns a future that ends
    /// when a sync that started after this call has ended, so everything saved before the call
    /// was offered to the server. A sync already running may have read the outbox before the
    /// last save, so then the one after it counts. Fails if the scheduler stops first.
    pub fn sync_now_and_wait(
        &self,
    ) -> impl Future<Output = Result<SchedulerState, watch::error::RecvError>> + Send + use<> {
        let mut state = self.state();
        let now = *state.borrow();
        self.sync_now();
        let target = now.runs + if now.syncing { 2 } else { 1 };
        async move { state.wait_for(|s| s.runs >= target).await.map(|s| *s) }
    }

    /// Follows the scheduler's state.
    pub fn state(&self) -> watch::Receiver<SchedulerState> {
        self.state.clone()
    }

    /// Stops scheduling; a sync in progress is dropped between two requests' effects, which is
    /// safe (every answer is applied in one transaction or not at all).
    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}

#[cfg(test)]
#[path = "scheduler_tests.rs"]
mod tests;
