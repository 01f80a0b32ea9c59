//! "Export my data": everything in the diary, in files a caregiver can open without the app.
//!
//! `convivio-export.json` holds every record (current versions, history and tombstones) in the
//! same shapes sync uses; `entries.csv` and `messages.csv` open in any spreadsheet. Files are
//! written whole (temp file, fsync, rename), so an interrupted export leaves no partial file;
//! only the finished files are plaintext, where the caregiver asked for them.
//!
//! A CSV cell is text a spreadsheet may run: `=HYPERLINK(...)` in a note, or a staff message
//! starting with `@`, would become a formula in whoever opens the file. Following OWASP's advice
//! on CSV injection, every cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
//! gets a leading `'`, which spreadsheets read as "this is text" (see [`spreadsheet_safe`]).
//! The JSON file keeps every text exactly as written.

use std::path::{Path, PathBuf};

use convivio_core::entry::{Entry, EntryBody};
use convivio_core::{Record, RecordKind};
use serde::Serialize;

use crate::Diary;
use crate::error::{Result, damaged};
use crate::files::{sync_dir, write_atomic};

/// Explains the files to whoever opens the folder, in Italian and English.
const README: &str = "\
Convivio - i tuoi dati / your data

IT
entries.csv           Tutte le voci del diario, una per riga (si apre con un foglio di calcolo).
messages.csv          I messaggi scambiati con l'agenzia.
convivio-export.json  Tutto, incluse le versioni precedenti e le voci cancellate, in formato JSON.
Questi file NON sono cifrati: conservali in un luogo sicuro.

EN
entries.csv           Every diary entry, one per row (opens in any spreadsheet).
messages.csv          Messages exchanged with the agency.
convivio-export.json  Everything, including earlier versions and deleted entries, as JSON.
These files are NOT encrypted: keep them somewhere safe.
";

/// The version of the export file format; a change to the shape is a new version.
pub const EXPORT_FORMAT: u32 = 1;

#[derive(Debug, Serialize)]
struct ExportFile {
    format: u32,
    software: &'static str,
    exported_at: String,
    entries: Vec<Entry>,
    records: Vec<Record>,
    tombstones: Vec<Record>,
    history: Vec<serde_json::Value>,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    pub files: Vec<PathBuf>,
    pub entries: usize,
    pub records: usize,
}

const ENTRY_COLUMNS: [&str; 21] = [
    "id",
    "kind",
    "occurred_at",
    "recorded_at",
    "sharing",
    "category",
    "urgency",
    "text",
    "service",
    "visit_date",
    "rating",
    "went_well",
    "went_badly",
    "target",
    "target_name",
    "score",
    "reason",
    "mood",
    "burden",
    "factors",
    "version",
];

fn entry_row(e: &Entry) -> [String; 21] {
    let s = |v: Option<&dyn ToString>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut row: [String; 21] = Default::default();
    row[0] = e.id.to_string();
    row[1] = e.kind().code().into();
    row[2] = e.occurred_at.to_rfc3339();
    row[3] = e.recorded_at.to_rfc3339();
    row[4] = e.sharing.code().into();
    match &e.body {
        EntryBody::Need(n) => {
            row[5] = n.category.code().into();
            row[6] = n.urgency.code().into();
            row[7] = s(n.text.as_ref().map(|t| t as &dyn ToString));
        }
        EntryBody::Experience(x) => {
            row[8] = x.service.to_string();
            row[9] = x.visit_date.to_string();
            row[10] = x.rating.get().to_string();
            row[11] = s(x.went_well.as_ref().map(|t| t as &dyn ToString));
            row[12] = s(x.went_badly.as_ref().map(|t| t as &dyn ToString));
        }
        EntryBody::Trust(t) => {
            row[13] = t.target.code().into();
            row[14] = s(t.target_name.as_ref().map(|t| t as &dyn ToString));
            row[15] = t.score.get().to_string();
            row[16] = s(t.reason.as_ref().map(|t| t as &dyn ToString));
        }
        EntryBody::Note(n) => {
            row[7] = n.text.to_string();
            row[17] = n.mood.map(|m| m.get().to_string()).unwrap_or_default();
            row[18] = n.burden.map(|m| m.get().to_string()).unwrap_or_default();
        }
    }
    row[19] = e.body.factors().iter().map(|f| f.code()).collect::<Vec<_>>().join(";");
    row[20] = e.version.to_string();
    row
}

