-- The agency server's schema, PostgreSQL flavour. Same tables and rules as the SQLite one;
-- native uuid, timestamptz and jsonb types. Applied in one transaction by the server's
-- migration runner (schema_migrations, under an advisory lock).

-- One row per agency. `change_counter` hands out the agency's change ids (see records); the
-- apply transaction updates it last, so its row lock orders the commits of one agency.
CREATE TABLE agencies (
    id             uuid PRIMARY KEY,
    name           text NOT NULL UNIQUE,
    change_counter bigint NOT NULL DEFAULT 0 CHECK (change_counter >= 0),
    created_at     timestamptz NOT NULL
);

-- Staff log in with a username unique within their agency; the password is an Argon2id PHC string.
CREATE TABLE staff (
    id            uuid PRIMARY KEY,
    agency_id     uuid NOT NULL REFERENCES agencies (id),
    username      text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'staff', 'researcher')),
    created_at    timestamptz NOT NULL,
    UNIQUE (agency_id, username)
);

CREATE TABLE caregivers (
    id           uuid PRIMARY KEY,
    agency_id    uuid NOT NULL REFERENCES agencies (id),
    display_name text NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX caregivers_agency ON caregivers (agency_id);

-- One-time codes, kept only as a hash. `used_at` is set by the redemption that wins.
CREATE TABLE enrolment_codes (
    code_hash    text PRIMARY KEY,
    caregiver_id uuid NOT NULL REFERENCES caregivers (id),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    created_at   timestamptz NOT NULL
);

-- `acked_seq`: every change of this device up to it is stored (contiguous, never a maximum seen).
CREATE TABLE devices (
    id           uuid PRIMARY KEY,
    caregiver_id uuid NOT NULL REFERENCES caregivers (id),
    token_hash   text NOT NULL UNIQUE,
    acked_seq    bigint NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
    enrolled_at  timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_sync_at timestamptz
);
CREATE INDEX devices_caregiver ON devices (caregiver_id);

-- Every outbox change received, once: the primary key is what makes a replayed batch a no-op,
-- across server replicas too.
CREATE TABLE changes (
    device_id   uuid NOT NULL REFERENCES devices (id),
    seq         bigint NOT NULL CHECK (seq > 0),
    record_id   uuid NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (device_id, seq)
);

-- The current version of every record. `caregiver_id` is NULL for agency-wide records (the
-- catalogue); `origin_device_id` is the device that wrote this version, NULL when the agency
-- did (staff messages, need status, catalogue). `version` is the HLC text form, which sorts like
-- the value (COLLATE "C": byte order, whatever the database's locale). `change_id` is the
-- record's place in its agency's feed; it moves on every write.
CREATE TABLE records (
    id               uuid PRIMARY KEY,
    agency_id        uuid NOT NULL REFERENCES agencies (id),
    caregiver_id     uuid REFERENCES caregivers (id),
    kind             text NOT NULL,
    version          text COLLATE "C" NOT NULL,
    body             jsonb NOT NULL,
    origin_device_id uuid REFERENCES devices (id),
    change_id        bigint NOT NULL,
    updated_at       timestamptz NOT NULL
);
-- The pull query reads two ordered ranges: the caregiver's records, and the agency-wide ones.
CREATE INDEX records_caregiver_feed ON records (caregiver_id, change_id);
CREATE INDEX records_agency_feed ON records (agency_id, change_id) WHERE caregiver_id IS NULL;

-- Versions that lost to a newer one. A winning tombstone deletes its record's rows here.
CREATE TABLE history (
    record_id uuid NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    version   text COLLATE "C" NOT NULL,
    body      jsonb NOT NULL,
    PRIMARY KEY (record_id, version)
);
