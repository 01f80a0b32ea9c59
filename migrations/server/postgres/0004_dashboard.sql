-- The staff dashboard (crates/server/src/staff/). Same tables and rules as the SQLite flavour
-- (migrations/server/sqlite/0003_dashboard.sql, which explains each); native types, and
-- full-text search with a tsvector column over unaccented words.

-- Readable columns, copied out of each record's body with every version (storage/columns.rs).
ALTER TABLE records ADD COLUMN entry_kind text;
ALTER TABLE records ADD COLUMN sharing text;
ALTER TABLE records ADD COLUMN occurred_at timestamptz;
ALTER TABLE records ADD COLUMN recorded_at timestamptz;
ALTER TABLE records ADD COLUMN need_category text;
ALTER TABLE records ADD COLUMN urgency text;
ALTER TABLE records ADD COLUMN score smallint;
ALTER TABLE records ADD COLUMN subject text;
ALTER TABLE records ADD COLUMN subject_label text;
ALTER TABLE records ADD COLUMN status text;
ALTER TABLE records ADD COLUMN owner_role text;
ALTER TABLE records ADD COLUMN owner_id uuid;
ALTER TABLE records ADD COLUMN columns_version integer NOT NULL DEFAULT 0;
-- The entry's words, unaccented ("citta" finds "città"), for full-text search.
ALTER TABLE records ADD COLUMN search tsvector;

-- The agency's side of a need (never taken from the device's body).
ALTER TABLE records ADD COLUMN need_status text;
ALTER TABLE records ADD COLUMN need_status_at timestamptz;
ALTER TABLE records ADD COLUMN reply_due_at timestamptz;
ALTER TABLE records ADD COLUMN first_reply_at timestamptz;
ALTER TABLE records ADD COLUMN last_reply_at timestamptz;

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE INDEX records_queue ON records (agency_id, recorded_at DESC, id DESC) WHERE entry_kind IS NOT NULL;
CREATE INDEX records_queue_kind ON records (agency_id, entry_kind, recorded_at DESC) WHERE entry_kind IS NOT NULL;
CREATE INDEX records_caregiver_entries ON records (caregiver_id, recorded_at DESC) WHERE entry_kind IS NOT NULL;
CREATE INDEX records_needs ON records (agency_id, need_status, recorded_at) WHERE entry_kind = 'need';
CREATE INDEX records_ratings ON records (agency_id, subject, occurred_at) WHERE score IS NOT NULL;
CREATE INDEX records_search ON records USING gin (search) WHERE search IS NOT NULL;

CREATE TABLE record_factors (
    record_id      uuid NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    factor         text NOT NULL,
    agency_id      uuid NOT NULL,
    caregiver_id   uuid NOT NULL,
    co_destruction boolean NOT NULL,
    occurred_at    timestamptz NOT NULL,
    subject        text,
    PRIMARY KEY (record_id, factor)
);
CREATE INDEX record_factors_agency ON record_factors (agency_id, factor, occurred_at);
CREATE INDEX record_factors_caregiver ON record_factors (caregiver_id, factor, occurred_at);

ALTER TABLE staff ADD COLUMN display_name text NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN lang text NOT NULL DEFAULT 'it' CHECK (lang IN ('it', 'en'));
ALTER TABLE staff ADD COLUMN disabled_at timestamptz;
ALTER TABLE staff ADD COLUMN password_changed_at timestamptz;
UPDATE staff SET display_name = username WHERE display_name = '';
CREATE UNIQUE INDEX staff_username ON staff (username);

CREATE TABLE staff_sessions (
    id_hash      text PRIMARY KEY,
    staff_id     uuid REFERENCES staff (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);

CREATE TABLE sign_in_throttle (
    key          text PRIMARY KEY,
    failures     integer NOT NULL,
    window_start timestamptz NOT NULL,
    locked_until timestamptz
);

CREATE TABLE entry_reads (
    staff_id      uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    entry_id      uuid NOT NULL,
    first_read_at timestamptz NOT NULL,
    PRIMARY KEY (staff_id, entry_id)
);

CREATE TABLE warning_acks (
    agency_id uuid NOT NULL REFERENCES agencies (id),
    rule      text NOT NULL,
    subject   text NOT NULL,
    evidence  text NOT NULL,
    note      text NOT NULL,
    staff_id  uuid NOT NULL REFERENCES staff (id),
    acked_at  timestamptz NOT NULL,
    PRIMARY KEY (agency_id, rule, subject)
);

CREATE TABLE agency_settings (
    agency_id uuid PRIMARY KEY REFERENCES agencies (id),
    settings  jsonb NOT NULL
);

ALTER TABLE enrolment_codes ADD COLUMN revoked_at timestamptz;
CREATE INDEX enrolment_codes_caregiver ON enrolment_codes (caregiver_id);

CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL,
    agency_id    uuid,
    actor_id     uuid,
    actor        text NOT NULL,
    action       text NOT NULL,
    caregiver_id uuid,
    record_id    uuid,
    target_id    text,
    detail       text
);
CREATE INDEX audit_log_agency ON audit_log (agency_id, id DESC);
CREATE INDEX audit_log_caregiver ON audit_log (caregiver_id, id DESC) WHERE caregiver_id IS NOT NULL;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC) WHERE actor_id IS NOT NULL;
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
