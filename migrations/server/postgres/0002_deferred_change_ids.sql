-- Deferred change ids (see crates/server/src/storage/postgres/stamp.rs). A device batch's
-- transaction writes its rows with change_id 0 (not in the feed, which reads change_id >
-- cursor >= 0) and commits without touching the agency's counter row; a stamper then gives the
-- agency's waiting rows their ids, under that row's lock, in a short transaction of its own.

-- A row's place among the rows written by the same batch, so that the stamper numbers a
-- batch's rows in push order (rows of concurrent batches may interleave; a device's batches
-- are stamped one after the other anyway).
ALTER TABLE records ADD COLUMN write_pos integer NOT NULL DEFAULT 0;

-- The stamper's work list: rows waiting for an id, per agency. Empty most of the time, so
-- the stamper and its "anything left?" check stay cheap however large the agency is.
CREATE INDEX records_unstamped ON records (agency_id) WHERE change_id = 0;
