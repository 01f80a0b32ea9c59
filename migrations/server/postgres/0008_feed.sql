-- Each record's place in its agency's feed, in a narrow table of its own beside `records`.
--
-- The stamper (postgres/stamp.rs) gives every version a device batch writes its change id after
-- the batch's commit. While the id was a column of `records`, that UPDATE wrote the whole row a
-- second time: a new tuple of the full version (its JSON body and readable columns), an entry in
-- every one of the table's indexes (no update can be HOT, since the change id is in the feed's
-- indexes), and the overview's statement trigger over old and new rows. Here it rewrites a row of
-- a few dozen bytes with three indexes, and `records` is written once per version.
--
-- A `records` row and its `feed` row are written in the same transaction, always, so a pull,
-- which joins them in one statement, sees a version together with its place. There is no
-- foreign key: its check would run for each row a batch writes, and the only deletes of records
-- (postgres/records.rs) delete the feed rows beside them.
CREATE TABLE feed (
    record_id        uuid PRIMARY KEY,
    agency_id        uuid NOT NULL,
    -- NULL for agency-wide records (the catalogue), as in `records`.
    caregiver_id     uuid,
    -- The device that wrote this version, which is not sent its own change back; NULL when
    -- the agency wrote it.
    origin_device_id uuid,
    -- 0 while the version waits for the stamper; the feed reads change_id > cursor >= 0.
    change_id        bigint NOT NULL,
    -- The stamper numbers waiting rows by these: commit time, then push order within a batch.
    updated_at       timestamptz NOT NULL,
    write_pos        integer NOT NULL
);
INSERT INTO feed (record_id, agency_id, caregiver_id, origin_device_id, change_id, updated_at, write_pos)
    SELECT id, agency_id, caregiver_id, origin_device_id, change_id, updated_at, write_pos FROM records;

-- The pull reads two ordered ranges: the caregiver's records, and the agency-wide ones.
CREATE INDEX feed_caregiver ON feed (caregiver_id, change_id);
CREATE INDEX feed_agency ON feed (agency_id, change_id) WHERE caregiver_id IS NULL;
-- The stamper's work list, empty most of the time.
CREATE INDEX feed_unstamped ON feed (agency_id) WHERE change_id = 0;

DROP INDEX records_caregiver_feed;
DROP INDEX records_agency_feed;
DROP INDEX records_unstamped;
-- The feed's index was also the only one on `records` by caregiver for records other than
-- entries: the caregiver page's profile (kind 'profile') and a caregiver's devices' records.
CREATE INDEX records_caregiver ON records (caregiver_id, kind);
ALTER TABLE records DROP COLUMN change_id, DROP COLUMN write_pos;
