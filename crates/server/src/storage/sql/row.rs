//! A row of a shared query, read by position with getters that accept each backend's form.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Value;
use crate::error::{StoreError, StoreResult};

/// One row: its values in column order.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlRow(pub Vec<Value>);

fn wrong(i: usize, want: &str, got: &Value) -> StoreError {
    StoreError::Database(format!("column {i}: expected {want}, found {got:?}"))
}

impl SqlRow {
    fn at(&self, i: usize) -> StoreResult<&Value> {
        self.0.get(i).ok_or_else(|| StoreError::Database(format!("no column {i}")))
    }

    pub fn is_null(&self, i: usize) -> StoreResult<bool> {
        Ok(matches!(self.at(i)?, Value::Null))
    }

    pub fn opt_text(&self, i: usize) -> StoreResult<Option<String>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Text(t) => Ok(Some(t.clone())),
            Value::Uuid(u) => Ok(Some(u.to_string())),
            other => Err(wrong(i, "text", other)),
        }
    }

    pub fn text(&self, i: usize) -> StoreResult<String> {
        self.opt_text(i)?.ok_or_else(|| wrong(i, "text", &Value::Null))
    }

    /// A text column borrowed, for comparing many rows without copying each.
    pub fn str(&self, i: usize) -> StoreResult<&str> {
        match self.at(i)? {
            Value::Text(t) => Ok(t),
            other => Err(wrong(i, "text", other)),
        }
    }

    pub fn opt_int(&self, i: usize) -> StoreResult<Option<i64>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Int(n) => Ok(Some(*n)),
            Value::Bool(b) => Ok(Some(i64::from(*b))),
            other => Err(wrong(i, "an integer", other)),
        }
    }

    pub fn int(&self, i: usize) -> StoreResult<i64> {
        self.opt_int(i)?.ok_or_else(|| wrong(i, "an integer", &Value::Null))
    }

    pub fn opt_float(&self, i: usize) -> StoreResult<Option<f64>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Float(f) => Ok(Some(*f)),
            Value::Int(n) => Ok(Some(*n as f64)),
            other => Err(wrong(i, "a number", other)),
        }
    }

    pub fn bool(&self, i: usize) -> StoreResult<bool> {
        match self.at(i)? {
            Value::Bool(b) => Ok(*b),
            Value::Int(n) => Ok(*n != 0),
            other => Err(wrong(i, "a boolean", other)),
        }
    }

    pub fn opt_uuid(&self, i: usize) -> StoreResult<Option<Uuid>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Uuid(u) => Ok(Some(*u)),
            Value::Text(t) => {
                Uuid::parse_str(t).map(Some).map_err(|_| wrong(i, "a UUID", &Value::Text(t.clone())))
            }
            other => Err(wrong(i, "a UUID", other)),
        }
    }

    pub fn uuid(&self, i: usize) -> StoreResult<Uuid> {
        self.opt_uuid(i)?.ok_or_else(|| wrong(i, "a UUID", &Value::Null))
    }

    pub fn opt_time(&self, i: usize) -> StoreResult<Option<DateTime<Utc>>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Time(t) => Ok(Some(*t)),
            Value::Text(t) => DateTime::parse_from_rfc3339(t)
                .map(|t| Some(t.to_utc()))
                .map_err(|_| wrong(i, "a time", &Value::Text(t.clone()))),
            other => Err(wrong(i, "a time", other)),
        }
    }

    pub fn time(&self, i: usize) -> StoreResult<DateTime<Utc>> {
        self.opt_time(i)?.ok_or_else(|| wrong(i, "a time", &Value::Null))
    }

    /// A JSON column parsed as `T` (bodies are `jsonb` in PostgreSQL, text in SQLite).
    pub fn json<T: serde::de::DeserializeOwned>(&self, i: usize) -> StoreResult<T> {
        let text = self.text(i)?;
        serde_json::from_str(&text)
            .map_err(|e| StoreError::Database(format!("column {i}: unreadable JSON: {e}")))
    }
}
