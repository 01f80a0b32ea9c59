-- Protocol 2 (crates/core/src/sync.rs).
--
-- `round` and `parent_id` are copies of what each record's body says, written with every version
-- (crates/server/src/storage/merge.rs): the merge ranks versions by (round, deletion, version)
-- without parsing bodies, and deleting or withdrawing an entry finds the caregiver's messages
-- under it by index.
ALTER TABLE records ADD COLUMN round integer NOT NULL DEFAULT 0 CHECK (round >= 0);
ALTER TABLE records ADD COLUMN parent_id uuid;
CREATE INDEX records_parent ON records (parent_id) WHERE parent_id IS NOT NULL;

-- The server epoch: a random id made when the database is created, and made anew by
-- `convivio-server admin restored` after a restore from a backup. Every answer carries it, so a
-- device notices that the server may have lost what it had confirmed.
CREATE TABLE server_epoch (
    id         integer PRIMARY KEY CHECK (id = 1),
    epoch      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO server_epoch (id, epoch) VALUES (1, substr(md5(random()::text || clock_timestamp()::text), 1, 16));
