//! The shared SQL layer ([`crate::storage::sql`]) on PostgreSQL: a [`Value`] binds as whatever
//! type the server inferred for its placeholder (an integer as `smallint` or `bigint`, a UUID
//! given as text as `uuid`), and columns are read by their type.

use std::error::Error;

use bytes::BytesMut;
use chrono::{DateTime, Utc};
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use uuid::Uuid;

use super::{Fail, PgResult, PgStore, lost_race};
use crate::error::{StoreError, StoreResult};
use crate::storage::sql::{Db, Dialect, Sql, SqlRow, Value};

type BoxError = Box<dyn Error + Sync + Send>;

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Bool(b) => b.to_sql(ty, out),
            Value::Int(n) => match *ty {
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                _ => n.to_sql(ty, out),
            },
            Value::Float(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(t) => match *ty {
                Type::UUID => Uuid::parse_str(t)?.to_sql(ty, out),
                _ => t.as_str().to_sql(ty, out),
            },
            Value::Uuid(u) => match *ty {
                Type::TEXT | Type::VARCHAR => u.to_string().to_sql(ty, out),
                _ => u.to_sql(ty, out),
            },
            Value::Time(t) => t.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn read(row: &tokio_postgres::Row) -> PgResult<SqlRow> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = match *ty {
            Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(Value::Bool),
            Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map(|n| Value::Int(n.into())),
            Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map(|n| Value::Int(n.into())),
            Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
            Type::FLOAT4 => row.try_get::<_, Option<f32>>(i)?.map(|f| Value::Float(f.into())),
            Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Float),
            Type::UUID => row.try_get::<_, Option<Uuid>>(i)?.map(Value::Uuid),
            Type::TIMESTAMPTZ => row.try_get::<_, Option<DateTime<Utc>>>(i)?.map(Value::Time),
            Type::JSON | Type::JSONB => {
                row.try_get::<_, Option<serde_json::Value>>(i)?.map(|j| Value::Text(j.to_string()))
            }
            Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR => {
                row.try_get::<_, Option<String>>(i)?.map(Value::Text)
            }
            _ => {
                return Err(Fail::Store(StoreError::Database(format!(
                    "column {} has a type the shared queries do not read ({ty})",
                    column.name()
                ))));
            }
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(SqlRow(values))
}

async fn run<C: tokio_postgres::GenericClient + Sync>(client: &C, sql: &Sql) -> PgResult<Vec<SqlRow>> {
    let statement = client.prepare(sql.text()).await?;
    let params: Vec<&(dyn ToSql + Sync)> = sql.params().iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    client.query(&statement, &params).await?.iter().map(read).collect()
}

impl Db for PgStore {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    async fn query(&self, sql: Sql) -> StoreResult<Vec<SqlRow>> {
        let client = self.pool.get().await?;
        Ok(run(&**client, &sql).await?)
    }

    async fn transaction(&self, statements: Vec<Sql>) -> StoreResult<Vec<Vec<SqlRow>>> {
        in_transaction!(self, |tx| async {
            let mut out = Vec::with_capacity(statements.len());
            for sql in &statements {
                out.push(run(&*tx, sql).await?);
            }
            Ok::<_, Fail>(out)
        })
    }
}
