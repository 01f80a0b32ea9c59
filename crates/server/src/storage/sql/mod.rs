//! One SQL layer for the dashboard's queries, so each is written once and runs on both backends.
//!
//! The sync path has its own hand-tuned statements per backend (`sqlite/records.rs`,
//! `postgres/records.rs`): it is the hot path and the two databases are best used differently
//! there. The dashboard's dozens of lists, filters and counts are plain SQL that both speak;
//! writing each twice would only let the two drift apart. So a query is built with [`Sql`]
//! (text plus bound [`Value`]s, placeholders in the backend's own form), the few places where
//! the dialects differ are methods of the builder ([`Sql::month`], [`Sql::words_match`], ...),
//! and a backend runs it through [`Db`]. Rows come back as [`SqlRow`]s whose getters accept
//! each backend's form of a value (a UUID is text in SQLite and `uuid` in PostgreSQL).

mod row;
mod value;

use std::future::Future;

pub use row::SqlRow;
pub use value::Value;

use crate::error::StoreResult;
use crate::storage::search::{self, words};

/// Which database a statement is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A statement: its text with numbered placeholders, and the values bound to them.
#[derive(Debug, Clone)]
pub struct Sql {
    dialect: Dialect,
    text: String,
    params: Vec<Value>,
}

impl Sql {
    pub fn new(dialect: Dialect, text: &str) -> Sql {
        Sql { dialect, text: text.to_owned(), params: Vec::new() }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn params(&self) -> &[Value] {
        &self.params
    }

    /// Appends SQL text.
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`. On PostgreSQL the placeholder carries its type
    /// (`$3::timestamptz`), so a value inside a `CASE` or a function is never inferred as text.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Sql {
        let value = value.into();
        let cast = match value {
            Value::Null => "",
            Value::Bool(_) => "::boolean",
            Value::Int(_) => "::int8",
            Value::Float(_) => "::float8",
            Value::Text(_) => "::text",
            Value::Uuid(_) => "::uuid",
            Value::Time(_) => "::timestamptz",
        };
        self.params.push(value);
        let n = self.params.len();
        match self.dialect {
            Dialect::Sqlite => self.text.push_str(&format!("?{n}")),
            Dialect::Postgres => self.text.push_str(&format!("${n}{cast}")),
        }
        self
    }

    /// Appends `text`, then a placeholder for `value`: `sql.and(" AND r.kind = ", "entry")`.
    pub fn and(&mut self, text: &str, value: impl Into<Value>) -> &mut Sql {
        self.push(text).bind(value)
    }

    /// Appends `text` and one of the program's own codes (an entry kind, a need status, an
    /// urgency) written into the statement as a literal rather than bound. A partial index such
    /// as `... WHERE entry_kind = 'need'` serves a query only when the planner can see that the
    /// query asks for `'need'`, and a bound value hides it. Only `'static` codes of lower-case
    /// letters and underscores are written in; anything else is bound, so no typed text can
    /// reach the statement.
    pub fn and_code(&mut self, text: &str, code: &'static str) -> &mut Sql {
        if !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            self.push(text).push(&format!("'{code}'"))
        } else {
            self.and(text, code)
        }
    }

