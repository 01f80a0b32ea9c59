-- Schema version 4: sync protocol 2 (crates/core/src/sync.rs).

-- How far this device's wall clock is from the agency server's, as the server's last answer
-- said (server minus device, ms). New versions follow the corrected clock, so a device whose
-- clock is wrong by days still orders its versions sensibly.
ALTER TABLE device_state ADD COLUMN clock_offset_ms INTEGER NOT NULL DEFAULT 0;

-- The server epoch of the last answer: when it changes, the server was restored from a backup,
-- and the device pulls again from the start and offers again what the server may have lost.
ALTER TABLE sync_state ADD COLUMN server_epoch TEXT;

-- Changes the server acknowledged but refused, with its reason: the record stays in the diary,
-- and `convivio status` (and the app) say which and why. A later version of the same record that
-- the server takes clears it.
CREATE TABLE refusals (
    record_id   TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    record_kind TEXT    NOT NULL,
    code        TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    refused_at  TEXT    NOT NULL,
    PRIMARY KEY (record_id, seq)
);
