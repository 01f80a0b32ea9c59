//! Statements of one transaction sent together, each without waiting for the answer to the one
//! before (PostgreSQL's pipelining, which tokio-postgres does for requests in flight at once).
//!
//! A device batch writes its rows and what they put beside them in about ten statements, none
//! of which needs an earlier one's answer. Sent one by one, each costs a round trip, with the
//! server and the database process each waking the other: on the two cores of the sync
//! benchmark, those wake-ups were a good part of the time (BENCHMARKS.md, Ingest). The database
//! still runs them one after the other, in the order they were queued, so a statement sees what
//! the ones before it wrote; if one fails, the transaction is aborted, every later one fails
//! too, and [`Pipeline::run`] returns the first one's error.

use deadpool_postgres::Transaction;
use futures_util::future::try_join_all;
use tokio_postgres::types::ToSql;

use super::PgResult;

/// Statements queued to run in order, with their parameters.
#[derive(Default)]
pub(super) struct Pipeline<'p> {
    steps: Vec<(&'static str, Vec<&'p (dyn ToSql + Sync)>)>,
}

impl<'p> Pipeline<'p> {
    pub(super) fn push(&mut self, sql: &'static str, params: Vec<&'p (dyn ToSql + Sync)>) {
        self.steps.push((sql, params));
    }

    /// Prepares the statements (each connection keeps its prepared statements, so after its
    /// first write this costs nothing), then sends them all and waits for every answer.
    pub(super) async fn run(self, tx: &Transaction<'_>) -> PgResult<()> {
        let mut statements = Vec::with_capacity(self.steps.len());
        for (sql, _) in &self.steps {
            statements.push(tx.prepare_cached(sql).await?);
        }
        let runs =
            statements.iter().zip(&self.steps).map(|(statement, (_, params))| tx.execute(statement, params));
        try_join_all(runs).await?;
        Ok(())
    }
}
