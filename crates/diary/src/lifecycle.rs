//! Creating, unlocking, rekeying and erasing a diary folder.

use std::fs;
use std::path::{Path, PathBuf};

use convivio_core::{Hlc, HlcClock, NodeId, Owner};
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

use crate::error::{DiaryError, Result};
use crate::files::sync_dir;
use crate::key::{KdfParams, KeyFile, KeyPragma, check_new_passphrase};
use crate::{DB_FILE, Diary, KEY_FILE, NEW_KEY_FILE, store};

impl Diary {
    /// Whether `dir` holds a diary.
    pub fn exists(dir: &Path) -> bool {
        dir.join(DB_FILE).is_file() && (dir.join(KEY_FILE).is_file() || dir.join(NEW_KEY_FILE).is_file())
    }

    /// Creates a new diary in `dir` with the default key costs.
    pub fn create(dir: &Path, passphrase: &str) -> Result<Diary> {
        Self::create_with(dir, passphrase, KdfParams::default())
    }

    /// Creates a new diary. The database is built under a temporary name and renamed into
    /// place only when complete, so a crash during creation leaves no half-made diary.
    pub fn create_with(dir: &Path, passphrase: &str, params: KdfParams) -> Result<Diary> {
        check_new_passphrase(passphrase)?;
        if Self::exists(dir) {
            return Err(DiaryError::AlreadyExists(dir.display().to_string()));
        }
        fs::create_dir_all(dir)?;
        let key_file = KeyFile::generate(params);
        let key = key_file.derive(passphrase)?;
        let building = dir.join(format!("{DB_FILE}.creating"));
        for leftover in [building.clone(), wal_of(&building), shm_of(&building)] {
            let _ = fs::remove_file(leftover);
        }
        {
            let conn = store::open(&building, &key, true)?;
            let node = rand::random::<u64>() >> 1; // fits SQLite's signed INTEGER
            conn.execute(
                "INSERT INTO device_state (id, node_id, caregiver_id, last_hlc, next_seq, created_at)
                 VALUES (1, ?1, ?2, ?3, 1, ?4)",
                rusqlite::params![
                    node as i64,
                    Uuid::now_v7().to_string(),
                    Hlc::ZERO.to_string(),
                    crate::clock::utc_now().to_rfc3339()
                ],
            )?;
            // Fold the WAL into the main file so the rename below moves everything.
            conn.pragma_update(None, "journal_mode", "DELETE")?;
        }
        key_file.write(&dir.join(KEY_FILE))?;
        fs::rename(&building, dir.join(DB_FILE))?;
        sync_dir(dir)?;
        Self::open(dir, passphrase)
    }

    /// Unlocks the diary in `dir`. A wrong passphrase is [`DiaryError::WrongPassphrase`] and
    /// changes nothing on disk.
    pub fn open(dir: &Path, passphrase: &str) -> Result<Diary> {
        if !Self::exists(dir) {
            return Err(DiaryError::NoDiary(dir.display().to_string()));
        }
        let db = dir.join(DB_FILE);
        let current = dir.join(KEY_FILE);
        let pending = dir.join(NEW_KEY_FILE);
        let conn = match try_key(&db, &current, passphrase) {
            Ok(conn) => {
                // A passphrase change that never reached the rekey: its new key file is stale.
                if pending.exists() {
                    fs::remove_file(&pending)?;
                }
                conn
            }
            Err(DiaryError::WrongPassphrase | DiaryError::Io(_)) if pending.exists() => {
                // A passphrase change that rekeyed the database but crashed before renaming
                // the new key file into place: finish it.
                let conn = try_key(&db, &pending, passphrase)?;
                fs::rename(&pending, &current)?;
                sync_dir(dir)?;
                conn
            }
            Err(e) => return Err(e),
        };
        Self::from_connection(conn, dir.to_path_buf())
    }

    fn from_connection(conn: Connection, dir: PathBuf) -> Result<Diary> {
        let (node, caregiver, last, offset): (i64, String, String, i64) = conn
            .query_row(
                "SELECT node_id, caregiver_id, last_hlc, clock_offset_ms FROM device_state WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| DiaryError::Damaged("the device state row is missing".into()))?;
        let last: Hlc = last.parse().map_err(|e| DiaryError::Damaged(format!("last version: {e}")))?;
        let caregiver =
            Uuid::parse_str(&caregiver).map_err(|e| DiaryError::Damaged(format!("caregiver id: {e}")))?;
        Ok(Diary {
            conn,
            dir,
            clock: crate::clock::DeviceClock::new(HlcClock::new(NodeId(node as u64), last), offset),
            caregiver: Owner::caregiver(caregiver),
        })
    }

    /// Changes the passphrase. Crash-safe: see [`crate::key`].
    pub fn change_passphrase(&mut self, current: &str, new: &str) -> Result<()> {
        check_new_passphrase(new).map_err(|e| match e {
            DiaryError::Invalid(i) => i.in_field("new_passphrase").into(),
            other => other,
        })?;
        let current_file = self.dir.join(KEY_FILE);
        let old = KeyFile::read(&current_file)?;
        // Whoever holds an unlocked phone must still know the passphrase to change it.
        store::open(&self.dir.join(DB_FILE), &old.derive(current)?, false)?;
        let next = KeyFile::generate(old.params);
        let key = next.derive(new)?;
        let pending = self.dir.join(NEW_KEY_FILE);
        next.write(&pending)?;
        self.conn.execute_batch(&key.pragma(KeyPragma::Rekey))?;
        fs::rename(&pending, &current_file)?;
        sync_dir(&self.dir)
    }

    /// Erases the diary from this device: the key file first (without its salt the data cannot
    /// be decrypted, whatever the passphrase), then the database and its journals.
    pub fn erase(self) -> Result<()> {
        let dir = self.dir.clone();
        drop(self.conn);
        let db = dir.join(DB_FILE);
        for path in [dir.join(KEY_FILE), dir.join(NEW_KEY_FILE), wal_of(&db), shm_of(&db), db] {
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        sync_dir(&dir)
    }
}

fn try_key(db: &Path, key_file: &Path, passphrase: &str) -> Result<Connection> {
    let key = KeyFile::read(key_file)?.derive(passphrase)?;
    store::open(db, &key, false)
}

fn wal_of(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", db.display()))
}

fn shm_of(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}-shm", db.display()))
}
