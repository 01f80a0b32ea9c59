//! The diary key: derived from the caregiver's passphrase with Argon2id.
//!
//! The salt and the cost parameters live in `diary.key` beside the database (they are not
//! secret; the passphrase is). A change of passphrase writes `diary.key.new` first, rekeys the
//! database, then renames the file into place, so a crash at any point leaves a diary that one
//! of the two key files opens (see `Diary::open`).

use std::fs;
use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

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

    pub fn read(path: &Path) -> Result<Self> {
        let text = fs::read_to_string(path)?;
        serde_json::from_str(&text).map_err(|e| DiaryError::Damaged(format!("{}: {e}", path.display())))
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
        let salt = hex::decode(&self.salt).map_err(|e| DiaryError::Damaged(format!("key file salt: {e}")))?;
        let params = Params::new(self.params.m_cost_kib, self.params.t_cost, self.params.p_cost, Some(32))
            .map_err(|e| DiaryError::Damaged(format!("key file parameters: {e}")))?;
        let mut key = [0u8; 32];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &salt, &mut key)
            .map_err(|e| DiaryError::Damaged(format!("key derivation: {e}")))?;
        let db_key = DbKey(Zeroizing::new(key));
        key.zeroize();
        Ok(db_key)
    }
}

/// A raw SQLCipher key, wiped from memory when dropped. Never printed.
pub struct DbKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(..)")
    }
}

impl DbKey {
    /// The key as SQLCipher's raw-key literal: `x'<64 hex digits>'`.
    pub fn pragma_literal(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(67));
        s.push_str("x'");
        s.push_str(&hex::encode(*self.0));
        s.push('\'');
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
            *kf.derive("correct horse").unwrap().pragma_literal(),
            *kf.derive("correct horse").unwrap().pragma_literal()
        );
        assert_ne!(
            *kf.derive("correct horse").unwrap().pragma_literal(),
            *kf.derive("correct horsf").unwrap().pragma_literal()
        );
    }

    #[test]
    fn different_salts_give_different_keys() {
        let a = KeyFile::generate(cheap());
        let b = KeyFile::generate(cheap());
        assert_ne!(*a.derive("same").unwrap().pragma_literal(), *b.derive("same").unwrap().pragma_literal());
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
