//! The writer: a thread of its own that owns the write connection and runs the writes queued
//! for it in groups, one transaction and one commit per group.
//!
//! A commit in WAL mode with `synchronous = FULL` waits for an fsync, and the full-text index
//! writes a new segment at every commit (merging it into the others later). With one commit per
//! write, a thousand devices pushing at once spend the writer's time on those; with one commit
//! per group, on rows. And a write waiting for its turn holds no thread of tokio's blocking
//! pool, which stays free for the reads (BENCHMARKS.md, Sync).
//!
//! Each write still succeeds or fails alone: when one fails (or panics), its group is rolled back
//! and the others run again without it ([`run`]). A write learns its outcome only after its
//! group's commit, so what it was told succeeded is on disk.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use tokio::sync::oneshot;

use crate::error::{StoreError, StoreResult};

/// The most writes one transaction holds: enough to share a commit among many devices, few
/// enough that the first of them does not wait long for the last.
const MAX_GROUP: usize = 64;

/// The way to the writer thread. Dropping it lets the thread finish what is queued, close the
/// connection and end; the drop waits for that, so the file is closed when the store is.
#[derive(Debug)]
pub(super) struct Writer {
    queue: Option<mpsc::Sender<Task>>,
    thread: Option<JoinHandle<()>>,
}

/// What runs last in every group's transaction, after its writes and before its commit.
pub(super) type BeforeCommit = fn(&Transaction<'_>) -> StoreResult<()>;

/// What the writer thread is asked to do.
enum Task {
    /// A write, run in a group's transaction.
    Write(Box<dyn Job>),
    /// Work on the connection itself, outside any transaction (the schema upgrade).
    Alone(Box<dyn FnOnce(&mut Connection) + Send>),
}

impl Writer {
    pub(super) fn start(conn: Connection, before_commit: BeforeCommit) -> StoreResult<Self> {
        let (queue, tasks) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || serve(conn, &tasks, before_commit))
            .map_err(|e| StoreError::Database(format!("could not start the SQLite writer: {e}")))?;
        Ok(Writer { queue: Some(queue), thread: Some(thread) })
    }

    /// Runs `f` in a write transaction (`BEGIN IMMEDIATE`) that may hold other writes beside it,
    /// and gives its result once the transaction has committed. `f` may run more than once (see
    /// [`run`]): only the last run's writes are kept, and its result is the one given.
    pub(super) async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnMut(&Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        let (reply, outcome) = oneshot::channel();
        self.send(Task::Write(Box::new(Write { work: f, result: None, reply })))?;
        outcome.await.map_err(|_| gone())?
    }

    /// Runs `f` on the connection between two groups, with no transaction open.
    pub(super) async fn alone<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let (reply, outcome) = oneshot::channel();
        self.send(Task::Alone(Box::new(move |conn| {
            let result = catch_unwind(AssertUnwindSafe(|| f(conn))).unwrap_or_else(|_| Err(panicked()));
            let _ = reply.send(result);
        })))?;
        outcome.await.map_err(|_| gone())?
    }

    fn send(&self, task: Task) -> StoreResult<()> {
        self.queue.as_ref().and_then(|q| q.send(task).ok()).ok_or_else(gone)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.queue = None;
        if let Some(thread) = self.thread.take()
            && thread.thread().id() != std::thread::current().id()
        {
            let _ = thread.join();
        }
    }
}

fn gone() -> StoreError {
    StoreError::Database("the SQLite writer has stopped".into())
}

fn panicked() -> StoreError {
    StoreError::Database("a storage task panicked".into())
}

/// The writer thread: waits for a task, takes the writes queued behind it (up to a group) and
/// runs them together. Ends when the [`Writer`] is gone and the queue is empty.
fn serve(mut conn: Connection, tasks: &mpsc::Receiver<Task>, before_commit: BeforeCommit) {
    let mut next = None;
    loop {
        let Some(task) = next.take().or_else(|| tasks.recv().ok()) else { return };
        let first = match task {
            Task::Alone(work) => {
                work(&mut conn);
                continue;
            }
            Task::Write(job) => job,
        };
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match tasks.try_recv() {
                Ok(Task::Write(job)) => group.push(job),
                Ok(alone) => {
                    next = Some(alone);
                    break;
                }
                Err(_) => break,
            }
        }
        run(&mut conn, group, before_commit);
    }
}

