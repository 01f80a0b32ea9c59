-- The agency server's schema, SQLite flavour. Ids are UUIDs in text form; times are UTC in
-- fixed-width RFC 3339 with microseconds ('2026-11-28T08:00:00.000000Z'), so text order is time
-- order and `expires_at > ?` compares correctly.

-- One row per agency. `change_counter` hands out the agency's change ids (see records); the
-- apply transaction updates it last, so the row lock orders commits of one agency.
CREATE TABLE agencies (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    change_counter INTEGER NOT NULL DEFAULT 0 CHECK (change_counter >= 0),
    created_at     TEXT NOT NULL
);

-- Staff log in with a username unique within their agency; the password is an Argon2id PHC string.
CREATE TABLE staff (
    id            TEXT PRIMARY KEY,
    agency_id     TEXT NOT NULL REFERENCES agencies (id),
    username      TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'researcher')),
    created_at    TEXT NOT NULL,
    UNIQUE (agency_id, username)
);

CREATE TABLE caregivers (
    id           TEXT PRIMARY KEY,
    agency_id    TEXT NOT NULL REFERENCES agencies (id),
    display_name TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX caregivers_agency ON caregivers (agency_id);

-- One-time codes, kept only as a hash. `used_at` is set by the redemption that wins.
CREATE TABLE enrolment_codes (
    code_hash    TEXT PRIMARY KEY,
    caregiver_id TEXT NOT NULL REFERENCES caregivers (id),
    expires_at   TEXT NOT NULL,
    used_at      TEXT,
    created_at   TEXT NOT NULL
);

-- `acked_seq`: every change of this device up to it is stored (contiguous, never a maximum seen).
CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    caregiver_id TEXT NOT NULL REFERENCES caregivers (id),
    token_hash   TEXT NOT NULL UNIQUE,
    acked_seq    INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
    enrolled_at  TEXT NOT NULL,
    revoked_at   TEXT,
    last_sync_at TEXT
);
CREATE INDEX devices_caregiver ON devices (caregiver_id);

-- Every outbox change received, once: the primary key is what makes a replayed batch a no-op.
CREATE TABLE changes (
    device_id   TEXT NOT NULL REFERENCES devices (id),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    record_id   TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
) WITHOUT ROWID;

-- The current version of every record. `caregiver_id` is NULL for agency-wide records (the
-- catalogue); `origin_device_id` is the device that wrote this version, NULL when the agency
-- did (staff messages, need status, catalogue). `version` is the HLC text form, which sorts like
-- the value. `change_id` is the record's place in its agency's feed; it moves on every write.
CREATE TABLE records (
    id               TEXT PRIMARY KEY,
    agency_id        TEXT NOT NULL REFERENCES agencies (id),
    caregiver_id     TEXT REFERENCES caregivers (id),
    kind             TEXT NOT NULL,
    version          TEXT NOT NULL,
    body             TEXT NOT NULL CHECK (json_valid(body)),
    origin_device_id TEXT REFERENCES devices (id),
    change_id        INTEGER NOT NULL,
    updated_at       TEXT NOT NULL
);
-- The pull query reads two ordered ranges: the caregiver's records, and the agency-wide ones.
CREATE INDEX records_caregiver_feed ON records (caregiver_id, change_id);
CREATE INDEX records_agency_feed ON records (agency_id, change_id) WHERE caregiver_id IS NULL;

-- Versions that lost to a newer one. A winning tombstone deletes its record's rows here.
CREATE TABLE history (
    record_id TEXT NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    version   TEXT NOT NULL,
    body      TEXT NOT NULL CHECK (json_valid(body)),
    PRIMARY KEY (record_id, version)
) WITHOUT ROWID;
