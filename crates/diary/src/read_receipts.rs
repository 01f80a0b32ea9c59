//! Read receipts on the device: who at the agency read an entry, and when.
//!
//! They arrive with sync and are stored like the agency's other records (`records`, the newest
//! version wins), never queued: the policy sends them only down. Two rules of their own: a
//! receipt is kept only under an entry of this diary's caregiver that the diary holds, since a
//! receipt for anything else could never be shown and says the server erred; and deleting an
//! entry here removes its receipts with it.

use convivio_core::read_receipt::ReadReceipt;
use convivio_core::{Owner, RecordId, RecordKind};
use rusqlite::Transaction;

use crate::Diary;
use crate::error::Result;

/// Whether `receipt` hangs under nothing this diary can show: its entry is not here (never
/// pulled, deleted) or is not the caregiver's.
pub(crate) fn orphaned(tx: &Transaction<'_>, receipt: &ReadReceipt, caregiver: Owner) -> Result<bool> {
    let mine: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM entries WHERE id = ?1
                          AND json_extract(body, '$.owner.role') = 'caregiver'
                          AND json_extract(body, '$.owner.id') = ?2)",
        [receipt.entry_id.to_string(), caregiver.id.to_string()],
        |r| r.get(0),
    )?;
    Ok(!mine)
}

/// Removes the receipts of an entry being deleted here. They are not kept in history: they are
/// the agency's note that it read the entry, and the entry is gone.
pub(crate) fn delete_under(tx: &Transaction<'_>, entry_id: RecordId) -> Result<()> {
    tx.execute(
        "DELETE FROM records WHERE parent_id = ?1 AND kind = ?2",
        [entry_id.to_string(), RecordKind::ReadReceipt.code().to_owned()],
    )?;
    Ok(())
}

impl Diary {
    /// Who at the agency read the entry, first reader first.
    pub fn read_receipts(&self, entry_id: RecordId) -> Result<Vec<ReadReceipt>> {
        let mut receipts: Vec<ReadReceipt> = self.records_of(RecordKind::ReadReceipt, Some(entry_id))?;
        receipts.sort_by_key(|r| (r.read_at, r.version));
        Ok(receipts)
    }
}
