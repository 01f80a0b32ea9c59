//! One sync: request after request until nothing is left to push and nothing to pull, adapting
//! the batch to the link, and recording in the diary how it went.
//!
//! The diary is touched only between requests, on tokio's blocking pool, and its lock is never
//! held while a request is on the wire: the caregiver can keep writing during a slow sync.
//! Failures never undo progress: each answer is applied as it arrives, and nothing ever sends the
//! device back to the start (cursor 0); only an explicit enrolment does.

use std::sync::{Arc, Mutex};

use serde::Serialize;
use uuid::Uuid;

use crate::Diary;
use crate::error::DiaryError;
use crate::sync::SyncFailure;
use crate::sync::client::{Http, HttpConfig};
use crate::sync::plan::MAX_BATCH_BYTES;
use crate::sync::state::{MAX_BATCH, Standing};
use crate::sync::url::ServerUrl;

/// The diary as the app holds it: behind a mutex, `None` while locked.
pub type SharedDiary = Arc<Mutex<Option<Diary>>>;

/// Wraps an open diary for the sync client and the scheduler.
pub fn shared(diary: Diary) -> SharedDiary {
    Arc::new(Mutex::new(Some(diary)))
}

/// Consecutive failures of one kind a single sync absorbs before giving up to the scheduler.
const TRIES: u32 = 3;

/// Whether an enrolment may replace one the server still accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replace {
    No,
    Yes,
}

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SyncSummary {
    /// Outbox changes the server confirmed.
    pub pushed: u64,
    /// Versions received that are now current here.
    pub pulled: u64,
    /// Versions received that lost to a newer one here, kept in history.
    pub kept_as_history: u64,
    pub requests: u32,
    /// Request bodies as sent (zstd-compressed).
    pub bytes_sent: u64,
    /// Answer bodies as decoded.
    pub bytes_received: u64,
    /// Changes still waiting afterwards (written during the sync).
    pub waiting: u64,
}

impl SyncSummary {
    pub fn one_line(&self) -> String {
        format!(
            "sent {} changes, received {} ({} kept as history) in {} requests ({} B sent, {} B received); {} waiting",
            self.pushed,
            self.pulled,
            self.kept_as_history,
            self.requests,
            self.bytes_sent,
            self.bytes_received,
            self.waiting
        )
    }
}

/// Who the device became at enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enrolled {
    pub device_id: Uuid,
    pub caregiver_id: Uuid,
    pub agency_name: String,
}

/// Syncs diaries with the agency's server. Cheap to clone; clones share one gate, so two syncs
/// (the scheduler's and a "sync now") never run at once.
#[derive(Debug, Clone)]
pub struct SyncClient {
    http: Http,
    gate: Arc<tokio::sync::Mutex<()>>,
    max_bytes: usize,
}

/// Runs `work` on the open diary, on the blocking pool.
pub(crate) async fn with_diary<T: Send + 'static>(
    diary: &SharedDiary,
    work: impl FnOnce(&mut Diary) -> Result<T, DiaryError> + Send + 'static,
) -> Result<T, SyncFailure> {
    let diary = Arc::clone(diary);
    let joined = tokio::task::spawn_blocking(move || {
        let mut slot = diary.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match slot.as_mut() {
            Some(diary) => work(diary).map_err(|e| match e {
                DiaryError::NotEnrolled => SyncFailure::NotEnrolled,
                e => SyncFailure::Diary(e),
            }),
            None => Err(SyncFailure::Locked),
        }
    })
    .await;
    joined.unwrap_or_else(|_| Err(DiaryError::Io(std::io::Error::other("the diary task stopped")).into()))
}

impl SyncClient {
    pub fn new(config: HttpConfig) -> Result<SyncClient, SyncFailure> {
        Ok(SyncClient { http: Http::new(config)?, gate: Arc::default(), max_bytes: MAX_BATCH_BYTES })
    }

    /// Whether a sync is running right now.
    pub fn is_syncing(&self) -> bool {
        self.gate.try_lock().is_err()
    }

    /// Trades the one-time `code` for a device identity at `server_url` and stores it in the
    /// diary. The URL rule is checked before anything is sent, and so is [`Diary::may_enrol`]:
    /// a diary the server still accepts is refused with [`SyncFailure::AlreadyEnrolled`] (see
    /// [`enrol_again`](Self::enrol_again)).
    pub async fn enrol(
        &self,
        diary: &SharedDiary,
        server_url: &str,
        code: &str,
    ) -> Result<Enrolled, SyncFailure> {
        self.enrol_as(diary, server_url, code, Replace::No).await
    }

    /// [`enrol`](Self::enrol), replacing an enrolment the server still accepts: this device gets
    /// a new identity and the old one stops syncing (`convivio enrol --again`).
    pub async fn enrol_again(
        &self,
        diary: &SharedDiary,
        server_url: &str,
        code: &str,
    ) -> Result<Enrolled, SyncFailure> {
        self.enrol_as(diary, server_url, code, Replace::Yes).await
    }

