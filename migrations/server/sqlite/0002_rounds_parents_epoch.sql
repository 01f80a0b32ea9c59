-- Protocol 2 (crates/core/src/sync.rs).
--
-- `round` and `parent_id` are copies of what each record's body says, written with every version
-- (crates/server/src/storage/merge.rs): the merge ranks versions by (round, deletion, version)
-- without parsing bodies, and deleting or withdrawing an entry finds the caregiver's messages
-- under it by index.
ALTER TABLE records ADD COLUMN round INTEGER NOT NULL DEFAULT 0 CHECK (round >= 0);
ALTER TABLE records ADD COLUMN parent_id TEXT;
CREATE INDEX records_parent ON records (parent_id) WHERE parent_id IS NOT NULL;

-- The server epoch: a random id made when the database is created, and made anew by
-- `convivio-server admin restored` after a restore from a backup. Every answer carries it, so a
-- device notices that the server may have lost what it had confirmed.
CREATE TABLE server_epoch (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    epoch      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO server_epoch (id, epoch, created_at)
VALUES (1, lower(hex(randomblob(8))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