/// The cell as a spreadsheet should show it: text that would start a formula (`=`, `+`, `-`,
/// `@`, tab, carriage return) gets a leading single quote; anything else is left alone.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn csv_bytes<const N: usize>(header: [&str; N], rows: impl Iterator<Item = [String; N]>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(std::io::Error::other)?;
    for row in rows {
        w.write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned()))
            .map_err(std::io::Error::other)?;
    }
    w.into_inner().map_err(|e| std::io::Error::other(e.to_string()).into())
}

fn parse<T: serde::de::DeserializeOwned>(body: String) -> Result<T> {
    serde_json::from_str(&body).map_err(damaged)
}

impl Diary {
    fn all_bodies(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes all of the caregiver's data to `out_dir` as JSON and CSV.
    pub fn export_mine(&self, out_dir: &Path) -> Result<ExportSummary> {
        std::fs::create_dir_all(out_dir)?;
        let entries: Vec<Entry> = self
            .all_bodies("SELECT body FROM entries ORDER BY occurred_utc, id")?
            .into_iter()
            .map(parse)
            .collect::<Result<_>>()?;
        let records: Vec<Record> = self
            .all_bodies("SELECT body FROM records ORDER BY kind, version")?
            .into_iter()
            .map(parse)
            .collect::<Result<_>>()?;
        let tombstones: Vec<Record> = self
            .all_bodies("SELECT body FROM tombstones ORDER BY version")?
            .into_iter()
            .map(|b| parse::<convivio_core::tombstone::Tombstone>(b).map(Record::Tombstone))
            .collect::<Result<_>>()?;
        let history: Vec<serde_json::Value> = self
            .all_bodies("SELECT body FROM history ORDER BY record_id, version")?
            .into_iter()
            .map(parse)
            .collect::<Result<_>>()?;

        let json_path = out_dir.join("convivio-export.json");
        let file = ExportFile {
            format: EXPORT_FORMAT,
            software: concat!("convivio ", env!("CARGO_PKG_VERSION")),
            exported_at: crate::clock::utc_now().to_rfc3339(),
            entries,
            records,
            tombstones,
            history,
        };
        write_atomic(&json_path, &serde_json::to_vec_pretty(&file).map_err(damaged)?)?;

        let entries_csv = out_dir.join("entries.csv");
        write_atomic(&entries_csv, &csv_bytes(ENTRY_COLUMNS, file.entries.iter().map(entry_row))?)?;

        let messages_csv = out_dir.join("messages.csv");
        let messages = file.records.iter().filter_map(|r| match r {
            Record::Message(m) => Some([
                m.id.to_string(),
                m.entry_id.to_string(),
                format!("{:?}", m.owner.role).to_lowercase(),
                m.sent_at.to_rfc3339(),
                m.body.to_string(),
            ]),
            _ => None,
        });
        write_atomic(&messages_csv, &csv_bytes(["id", "entry_id", "author", "sent_at", "body"], messages)?)?;
        let readme = out_dir.join("LEGGIMI-README.txt");
        write_atomic(&readme, README.as_bytes())?;
        sync_dir(out_dir)?;
        let records = file.records.iter().filter(|r| r.kind() != RecordKind::Tombstone).count();
        Ok(ExportSummary {
            files: vec![json_path, entries_csv, messages_csv],
            entries: file.entries.len(),
            records,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn cells_that_would_start_a_formula_get_a_leading_quote() {
        for risky in ["=1+1", "+1", "-1", "@A1", "\t=1+1", "\r=1+1"] {
            assert_eq!(spreadsheet_safe(risky), format!("'{risky}"));
        }
        for plain in ["", "1", "a = b", "'quoted", " =1", "2026-11-28T10:00:00+01:00"] {
            assert_eq!(spreadsheet_safe(plain), plain);
        }
    }
}
