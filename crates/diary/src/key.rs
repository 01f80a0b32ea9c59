//! The diary key: derived from the caregiver's passphrase with Argon2id.
//!
//! The salt and the cost parameters live in `diary.key` beside the database (they are not
//! secret; the passphrase is). A change of passphrase writes `diary.key.new` first, rekeys the
//! database, then renames the file into place, so a crash at any point leaves a diary that one
//! of the two key files opens (see `Diary::open`).
//!
//! `diary.key` is not secret, so it is not protected either: anyone who can write the folder
//! can put absurd costs in it. Every number is range-checked before it reaches Argon2 (a
//! memory cost of 4 TiB would be an allocation, a `u32::MAX` pass count a hang), and refused
//! as damage. The raw key leaves this module only as the text of the `PRAGMA` that hands it to
//! SQLCipher ([`DbKey::pragma`]), built in one [`Zeroizing`] buffer that is wiped on drop.

use std::fs;
use std::ops::RangeInclusive;
use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{DiaryError, Result};

/// Argon2id costs. The defaults are OWASP's first recommendation (46 MiB, 1 pass): well under
/// a second to unlock on an old phone, and expensive enough to slow guessing a stolen file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        Self { m_cost_kib: 46 * 1024, t_cost: 1, p_cost: 1 }
    }
}

/// Memory cost, KiB: from Argon2's own minimum (8 KiB per lane) to 2 GiB, RFC 9106's first
/// recommendation and more than a phone should spend on an unlock.
pub const M_COST_KIB: RangeInclusive<u32> = 8..=2 * 1024 * 1024;
/// Passes: at least one; OWASP's recommendations go up to 5, RFC 9106's to 3.
pub const T_COST: RangeInclusive<u32> = 1..=10;
/// Lanes. The derivation runs them one after the other here, so more only costs time.
pub const P_COST: RangeInclusive<u32> = 1..=16;
/// Salt, bytes: this diary writes 16 (RFC 9106); Argon2 needs at least 8.
pub const SALT_LEN: RangeInclusive<usize> = 8..=64;

impl KdfParams {
    /// Refuses costs outside the ranges above, naming the one at fault.
    pub fn check(&self) -> Result<()> {
        let out = |what: &str, value: u64, lo: u64, hi: u64| {
            Err(DiaryError::Damaged(format!(
                "key file {what} is {value}, outside {lo}..={hi}; the key file was damaged or tampered with"
            )))
        };
        let KdfParams { m_cost_kib, t_cost, p_cost } = *self;
        if !M_COST_KIB.contains(&m_cost_kib) {
            return out("memory cost (KiB)", m_cost_kib.into(), 8, (*M_COST_KIB.end()).into());
        }
        if !T_COST.contains(&t_cost) {
            return out("iterations", t_cost.into(), 1, (*T_COST.end()).into());
        }
        if !P_COST.contains(&p_cost) {
            return out("parallelism", p_cost.into(), 1, (*P_COST.end()).into());
        }
        if u64::from(m_cost_kib) < 8 * u64::from(p_cost) {
            return Err(DiaryError::Damaged(format!(
                "key file memory cost {m_cost_kib} KiB is below 8 KiB for each of its {p_cost} lanes; \
                 the key file was damaged or tampered with"
            )));
        }
        Ok(())
    }
}

/// What `diary.key` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFile {
    pub format: u32,
    pub kdf: String,
    #[serde(flatten)]
    pub params: KdfParams,
    /// Hex-encoded random salt, 16 bytes.
    pub salt: String,
}

impl KeyFile {
    pub fn generate(params: KdfParams) -> Self {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        KeyFile { format: 1, kdf: "argon2id".into(), params, salt: hex::encode(salt) }
    }

    /// Reads and checks `diary.key`: a format or cost this version cannot use is refused here,
    /// before any key is derived.
    pub fn read(path: &Path) -> Result<Self> {
        let text = fs::read_to_string(path)?;
        let file: KeyFile = serde_json::from_str(&text)
            .map_err(|e| DiaryError::Damaged(format!("{}: {e}", path.display())))?;
        file.check().map_err(|e| match e {
            DiaryError::Damaged(why) => DiaryError::Damaged(format!("{}: {why}", path.display())),
            other => other,
        })?;
        Ok(file)
    }

    /// The format, the function and every cost within range, the salt valid hex of a sane length.
    pub fn check(&self) -> Result<()> {
        if self.format != 1 || self.kdf != "argon2id" {
            return Err(DiaryError::Damaged(format!(
                "key file format {} with '{}' is not one this version knows (format 1, argon2id)",
                self.format, self.kdf
            )));
        }
        self.params.check()?;
        let len = self.salt.len() / 2;
        if !self.salt.len().is_multiple_of(2) || !SALT_LEN.contains(&len) {
            return Err(DiaryError::Damaged(format!(
                "key file salt is {} hex digits, not {}..={}; the key file was damaged or tampered with",
                self.salt.len(),
                2 * SALT_LEN.start(),
                2 * SALT_LEN.end()
            )));
        }
        Ok(())
    }

    /// Writes the file durably: a temp file, fsync, rename, fsync the folder.
    pub fn write(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(crate::error::damaged)?;
        crate::files::write_atomic(path, json.as_bytes())
    }