    /// Appends `(?, ?, ...)` for a list of values (an `IN` list); `(NULL)` when empty, which
    /// matches nothing.
    pub fn bind_list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Sql {
        self.push("(");
        let mut any = false;
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(v);
            any = true;
        }
        if !any {
            self.push("NULL");
        }
        self.push(")")
    }

    /// The month (`YYYY-MM`, UTC) of a time column: the conformance tests count afresh with it,
    /// to compare with the counts the triggers keep.
    pub fn month(&mut self, column: &str) -> &mut Sql {
        match self.dialect {
            Dialect::Sqlite => self.push(&format!("substr({column}, 1, 7)")),
            Dialect::Postgres => self.push(&format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')")),
        }
    }

    /// A condition: the entry row `alias` holds every word of `query`, accents ignored (SQLite's
    /// FTS5 with `remove_diacritics`, PostgreSQL's text search over the terms `search::terms`
    /// made). Each word is matched as a prefix, so "citt" finds "città" too. `query` must have a word (see [`words`]).
    pub fn words_match(&mut self, alias: &str, query: &str) -> &mut Sql {
        let words = words(query);
        match self.dialect {
            Dialect::Sqlite => {
                // Each word quoted (quotes doubled), so no FTS5 operator can be injected.
                let fts: Vec<String> =
                    words.iter().map(|w| format!("\"{}\"*", w.replace('"', "\"\""))).collect();
                self.push(&format!("{alias}.rowid IN (SELECT rowid FROM entry_text WHERE entry_text MATCH "))
                    .bind(fts.join(" "))
                    .push(")")
            }
            Dialect::Postgres => {
                // Folded as the entries' terms are (`search::terms`). Words hold only letters and
                // digits, so no tsquery operator can be injected, nor a quote.
                let terms: Vec<String> = words.iter().map(|w| format!("'{}':*", search::fold(w))).collect();
                self.push(&format!("{alias}.id IN (SELECT record_id FROM entry_search WHERE search @@ "))
                    .bind(terms.join(" & "))
                    .push("::tsquery)")
            }
        }
    }

    /// A case-insensitive substring condition on a text column (names).
    pub fn contains(&mut self, column: &str, needle: &str) -> &mut Sql {
        let escaped = needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let op = match self.dialect {
            Dialect::Sqlite => "LIKE",
            Dialect::Postgres => "ILIKE",
        };
        self.push(&format!("{column} {op} ")).bind(format!("%{escaped}%")).push(" ESCAPE '\\'")
    }

    /// A JSON body column as text.
    pub fn body(&mut self, column: &str) -> &mut Sql {
        match self.dialect {
            Dialect::Sqlite => self.push(column),
            Dialect::Postgres => self.push(&format!("{column}::text")),
        }
    }
}

/// What a backend offers the shared queries: one statement, or several in one transaction.
pub trait Db: Clone + Send + Sync + 'static {
    fn dialect(&self) -> Dialect;

    /// Starts a statement in this backend's dialect.
    fn sql(&self, text: &str) -> Sql {
        Sql::new(self.dialect(), text)
    }

    /// Runs one statement (a `SELECT`, or a write with `RETURNING`) and returns its rows.
    fn query(&self, sql: Sql) -> impl Future<Output = StoreResult<Vec<SqlRow>>> + Send;

    /// Runs statements in order in one transaction, all or none; returns each one's rows (a
    /// statement without `RETURNING` returns none).
    fn transaction(&self, statements: Vec<Sql>)
    -> impl Future<Output = StoreResult<Vec<Vec<SqlRow>>>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_each_dialect() {
        let mut s = Sql::new(Dialect::Sqlite, "SELECT 1 WHERE a = ");
        s.bind(1_i64)
            .push(" AND b IN ")
            .bind_list(["x", "y"])
            .push(" AND c IN ")
            .bind_list(Vec::<i64>::new());
        assert_eq!(s.text(), "SELECT 1 WHERE a = ?1 AND b IN (?2, ?3) AND c IN (NULL)");
        let mut p = Sql::new(Dialect::Postgres, "a = ");
        p.bind("x").and(" OR b = ", 2_i64);
        assert_eq!(p.text(), "a = $1::text OR b = $2::int8");
        assert_eq!(p.params().len(), 2);
    }

    #[test]
    fn search_words_cannot_carry_operators() {
        let mut s = Sql::new(Dialect::Sqlite, "");
        s.words_match("r", "città \"OR\" NEAR(x*");
        assert_eq!(s.params()[0], Value::Text("\"città\"* \"OR\"* \"NEAR\"* \"x\"*".into()));
        let mut p = Sql::new(Dialect::Postgres, "");
        p.words_match("r", "a&b | !c");
        assert_eq!(p.params()[0], Value::Text("'a':* & 'b':* & 'c':*".into()));
    }
}
