-- The staff dashboard (crates/server/src/staff/).
--
-- Readable columns: what the dashboard lists, filters and counts by, copied out of each record's
-- JSON body with every version it writes (crates/server/src/storage/columns.rs), so lists,
-- warnings and the overview are indexed queries, never JSON scans. NULL where a kind has no such
-- field. Times are UTC text as elsewhere. A tombstone clears them: a deleted or withdrawn entry
-- leaves every list.
ALTER TABLE records ADD COLUMN entry_kind TEXT;      -- need | experience | trust | note
ALTER TABLE records ADD COLUMN sharing TEXT;         -- agency | research (private never arrives)
ALTER TABLE records ADD COLUMN occurred_at TEXT;     -- entry: occurred_at; message: sent_at; status change: changed_at
ALTER TABLE records ADD COLUMN recorded_at TEXT;     -- entry: when it was written down
ALTER TABLE records ADD COLUMN need_category TEXT;
ALTER TABLE records ADD COLUMN urgency TEXT;
ALTER TABLE records ADD COLUMN score INTEGER;        -- trust score or experience rating, 1-5
ALTER TABLE records ADD COLUMN subject TEXT;         -- what a rating is about (columns.rs: Subject)
ALTER TABLE records ADD COLUMN subject_label TEXT;
ALTER TABLE records ADD COLUMN status TEXT;          -- need status change: the status it sets
ALTER TABLE records ADD COLUMN owner_role TEXT;      -- caregiver | staff | agency
ALTER TABLE records ADD COLUMN owner_id TEXT;
-- Which version of columns.rs wrote the columns: rows written before it are filled in at start-up.
ALTER TABLE records ADD COLUMN columns_version INTEGER NOT NULL DEFAULT 0;

-- The agency's side of a need, kept on the need's own row and never taken from the device's
-- body, so a caregiver's edit cannot reset it: the current status (from the newest status
-- change), the expected-reply date staff set (NULL: the agency's default for its urgency), and
-- the first and last staff reply under it.
ALTER TABLE records ADD COLUMN need_status TEXT;
ALTER TABLE records ADD COLUMN need_status_at TEXT;
ALTER TABLE records ADD COLUMN reply_due_at TEXT;
ALTER TABLE records ADD COLUMN first_reply_at TEXT;
ALTER TABLE records ADD COLUMN last_reply_at TEXT;

-- The review queue: newest first within an agency, by caregiver, by kind, by need status; and
-- the rating series (falling trust, trust by service).
CREATE INDEX records_queue ON records (agency_id, recorded_at DESC, id DESC) WHERE entry_kind IS NOT NULL;
CREATE INDEX records_queue_kind ON records (agency_id, entry_kind, recorded_at DESC) WHERE entry_kind IS NOT NULL;
CREATE INDEX records_caregiver_entries ON records (caregiver_id, recorded_at DESC) WHERE entry_kind IS NOT NULL;
CREATE INDEX records_needs ON records (agency_id, need_status, recorded_at) WHERE entry_kind = 'need';
CREATE INDEX records_ratings ON records (agency_id, subject, occurred_at) WHERE score IS NOT NULL;

-- Factor tags of entries, one row each, rewritten with every version of the entry.
CREATE TABLE record_factors (
    record_id    TEXT NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    factor       TEXT NOT NULL,
    agency_id    TEXT NOT NULL,
    caregiver_id TEXT NOT NULL,
    co_destruction INTEGER NOT NULL CHECK (co_destruction IN (0, 1)),
    occurred_at  TEXT NOT NULL,
    subject      TEXT,
    PRIMARY KEY (record_id, factor)
) WITHOUT ROWID;
CREATE INDEX record_factors_agency ON record_factors (agency_id, factor, occurred_at);
CREATE INDEX record_factors_caregiver ON record_factors (caregiver_id, factor, occurred_at);

-- Full-text search over entries' words. Contentless (the text is in records.body already); the
-- rowid is the entry's records rowid, and `remove_diacritics 2` makes "citta" find "città".
CREATE VIRTUAL TABLE entry_text USING fts5(
    words, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

-- Staff accounts: how they are named to caregivers (read receipts), their language, and
-- whether they may still sign in. Usernames are now unique on the whole server: the sign-in
-- form asks only for a username, and several agencies may share one server.
ALTER TABLE staff ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN lang TEXT NOT NULL DEFAULT 'it' CHECK (lang IN ('it', 'en'));
ALTER TABLE staff ADD COLUMN disabled_at TEXT;
ALTER TABLE staff ADD COLUMN password_changed_at TEXT;
UPDATE staff SET display_name = username WHERE display_name = '';
CREATE UNIQUE INDEX staff_username ON staff (username);

-- Signed-in staff (and visitors of the sign-in page, `staff_id` NULL, who need a CSRF token
-- too). The cookie holds a random id; only its SHA-256 is kept, so a copy of the database
-- signs nobody in. Idle and absolute limits are checked on every request.
CREATE TABLE staff_sessions (
    id_hash      TEXT PRIMARY KEY,
    staff_id     TEXT REFERENCES staff (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);

-- Failed sign-ins per key (`user:NAME` or `addr:ADDRESS`) in the current window, and the end of
-- a lockout. Shared by every replica through the database.
CREATE TABLE sign_in_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT
) WITHOUT ROWID;

-- The first time each staff member opened each entry (unread marks, read receipts).
CREATE TABLE entry_reads (
    staff_id      TEXT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    entry_id      TEXT NOT NULL,
    first_read_at TEXT NOT NULL,
    PRIMARY KEY (staff_id, entry_id)
) WITHOUT ROWID;

-- An early warning acknowledged by staff, for the evidence it had: it comes back when newer
-- evidence arrives (a different `evidence`).
CREATE TABLE warning_acks (
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    rule        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    evidence    TEXT NOT NULL,
    note        TEXT NOT NULL,
    staff_id    TEXT NOT NULL REFERENCES staff (id),
    acked_at    TEXT NOT NULL,
    PRIMARY KEY (agency_id, rule, subject)
) WITHOUT ROWID;

-- Agency settings the dashboard honours; a missing row or NULL means the built-in default
-- (crates/server/src/storage/settings.rs).
CREATE TABLE agency_settings (
    agency_id TEXT PRIMARY KEY REFERENCES agencies (id),
    settings  TEXT NOT NULL CHECK (json_valid(settings))
);

-- Enrolment codes staff can list and revoke.
ALTER TABLE enrolment_codes ADD COLUMN revoked_at TEXT;
CREATE INDEX enrolment_codes_caregiver ON enrolment_codes (caregiver_id);

-- Append-only: who did what to which record, when; never the content. The triggers make it so.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT NOT NULL,
    agency_id      TEXT,
    actor_id       TEXT,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    caregiver_id   TEXT,
    record_id      TEXT,
    target_id      TEXT,
    detail         TEXT
);
CREATE INDEX audit_log_agency ON audit_log (agency_id, id DESC);
CREATE INDEX audit_log_caregiver ON audit_log (caregiver_id, id DESC) WHERE caregiver_id IS NOT NULL;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC) WHERE actor_id IS NOT NULL;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
