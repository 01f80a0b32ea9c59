//! Bulk import of entries from JSON Lines: one entry a line, in the shape `convivio list --json`
//! prints, all in one transaction (for benchmarks, and to move a diary's entries by hand).
//!
//! Every line is checked before anything is written, by the same rules as a typed entry
//! (`EntryInput::parse`), and the first bad line is reported with its number and field: an
//! import is all or nothing, never half a file. Of the fields a store makes, `id` and
//! `recorded_at` are kept when present (the entry keeps its identity and the day it was first
//! written); `version` and `owner` are checked but always made here, since an import is a new
//! write on this device, by this diary's caregiver.

use std::collections::HashSet;
use std::io::BufRead;

use chrono::{DateTime, FixedOffset, Utc};
use convivio_core::entry::{Entry, EntryDraft, EntryInput};
use convivio_core::{Hlc, Invalid, Owner, Record, RecordId, Rule};
use serde_json::{Map, Value};

use crate::clock::{local_now, next_version, utc_now};
use crate::error::{DiaryError, Result};
use crate::{Diary, entries, outbox};

/// One checked line.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedEntry {
    /// Its line number in the file, from 1.
    pub line: usize,
    pub id: Option<RecordId>,
    pub recorded_at: Option<DateTime<Utc>>,
    pub draft: EntryDraft,
}

/// Reads and checks every line; blank lines are skipped. The first bad line is the error.
pub fn parse_jsonl(reader: impl BufRead) -> Result<Vec<ImportedEntry>> {
    let now = local_now();
    let mut seen = HashSet::new();
    let mut parsed = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line_no = n + 1;
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let entry = parse_line(&line, now).map_err(|source| DiaryError::BadLine { line: line_no, source })?;
        if let Some(id) = entry.id
            && !seen.insert(id)
        {
            let source = Invalid::new("id", Rule::NotAllowed, "appears on an earlier line too");
            return Err(DiaryError::BadLine { line: line_no, source });
        }
        parsed.push(ImportedEntry { line: line_no, ..entry });
    }
    Ok(parsed)
}

/// Checks one line: the store's fields by hand, the rest as an [`EntryInput`].
fn parse_line(line: &str, now: DateTime<FixedOffset>) -> Result<ImportedEntry, Invalid> {
    let mut fields: Map<String, Value> = serde_json::from_str(line)
        .map_err(|e| Invalid::new("line", Rule::BadFormat, format!("is not a JSON object ({e})")))?;
    let text = |field: &str, v: Value| match v {
        Value::String(s) => Ok(s),
        _ => Err(Invalid::new(field, Rule::BadFormat, "must be a string")),
    };
    let id =
        fields.remove("id").map(|v| text("id", v).and_then(|s| RecordId::parse("id", &s))).transpose()?;
    if let Some(v) = fields.remove("version") {
        text("version", v)?
            .parse::<Hlc>()
            .map_err(|e| Invalid::new("version", Rule::BadFormat, e.to_string()))?;
    }
    if let Some(v) = fields.remove("owner") {
        serde_json::from_value::<Owner>(v).map_err(|_| {
            Invalid::new(
                "owner",
                Rule::BadFormat,
                "must be an owner such as {\"role\": \"caregiver\", \"id\": \"<uuid>\"}",
            )
        })?;
    }
    let recorded_at = fields
        .remove("recorded_at")
        .map(|v| {
            let raw = text("recorded_at", v)?;
            DateTime::parse_from_rfc3339(raw.trim()).map(|t| t.to_utc()).map_err(|_| {
                Invalid::new(
                    "recorded_at",
                    Rule::BadFormat,
                    "must be a date and time such as 2026-11-28T10:00:00Z",
                )
            })
        })
        .transpose()?;
    let input: EntryInput = serde_path_to_error::deserialize(Value::Object(fields)).map_err(|e| {
        let message = e.inner().to_string();
        let field = match e.path().to_string() {
            path if path != "." => path,
            _ => quoted_field(&message).unwrap_or_else(|| "line".to_owned()),
        };
        let rule = message.split(", expected one of").next().unwrap_or(&message).to_owned();
        Invalid::new(field, Rule::BadFormat, rule)
    })?;
    Ok(ImportedEntry { line: 0, id, recorded_at, draft: input.parse(now)? })
}

