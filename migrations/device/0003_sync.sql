-- Schema version 3: the link to the agency's server. At most one row, written at enrolment.
-- The device token lives here, inside the encrypted file, never beside it.
CREATE TABLE sync_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    server_url      TEXT    NOT NULL,
    device_id       TEXT    NOT NULL,
    token           TEXT    NOT NULL,
    agency_name     TEXT    NOT NULL,
    enrolled_at     TEXT    NOT NULL,
    -- The server's `cursor` from the last applied response: only ever moves forward.
    cursor          INTEGER NOT NULL DEFAULT 0 CHECK (cursor >= 0),
    -- Every outbox change up to here is durably on the server (and pruned here).
    acked_seq       INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
    -- Changes per request, adapted to the link: grows on success, halves on timeout or 413.
    batch_size      INTEGER NOT NULL CHECK (batch_size > 0),
    last_success_at TEXT,
    last_attempt_at TEXT,
    last_error_code TEXT,
    last_error      TEXT,
    -- 'active'; 'revoked' (staff revoked the device, 403); 'unauthorized' (token unknown, 401).
    -- Anything but 'active' stops scheduled syncs until the caregiver enrols again.
    standing        TEXT    NOT NULL DEFAULT 'active'
                    CHECK (standing IN ('active', 'revoked', 'unauthorized'))
);