/// A queued write, type-erased so writes of any result type can share a group.
trait Job: Send {
    /// Runs the write in `tx` (again, if a write beside it failed); false when it failed.
    fn run(&mut self, tx: &Transaction<'_>) -> bool;

    /// Tells the caller: its own result, unless it succeeded and the group did not commit.
    fn finish(self: Box<Self>, group: StoreResult<()>);
}

/// A write and where its result goes.
struct Write<T, F> {
    work: F,
    result: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<T, F> Job for Write<T, F>
where
    T: Send,
    F: FnMut(&Transaction<'_>) -> StoreResult<T> + Send,
{
    fn run(&mut self, tx: &Transaction<'_>) -> bool {
        let work = &mut self.work;
        let result = catch_unwind(AssertUnwindSafe(|| work(tx))).unwrap_or_else(|_| Err(panicked()));
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn finish(self: Box<Self>, group: StoreResult<()>) {
        let outcome = match (self.result, group) {
            (Some(Err(own)), _) => Err(own),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (_, Err(group)) => Err(group),
            (None, Ok(())) => Err(StoreError::Database("a write was never run".into())),
        };
        // The caller may have stopped waiting (its request was cancelled): nothing to tell.
        let _ = self.reply.send(outcome);
    }
}

/// Runs `jobs` in as few transactions as it can: one, unless a write fails. Then the
/// transaction is rolled back, the writes before the failed one run again (in a transaction of
/// their own, committed), and the failed one runs again alone after them, on the state it
/// failed on: its error stands unless the second run succeeds. No savepoint per write: the
/// full-text index writes out what it holds at every savepoint, as at every commit.
fn run(conn: &mut Connection, jobs: Vec<Box<dyn Job>>, before_commit: BeforeCommit) {
    let mut queue: VecDeque<Box<dyn Job>> = jobs.into();
    // How many writes the next transaction may hold: after a failure, those before it.
    let mut limit = usize::MAX;
    while !queue.is_empty() {
        let tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
            Ok(tx) => tx,
            Err(e) => {
                let message = e.to_string();
                for job in queue {
                    job.finish(Err(StoreError::Database(message.clone())));
                }
                return;
            }
        };
        let mut ran: Vec<Box<dyn Job>> = Vec::new();
        let mut failed = None;
        while ran.len() < limit
            && let Some(mut job) = queue.pop_front()
        {
            if job.run(&tx) {
                ran.push(job);
            } else {
                failed = Some(job);
                break;
            }
        }
        limit = usize::MAX;
        match failed {
            None => {
                let group = before_commit(&tx)
                    .map_err(|e| e.to_string())
                    .and_then(|()| tx.commit().map_err(|e| e.to_string()));
                for job in ran {
                    job.finish(group.clone().map_err(StoreError::Database));
                }
            }
            Some(job) if ran.is_empty() => {
                drop(tx);
                job.finish(Ok(()));
            }
            Some(job) => {
                drop(tx);
                limit = ran.len();
                queue.push_front(job);
                for job in ran.into_iter().rev() {
                    queue.push_front(job);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};

    use super::*;

    /// Writes of different kinds in one group.
    type TestWrite = Box<dyn FnMut(&Transaction<'_>) -> StoreResult<i64> + Send>;

    /// A writer on a fresh file with one table, and its hook's commit count.
    fn writer(before_commit: BeforeCommit) -> (tempfile::TempDir, Writer) {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("w.db")).unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY)").unwrap();
        (dir, Writer::start(conn, before_commit).unwrap())
    }

    /// Holds the writer thread until the returned barrier is passed, so that the writes sent
    /// meanwhile queue up and run as one group.
    fn hold(writer: &Writer) -> Arc<Barrier> {
        let barrier = Arc::new(Barrier::new(2));
        let held = Arc::clone(&barrier);
        writer
            .send(Task::Alone(Box::new(move |_| {
                held.wait();
            })))
            .unwrap();
        barrier
    }

    fn insert(n: i64) -> impl FnMut(&Transaction<'_>) -> StoreResult<i64> + Send + 'static {
        move |tx| {
            tx.execute("INSERT INTO t (n) VALUES (?1)", [n])?;
            Ok(n)
        }
    }

    async fn stored(writer: &Writer) -> Vec<i64> {
        writer
            .alone(|conn| {
                let mut statement = conn.prepare("SELECT n FROM t ORDER BY n")?;
                let rows = statement.query_map([], |r| r.get(0))?.collect::<Result<Vec<i64>, _>>()?;
                Ok(rows)
            })
            .await
            .unwrap()
    }

    /// Runs `writes` queued behind a held writer, so they form one group; gives their results.
    async fn grouped<F>(writer: &Writer, writes: Vec<F>) -> Vec<StoreResult<i64>>
    where
        F: FnMut(&Transaction<'_>) -> StoreResult<i64> + Send + 'static,
    {
        let barrier = hold(writer);
        let mut pending: Vec<_> = writes.into_iter().map(|w| Box::pin(writer.write(w))).collect();
        // A write is queued when its future is first polled: all of them, while the thread is held.
        std::future::poll_fn(|cx| {
            for write in &mut pending {
                assert!(write.as_mut().poll(cx).is_pending(), "the writer is held");
            }
            std::task::Poll::Ready(())
        })
        .await;
        tokio::task::spawn_blocking(move || {
            barrier.wait();
        })
        .await
        .unwrap();
        let mut results = Vec::new();
        for write in pending {
            results.push(write.await);
        }
        results
    }

    static COMMITS: AtomicUsize = AtomicUsize::new(0);
    fn count_commits(_: &Transaction<'_>) -> StoreResult<()> {
        COMMITS.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn fail_commits(_: &Transaction<'_>) -> StoreResult<()> {
        Err(StoreError::Database("no commit today".into()))
    }

    fn nothing(_: &Transaction<'_>) -> StoreResult<()> {
        Ok(())
    }

    #[tokio::test]
    async fn writes_queued_together_share_one_commit() {
        let (_dir, writer) = writer(count_commits);
        let before = COMMITS.load(Ordering::SeqCst);
        let results = grouped(&writer, (1..=10).map(insert).collect()).await;
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        assert_eq!(COMMITS.load(Ordering::SeqCst) - before, 1, "ten queued writes, one commit");
        assert_eq!(stored(&writer).await, (1..=10).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_failed_write_is_undone_alone_and_the_others_in_its_group_are_kept() {
        let (_dir, writer) = writer(nothing);
        let writes: Vec<TestWrite> = vec![
            Box::new(insert(1)),
            Box::new(insert(2)),
            // Writes a row, then fails: its row must not stay.
            Box::new(|tx: &Transaction<'_>| {
                tx.execute("INSERT INTO t (n) VALUES (3)", [])?;
                Err(StoreError::Database("refused".into()))
            }),
            Box::new(insert(4)),
            // A duplicate key: fails in SQLite itself.
            Box::new(insert(1)),
            Box::new(insert(5)),
        ];
        let results = grouped(&writer, writes).await;
        let ok: Vec<bool> = results.iter().map(Result::is_ok).collect();
        assert_eq!(ok, [true, true, false, true, false, true], "{results:?}");
        assert!(results[2].as_ref().unwrap_err().to_string().contains("refused"));
        assert_eq!(stored(&writer).await, [1, 2, 4, 5]);
    }

    #[tokio::test]
    async fn a_panicking_write_fails_alone() {
        let (_dir, writer) = writer(nothing);
        let writes: Vec<TestWrite> = vec![
            Box::new(insert(1)),
            Box::new(|tx: &Transaction<'_>| {
                tx.execute("INSERT INTO t (n) VALUES (2)", [])?;
                panic!("a bug in a write");
            }),
            Box::new(insert(3)),
        ];
        let results = grouped(&writer, writes).await;
        assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
        assert!(results[1].as_ref().unwrap_err().to_string().contains("panicked"));
        assert_eq!(stored(&writer).await, [1, 3]);
        // The thread lives on.
        assert_eq!(writer.write(insert(4)).await.unwrap(), 4);
    }

    #[tokio::test]
    async fn no_write_is_told_it_succeeded_when_its_group_did_not_commit() {
        let (_dir, writer) = writer(fail_commits);
        let results = grouped(&writer, (1..=3).map(insert).collect()).await;
        for result in &results {
            assert!(result.as_ref().unwrap_err().to_string().contains("no commit today"), "{results:?}");
        }
        assert!(stored(&writer).await.is_empty());
    }
}