    async fn enrol_as(
        &self,
        diary: &SharedDiary,
        server_url: &str,
        code: &str,
        replace: Replace,
    ) -> Result<Enrolled, SyncFailure> {
        let server = ServerUrl::parse(server_url)?;
        let code = code.trim();
        if code.is_empty() {
            return Err(SyncFailure::CodeRefused("the code is empty".into()));
        }
        let _running = self.gate.lock().await;
        // Under the gate, so no other enrolment can land between the check and the adoption.
        if replace == Replace::No {
            with_diary(diary, |d| Ok(d.may_enrol())).await??;
        }
        let response = self.http.enrol(&server, code).await?;
        let enrolled = Enrolled {
            device_id: response.device_id,
            caregiver_id: response.caregiver_id,
            agency_name: response.agency_name.clone(),
        };
        with_diary(diary, move |d| d.adopt_enrolment(&server, &response)).await?;
        tracing::info!(device = %enrolled.device_id, "enrolled");
        Ok(enrolled)
    }

    /// Syncs until nothing is left to push and the server has nothing more, then says what it
    /// did. A failure is also recorded in the diary, in plain words, for the status.
    pub async fn sync_once(&self, diary: &SharedDiary) -> Result<SyncSummary, SyncFailure> {
        let _running = self.gate.lock().await;
        let result = self.exchange_all(diary).await;
        if let Err(failure) = &result
            && !matches!(failure, SyncFailure::Locked | SyncFailure::NotEnrolled)
        {
            tracing::info!(code = failure.code(), "sync failed");
            let (code, message, standing) = (failure.code(), failure.to_string(), failure.standing());
            // Best effort: the failure itself is what the caller needs to hear about.
            let _ = with_diary(diary, move |d| d.record_sync_failure(code, &message, standing)).await;
        }
        result
    }

    async fn exchange_all(&self, diary: &SharedDiary) -> Result<SyncSummary, SyncFailure> {
        let mut summary = SyncSummary::default();
        let (mut gaps, mut timeouts, mut clock_fixes) = (0, 0, 0);
        loop {
            let max_bytes = self.max_bytes;
            let (link, request) =
                with_diary(diary, move |d| Ok((d.sync_link()?, d.next_sync_request(max_bytes)?))).await?;
            match link.standing {
                Standing::Revoked => return Err(SyncFailure::Revoked),
                Standing::Unauthorized => return Err(SyncFailure::Unauthorized),
                Standing::Active => {}
            }
            let server = ServerUrl::parse(&link.server_url)?;
            let pushed = request.push.as_ref().map_or(0, |p| p.changes.len() as u32);
            summary.requests += 1;
            match self.http.exchange(&server, link.token(), &request).await {
                Ok((response, traffic)) => {
                    summary.bytes_sent += traffic.sent;
                    summary.bytes_received += traffic.received;
                    timeouts = 0;
                    let full = pushed >= link.batch_size || response.changes.len() as u32 >= link.batch_size;
                    let (more, old_cursor, new_cursor) = (response.more, link.cursor, response.cursor);
                    let sent_up_to = request.push.as_ref().and_then(|p| p.last_seq());
                    let (applied, acked, waiting) = with_diary(diary, move |d| {
                        let applied = d.apply_sync_response(&request, &response)?;
                        if full {
                            d.set_sync_batch_size(link.batch_size.saturating_mul(2).min(MAX_BATCH))?;
                        }
                        Ok((applied, d.sync_link()?.acked_seq, d.outbox_len()?))
                    })
                    .await?;
                    summary.pushed += applied.acked;
                    summary.pulled += applied.stored;
                    summary.kept_as_history += applied.kept_as_history;
                    summary.waiting = waiting;
                    // What was applied is kept; these only stop a server that would make the
                    // loop go round forever.
                    if sent_up_to.is_some_and(|last| acked < last) {
                        let why = "the server did not confirm the changes sent";
                        return Err(DiaryError::Protocol(why.into()).into());
                    }
                    if more && new_cursor <= old_cursor && !applied.restarted {
                        let why = "the server has more, but its cursor did not move";
                        return Err(DiaryError::Protocol(why.into()).into());
                    }
                    if waiting == 0 && !more && !applied.restarted {
                        return Ok(summary);
                    }
                }
                Err(SyncFailure::Gap { expected_seq }) if gaps < TRIES => {
                    gaps += 1;
                    tracing::info!(expected_seq, "the server asked to resend from an earlier change");
                    with_diary(diary, move |d| d.resend_from(expected_seq)).await?;
                }
                Err(SyncFailure::ClockAhead { server_time_ms }) if clock_fixes < TRIES => {
                    clock_fixes += 1;
                    let anew = with_diary(diary, move |d| d.correct_clock(server_time_ms)).await?;
                    tracing::info!(anew, "the server's clock is behind ours; versions made anew");
                }
                Err(SyncFailure::TooLarge) if pushed > 1 => {
                    with_diary(diary, move |d| d.set_sync_batch_size(pushed / 2)).await?;
                }
                Err(failure @ (SyncFailure::TimedOut | SyncFailure::ConnectionLost)) => {
                    // The link is slower or shorter-lived than the batch: halve what was in
                    // flight, so a link that resets every few seconds still carries a batch
                    // whole. The batch may have arrived anyway; the server skips what it
                    // already holds.
                    timeouts += 1;
                    let in_flight = if pushed == 0 { link.batch_size } else { link.batch_size.min(pushed) };
                    with_diary(diary, move |d| d.set_sync_batch_size(in_flight / 2)).await?;
                    if timeouts >= TRIES {
                        return Err(failure);
                    }
                }
                Err(failure) => return Err(failure),
            }
        }
    }
}
