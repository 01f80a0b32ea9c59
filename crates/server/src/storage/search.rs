//! The words of full-text search: what a search box asks for, and, for PostgreSQL, what an
//! entry is indexed under.
//!
//! SQLite's FTS5 splits and folds an entry's text itself (`unicode61 remove_diacritics 2`).
//! PostgreSQL used to, with `to_tsvector('simple', unaccent(...))` in the batch's statement; but
//! its text-search parser turns every character into a wide one and back, and under the sync
//! benchmark that one call took more of the database's time than everything else a batch writes
//! (BENCHMARKS.md, Ingest after the staff dashboard). So on PostgreSQL the terms are made here,
//! by [`terms`], and stored as they are (`array_to_tsvector`); a search folds its words the same
//! way ([`fold`]), so the two always agree.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The longest term PostgreSQL keeps in a `tsvector`, in bytes; `to_tsvector` drops longer
/// words too.
const MAX_TERM_BYTES: usize = 2047;

/// The words of a search box: split on anything that is not a letter or a digit, at most 8.
pub fn words(query: &str) -> Vec<String> {
    split(query).take(8).map(str::to_owned).collect()
}

/// A word as it is indexed and searched: lower case, without diacritics ("Città" is "citta").
pub fn fold(word: &str) -> String {
    word.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// The distinct folded terms of `text`, sorted, for an entry's row in `entry_search`.
pub fn terms(text: &str) -> Vec<String> {
    let mut terms: Vec<String> = split(text).map(fold).filter(|t| t.len() <= MAX_TERM_BYTES).collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_folded_split_and_distinct() {
        assert_eq!(
            terms("Città, città! PERCHÉ l'acqua\nè Über-straße 3,5"),
            ["3", "5", "acqua", "citta", "e", "l", "perche", "straße", "uber"]
        );
        assert!(terms(" ;; -- ").is_empty());
        assert!(terms(&"a".repeat(MAX_TERM_BYTES + 1)).is_empty(), "too long for PostgreSQL");
    }

    #[test]
    fn a_search_word_folds_as_the_text_it_looks_for() {
        assert_eq!(words("  Città;  perché?? "), ["Città", "perché"]);
        assert_eq!(fold("Città"), terms("città")[0]);
        assert!(words("  ;; ").is_empty());
    }
}
