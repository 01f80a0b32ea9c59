//! How entries are printed: JSON Lines for scripts, one readable line for people.

use std::io::Write;

use convivio_core::entry::{Entry, EntryBody};

pub fn entry(out: &mut impl Write, entry: &Entry, json: bool) -> anyhow::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, entry)?;
        writeln!(out)?;
        return Ok(());
    }
    let summary = match &entry.body {
        EntryBody::Need(n) => format!(
            "{} ({}) {}",
            n.category,
            n.urgency,
            n.text.as_ref().map(|t| t.as_str()).unwrap_or_default()
        ),
        EntryBody::Experience(x) => format!("{} {}/5 {}", x.service, x.rating.get(), x.visit_date),
        EntryBody::Trust(t) => format!("{} {}/5", t.target, t.score.get()),
        EntryBody::Note(n) => n.text.to_string(),
    };
    let one_line: String = summary.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = one_line.chars().take(80).collect();
    writeln!(
        out,
        "{}  {:<10}  {:<8}  {}  {}",
        entry.occurred_at.format("%Y-%m-%d %H:%M"),
        entry.kind(),
        entry.sharing.code(),
        entry.id,
        short
    )?;
    Ok(())
}
