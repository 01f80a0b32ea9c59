-- Convivio device diary, schema version 1.
-- The whole file is encrypted by SQLCipher; these tables hold plaintext only inside it.

-- One row: this device's identity, its clock and its outbox counter.
CREATE TABLE device_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    node_id       INTEGER NOT NULL,          -- HLC node id of this device
    caregiver_id  TEXT    NOT NULL,          -- owner of the caregiver's records
    last_hlc      TEXT    NOT NULL,          -- newest version issued or seen (clock survives restarts)
    next_seq      INTEGER NOT NULL DEFAULT 1,-- next outbox sequence number: gap-free per device
    created_at    TEXT    NOT NULL
);

-- Diary entries, current version only. `body` is the whole entry as JSON; the other columns
-- are copies for filtering and ordering.
CREATE TABLE entries (
    rowid         INTEGER PRIMARY KEY,       -- stable key for the full-text index
    id            TEXT    NOT NULL UNIQUE,
    kind          TEXT    NOT NULL CHECK (kind IN ('need', 'experience', 'trust', 'note')),
    version       TEXT    NOT NULL,
    occurred_utc  INTEGER NOT NULL,          -- ms since the epoch, for ordering
    occurred_date TEXT    NOT NULL,          -- the caregiver's local date, for date ranges
    sharing       TEXT    NOT NULL CHECK (sharing IN ('private', 'agency', 'research')),
    body          TEXT    NOT NULL
);
CREATE INDEX entries_timeline ON entries (occurred_utc DESC, id DESC);
CREATE INDEX entries_kind_timeline ON entries (kind, occurred_utc DESC, id DESC);
CREATE INDEX entries_sharing_timeline ON entries (sharing, occurred_utc DESC, id DESC);

CREATE TABLE entry_factors (
    entry_rowid   INTEGER NOT NULL REFERENCES entries (rowid) ON DELETE CASCADE,
    factor        TEXT    NOT NULL,
    PRIMARY KEY (factor, entry_rowid)
) WITHOUT ROWID;
CREATE INDEX entry_factors_entry ON entry_factors (entry_rowid);

-- Full-text index of entries' free text; rowid = entries.rowid. Contentless: the text lives
-- only in entries.body. remove_diacritics 2 makes "citta" find "città".
CREATE VIRTUAL TABLE entries_fts USING fts5 (
    text,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Every other record kind, current version: messages, need status changes, catalogue items,
-- profile, consent. `parent_id` is the entry a message or status change belongs to.
CREATE TABLE records (
    id            TEXT    PRIMARY KEY,
    kind          TEXT    NOT NULL,
    version       TEXT    NOT NULL,
    parent_id     TEXT,
    body          TEXT    NOT NULL
);
CREATE INDEX records_kind ON records (kind, id);
CREATE INDEX records_parent ON records (parent_id, kind);

-- Deletions. A tombstone is a version like any other and is kept.
CREATE TABLE tombstones (
    id            TEXT    PRIMARY KEY,
    record_kind   TEXT    NOT NULL,
    version       TEXT    NOT NULL,
    body          TEXT    NOT NULL
);

-- Versions replaced by an edit or a delete, so nothing a caregiver wrote is silently lost.
CREATE TABLE history (
    record_id     TEXT    NOT NULL,
    record_kind   TEXT    NOT NULL,
    version       TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    replaced_at   TEXT    NOT NULL,
    PRIMARY KEY (record_id, version)
);

-- Changes waiting to be sent to the agency, in order. `seq` is gap-free per device.
CREATE TABLE outbox (
    seq           INTEGER PRIMARY KEY,
    record_id     TEXT    NOT NULL,
    record_kind   TEXT    NOT NULL,
    version       TEXT    NOT NULL,
    payload       TEXT    NOT NULL,
    enqueued_at   TEXT    NOT NULL
);
CREATE INDEX outbox_record ON outbox (record_id);