    /// Derives the 256-bit database key.
    pub fn derive(&self, passphrase: &str) -> Result<DbKey> {
        if passphrase.is_empty() {
            return Err(convivio_core::Invalid::new(
                "passphrase",
                convivio_core::Rule::Empty,
                "must not be empty",
            )
            .into());
        }
        self.check()?;
        let salt = hex::decode(&self.salt).map_err(|e| DiaryError::Damaged(format!("key file salt: {e}")))?;
        let params = Params::new(self.params.m_cost_kib, self.params.t_cost, self.params.p_cost, Some(32))
            .map_err(|e| DiaryError::Damaged(format!("key file parameters: {e}")))?;
        // Derived straight into its boxed home: moving a `DbKey` moves a pointer, never the key.
        let mut key = DbKey(Zeroizing::new(vec![0u8; 32].into_boxed_slice()));
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &salt, &mut key.0)
            .map_err(|e| DiaryError::Damaged(format!("key derivation: {e}")))?;
        Ok(key)
    }
}

/// A raw SQLCipher key, on the heap and wiped from memory when dropped. Never printed.
pub struct DbKey(Zeroizing<Box<[u8]>>);

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(..)")
    }
}

/// The two statements that hand a key to SQLCipher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPragma {
    /// Opens the database with the key.
    Key,
    /// Re-encrypts the open database with a new key.
    Rekey,
}

impl DbKey {
    /// The whole statement, `PRAGMA key = "x'<64 hex digits>'";` (or `rekey`), for
    /// `execute_batch`: the only text form the key ever takes. It is written digit by digit
    /// into one buffer allocated at its final size, so no copy is left behind by a reallocation
    /// or a temporary string, and the buffer is wiped when dropped. (rusqlite hands the text to
    /// SQLite without copying it; SQLite's own parse of it is SQLCipher's to wipe.)
    pub fn pragma(&self, which: KeyPragma) -> Zeroizing<String> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let head = match which {
            KeyPragma::Key => "PRAGMA key = \"x'",
            KeyPragma::Rekey => "PRAGMA rekey = \"x'",
        };
        let tail = "'\";";
        let mut s = Zeroizing::new(String::with_capacity(head.len() + 2 * self.0.len() + tail.len()));
        let capacity = s.capacity();
        s.push_str(head);
        for byte in self.0.iter() {
            s.push(char::from(HEX[usize::from(byte >> 4)]));
            s.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        s.push_str(tail);
        debug_assert_eq!(s.capacity(), capacity, "the key's text was never moved");
        s
    }
}

/// The shortest passphrase accepted for a new diary.
pub const MIN_PASSPHRASE: usize = 8;

/// Makes sure a passphrase is worth having: long enough to resist guessing on a stolen phone.
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE {
        return Err(convivio_core::Invalid::new(
            "passphrase",
            convivio_core::Rule::TooShort { min: MIN_PASSPHRASE as u64 },
            format!("must be at least {MIN_PASSPHRASE} characters"),
        )
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> KdfParams {
        KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 }
    }

    #[test]
    fn the_same_passphrase_and_salt_give_the_same_key() {
        let kf = KeyFile::generate(cheap());
        assert_eq!(
            *kf.derive("correct horse").unwrap().pragma(KeyPragma::Key),
            *kf.derive("correct horse").unwrap().pragma(KeyPragma::Key)
        );
        assert_ne!(
            *kf.derive("correct horse").unwrap().pragma(KeyPragma::Key),
            *kf.derive("correct horsf").unwrap().pragma(KeyPragma::Key)
        );
    }

    #[test]
    fn different_salts_give_different_keys() {
        let a = KeyFile::generate(cheap());
        let b = KeyFile::generate(cheap());
        assert_ne!(
            *a.derive("same").unwrap().pragma(KeyPragma::Key),
            *b.derive("same").unwrap().pragma(KeyPragma::Key)
        );
    }

    #[test]
    fn costs_are_range_checked_before_argon2_sees_them() {
        assert!(KdfParams::default().check().is_ok());
        assert!(cheap().check().is_ok());
        let mut absurd = KeyFile::generate(cheap());
        absurd.params.m_cost_kib = u32::MAX;
        let started = std::time::Instant::now();
        let err = absurd.derive("correct horse").unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(err.code(), "damaged");
        assert!(err.to_string().contains("memory cost (KiB) is 4294967295, outside 8..=2097152"), "{err}");
        for params in [
            KdfParams { t_cost: 0, ..cheap() },
            KdfParams { t_cost: 11, ..cheap() },
            KdfParams { p_cost: 17, ..cheap() },
            KdfParams { m_cost_kib: 64, p_cost: 16, ..cheap() },
        ] {
            assert_eq!(params.check().unwrap_err().code(), "damaged", "{params:?}");
        }
    }

    #[test]
    fn the_pragma_text_is_the_whole_statement() {
        let key = DbKey(Zeroizing::new(vec![0xab; 32].into_boxed_slice()));
        let text = key.pragma(KeyPragma::Rekey);
        assert_eq!(*text, format!("PRAGMA rekey = \"x'{}'\";", "ab".repeat(32)));
        assert_eq!(text.len(), text.capacity(), "allocated once, at its final size");
    }

    #[test]
    fn the_key_never_prints() {
        let kf = KeyFile::generate(cheap());
        assert_eq!(format!("{:?}", kf.derive("secret").unwrap()), "DbKey(..)");
    }

    #[test]
    fn short_passphrases_are_refused_naming_the_field() {
        let err = check_new_passphrase("short").unwrap_err();
        assert_eq!(err.field(), Some("passphrase"));
    }
}
