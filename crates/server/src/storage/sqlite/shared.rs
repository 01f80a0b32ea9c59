//! The shared SQL layer ([`crate::storage::sql`]) on SQLite: values bound as SQLite stores them
//! (UUIDs and times as text, booleans as 0 or 1), rows read back as they come.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{ToSql, Transaction};

use super::SqliteStore;
use super::columns::ts;
use crate::error::{StoreError, StoreResult};
use crate::storage::sql::{Db, Dialect, Sql, SqlRow, Value};

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(rusqlite::types::Value::Null),
            Value::Bool(b) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(i64::from(*b))),
            Value::Int(n) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*n)),
            Value::Float(f) => ToSqlOutput::Owned(rusqlite::types::Value::Real(*f)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::Uuid(u) => ToSqlOutput::Owned(rusqlite::types::Value::Text(u.to_string())),
            Value::Time(t) => ToSqlOutput::Owned(rusqlite::types::Value::Text(ts(*t))),
        })
    }
}

fn run(tx: &Transaction<'_>, sql: &Sql) -> StoreResult<Vec<SqlRow>> {
    let mut statement = tx.prepare_cached(sql.text())?;
    let columns = statement.column_count();
    let mut rows = statement.query(rusqlite::params_from_iter(sql.params()))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(columns);
        for i in 0..columns {
            values.push(match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::Int(n),
                ValueRef::Real(f) => Value::Float(f),
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(_) => return Err(StoreError::Database(format!("column {i} is a blob"))),
            });
        }
        out.push(SqlRow(values));
    }
    Ok(out)
}

/// Whether a statement only reads, and may run on a reader connection beside the writer: a
/// SELECT, or a WITH whose words hold no INSERT, UPDATE, DELETE or REPLACE. In doubt it is a
/// write, which is only slower (the writer is one connection, and it holds the write lock).
fn reads_only(sql: &Sql) -> bool {
    let mut words =
        sql.text().split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty());
    match words.next() {
        Some(first) if first.eq_ignore_ascii_case("select") => true,
        Some(first) if first.eq_ignore_ascii_case("with") => !words
            .any(|w| ["insert", "update", "delete", "replace"].iter().any(|k| w.eq_ignore_ascii_case(k))),
        _ => false,
    }
}

impl Db for SqliteStore {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    async fn query(&self, sql: Sql) -> StoreResult<Vec<SqlRow>> {
        if reads_only(&sql) {
            self.read(move |tx| run(tx, &sql)).await
        } else {
            self.write(move |tx| run(tx, &sql)).await
        }
    }

    async fn transaction(&self, statements: Vec<Sql>) -> StoreResult<Vec<Vec<SqlRow>>> {
        self.write(move |tx| statements.iter().map(|s| run(tx, s)).collect()).await
    }
}

#[cfg(test)]
mod tests {
    use super::reads_only;
    use crate::storage::sql::{Dialect, Sql};

    fn sql(text: &str) -> Sql {
        Sql::new(Dialect::Sqlite, text)
    }

    #[test]
    fn selects_and_reading_withs_go_to_a_reader_and_everything_else_to_the_writer() {
        assert!(reads_only(&sql("  SELECT id FROM records")));
        assert!(reads_only(&sql("WITH s AS (SELECT 1 AS x) SELECT x, updated_at FROM s")));
        assert!(!reads_only(&sql("WITH s AS (SELECT 1 AS x) INSERT INTO t SELECT x FROM s")));
        assert!(!reads_only(&sql("with s as (select 1) delete from t")));
        assert!(!reads_only(&sql("INSERT INTO t VALUES (1)")));
        assert!(!reads_only(&sql("")));
    }
}
