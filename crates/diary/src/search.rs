//! Full-text search over entries' free text (FTS5, diacritics folded: "citta" finds "città").

use convivio_core::Invalid;
use convivio_core::entry::Entry;

use crate::Diary;
use crate::error::{Result, damaged};

/// Turns what a caregiver typed into an FTS5 query: every word must appear, as a word or the
/// start of one, and nothing they type is taken as query syntax.
fn fts_query(text: &str) -> Result<String, Invalid> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    if words.is_empty() {
        return Err(Invalid::new("text", "must contain at least one letter or digit"));
    }
    Ok(words.join(" "))
}

impl Diary {
    /// Entries whose text contains every word of `text`, best matches first, at most `limit`.
    pub fn search(&self, text: &str, limit: u32) -> Result<Vec<Entry>> {
        let query = fts_query(text)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.body FROM entries_fts
             JOIN entries e ON e.rowid = entries_fts.rowid
             WHERE entries_fts MATCH ?1
             ORDER BY entries_fts.rank, e.occurred_utc DESC
             LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(rusqlite::params![query, i64::from(limit.clamp(1, 500))], |r| r.get::<_, String>(0))?;
        rows.map(|b| serde_json::from_str(&b?).map_err(damaged)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_syntax_is_neutralised() {
        assert_eq!(fts_query("città OR \"x").unwrap(), "\"città\"* \"OR\"* \"x\"*");
        assert_eq!(fts_query("  ?? ").unwrap_err().field, "text");
    }
}
