//! Values bound to statements and read from rows, in one form for both backends.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A bound parameter or a column value. SQLite stores UUIDs and times as text (see
/// `sqlite/columns.rs`); PostgreSQL has types of its own. Binding converts to each backend's
/// form; reading accepts either (see [`super::SqlRow`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Uuid(Uuid),
    Time(DateTime<Utc>),
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Value {
        Value::Int(i64::from(v))
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Value {
        Value::Int(i64::from(v))
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Value {
        Value::Text(v.clone())
    }
}
impl From<Uuid> for Value {
    fn from(v: Uuid) -> Value {
        Value::Uuid(v)
    }
}
impl From<convivio_core::RecordId> for Value {
    fn from(v: convivio_core::RecordId) -> Value {
        Value::Uuid(*v.as_uuid())
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Value {
        Value::Time(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}
