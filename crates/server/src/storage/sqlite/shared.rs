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

/// Whether a statement only reads, and may run on a reader connection beside the writer.
fn reads_only(sql: &Sql) -> bool {
    sql.text().trim_start().get(..6).is_some_and(|w| w.eq_ignore_ascii_case("select"))
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
