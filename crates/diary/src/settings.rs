//! The caregiver's preferences on this device, such as the app's language. Kept inside the
//! encrypted diary: even a language choice says something about a person.

use convivio_core::Invalid;
use rusqlite::{OptionalExtension, params};

use crate::Diary;
use crate::error::Result;

/// The preferences the app knows; anything else is refused so typos do not pile up.
pub const KNOWN: [&str; 2] = ["language", "text_size"];

fn check(key: &str) -> Result<(), Invalid> {
    if KNOWN.contains(&key) {
        Ok(())
    } else {
        Err(Invalid::new(
            "key",
            convivio_core::Rule::UnknownChoice,
            format!("must be one of {}", KNOWN.join(", ")),
        ))
    }
}

impl Diary {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        check(key)?;
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        check(key)?;
        if value.chars().count() > 100 {
            return Err(Invalid::new(
                "value",
                convivio_core::Rule::TooLong { max: 100 },
                "must be at most 100 characters",
            )
            .into());
        }
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}