/// The field serde names in "unknown field `x`" or "missing field `x`".
fn quoted_field(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

impl Diary {
    /// Saves checked entries in one transaction: all of them, or none if any id is already in
    /// this diary (reported with its line). Shared entries are queued for the agency as usual.
    pub fn import_entries(&mut self, imported: Vec<ImportedEntry>) -> Result<Vec<Entry>> {
        let tx = self.conn.transaction()?;
        let mut saved = Vec::with_capacity(imported.len());
        for item in imported {
            let id = item.id.unwrap_or_default();
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM entries WHERE id = ?1) OR EXISTS (SELECT 1 FROM tombstones WHERE id = ?1)",
                [id.to_string()],
                |r| r.get(0),
            )?;
            if taken {
                let source = Invalid::new("id", Rule::NotAllowed, "is already in this diary");
                return Err(DiaryError::BadLine { line: item.line, source });
            }
            let version = next_version(&mut self.clock, &tx)?;
            let recorded_at = item.recorded_at.unwrap_or_else(utc_now);
            let entry = Entry::create(id, version, self.caregiver, recorded_at, item.draft);
            entries::insert(&tx, &entry)?;
            if entry.sharing.leaves_device() {
                outbox::enqueue(&tx, &Record::Entry(entry.clone()))?;
            }
            saved.push(entry);
        }
        tx.commit()?;
        Ok(saved)
    }

    /// Reads JSON Lines and imports them: see [`parse_jsonl`].
    pub fn import_jsonl(&mut self, reader: impl BufRead) -> Result<Vec<Entry>> {
        let parsed = parse_jsonl(reader)?;
        self.import_entries(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(line: &str) -> String {
        let err = parse_jsonl(line.as_bytes()).unwrap_err();
        match err {
            DiaryError::BadLine { line: 1, source } => source.field,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_bad_line_names_the_field_at_fault() {
        assert_eq!(field_of(r#"{"kind": "note"}"#), "text");
        assert_eq!(field_of(r#"{"text": "no kind"}"#), "kind");
        assert_eq!(field_of(r#"{"kind": "note", "text": "t", "colour": "red"}"#), "colour");
        assert_eq!(
            field_of(r#"{"kind": "trust", "target": "agency", "score": 3, "factors": "mistake"}"#),
            "factors"
        );
        assert_eq!(field_of(r#"{"kind": "note", "text": "t", "id": "nope"}"#), "id");
        assert_eq!(field_of(r#"{"kind": "note", "text": "t", "version": "v1"}"#), "version");
        assert_eq!(field_of(r#"{"kind": "note", "text": "t", "recorded_at": "yesterday"}"#), "recorded_at");
        assert_eq!(field_of(r#"{"kind": "note", "text": "t", "owner": 7}"#), "owner");
        assert_eq!(field_of("not json"), "line");
    }

    #[test]
    fn store_fields_may_be_left_out_and_present_ids_are_kept() {
        let id = RecordId::new();
        let text = format!(
            "{{\"kind\": \"note\", \"text\": \"a\"}}\n\n{{\"id\": \"{id}\", \"kind\": \"need\", \"category\": \"respite\", \"recorded_at\": \"2026-01-02T03:04:05Z\"}}\n"
        );
        let parsed = parse_jsonl(text.as_bytes()).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!((parsed[0].line, parsed[0].id), (1, None));
        assert_eq!((parsed[1].line, parsed[1].id), (3, Some(id)));
        assert_eq!(parsed[1].recorded_at.unwrap().to_rfc3339(), "2026-01-02T03:04:05+00:00");
    }

    #[test]
    fn an_id_twice_in_one_file_is_refused_on_its_second_line() {
        let id = RecordId::new();
        let line = format!("{{\"id\": \"{id}\", \"kind\": \"note\", \"text\": \"a\"}}\n");
        match parse_jsonl(format!("{line}{line}").as_bytes()).unwrap_err() {
            DiaryError::BadLine { line, source } => assert_eq!((line, source.field.as_str()), (2, "id")),
            other => panic!("{other}"),
        }
    }
}
